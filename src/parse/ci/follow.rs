//! Following CI scripts into the repo's own files: `make <target>`
//! (`-C dir`, `-f file`, prerequisites, simple variables, pattern rules,
//! command-line variables), `just <recipe>`, `task <name>` (Taskfile),
//! `npm run <x>`/`yarn <x>`/`pnpm <x>`, and shell scripts (`./scripts/x.sh`,
//! `bash scripts/x.sh`, `source x.sh`). Followed meanings are located where
//! they are written (the Makefile or script line) and their paths are
//! rebased so that resolving them against the CI step's working directory
//! gives the right repo path. `cd dir` moves the commands after it.

use super::follow_make as mk;
use super::follow_task as tk;
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
        /// Command-line variables (`IMAGE=x`).
        vars: Vec<(String, String)>,
    },
    Task {
        dir: Option<String>,
        file: Option<String>,
        tasks: Vec<String>,
        vars: Vec<(String, String)>,
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
    /// A script of the repo and its arguments (`None` for one that is not
    /// a literal).
    Script {
        path: String,
        args: Vec<Option<String>>,
    },
    /// `nx <args>` (also through `npx`, `yarn`, `pnpm exec`).
    Nx(Vec<String>),
}

/// The images a GoReleaser container builds: its command is GoReleaser's
/// arguments, or (with the entrypoint replaced) a `sh -c` script running
/// `goreleaser ...`.
fn goreleaser_in_image(
    tree: &Tree,
    dir: &str,
    command: &[String],
) -> Vec<kubeready_shell::ImageBuild> {
    let shell_script = match command {
        [sh, flag, script, ..]
            if matches!(sh.rsplit('/').next(), Some("sh" | "bash" | "ash"))
                && flag.starts_with('-')
                && flag.ends_with('c') =>
        {
            Some(script)
        }
        _ => None,
    };
    let Some(script) = shell_script else {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        return super::goreleaser::builds(tree, dir, &args);
    };
    kubeready_shell::parse_script(script)
        .commands
        .iter()
        .filter_map(|c| super::goreleaser::args_of_command(argv(&c.words)))
        .flat_map(|args| super::goreleaser::builds(tree, dir, &args))
        .collect()
}

/// The arguments of an Nx run: `nx ...`, `npx nx ...`, `yarn nx ...`,
/// `pnpm [exec] nx ...`.
fn nx_args(prog: &str, rest: &[String]) -> Option<Vec<String>> {
    if prog == "nx" {
        return Some(rest.to_vec());
    }
    if !matches!(prog, "npx" | "yarn" | "pnpm" | "bun" | "bunx") {
        return None;
    }
    let mut words = rest.iter().skip_while(|w| w.starts_with('-'));
    let mut first = words.next()?;
    if matches!(first.as_str(), "exec" | "dlx" | "x") {
        first = words.next()?;
    }
    (first == "nx").then(|| words.cloned().collect())
}

/// `NAME=value` as a variable (quotes around the value removed).
fn assignment(word: &str) -> Option<(String, String)> {
    let (k, v) = word.split_once('=')?;
    let valid = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| (k.to_string(), v.trim_matches(['"', '\'']).to_string()))
}

/// A script's arguments: each literal one as written, `None` for one
/// holding a variable or a command's output.
fn literal_args(words: &[String]) -> Vec<Option<String>> {
    words
        .iter()
        .take_while(|w| !matches!(w.as_str(), "|" | "&&" | "||" | ";" | ">" | ">>"))
        .map(|w| (!w.contains(['$', '`'])).then(|| w.clone()))
        .collect()
}

fn call_of(words: &[String]) -> Option<Call> {
    let argv = argv(words);
    let first = argv.first()?.as_str();
    let rest = argv.get(1..).unwrap_or(&[]);
    let prog = first.rsplit('/').next().unwrap_or(first);
    if let Some(args) = nx_args(prog, rest) {
        return Some(Call::Nx(args));
    }
    match prog {
        "make" | "gmake" if !first.contains("$(") => {
            let mut dir = None;
            let mut file = None;
            let mut targets = Vec::new();
            let mut vars = Vec::new();
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
                    s if s.starts_with('-') => {}
                    s if s.contains('=') => vars.extend(assignment(s)),
                    s => targets.push(s.to_string()),
                }
            }
            Some(Call::Make {
                dir,
                file,
                targets,
                vars,
            })
        }
        "task" | "go-task" => {
            let mut dir = None;
            let mut file = None;
            let mut tasks = Vec::new();
            let mut vars = Vec::new();
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                i += 1;
                match a.as_str() {
                    "-d" | "--dir" => dir = rest.get(i).cloned().inspect(|_| i += 1),
                    "-t" | "--taskfile" => file = rest.get(i).cloned().inspect(|_| i += 1),
                    "--" => break,
                    s if s.starts_with('-') => {}
                    s if s.contains('=') => vars.extend(assignment(s)),
                    s => tasks.push(s.to_string()),
                }
            }
            Some(Call::Task {
                dir,
                file,
                tasks,
                vars,
            })
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
            let at = rest.iter().position(|a| !a.starts_with('-'))?;
            let script = rest.get(at).filter(|a| !a.contains('$'))?;
            if matches!(prog, "bash" | "sh" | "zsh") && rest.iter().any(|a| a == "-c") {
                return None;
            }
            Some(Call::Script {
                path: script.clone(),
                args: literal_args(rest.get(at + 1..).unwrap_or(&[])),
            })
        }
        _ if !first.contains('$')
            && !matches!(prog, "gradlew" | "mvnw" | "gradlew.bat" | "mvnw.cmd")
            && (first.ends_with(".sh")
                || first.starts_with("./")
                || first.starts_with("scripts/")
                || first.starts_with("bin/")) =>
        {
            Some(Call::Script {
                path: first.to_string(),
                args: literal_args(rest),
            })
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
        let in_subshell = subshell_lines(script);
        for c in parsed.commands.iter().filter(|c| !c.nested) {
            let argv = argv(&c.words);
            let Some(prog) = argv.first() else { continue };
            // `( cd web && pnpm build )` leaves the script where it was.
            if in_subshell.get(c.line as usize).copied().unwrap_or(false) {
                continue;
            }
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
                    goreleaser_in_image(self.tree, &dir, command)
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
                vars,
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
                    self.make_target(&makefile, None, &run_dir, depth, &vars);
                }
                for t in targets {
                    self.make_target(&makefile, Some(&t), &run_dir, depth, &vars);
                }
            }
            Call::Task {
                dir: d,
                file,
                tasks,
                vars,
            } => {
                let start = match d {
                    Some(d) => match join_dir(dir, &d) {
                        Some(x) => x,
                        None => return,
                    },
                    None => dir.to_string(),
                };
                let taskfile = match file {
                    Some(f) => join_dir(&start, &f),
                    None => find_upwards(self.tree, &start, tk::TASKFILE_NAMES),
                };
                let Some(taskfile) = taskfile else { return };
                if tasks.is_empty() {
                    self.task(&taskfile, None, depth, &vars);
                }
                for t in tasks {
                    self.task(&taskfile, Some(&t), depth, &vars);
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
            Call::Nx(args) => {
                let Some(run) = super::follow_nx::parse_args(&args) else {
                    return;
                };
                let Some(nx_json) = find_upwards(self.tree, dir, &["nx.json"]) else {
                    return;
                };
                let key = format!("{nx_json}#{}", run.target);
                if !self.enter(&key) {
                    return;
                }
                let workspace = paths::parent(&nx_json).to_string();
                for action in super::follow_nx::actions(self.tree, &nx_json, &run) {
                    match action {
                        super::follow_nx::NxAction::Build { file, line, build } => {
                            let meaning = self.rebase(Meaning::ImageBuild(build), &workspace);
                            self.out.push(LocatedMeaning {
                                file,
                                line,
                                meaning,
                            });
                        }
                        super::follow_nx::NxAction::Commands {
                            file,
                            line,
                            script,
                            cwd,
                        } => {
                            let cwd =
                                join_dir(&workspace, &cwd).unwrap_or_else(|| workspace.clone());
                            self.script(&file, line, &script, &cwd, depth);
                        }
                    }
                }
                self.stack.pop();
            }
            Call::Script { path, args } => {
                let Some(p) = join_dir(dir, &path) else {
                    return;
                };
                if !self.tree.has_file(&p) {
                    return;
                }
                let Ok(text) = self.tree.read_text(&p) else {
                    return;
                };
                let text = super::follow_vars::bind(&text, Some(&path), &args);
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

    fn make_target(
        &mut self,
        makefile: &str,
        target: Option<&str>,
        run_dir: &str,
        depth: usize,
        overrides: &[(String, String)],
    ) {
        let Ok(text) = self.tree.read_text(makefile) else {
            return;
        };
        let lines: Vec<&str> = text.lines().collect();
        let mut vars = mk::variables(&lines);
        mk::override_variables(&mut vars, overrides);
        let Some(rule) = mk::find_rule(&lines, &vars, target) else {
            return;
        };
        let key = format!("{makefile}#{}", rule.name);
        if !self.enter(&key) {
            return;
        }
        if depth < MAX_FOLLOW_DEPTH {
            for dep in &rule.prerequisites {
                if mk::find_rule(&lines, &vars, Some(dep)).is_some() {
                    self.make_target(makefile, Some(dep), run_dir, depth + 1, overrides);
                }
            }
        }
        for (lineno, cmd) in mk::recipe_lines(&lines, rule.line, '\t') {
            let cmd = mk::expand_recipe(&cmd, &rule, &vars);
            self.script(makefile, lineno, &cmd, run_dir, depth);
        }
        self.stack.pop();
    }

    /// A Taskfile task: its deps and commands, run in the Taskfile's
    /// folder (or its `dir:`).
    fn task(
        &mut self,
        taskfile: &str,
        name: Option<&str>,
        depth: usize,
        vars: &[(String, String)],
    ) {
        let Ok(text) = self.tree.read_text(taskfile) else {
            return;
        };
        let Some(plan) = tk::plan(&text, name, vars) else {
            return;
        };
        let key = format!("{taskfile}#{}", plan.name);
        if !self.enter(&key) {
            return;
        }
        let home = paths::parent(taskfile).to_string();
        let run_dir = match &plan.dir {
            Some(d) => join_dir(&home, d).unwrap_or_else(|| home.clone()),
            None => home,
        };
        for step in plan.steps {
            match step {
                tk::TaskStep::Shell { line, script } => {
                    self.script(taskfile, line, &script, &run_dir, depth);
                }
                tk::TaskStep::Task { name, vars } if depth < MAX_FOLLOW_DEPTH => {
                    self.task(taskfile, Some(&name), depth + 1, &vars);
                }
                tk::TaskStep::Task { .. } => {}
            }
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
        for (lineno, cmd) in mk::recipe_lines(&lines, found.line as usize, ' ') {
            self.script(justfile, lineno, &cmd, run_dir, depth);
        }
        self.stack.pop();
    }

    /// A build reading its context from stdin (`ctx-tool api/Dockerfile |
    /// docker build -`) names its Dockerfile only through the producing
    /// tool, which may run at a workspace root above `dir`: the Dockerfile
    /// is the first that exists from `dir` upwards, made relative to `dir`.
    fn piped_dockerfile(&self, meaning: Meaning, dir: &str) -> Meaning {
        let Meaning::ImageBuild(mut b) = meaning else {
            return meaning;
        };
        if b.context.as_deref() != Some("-") {
            return Meaning::ImageBuild(b);
        }
        let Some(file) = b.dockerfile.take() else {
            return Meaning::ImageBuild(b);
        };
        let mut base = dir.to_string();
        let found = loop {
            if let Some(p) = join_dir(&base, &file).filter(|p| self.tree.has_file(p)) {
                break Some(p);
            }
            if base.is_empty() {
                break None;
            }
            base = paths::parent(&base).to_string();
        };
        // Not in the repo: the build's Dockerfile is unknown.
        b.dockerfile =
            found.map(|p| rel_join(&relative(dir, paths::parent(&p)), paths::file_name(&p)));
        Meaning::ImageBuild(b)
    }

    /// Makes a meaning's paths (written relative to `dir`) relative to the
    /// CI step's working directory.
    fn rebase(&self, meaning: Meaning, dir: &str) -> Meaning {
        let meaning = self.piped_dockerfile(meaning, dir);
        let meaning = from_checkout_root(meaning, dir);
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

/// Paths written from a checkout-root variable (`docker build
/// "$(Build.SourcesDirectory)"`, `-f $GITHUB_WORKSPACE/web/Dockerfile`)
/// name repo paths wherever the script runs: made relative to `dir`, the
/// folder the command runs in, like every other path of a meaning.
fn from_checkout_root(meaning: Meaning, dir: &str) -> Meaning {
    let fix = |p: &mut String| {
        let Some(repo) = super::known::checkout_root_path(p) else {
            return;
        };
        let rel = rel_join(
            &relative(dir, paths::parent(&repo)),
            paths::file_name(&repo),
        );
        *p = if rel.is_empty() { ".".to_string() } else { rel };
    };
    match meaning {
        Meaning::ImageBuild(mut b) => {
            if let Some(c) = b.context.as_mut() {
                fix(c);
            }
            if let Some(f) = b.dockerfile.as_mut() {
                fix(f);
            }
            Meaning::ImageBuild(b)
        }
        Meaning::Compose(mut c) => {
            c.files.iter_mut().for_each(fix);
            if let Some(p) = c.project_dir.as_mut() {
                fix(p);
            }
            Meaning::Compose(c)
        }
        Meaning::Deploy(mut d) => {
            d.files.iter_mut().for_each(fix);
            Meaning::Deploy(d)
        }
        m => m,
    }
}

const COMPOSE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// Which lines of `script` run in a subshell: between a line `(` and its
/// `)`, or on a line that starts with `(` (`(cd web && make)`).
fn subshell_lines(script: &str) -> Vec<bool> {
    let mut depth = 0usize;
    script
        .lines()
        .map(|l| {
            let t = l.trim();
            if t == "(" {
                depth += 1;
                return true;
            }
            if depth > 0 && t.starts_with(')') {
                depth -= 1;
                return true;
            }
            depth > 0 || (t.starts_with('(') && !t.starts_with("(("))
        })
        .collect()
}

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
    fn a_cd_in_a_subshell_keeps_the_directory() {
        let (_d, tree) = crate::parse::ci::known::testing::tree(&[("web/Dockerfile", "FROM x\n")]);
        let script = "(\n  cd docs\n  make\n)\n(cd site && make)\ndocker build web\n";
        let (out, end) = script_meanings(&tree, "ci.yml", 3, script, "");
        assert!(
            matches!(out.first().map(|m| &m.meaning),
            Some(Meaning::ImageBuild(b)) if b.context.as_deref() == Some("web")),
            "{out:?}"
        );
        assert_eq!(end, "");
        assert_eq!(
            subshell_lines("a\n(\ncd x\n)\n(cd y)\n((i++))\n"),
            [false, true, true, true, true, false]
        );
    }

    #[test]
    fn checkout_root_paths_are_repo_paths() {
        let (_d, tree) = crate::parse::ci::known::testing::tree(&[("web/Dockerfile", "FROM x\n")]);
        let script = "docker build -f \"$(Build.SourcesDirectory)/web/Dockerfile\" \"$(Build.SourcesDirectory)\"";
        let (out, _) = script_meanings(&tree, "ci.yml", 3, script, "vscode");
        match out.first().map(|m| &m.meaning) {
            Some(Meaning::ImageBuild(b)) => {
                assert_eq!(b.context.as_deref(), Some(".."));
                assert_eq!(b.dockerfile.as_deref(), Some("../web/Dockerfile"));
            }
            other => unreachable!("not a build: {other:?}"),
        }
        let (out, _) =
            script_meanings(&tree, "ci.yml", 3, "docker build $GITHUB_WORKSPACE/web", "");
        assert!(matches!(out.first().map(|m| &m.meaning),
            Some(Meaning::ImageBuild(b)) if b.context.as_deref() == Some("web")));
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
        match call_of(&w(".tool/task -d ci release IMAGE=acme/api")) {
            Some(Call::Task {
                dir, tasks, vars, ..
            }) => {
                assert_eq!(dir.as_deref(), Some("ci"));
                assert_eq!(tasks, vec!["release"]);
                assert_eq!(vars, vec![("IMAGE".to_string(), "acme/api".to_string())]);
            }
            _ => unreachable!("not a task call"),
        }
        assert!(matches!(
            call_of(&w("sudo ./scripts/build.sh")),
            Some(Call::Script { path, args }) if path == "./scripts/build.sh" && args.is_empty()
        ));
    }
}
