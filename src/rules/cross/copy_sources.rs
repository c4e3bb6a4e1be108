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

pub(crate) fn source_state<'a>(
    facts: &'a crate::parse::Facts,
    dockerfile: &str,
    context: &str,
    src: &CopySource<'_>,
) -> SourceState<'a> {
    if under_skipped_dir(&src.path) && !is_build_output(&src.path) {
        return SourceState::Unknown;
    }
    let ignore = facts.dockerignore_for(dockerfile, context);
    let full = crate::paths::join(context, &src.path).unwrap_or_default();
    // The listed files the source stands for, relative to the context.
    let matched: Vec<&str> = if src.glob {
        let Some(glob) = compiled_glob(&src.path) else {
            return SourceState::Unknown;
        };
        facts
            .listing
            .files_under(context)
            .map(|f| crate::paths::relative_to(context, &f.path))
            .filter(|r| {
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
            .collect()
    } else if facts.listing.has_file(&full) {
        vec![src.path.as_str()]
    } else if facts.listing.has_dir(&full) {
        let files: Vec<&str> = facts
            .listing
            .files_under(&full)
            .map(|f| crate::paths::relative_to(context, &f.path))
            .collect();
        if files.is_empty() {
            // An empty (or wholly git-ignored) folder still exists.
            return match ignore.and_then(|i| i.excluding_pattern(&src.path)) {
                Some(p) => SourceState::Excluded(p),
                None => SourceState::Present,
            };
        }
        files
    } else {
        Vec::new()
    };
    if matched.is_empty() {
        return if is_build_output(&src.path) {
            SourceState::Generated
        } else {
            SourceState::Missing
        };
    }
    let Some(ignore) = ignore else {
        return SourceState::Present;
    };
    if matched.iter().any(|m| !ignore.is_excluded(m)) {
        return SourceState::Present;
    }
    match matched.first().and_then(|m| ignore.excluding_pattern(m)) {
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
        facts: &'f crate::parse::Facts,
        src: &CopySource<'_>,
    ) -> SourceState<'f> {
        let state = source_state(facts, &self.df.path, &self.context, src);
        if self.declared || matches!(state, SourceState::Present | SourceState::Unknown) {
            return state;
        }
        let mut dir = self.context.as_str();
        while !dir.is_empty() {
            dir = crate::paths::parent(dir);
            if matches!(
                source_state(facts, &self.df.path, dir, src),
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
        for (i, b) in builds.iter().enumerate() {
            for src in copy_sources(b.df, &b.args) {
                let state = b.judge(cx.facts, &src);
                sources.push((i, src, state));
            }
        }
    }
    CopyJudgement { builds, sources }
}

#[cfg(test)]
mod tests {
    use super::compiled_glob;

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
