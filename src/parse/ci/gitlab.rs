//! GitLab CI: jobs (top-level keys that are not reserved or hidden),
//! `include: local` (merged, nested, wildcards; other include kinds
//! recorded), `extends:` (deep merge, cycles guarded), `!reference`,
//! `default:` and global `image`/`services`/`before_script`, `variables:`,
//! scripts item by item with their own lines (one shell: `cd` carries on),
//! `rules:`/`only:`/`except:`/`when:` and `workflow:rules` as triggers,
//! environments, needs, child pipelines (`trigger: include:`).

pub mod rules;

use super::common::{self, text_line};
use super::{Environment, ImageUse, Job, LocatedMeaning, Pipeline, ReusableCall, Step, StepBody};
use super::{Trigger, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, Tree};
use kubeready_shell::{ImageBuild, Meaning};
use kubeready_yaml::{Node, Value};
use rules::{Event, Outcome, EVENTS};
use std::collections::BTreeMap;

const RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "types",
    "spec",
    "pages:deploy",
];
/// Nesting of includes, extends and `!reference`.
const MAX_DEPTH: usize = 10;

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
                "a GitLab CI file must be a mapping".into(),
            );
        }
        return Vec::new();
    }
    let mut gl = Gl {
        tree,
        problems,
        files: Vec::new(),
        stack: Vec::new(),
    };
    let (triggers, jobs) = gl.pipeline(path, doc, None, "", 0);
    // A root `*.gitlab-ci.yml` that the main file includes only runs through it.
    let included =
        path != ".gitlab-ci.yml" && path != ".gitlab-ci.yaml" && included_by_root(tree, path);
    let jobs = if included {
        jobs.into_iter()
            .map(|j| Job {
                triggers: Some(Vec::new()),
                ..j
            })
            .collect()
    } else {
        jobs
    };
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::GitlabCi),
        name: path.to_string(),
        triggers: if included { Vec::new() } else { triggers },
        jobs,
        reusable: included,
        env: Vec::new(),
    }]
}

fn included_by_root(tree: &Tree, path: &str) -> bool {
    [".gitlab-ci.yml", ".gitlab-ci.yaml"]
        .iter()
        .filter_map(|r| tree.read_text(r).ok())
        .any(|t| t.contains(path))
}

/// A value merged from several files (`include`, `extends`): maps are
/// merged key by key, anything else is a leaf from one file.
#[derive(Clone, Debug)]
enum Mv {
    Leaf(usize, Node),
    Map(Vec<(String, Mv)>),
}

impl Mv {
    fn of(file: usize, node: &Node) -> Mv {
        match (&node.value, &node.tag) {
            (Value::Map(entries), None) => Mv::Map(
                entries
                    .iter()
                    .filter_map(|e| Some((e.key.as_str()?.to_string(), Mv::of(file, &e.value))))
                    .collect(),
            ),
            _ => Mv::Leaf(file, node.clone()),
        }
    }

    fn get(&self, key: &str) -> Option<&Mv> {
        match self {
            Mv::Map(e) => e.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Mv::Leaf(..) => None,
        }
    }

    fn leaf(&self) -> Option<(usize, &Node)> {
        match self {
            Mv::Leaf(f, n) => Some((*f, n)),
            Mv::Map(_) => None,
        }
    }

    fn str(&self) -> Option<&str> {
        self.leaf().and_then(|(_, n)| n.as_str())
    }

    fn line(&self) -> u32 {
        match self {
            Mv::Leaf(_, n) => n.line,
            Mv::Map(e) => e.first().map(|(_, v)| v.line()).unwrap_or(1),
        }
    }

    /// `over` merged onto `self` (GitLab's deep merge: maps merge, the rest
    /// is replaced).
    fn merge(self, over: &Mv) -> Mv {
        match (self, over) {
            (Mv::Map(mut base), Mv::Map(o)) => {
                for (k, v) in o {
                    match base.iter().position(|(b, _)| b == k) {
                        Some(i) => {
                            let (_, old) = base.remove(i);
                            base.insert(i, (k.clone(), old.merge(v)));
                        }
                        None => base.push((k.clone(), v.clone())),
                    }
                }
                Mv::Map(base)
            }
            (_, o) => o.clone(),
        }
    }

    fn without(&self, key: &str) -> Mv {
        match self {
            Mv::Map(e) => Mv::Map(e.iter().filter(|(k, _)| k != key).cloned().collect()),
            m => m.clone(),
        }
    }
}

/// A configuration with its includes merged.
struct Config {
    /// Top-level keys in order: (key, file index, key line, value).
    defs: Vec<(String, usize, u32, Mv)>,
    /// Includes not read: (kind, target, file index, line).
    remote: Vec<(String, String, usize, u32)>,
}

impl Config {
    fn def(&self, key: &str) -> Option<&Mv> {
        self.defs.iter().find(|d| d.0 == key).map(|d| &d.3)
    }
}

struct Gl<'a> {
    tree: &'a Tree,
    problems: &'a mut Vec<ParseProblem>,
    files: Vec<String>,
    stack: Vec<String>,
}

impl Gl<'_> {
    fn file_index(&mut self, path: &str) -> usize {
        match self.files.iter().position(|f| f == path) {
            Some(i) => i,
            None => {
                self.files.push(path.to_string());
                self.files.len() - 1
            }
        }
    }

    fn file(&self, i: usize) -> String {
        self.files.get(i).cloned().unwrap_or_default()
    }

    /// Reads `doc` (at `path`) with its includes: pipeline triggers and jobs.
    fn pipeline(
        &mut self,
        path: &str,
        doc: Node,
        inherited: Option<&[Trigger]>,
        prefix: &str,
        depth: usize,
    ) -> (Vec<Trigger>, Vec<Job>) {
        let mut cfg = Config {
            defs: Vec::new(),
            remote: Vec::new(),
        };
        self.stack.push(path.to_string());
        self.add_file(&mut cfg, path, &doc, 0);
        self.stack.pop();
        let mut resolved: BTreeMap<String, Mv> = BTreeMap::new();
        let workflow = self.resolve(&cfg, "workflow", &mut resolved, 0);
        let (triggers, allowed) = workflow_triggers(workflow.as_ref());
        let mut jobs = Vec::new();
        let names: Vec<(String, usize, u32)> = cfg
            .defs
            .iter()
            .filter(|(k, _, _, v)| {
                !k.starts_with('.') && !RESERVED.contains(&k.as_str()) && matches!(v, Mv::Map(_))
            })
            .map(|(k, f, l, _)| (k.clone(), *f, *l))
            .collect();
        for (name, file, line) in names {
            let Some(mv) = self.resolve(&cfg, &name, &mut resolved, 0) else {
                continue;
            };
            let pipeline_triggers = inherited.unwrap_or(&triggers);
            for combo in self.parallel_matrix(&mv, file) {
                self.job(
                    &cfg,
                    &mut resolved,
                    &name,
                    file,
                    line,
                    &mv,
                    &combo,
                    pipeline_triggers,
                    inherited.is_some(),
                    &allowed,
                    prefix,
                    depth,
                    &mut jobs,
                );
            }
        }
        for (kind, target, file, line) in &cfg.remote {
            jobs.push(remote_include_job(kind, target, &self.file(*file), *line));
        }
        (triggers, jobs)
    }

    fn add_file(&mut self, cfg: &mut Config, path: &str, doc: &Node, depth: usize) {
        let fi = self.file_index(path);
        if let Some(inc) = doc.get("include") {
            for (kind, target, line) in include_entries(inc) {
                if kind != "local" {
                    cfg.remote.push((kind, target, fi, line));
                    continue;
                }
                for local in self.local_paths(&target) {
                    if depth >= MAX_DEPTH || self.stack.contains(&local) {
                        continue;
                    }
                    let Some(d) = common::load_followed_yaml(self.tree, &local, self.problems)
                    else {
                        continue;
                    };
                    self.stack.push(local.clone());
                    self.add_file(cfg, &local, &d, depth + 1);
                    self.stack.pop();
                }
            }
        }
        for e in doc.as_map().unwrap_or(&[]) {
            let Some(k) = e.key.as_str() else { continue };
            if k == "include" {
                continue;
            }
            let mv = Mv::of(fi, &e.value);
            match cfg.defs.iter_mut().find(|d| d.0 == k) {
                Some(d) => {
                    let old = std::mem::replace(&mut d.3, Mv::Map(Vec::new()));
                    d.3 = old.merge(&mv);
                }
                None => cfg.defs.push((k.to_string(), fi, e.key.line, mv)),
            }
        }
    }

    /// Repo paths of a local include (`*` and `**` patterns allowed).
    fn local_paths(&self, target: &str) -> Vec<String> {
        let t = target.trim().trim_start_matches('/');
        if !t.contains('*') {
            return crate::paths::normalize(t)
                .filter(|p| self.tree.has_file(p))
                .into_iter()
                .collect();
        }
        let Ok(glob) = globset::GlobBuilder::new(t).literal_separator(true).build() else {
            return Vec::new();
        };
        let m = glob.compile_matcher();
        self.tree
            .files()
            .iter()
            .filter(|f| m.is_match(&f.path))
            .map(|f| f.path.clone())
            .collect()
    }

    /// A top-level definition with its `extends:` applied.
    fn resolve(
        &mut self,
        cfg: &Config,
        name: &str,
        cache: &mut BTreeMap<String, Mv>,
        depth: usize,
    ) -> Option<Mv> {
        if let Some(m) = cache.get(name) {
            return Some(m.clone());
        }
        let def = cfg.def(name)?.clone();
        let parents: Vec<(String, u32, usize)> = match def.get("extends") {
            Some(e) => {
                let (f, n) = e.leaf()?;
                n.str_or_seq()
                    .into_iter()
                    .filter_map(|x| Some((x.as_str()?.to_string(), x.line, f)))
                    .collect()
            }
            None => Vec::new(),
        };
        let own = def.without("extends");
        let mut base: Option<Mv> = None;
        for (p, line, f) in parents {
            if depth >= MAX_DEPTH || self.stack.contains(&format!("extends:{p}")) || p == name {
                let file = self.file(f);
                common::problem(
                    self.problems,
                    &file,
                    line,
                    format!("`extends: {p}` loops or nests too deep; it is not followed"),
                );
                continue;
            }
            self.stack.push(format!("extends:{name}"));
            let parent = self.resolve(cfg, &p, cache, depth + 1);
            self.stack.pop();
            match parent {
                Some(pm) => base = Some(base.map(|b| b.merge(&pm)).unwrap_or(pm)),
                None => {
                    let file = self.file(f);
                    common::problem(
                        self.problems,
                        &file,
                        line,
                        format!("`extends: {p}` names no job or template"),
                    );
                }
            }
        }
        let merged = match base {
            Some(b) => b.merge(&own),
            None => own,
        };
        cache.insert(name.to_string(), merged.clone());
        Some(merged)
    }

    /// The items of a list value, nested lists flattened and `!reference`
    /// tags resolved, each with its file.
    fn items(
        &mut self,
        cfg: &Config,
        cache: &mut BTreeMap<String, Mv>,
        mv: Option<&Mv>,
        depth: usize,
    ) -> Vec<(usize, Node)> {
        let Some((f, node)) = mv.and_then(|m| m.leaf()) else {
            return Vec::new();
        };
        let node = node.clone();
        let mut out = Vec::new();
        self.flatten(cfg, cache, f, &node, depth, &mut out);
        out
    }

    fn flatten(
        &mut self,
        cfg: &Config,
        cache: &mut BTreeMap<String, Mv>,
        f: usize,
        node: &Node,
        depth: usize,
        out: &mut Vec<(usize, Node)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.tag.as_deref() == Some("!reference") {
            let path: Vec<String> = node
                .as_seq()
                .unwrap_or(&[])
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect();
            let target = path.first().and_then(|first| {
                let mut cur = self.resolve(cfg, first, cache, depth + 1)?;
                for k in path.iter().skip(1) {
                    cur = cur.get(k)?.clone();
                }
                Some(cur)
            });
            match target {
                Some(Mv::Leaf(tf, tn)) => self.flatten(cfg, cache, tf, &tn, depth + 1, out),
                _ => {
                    let file = self.file(f);
                    common::problem(
                        self.problems,
                        &file,
                        node.line,
                        format!("`!reference [{}]` names nothing usable", path.join(", ")),
                    );
                }
            }
            return;
        }
        match node.as_seq() {
            Some(items) => {
                for i in items {
                    self.flatten(cfg, cache, f, i, depth + 1, out);
                }
            }
            None if !node.is_null() => out.push((f, node.clone())),
            None => {}
        }
    }

    /// `parallel: matrix:`: one job per combination of each item's values
    /// (at most [`common::MAX_COMBINATIONS`] in all); one empty
    /// combination without a matrix.
    fn parallel_matrix(&mut self, mv: &Mv, file: usize) -> Vec<common::Combination> {
        let Some((_, node)) = mv
            .get("parallel")
            .and_then(|p| p.get("matrix"))
            .and_then(Mv::leaf)
        else {
            return vec![Vec::new()];
        };
        let mut out: Vec<common::Combination> = Vec::new();
        let mut cut = false;
        for item in node.as_seq().unwrap_or(&[]) {
            let (combos, c) = common::combinations(&common::matrix_axes(item));
            cut |= c;
            for combo in combos.into_iter().filter(|c| !c.is_empty()) {
                if out.len() >= common::MAX_COMBINATIONS {
                    cut = true;
                    break;
                }
                out.push(combo);
            }
        }
        if cut {
            let path = self.file(file);
            self.problems.push(ParseProblem::new(
                &path,
                node.line,
                ProblemKind::Partial,
                format!(
                    "the matrix has more than {} combinations; only the first {} are read",
                    common::MAX_COMBINATIONS,
                    common::MAX_COMBINATIONS
                ),
            ));
        }
        if out.is_empty() {
            out.push(Vec::new());
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn job(
        &mut self,
        cfg: &Config,
        cache: &mut BTreeMap<String, Mv>,
        name: &str,
        file: usize,
        line: u32,
        mv: &Mv,
        matrix: &[(String, String)],
        pipeline_triggers: &[Trigger],
        inherit_forced: bool,
        allowed: &[Event],
        prefix: &str,
        depth: usize,
        out: &mut Vec<Job>,
    ) {
        let id = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix} / {name}")
        };
        // GitLab names a matrix job `name: [v1, v2]`.
        let id = if matrix.is_empty() {
            id
        } else {
            let values: Vec<&str> = matrix.iter().map(|(_, v)| v.as_str()).collect();
            format!("{id}: [{}]", values.join(", "))
        };
        let job_file = self.file(file);
        // Defaults, unless `inherit: default: false` (or a list without the key).
        let inherit = mv.get("inherit").and_then(|i| i.get("default"));
        let inherits = |key: &str| match inherit.and_then(|i| i.leaf()) {
            Some((_, n)) => match n.as_bool() {
                Some(b) => b,
                None => n.str_or_seq().iter().any(|x| x.as_str() == Some(key)),
            },
            None => true,
        };
        let default_of = |key: &str| -> Option<Mv> {
            if !inherits(key) {
                return None;
            }
            cfg.def("default")
                .and_then(|d| d.get(key))
                .or_else(|| cfg.def(key))
                .cloned()
        };
        let field = |key: &str| mv.get(key).cloned().or_else(|| default_of(key));
        let mut vars = variables(cfg.def("variables"), mv.get("variables"));
        for (k, v) in matrix {
            vars.retain(|(n, _)| n != k);
            vars.push((k.clone(), v.clone()));
        }
        let sub = |s: &str| super::common::subst_vars(s, &vars);

        let image = field("image").and_then(|m| image_of(&m)).map(|n| ImageUse {
            image: sub(n.as_str().unwrap_or("")),
            line: n.line,
        });
        let services_mv = field("services");
        let services: Vec<ImageUse> = self
            .items(cfg, cache, services_mv.as_ref(), depth)
            .into_iter()
            .filter_map(|(_, n)| {
                let img = common::name_or_map(&n, "name")?;
                Some(ImageUse {
                    image: sub(img.as_str().unwrap_or("")),
                    line: img.line,
                })
            })
            .collect();
        let environment = mv.get("environment").and_then(|e| {
            let action = e.get("action").and_then(|a| a.str()).unwrap_or("start");
            if action != "start" {
                return None;
            }
            let n = e.get("name").unwrap_or(e);
            let (_, node) = n.leaf()?;
            Some(Environment {
                name: sub(node.as_str()?),
                line: node.line,
            })
        });
        let needs: Vec<String> = self
            .items(cfg, cache, mv.get("needs"), depth)
            .into_iter()
            .filter_map(|(_, n)| {
                n.as_str()
                    .or_else(|| n.get("job").and_then(|j| j.as_str()))
                    .map(|s| {
                        if prefix.is_empty() {
                            s.to_string()
                        } else {
                            format!("{prefix} / {s}")
                        }
                    })
            })
            .collect();

        // Triggers.
        let when = mv
            .get("when")
            .and_then(|w| w.leaf())
            .map(|(_, n)| n.clone());
        let when_str = when.as_ref().and_then(|n| n.as_str()).map(str::to_string);
        let rule_items = self.items(cfg, cache, mv.get("rules"), depth);
        let mut triggers: Option<Vec<Trigger>> = if mv.get("rules").is_some() {
            let rule_nodes: Vec<Node> = rule_items.iter().map(|(_, n)| n.clone()).collect();
            let outcomes: Vec<(Event, Outcome, u32)> = allowed
                .iter()
                .map(|e| {
                    let (o, l) = rules::rules_outcome(&rule_nodes, *e, when_str.as_deref());
                    (*e, o, l)
                })
                .collect();
            Some(rules::triggers_from(&outcomes))
        } else {
            let kinds: Vec<TriggerKind> = allowed.iter().map(|e| e.kind()).collect();
            rules::only_except(
                mv.get("only").and_then(refs_node),
                mv.get("except").and_then(refs_node),
                line,
            )
            .map(|ts| ts.into_iter().filter(|t| kinds.contains(&t.kind)).collect())
        };
        if mv.get("rules").is_none() {
            if let (Some("manual"), Some(w)) = (when_str.as_deref(), when.as_ref()) {
                triggers = Some(vec![common::trigger(TriggerKind::Manual, w.line, vec![])]);
            }
        }
        if triggers.is_none() && inherit_forced {
            triggers = Some(pipeline_triggers.to_vec());
        }

        let mut job = Job {
            id: id.clone(),
            name: id.clone(),
            file: job_file.clone(),
            line,
            triggers,
            environment,
            container: image,
            services,
            needs,
            ..Job::default()
        };

        // Scripts: before_script and script share a shell; after_script
        // starts again in the project directory.
        let mut cwd = String::new();
        for key in ["before_script", "script"] {
            let m = if key == "script" {
                mv.get(key).cloned()
            } else {
                field(key)
            };
            for (f, n) in self.items(cfg, cache, m.as_ref(), depth) {
                let Some(text) = n.as_str() else { continue };
                let file = self.file(f);
                let (step, end) = common::script_step_cwd(
                    self.tree,
                    &file,
                    text_line(&n),
                    None,
                    &sub(text),
                    &cwd,
                );
                cwd = end;
                job.steps.push(step);
            }
        }
        for (f, n) in self.items(cfg, cache, field("after_script").as_ref(), depth) {
            let Some(text) = n.as_str() else { continue };
            let file = self.file(f);
            job.steps.push(common::script_step(
                self.tree,
                &file,
                text_line(&n),
                None,
                &sub(text),
                "",
            ));
        }

        // Child and multi-project pipelines.
        if let Some(t) = mv.get("trigger") {
            let child = t.get("include").map(|i| match i {
                Mv::Leaf(_, n) => include_entries(n),
                Mv::Map(_) => Vec::new(),
            });
            let project = t
                .str()
                .map(str::to_string)
                .or_else(|| t.get("project").and_then(|p| p.str()).map(str::to_string));
            let effective = job
                .triggers
                .clone()
                .unwrap_or_else(|| pipeline_triggers.to_vec());
            if let Some(p) = project {
                job.calls = Some(ReusableCall {
                    target: p,
                    line: t.line(),
                    inputs: Vec::new(),
                });
            }
            let mut children = Vec::new();
            for (kind, target, _) in child.unwrap_or_default() {
                if kind != "local" {
                    continue;
                }
                for local in self.local_paths(&target) {
                    if depth >= MAX_DEPTH || self.stack.contains(&local) {
                        continue;
                    }
                    let Some(d) = common::load_followed_yaml(self.tree, &local, self.problems)
                    else {
                        continue;
                    };
                    self.stack.push(local.clone());
                    let (_, jobs) = self.pipeline(&local, d, Some(&effective), &id, depth + 1);
                    self.stack.pop();
                    children.extend(jobs);
                }
            }
            out.push(job);
            out.extend(children);
            return;
        }
        out.push(job);
    }
}

/// The refs of `only:`/`except:` (a list, or `refs:` of a mapping).
fn refs_node(m: &Mv) -> Option<&Node> {
    match m {
        Mv::Leaf(_, n) => Some(n),
        Mv::Map(_) => m.get("refs").and_then(|r| r.leaf()).map(|(_, n)| n),
    }
}

fn image_of(m: &Mv) -> Option<Node> {
    match m {
        Mv::Leaf(_, n) if n.as_str().is_some() => Some(n.clone()),
        Mv::Map(_) => m.get("name").and_then(|x| x.leaf()).map(|(_, n)| n.clone()),
        _ => None,
    }
}

/// Global and job `variables:` with literal values (`KEY: value` or
/// `KEY: {value: ...}`), job values last.
fn variables(global: Option<&Mv>, job: Option<&Mv>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for m in [global, job].into_iter().flatten() {
        let Mv::Map(entries) = m else { continue };
        for (k, v) in entries {
            let val = v.str().or_else(|| v.get("value").and_then(|x| x.str()));
            if let Some(val) = val {
                out.retain(|(n, _)| n != k);
                out.push((k.clone(), val.to_string()));
            }
        }
    }
    out
}

/// `include:` entries as (kind, target, line): `local`, `project`,
/// `remote`, `template`, `component`.
fn include_entries(inc: &Node) -> Vec<(String, String, u32)> {
    let items: Vec<&Node> = match &inc.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![inc],
    };
    let mut out = Vec::new();
    for i in items {
        if let Some(s) = i.as_str() {
            let kind = if s.starts_with("http://") || s.starts_with("https://") {
                "remote"
            } else {
                "local"
            };
            out.push((kind.to_string(), s.to_string(), i.line));
            continue;
        }
        for kind in ["local", "remote", "template", "component"] {
            if let Some(t) = i.get(kind).and_then(|t| t.as_str()) {
                out.push((kind.to_string(), t.to_string(), i.line));
            }
        }
        if let Some(project) = i.get("project").and_then(|p| p.as_str()) {
            let files = common::strings(i.get("file"));
            for f in if files.is_empty() {
                vec![String::new()]
            } else {
                files
            } {
                out.push(("project".to_string(), format!("{project}:{f}"), i.line));
            }
        }
    }
    out
}

/// An include that is not read becomes a job calling it; when its name
/// shows an image build (Auto DevOps, `Jobs/Build`, docker, kaniko...), the
/// build is recorded, pushed, as for a remote reusable workflow.
fn remote_include_job(kind: &str, target: &str, file: &str, line: u32) -> Job {
    let l = target.to_ascii_lowercase();
    let builds = l.contains("auto-devops")
        || l.contains("jobs/build")
        || ["docker", "kaniko", "buildah", "container", "image"]
            .iter()
            .any(|w| l.contains(w));
    let mut job = Job {
        id: format!("include:{kind} {target}"),
        name: format!("include:{kind} {target}"),
        file: file.to_string(),
        line,
        calls: Some(ReusableCall {
            target: target.to_string(),
            line,
            inputs: Vec::new(),
        }),
        ..Job::default()
    };
    if builds {
        job.steps.push(Step {
            name: Some(format!("included {kind} {target}")),
            file: file.to_string(),
            line,
            body: StepBody::Action {
                uses: target.to_string(),
                with: Vec::new(),
            },
            workdir: String::new(),
            meanings: vec![LocatedMeaning {
                file: file.to_string(),
                line,
                meaning: Meaning::ImageBuild(ImageBuild {
                    tool: "gitlab-include".into(),
                    context: Some(".".into()),
                    tags: vec!["$CI_REGISTRY_IMAGE".into()],
                    push: true,
                    ..Default::default()
                }),
            }],
        });
    }
    job
}

/// Pipeline triggers from `workflow:rules` (branch and tag pushes without
/// them), and the kinds of pipeline that may run.
fn workflow_triggers(workflow: Option<&Mv>) -> (Vec<Trigger>, Vec<Event>) {
    let rules_node = workflow.and_then(|w| w.get("rules")).and_then(|r| r.leaf());
    let Some((_, rules_node)) = rules_node else {
        return (
            vec![
                common::trigger(TriggerKind::Push, 1, vec![]),
                common::trigger(TriggerKind::Tag, 1, vec![]),
            ],
            EVENTS.to_vec(),
        );
    };
    let items: Vec<Node> = rules_node.as_seq().unwrap_or(&[]).to_vec();
    let outcomes: Vec<(Event, Outcome, u32)> = EVENTS
        .iter()
        .map(|e| {
            let (o, l) = rules::rules_outcome(&items, *e, None);
            // `when: manual` is not a workflow outcome; it runs.
            let o = if o == Outcome::Manual {
                Outcome::Runs
            } else {
                o
            };
            (*e, o, l)
        })
        .collect();
    let allowed = outcomes
        .iter()
        .filter(|(_, o, _)| *o == Outcome::Runs)
        .map(|(e, _, _)| *e)
        .collect();
    (rules::triggers_from(&outcomes), allowed)
}

#[cfg(test)]
mod tests;
