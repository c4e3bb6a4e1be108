//! GitHub Actions workflows: `on:` triggers in every shape, jobs (needs,
//! environment, container, services, `if:` narrowing, matrix expansion),
//! `run:` steps (followed into the repo's Makefiles and scripts), known
//! actions (see [`super::actions`]), local composite actions and
//! local reusable workflows inlined, remote reusable workflows recorded.

pub mod actions;
pub mod expr;
pub mod matrix;

use super::common::{self, text, text_line};
use super::{
    Environment, ImageUse, Job, LocatedMeaning, Pipeline, ReusableCall, Step, StepBody, Trigger,
    TriggerKind,
};
use crate::parse::ParseProblem;
use crate::walk::{CiSystem, Tree};
use actions::{action_meanings, metadata_images, remote_workflow_step, ActionCtx, Input};
use expr::{narrow, subst, subst_shell_env, Vars};
use kubeready_shell::Meaning;
use kubeready_yaml::Node;
use matrix::matrix;
pub use matrix::MAX_MATRIX;

/// How deep local actions and reusable workflows are inlined.
const MAX_INLINE_DEPTH: usize = 4;

pub fn parse(
    tree: &Tree,
    path: &str,
    text: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let Some(doc) = common::load_yaml(path, text, problems) else {
        return Vec::new();
    };
    if !doc.is_map() {
        if !doc.is_null() {
            common::problem(
                problems,
                path,
                doc.line,
                "a workflow must be a mapping".into(),
            );
        }
        return Vec::new();
    }
    let triggers = parse_on(&doc);
    let reusable =
        !triggers.is_empty() && triggers.iter().all(|t| t.kind == TriggerKind::WorkflowCall);
    let mut gh = Gh {
        tree,
        problems,
        stack: vec![path.to_string()],
    };
    let jobs = gh.jobs(&doc, path, &triggers, None, &Vars::new(), "", 0);
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::GithubActions),
        name: text_of(doc.get("name")).unwrap_or_else(|| path.to_string()),
        triggers,
        jobs,
        reusable,
        env: Vec::new(),
    }]
}

fn text_of(n: Option<&Node>) -> Option<String> {
    text(n).filter(|s| !s.trim().is_empty())
}

/// `on:` as a string, a list or a mapping of events.
pub fn parse_on(doc: &Node) -> Vec<Trigger> {
    let Some(on) = doc.entry("on") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match &on.value.value {
        kubeready_yaml::Value::Map(entries) => {
            for e in entries {
                if let Some(name) = e.key.as_str() {
                    out.extend(event(name, e.key.line, Some(&e.value)));
                }
            }
        }
        _ => {
            for n in on.value.str_or_seq() {
                if let Some(name) = n.as_str() {
                    out.extend(event(name, n.line, None));
                }
            }
        }
    }
    out
}

fn event(name: &str, line: u32, value: Option<&Node>) -> Vec<Trigger> {
    let filters = |keys: &[&str]| -> Option<Vec<String>> {
        let v = value?;
        let mut found = false;
        let mut out = Vec::new();
        for k in keys {
            if let Some(n) = v.get(k) {
                found = true;
                let items = common::strings(Some(n));
                if k.ends_with("-ignore") {
                    out.extend(items.into_iter().map(|i| format!("!{i}")));
                } else {
                    out.extend(items);
                }
            }
        }
        found.then_some(out)
    };
    let t = |kind, branches| common::trigger(kind, line, branches);
    match name {
        "push" => {
            let branches = filters(&["branches", "branches-ignore"]);
            let tags = filters(&["tags", "tags-ignore"]);
            match (branches, tags) {
                (None, Some(tags)) => vec![t(TriggerKind::Tag, tags)],
                (Some(b), Some(tags)) => vec![t(TriggerKind::Push, b), t(TriggerKind::Tag, tags)],
                (Some(b), None) => vec![t(TriggerKind::Push, b)],
                (None, None) => vec![t(TriggerKind::Push, vec![]), t(TriggerKind::Tag, vec![])],
            }
        }
        "pull_request" | "pull_request_target" => vec![t(
            TriggerKind::PullRequest,
            filters(&["branches", "branches-ignore"]).unwrap_or_default(),
        )],
        "workflow_dispatch" => vec![t(TriggerKind::Manual, vec![])],
        "schedule" => vec![t(TriggerKind::Schedule, vec![])],
        "release" => vec![t(TriggerKind::Release, vec![])],
        "workflow_run" => vec![t(
            TriggerKind::WorkflowRun,
            filters(&["branches", "branches-ignore"]).unwrap_or_default(),
        )],
        "workflow_call" => vec![t(TriggerKind::WorkflowCall, vec![])],
        other => vec![t(TriggerKind::Other(other.to_string()), vec![])],
    }
}

/// `env:` entries merged over `base`, values substituted.
fn merge_env(base: &[(String, String)], node: Option<&Node>, vars: &Vars) -> Vec<(String, String)> {
    let mut env = base.to_vec();
    for e in node.and_then(|n| n.as_map()).unwrap_or(&[]) {
        let (Some(k), Some(v)) = (e.key.as_str(), e.value.as_str()) else {
            continue;
        };
        env.retain(|(n, _)| n != k);
        env.push((k.to_string(), subst(v, vars)));
    }
    env
}

fn env_vars(vars: &Vars, env: &[(String, String)]) -> Vars {
    let mut v = vars.clone();
    for (k, val) in env {
        v.insert(format!("env.{k}"), val.clone());
    }
    v
}

struct Gh<'a> {
    tree: &'a Tree,
    problems: &'a mut Vec<ParseProblem>,
    /// Workflows and actions being inlined (cycle guard).
    stack: Vec<String>,
}

/// What the jobs of one workflow inherit.
struct Scope<'a> {
    file: &'a str,
    triggers: &'a [Trigger],
    /// Triggers imposed by a caller (a job calling a reusable workflow).
    inherited: Option<&'a [Trigger]>,
    vars: &'a Vars,
    env: &'a [(String, String)],
    workdir: &'a str,
    prefix: &'a str,
    depth: usize,
}

impl Gh<'_> {
    #[allow(clippy::too_many_arguments)]
    fn jobs(
        &mut self,
        doc: &Node,
        file: &str,
        triggers: &[Trigger],
        inherited: Option<&[Trigger]>,
        vars: &Vars,
        prefix: &str,
        depth: usize,
    ) -> Vec<Job> {
        let env = merge_env(&[], doc.get("env"), vars);
        let vars = env_vars(vars, &env);
        let workdir = doc
            .get("defaults")
            .and_then(|d| d.get("run"))
            .and_then(|r| r.get("working-directory"))
            .and_then(|w| w.as_str())
            .map(|w| common::workdir("", &subst(w, &vars)))
            .unwrap_or_default();
        let scope = Scope {
            file,
            triggers,
            inherited,
            vars: &vars,
            env: &env,
            workdir: &workdir,
            prefix,
            depth,
        };
        let mut out = Vec::new();
        let Some(jobs) = doc.get("jobs") else {
            return out;
        };
        let Some(entries) = jobs.as_map() else {
            common::problem(
                self.problems,
                file,
                jobs.line,
                "`jobs` must be a mapping".into(),
            );
            return out;
        };
        for e in entries {
            let Some(id) = e.key.as_str() else { continue };
            if !e.value.is_map() {
                common::problem(
                    self.problems,
                    file,
                    e.key.line,
                    format!("job `{id}` must be a mapping"),
                );
                continue;
            }
            self.job(id, e.key.line, &e.value, &scope, &mut out);
        }
        out
    }

    fn job(&mut self, id: &str, line: u32, node: &Node, sc: &Scope<'_>, out: &mut Vec<Job>) {
        let matrix_node = node.get("strategy").and_then(|s| s.get("matrix"));
        let combos = matrix(self.problems, matrix_node, sc.vars, sc.file);
        let full_id = |local: &str| {
            if sc.prefix.is_empty() {
                local.to_string()
            } else {
                format!("{} / {local}", sc.prefix)
            }
        };
        for combo in combos {
            let mut vars = sc.vars.clone();
            for (k, v) in &combo.values {
                vars.insert(format!("matrix.{k}"), v.clone());
            }
            let local_id = if combo.label.is_empty() {
                id.to_string()
            } else {
                format!("{id} ({})", combo.label.join(", "))
            };
            let job_id = full_id(&local_id);
            let name = text_of(node.get("name"))
                .map(|n| subst(&n, &vars))
                .map(|n| {
                    if sc.prefix.is_empty() {
                        n
                    } else {
                        format!("{} / {n}", sc.prefix)
                    }
                })
                .unwrap_or_else(|| job_id.clone());
            let base = sc.inherited.unwrap_or(sc.triggers);
            let narrowed = node
                .get("if")
                .and_then(|c| c.as_str())
                .and_then(|c| narrow(base, &subst(c, &vars)));
            let job_triggers = narrowed.or_else(|| sc.inherited.map(<[Trigger]>::to_vec));
            let effective: Vec<Trigger> =
                job_triggers.clone().unwrap_or_else(|| sc.triggers.to_vec());
            let env = merge_env(sc.env, node.get("env"), &vars);
            let vars = env_vars(&vars, &env);
            let mut needs: Vec<String> = common::strings(node.get("needs"))
                .into_iter()
                .map(|n| full_id(&n))
                .collect();
            needs.sort();
            let mut job = Job {
                id: job_id.clone(),
                name,
                file: sc.file.to_string(),
                line,
                triggers: job_triggers,
                environment: node.get("environment").and_then(|e| {
                    common::name_or_map(e, "name").map(|n| Environment {
                        name: subst(n.as_str().unwrap_or(""), &vars),
                        line: n.line,
                    })
                }),
                container: node.get("container").and_then(|c| {
                    common::name_or_map(c, "image").map(|n| ImageUse {
                        image: subst(n.as_str().unwrap_or(""), &vars),
                        line: n.line,
                    })
                }),
                services: node
                    .get("services")
                    .and_then(|s| s.as_map())
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|s| {
                        let n = common::name_or_map(&s.value, "image")?;
                        Some(ImageUse {
                            image: subst(n.as_str().unwrap_or(""), &vars),
                            line: n.line,
                        })
                    })
                    .collect(),
                needs,
                ..Job::default()
            };
            if let Some(uses) = node.get("uses").and_then(|u| u.as_str()) {
                let inputs = inputs(node.get("with"), &vars);
                job.calls = Some(ReusableCall {
                    target: uses.to_string(),
                    line: node.get("uses").map(|u| u.line).unwrap_or(line),
                    inputs: inputs
                        .iter()
                        .map(|i| (i.key.clone(), i.value.clone()))
                        .collect(),
                });
                if let Some(local) = uses.strip_prefix("./") {
                    let called =
                        self.called_workflow(local, &inputs, &effective, &job_id, sc.depth);
                    out.push(job);
                    out.extend(called);
                } else {
                    if let Some(step) =
                        remote_workflow_step(uses, &inputs, sc.file, job.calls.as_ref())
                    {
                        job.steps.push(step);
                    }
                    out.push(job);
                }
                continue;
            }
            let workdir = node
                .get("defaults")
                .and_then(|d| d.get("run"))
                .and_then(|r| r.get("working-directory"))
                .and_then(|w| w.as_str())
                .map(|w| common::workdir("", &subst(w, &vars)))
                .unwrap_or_else(|| sc.workdir.to_string());
            let mut vars = vars;
            let mut ecs = Vec::new();
            let steps = node.get("steps").and_then(|s| s.as_seq()).unwrap_or(&[]);
            let mut ctx = StepCtx {
                file: sc.file,
                env: &env,
                workdir: &workdir,
                triggers: &effective,
                depth: sc.depth,
            };
            self.steps(steps, &mut ctx, &mut vars, &mut ecs, &mut job.steps);
            out.push(job);
        }
    }

    /// Inlines the jobs of a local reusable workflow, with the caller's
    /// triggers and `with:` inputs.
    fn called_workflow(
        &mut self,
        local: &str,
        inputs: &[Input],
        triggers: &[Trigger],
        caller_id: &str,
        depth: usize,
    ) -> Vec<Job> {
        let Some(path) = crate::paths::normalize(local) else {
            return Vec::new();
        };
        if depth >= MAX_INLINE_DEPTH || self.stack.contains(&path) || !self.tree.has_file(&path) {
            return Vec::new();
        }
        let Some(doc) = common::load_followed_yaml(self.tree, &path, self.problems) else {
            return Vec::new();
        };
        let mut vars = Vars::new();
        let declared = doc
            .get("on")
            .and_then(|o| o.get("workflow_call"))
            .and_then(|w| w.get("inputs"))
            .and_then(|i| i.as_map())
            .unwrap_or(&[]);
        for d in declared {
            let Some(k) = d.key.as_str() else { continue };
            if let Some(v) = text(d.value.get("default")) {
                vars.insert(format!("inputs.{k}"), v);
            }
            if d.value.get("type").and_then(|t| t.as_str()) == Some("boolean") {
                vars.insert(format!("inputs.{k}{}", expr::BOOLEAN_INPUT), String::new());
            }
        }
        for i in inputs {
            vars.insert(format!("inputs.{}", i.key), i.value.clone());
        }
        let callee_triggers = parse_on(&doc);
        self.stack.push(path.clone());
        let jobs = self.jobs(
            &doc,
            &path,
            &callee_triggers,
            Some(triggers),
            &vars,
            caller_id,
            depth + 1,
        );
        self.stack.pop();
        jobs
    }

    fn steps(
        &mut self,
        steps: &[Node],
        ctx: &mut StepCtx<'_>,
        vars: &mut Vars,
        ecs: &mut Vec<String>,
        out: &mut Vec<Step>,
    ) {
        for s in steps {
            if !s.is_map() {
                continue;
            }
            if let Some(cond) = s.get("if").and_then(|c| c.as_str()) {
                if expr::false_by_inputs(cond, vars) {
                    continue;
                }
                if let Some(kept) = narrow(ctx.triggers, &subst(cond, vars)) {
                    if kept.is_empty() && !ctx.triggers.is_empty() {
                        continue;
                    }
                }
            }
            let name = text_of(s.get("name")).map(|n| subst(&n, vars));
            let env = merge_env(ctx.env, s.get("env"), vars);
            let step_vars = env_vars(vars, &env);
            if let Some(run) = s.get("run") {
                let Some(script) = run.as_str() else { continue };
                let workdir = s
                    .get("working-directory")
                    .and_then(|w| w.as_str())
                    .map(|w| common::workdir("", &subst(w, &step_vars)))
                    .unwrap_or_else(|| ctx.workdir.to_string());
                let script = subst_shell_env(&subst(script, &step_vars), &env);
                let shell = s.get("shell").and_then(|x| x.as_str()).unwrap_or("");
                let mut step = common::script_step(
                    self.tree,
                    ctx.file,
                    text_line(run),
                    name,
                    &script,
                    &workdir,
                );
                if shell.starts_with("python") || shell.starts_with("node") {
                    step.meanings.clear();
                }
                out.push(step);
                continue;
            }
            let Some(uses_node) = s.get("uses") else {
                continue;
            };
            let Some(uses) = uses_node.as_str() else {
                continue;
            };
            let uses = uses.trim();
            let with = inputs(s.get("with"), &step_vars);
            let mut step = Step {
                name,
                file: ctx.file.to_string(),
                line: uses_node.line,
                body: StepBody::Action {
                    uses: uses.to_string(),
                    with: with
                        .iter()
                        .map(|i| (i.key.clone(), i.value.clone()))
                        .collect(),
                },
                workdir: String::new(),
                meanings: Vec::new(),
            };
            if let Some(local) = uses.strip_prefix("./") {
                out.push(step);
                self.local_action(local, &with, ctx, ecs, out);
                continue;
            }
            if let Some(image) = uses.strip_prefix("docker://") {
                step.meanings.push(LocatedMeaning {
                    file: ctx.file.to_string(),
                    line: uses_node.line,
                    meaning: Meaning::ImageRun {
                        tool: "docker".into(),
                        image: image.to_string(),
                        command: with
                            .iter()
                            .find(|i| i.key == "args")
                            .map(|i| i.value.split_whitespace().map(str::to_string).collect())
                            .unwrap_or_default(),
                    },
                });
                out.push(step);
                continue;
            }
            let lower = uses.to_ascii_lowercase();
            if lower.starts_with("docker/metadata-action") {
                if let Some(id) = s.get("id").and_then(|i| i.as_str()) {
                    let images = metadata_images(&with);
                    if !images.is_empty() {
                        let tags: Vec<String> = images
                            .iter()
                            .map(|i| format!("{i}:${{{{ steps.{id}.outputs.version }}}}"))
                            .collect();
                        vars.insert(format!("steps.{id}.outputs.tags"), tags.join("\n"));
                    }
                }
            }
            let mut actx = ActionCtx {
                tree: self.tree,
                triggers: ctx.triggers,
                ecs_images: &mut *ecs,
                workdir: "",
            };
            for (line, meaning) in action_meanings(uses, &with, uses_node.line, &mut actx) {
                step.meanings.push(LocatedMeaning {
                    file: ctx.file.to_string(),
                    line,
                    meaning,
                });
            }
            out.push(step);
        }
    }

    /// Inlines a local composite action's steps (located in its file).
    fn local_action(
        &mut self,
        local: &str,
        with: &[Input],
        ctx: &mut StepCtx<'_>,
        ecs: &mut Vec<String>,
        out: &mut Vec<Step>,
    ) {
        let Some(dir) = crate::paths::normalize(local.trim_end_matches('/')) else {
            return;
        };
        let candidates = if dir.ends_with(".yml") || dir.ends_with(".yaml") {
            vec![dir.clone()]
        } else {
            ["action.yml", "action.yaml"]
                .iter()
                .filter_map(|n| crate::paths::join(&dir, n))
                .collect()
        };
        let Some(file) = candidates.into_iter().find(|p| self.tree.has_file(p)) else {
            return;
        };
        if ctx.depth >= MAX_INLINE_DEPTH || self.stack.contains(&file) {
            return;
        }
        let Some(doc) = common::load_followed_yaml(self.tree, &file, self.problems) else {
            return;
        };
        let mut vars = Vars::new();
        vars.insert("github.action_path".into(), dir.clone());
        for d in doc.get("inputs").and_then(|i| i.as_map()).unwrap_or(&[]) {
            if let (Some(k), Some(v)) = (d.key.as_str(), text(d.value.get("default"))) {
                vars.insert(format!("inputs.{k}"), v);
            }
        }
        for i in with {
            vars.insert(format!("inputs.{}", i.key), i.value.clone());
        }
        for (k, v) in ctx.env {
            vars.insert(format!("env.{k}"), v.clone());
        }
        let Some(runs) = doc.get("runs") else { return };
        let using = runs.get("using").and_then(|u| u.as_str()).unwrap_or("");
        if using == "composite" {
            let steps = runs.get("steps").and_then(|s| s.as_seq()).unwrap_or(&[]);
            self.stack.push(file.clone());
            let mut inner = StepCtx {
                file: &file,
                env: ctx.env,
                workdir: "",
                triggers: ctx.triggers,
                depth: ctx.depth + 1,
            };
            self.steps(steps, &mut inner, &mut vars, ecs, out);
            self.stack.pop();
        } else if using == "docker" {
            if let Some(img) = runs.get("image").and_then(|i| i.as_str()) {
                if let Some(image) = img.strip_prefix("docker://") {
                    out.push(Step {
                        name: text_of(doc.get("name")),
                        file: file.clone(),
                        line: runs.get("image").map(|i| i.line).unwrap_or(1),
                        body: StepBody::Action {
                            uses: img.to_string(),
                            with: Vec::new(),
                        },
                        workdir: String::new(),
                        meanings: vec![LocatedMeaning {
                            file: file.clone(),
                            line: runs.get("image").map(|i| i.line).unwrap_or(1),
                            meaning: Meaning::ImageRun {
                                tool: "docker".into(),
                                image: image.to_string(),
                                command: Vec::new(),
                            },
                        }],
                    });
                }
            }
        }
    }
}

struct StepCtx<'a> {
    file: &'a str,
    env: &'a [(String, String)],
    workdir: &'a str,
    triggers: &'a [Trigger],
    depth: usize,
}

/// `with:` inputs, values substituted, each with the line its text starts on.
fn inputs(node: Option<&Node>, vars: &Vars) -> Vec<Input> {
    node.and_then(|n| n.as_map())
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            Some(Input {
                key: e.key.as_str()?.to_string(),
                value: subst(e.value.as_str()?, vars),
                line: text_line(&e.value),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
