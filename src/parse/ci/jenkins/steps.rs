//! The Jenkinsfile constructs that carry meanings: `sh` steps, Docker
//! Pipeline calls (`docker.build`, `.push()`, `docker.image(x)...`), agents
//! and `when` conditions.

use super::super::known::{build, build_args_of, split_args, tagged, trigger};
use super::super::{common, ImageUse, Meaning, Trigger, TriggerKind};
use super::lex::K;
use super::{Ctx, Walker};

impl Walker<'_> {
    /// Marks the build at (job, step) as pushed, and records the push in
    /// the pushing stage.
    pub(super) fn pushed(
        &mut self,
        ctx: &Ctx,
        bj: usize,
        bs: usize,
        tag: Option<String>,
        line: u32,
    ) {
        let mut images = Vec::new();
        if let Some(step) = self.jobs.get_mut(bj).and_then(|j| j.steps.get_mut(bs)) {
            for lm in &mut step.meanings {
                if let Meaning::ImageBuild(b) = &mut lm.meaning {
                    b.push = true;
                    for t in &b.tags {
                        let name = t
                            .rsplit_once(':')
                            .filter(|(_, x)| !x.contains('/'))
                            .map_or(t.as_str(), |(n, _)| n);
                        images.extend(match &tag {
                            Some(x) => tagged(name, std::slice::from_ref(x)),
                            None => vec![t.clone()],
                        });
                    }
                }
            }
        }
        self.action(
            ctx,
            line,
            "docker.push",
            vec![Meaning::ImagePush {
                tool: "docker".into(),
                images,
            }],
        );
    }

    pub(super) fn shell(&mut self, i: usize, ctx: &Ctx) -> usize {
        let (script, line, next) = match self.kind(i + 1) {
            Some(K::Str(s)) => (Some(s.clone()), self.line(i + 1), i + 2),
            Some(K::Open('(')) => {
                let a = self.args(i + 1);
                let s = a
                    .iter()
                    .find(|(n, _, _)| n.as_deref() == Some("script"))
                    .or_else(|| a.iter().find(|(n, _, _)| n.is_none()))
                    .map(|(_, s, l)| (s.clone(), *l));
                (
                    s.as_ref().map(|x| x.0.clone()),
                    s.map_or(self.line(i), |x| x.1),
                    self.end(i + 1) + 1,
                )
            }
            Some(K::Ident(n)) if n == "script" && self.is(i + 2, &K::Punct(':')) => {
                match self.kind(i + 3) {
                    Some(K::Str(s)) => (Some(s.clone()), self.line(i + 3), i + 4),
                    _ => (None, 0, i + 1),
                }
            }
            _ => (None, 0, i + 1),
        };
        if let Some(s) = script {
            let step = common::script_step(self.tree, self.file, line, None, &s, &ctx.workdir);
            self.add_step(ctx, step);
        }
        next
    }

    /// `docker.build(...)`, `docker.image('x').inside/run/withRun/push`,
    /// `docker.withRegistry(...) { ... }`.
    pub(super) fn docker(&mut self, i: usize, end: usize, ctx: &Ctx, depth: usize) -> usize {
        let line = self.line(i);
        match self.ident(i + 2) {
            Some("build") if self.is(i + 3, &K::Open('(')) => {
                let a = self.args(i + 3);
                let tag = a.first().map(|x| x.1.clone()).unwrap_or_default();
                let (dockerfile, context, target) = match a.get(1) {
                    Some((_, s, _)) => build_args_of(&split_args(s)),
                    None => (None, Some(".".to_string()), None),
                };
                let mut b = build(
                    "docker",
                    dockerfile,
                    context.or(Some(".".into())),
                    vec![tag],
                    false,
                );
                b.target = target;
                let (j, s) = self.action(ctx, line, "docker.build", vec![Meaning::ImageBuild(b)]);
                // `def img = docker.build(...)` / `img = docker.build(...)`
                if i >= 2 && self.is(i - 1, &K::Punct('=')) {
                    if let Some(v) = self.ident(i - 2) {
                        self.builds.push((v.to_string(), j, s));
                    }
                }
                // `docker.build(...).push()`
                let after = self.end(i + 3) + 1;
                if self.is(after, &K::Punct('.')) && self.ident(after + 1) == Some("push") {
                    self.pushed(ctx, j, s, None, line);
                }
                after
            }
            Some("image") if self.is(i + 3, &K::Open('(')) => {
                let img = self
                    .args(i + 3)
                    .first()
                    .map(|x| x.1.clone())
                    .unwrap_or_default();
                let after = self.end(i + 3) + 1;
                if !self.is(after, &K::Punct('.')) {
                    return after;
                }
                let m = match self.ident(after + 1) {
                    Some("inside") => {
                        let j = self.job_for(ctx);
                        if let Some(job) = self.jobs.get_mut(j) {
                            job.container = Some(ImageUse { image: img, line });
                        }
                        return after + 2;
                    }
                    Some("run" | "withRun") => Meaning::ImageRun {
                        tool: "docker".into(),
                        image: img,
                        command: Vec::new(),
                    },
                    Some("push") => Meaning::ImagePush {
                        tool: "docker".into(),
                        images: vec![img],
                    },
                    _ => return after + 1,
                };
                self.action(ctx, line, "docker.image", vec![m]);
                after + 2
            }
            Some("withRegistry") if self.is(i + 3, &K::Open('(')) => {
                let after = self.end(i + 3) + 1;
                if self.is(after, &K::Open('{')) {
                    let e = self.end(after).min(end);
                    self.block(after + 1, e, ctx, depth + 1);
                    return e + 1;
                }
                after
            }
            _ => i + 2,
        }
    }

    /// `agent { docker { image 'x' } }`, `agent { docker 'x' }`.
    pub(super) fn agent_image(&self, start: usize, end: usize) -> Option<ImageUse> {
        let mut k = start;
        while k < end.min(self.toks.len()) {
            if let Some("docker" | "image") = self.ident(k) {
                if let Some(K::Str(s)) = self.kind(k + 1) {
                    return Some(ImageUse {
                        image: s.clone(),
                        line: self.line(k + 1),
                    });
                }
            }
            k += 1;
        }
        None
    }

    /// The triggers a `when { ... }` block allows, when it names any.
    pub(super) fn when(&self, start: usize, end: usize) -> Option<Vec<Trigger>> {
        let mut out: Vec<Trigger> = Vec::new();
        let mut add = |t: Trigger| {
            if !out.contains(&t) {
                out.push(t);
            }
        };
        let mut k = start;
        while k < end.min(self.toks.len()) {
            let line = self.line(k);
            let first_str = |from: usize| -> Option<String> {
                match self.kind(from) {
                    Some(K::Str(s)) => Some(s.clone()),
                    Some(K::Open('(')) => self.args(from).first().map(|a| a.1.clone()),
                    Some(K::Ident(n)) if n == "pattern" => match self.kind(from + 2) {
                        Some(K::Str(s)) => Some(s.clone()),
                        _ => None,
                    },
                    _ => None,
                }
            };
            match self.ident(k) {
                Some("not") if self.is(k + 1, &K::Open('{')) => {
                    add(trigger(TriggerKind::Push, line, Vec::new()));
                    k = self.end(k + 1);
                }
                Some("branch") => add(trigger(
                    TriggerKind::Push,
                    line,
                    first_str(k + 1).into_iter().collect(),
                )),
                Some("tag" | "buildingTag") => add(trigger(
                    TriggerKind::Tag,
                    line,
                    first_str(k + 1).into_iter().collect(),
                )),
                Some("changeRequest") => add(trigger(TriggerKind::PullRequest, line, Vec::new())),
                Some("triggeredBy") if first_str(k + 1).is_some_and(|s| s.contains("Timer")) => {
                    add(trigger(TriggerKind::Schedule, line, Vec::new()));
                }
                Some("BRANCH_NAME" | "GIT_BRANCH")
                    if self.is(k + 1, &K::Punct('=')) && self.is(k + 2, &K::Punct('=')) =>
                {
                    if let Some(K::Str(s)) = self.kind(k + 3) {
                        add(trigger(
                            TriggerKind::Push,
                            line,
                            vec![s.trim_start_matches("origin/").to_string()],
                        ));
                    }
                }
                _ => {}
            }
            k += 1;
        }
        (!out.is_empty()).then_some(out)
    }
}
