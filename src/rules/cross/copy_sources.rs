//! COPY/ADD sources judged against the build contexts they are built
//! with (`KR504`–`KR506`): the (Dockerfile, context) pairs of the graph,
//! each source resolved against its stage's variables and looked up in
//! the listing and the context's `.dockerignore`. Judged once per audit
//! ([`judged_copy_sources`]) and shared by the three rules.

use super::{show_ctx, StageVars};
use crate::parse::dockerfile::{Args, DockerfileFile, Instruction, Keyword, Stage};

/// The stage an instruction index belongs to.
fn stage_of(stages: &[Stage], index: usize) -> Option<&Stage> {
    stages.iter().find(|s| s.instructions.contains(&index))
}

/// A COPY/ADD instruction's source words (the last word is the
/// destination), `None` for other instructions.
fn copy_words(ins: &Instruction) -> Option<&[String]> {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
        return None;
    }
    let words = match &ins.args {
        Args::Json(v) | Args::Words(v) => v.as_slice(),
        _ => return None,
    };
    match words.split_last() {
        Some((_, sources)) if !sources.is_empty() => Some(sources),
        _ => None,
    }
}

/// A flag's value (`--from=builder` → `builder`).
pub(super) fn flag<'a>(ins: &'a Instruction, name: &str) -> Option<&'a str> {
    ins.flags
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .and_then(|f| f.value.as_deref())
}

/// The context-relative sources of every COPY/ADD taken from the build
/// context, with the instruction, resolved against its variables. Sources
/// with unknown variables, URLs, Git references and heredocs are left out.
pub(crate) struct CopySource<'a> {
    pub ins: &'a Instruction,
    /// As written.
    pub written: String,
    /// Resolved, cleaned, relative to the context (`""` = the context).
    pub path: String,
    pub glob: bool,
}

pub(crate) fn copy_sources<'a>(
    df: &'a DockerfileFile,
    build_args: &[(String, String)],
) -> Vec<CopySource<'a>> {
    let stages = df.dockerfile.stages();
    let mut out = Vec::new();
    for (i, ins) in df.dockerfile.instructions.iter().enumerate() {
        let Some(sources) = copy_words(ins) else {
            continue;
        };
        if flag(ins, "from").is_some() || ins.flags.iter().any(|f| f.name == "from") {
            continue;
        }
        let Some(stage) = stage_of(&stages, i) else {
            continue;
        };
        let vars = StageVars::at(df, stage, i, build_args);
        for w in sources {
            let written = w.trim_matches(|c| c == '"' || c == '\'');
            if written.starts_with("<<")
                || written.contains("://")
                || written.starts_with("git@")
                || written.is_empty()
            {
                continue;
            }
            let Some(mut resolved) = vars.expand(written) else {
                continue;
            };
            // Under `# escape=``, a backslash is a Windows path separator
            // (`COPY scripts\ C:\app\scripts\`).
            if df.dockerfile.escape == '`' {
                resolved = resolved.replace('\\', "/");
            }
            if resolved.contains('$') || resolved.split('/').any(|s| s == "..") {
                continue;
            }
            let Some(path) = crate::paths::normalize(resolved.trim_start_matches('/')) else {
                continue;
            };
            let glob = path.contains(['*', '?', '[']);
            out.push(CopySource {
                ins,
                written: written.to_string(),
                path,
                glob,
            });
        }
    }
    out
}

/// Folders the walk does not descend into (dependency and cache folders):
/// a source under one may well exist.
fn under_skipped_dir(path: &str) -> bool {
    path.split('/')
        .any(|seg| crate::walk::classify::SKIPPED_DIRS.contains(&seg))
}

/// Whether a path looks like a build output or generated code (usually
/// git-ignored and produced before `docker build`: `target/app.jar`,
/// `dist/`, `bin/api`, generated protobuf code).
fn is_build_output(path: &str) -> bool {
    const DIRS: &[&str] = &[
        "target",
        "dist",
        "build",
        "out",
        "bin",
        "_build",
        ".next",
        "public",
        "release",
        "publish",
        "artifacts",
        "lib",
        "obj",
        "generated",
        "gen",
        "genproto",
        "proto",
        "protos",
        "pb",
        "coverage",
    ];
    const EXTS: &[&str] = &[
        ".jar", ".war", ".ear", ".exe", ".dll", ".so", ".whl", ".tgz", ".tar.gz", ".zip", ".deb",
        ".rpm", ".apk",
    ];
    path.split('/').any(|s| DIRS.contains(&s)) || EXTS.iter().any(|e| path.ends_with(e))
}

/// What a COPY source is, in the listing of `context`.
pub(crate) enum SourceState<'a> {
    /// Present and sent to the build.
    Present,
    /// Not in the listing (nor matched by its glob).
    Missing,
    /// Not in the listing, but a typical build output (info only).
    Generated,
    /// Present but excluded by `.dockerignore` (pattern and line).
    Excluded(&'a crate::parse::dockerignore::IgnorePattern),
    /// Not checkable (under a folder the walk skips).
    Unknown,
}

/// A COPY source pattern compiled once per thread: monorepos repeat the
/// same few (`package*.json` in a thousand Dockerfiles), and compiling one
/// builds a regex.
fn compiled_glob(pattern: &str) -> Option<globset::GlobMatcher> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static GLOBS: RefCell<HashMap<String, Option<globset::GlobMatcher>>> =
            RefCell::new(HashMap::new());
    }
    GLOBS.with(|globs| {
        let mut globs = globs.borrow_mut();
        if let Some(compiled) = globs.get(pattern) {
            return compiled.clone();
        }
        let compiled = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .ok()
            .map(|g| g.compile_matcher());
        // Bounded: distinct patterns are few, but inputs are untrusted.
        if globs.len() >= 4096 {
            globs.clear();
        }
        globs.insert(pattern.to_string(), compiled.clone());
        compiled
    })
}

/// Whether a glob can be matched one path segment at a time: no `**`,
/// alternatives or escapes, which can stand for a `/`. (A `/` inside a
/// bracket expression leaves a segment with an unclosed bracket, which
/// does not compile: [`SourceFinder::segment_matches`] then scans.)
fn segmentable(pattern: &str) -> bool {
    !pattern.contains("**") && !pattern.contains(['{', '}', '\\'])
}

/// A listed file or folder a COPY source pattern matches, and whether it
/// is a folder (which stands for every file under it).
type Entry<'f> = (&'f str, bool);

/// Finds the listed files a COPY source stands for, once per audit: a
/// monorepo repeats the same glob (`package*.json`) in a thousand
/// Dockerfiles, and a Dockerfile whose context is unknown has its sources
/// looked up in every parent folder up to the root, so scanning every file
/// under each context was Dockerfiles × files.
pub(crate) struct SourceFinder<'f> {
    facts: &'f crate::parse::Facts,
    /// (folder, glob) → what the glob matches in that folder.
    globs: std::collections::HashMap<(String, String), std::rc::Rc<[Entry<'f>]>>,
}

impl<'f> SourceFinder<'f> {
    pub(crate) fn new(facts: &'f crate::parse::Facts) -> Self {
        SourceFinder {
            facts,
            globs: std::collections::HashMap::new(),
        }
    }

    /// What `pattern` matches relative to `context`: the listed entries at
    /// the pattern's depth that it matches (a `*` does not cross a `/`, so
    /// a file deeper down matches only through its folder at that depth).
    fn glob_matches(
        &mut self,
        context: &str,
        pattern: &str,
        glob: &globset::GlobMatcher,
    ) -> std::rc::Rc<[Entry<'f>]> {
        let key = (context.to_string(), pattern.to_string());
        if let Some(found) = self.globs.get(&key) {
            return found.clone();
        }
        let found: std::rc::Rc<[Entry<'f>]> = self
            .segment_matches(context, pattern, glob)
            .unwrap_or_else(|| self.scan(context, glob))
            .into();
        self.globs.insert(key, found.clone());
        found
    }

    /// Follows the pattern one segment at a time through the folders
    /// (only the children of folders matched so far are looked at); `None`
    /// when the pattern cannot be split into segments.
    fn segment_matches(
        &self,
        context: &str,
        pattern: &str,
        glob: &globset::GlobMatcher,
    ) -> Option<Vec<Entry<'f>>> {
        if !segmentable(pattern) {
            return None;
        }
        let listing = &self.facts.listing;
        let segments: Vec<&str> = pattern.split('/').collect();
        let mut folders: Vec<&'f str> = listing.dir(context).into_iter().collect();
        let mut found = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let segment_glob = if segment.contains(['*', '?', '[']) {
                Some(compiled_glob(segment)?)
            } else {
                None
            };
            let mut next = Vec::new();
            for folder in &folders {
                match &segment_glob {
                    None => {
                        let path = if folder.is_empty() {
                            segment.to_string()
                        } else {
                            format!("{folder}/{segment}")
                        };
                        if let Some(dir) = listing.dir(&path) {
                            next.push((dir, true));
                        } else if let Some(file) = listing.file(&path).filter(|_| last) {
                            next.push((file.path.as_str(), false));
                        }
                    }
                    Some(g) => {
                        for (child, is_dir) in listing.children(folder) {
                            if (is_dir || last) && g.is_match(crate::paths::file_name(child)) {
                                next.push((child, is_dir));
                            }
                        }
                    }
                }
            }
            if last {
                found = next;
            } else {
                folders = next.into_iter().map(|(d, _)| d).collect();
            }
        }
        // The whole pattern decides; the segments only narrowed the search.
        found.retain(|(path, _)| glob.is_match(crate::paths::relative_to(context, path)));
        Some(found)
    }

    /// Every file under the context that the glob matches, or whose folder
    /// it matches (patterns with `**`, alternatives or escapes).
    fn scan(&self, context: &str, glob: &globset::GlobMatcher) -> Vec<Entry<'f>> {
        self.facts
            .listing
            .files_under(context)
            .map(|f| f.path.as_str())
            .filter(|path| {
                let r = crate::paths::relative_to(context, path);
                glob.is_match(r) || {
                    // A glob matching a folder copies its contents.
                    let mut end = r.len();
                    let mut hit = false;
                    while let Some(i) = r[..end].rfind('/') {
                        if glob.is_match(&r[..i]) {
                            hit = true;
                            break;
                        }
                        end = i;
                    }
                    hit
                }
            })
            .map(|path| (path, false))
            .collect()
    }

    /// What a COPY source is in a build of `dockerfile` with `context`.
    pub(crate) fn source_state(
        &mut self,
        dockerfile: &str,
        context: &str,
        src: &CopySource<'_>,
    ) -> SourceState<'f> {
        if under_skipped_dir(&src.path) && !is_build_output(&src.path) {
            return SourceState::Unknown;
        }
        let facts = self.facts;
        let listing = &facts.listing;
        let ignore = facts.dockerignore_for(dockerfile, context);
        if src.glob {
            let Some(glob) = compiled_glob(&src.path) else {
                return SourceState::Unknown;
            };
            let entries = self.glob_matches(context, &src.path, &glob);
            let files = entries.iter().flat_map(|&(path, is_dir)| {
                let own = (!is_dir).then_some(path);
                let under = is_dir.then(|| listing.files_under(path).map(|f| f.path.as_str()));
                own.into_iter().chain(under.into_iter().flatten())
            });
            return decide(
                files.map(|f| crate::paths::relative_to(context, f)),
                ignore,
                &src.path,
            );
        }
        let full = crate::paths::join(context, &src.path).unwrap_or_default();
        if listing.has_file(&full) {
            return decide(std::iter::once(src.path.as_str()), ignore, &src.path);
        }
        if listing.has_dir(&full) {
            let mut files = listing
                .files_under(&full)
                .map(|f| crate::paths::relative_to(context, &f.path))
                .peekable();
            if files.peek().is_none() {
                // An empty (or wholly git-ignored) folder still exists.
                return match ignore.and_then(|i| i.excluding_pattern(&src.path)) {
                    Some(p) => SourceState::Excluded(p),
                    None => SourceState::Present,
                };
            }
            return decide(files, ignore, &src.path);
        }
        decide(std::iter::empty(), ignore, &src.path)
    }
}

/// The state of a source from the files it stands for (relative to the
/// context): present when one of them is sent to the build; excluded, by
/// the pattern that excludes the first of them, when none is.
fn decide<'a, 'm>(
    matched: impl Iterator<Item = &'m str>,
    ignore: Option<&'a crate::parse::dockerignore::DockerIgnore>,
    path: &str,
) -> SourceState<'a> {
    let mut first: Option<&str> = None;
    for m in matched {
        let Some(ignore) = ignore else {
            return SourceState::Present;
        };
        if !ignore.is_excluded(m) {
            return SourceState::Present;
        }
        if first.is_none_or(|f| m < f) {
            first = Some(m);
        }
    }
    let Some(first) = first else {
        return if is_build_output(path) {
            SourceState::Generated
        } else {
            SourceState::Missing
        };
    };
    match ignore.and_then(|i| i.excluding_pattern(first)) {
        Some(p) => SourceState::Excluded(p),
        None => SourceState::Present,
    }
}

/// A Dockerfile, a context it is built with, and the build args.
pub(crate) struct DockerfileBuild<'a> {
    pub df: &'a DockerfileFile,
    pub context: String,
    pub args: Vec<(String, String)>,
    /// Whether Compose, CI, skaffold or Tilt names this context; `false`
    /// when it is only assumed to be the Dockerfile's own folder.
    pub declared: bool,
}

impl DockerfileBuild<'_> {
    /// The state of a COPY source in this build. With an assumed context,
    /// a source present relative to any parent folder (a monorepo build
    /// from the root, say) is not judged: the real context is unknown.
    pub fn judge<'f>(
        &self,
        finder: &mut SourceFinder<'f>,
        src: &CopySource<'_>,
    ) -> SourceState<'f> {
        let state = finder.source_state(&self.df.path, &self.context, src);
        if self.declared || matches!(state, SourceState::Present | SourceState::Unknown) {
            return state;
        }
        let mut dir = self.context.as_str();
        while !dir.is_empty() {
            dir = crate::paths::parent(dir);
            if matches!(
                finder.source_state(&self.df.path, dir, src),
                SourceState::Present | SourceState::Unknown
            ) {
                return SourceState::Unknown;
            }
        }
        state
    }

    /// The context as shown in messages, saying when it is assumed.
    pub fn describe(&self) -> String {
        if self.declared {
            format!("the build context `{}`", show_ctx(&self.context))
        } else if self.context.is_empty() {
            "the Dockerfile's folder `.` (no Compose or CI build names its context)".to_string()
        } else {
            format!(
                "the Dockerfile's folder `{}` or any parent (no Compose or CI build names its context)",
                self.context
            )
        }
    }
}

/// Every (Dockerfile, context) pair the graph knows of: each Dockerfile
/// image definition with each of its contexts that exists, with the build
/// args Compose passes for that pair (the first service that builds it
/// that way) and whether Compose, a CI build or a skaffold/Tilt artifact
/// names that pair.
pub(crate) fn dockerfile_builds<'f>(cx: &crate::rules::Context<'f>) -> Vec<DockerfileBuild<'f>> {
    use std::collections::{HashMap, HashSet};
    // Indexed once: a monorepo has thousands of image definitions, and
    // scanning every Compose service and CI build for each was quadratic.
    let mut declared: HashSet<(String, &str)> = HashSet::new();
    let mut compose_args: HashMap<(String, &str), &[(String, String)]> = HashMap::new();
    let compose_builds = cx
        .facts
        .compose
        .iter()
        .flat_map(|p| &p.services)
        .filter_map(|s| s.build.as_ref())
        .filter(|b| !b.remote);
    // GoReleaser builds its Dockerfiles in a staging folder of its own
    // (the binaries it built and its `extra_files`), not in the repo: a
    // Dockerfile only GoReleaser builds has no context to judge.
    let mut elsewhere: HashSet<String> = HashSet::new();
    let mut goreleaser: HashSet<&str> = HashSet::new();
    for b in &cx.graph.builds {
        if let Some(df) = &b.dockerfile {
            if b.tool == "goreleaser" {
                goreleaser.insert(df.as_str());
            } else {
                elsewhere.insert(df.clone());
            }
        }
    }
    for b in compose_builds {
        elsewhere.insert(b.dockerfile_path());
        let key = (b.dockerfile_path(), b.context.as_str());
        declared.insert(key.clone());
        compose_args.entry(key).or_insert(b.args.as_slice());
    }
    for b in &cx.graph.builds {
        if let (Some(df), Some(ctx)) = (&b.dockerfile, &b.context) {
            declared.insert((df.clone(), ctx.as_str()));
        }
    }
    for a in &cx.facts.orchestration.artifacts {
        if let (Some(df), Some(ctx)) = (&a.dockerfile, &a.context) {
            declared.insert((df.clone(), ctx.as_str()));
        }
    }
    let mut out = Vec::new();
    for def in &cx.graph.image_defs {
        if def.kind != crate::graph::ImageDefKind::Dockerfile {
            continue;
        }
        if goreleaser.contains(def.file.as_str()) && !elsewhere.contains(&def.file) {
            continue;
        }
        let Some(df) = cx.facts.dockerfile(&def.file) else {
            continue;
        };
        for ctx in &def.contexts {
            if !cx.facts.listing.has_dir(ctx) {
                continue;
            }
            let key = (def.file.clone(), ctx.as_str());
            out.push(DockerfileBuild {
                df,
                context: ctx.clone(),
                args: compose_args
                    .get(&key)
                    .map(|a| a.to_vec())
                    .unwrap_or_default(),
                declared: declared.contains(&key),
            });
        }
    }
    out
}

/// Every COPY source of every build, with its state.
pub(crate) struct CopyJudgement<'a> {
    pub builds: Vec<DockerfileBuild<'a>>,
    /// (index into `builds`, source, state), in build order.
    pub sources: Vec<(usize, CopySource<'a>, SourceState<'a>)>,
}

impl CopyJudgement<'_> {
    /// Every judged source with its build, in build order.
    pub fn iter(
        &self,
    ) -> impl Iterator<Item = (&DockerfileBuild<'_>, &CopySource<'_>, &SourceState<'_>)> {
        self.sources
            .iter()
            .filter_map(|(b, src, state)| Some((self.builds.get(*b)?, src, state)))
    }
}

/// Judges every COPY source of every build; no sources when the audit
/// sees a single file (nothing is known about the files around it).
/// Rules read it through [`crate::rules::Context::copy_judgement`].
pub(crate) fn judge_all<'f>(cx: &crate::rules::Context<'f>) -> CopyJudgement<'f> {
    let builds = dockerfile_builds(cx);
    let mut sources = Vec::new();
    if !super::single_file(cx.facts) {
        let mut finder = SourceFinder::new(cx.facts);
        for (i, b) in builds.iter().enumerate() {
            for src in copy_sources(b.df, &b.args) {
                let state = b.judge(&mut finder, &src);
                sources.push((i, src, state));
            }
        }
    }
    CopyJudgement { builds, sources }
}

#[cfg(test)]
mod tests {
    use super::{compiled_glob, SourceFinder};

    fn facts_of(files: &[&str]) -> (tempfile::TempDir, crate::parse::Facts) {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let tree = crate::walk::Tree::walk(dir.path(), &crate::walk::WalkOptions::default());
        let facts = crate::parse::Facts {
            listing: tree.into_listing(),
            ..Default::default()
        };
        (dir, facts)
    }

    /// Following a glob segment by segment finds what scanning every file
    /// under the context finds.
    #[test]
    fn segment_walk_matches_the_full_scan() {
        let (_dir, facts) = facts_of(&[
            "package.json",
            "package-lock.json",
            "a.lock",
            "app/package.json",
            "app/src/index.js",
            "app/src/lib/util.js",
            "app/src-gen/x.js",
            "app/conf/app.conf",
            "app/config.d/x.conf",
            "app/.env.example",
            "svc-1/go.mod",
            "svc-1/cmd/server/main.go",
            "svc-2/go.mod",
            "svc-2/cmd/cli/main.go",
            "svc-20/requirements.txt",
            "svc-b/requirements-dev.txt",
            "odd[1]/file",
        ]);
        let patterns = [
            "*",
            "*.json",
            "package*.json",
            "*.lock*",
            "app/*",
            "app/src*",
            "app/src/*.js",
            "app/*/*.js",
            "app/conf*",
            "app/.env*",
            "*/go.mod",
            "svc-?/go.mod",
            "svc-[12]*/*",
            "svc-*/cmd/*/main.go",
            "*/cmd",
            "svc-[!1]/*.txt",
            "odd[[]1]/*",
            "scripts/*.sh",
            "app/src/lib/*",
        ];
        let finder = SourceFinder::new(&facts);
        for context in ["", "app", "svc-1", "nowhere"] {
            for pattern in patterns {
                let glob = compiled_glob(pattern).unwrap();
                let mut walked: Vec<&str> = finder
                    .segment_matches(context, pattern, &glob)
                    .unwrap()
                    .iter()
                    .flat_map(|&(p, is_dir)| {
                        let own = (!is_dir).then_some(p);
                        let under =
                            is_dir.then(|| facts.listing.files_under(p).map(|f| f.path.as_str()));
                        own.into_iter().chain(under.into_iter().flatten())
                    })
                    .collect();
                walked.sort_unstable();
                let scanned: Vec<&str> = finder
                    .scan(context, &glob)
                    .iter()
                    .map(|&(p, _)| p)
                    .collect();
                assert_eq!(walked, scanned, "{pattern} in {context:?}");
            }
        }
        // `**`, alternatives and escapes are left to the scan.
        for pattern in ["**/*.js", "app/{src,conf}/*", "a\\*"] {
            let glob = compiled_glob(pattern).unwrap();
            assert!(finder.segment_matches("", pattern, &glob).is_none());
        }
        // A bracket holding a `/` leaves an unclosed bracket in a segment.
        if let Some(glob) = compiled_glob("app[/]src/*") {
            assert!(finder.segment_matches("", "app[/]src/*", &glob).is_none());
        }
    }

    #[test]
    fn globs_compile_once_and_match_alike() {
        for _ in 0..2 {
            let g = compiled_glob("package*.json").unwrap();
            assert!(g.is_match("package.json") && g.is_match("package-lock.json"));
            // `*` does not cross folders (literal separator, as in Docker).
            assert!(!g.is_match("sub/package.json"));
            assert!(compiled_glob("a[").is_none());
        }
    }
}
