//! Following CI scripts into the repo's own files: `make <target>`
//! (`-C dir`, `-f file`, prerequisites, simple variables), `just <recipe>`,
//! `npm run <x>`/`yarn <x>`/`pnpm <x>`, and shell scripts (`./scripts/x.sh`,
//! `bash scripts/x.sh`, `source x.sh`). Followed meanings are located where
//! they are written (the Makefile or script line) and their paths are
//! rebased so that resolving them against the CI step's working directory
//! gives the right repo path. `cd dir` moves the commands after it.

use super::LocatedMeaning;
use crate::parse::devenv;
use crate::paths;
use crate::walk::Tree;
use kubeready_shell::Meaning;

/// How many files/targets deep a script is followed.
pub const MAX_FOLLOW_DEPTH: usize = 4;
/// How many targets and scripts one CI script may follow in all.
const MAX_FOLLOWED: usize = 128;

/// The meanings of `script` (at `line` of `file`, run in `workdir`) and of
/// what it calls in the repo; and the directory it ends in.
pub fn script_meanings(
    tree: &Tree,
    file: &str,
    line: u32,
    script: &str,
    workdir: &str,
) -> (Vec<LocatedMeaning>, String) {
    let mut f = Follower {
        tree,
        workdir: workdir.to_string(),
        stack: Vec::new(),
        followed: 0,
        out: Vec::new(),
    };
    let end = f.script(file, line, script, workdir, 0);
    (f.out, end)
}

struct Follower<'a> {
    tree: &'a Tree,
    /// The CI step's working directory (meanings are rebased against it).
    workdir: String,
    /// Files/targets being followed (cycle guard).
    stack: Vec<String>,
    followed: usize,
    out: Vec<LocatedMeaning>,
}

/// The program's words, leading assignments and `sudo`/`env`/`exec`
/// wrappers skipped.
fn argv(words: &[String]) -> &[String] {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let is_assign = w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if is_assign
            || matches!(
                w.as_str(),
                "sudo" | "env" | "exec" | "time" | "command" | "nohup"
            )
        {
            i += 1;
            continue;
        }
        if w.starts_with('-') && i > 0 && matches!(words[i - 1].as_str(), "sudo" | "env") {
            i += 1;
            continue;
        }
        break;
    }
    words.get(i..).unwrap_or(&[])
}

/// What a command hands over to a file of the repo.
enum Call {
    Make {
        dir: Option<String>,
        file: Option<String>,
        targets: Vec<String>,
    },
    Just {
        file: Option<String>,
        dir: Option<String>,
        recipe: Option<String>,
    },
    Npm {
        dir: Option<String>,
        script: String,
    },
    Script(String),
}

fn call_of(words: &[String]) -> Option<Call> {
    let argv = argv(words);
    let first = argv.first()?.as_str();
    let rest = argv.get(1..).unwrap_or(&[]);
    let prog = first.rsplit('/').next().unwrap_or(first);
    match prog {
        "make" | "gmake" if !first.contains("$(") => {
            let mut dir = None;
            let mut file = None;
            let mut targets = Vec::new();
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                i += 1;
                match a.as_str() {
                    "-C" | "--directory" => dir = rest.get(i).cloned().inspect(|_| i += 1),
                    "-f" | "--file" | "--makefile" => {
                        file = rest.get(i).cloned().inspect(|_| i += 1)
                    }
                    "-j" | "-l" | "-I" | "-o" | "-W" => i += 1,
                    s if s.starts_with("--directory=") => {
                        dir = s.split_once('=').map(|(_, v)| v.to_string())
                    }
                    s if s.starts_with("--file=") || s.starts_with("--makefile=") => {
                        file = s.split_once('=').map(|(_, v)| v.to_string())
                    }
                    s if s.starts_with("-C") && s.len() > 2 => dir = Some(s[2..].to_string()),
                    s if s.starts_with("-f") && s.len() > 2 => file = Some(s[2..].to_string()),
                    s if s.starts_with('-') || s.contains('=') => {}
                    s => targets.push(s.to_string()),
                }
            }
            Some(Call::Make { dir, file, targets })
        }
        "just" => {
            let mut file = None;
            let mut dir = None;
            let mut recipe = None;
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                i += 1;
                match a.as_str() {
                    "-f" | "--justfile" => file = rest.get(i).cloned().inspect(|_| i += 1),
                    "-d" | "--working-directory" => dir = rest.get(i).cloned().inspect(|_| i += 1),
                    "--set" => i += 2,
                    s if s.starts_with('-') || s.contains('=') => {}
                    s => {
                        recipe = Some(s.to_string());
                        break;
                    }
                }
            }
            Some(Call::Just { file, dir, recipe })
        }
        "npm" | "yarn" | "pnpm" | "bun" => {
            let mut dir = None;
            let mut pos: Vec<&str> = Vec::new();
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                i += 1;
                match a.as_str() {
                    "--prefix" | "--cwd" | "-C" | "--dir" => {
                        dir = rest.get(i).cloned().inspect(|_| i += 1)
                    }
                    "--" => break,
                    s if s.starts_with('-') => {}
                    s => pos.push(s),
                }
            }
            let script = match (prog, pos.first().copied()) {
                (_, Some("run") | Some("run-script")) => pos.get(1).map(|s| s.to_string()),
                (_, Some(s @ ("start" | "test" | "stop" | "restart"))) => Some(s.to_string()),
                ("npm", _) => None,
                (
                    _,
                    Some(
                        "install" | "add" | "remove" | "i" | "ci" | "exec" | "dlx" | "x" | "create"
                        | "workspace" | "workspaces" | "why" | "config" | "set" | "cache"
                        | "global" | "link" | "pack" | "publish" | "version" | "audit",
                    ),
                ) => None,
                (_, Some(s)) => Some(s.to_string()),
                (_, None) => None,
            }?;
            Some(Call::Npm { dir, script })
        }
        "bash" | "sh" | "zsh" | "source" | "." => {
            let script = rest
                .iter()
                .find(|a| !a.starts_with('-'))
                .filter(|a| !a.contains('$'))?;
            if matches!(prog, "bash" | "sh" | "zsh") && rest.iter().any(|a| a == "-c") {
                return None;
            }
            Some(Call::Script(script.clone()))
        }
        _ if !first.contains('$')
            && !matches!(prog, "gradlew" | "mvnw" | "gradlew.bat" | "mvnw.cmd")
            && (first.ends_with(".sh")
                || first.starts_with("./")
                || first.starts_with("scripts/")
                || first.starts_with("bin/")) =>
        {
            Some(Call::Script(first.to_string()))
        }
        _ => None,
    }
}

impl Follower<'_> {
    /// Classifies `script` (run in `cwd`, a repo path) and follows what it
    /// calls; returns the directory it ends in.
    fn script(&mut self, file: &str, line: u32, script: &str, cwd: &str, depth: usize) -> String {
        let parsed = kubeready_shell::parse_script(script);
        // Directory changes, in order: (line offset, directory after).
        let mut dirs: Vec<(u32, String)> = Vec::new();
        let mut here = cwd.to_string();
        let mut pushed: Vec<String> = Vec::new();
        for c in parsed.commands.iter().filter(|c| !c.nested) {
            let argv = argv(&c.words);
            let Some(prog) = argv.first() else { continue };
            let arg = argv
                .get(1..)
                .unwrap_or(&[])
                .iter()
                .find(|a| !a.starts_with('-'));
            let next = match (prog.as_str(), arg) {
                ("cd" | "pushd", Some(a)) if !a.contains('$') && !a.starts_with('~') => {
                    if prog == "pushd" {
                        pushed.push(here.clone());
                    }
                    paths::join(&here, a).map(|p| p.trim_start_matches('/').to_string())
                }
                ("popd", _) => pushed.pop(),
                _ => None,
            };
            if let Some(n) = next {
                here = n;
                dirs.push((c.line, here.clone()));
            }
        }
        let dir_at = |offset: u32| -> String {
            dirs.iter()
                .rev()
                .find(|(l, _)| *l <= offset)
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| cwd.to_string())
        };
        for (offset, meaning) in kubeready_shell::classify_script(script) {
            let dir = dir_at(offset);
            // `docker run goreleaser/goreleaser release`: GoReleaser runs
            // on the mounted checkout (the current folder).
            let released = match &meaning {
                Meaning::ImageRun { image, command, .. }
                    if super::goreleaser::is_goreleaser_image(image) =>
                {
                    let args: Vec<&str> = command.iter().map(String::as_str).collect();
                    super::goreleaser::builds(self.tree, &dir, &args)
                }
                _ => Vec::new(),
            };
            let meaning = self.rebase(meaning, &dir);
            self.out.push(LocatedMeaning {
                file: file.to_string(),
                line: line + offset,
                meaning,
            });
            for b in released {
                let meaning = self.rebase(Meaning::ImageBuild(b), &dir);
                self.out.push(LocatedMeaning {
                    file: file.to_string(),
                    line: line + offset,
                    meaning,
                });
            }
        }
        // `goreleaser release`: the images its config declares.
        for c in &parsed.commands {
            let Some(args) = super::goreleaser::args_of_command(argv(&c.words)) else {
                continue;
            };
            let dir = dir_at(c.line);
            for b in super::goreleaser::builds(self.tree, &dir, &args) {
                let meaning = self.rebase(Meaning::ImageBuild(b), &dir);
                self.out.push(LocatedMeaning {
                    file: file.to_string(),
                    line: line + c.line,
                    meaning,
                });
            }
        }
        if depth >= MAX_FOLLOW_DEPTH {
            return here;
        }
        for c in &parsed.commands {
            if self.followed >= MAX_FOLLOWED {
                break;
            }
            let Some(call) = call_of(&c.words) else {
                continue;
            };
            let dir = dir_at(c.line);
            self.call(call, &dir, depth + 1);
        }
        here
    }

    fn call(&mut self, call: Call, dir: &str, depth: usize) {
        match call {
            Call::Make {
                dir: d,
                file,
                targets,
            } => {
                let run_dir = match d {
                    Some(d) => match join_dir(dir, &d) {
                        Some(x) => x,
                        None => return,
                    },
                    None => dir.to_string(),
                };
                let makefile = match file {
                    Some(f) => join_dir(&run_dir, &f),
                    None => ["GNUmakefile", "makefile", "Makefile"]
                        .iter()
                        .filter_map(|n| paths::join(&run_dir, n))
                        .find(|p| self.tree.has_file(p)),
                };
                let Some(makefile) = makefile else { return };
                if targets.is_empty() {
                    self.make_target(&makefile, None, &run_dir, depth);
                }
                for t in targets {
                    self.make_target(&makefile, Some(&t), &run_dir, depth);
                }
            }
            Call::Just {
                file,
                dir: d,
                recipe,
            } => {
                let justfile = match file {
                    Some(f) => join_dir(dir, &f),
                    None => find_upwards(self.tree, dir, &["justfile", ".justfile", "Justfile"]),
                };
                let Some(justfile) = justfile else { return };
                let run_dir = match d {
                    Some(d) => join_dir(dir, &d).unwrap_or_else(|| dir.to_string()),
                    None => paths::parent(&justfile).to_string(),
                };
                self.just_recipe(&justfile, recipe.as_deref(), &run_dir, depth);
            }
            Call::Npm { dir: d, script } => {
                let pkg_dir = match d {
                    Some(d) => match join_dir(dir, &d) {
                        Some(x) => x,
                        None => return,
                    },
                    None => dir.to_string(),
                };
                let Some(pkg) = paths::join(&pkg_dir, "package.json") else {
                    return;
                };
                let Ok(text) = self.tree.read_text(&pkg) else {
                    return;
                };
                let scripts = devenv::parse_npm_scripts(&pkg, &text);
                for name in [
                    format!("pre{script}"),
                    script.clone(),
                    format!("post{script}"),
                ] {
                    let Some(t) = scripts.iter().find(|t| t.name == name) else {
                        continue;
                    };
                    let key = format!("{pkg}#{name}");
                    if self.enter(&key) {
                        self.script(&pkg, t.line, &t.recipe, &pkg_dir, depth);
                        self.stack.pop();
                    }
                }
            }
            Call::Script(path) => {
                let Some(p) = join_dir(dir, &path) else {
                    return;
                };
                if !self.tree.has_file(&p) {
                    return;
                }
                let Ok(text) = self.tree.read_text(&p) else {
                    return;
                };
                if self.enter(&p) {
                    self.script(&p, 1, &text, dir, depth);
                    self.stack.pop();
                }
            }
        }
    }

    /// Pushes `key` on the follow stack unless it is already there (cycle)
    /// or the budget is spent.
    fn enter(&mut self, key: &str) -> bool {
        if self.stack.iter().any(|k| k == key) || self.followed >= MAX_FOLLOWED {
            return false;
        }
        self.followed += 1;
        self.stack.push(key.to_string());
        true
    }

    fn make_target(&mut self, makefile: &str, target: Option<&str>, run_dir: &str, depth: usize) {
        let Ok(text) = self.tree.read_text(makefile) else {
            return;
        };
        let targets = devenv::parse_makefile(makefile, &text);
        let found = match target {
            Some(t) => targets.iter().find(|x| x.name == t),
            None => targets.first(),
        };
        let Some(found) = found else { return };
        let key = format!("{makefile}#{}", found.name);
        if !self.enter(&key) {
            return;
        }
        let lines: Vec<&str> = text.lines().collect();
        let vars = make_variables(&lines);
        let head = lines
            .get(found.line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("");
        for dep in prerequisites(head) {
            if depth < MAX_FOLLOW_DEPTH && targets.iter().any(|t| t.name == dep) {
                self.make_target(makefile, Some(&dep), run_dir, depth + 1);
            }
        }
        for (lineno, cmd) in recipe_lines(&lines, found.line as usize, '\t') {
            let cmd = expand_make(&cmd, &vars);
            self.script(makefile, lineno, &cmd, run_dir, depth);
        }
        self.stack.pop();
    }

    fn just_recipe(&mut self, justfile: &str, recipe: Option<&str>, run_dir: &str, depth: usize) {
        let Ok(text) = self.tree.read_text(justfile) else {
            return;
        };
        let recipes = devenv::parse_justfile(justfile, &text);
        let found = match recipe {
            Some(r) => recipes.iter().find(|x| x.name == r),
            None => recipes.first(),
        };
        let Some(found) = found else { return };
        let key = format!("{justfile}#{}", found.name);
        if !self.enter(&key) {
            return;
        }
        let lines: Vec<&str> = text.lines().collect();
        let head = lines
            .get(found.line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("");
        let deps_part = head
            .split_once(':')
            .map(|(_, d)| d.replace("&&", " "))
            .unwrap_or_default();
        for dep in deps_part.split_whitespace() {
            let dep = dep.trim_start_matches('(');
            if depth < MAX_FOLLOW_DEPTH && recipes.iter().any(|t| t.name == dep) {
                self.just_recipe(justfile, Some(dep), run_dir, depth + 1);
            }
        }
        for (lineno, cmd) in recipe_lines(&lines, found.line as usize, ' ') {
            self.script(justfile, lineno, &cmd, run_dir, depth);
        }
        self.stack.pop();
    }

    /// Makes a meaning's paths (written relative to `dir`) relative to the
    /// CI step's working directory.
    fn rebase(&self, meaning: Meaning, dir: &str) -> Meaning {
        if dir == self.workdir {
            return meaning;
        }
        let prefix = relative(&self.workdir, dir);
        let r = |p: &str| rel_join(&prefix, p);
        match meaning {
            Meaning::ImageBuild(mut b) => {
                b.context = Some(match b.context.take() {
                    Some(c) => r(&c),
                    None => prefix.clone(),
                });
                b.dockerfile = b.dockerfile.take().map(|f| r(&f));
                Meaning::ImageBuild(b)
            }
            Meaning::Compose(mut c) => {
                if c.files.is_empty() && c.project_dir.is_none() && c.remote.is_none() {
                    let found = COMPOSE_NAMES
                        .iter()
                        .filter_map(|n| paths::join(dir, n))
                        .find(|p| self.tree.has_file(p));
                    if let Some(f) = found {
                        c.files.push(r(paths::file_name(&f)));
                    }
                } else {
                    c.files = c.files.iter().map(|f| r(f)).collect();
                }
                c.project_dir = c.project_dir.take().map(|p| r(&p));
                Meaning::Compose(c)
            }
            Meaning::Deploy(mut d) => {
                d.files = d.files.iter().map(|f| r(f)).collect();
                Meaning::Deploy(d)
            }
            Meaning::GitOpsBump { tool, image, file } => Meaning::GitOpsBump {
                tool,
                image,
                file: file.map(|f| r(&f)),
            },
            m => m,
        }
    }
}

const COMPOSE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

fn join_dir(base: &str, rel: &str) -> Option<String> {
    if rel.contains('$') || rel.starts_with('/') {
        return None;
    }
    paths::join(base, rel)
}

fn find_upwards(tree: &Tree, dir: &str, names: &[&str]) -> Option<String> {
    let mut d = dir.to_string();
    loop {
        for n in names {
            if let Some(p) = paths::join(&d, n) {
                if tree.has_file(&p) {
                    return Some(p);
                }
            }
        }
        if d.is_empty() {
            return None;
        }
        d = paths::parent(&d).to_string();
    }
}

/// The path from `from` to `to` (repo paths), `""` when equal.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; f.len() - common];
    parts.extend(t.iter().skip(common));
    parts.join("/")
}

/// Joins `p` onto a relative `prefix`, keeping leading `..`; absolute
/// paths, URLs, `-` and variables are left alone.
pub(crate) fn rel_join(prefix: &str, p: &str) -> String {
    if prefix.is_empty()
        || p.starts_with('/')
        || p.contains("://")
        || p.starts_with("git@")
        || p == "-"
        || p.starts_with('$')
    {
        return p.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in prefix.split('/').chain(p.split('/')) {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Prerequisites of a rule line (`build: deps | order-only ; recipe`).
fn prerequisites(head: &str) -> Vec<String> {
    let Some((_, rest)) = head.split_once(':') else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches(':');
    let rest = rest.split(';').next().unwrap_or("");
    rest.split_whitespace()
        .filter(|w| *w != "|" && !w.contains('$') && !w.contains('%'))
        .map(str::to_string)
        .collect()
}

/// The recipe lines after the rule at 1-based `rule_line`: lines starting
/// with `indent` (a tab for make, any indentation for just), blank and
/// comment lines skipped, `\` continuations joined (kept on their lines).
fn recipe_lines(lines: &[&str], rule_line: usize, indent: char) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut continuing = false;
    for (i, l) in lines.iter().enumerate().skip(rule_line) {
        let lineno = i as u32 + 1;
        let indented = if indent == '\t' {
            l.starts_with('\t')
        } else {
            l.starts_with(' ') || l.starts_with('\t')
        };
        if continuing {
            if let Some((_, cmd)) = out.last_mut() {
                cmd.push('\n');
                cmd.push_str(l.trim_start_matches('\t'));
            }
            continuing = l.trim_end().ends_with('\\');
            continue;
        }
        if !indented {
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            break;
        }
        let cmd = l.trim().trim_start_matches(['@', '-', '+']).trim_start();
        if cmd.is_empty() || cmd.starts_with('#') {
            continue;
        }
        continuing = cmd.trim_end().ends_with('\\');
        out.push((lineno, cmd.to_string()));
    }
    out
}

/// Simple Makefile variables: `NAME = v`, `:=`, `::=`, `?=`, `export`.
fn make_variables(lines: &[&str]) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = Vec::new();
    for l in lines {
        if l.starts_with('\t') || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some(eq) = l.find('=') else { continue };
        let (name, value) = (&l[..eq], &l[eq + 1..]);
        let name = name.trim_end_matches([':', '?', '+', '!']).trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            continue;
        }
        let value = value.trim().to_string();
        if l[..eq].ends_with('?') && vars.iter().any(|(n, _)| n == name) {
            continue;
        }
        vars.retain(|(n, _)| n != name);
        vars.push((name.to_string(), value));
    }
    vars
}

/// Expands `$(VAR)`/`${VAR}` from the Makefile's variables (two rounds),
/// `$(MAKE)` to `make`, `$(CURDIR)` to `.`, and `$$` to `$`.
fn expand_make(cmd: &str, vars: &[(String, String)]) -> String {
    let mut s = cmd
        .replace("$(MAKE)", "make")
        .replace("${MAKE}", "make")
        .replace("$(CURDIR)", ".")
        .replace("${CURDIR}", ".");
    for _ in 0..2 {
        for (n, v) in vars {
            if s.contains('$') {
                s = s
                    .replace(&format!("$({n})"), v)
                    .replace(&format!("${{{n}}}"), v);
            }
        }
    }
    s.replace("$$", "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative("", "api"), "api");
        assert_eq!(relative("api", "api"), "");
        assert_eq!(relative("api", "web/x"), "../web/x");
        assert_eq!(rel_join("api", "."), "api");
        assert_eq!(rel_join("../web", "Dockerfile"), "../web/Dockerfile");
        assert_eq!(rel_join("api", ".."), ".");
        assert_eq!(rel_join("", "x"), "x");
    }

    #[test]
    fn make_calls() {
        let w = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        match call_of(&w("make -C services/api -j4 build push VERSION=1")) {
            Some(Call::Make { dir, targets, .. }) => {
                assert_eq!(dir.as_deref(), Some("services/api"));
                assert_eq!(targets, vec!["build", "push"]);
            }
            _ => unreachable!("not a make call"),
        }
        assert!(call_of(&w("npm install")).is_none());
        assert!(matches!(call_of(&w("yarn build")), Some(Call::Npm { .. })));
        assert!(call_of(&w("./gradlew build")).is_none());
        assert!(call_of(&w("bash -c 'x'")).is_none());
        assert!(matches!(
            call_of(&w("sudo ./scripts/build.sh")),
            Some(Call::Script(s)) if s == "./scripts/build.sh"
        ));
    }

    #[test]
    fn make_helpers() {
        let lines = vec![
            "IMAGE ?= acme/api",
            "TAG := $(shell git rev-parse HEAD)",
            "build: deps | dir",
            "\t@docker build -t $(IMAGE) \\",
            "\t  .",
            "",
            "\t$(MAKE) push",
            "other:",
        ];
        assert_eq!(prerequisites(lines[2]), vec!["deps", "dir"]);
        let r = recipe_lines(&lines, 3, '\t');
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].0, 4);
        assert_eq!(r[1].0, 7);
        let vars = make_variables(&lines);
        assert_eq!(
            expand_make(&r[0].1, &vars),
            "docker build -t acme/api \\\n  ."
        );
        assert_eq!(expand_make(&r[1].1, &vars), "make push");
    }
}
