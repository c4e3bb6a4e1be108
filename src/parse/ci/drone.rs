//! Drone (`.drone.yml`, one pipeline per `kind: pipeline` document) and
//! Woodpecker (`.woodpecker.yml`, `.woodpecker/*.yml`; `steps` as a map or
//! a list). Each step is a job running in its image: `commands` are script
//! steps; plugin `settings` (docker/buildx/kaniko/ecr/gcr plugins, helm,
//! kubectl, ssh) become meanings. `trigger:`/top-level `when:` events are
//! the pipeline's triggers, a step's `when:` narrows them; `promote`,
//! `deployment`, `manual` and `custom` events are Manual, and the
//! promotion `target`/`environment` names the job's environment.

use super::known::{
    self, action_step, build, deploy, pairs, shell_join, tagged, text, trigger, with_value,
};
use super::{common, Environment, ImageUse, Job, Meaning, Pipeline, Trigger, TriggerKind};
use crate::parse::ParseProblem;
use crate::walk::{CiSystem, Tree};
use kubeready_yaml::Node;

pub fn parse(
    system: CiSystem,
    tree: &Tree,
    path: &str,
    text_: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let docs = known::load_docs(path, text_, problems);
    let mut out = Vec::new();
    for doc in &docs {
        if !doc.is_map() {
            continue;
        }
        let kind = text(doc.get("kind"));
        if system == CiSystem::Drone && kind.as_deref().is_some_and(|k| k != "pipeline") {
            continue;
        }
        let filter = doc.get("trigger").or_else(|| doc.get("when"));
        let (triggers, env) = filter.map(events).unwrap_or_default();
        let triggers = triggers.unwrap_or_else(|| default_events(1));
        let services: Vec<ImageUse> = entries(doc.get("services"))
            .into_iter()
            .filter_map(|(_, n, _)| image_use(n))
            .collect();
        let host = matches!(
            text(doc.get("type")).as_deref(),
            Some("exec" | "ssh" | "macstadium")
        );
        let steps = doc.get("steps").or_else(|| doc.get("pipeline"));
        let mut jobs = Vec::new();
        for (name, step, line) in entries(steps) {
            let mut job = step_job(tree, path, &name, step, line, host);
            job.services = services.clone();
            if let Some((t, e)) = step.get("when").map(events) {
                if t.is_some() {
                    job.triggers = t;
                }
                job.environment = e.or(job.environment);
            }
            if job.environment.is_none() {
                job.environment = env.clone();
            }
            jobs.push(job);
        }
        let name = text(doc.get("name")).unwrap_or_else(|| path.to_string());
        out.push(Pipeline {
            file: path.to_string(),
            system: Some(system),
            name,
            triggers,
            jobs,
            reusable: false,
            env: Vec::new(),
        });
    }
    out
}

/// Drone runs every event unless told otherwise.
fn default_events(line: u32) -> Vec<Trigger> {
    vec![
        trigger(TriggerKind::Push, line, Vec::new()),
        trigger(TriggerKind::PullRequest, line, Vec::new()),
        trigger(TriggerKind::Tag, line, Vec::new()),
    ]
}

/// Steps or services as (name, node, line): a list of `{name: ...}` or a
/// map of name → definition.
fn entries(node: Option<&Node>) -> Vec<(String, &Node, u32)> {
    let Some(node) = node else { return Vec::new() };
    if let Some(items) = node.as_seq() {
        return items
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_map())
            .map(|(i, n)| {
                (
                    text(n.get("name")).unwrap_or_else(|| format!("step {}", i + 1)),
                    n,
                    n.line,
                )
            })
            .collect();
    }
    node.as_map()
        .unwrap_or(&[])
        .iter()
        .filter(|e| e.value.is_map())
        .filter_map(|e| Some((e.key_str()?.to_string(), &e.value, e.key.line)))
        .collect()
}

fn image_use(n: &Node) -> Option<ImageUse> {
    let img = n.get("image")?;
    Some(ImageUse {
        image: img.as_str()?.to_string(),
        line: img.line,
    })
}

/// `event`/`branch`/`target`/`environment` of a `trigger:`/`when:` (a map,
/// or Woodpecker's list of maps): the triggers and the environment.
fn events(filter: &Node) -> (Option<Vec<Trigger>>, Option<Environment>) {
    let maps: Vec<&Node> = match filter.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![filter],
    };
    let mut out: Vec<Trigger> = Vec::new();
    let mut env = None;
    let mut any = false;
    for m in maps {
        let include = |k: &str| known::strings(m.get(k).map(|v| v.get("include").unwrap_or(v)));
        let branches = include("branch");
        let evs = include("event");
        let line = m.get("event").map_or(m.line, |e| e.line);
        for key in ["target", "environment", "deployment"] {
            if let Some(t) = m.get(key) {
                if let Some(name) = known::strings(Some(t.get("include").unwrap_or(t)))
                    .into_iter()
                    .next()
                {
                    env = Some(Environment { name, line: t.line });
                }
            }
        }
        if evs.is_empty() && branches.is_empty() {
            continue;
        }
        any = true;
        if evs.is_empty() {
            out.push(trigger(TriggerKind::Push, line, branches.clone()));
            continue;
        }
        for e in evs {
            let kind = match e.as_str() {
                "push" => TriggerKind::Push,
                "tag" => TriggerKind::Tag,
                "pull_request" | "pull_request_closed" => TriggerKind::PullRequest,
                "promote" | "rollback" | "deployment" | "deploy" | "manual" | "custom" => {
                    TriggerKind::Manual
                }
                "cron" => TriggerKind::Schedule,
                "release" => TriggerKind::Release,
                other => TriggerKind::Other(other.to_string()),
            };
            let b = if kind == TriggerKind::Push {
                branches.clone()
            } else {
                Vec::new()
            };
            let t = trigger(kind, line, b);
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    (any.then_some(out), env)
}

const BUILD_PLUGINS: &[&str] = &[
    "docker", "ecr", "gcr", "acr", "kaniko", "buildx", "buildah", "heroku",
];

fn step_job(tree: &Tree, path: &str, name: &str, step: &Node, line: u32, host: bool) -> Job {
    let image = text(step.get("image")).unwrap_or_default();
    let mut steps = Vec::new();
    let settings = step.get("settings");
    let commands = step.get("commands").or_else(|| step.get("command"));
    if commands.is_some() {
        steps = known::script_steps(tree, path, commands, Some(name), "");
    } else if let Some(s) = settings {
        let with = pairs(Some(s));
        if let Some(script) = ssh_script(&image, &with) {
            steps.push(common::script_step(
                tree,
                path,
                s.line,
                Some(name.to_string()),
                &script,
                "",
            ));
        } else {
            let meanings = plugin_meanings(&image, &with);
            steps.push(action_step(
                path,
                line,
                Some(name.to_string()),
                &image,
                with,
                "",
                meanings,
            ));
        }
    }
    let container = (!host && commands.is_some())
        .then(|| image_use(step))
        .flatten();
    Job {
        id: name.to_string(),
        name: name.to_string(),
        file: path.to_string(),
        line,
        container,
        needs: known::strings(step.get("depends_on")),
        steps,
        ..Default::default()
    }
}

/// `appleboy/drone-ssh` settings: the script, run on the host.
fn ssh_script(image: &str, with: &[(String, String)]) -> Option<String> {
    if !image.contains("ssh") {
        return None;
    }
    let host = with_value(with, "host")?.lines().next()?.trim().to_string();
    let script = with_value(with, "script")?;
    Some(
        script
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("ssh {host} {}", shell_join(&[l.trim().to_string()])))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Docker-style build plugins (`plugins/docker`, `plugins/ecr`,
/// `woodpeckerci/plugin-docker-buildx`, kaniko), Helm and kubectl plugins.
fn plugin_meanings(image: &str, with: &[(String, String)]) -> Vec<Meaning> {
    let get = |k: &str| with_value(with, k);
    let name = image
        .split(':')
        .next()
        .unwrap_or(image)
        .rsplit('/')
        .next()
        .unwrap_or(image);
    if name.contains("helm") {
        let images = known::list_values_str(get("values").unwrap_or(""))
            .into_iter()
            .filter(|v| v.contains("image") || v.contains("tag"))
            .collect();
        let action = get("mode")
            .or_else(|| get("helm_command"))
            .unwrap_or("upgrade");
        let mut d = deploy(
            "helm",
            action,
            images,
            known::list_values_str(get("values_files").unwrap_or("")),
        );
        d.release = get("release").map(str::to_string);
        d.namespace = get("namespace").map(str::to_string);
        return vec![Meaning::Deploy(d)];
    }
    if name.contains("kube") {
        let tags = known::list_values_str(get("tag").unwrap_or(""));
        let images = get("repo")
            .or_else(|| get("image"))
            .map(|r| tagged(r, &tags))
            .unwrap_or_default();
        let files = known::list_values_str(get("template").or_else(|| get("files")).unwrap_or(""));
        let action = if files.is_empty() {
            "set-image"
        } else {
            "apply"
        };
        let mut d = deploy("kubectl", action, images, files);
        d.release = get("deployment").map(str::to_string);
        d.namespace = get("namespace").map(str::to_string);
        return vec![Meaning::Deploy(d)];
    }
    if !BUILD_PLUGINS.iter().any(|p| name.contains(p)) {
        return Vec::new();
    }
    let Some(repo) = get("repo").or_else(|| get("repository")) else {
        return Vec::new();
    };
    let repo = known::with_registry(get("registry"), repo);
    let mut tags = known::list_values_str(get("tags").or_else(|| get("tag")).unwrap_or(""));
    if tags.is_empty() {
        tags.push("latest".into());
    }
    let mut b = build(
        if name.contains("kaniko") {
            "kaniko"
        } else {
            "docker"
        },
        get("dockerfile").map(str::to_string),
        Some(get("context").unwrap_or(".").to_string()),
        tagged(&repo, &tags),
        !matches!(get("dry_run").or_else(|| get("dry-run")), Some("true")),
    );
    b.target = get("target").map(str::to_string);
    b.build_args = known::list_values_str(get("build_args").unwrap_or(""));
    b.platforms = known::list_values_str(get("platforms").unwrap_or(""));
    vec![Meaning::ImageBuild(b)]
}

#[cfg(test)]
mod tests;
