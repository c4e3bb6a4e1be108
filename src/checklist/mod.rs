//! The checklist: the seven steps judged from the graph, the parsed facts
//! and the findings. Each step lives in its own file under `steps/`, with
//! its scoring formula (`EXPLAIN`) at the top; the registry
//! ([`STEPS`]) lists them, and `kubeready explain` and the README's
//! scoring list (under a drift test) read that one copy.

pub mod model;
mod steps;

pub use model::*;
pub use steps::{apply_command, StepDescriptor, STEPS};

use crate::finding::Finding;
use crate::graph::Graph;
use crate::kind::RepositoryKind;
use crate::parse::Facts;

/// What the steps read.
pub struct StepContext<'a> {
    pub facts: &'a Facts,
    pub graph: &'a Graph,
    pub findings: &'a [Finding],
    /// The repository's kind: it decides which steps can apply.
    pub kind: RepositoryKind,
}

impl<'a> StepContext<'a> {
    /// The product's own orchestration facts (examples and test suites
    /// left out), for advice that names what the repository deploys.
    pub fn orchestration(&self) -> &'a crate::parse::k8s::OrchestrationFacts {
        self.graph.own_orchestration(self.facts)
    }
}

/// Steps the config marks not-applicable, with reasons.
#[derive(Clone, Debug, Default)]
pub struct ChecklistConfig {
    pub not_applicable: Vec<(StepId, String)>,
}

#[derive(Clone, Debug)]
pub struct Checklist {
    pub steps: Vec<StepResult>,
    pub summary: Summary,
    pub next_steps: Vec<String>,
}

/// The steps that read no findings, judged from the facts and the graph
/// while the rules run (`None` for the steps that wait for the findings),
/// in [`StepId::ALL`] order. `cx.findings` is not read.
pub fn evaluate_early(cx: &StepContext<'_>) -> Vec<Option<StepResult>> {
    StepId::ALL
        .iter()
        .map(|id| (!id.descriptor().reads_findings).then(|| judge(cx, *id)))
        .collect()
}

/// The checklist; `early` is what [`evaluate_early`] gave (empty: every
/// step is judged here).
pub fn evaluate(
    cx: &StepContext<'_>,
    config: &ChecklistConfig,
    mut early: Vec<Option<StepResult>>,
) -> Checklist {
    let nothing = nothing_to_containerize(cx);
    let late: Vec<StepId> = StepId::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| early.get(*i).is_none_or(Option::is_none))
        .map(|(_, id)| *id)
        .collect();
    // The steps are independent questions over the same facts.
    let mut late = crate::par::map(&late, |id| judge(cx, *id)).into_iter();
    early.resize_with(StepId::ALL.len(), || None);
    let evaluated: Vec<StepResult> = early
        .into_iter()
        .map(|r| r.or_else(|| late.next()))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    let mut results = Vec::new();
    for (id, mut r) in StepId::ALL.into_iter().zip(evaluated) {
        if let Some((_, reason)) = config.not_applicable.iter().find(|(s, _)| *s == id) {
            r.status = Status::NotApplicable;
            r.score = 0;
            r.summary = format!("not applicable: {reason}");
            r.reason = Some(reason.clone());
            r.next_steps.clear();
        }
        results.push(r);
    }
    cannot_judge(cx, &mut results);
    let applicable: Vec<&StepResult> = results
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
        .collect();
    let done = results.iter().filter(|r| r.status == Status::Done).count();
    let total = applicable.len();
    let score = if total == 0 {
        0
    } else {
        let sum: u32 = applicable.iter().map(|r| u32::from(r.score)).sum();
        ((sum * 100 + (total as u32 * 10) / 2) / (total as u32 * 10)).min(100) as u8
    };
    // Next steps: the earliest unfinished step leads, the rest follow in order.
    let unfinished = |r: &&StepResult| matches!(r.status, Status::Partial | Status::Missing);
    let mut next_steps: Vec<String> = results
        .iter()
        .filter(unfinished)
        .chain(results.iter().filter(|r| !unfinished(r)))
        .flat_map(|r| r.next_steps.iter().cloned())
        .collect();
    let kind_excludes_all = StepId::ALL
        .iter()
        .all(|id| cx.kind.step_not_applicable(*id).is_some());
    if kind_excludes_all && cx.kind != RepositoryKind::Infrastructure {
        next_steps.push(format!(
            "Nothing to containerize: this looks like {}. If it does hold a service, say so in `.kubeready.yaml` (`kind: application`, and `services: [{{path: ..., language: ...}}]` if it is not detected).",
            cx.kind.described()
        ));
    } else if nothing && !kind_excludes_all {
        next_steps.push(
            "Nothing to containerize was found. If this repository does hold a service, declare it in `.kubeready.yaml` (`services: [{path: ..., language: ...}]`)."
                .into(),
        );
    }
    // The note that orchestration comes after the basics is the
    // orchestration section's first next step (`crate::sections`), which
    // the report appends right after these.
    let verdict = if cx.kind == RepositoryKind::Infrastructure {
        "No checklist step applies to an infrastructure repository: see the sections".to_string()
    } else if kind_excludes_all {
        format!("Nothing to containerize: {}", cx.kind.described())
    } else {
        verdict(&results, done, total, score, nothing)
    };
    Checklist {
        summary: Summary {
            done,
            total,
            score,
            verdict,
        },
        steps: results,
        next_steps,
    }
}

/// A Compose or CI file that does not parse cannot be judged (SPEC 1.2):
/// the steps it feeds are at best partial, and fixing it is their first
/// next step, instead of advice to create what exists.
/// Whether there is nothing to containerize: no service, no image.
fn nothing_to_containerize(cx: &StepContext<'_>) -> bool {
    cx.graph.services.is_empty() && cx.graph.containerized().next().is_none()
}

/// One step's result, before the config's not-applicable marks.
fn judge(cx: &StepContext<'_>, id: StepId) -> StepResult {
    if let Some(reason) = cx.kind.step_not_applicable(id) {
        let mut r = StepResult::new(
            id,
            Status::NotApplicable,
            0,
            format!("not applicable: {reason}"),
        );
        r.reason = Some(reason);
        r
    } else if nothing_to_containerize(cx) {
        let mut r = StepResult::new(id, Status::NotApplicable, 0, "nothing to containerize");
        r.reason = Some("no buildable service and no image definition found".into());
        r
    } else {
        crate::timings::time_with(
            || format!("step {}", id.number()),
            || steps::evaluate(id, cx),
        )
    }
}

fn cannot_judge(cx: &StepContext<'_>, results: &mut [StepResult]) {
    use crate::parse::ProblemKind;
    use crate::walk::FileKind;
    let broken = |wanted: fn(FileKind) -> bool| {
        cx.facts
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Syntax)
            .find(|p| {
                cx.facts
                    .listing
                    .file(&p.file)
                    .is_some_and(|f| wanted(f.kind))
            })
    };
    let compose = broken(|k| k == FileKind::Compose);
    let ci = broken(|k| matches!(k, FileKind::Ci(_) | FileKind::GithubAction));
    for r in results.iter_mut() {
        let problem = match r.id {
            "compose" | "dev-env" => compose,
            "image-builds" | "ci-images" | "cd-staging" => ci,
            _ => None,
        };
        let Some(p) = problem else { continue };
        if r.status == Status::NotApplicable {
            continue;
        }
        if matches!(r.status, Status::Done | Status::Missing) {
            r.status = Status::Partial;
            r.score = r.score.clamp(1, 9);
        }
        r.summary = format!("cannot judge `{}`: {}", p.file, r.summary);
        r.evidence.push(Evidence::new(
            &p.file,
            p.line,
            format!("does not parse: {}", p.message),
        ));
        r.next_steps = vec![format!(
            "Cannot judge `{}`: fix the syntax error at line {} first (KR903).",
            p.file, p.line
        )];
    }
}

fn verdict(results: &[StepResult], done: usize, total: usize, score: u8, nothing: bool) -> String {
    if nothing {
        return "Nothing to containerize: no buildable service or image definition found".into();
    }
    match results
        .iter()
        .find(|r| matches!(r.status, Status::Partial | Status::Missing))
    {
        Some(next) => format!(
            "{done}/{total} steps done · score {score}/100 · next: step {}, {}",
            next.number, next.title
        ),
        None => format!("{done}/{total} steps done · score {score}/100 · ready for orchestration"),
    }
}

impl StepResult {
    pub fn new(id: StepId, status: Status, score: u8, summary: impl Into<String>) -> StepResult {
        StepResult {
            id: id.id(),
            number: id.number(),
            title: id.title(),
            status,
            score: score.min(10),
            summary: summary.into(),
            evidence: Vec::new(),
            next_steps: Vec::new(),
            reason: None,
        }
    }
}

/// `n` of `total` scaled to 0–10, rounded down so 10 means all.
pub fn scaled(n: usize, total: usize) -> u8 {
    if total == 0 {
        return 0;
    }
    ((n * 10) / total).min(10) as u8
}

/// `kubeready explain <step>`: the step's definition and scoring.
pub fn explain_step(id: StepId) -> String {
    format!(
        "Step {} `{}`: {}\n\n{}\n",
        id.number(),
        id.id(),
        id.title(),
        id.descriptor().explain
    )
}
