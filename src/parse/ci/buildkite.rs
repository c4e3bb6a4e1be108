//! Buildkite (`.buildkite/pipeline*.yml`): command steps as jobs (`label`,
//! `key`, `command(s)`), the docker plugin (the job's container) and the
//! docker-compose plugin (build/run/push), `branches` and `if:` narrowing,
//! `block`/`input` steps (every step after one is Manual) and `group`s.
//! Buildkite builds on pushes (webhook).

use super::known::{self, action_step, text, trigger};
use super::{common, ImageUse, Job, Meaning, Pipeline, Step, Trigger, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, Tree};
use kubeready_shell::ComposeInvocation;
use kubeready_yaml::Node;

pub fn parse(
    tree: &Tree,
    path: &str,
    text_: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let Some(root) = common::load_yaml(path, text_, problems) else {
        return Vec::new();
    };
    let steps = root.get("steps").or_else(|| root.is_seq().then_some(&root));
    let Some(steps) = steps.filter(|s| s.is_seq()) else {
        if !root.is_null() {
            problems.push(ParseProblem::new(
                path,
                root.line,
                ProblemKind::Partial,
                "no `steps:` list",
            ));
        }
        return Vec::new();
    };
    let mut cx = Cx {
        tree,
        file: path,
        jobs: Vec::new(),
        gate: None,
    };
    cx.steps(steps, 0);
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::Buildkite),
        name: path.to_string(),
        triggers: vec![trigger(TriggerKind::Push, 1, Vec::new())],
        jobs: cx.jobs,
        reusable: false,
        env: Vec::new(),
    }]
}

struct Cx<'a> {
    tree: &'a Tree,
    file: &'a str,
    jobs: Vec<Job>,
    /// The first `block`/`input` step seen: later steps wait for a person.
    gate: Option<Trigger>,
}

impl Cx<'_> {
    fn steps(&mut self, steps: &Node, depth: usize) {
        for s in steps.as_seq().unwrap_or(&[]) {
            if matches!(s.as_str(), Some("block" | "input"))
                || s.get("block").is_some()
                || s.get("input").is_some()
            {
                self.gate
                    .get_or_insert(trigger(TriggerKind::Manual, s.line, Vec::new()));
                continue;
            }
            if let Some(g) = s.get("steps").filter(|_| s.get("group").is_some()) {
                if depth < known::MAX_INCLUDE_DEPTH {
                    self.steps(g, depth + 1);
                }
                continue;
            }
            if !s.is_map() || s.get("wait").is_some() || s.get("trigger").is_some() {
                continue;
            }
            let combos = matrix(s.get("matrix"));
            if combos.is_empty() {
                self.command_step(s, &[]);
            }
            for combo in &combos {
                self.command_step(s, combo);
            }
        }
    }

    /// One job for a command step, with the `{{matrix}}` /
    /// `{{matrix.name}}` placeholders of its label and commands replaced
    /// by one combination of its `matrix:` values (Buildkite runs one job
    /// per combination).
    fn command_step(&mut self, s: &Node, combo: &[(String, String)]) {
        let n = self.jobs.len() + 1;
        let fill = |t: String| fill_matrix(&t, combo);
        let label = text(s.get("label"))
            .or_else(|| text(s.get("name")))
            .map(fill);
        let id = text(s.get("key"))
            .or_else(|| text(s.get("id")))
            .or_else(|| label.clone())
            .unwrap_or_else(|| format!("step {n}"));
        let mut steps: Vec<Step> = Vec::new();
        let mut container = None;
        for (name, cfg, line) in plugins(s.get("plugins")) {
            match name.as_str() {
                "docker" => {
                    container = cfg.get("image").and_then(|i| {
                        Some(ImageUse {
                            image: i.as_str()?.to_string(),
                            line: i.line,
                        })
                    });
                }
                "docker-compose" => {
                    let meanings = compose_meanings(cfg);
                    steps.push(action_step(
                        self.file,
                        line,
                        label.clone(),
                        &name,
                        known::pairs(Some(cfg)),
                        "",
                        meanings,
                    ));
                }
                "ecr" | "docker-login" | "gcp-workload-identity-federation" => {
                    let m = Meaning::RegistryLogin {
                        tool: name.clone(),
                        registry: None,
                    };
                    steps.push(action_step(
                        self.file,
                        line,
                        label.clone(),
                        &name,
                        Vec::new(),
                        "",
                        vec![m],
                    ));
                }
                _ => {}
            }
        }
        let commands = s.get("commands").or_else(|| s.get("command"));
        if combo.is_empty() {
            steps.extend(known::script_steps(
                self.tree,
                self.file,
                commands,
                label.as_deref(),
                "",
            ));
        } else {
            for c in commands.map(Node::str_or_seq).unwrap_or_default() {
                let Some(script) = c.as_str() else { continue };
                steps.push(common::script_step(
                    self.tree,
                    self.file,
                    known::script_line(c),
                    label.clone(),
                    &fill_matrix(script, combo),
                    "",
                ));
            }
        }
        let mut triggers = narrowing(s);
        if let Some(g) = &self.gate {
            triggers = Some(vec![g.clone()]);
        }
        self.jobs.push(Job {
            id,
            name: label.unwrap_or_default(),
            file: self.file.to_string(),
            line: s.line,
            triggers,
            container,
            needs: known::strings(s.get("depends_on")),
            steps,
            ..Default::default()
        });
    }
}

/// Most jobs one `matrix:` is expanded into (Buildkite's own limit is 50).
const MAX_MATRIX_JOBS: usize = 50;

/// The combinations of a step's `matrix:` as (placeholder, value) pairs:
/// a list (or `setup:` list) fills `{{matrix}}`; a `setup:` map of lists
/// fills `{{matrix.<name>}}`, one job per combination. Empty without a
/// matrix, or when a value is not a scalar.
fn matrix(node: Option<&Node>) -> Vec<Vec<(String, String)>> {
    let Some(m) = node else { return Vec::new() };
    let setup = m.get("setup").unwrap_or(m);
    if setup.is_seq() {
        return setup
            .as_seq()
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| v.as_str())
            .take(MAX_MATRIX_JOBS)
            .map(|v| vec![("matrix".to_string(), v.to_string())])
            .collect();
    }
    let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for e in setup.as_map().unwrap_or(&[]) {
        let Some(k) = e.key_str() else { continue };
        let values: Vec<&str> = e
            .value
            .str_or_seq()
            .into_iter()
            .filter_map(|v| v.as_str())
            .collect();
        if values.is_empty() {
            continue;
        }
        let mut next = Vec::new();
        for c in &combos {
            for v in &values {
                if next.len() >= MAX_MATRIX_JOBS {
                    break;
                }
                let mut c = c.clone();
                c.push((format!("matrix.{k}"), v.to_string()));
                next.push(c);
            }
        }
        combos = next;
    }
    combos.retain(|c| !c.is_empty());
    combos
}

/// `text` with `{{matrix}}`/`{{ matrix.os }}` placeholders filled.
fn fill_matrix(text: &str, combo: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in combo {
        for pat in [format!("{{{{{k}}}}}"), format!("{{{{ {k} }}}}")] {
            out = out.replace(&pat, v);
        }
    }
    out
}

/// `plugins:` as (name without version or URL, config, line): a list of
/// one-key maps, or a map.
fn plugins(node: Option<&Node>) -> Vec<(String, &Node, u32)> {
    let entries: Vec<&kubeready_yaml::Entry> = match node {
        Some(n) if n.is_seq() => n
            .as_seq()
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| i.as_map()?.first())
            .collect(),
        Some(n) => n.as_map().unwrap_or(&[]).iter().collect(),
        None => Vec::new(),
    };
    entries
        .into_iter()
        .filter_map(|e| {
            let k = e.key_str()?;
            let k = k.split('#').next().unwrap_or(k);
            let k = k.trim_end_matches(".git").rsplit('/').next().unwrap_or(k);
            let k = k.trim_end_matches("-buildkite-plugin");
            Some((k.to_string(), &e.value, e.key.line))
        })
        .collect()
}

/// The docker-compose plugin's `build`, `run` and `push`.
fn compose_meanings(cfg: &Node) -> Vec<Meaning> {
    let files = known::strings(cfg.get("config"));
    let inv = |sub: &str, services: Vec<String>| {
        Meaning::Compose(ComposeInvocation {
            tool: "docker compose".into(),
            files: files.clone(),
            subcommand: sub.to_string(),
            services,
            ..Default::default()
        })
    };
    let mut out = Vec::new();
    let build = known::strings(cfg.get("build"));
    if !build.is_empty() {
        out.push(inv("build", build));
    }
    if let Some(run) = text(cfg.get("run")) {
        out.push(inv("run", vec![run]));
    }
    // `push: app:registry/acme/app:tag` (service:image) or `push: app`.
    let push = known::strings(cfg.get("push"));
    if !push.is_empty() {
        let services = push
            .iter()
            .map(|p| p.split(':').next().unwrap_or(p).to_string())
            .collect();
        out.push(inv("push", services));
        let images: Vec<String> = push
            .iter()
            .filter_map(|p| p.split_once(':').map(|(_, i)| i.to_string()))
            .collect();
        if !images.is_empty() {
            out.push(Meaning::ImagePush {
                tool: "docker compose".into(),
                images,
            });
        }
    }
    out
}

/// `branches: "main release/*"` and `if: build.branch == "main"`-style
/// conditions.
fn narrowing(s: &Node) -> Option<Vec<Trigger>> {
    let mut out = Vec::new();
    if let Some(b) = s.get("branches") {
        let list: Vec<String> = known::strings(Some(b))
            .iter()
            .flat_map(|x| x.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .filter(|x| !x.starts_with('!'))
            .collect();
        out.push(trigger(TriggerKind::Push, b.line, list));
    }
    if let Some(c) = s.get("if") {
        let cond = c.as_str().unwrap_or_default().replace(' ', "");
        let quoted = |key: &str| {
            cond.split(key).nth(1).and_then(|r| {
                let r = r.trim_start_matches(['"', '\'']);
                r.split(['"', '\'']).next().map(str::to_string)
            })
        };
        if let Some(b) = quoted("build.branch==") {
            out.push(trigger(TriggerKind::Push, c.line, vec![b]));
        }
        if cond.contains("build.tag!=null") || cond.contains("build.tag=~") {
            out.push(trigger(TriggerKind::Tag, c.line, Vec::new()));
        }
        if cond.contains("build.pull_request.id!=null") {
            out.push(trigger(TriggerKind::PullRequest, c.line, Vec::new()));
        }
        match quoted("build.source==").as_deref() {
            Some("schedule") => out.push(trigger(TriggerKind::Schedule, c.line, Vec::new())),
            Some("ui" | "api" | "trigger_job") => {
                out.push(trigger(TriggerKind::Manual, c.line, Vec::new()))
            }
            Some("webhook") => out.push(trigger(TriggerKind::Push, c.line, Vec::new())),
            _ => {}
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::known::testing;
    use crate::parse::ci::{Meaning, TriggerKind};

    #[test]
    fn a_matrix_is_one_job_per_combination() {
        let yaml = r#"steps:
  - label: ":docker: {{matrix}} image"
    command: "docker build -t acme/app:{{matrix}} packaging/{{matrix}}"
    matrix: [alpine, debian]
  - label: "test {{matrix.os}} {{ matrix.arch }}"
    commands: ["docker run acme/app:{{matrix.os}}-{{ matrix.arch }}"]
    matrix:
      setup:
        os: [alpine, debian]
        arch: [amd64, arm64]
"#;
        let (p, problems) = testing::parse(&[(".buildkite/pipeline.yml", yaml)]);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = p[0].jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(
            names[..2],
            [":docker: alpine image", ":docker: debian image"]
        );
        assert_eq!(names.len(), 6);
        let contexts: Vec<String> = p[0].jobs[..2]
            .iter()
            .flat_map(|j| j.meanings())
            .filter_map(|m| match &m.meaning {
                Meaning::ImageBuild(b) => b.context.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(contexts, ["packaging/alpine", "packaging/debian"]);
        assert_eq!(p[0].jobs[5].name, "test debian arm64");
        assert!(p[0].jobs[5].meanings().any(
            |m| matches!(&m.meaning, Meaning::ImageRun { image, .. } if image == "acme/app:debian-arm64")
        ));
    }

    #[test]
    fn steps_plugins_branches_and_blocks() {
        let yaml = r#"steps:
  - label: ":docker: Build"
    key: build
    plugins:
      - docker-compose#v5.2.0:
          build: app
          config: docker-compose.ci.yml
          push: ["app:acme/app:${BUILDKITE_COMMIT}"]
    branches: "main release/*"
  - wait
  - label: Test
    command: pytest
    plugins:
      - docker#v5.11.0:
          image: acme/app:${BUILDKITE_COMMIT}
  - group: Checks
    steps:
      - label: Lint
        commands: [make lint, make vet]
        if: build.pull_request.id != null
  - block: ":rocket: Release?"
  - label: Deploy staging
    command: kubectl apply -f k8s/
"#;
        let (p, problems) = testing::parse(&[(".buildkite/pipeline.yml", yaml)]);
        assert!(problems.is_empty(), "{problems:?}");
        let p = &p[0];
        let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["build", "Test", "Lint", "Deploy staging"]);
        let b = &p.jobs[0];
        let t = b.triggers.as_ref().unwrap();
        assert_eq!(t[0].branches, ["main", "release/*"]);
        let m: Vec<&Meaning> = b.meanings().map(|m| &m.meaning).collect();
        assert!(
            matches!(m[0], Meaning::Compose(c) if c.subcommand == "build" && c.services == ["app"] && c.files == ["docker-compose.ci.yml"])
        );
        assert!(matches!(m[1], Meaning::Compose(c) if c.subcommand == "push"));
        assert!(
            matches!(m[2], Meaning::ImagePush { images, .. } if images == &["acme/app:${BUILDKITE_COMMIT}"])
        );
        assert_eq!(b.steps[0].line, 5);
        let test = &p.jobs[1];
        assert_eq!(
            test.container.as_ref().unwrap().image,
            "acme/app:${BUILDKITE_COMMIT}"
        );
        assert!(test.triggers.is_none());
        assert_eq!(test.steps[0].line, 12);
        let lint = &p.jobs[2];
        assert_eq!(
            lint.triggers.as_ref().unwrap()[0].kind,
            TriggerKind::PullRequest
        );
        assert_eq!(lint.steps.len(), 2);
        assert_eq!(
            p.jobs[3].triggers.as_ref().unwrap()[0].kind,
            TriggerKind::Manual
        );
        for y in [
            "[]",
            "steps: 3",
            "steps: [1, {plugins: 3}, {plugins: [1, {x: 2}]}, {group: g, steps: 4}]",
            "- command: make",
        ] {
            let _ = testing::parse(&[(".buildkite/pipeline.yml", y)]);
        }
    }
}
