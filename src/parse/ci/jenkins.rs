//! Jenkinsfiles, read as text (no Groovy parser): declarative
//! `pipeline { stages { stage('x') { ... } } }` and scripted
//! `node { stage('x') { ... } }`. Each stage is one job. Understood:
//! `when` (branch, tag, changeRequest, timer), `input` gates (the gated
//! stage and the sequential stages after it are Manual), `agent { docker }`
//! and `docker.image(x).inside` (job container), `sh`/`bat`/`powershell`
//! steps in every quoting style, `dir(...)`, `docker.build` with `push()`,
//! `docker.image(x).run/withRun/push`, `kubernetesDeploy`, and `triggers`
//! (cron → Schedule). Multibranch pipelines run on pushes: Push is the
//! default trigger.

pub mod lex;
pub mod steps;

use super::known::{deploy, trigger};
use super::{Environment, ImageUse, Job, LocatedMeaning, Meaning, Pipeline, Trigger};
use super::{Step, StepBody, TriggerKind};
use crate::parse::ParseProblem;
use crate::walk::{CiSystem, Tree};
use lex::{lex, matches, Tok, K};

/// Nesting deeper than this is not followed (hostile input).
const MAX_DEPTH: usize = 64;

pub fn parse(
    tree: &Tree,
    path: &str,
    text: &str,
    _problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let toks = lex(text);
    let m = matches(&toks);
    let mut w = Walker {
        tree,
        file: path,
        toks: &toks,
        m: &m,
        jobs: Vec::new(),
        triggers: vec![trigger(TriggerKind::Push, 1, Vec::new())],
        container: None,
        builds: Vec::new(),
        parents: Vec::new(),
    };
    let ctx = Ctx::default();
    w.block(0, toks.len(), &ctx, 0);
    let container = w.container.clone();
    let parents = std::mem::take(&mut w.parents);
    let mut jobs: Vec<Job> = w
        .jobs
        .into_iter()
        .enumerate()
        .filter(|(i, j)| !(j.steps.is_empty() && parents.contains(i)))
        .map(|(_, j)| j)
        .collect();
    for j in &mut jobs {
        if j.container.is_none() {
            j.container = container.clone();
        }
    }
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::Jenkins),
        name: path.to_string(),
        triggers: w.triggers,
        jobs,
        reusable: false,
        env: Vec::new(),
    }]
}

#[derive(Clone, Default)]
pub(super) struct Ctx {
    pub(super) stage: Option<usize>,
    pub(super) workdir: String,
    pub(super) parallel: bool,
}

pub(super) struct Walker<'a> {
    pub(super) tree: &'a Tree,
    pub(super) file: &'a str,
    pub(super) toks: &'a [Tok],
    pub(super) m: &'a [usize],
    pub(super) jobs: Vec<Job>,
    pub(super) triggers: Vec<Trigger>,
    /// The pipeline-level `agent { docker ... }` image.
    pub(super) container: Option<ImageUse>,
    /// `var = docker.build(...)`: the variable and where its meaning is
    /// (job, step).
    pub(super) builds: Vec<(String, usize, usize)>,
    /// Stages that hold other stages.
    pub(super) parents: Vec<usize>,
}

impl Walker<'_> {
    pub(super) fn kind(&self, i: usize) -> Option<&K> {
        self.toks.get(i).map(|t| &t.kind)
    }

    pub(super) fn ident(&self, i: usize) -> Option<&str> {
        match self.kind(i) {
            Some(K::Ident(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn is(&self, i: usize, k: &K) -> bool {
        self.kind(i) == Some(k)
    }

    pub(super) fn line(&self, i: usize) -> u32 {
        self.toks
            .get(i)
            .or_else(|| self.toks.last())
            .map_or(1, |t| t.line)
    }

    /// The end (closing bracket) of the bracket at `i`.
    pub(super) fn end(&self, i: usize) -> usize {
        self.m.get(i).copied().unwrap_or(self.toks.len()).max(i)
    }

    /// Strings directly inside the bracket at `open` (not nested deeper),
    /// with the name of the argument when written `name: 'x'`.
    pub(super) fn args(&self, open: usize) -> Vec<(Option<String>, String, u32)> {
        let end = self.end(open).min(self.toks.len());
        let mut out = Vec::new();
        let mut i = open + 1;
        while i < end {
            match self.kind(i) {
                Some(K::Open(_)) => i = self.end(i),
                Some(K::Str(s)) => {
                    let named = match (self.kind(i.wrapping_sub(1)), self.ident(i.wrapping_sub(2)))
                    {
                        (Some(K::Punct(':')), Some(n)) if i >= 2 => Some(n.to_string()),
                        _ => None,
                    };
                    out.push((named, s.clone(), self.line(i)));
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    pub(super) fn new_job(&mut self, name: &str, line: u32, ctx: &Ctx, gated: bool) -> usize {
        let parent = ctx.stage.and_then(|p| self.jobs.get(p));
        let mut triggers = parent.and_then(|p| p.triggers.clone());
        if gated {
            triggers = Some(vec![trigger(TriggerKind::Manual, line, Vec::new())]);
        }
        let lower = name.to_ascii_lowercase();
        let environment = ["deploy", "release", "promot", "rollout", "publish to"]
            .iter()
            .any(|w| lower.contains(w))
            .then(|| Environment {
                name: name.to_string(),
                line,
            });
        if let Some(p) = ctx.stage {
            self.parents.push(p);
        }
        self.jobs.push(Job {
            id: name.to_string(),
            name: name.to_string(),
            file: self.file.to_string(),
            line,
            triggers,
            environment,
            container: parent.and_then(|p| p.container.clone()),
            ..Default::default()
        });
        self.jobs.len() - 1
    }

    /// The job steps go to: the current stage, or one implicit job for
    /// steps outside any stage.
    pub(super) fn job_for(&mut self, ctx: &Ctx) -> usize {
        if let Some(s) = ctx.stage {
            return s;
        }
        if let Some(i) = self.jobs.iter().position(|j| j.id == "(no stage)") {
            return i;
        }
        self.new_job("(no stage)", 1, &Ctx::default(), false)
    }

    pub(super) fn is_manual(&self, j: usize) -> bool {
        self.jobs
            .get(j)
            .and_then(|j| j.triggers.as_ref())
            .is_some_and(|t| !t.is_empty() && t.iter().all(|t| t.kind == TriggerKind::Manual))
    }

    pub(super) fn add_step(&mut self, ctx: &Ctx, step: Step) -> (usize, usize) {
        let j = self.job_for(ctx);
        let Some(job) = self.jobs.get_mut(j) else {
            return (j, 0);
        };
        job.steps.push(step);
        (j, job.steps.len() - 1)
    }

    pub(super) fn action(
        &mut self,
        ctx: &Ctx,
        line: u32,
        uses: &str,
        meanings: Vec<Meaning>,
    ) -> (usize, usize) {
        let step = Step {
            name: None,
            file: self.file.to_string(),
            line,
            body: StepBody::Action {
                uses: uses.to_string(),
                with: Vec::new(),
            },
            workdir: ctx.workdir.clone(),
            meanings: meanings
                .into_iter()
                .map(|meaning| LocatedMeaning {
                    file: self.file.to_string(),
                    line,
                    meaning,
                })
                .collect(),
        };
        self.add_step(ctx, step)
    }

    pub(super) fn block(&mut self, start: usize, end: usize, ctx: &Ctx, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut ctx = ctx.clone();
        let mut gated = false;
        let mut i = start;
        while i < end.min(self.toks.len()) {
            let next = self.step_at(i, end, &mut ctx, &mut gated, depth);
            i = next.max(i + 1);
        }
    }

    /// Handles the construct at `i`; returns where to go on.
    pub(super) fn step_at(
        &mut self,
        i: usize,
        end: usize,
        ctx: &mut Ctx,
        gated: &mut bool,
        depth: usize,
    ) -> usize {
        let Some(word) = self.ident(i).map(str::to_string) else {
            return i + 1;
        };
        if i > 0 && self.is(i - 1, &K::Punct('.')) {
            return i + 1;
        }
        let open = K::Open('{');
        match word.as_str() {
            "stage" => {
                let (name, after) = if self.is(i + 1, &K::Open('(')) {
                    let a = self.args(i + 1);
                    (a.first().map(|x| x.1.clone()), self.end(i + 1) + 1)
                } else if let Some(K::Str(s)) = self.kind(i + 1) {
                    (Some(s.clone()), i + 2)
                } else {
                    (None, i + 1)
                };
                let Some(name) = name else { return after };
                let line = self.line(i);
                let outer = Ctx {
                    stage: ctx.stage,
                    ..ctx.clone()
                };
                let j = self.new_job(&name, line, &outer, *gated && !ctx.parallel);
                if self.is(after, &open) {
                    let body_end = self.end(after);
                    let inner = Ctx {
                        stage: Some(j),
                        parallel: false,
                        ..ctx.clone()
                    };
                    self.block(after + 1, body_end, &inner, depth + 1);
                    if self.is_manual(j) {
                        *gated = true;
                    }
                    body_end + 1
                } else {
                    // Old style `stage 'x'`: what follows belongs to it.
                    ctx.stage = Some(j);
                    after
                }
            }
            "parallel" if self.is(i + 1, &open) => {
                let e = self.end(i + 1);
                let inner = Ctx {
                    parallel: true,
                    ..ctx.clone()
                };
                self.block(i + 2, e, &inner, depth + 1);
                e + 1
            }
            "when" if self.is(i + 1, &open) => {
                let e = self.end(i + 1);
                if let Some(t) = self.when(i + 2, e) {
                    if let Some(job) = ctx.stage.and_then(|s| self.jobs.get_mut(s)) {
                        if !job
                            .triggers
                            .as_ref()
                            .is_some_and(|t| t.iter().all(|t| t.kind == TriggerKind::Manual))
                        {
                            job.triggers = Some(t);
                        }
                    }
                }
                e + 1
            }
            "input" => {
                let line = self.line(i);
                let j = self.job_for(ctx);
                if let Some(job) = self.jobs.get_mut(j) {
                    job.triggers = Some(vec![trigger(TriggerKind::Manual, line, Vec::new())]);
                }
                if ctx.stage.is_none() {
                    *gated = true;
                }
                match self.kind(i + 1) {
                    Some(K::Open(_)) => self.end(i + 1) + 1,
                    _ => i + 1,
                }
            }
            "agent" => {
                let e = if self.is(i + 1, &open) {
                    self.end(i + 1)
                } else {
                    i + 1
                };
                if let Some(img) = self.agent_image(i + 1, e) {
                    match ctx.stage.and_then(|s| self.jobs.get_mut(s)) {
                        Some(job) => job.container = Some(img),
                        None => self.container = Some(img),
                    }
                }
                e + 1
            }
            "triggers" | "pipelineTriggers" => {
                let e = match self.kind(i + 1) {
                    Some(K::Open(_)) => self.end(i + 1),
                    _ => i + 1,
                };
                for k in i + 1..e {
                    let kind = match self.ident(k) {
                        Some("cron" | "parameterizedCron") => TriggerKind::Schedule,
                        Some("pollSCM" | "githubPush" | "gitlab" | "bitbucketPush") => {
                            TriggerKind::Push
                        }
                        Some("upstream") => TriggerKind::WorkflowRun,
                        _ => continue,
                    };
                    let t = trigger(kind, self.line(k), Vec::new());
                    if !self.triggers.iter().any(|x| x.kind == t.kind) {
                        self.triggers.push(t);
                    }
                }
                e + 1
            }
            "sh" | "bat" | "powershell" | "pwsh" => self.shell(i, ctx),
            "dir" | "ws" if self.is(i + 1, &K::Open('(')) => {
                let a = self.args(i + 1);
                let after = self.end(i + 1) + 1;
                let mut inner = ctx.clone();
                if let Some((_, d, _)) = a.first() {
                    inner.workdir =
                        crate::paths::join(&ctx.workdir, &super::known::repo_relative(d))
                            .unwrap_or_default();
                }
                if self.is(after, &open) {
                    let e = self.end(after);
                    self.block(after + 1, e, &inner, depth + 1);
                    return e + 1;
                }
                after
            }
            "docker" if self.is(i + 1, &K::Punct('.')) => self.docker(i, end, ctx, depth),
            "kubernetesDeploy" => {
                let a = match self.kind(i + 1) {
                    Some(K::Open('(')) => self.args(i + 1),
                    _ => Vec::new(),
                };
                let files = a
                    .iter()
                    .filter(|(n, _, _)| n.as_deref() == Some("configs"))
                    .flat_map(|(_, v, _)| {
                        v.split(',')
                            .map(|s| s.trim().to_string())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let line = self.line(i);
                self.action(
                    ctx,
                    line,
                    "kubernetesDeploy",
                    vec![Meaning::Deploy(deploy(
                        "kubectl",
                        "apply",
                        Vec::new(),
                        files,
                    ))],
                );
                i + 1
            }
            var => {
                // `var.push(...)` of an image that `var = docker.build(...)` built.
                if self.is(i + 1, &K::Punct('.')) && self.ident(i + 2) == Some("push") {
                    if let Some(&(_, bj, bs)) = self.builds.iter().rev().find(|(v, _, _)| v == var)
                    {
                        let tag = match self.kind(i + 3) {
                            Some(K::Open('(')) => self.args(i + 3).first().map(|a| a.1.clone()),
                            _ => None,
                        };
                        self.pushed(ctx, bj, bs, tag, self.line(i));
                    }
                    return i + 3;
                }
                if is_build_push_step(var) {
                    return self.build_push_step(i, var, ctx);
                }
                i + 1
            }
        }
    }

    /// A shared-library step whose name says it builds and pushes an
    /// image (`buildDockerAndPublishImage('api', [dockerfile: ...])`): a
    /// pushed build of its `dockerfile`/`imageDir`/`context` (or the root),
    /// tagged with its first string argument.
    fn build_push_step(&mut self, i: usize, name: &str, ctx: &Ctx) -> usize {
        let (args, next) = match self.kind(i + 1) {
            Some(K::Open('(')) => {
                let end = self.end(i + 1);
                let mut args = self.args(i + 1);
                // Named values inside a map argument (`[dockerfile: ...]`).
                for k in i + 2..end {
                    if self.is(k, &K::Open('[')) {
                        args.extend(self.args(k));
                    }
                }
                (args, end + 1)
            }
            Some(K::Str(s)) => (vec![(None, s.clone(), self.line(i + 1))], i + 2),
            _ => return i + 1,
        };
        let named = |keys: &[&str]| {
            args.iter()
                .find(|(n, _, _)| n.as_deref().is_some_and(|n| keys.contains(&n)))
                .map(|(_, v, _)| v.clone())
        };
        let context = named(&["imageDir", "context", "dir", "path", "buildContext"]);
        let dockerfile = named(&["dockerfile", "dockerFile", "file"]).map(|f| match &context {
            // Relative to the image folder, as `docker build` reads it there.
            Some(c) if !f.contains('/') => crate::paths::join(c, &f).unwrap_or(f),
            _ => f,
        });
        let tags = args
            .iter()
            .find(|(n, _, _)| n.is_none())
            .map(|(_, v, _)| vec![v.clone()])
            .unwrap_or_default();
        let line = self.line(i);
        self.action(
            ctx,
            line,
            name,
            vec![Meaning::ImageBuild(kubeready_shell::ImageBuild {
                tool: "jenkins-library".into(),
                dockerfile,
                context: Some(context.unwrap_or_else(|| ".".into())),
                tags,
                push: true,
                ..Default::default()
            })],
        );
        next
    }
}

/// A step name that says it builds and pushes an image:
/// `buildDockerAndPublishImage`, `dockerBuildPush`, `buildAndPushImage`.
fn is_build_push_step(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.contains("build")
        && (l.contains("push") || l.contains("publish"))
        && (l.contains("docker") || l.contains("image") || l.contains("container"))
        && !["report", "scan", "test", "lint", "notify"]
            .iter()
            .any(|w| l.contains(w))
}

#[cfg(test)]
mod tests;
