//! The CI gate: decides exit code 0 or 1 from the report, and says why in
//! one line.
//!
//! Without a baseline:
//! - `--fail-on SEV` fails when a finding at `SEV` or worse exists;
//! - `--fail-under SCORE` fails when the checklist score is below `SCORE`
//!   (never when no step applies: nothing to containerize);
//! - `--require-step ID` fails unless the step is `done` or
//!   `not-applicable`.
//!
//! With `--baseline FILE`, a PR fails only on what it introduced:
//! - `--fail-on` counts only findings not in the baseline (matched by file,
//!   code and subject, never by line);
//! - `--fail-under` fails only when the score is below `SCORE` *and* lower
//!   than the baseline's score;
//! - `--require-step` fails only when the step is unfinished *and* it
//!   regressed: its status is worse than in the baseline (done or
//!   not-applicable > partial > missing), or the same unfinished status
//!   with a lower score. A step the baseline does not list is judged as
//!   without a baseline.

use crate::baseline::{status_rank, Baseline};
use crate::checklist::{Status, StepId};
use crate::finding::{Finding, Severity};
use crate::report::AuditReport;

#[derive(Clone, Debug, Default)]
pub struct GateSpec<'a> {
    /// `None` for `--fail-on never`.
    pub fail_on: Option<Severity>,
    pub fail_under: Option<u8>,
    pub require_steps: Vec<StepId>,
    pub baseline: Option<&'a Baseline>,
}

/// Why the gate failed; empty when it passed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub failures: Vec<String>,
    /// Indices into the report's findings of those that failed `--fail-on`.
    pub failing: Vec<usize>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// `gate failed: score 42 < 60 (--fail-under); step compose is partial (--require-step)`
    pub fn line(&self) -> String {
        if self.passed() {
            "gate passed".into()
        } else {
            format!("gate failed: {}", self.failures.join("; "))
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn evaluate(report: &AuditReport, spec: &GateSpec<'_>) -> Verdict {
    let mut failures = Vec::new();
    let mut failing_idx = Vec::new();
    if let Some(threshold) = spec.fail_on {
        let counted: Vec<&Finding> = match spec.baseline {
            Some(b) => b.new_findings(&report.findings),
            None => report.findings.iter().collect(),
        };
        let failing: Vec<&Finding> = counted
            .into_iter()
            .filter(|f| f.severity >= threshold)
            .collect();
        // The counted findings borrow from `report.findings`: their index
        // is their offset in it (no search per finding).
        let base = report.findings.as_ptr() as usize;
        let size = std::mem::size_of::<Finding>().max(1);
        failing_idx = failing
            .iter()
            .map(|f| (*f as *const Finding as usize).wrapping_sub(base) / size)
            .filter(|i| *i < report.findings.len())
            .collect();
        if let Some(first) = failing.first() {
            let what = if spec.baseline.is_some() {
                plural(failing.len(), "new finding")
            } else {
                plural(failing.len(), "finding")
            };
            failures.push(format!(
                "{what} at or above {threshold} (--fail-on), first {} at {}",
                first.code, first.location
            ));
        }
    }
    // With no applicable step (nothing to containerize) there is no score
    // to fall short of.
    let scored = report.summary.total > 0;
    if let Some(min) = spec.fail_under.filter(|_| scored) {
        let score = report.summary.score;
        if score < min {
            match spec.baseline {
                Some(b) if score >= b.score => {}
                Some(b) => failures.push(format!(
                    "score {score} < {min} and down from {} in the baseline (--fail-under)",
                    b.score
                )),
                None => failures.push(format!("score {score} < {min} (--fail-under)")),
            }
        }
    }
    for id in &spec.require_steps {
        let Some(step) = report.steps.iter().find(|s| s.id == id.id()) else {
            continue;
        };
        if matches!(step.status, Status::Done | Status::NotApplicable) {
            continue;
        }
        let now = step.status.as_str();
        match spec.baseline.and_then(|b| b.step(step.id)) {
            Some((before, before_score)) => {
                if status_rank(step.status) < status_rank(before) {
                    failures.push(format!(
                        "step {} regressed from {} to {now} (--require-step)",
                        step.id,
                        before.as_str()
                    ));
                } else if status_rank(step.status) == status_rank(before)
                    && step.score < before_score
                {
                    failures.push(format!(
                        "step {} is {now}, score {} down from {before_score} in the baseline (--require-step)",
                        step.id, step.score
                    ));
                }
            }
            None => failures.push(format!("step {} is {now} (--require-step)", step.id)),
        }
    }
    Verdict {
        failures,
        failing: failing_idx,
    }
}
