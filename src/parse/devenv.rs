//! Developer-environment facts: how the docs say to start the app, task
//! runner targets (Makefile, justfile, Taskfile, npm scripts, scripts) and
//! what they run, dev-loop tools, and environment templates.

use super::{read, ParseProblem, ProblemKind};
use crate::walk::{FileKind, Tree};
use kubeready_shell::Meaning;

#[derive(Clone, Debug, Default)]
pub struct DevEnvFacts {
    pub doc_commands: Vec<DocCommand>,
    pub tasks: Vec<TaskTarget>,
    pub tools: Vec<DevTool>,
    /// `.env.example`, `.env.sample`, `.env.dist`, `.env.template`.
    pub env_templates: Vec<String>,
    /// Docs files read (README, CONTRIBUTING, docs/…), with their headings.
    pub docs: Vec<DocFile>,
}

/// A command shown in documentation.
#[derive(Clone, Debug)]
pub struct DocCommand {
    pub file: String,
    pub line: u32,
    pub text: String,
    pub meanings: Vec<Meaning>,
    /// A task-runner invocation (`make up`, `just dev`, `npm run dev`,
    /// `./scripts/start.sh`): the runner and the target/script named.
    pub wrapper: Option<(TaskRunner, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskRunner {
    Make,
    Just,
    Task,
    Npm,
    Script,
}

impl TaskRunner {
    pub fn name(self) -> &'static str {
        match self {
            TaskRunner::Make => "make",
            TaskRunner::Just => "just",
            TaskRunner::Task => "task",
            TaskRunner::Npm => "npm",
            TaskRunner::Script => "script",
        }
    }
}

/// One target of a task runner, with what its recipe runs.
#[derive(Clone, Debug)]
pub struct TaskTarget {
    pub file: String,
    pub line: u32,
    pub runner: TaskRunner,
    /// Target name; for scripts, the script's path.
    pub name: String,
    pub recipe: String,
    pub meanings: Vec<(u32, Meaning)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DevToolKind {
    Devcontainer,
    Tilt,
    Skaffold,
    Devspace,
    Garden,
}

impl DevToolKind {
    pub fn name(self) -> &'static str {
        match self {
            DevToolKind::Devcontainer => "devcontainer.json",
            DevToolKind::Tilt => "Tiltfile",
            DevToolKind::Skaffold => "skaffold.yaml",
            DevToolKind::Devspace => "devspace.yaml",
            DevToolKind::Garden => "garden config",
        }
    }
}

#[derive(Clone, Debug)]
pub struct DevTool {
    pub file: String,
    pub line: u32,
    pub kind: DevToolKind,
}

#[derive(Clone, Debug)]
pub struct DocFile {
    pub file: String,
    /// Markdown/RST headings with their lines (lowercased text).
    pub headings: Vec<(u32, String)>,
}

pub fn parse_devenv(tree: &Tree, problems: &mut Vec<ParseProblem>) -> DevEnvFacts {
    let mut facts = DevEnvFacts::default();
    for f in tree.files() {
        let name = crate::paths::file_name(&f.path).to_ascii_lowercase();
        match f.kind {
            FileKind::Doc => {
                if let Some(text) = read(tree, &f.path, problems) {
                    scan_doc(&f.path, &text, &mut facts);
                }
            }
            FileKind::TaskRunner => {
                if let Some(text) = read(tree, &f.path, problems) {
                    if name == "justfile" || name == ".justfile" {
                        facts.tasks.extend(parse_justfile(&f.path, &text));
                    } else if name.starts_with("taskfile") {
                        facts.tasks.extend(parse_taskfile(&f.path, &text, problems));
                    } else {
                        facts.tasks.extend(parse_makefile(&f.path, &text));
                    }
                }
            }
            FileKind::Script => {
                if let Some(text) = read(tree, &f.path, problems) {
                    facts.tasks.push(script_target(&f.path, &text));
                }
            }
            FileKind::Manifest if name == "package.json" => {
                // Parse problems of package.json are the manifest scanner's to report.
                if let Ok(text) = tree.read_text(&f.path) {
                    facts.tasks.extend(parse_npm_scripts(&f.path, &text));
                }
            }
            FileKind::DevEnv | FileKind::BuildConfig => {
                let kind = match name.as_str() {
                    "devcontainer.json" | ".devcontainer.json" => Some(DevToolKind::Devcontainer),
                    "tiltfile" => Some(DevToolKind::Tilt),
                    "skaffold.yaml" | "skaffold.yml" => Some(DevToolKind::Skaffold),
                    "devspace.yaml" | "devspace.yml" => Some(DevToolKind::Devspace),
                    n if n.contains("garden") => Some(DevToolKind::Garden),
                    _ => None,
                };
                if let Some(kind) = kind {
                    facts.tools.push(DevTool {
                        file: f.path.clone(),
                        line: 1,
                        kind,
                    });
                }
            }
            FileKind::EnvFile
                if ["example", "sample", "dist", "template", "tmpl", "defaults"]
                    .iter()
                    .any(|w| name.contains(w)) =>
            {
                facts.env_templates.push(f.path.clone());
            }
            _ => {}
        }
    }
    facts
}

/// A script file as a task: its path is its name.
pub fn script_target(path: &str, text: &str) -> TaskTarget {
    TaskTarget {
        file: path.to_string(),
        line: 1,
        runner: TaskRunner::Script,
        name: path.to_string(),
        recipe: text.to_string(),
        meanings: kubeready_shell::classify_script(text),
    }
}

/// Finds commands in docs: lines of fenced or indented code blocks, lines
/// with a `$ ` prompt, and inline code spans.
fn scan_doc(path: &str, text: &str, facts: &mut DevEnvFacts) {
    let mut in_fence = false;
    let mut headings = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i as u32 + 1;
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence && trimmed.starts_with('#') {
            headings.push((
                lineno,
                trimmed.trim_start_matches('#').trim().to_ascii_lowercase(),
            ));
            continue;
        }
        let mut candidates: Vec<String> = Vec::new();
        if in_fence || line.starts_with("    ") || line.starts_with('\t') {
            candidates.push(strip_prompt(trimmed).to_string());
        } else {
            // Inline code spans: `docker compose up`.
            let mut rest = trimmed;
            while let Some(start) = rest.find('`') {
                let after = &rest[start + 1..];
                let Some(end) = after.find('`') else { break };
                candidates.push(strip_prompt(&after[..end]).to_string());
                rest = &after[end + 1..];
            }
            if let Some(cmd) = trimmed.strip_prefix("$ ") {
                candidates.push(cmd.to_string());
            }
        }
        for cmd in candidates {
            if cmd.is_empty() || cmd.len() > 2000 {
                continue;
            }
            let meanings: Vec<Meaning> = kubeready_shell::classify_script(&cmd)
                .into_iter()
                .map(|(_, m)| m)
                .collect();
            let wrapper = wrapper_of(&cmd);
            if !meanings.is_empty() || wrapper.is_some() {
                facts.doc_commands.push(DocCommand {
                    file: path.to_string(),
                    line: lineno,
                    text: cmd,
                    meanings,
                    wrapper,
                });
            }
        }
    }
    facts.docs.push(DocFile {
        file: path.to_string(),
        headings,
    });
}

fn strip_prompt(s: &str) -> &str {
    s.trim_start_matches("$ ")
        .trim_start_matches("> ")
        .trim_start_matches("% ")
        .trim()
}

/// Recognises a task-runner invocation in a command line.
pub fn wrapper_of(cmd: &str) -> Option<(TaskRunner, String)> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let first = *words.first()?;
    let arg = |i: usize| words.get(i).map(|s| s.to_string());
    match first {
        "make" | "gmake" => Some((
            TaskRunner::Make,
            arg(1).filter(|a| !a.starts_with('-')).unwrap_or_default(),
        )),
        "just" => Some((TaskRunner::Just, arg(1).unwrap_or_default())),
        "task" => Some((TaskRunner::Task, arg(1).unwrap_or_else(|| "default".into()))),
        "npm" | "yarn" | "pnpm" | "bun" => {
            let target = match words.get(1).copied() {
                Some("run") | Some("run-script") => arg(2),
                Some("start") => Some("start".into()),
                Some(t)
                    if first != "npm" && !t.starts_with('-') && t != "install" && t != "add" =>
                {
                    Some(t.into())
                }
                _ => None,
            }?;
            Some((TaskRunner::Npm, target))
        }
        s if (s.ends_with(".sh")
            || s.starts_with("./")
            || s.starts_with("scripts/")
            || s.starts_with("bin/"))
            && !s.contains("gradlew")
            && !s.contains("mvnw") =>
        {
            Some((TaskRunner::Script, s.trim_start_matches("./").to_string()))
        }
        "sh" | "bash" => arg(1)
            .filter(|a| a.ends_with(".sh"))
            .map(|a| (TaskRunner::Script, a.trim_start_matches("./").to_string())),
        _ => None,
    }
}

/// Makefile targets and their recipes (tab-indented lines).
/// A Makefile variable definition: `NAME = v`, `NAME := v`, `NAME ?= v`,
/// `NAME ::= v` (not `+=`, not target-specific ones).
fn make_variable(line: &str) -> Option<(&str, &str)> {
    let eq = line.find('=')?;
    let name = line[..eq].trim_end_matches([':', '?']).trim();
    if name.is_empty()
        || line[..eq].ends_with('+')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    Some((name, line[eq + 1..].trim()))
}

/// `$(NAME)` and `${NAME}` replaced by the values defined so far, so a
/// recipe's `$(COMPOSE) up` reads as the command it runs; unknown names
/// and functions (`$(shell ...)`) stay as written.
fn expand_make_variables(text: &str, vars: &[(String, String)]) -> String {
    if !text.contains('$') || vars.is_empty() {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (name, value) in vars.iter().rev() {
        for pattern in [format!("$({name})"), format!("${{{name}}}")] {
            if out.contains(&pattern) {
                out = out.replace(&pattern, value);
            }
        }
    }
    out
}

pub fn parse_makefile(path: &str, text: &str) -> Vec<TaskTarget> {
    let mut targets: Vec<TaskTarget> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut vars: Vec<(String, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i as u32 + 1;
        if let Some(recipe) = line.strip_prefix('\t') {
            let cmd = recipe.trim_start_matches(['@', '-', '+']).trim();
            let cmd = &expand_make_variables(cmd, &vars);
            for &t in &current {
                if let Some(target) = targets.get_mut(t) {
                    for (_, m) in kubeready_shell::classify_script(cmd) {
                        target.meanings.push((lineno, m));
                    }
                    target.recipe.push_str(cmd);
                    target.recipe.push('\n');
                }
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        current.clear();
        if let Some((name, value)) = make_variable(line) {
            if !line.starts_with(' ') && !value.contains("$(shell") {
                let value = expand_make_variables(value, &vars);
                vars.retain(|(n, _)| n != name);
                vars.push((name.to_string(), value));
            }
        }
        // `name other: deps` but not `VAR := x`, `VAR ?= x`, `.PHONY: x`.
        let Some(colon) = line.find(':') else {
            continue;
        };
        if line[colon..].starts_with(":=") || line[..colon].contains('=') || line.starts_with(' ') {
            continue;
        }
        for name in line[..colon].split_whitespace() {
            if name.starts_with('.') || name.contains('%') || name.contains('$') {
                continue;
            }
            current.push(targets.len());
            targets.push(TaskTarget {
                file: path.to_string(),
                line: lineno,
                runner: TaskRunner::Make,
                name: name.to_string(),
                recipe: String::new(),
                meanings: Vec::new(),
            });
        }
        // A recipe on the same line: `up: ; docker compose up`.
        if let Some(semi) = line[colon..].find(';') {
            let cmd = &line[colon + semi + 1..];
            for &t in &current {
                if let Some(target) = targets.get_mut(t) {
                    target.meanings.extend(
                        kubeready_shell::classify_script(cmd)
                            .into_iter()
                            .map(|(_, m)| (lineno, m)),
                    );
                }
            }
        }
    }
    targets
}

/// justfile recipes: `name args:` followed by indented lines.
pub fn parse_justfile(path: &str, text: &str) -> Vec<TaskTarget> {
    let mut targets: Vec<TaskTarget> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i as u32 + 1;
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(t) = targets.last_mut() {
                let cmd = line.trim().trim_start_matches(['@', '-']);
                t.meanings.extend(
                    kubeready_shell::classify_script(cmd)
                        .into_iter()
                        .map(|(_, m)| (lineno, m)),
                );
                t.recipe.push_str(cmd);
                t.recipe.push('\n');
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("set ")
            || trimmed.starts_with('[')
        {
            continue;
        }
        let Some(colon) = trimmed.find(':') else {
            continue;
        };
        if trimmed[colon..].starts_with(":=") {
            continue;
        }
        let head = trimmed[..colon].trim_start_matches('@');
        if let Some(name) = head.split_whitespace().next() {
            targets.push(TaskTarget {
                file: path.to_string(),
                line: lineno,
                runner: TaskRunner::Just,
                name: name.to_string(),
                recipe: String::new(),
                meanings: Vec::new(),
            });
        }
    }
    targets
}

/// Taskfile.yml: `tasks: <name>: cmds: [...]` (strings or `cmd:` maps).
pub fn parse_taskfile(path: &str, text: &str, problems: &mut Vec<ParseProblem>) -> Vec<TaskTarget> {
    let loaded = kubeready_yaml::load(text, &kubeready_yaml::Limits::default());
    if let Some(e) = &loaded.error {
        let mut p = ParseProblem::new(path, e.line, ProblemKind::Syntax, e.message.clone());
        p.column = Some(e.column);
        problems.push(p);
    }
    let mut targets = Vec::new();
    let Some(doc) = loaded.documents.first() else {
        return targets;
    };
    let Some(tasks) = doc.get("tasks").and_then(|t| t.as_map()) else {
        return targets;
    };
    for entry in tasks {
        let Some(name) = entry.key.as_str() else {
            continue;
        };
        let mut t = TaskTarget {
            file: path.to_string(),
            line: entry.key.line,
            runner: TaskRunner::Task,
            name: name.to_string(),
            recipe: String::new(),
            meanings: Vec::new(),
        };
        let cmds = entry
            .value
            .get("cmds")
            .map(|c| c.str_or_seq())
            .unwrap_or_default();
        for c in cmds {
            let text = c.as_str().or_else(|| c.get("cmd").and_then(|x| x.as_str()));
            if let Some(cmd) = text {
                t.meanings.extend(
                    kubeready_shell::classify_script(cmd)
                        .into_iter()
                        .map(|(l, m)| (c.line + l, m)),
                );
                t.recipe.push_str(cmd);
                t.recipe.push('\n');
            }
        }
        targets.push(t);
    }
    targets
}

/// npm scripts from package.json, with the line of each script key.
pub fn parse_npm_scripts(path: &str, text: &str) -> Vec<TaskTarget> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(scripts) = value.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, cmd) in scripts {
        let Some(cmd) = cmd.as_str() else { continue };
        let needle = format!("\"{name}\"");
        let line = text
            .lines()
            .position(|l| l.contains(&needle))
            .map(|i| i as u32 + 1)
            .unwrap_or(1);
        out.push(TaskTarget {
            file: path.to_string(),
            line,
            runner: TaskRunner::Npm,
            name: name.clone(),
            recipe: cmd.to_string(),
            meanings: kubeready_shell::classify_script(cmd)
                .into_iter()
                .map(|(_, m)| (line, m))
                .collect(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makefile_recipes_read_through_variables() {
        let mk = "COMPOSE:=./tools/docker-compose\nIMAGE ?= acme/api\nTAG:=$(shell git rev-parse HEAD)\n\nrun: build\n\t$(COMPOSE) up\nimage:\n\tdocker build -t ${IMAGE}:$(TAG) .\n";
        let t = parse_makefile("Makefile", mk);
        let run = t.iter().find(|t| t.name == "run").unwrap();
        assert_eq!(run.recipe, "./tools/docker-compose up\n");
        assert!(!run.meanings.is_empty(), "{run:?}");
        let image = t.iter().find(|t| t.name == "image").unwrap();
        assert_eq!(image.recipe, "docker build -t acme/api:$(TAG) .\n");
        assert_eq!(make_variable("A += b"), None);
        assert_eq!(make_variable("run: build"), None);
    }

    #[test]
    fn makefile_targets_and_recipes() {
        let t = parse_makefile(
            "Makefile",
            "VAR := 1\n.PHONY: up\nup: build\n\t@docker compose up -d\n\ntest:\n\tgo test ./...\n",
        );
        assert_eq!(
            t.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            vec!["up", "test"]
        );
        assert_eq!(t[0].line, 3);
        assert!(t[0].recipe.contains("docker compose up"));
    }

    #[test]
    fn justfile_recipes() {
        let t = parse_justfile(
            "justfile",
            "set dotenv-load\n\n# start\ndev port='8080':\n    docker compose up\n",
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].name, "dev");
        assert!(t[0].recipe.contains("docker compose up"));
    }

    #[test]
    fn wrappers() {
        assert_eq!(wrapper_of("make up"), Some((TaskRunner::Make, "up".into())));
        assert_eq!(
            wrapper_of("npm run dev"),
            Some((TaskRunner::Npm, "dev".into()))
        );
        assert_eq!(
            wrapper_of("yarn dev"),
            Some((TaskRunner::Npm, "dev".into()))
        );
        assert_eq!(
            wrapper_of("./scripts/start.sh"),
            Some((TaskRunner::Script, "scripts/start.sh".into()))
        );
        assert_eq!(wrapper_of("npm install"), None);
        assert_eq!(wrapper_of("./gradlew build"), None);
    }

    #[test]
    fn npm_scripts_with_lines() {
        let t = parse_npm_scripts("package.json", "{\n  \"scripts\": {\n    \"start\": \"node index.js\",\n    \"dev\": \"docker compose up\"\n  }\n}\n");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].name, "dev");
        assert_eq!(t[0].line, 4);
    }
}
