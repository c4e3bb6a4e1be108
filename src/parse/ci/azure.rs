//! Azure Pipelines: `trigger`/`pr`/`schedules`/pipeline resources, stages →
//! jobs → steps (or a flat `jobs:`/`steps:` pipeline), `deployment` jobs
//! with their environment and strategy hooks, `script`/`bash`/`pwsh`/
//! `powershell` steps, known tasks (see `tasks`), job containers and
//! services through `resources.containers`, local templates (steps, jobs,
//! stages, `extends`) inlined up to a depth, `${{ if }}` insertions, and
//! `condition:` narrowing on the source branch or build reason.
//!
//! Approvals live on Azure environments, not in YAML: deployment jobs are
//! automatic unless the pipeline has no trigger at all (`trigger: none`,
//! no `pr`, schedule or resource trigger), then it is Manual.

pub mod cond;
pub mod params;
pub mod tasks;

use super::known::{self, pairs, text, trigger, MAX_INCLUDE_DEPTH};
use super::TriggerKind;
use super::{common, Environment, ImageUse, Job, Pipeline, Step, Trigger};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, FileKind, Tree};
use cond::condition_triggers;
use kubeready_yaml::Node;

pub fn parse(
    tree: &Tree,
    path: &str,
    text_: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let Some(mut root) = common::load_yaml(path, text_, problems) else {
        return Vec::new();
    };
    // Runtime parameters' defaults and `${{ each }}` over them.
    let params = params::params(&root, None);
    params::resolve(&mut root, &params);
    if !root.is_map() {
        if !root.is_null() {
            problems.push(ParseProblem::new(
                path,
                root.line,
                ProblemKind::Partial,
                "an Azure pipeline must be a mapping",
            ));
        }
        return Vec::new();
    }
    let triggers = pipeline_triggers(&root);
    let reusable = root.get("parameters").is_some()
        && [
            "trigger",
            "pr",
            "schedules",
            "resources",
            "pool",
            "extends",
            "name",
        ]
        .iter()
        .all(|k| root.get(k).is_none())
        && !crate::paths::file_name(path).starts_with("azure-pipelines");
    let mut cx = Cx {
        tree,
        problems,
        root: &root,
    };
    let jobs = cx.body(&root, path, 0);
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::AzurePipelines),
        name: text(root.get("name")).unwrap_or_else(|| path.to_string()),
        triggers,
        jobs,
        reusable,
        env: Vec::new(),
    }]
}

/// `trigger`, `pr`, `schedules` and pipeline-resource triggers.
fn pipeline_triggers(root: &Node) -> Vec<Trigger> {
    let mut out = Vec::new();
    let none = |n: &Node| n.as_str() == Some("none") || n.as_bool() == Some(false);
    let branches = |n: &Node, key: &str| -> Vec<String> {
        let include = n.get(key).map(|b| b.get("include").unwrap_or(b));
        known::strings(include)
            .iter()
            .map(|b| known::branch_name(b))
            .collect()
    };
    let push_off = match root.get("trigger") {
        None => {
            out.push(trigger(TriggerKind::Push, 1, Vec::new()));
            false
        }
        Some(t) if none(t) => true,
        Some(t) if t.is_map() => {
            let tags = branches(t, "tags");
            if t.get("branches").is_some() || tags.is_empty() {
                out.push(trigger(TriggerKind::Push, t.line, branches(t, "branches")));
            }
            if !tags.is_empty() {
                out.push(trigger(TriggerKind::Tag, t.line, tags));
            }
            false
        }
        Some(t) => {
            let b = known::strings(Some(t))
                .iter()
                .map(|b| known::branch_name(b))
                .collect();
            out.push(trigger(TriggerKind::Push, t.line, b));
            false
        }
    };
    match root.get("pr") {
        // PR builds are on by default (GitHub/Bitbucket repos), unless the
        // pipeline switched CI off: `trigger: none` alone means "run by hand".
        None if !push_off => out.push(trigger(TriggerKind::PullRequest, 1, Vec::new())),
        None => {}
        Some(p) if none(p) => {}
        Some(p) if p.is_map() => out.push(trigger(
            TriggerKind::PullRequest,
            p.line,
            branches(p, "branches"),
        )),
        Some(p) => out.push(trigger(
            TriggerKind::PullRequest,
            p.line,
            known::strings(Some(p)),
        )),
    }
    for s in root.get("schedules").and_then(Node::as_seq).unwrap_or(&[]) {
        out.push(trigger(
            TriggerKind::Schedule,
            s.line,
            branches(s, "branches"),
        ));
    }
    let resources = root.get("resources");
    for p in resources
        .and_then(|r| r.get("pipelines"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        if let Some(t) = p.get("trigger").filter(|t| !none(t)) {
            out.push(trigger(TriggerKind::WorkflowRun, t.line, Vec::new()));
        }
    }
    if out.is_empty() {
        out.push(trigger(
            TriggerKind::Manual,
            root.get("trigger").map_or(1, |t| t.line),
            Vec::new(),
        ));
    }
    out
}

struct Cx<'a> {
    tree: &'a Tree,
    problems: &'a mut Vec<ParseProblem>,
    root: &'a Node,
}

/// Items of a list, with `${{ if ... }}:`/`${{ each ... }}:` insertions
/// flattened (both branches: the condition is not evaluated).
fn items(node: Option<&Node>) -> Vec<&Node> {
    let mut out = Vec::new();
    flatten(node, &mut out, 0);
    out
}

fn flatten<'n>(node: Option<&'n Node>, out: &mut Vec<&'n Node>, depth: usize) {
    if depth > 16 {
        return;
    }
    for item in node.and_then(Node::as_seq).unwrap_or(&[]) {
        match item.as_map() {
            Some([e]) if e.key_str().is_some_and(|k| k.starts_with("${{")) => {
                flatten(Some(&e.value), out, depth + 1)
            }
            _ => out.push(item),
        }
    }
}

impl Cx<'_> {
    /// A pipeline or template body: `stages`, `jobs`, `steps` or `extends`.
    fn body(&mut self, node: &Node, file: &str, depth: usize) -> Vec<Job> {
        if let Some(s) = node.get("stages") {
            return self.stages(s, file, depth);
        }
        if let Some(j) = node.get("jobs") {
            return self.jobs(j, file, None, depth);
        }
        if let Some(s) = node.get("steps") {
            let mut job = self.job_shell(node, "Job", file, s.line);
            job.steps = self.steps(s, file, "", depth);
            return vec![job];
        }
        if let Some(ext) = node.get("extends").filter(|e| e.get("template").is_some()) {
            if let Some((tfile, tnode)) = self.template(ext, file, depth) {
                return self.body(&tnode, &tfile, depth + 1);
            }
            // A remote template (`x.yml@templates`, such as Microsoft's 1ES
            // pipeline templates) wraps the stages, jobs or steps handed to
            // it as parameters: they run as written here.
            let remote = ext
                .get("template")
                .and_then(Node::as_str)
                .is_some_and(|t| t.contains('@'));
            if let Some(p) = ext
                .get("parameters")
                .filter(|_| remote && depth < MAX_INCLUDE_DEPTH)
            {
                if ["stages", "jobs", "steps"]
                    .iter()
                    .any(|k| p.get(k).is_some())
                {
                    return self.body(p, file, depth + 1);
                }
            }
        }
        Vec::new()
    }

    /// Loads a local template (`x.yml`, `/x.yml`; `x.yml@repo` is remote).
    fn template(&mut self, invocation: &Node, from: &str, depth: usize) -> Option<(String, Node)> {
        let t = invocation.get("template")?;
        let name = t.as_str()?;
        if name.contains('@') || name.contains("${{") || depth >= MAX_INCLUDE_DEPTH {
            return None;
        }
        let path = match name.strip_prefix('/') {
            Some(abs) => crate::paths::normalize(abs)?,
            None => crate::paths::join(crate::paths::parent(from), name)?,
        };
        let Some(f) = self.tree.file(&path) else {
            self.problems.push(ParseProblem::new(
                from,
                t.line,
                ProblemKind::Partial,
                format!("template `{name}` not found in the repository"),
            ));
            return None;
        };
        let text_ = crate::parse::read(self.tree, &path, self.problems)?;
        // A template that is itself a CI file reports its own problems.
        let node = if matches!(f.kind, FileKind::Ci(_)) {
            kubeready_yaml::load(&text_, &kubeready_yaml::Limits::default())
                .documents
                .into_iter()
                .next()
        } else {
            common::load_yaml(&path, &text_, self.problems)
        }?;
        // The invocation's `parameters:` over the template's defaults.
        let mut node = node;
        let params = params::params(&node, invocation.get("parameters"));
        params::resolve(&mut node, &params);
        Some((path, node))
    }

    fn stages(&mut self, node: &Node, file: &str, depth: usize) -> Vec<Job> {
        let mut out = Vec::new();
        for st in items(Some(node)) {
            if st.get("template").is_some() {
                if let Some((tf, tn)) = self.template(st, file, depth) {
                    if let Some(s) = tn.get("stages") {
                        out.extend(self.stages(s, &tf, depth + 1));
                    }
                }
                continue;
            }
            let cond = st
                .get("condition")
                .and_then(|c| Some((c.as_str()?.to_string(), c.line)));
            if let Some(j) = st.get("jobs") {
                out.extend(self.jobs(j, file, cond.as_ref(), depth));
            }
        }
        out
    }

    fn jobs(
        &mut self,
        node: &Node,
        file: &str,
        stage_cond: Option<&(String, u32)>,
        depth: usize,
    ) -> Vec<Job> {
        let mut out = Vec::new();
        for j in items(Some(node)) {
            if j.get("template").is_some() {
                if let Some((tf, tn)) = self.template(j, file, depth) {
                    if let Some(js) = tn.get("jobs") {
                        out.extend(self.jobs(js, &tf, stage_cond, depth + 1));
                    }
                }
                continue;
            }
            let (id_entry, deployment) = match (j.entry("job"), j.entry("deployment")) {
                (Some(e), _) => (e, false),
                (None, Some(e)) => (e, true),
                _ => continue,
            };
            let id = text(Some(&id_entry.value)).unwrap_or_else(|| "job".into());
            let mut job = self.job_shell(j, &id, file, id_entry.key.line);
            job.needs = known::strings(j.get("dependsOn"));
            let cond = j
                .get("condition")
                .and_then(|c| Some((c.as_str()?.to_string(), c.line)))
                .or_else(|| stage_cond.cloned());
            if let Some((c, line)) = cond {
                job.triggers = condition_triggers(&c, line, &pipeline_triggers(self.root));
            }
            if deployment {
                job.environment = j.get("environment").and_then(|e| {
                    let name = text(Some(e)).or_else(|| text(e.get("name")))?;
                    let name = name.split('.').next().unwrap_or(&name).to_string();
                    Some(Environment { name, line: e.line })
                });
                for strategy in j.get("strategy").and_then(Node::as_map).unwrap_or(&[]) {
                    let s = &strategy.value;
                    for hook in ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"] {
                        if let Some(steps) = s.get(hook).and_then(|h| h.get("steps")) {
                            job.steps.extend(self.steps(steps, file, "", depth));
                        }
                    }
                    for when in ["success", "failure"] {
                        if let Some(steps) = s
                            .get("on")
                            .and_then(|o| o.get(when))
                            .and_then(|h| h.get("steps"))
                        {
                            job.steps.extend(self.steps(steps, file, "", depth));
                        }
                    }
                }
            }
            if let Some(s) = j.get("steps") {
                job.steps.extend(self.steps(s, file, "", depth));
            }
            out.push(job);
        }
        out
    }

    /// A job with its id, display name, container and services.
    fn job_shell(&self, j: &Node, id: &str, file: &str, line: u32) -> Job {
        let services = j
            .get("services")
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .filter_map(|e| self.container(&e.value))
            .collect();
        Job {
            id: id.to_string(),
            name: text(j.get("displayName")).unwrap_or_else(|| id.to_string()),
            file: file.to_string(),
            line,
            container: j
                .get("container")
                .or_else(|| self.root.get("container"))
                .and_then(|c| self.container(c)),
            services,
            ..Default::default()
        }
    }

    /// `container: alias` (from `resources.containers`), an image, or
    /// `{image: x}`.
    fn container(&self, c: &Node) -> Option<ImageUse> {
        if let Some(img) = c.get("image") {
            return Some(ImageUse {
                image: img.as_str()?.to_string(),
                line: img.line,
            });
        }
        let name = c.as_str()?;
        let resource = self
            .root
            .get("resources")
            .and_then(|r| r.get("containers"))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .find(|r| r.get("container").and_then(Node::as_str) == Some(name))
            .and_then(|r| r.get("image"));
        match resource {
            Some(img) => Some(ImageUse {
                image: img.as_str()?.to_string(),
                line: img.line,
            }),
            None => Some(ImageUse {
                image: name.to_string(),
                line: c.line,
            }),
        }
    }

    fn steps(&mut self, node: &Node, file: &str, workdir: &str, depth: usize) -> Vec<Step> {
        let mut out = Vec::new();
        for s in items(Some(node)) {
            let name = text(s.get("displayName")).or_else(|| text(s.get("name")));
            let dir = text(s.get("workingDirectory"))
                .map(|d| known::repo_relative(&d))
                .unwrap_or_else(|| workdir.to_string());
            if s.get("template").is_some() {
                if let Some((tf, tn)) = self.template(s, file, depth) {
                    if let Some(st) = tn.get("steps") {
                        out.extend(self.steps(st, &tf, workdir, depth + 1));
                    }
                }
                continue;
            }
            if let Some(body) = ["script", "bash", "pwsh", "powershell"]
                .iter()
                .find_map(|k| s.get(k))
            {
                out.extend(known::script_node_step(self.tree, file, body, name, &dir));
                continue;
            }
            let Some(task) = s.get("task") else {
                if let Some(c) = s.entry("checkout") {
                    out.push(known::action_step(
                        file,
                        c.key.line,
                        name,
                        "checkout",
                        Vec::new(),
                        &dir,
                        Vec::new(),
                    ));
                }
                continue;
            };
            let Some(task_name) = task.as_str() else {
                continue;
            };
            let inputs_node = s.get("inputs");
            let inputs = pairs(inputs_node);
            let dir = known::with_value(&inputs, "workingDirectory")
                .map(known::repo_relative)
                .unwrap_or(dir);
            if let Some(script) = tasks::script(task_name, &inputs) {
                let line = inputs_node
                    .and_then(|i| {
                        ["script", "inlineScript", "Inline"]
                            .iter()
                            .find_map(|k| i.get(k))
                    })
                    .map_or(task.line, known::script_line);
                out.push(common::script_step(
                    self.tree, file, line, name, &script, &dir,
                ));
                continue;
            }
            let meanings = tasks::meanings(task_name, &inputs);
            out.push(known::action_step(
                file, task.line, name, task_name, inputs, &dir, meanings,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests;
