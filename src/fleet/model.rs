//! The fleet roll-up: one row per repository, how many stand at each step,
//! the most common blocking findings and next steps, and what moved since
//! a previous run. Computed here; renderers only format it.
//!
//! Repositories are read through the JSON contract of `kubeready audit
//! --format json` ([`RepoReport`]), whether kubeready audited them in this
//! process or their own CI produced the file: one path, one meaning.

use crate::checklist::StepId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const FLEET_SCHEMA_VERSION: u32 = 1;

/// How many of the most common blocking findings and next steps are listed.
pub const TOP: usize = 10;

/// The part of an audit report (the SPEC's JSON contract) the fleet reads.
#[derive(Clone, Debug, Deserialize)]
pub struct RepoReport {
    pub schema_version: u32,
    pub summary: RepoSummary,
    pub steps: Vec<RepoStep>,
    #[serde(default)]
    pub findings: Vec<RepoFinding>,
    #[serde(default)]
    pub next_steps: Vec<String>,
    /// `repository.kind` when the report has it (newer reports).
    #[serde(default)]
    pub repository: Option<RepoInfo>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RepoSummary {
    pub done: usize,
    pub total: usize,
    pub score: u8,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RepoStep {
    pub id: String,
    pub number: u8,
    pub status: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RepoFinding {
    pub code: String,
    #[serde(default)]
    pub name: String,
    pub severity: String,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct RepoInfo {
    #[serde(default)]
    pub kind: Option<String>,
}

/// Reads a report from its JSON; a report of another schema version is an
/// error that says so.
pub fn parse_report(value: serde_json::Value) -> Result<RepoReport, String> {
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    match version {
        None => return Err("not a kubeready report (no schema_version)".into()),
        Some(v) if v != u64::from(crate::report::SCHEMA_VERSION) => {
            return Err(format!(
                "schema_version {v}, this kubeready reads {}",
                crate::report::SCHEMA_VERSION
            ))
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| format!("not a kubeready report: {e}"))
}

/// One repository of the fleet: read from its report, or why it could not
/// be.
#[derive(Clone, Debug)]
pub struct RepoInput {
    pub name: String,
    pub path: String,
    pub outcome: Result<RepoReport, String>,
    /// Where its own report is (HTML written beside the fleet page, or the
    /// JSON file it was read from).
    pub report_link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RowStatus {
    Audited,
    /// The repository could not be audited or its report not read; see
    /// `reason`.
    Failed,
}

/// A step as a fleet row cites it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StepRef {
    pub number: u8,
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RowStep {
    pub id: String,
    /// done, partial, missing or not-applicable.
    pub status: String,
}

/// An error finding, as the fleet tracks it between runs (by repository,
/// code and file; never by line).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct BlockingRef {
    pub code: String,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RepoRow {
    /// The folder name (or the path when two folders share a name).
    pub name: String,
    /// The path as given or found.
    pub path: String,
    /// The repository's kind when its report has one; `null` otherwise.
    pub kind: Option<String>,
    pub status: RowStatus,
    /// Why the repository could not be audited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub steps_done: usize,
    pub steps_total: usize,
    pub score: u8,
    /// The first step that is neither done nor not-applicable; `null` when
    /// every step is finished (or the repository failed).
    pub first_unfinished: Option<StepRef>,
    pub errors: usize,
    pub warnings: usize,
    pub steps: Vec<RowStep>,
    /// Its error findings.
    pub blocking: Vec<BlockingRef>,
    /// Its own report, relative to the fleet page when written beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
}

impl RepoRow {
    /// Where the repository stands: the number of its first unfinished
    /// step, or one past the last step when it has finished them all.
    pub fn position(&self) -> u8 {
        match &self.first_unfinished {
            Some(s) => s.number,
            None => StepId::ALL.len() as u8 + 1,
        }
    }
}

/// One step of the funnel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StepCount {
    pub number: u8,
    pub id: String,
    pub title: String,
    /// Repositories whose first unfinished step is this one.
    pub at: usize,
    /// Repositories that have finished this step and every step before it.
    pub through: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CodeCount {
    pub code: String,
    pub name: String,
    /// The rule's one-line summary, when kubeready knows the code.
    pub summary: String,
    pub findings: usize,
    pub repositories: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NextStepCount {
    pub next_step: String,
    pub repositories: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FleetSummary {
    pub repositories: usize,
    pub audited: usize,
    pub failed: usize,
    /// Audited repositories with every step finished.
    pub complete: usize,
    /// Mean score of the audited repositories, rounded.
    pub mean_score: u8,
}

/// A repository whose position changed between two runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Move {
    pub name: String,
    /// First unfinished step before and now (8 when every step is done).
    pub from_step: u8,
    pub to_step: u8,
    pub from_score: u8,
    pub to_score: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct RepoBlocking {
    pub name: String,
    pub code: String,
    pub file: String,
}

/// What moved since the previous run (`--compare OLD.json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    pub advanced: Vec<Move>,
    pub regressed: Vec<Move>,
    /// Error findings (by repository, code and file) not in the previous run.
    pub new_blocking: Vec<RepoBlocking>,
    /// Error findings of the previous run that are gone.
    pub fixed_blocking: Vec<RepoBlocking>,
    /// Repositories not in the previous run.
    pub added: Vec<String>,
    /// Repositories of the previous run no longer in the fleet.
    pub removed: Vec<String>,
}

/// `kubeready fleet --format json` (see `kubeready schema --fleet`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FleetReport {
    pub schema_version: u32,
    pub summary: FleetSummary,
    /// Sorted by name.
    pub repositories: Vec<RepoRow>,
    /// The funnel: one entry per checklist step.
    pub steps: Vec<StepCount>,
    /// Error findings by code, most widespread first.
    pub blocking_findings: Vec<CodeCount>,
    /// The next steps most repositories share.
    pub next_steps: Vec<NextStepCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
}

fn row(input: RepoInput) -> RepoRow {
    let report = match input.outcome {
        Ok(r) => r,
        Err(reason) => {
            return RepoRow {
                name: input.name,
                path: input.path,
                kind: None,
                status: RowStatus::Failed,
                reason: Some(reason),
                steps_done: 0,
                steps_total: 0,
                score: 0,
                first_unfinished: None,
                errors: 0,
                warnings: 0,
                steps: Vec::new(),
                blocking: Vec::new(),
                report: input.report_link,
            }
        }
    };
    let mut steps: Vec<&RepoStep> = report.steps.iter().collect();
    steps.sort_by_key(|s| s.number);
    let first_unfinished = steps
        .iter()
        .find(|s| s.status != "done" && s.status != "not-applicable")
        .map(|s| StepRef {
            number: s.number,
            id: s.id.clone(),
            title: StepId::from_id(&s.id)
                .map(|st| st.title().to_string())
                .unwrap_or_else(|| s.id.clone()),
        });
    let mut blocking: Vec<BlockingRef> = report
        .findings
        .iter()
        .filter(|f| f.severity == "error")
        .map(|f| BlockingRef {
            code: f.code.clone(),
            file: f.file.clone(),
            line: f.line,
        })
        .collect();
    blocking.sort();
    RepoRow {
        name: input.name,
        path: input.path,
        kind: report.repository.and_then(|r| r.kind),
        status: RowStatus::Audited,
        reason: None,
        steps_done: report.summary.done,
        steps_total: report.summary.total,
        score: report.summary.score,
        first_unfinished,
        errors: blocking.len(),
        warnings: report
            .findings
            .iter()
            .filter(|f| f.severity == "warning")
            .count(),
        steps: steps
            .iter()
            .map(|s| RowStep {
                id: s.id.clone(),
                status: s.status.clone(),
            })
            .collect(),
        blocking,
        report: input.report_link,
    }
}

impl FleetReport {
    pub fn new(inputs: Vec<RepoInput>) -> FleetReport {
        // Names of the findings, from the reports (codes kubeready has no
        // rule for keep the name their report gave).
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut next: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for i in &inputs {
            if let Ok(r) = &i.outcome {
                for f in r.findings.iter().filter(|f| f.severity == "error") {
                    names
                        .entry(f.code.clone())
                        .or_insert_with(|| f.name.clone());
                }
                for s in &r.next_steps {
                    next.entry(s.clone()).or_default().insert(i.name.clone());
                }
            }
        }
        let mut repositories: Vec<RepoRow> = inputs.into_iter().map(row).collect();
        repositories.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
        let audited: Vec<&RepoRow> = repositories
            .iter()
            .filter(|r| r.status == RowStatus::Audited)
            .collect();
        let steps = StepId::ALL
            .iter()
            .map(|s| StepCount {
                number: s.number(),
                id: s.id().to_string(),
                title: s.title().to_string(),
                at: audited
                    .iter()
                    .filter(|r| r.position() == s.number())
                    .count(),
                through: audited.iter().filter(|r| r.position() > s.number()).count(),
            })
            .collect();
        let mut by_code: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
        for r in &audited {
            for b in &r.blocking {
                let e = by_code.entry(b.code.as_str()).or_default();
                e.0 += 1;
                e.1.insert(r.name.as_str());
            }
        }
        let mut blocking_findings: Vec<CodeCount> = by_code
            .into_iter()
            .map(|(code, (findings, repos))| {
                let doc = crate::rules::find_rule(code).map(|r| r.doc());
                CodeCount {
                    code: code.to_string(),
                    name: doc
                        .map(|d| d.name.to_string())
                        .or_else(|| names.get(code).cloned())
                        .unwrap_or_default(),
                    summary: doc.map(|d| d.summary.to_string()).unwrap_or_default(),
                    findings,
                    repositories: repos.len(),
                }
            })
            .collect();
        blocking_findings.sort_by(|a, b| {
            (b.repositories, b.findings, &a.code).cmp(&(a.repositories, a.findings, &b.code))
        });
        blocking_findings.truncate(TOP);
        let mut next_steps: Vec<NextStepCount> = next
            .into_iter()
            .map(|(next_step, repos)| NextStepCount {
                next_step,
                repositories: repos.len(),
            })
            .collect();
        next_steps
            .sort_by(|a, b| (b.repositories, &a.next_step).cmp(&(a.repositories, &b.next_step)));
        next_steps.truncate(TOP);
        let scores: usize = audited.iter().map(|r| usize::from(r.score)).sum();
        let summary = FleetSummary {
            repositories: repositories.len(),
            audited: audited.len(),
            failed: repositories.len() - audited.len(),
            complete: audited
                .iter()
                .filter(|r| r.first_unfinished.is_none())
                .count(),
            mean_score: if audited.is_empty() {
                0
            } else {
                ((scores + audited.len() / 2) / audited.len()).min(100) as u8
            },
        };
        FleetReport {
            schema_version: FLEET_SCHEMA_VERSION,
            summary,
            repositories,
            steps,
            blocking_findings,
            next_steps,
            comparison: None,
        }
    }

    /// What moved since `old`, matched by repository name. Rows that failed
    /// in either run are not compared step by step.
    pub fn compare(&self, old: &FleetReport) -> Comparison {
        let mut c = Comparison::default();
        let old_rows: BTreeMap<&str, &RepoRow> = old
            .repositories
            .iter()
            .map(|r| (r.name.as_str(), r))
            .collect();
        let new_rows: BTreeMap<&str, &RepoRow> = self
            .repositories
            .iter()
            .map(|r| (r.name.as_str(), r))
            .collect();
        let keys = |r: &RepoRow| -> BTreeSet<(String, String)> {
            r.blocking
                .iter()
                .map(|b| (b.code.clone(), b.file.clone()))
                .collect()
        };
        for (name, now) in &new_rows {
            let Some(before) = old_rows.get(name) else {
                c.added.push(name.to_string());
                continue;
            };
            if now.status != RowStatus::Audited || before.status != RowStatus::Audited {
                continue;
            }
            let m = Move {
                name: name.to_string(),
                from_step: before.position(),
                to_step: now.position(),
                from_score: before.score,
                to_score: now.score,
            };
            if m.to_step > m.from_step {
                c.advanced.push(m);
            } else if m.to_step < m.from_step {
                c.regressed.push(m);
            }
            let (was, is) = (keys(before), keys(now));
            for (code, file) in is.difference(&was) {
                c.new_blocking.push(RepoBlocking {
                    name: name.to_string(),
                    code: code.clone(),
                    file: file.clone(),
                });
            }
            for (code, file) in was.difference(&is) {
                c.fixed_blocking.push(RepoBlocking {
                    name: name.to_string(),
                    code: code.clone(),
                    file: file.clone(),
                });
            }
        }
        c.removed = old_rows
            .keys()
            .filter(|k| !new_rows.contains_key(*k))
            .map(|k| k.to_string())
            .collect();
        c
    }
}

/// The fleet gate, applied to every repository.
#[derive(Clone, Debug, Default)]
pub struct FleetGate {
    pub fail_under: Option<u8>,
    pub require_steps: Vec<StepId>,
    /// Fail a repository with any error finding.
    pub fail_on_error: bool,
}

impl FleetGate {
    pub fn is_set(&self) -> bool {
        self.fail_under.is_some() || !self.require_steps.is_empty() || self.fail_on_error
    }

    /// Each failing repository with why; empty when the gate passed. A
    /// repository that could not be audited fails any gate that is set.
    pub fn failures(&self, report: &FleetReport) -> Vec<(String, Vec<String>)> {
        if !self.is_set() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for r in &report.repositories {
            let mut why = Vec::new();
            if r.status == RowStatus::Failed {
                why.push("cannot be audited".to_string());
            } else {
                if let Some(min) = self.fail_under {
                    if r.score < min {
                        why.push(format!("score {} < {min}", r.score));
                    }
                }
                for step in &self.require_steps {
                    let status = r
                        .steps
                        .iter()
                        .find(|s| s.id == step.id())
                        .map(|s| s.status.as_str())
                        .unwrap_or("missing");
                    if status != "done" && status != "not-applicable" {
                        why.push(format!("step {} is {status}", step.id()));
                    }
                }
                if self.fail_on_error && r.errors > 0 {
                    why.push(format!(
                        "{} error finding{}",
                        r.errors,
                        if r.errors == 1 { "" } else { "s" }
                    ));
                }
            }
            if !why.is_empty() {
                out.push((r.name.clone(), why));
            }
        }
        out
    }
}

/// `gate failed for 2 of 18 repositories: api (score 40 < 60); web (cannot be audited)`
pub fn gate_line(failures: &[(String, Vec<String>)], total: usize) -> String {
    let parts: Vec<String> = failures
        .iter()
        .map(|(name, why)| format!("{name} ({})", why.join(", ")))
        .collect();
    format!(
        "gate failed for {} of {total} repositories: {}",
        failures.len(),
        parts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(steps: &[&str], errors: &[&str]) -> RepoReport {
        let done = steps.iter().filter(|s| **s == "done").count();
        let value = serde_json::json!({
            "schema_version": crate::report::SCHEMA_VERSION,
            "summary": {"done": done, "total": steps.len(), "score": done * 10},
            "steps": steps.iter().zip(StepId::ALL).map(|(status, id)| serde_json::json!({
                "id": id.id(), "number": id.number(), "status": status
            })).collect::<Vec<_>>(),
            "findings": errors.iter().map(|code| serde_json::json!({
                "code": code, "name": "n", "severity": "error", "file": "Dockerfile", "line": 3
            })).collect::<Vec<_>>(),
            "next_steps": ["do it"],
        });
        parse_report(value).unwrap()
    }

    fn input(name: &str, outcome: Result<RepoReport, String>) -> RepoInput {
        RepoInput {
            name: name.into(),
            path: name.into(),
            outcome,
            report_link: None,
        }
    }

    #[test]
    fn rolls_up_positions_codes_and_failures() {
        let all = ["done"; 7];
        let fleet = FleetReport::new(vec![
            input(
                "b",
                Ok(report(
                    &[
                        "done", "partial", "missing", "missing", "missing", "missing", "missing",
                    ],
                    &["DL3020", "DL3020"],
                )),
            ),
            input("a", Ok(report(&all, &[]))),
            input("c", Err("path does not exist".into())),
            input("d", Ok(report(&["missing"; 7], &["DL3020", "DL3004"]))),
        ]);
        let names: Vec<&str> = fleet.repositories.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(fleet.summary.failed, 1);
        assert_eq!(fleet.summary.complete, 1);
        assert_eq!(fleet.steps[0].at, 1, "d stands at step 1");
        assert_eq!(fleet.steps[1].at, 1, "b stands at step 2");
        assert_eq!(fleet.steps[0].through, 2);
        assert_eq!(fleet.blocking_findings[0].code, "DL3020");
        assert_eq!(fleet.blocking_findings[0].repositories, 2);
        assert_eq!(fleet.blocking_findings[0].findings, 3);
        assert_eq!(fleet.next_steps[0].repositories, 3);
        let gate = FleetGate {
            fail_under: Some(50),
            ..Default::default()
        };
        let failures = gate.failures(&fleet);
        assert_eq!(
            gate_line(&failures, 4),
            "gate failed for 3 of 4 repositories: b (score 10 < 50); c (cannot be audited); d (score 0 < 50)"
        );
        assert!(FleetGate::default().failures(&fleet).is_empty());
        assert!(parse_report(serde_json::json!({"schema_version": 2})).is_err());
    }
}
