//! CircleCI (`.circleci/config.yml`): jobs with their executors and steps,
//! local commands and orb jobs/commands, and workflows (requires, branch
//! and tag filters, approval gates, scheduled triggers).

pub mod orbs;

use std::collections::{BTreeMap, HashMap};

use super::known::{self, action_step, pairs, text, trigger, MAX_INCLUDE_DEPTH};
use super::{common, ImageUse, Job, Pipeline, Step, Trigger, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, Tree};
use kubeready_yaml::Node;
use orbs::{orb_name, pairs_of, subst, with_defaults, Params};

struct Cx<'a> {
    tree: &'a Tree,
    file: &'a str,
    root: &'a Node,
    /// Orb alias → orb name (`docker` for `circleci/docker@2.4`).
    orbs: HashMap<String, String>,
}

pub fn parse(
    tree: &Tree,
    path: &str,
    text_: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let Some(root) = common::load_yaml(path, text_, problems) else {
        return Vec::new();
    };
    if !root.is_map() {
        problems.push(ParseProblem::new(
            path,
            root.line,
            ProblemKind::Partial,
            "a CircleCI config must be a mapping",
        ));
        return Vec::new();
    }
    let orbs = root
        .get("orbs")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            let alias = e.key_str()?.to_string();
            let name = match e.value.as_str() {
                Some(r) => orb_name(r),
                None => alias.clone(),
            };
            Some((alias, name))
        })
        .collect();
    let cx = Cx {
        tree,
        file: path,
        root: &root,
        orbs,
    };
    let mut pipeline = Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::Circleci),
        name: path.to_string(),
        triggers: vec![trigger(TriggerKind::Push, 1, Vec::new())],
        jobs: Vec::new(),
        reusable: false,
        env: Vec::new(),
    };
    let workflows: Vec<(&str, &Node)> = root
        .get("workflows")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter(|e| e.value.is_map())
        .filter_map(|e| Some((e.key_str()?, &e.value)))
        .collect();
    if workflows.is_empty() {
        // CircleCI 2.0 without workflows: every job runs on pushes.
        for e in root.get("jobs").and_then(Node::as_map).unwrap_or(&[]) {
            let Some(id) = e.key_str() else { continue };
            if let Some(job) = cx.defined_job(id, e.key.line, &e.value, &Params::new()) {
                pipeline.jobs.push(job);
            }
        }
        return vec![pipeline];
    }
    for (_, wf) in workflows {
        cx.workflow(wf, &mut pipeline.jobs, problems);
    }
    vec![pipeline]
}

/// One job entry of a workflow.
struct Entry<'a> {
    job: String,
    id: String,
    line: u32,
    requires: Vec<String>,
    approval: bool,
    own: Option<Vec<Trigger>>,
    params: &'a [kubeready_yaml::Entry],
}

impl Cx<'_> {
    fn workflow(&self, wf: &Node, jobs: &mut Vec<Job>, problems: &mut Vec<ParseProblem>) {
        // Scheduled workflows run on their schedule only.
        let mut base: Vec<Trigger> = Vec::new();
        for t in wf.get("triggers").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(s) = t.get("schedule") {
                let branches = filter_list(s.get("filters"), "branches", "only");
                base.push(trigger(TriggerKind::Schedule, t.line, branches));
            }
        }
        if base.is_empty() {
            base.push(trigger(TriggerKind::Push, wf.line, Vec::new()));
        }
        let mut entries: Vec<Entry> = Vec::new();
        for item in wf.get("jobs").and_then(Node::as_seq).unwrap_or(&[]) {
            let (job, params, line) = match (item.as_str(), item.as_map()) {
                (Some(s), _) => (s.to_string(), &[][..], item.line),
                (None, Some([e])) => match (e.key_str(), e.value.as_map()) {
                    (Some(k), Some(m)) => (k.to_string(), m, e.key.line),
                    (Some(k), None) => (k.to_string(), &[][..], e.key.line),
                    _ => continue,
                },
                _ => continue,
            };
            let get = |k: &str| {
                params
                    .iter()
                    .find(|e| e.key_str() == Some(k))
                    .map(|e| &e.value)
            };
            let id = text(get("name")).unwrap_or_else(|| job.clone());
            let approval = text(get("type")).as_deref() == Some("approval");
            let requires = known::strings(get("requires"));
            let own = get("filters").map(|f| filter_triggers(f, &base));
            entries.push(Entry {
                job,
                id,
                line,
                requires,
                approval,
                own,
                params,
            });
        }
        let mut memo: HashMap<String, Vec<Trigger>> = HashMap::new();
        for i in 0..entries.len() {
            effective(&entries, i, &base, &mut memo, 0);
        }
        for e in &entries {
            if e.approval {
                continue;
            }
            let triggers = memo.get(&e.id).cloned().unwrap_or_else(|| base.clone());
            let params: Params = e
                .params
                .iter()
                .filter(|p| p.key_str() != Some("matrix"))
                .filter_map(|p| Some((p.key_str()?.to_string(), known::render(&p.value))))
                .collect();
            let matrix = e.params.iter().find(|p| p.key_str() == Some("matrix"));
            let combos = match matrix {
                Some(m) => matrix_combinations(&m.value, self.file, problems),
                None => vec![Vec::new()],
            };
            for combo in combos {
                let mut params = params.clone();
                let mut id = e.id.clone();
                for (k, v) in &combo {
                    params.insert(k.clone(), v.clone());
                    id.push('-');
                    id.push_str(v);
                }
                let w = WorkflowJob {
                    id: &id,
                    params: &params,
                    combo: &combo,
                    triggers: &triggers,
                };
                self.workflow_job(e, &w, jobs, problems);
            }
        }
    }

    /// One job of a workflow (one matrix combination), added to `jobs`.
    fn workflow_job(
        &self,
        e: &Entry,
        w: &WorkflowJob<'_>,
        jobs: &mut Vec<Job>,
        problems: &mut Vec<ParseProblem>,
    ) {
        {
            let triggers = w.triggers.to_vec();
            let job = if let Some(def) = self.root.get("jobs").and_then(|j| j.entry(&e.job)) {
                self.defined_job(w.id, def.key.line, &def.value, w.params)
            } else if let Some((orb, cmd)) = self.orb_ref(&e.job) {
                let mut with: Vec<(String, String)> = pairs_of(e.params);
                with.retain(|(k, _)| k != "matrix" && !w.combo.iter().any(|(c, _)| c == k));
                with.extend(w.combo.iter().cloned());
                let meanings = orbs::meanings(&orb, &cmd, &with);
                Some(Job {
                    id: w.id.to_string(),
                    name: w.id.to_string(),
                    file: self.file.to_string(),
                    line: e.line,
                    steps: vec![action_step(
                        self.file,
                        e.line,
                        Some(w.id.to_string()),
                        &e.job,
                        with,
                        "",
                        meanings,
                    )],
                    ..Default::default()
                })
            } else {
                let problem = ParseProblem::new(
                    self.file,
                    e.line,
                    ProblemKind::Partial,
                    format!("workflow job `{}` is not defined in this file", e.job),
                );
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
                None
            };
            let Some(mut job) = job else { return };
            job.needs = e.requires.clone();
            match jobs.iter_mut().find(|j| j.id == job.id) {
                Some(existing) => {
                    let t = existing.triggers.get_or_insert_with(Vec::new);
                    for x in triggers {
                        if !t.contains(&x) {
                            t.push(x);
                        }
                    }
                }
                None => {
                    job.triggers = Some(triggers);
                    jobs.push(job);
                }
            }
        }
    }

    fn orb_ref(&self, name: &str) -> Option<(String, String)> {
        let (alias, cmd) = name.split_once('/')?;
        let orb = self
            .orbs
            .get(alias)
            .cloned()
            .unwrap_or_else(|| alias.to_string());
        Some((orb, cmd.to_string()))
    }

    /// A job from its definition under `jobs:`.
    fn defined_job(&self, id: &str, line: u32, def: &Node, invocation: &Params) -> Option<Job> {
        if !def.is_map() {
            return None;
        }
        let params = with_defaults(def, invocation);
        // CircleCI checks the repo out into the job's working directory
        // (`~/project` by default), so that folder is the repo root.
        let job_dir = text(def.get("working_directory"))
            .map(|w| absolute_dir(&subst(&w, &params), DEFAULT_DIR))
            .unwrap_or_else(|| DEFAULT_DIR.to_string());
        // ... unless `checkout: {path: ...}` (or, without a checkout, an
        // attached workspace) puts the repo elsewhere: then the job's
        // folder is the root or a folder below it.
        let (job_dir, workdir) = match def.get("steps").and_then(repo_location) {
            Some(p) => {
                let root = absolute_dir(&subst(&p, &params), &job_dir);
                let rel = step_dir(&root, "", &job_dir);
                (root, rel)
            }
            None => (job_dir, String::new()),
        };
        let docker = def.get("docker").or_else(|| {
            let ex = def.get("executor")?;
            let name = text(Some(ex)).or_else(|| text(ex.get("name")))?;
            self.root.get("executors")?.get(&name)?.get("docker")
        });
        let mut images = docker
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|d| {
                let img = d.get("image")?;
                Some(ImageUse {
                    image: subst(img.as_str()?, &params),
                    line: img.line,
                })
            });
        let container = images.next();
        let services = images.collect();
        let steps = def
            .get("steps")
            .map(|s| self.steps(s, &job_dir, &workdir, &params, 0))
            .unwrap_or_default();
        Some(Job {
            id: id.to_string(),
            name: id.to_string(),
            file: self.file.to_string(),
            line,
            container,
            services,
            steps,
            ..Default::default()
        })
    }

    /// `job_dir`: the job's checkout folder as an absolute path (for step
    /// `working_directory:` values); `workdir`: the repo-relative folder.
    fn steps(
        &self,
        node: &Node,
        job_dir: &str,
        workdir: &str,
        params: &Params,
        depth: usize,
    ) -> Vec<Step> {
        let mut out = Vec::new();
        for item in node.as_seq().unwrap_or(&[]) {
            let (name, value, line) = match (item.as_str(), item.as_map()) {
                (Some(s), _) => (s, None, item.line),
                (None, Some([e])) => match e.key_str() {
                    Some(k) => (k, Some(&e.value), e.key.line),
                    None => continue,
                },
                _ => continue,
            };
            match name {
                "run" => {
                    let Some(v) = value else { continue };
                    let (cmd, step_name, dir) = if v.is_map() {
                        (
                            v.get("command"),
                            text(v.get("name")),
                            text(v.get("working_directory")),
                        )
                    } else {
                        (Some(v), None, None)
                    };
                    let Some(cmd) = cmd.filter(|c| c.as_str().is_some()) else {
                        continue;
                    };
                    let dir = match dir {
                        Some(d) => step_dir(job_dir, workdir, &subst(&d, params)),
                        None => workdir.to_string(),
                    };
                    let script = subst(cmd.as_str().unwrap_or_default(), params);
                    out.push(common::script_step(
                        self.tree,
                        self.file,
                        known::script_line(cmd),
                        step_name,
                        &script,
                        &dir,
                    ));
                }
                "when" | "unless" => {
                    if let Some(s) = value.and_then(|v| v.get("steps")) {
                        out.extend(self.steps(s, job_dir, workdir, params, depth));
                    }
                }
                _ if name.contains('/') => {
                    let Some((orb, cmd)) = self.orb_ref(name) else {
                        continue;
                    };
                    let with: Vec<(String, String)> = pairs(value)
                        .into_iter()
                        .map(|(k, v)| (k, subst(&v, params)))
                        .collect();
                    let meanings = orbs::meanings(&orb, &cmd, &with);
                    out.push(action_step(
                        self.file, line, None, name, with, workdir, meanings,
                    ));
                }
                _ => {
                    let local = self.root.get("commands").and_then(|c| c.get(name));
                    match local {
                        Some(def) if depth < MAX_INCLUDE_DEPTH => {
                            let inv: Params = pairs(value)
                                .into_iter()
                                .map(|(k, v)| (k, subst(&v, params)))
                                .collect();
                            let p = with_defaults(def, &inv);
                            if let Some(s) = def.get("steps") {
                                out.extend(self.steps(s, job_dir, workdir, &p, depth + 1));
                            }
                        }
                        _ => out.push(action_step(
                            self.file,
                            line,
                            None,
                            name,
                            pairs(value),
                            workdir,
                            Vec::new(),
                        )),
                    }
                }
            }
        }
        out
    }
}

/// One job a workflow entry stands for (one matrix combination).
struct WorkflowJob<'a> {
    /// `build-api` for `build` with `service: api` from a matrix.
    id: &'a str,
    params: &'a Params,
    combo: &'a [(String, String)],
    triggers: &'a [Trigger],
}

/// A workflow job's `matrix:` (`parameters:` of lists, `exclude:`) as
/// parameter combinations, at most [`common::MAX_COMBINATIONS`].
fn matrix_combinations(
    m: &Node,
    file: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<common::Combination> {
    let axes = m
        .get("parameters")
        .map(common::matrix_axes)
        .unwrap_or_default();
    let (combos, cut) = common::combinations(&axes);
    if cut {
        problems.push(ParseProblem::new(
            file,
            m.line,
            ProblemKind::Partial,
            format!(
                "the matrix has more than {} combinations; only the first {} are read",
                common::MAX_COMBINATIONS,
                common::MAX_COMBINATIONS
            ),
        ));
    }
    let excluded: Vec<Vec<(String, String)>> = m
        .get("exclude")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .map(|x| {
            x.as_map()
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| Some((e.key_str()?.to_string(), known::render(&e.value))))
                .collect()
        })
        .collect();
    let out: Vec<common::Combination> = combos
        .into_iter()
        .filter(|c| {
            !excluded
                .iter()
                .any(|x| !x.is_empty() && x.iter().all(|p| c.contains(p)))
        })
        .collect();
    if out.is_empty() {
        vec![Vec::new()]
    } else {
        out
    }
}

/// Where CircleCI checks out when a job names no `working_directory`.
const DEFAULT_DIR: &str = "/home/circleci/project";

/// A folder as an absolute path: `~` is the CircleCI user's home,
/// `$CIRCLE_WORKING_DIRECTORY` the job's folder (`job_dir`); a relative
/// folder is below `job_dir`. Trailing slashes dropped.
fn absolute_dir(dir: &str, job_dir: &str) -> String {
    let d = dir.trim();
    let expanded = if let Some(rest) = ["$CIRCLE_WORKING_DIRECTORY", "${CIRCLE_WORKING_DIRECTORY}"]
        .iter()
        .find_map(|v| d.strip_prefix(v))
    {
        format!("{job_dir}{rest}")
    } else if let Some(rest) = d.strip_prefix('~') {
        format!("/home/circleci{rest}")
    } else if d.starts_with('/') {
        d.to_string()
    } else {
        format!("{job_dir}/{d}")
    };
    let norm = crate::paths::normalize(&expanded).unwrap_or_default();
    format!("/{norm}")
}

/// A step's `working_directory:` as a repo folder: relative to the job's
/// folder, or absolute (only a folder below the checkout is a folder of
/// the repo; any other absolute path or variable is unknown, read as the
/// root).
fn step_dir(job_dir: &str, workdir: &str, dir: &str) -> String {
    let d = dir.trim();
    let relative = !(d.starts_with('/') || d.starts_with('~') || d.starts_with('$'));
    if relative {
        return crate::paths::join(workdir, d).unwrap_or_default();
    }
    if d.starts_with('$') && !d.contains("CIRCLE_WORKING_DIRECTORY") {
        return String::new();
    }
    let abs = absolute_dir(d, job_dir);
    match abs.strip_prefix(job_dir) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            crate::paths::normalize(rest).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Where a job's repo is, when not in its working directory: the `path:`
/// of its `checkout` step; or, for a job that does not check out, where
/// it attaches the workspace an earlier job persisted (`attach_workspace:
/// {at: ~/project}`). `None`: the working directory (a plain `checkout`).
fn repo_location(steps: &Node) -> Option<String> {
    let steps = steps.as_seq()?;
    let checkout = steps.iter().find_map(|s| match s.as_str() {
        Some("checkout") => Some(None),
        _ => s.get("checkout").map(|c| text(c.get("path"))),
    });
    match checkout {
        Some(path) => path,
        None => steps
            .iter()
            .find_map(|s| text(s.get("attach_workspace")?.get("at"))),
    }
}

/// `filters.<what>.<how>` as a list.
fn filter_list(filters: Option<&Node>, what: &str, how: &str) -> Vec<String> {
    known::strings(filters.and_then(|f| f.get(what)).and_then(|b| b.get(how)))
}

/// A workflow job's `filters:` as triggers. Jobs run on branch pushes
/// (narrowed by `branches.only`/`ignore`) and, with `tags.only`, on
/// matching tags too; `branches: {ignore: /.*/}` leaves tags only.
fn filter_triggers(f: &Node, base: &[Trigger]) -> Vec<Trigger> {
    let only = filter_list(Some(f), "branches", "only");
    let ignore = filter_list(Some(f), "branches", "ignore");
    let tags = filter_list(Some(f), "tags", "only");
    let line = f.line;
    let scheduled = base.iter().all(|t| t.kind == TriggerKind::Schedule);
    let mut out = Vec::new();
    let ignores_all = ignore.iter().any(|i| i == "/.*/");
    if !ignores_all {
        let kind = if scheduled {
            TriggerKind::Schedule
        } else {
            TriggerKind::Push
        };
        out.push(trigger(kind, line, only));
    }
    if !tags.is_empty() && !scheduled {
        out.push(trigger(TriggerKind::Tag, line, tags));
    }
    out
}

/// A workflow job's effective triggers: Manual when it (transitively)
/// requires an approval job; else its own filters; else those of the jobs
/// it requires (a job waits for them, so it runs when they do).
fn effective(
    entries: &[Entry],
    i: usize,
    base: &[Trigger],
    memo: &mut HashMap<String, Vec<Trigger>>,
    depth: usize,
) -> Vec<Trigger> {
    let Some(e) = entries.get(i) else {
        return base.to_vec();
    };
    if let Some(t) = memo.get(&e.id) {
        return t.clone();
    }
    if depth > 64 {
        return base.to_vec();
    }
    if e.approval {
        let t = vec![trigger(TriggerKind::Manual, e.line, Vec::new())];
        memo.insert(e.id.clone(), t.clone());
        return t;
    }
    let mut from_requires: BTreeMap<usize, Vec<Trigger>> = BTreeMap::new();
    for r in &e.requires {
        if let Some(j) = entries.iter().position(|x| &x.id == r) {
            from_requires.insert(j, effective(entries, j, base, memo, depth + 1));
        }
    }
    let manual = from_requires
        .values()
        .find(|t| !t.is_empty() && t.iter().all(|t| t.kind == TriggerKind::Manual));
    let t = if let Some(m) = manual {
        m.clone()
    } else if let Some(own) = &e.own {
        own.clone()
    } else if !from_requires.is_empty() {
        let mut u: Vec<Trigger> = Vec::new();
        for t in from_requires.into_values().flatten() {
            if !u.contains(&t) {
                u.push(t);
            }
        }
        u
    } else {
        base.to_vec()
    };
    memo.insert(e.id.clone(), t.clone());
    t
}

#[cfg(test)]
mod tests;
