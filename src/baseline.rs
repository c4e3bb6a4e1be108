//! Baselines: the findings and step results a repository already had, so
//! that a PR gate fails only on what the PR introduced.
//!
//! A finding is keyed by its file, rule code and stable subject (the
//! instruction, key path or image it is about), never by its line, so
//! edits that shift lines do not resurrect old findings. Several findings
//! with one key are counted: a baseline with `count: 2` absorbs two.
//! The file is JSON, sorted, with no timestamps, so it diffs cleanly.

use crate::checklist::Status;
use crate::finding::Finding;
use crate::report::AuditReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    /// The overall checklist score (0–100).
    pub score: u8,
    pub steps: Vec<BaselineStep>,
    pub findings: Vec<BaselineFinding>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineStep {
    pub id: String,
    /// `done`, `partial`, `missing` or `not-applicable`.
    pub status: String,
    pub score: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineFinding {
    pub file: String,
    pub code: String,
    pub subject: String,
    /// How many findings share this key.
    pub count: usize,
}

type Key<'a> = (&'a str, &'a str, &'a str);

fn key(f: &Finding) -> Key<'_> {
    (&f.location.file, f.code, &f.subject)
}

/// How good a status is, for regressions: done and not-applicable are
/// satisfied, partial is better than missing.
pub fn status_rank(s: Status) -> u8 {
    match s {
        Status::Done | Status::NotApplicable => 2,
        Status::Partial => 1,
        Status::Missing => 0,
    }
}

pub fn parse_status(s: &str) -> Option<Status> {
    [
        Status::Done,
        Status::Partial,
        Status::Missing,
        Status::NotApplicable,
    ]
    .into_iter()
    .find(|st| st.as_str() == s)
}

impl Baseline {
    /// The baseline of a report: every finding (after config and
    /// suppression) and every step.
    pub fn from_report(report: &AuditReport) -> Baseline {
        let mut counts: BTreeMap<Key<'_>, usize> = BTreeMap::new();
        for f in &report.findings {
            *counts.entry(key(f)).or_default() += 1;
        }
        let findings = counts
            .into_iter()
            .map(|((file, code, subject), count)| BaselineFinding {
                file: file.to_string(),
                code: code.to_string(),
                subject: subject.to_string(),
                count,
            })
            .collect();
        let mut steps: Vec<BaselineStep> = report
            .steps
            .iter()
            .chain(&report.sections)
            .map(|s| BaselineStep {
                id: s.id.to_string(),
                status: s.status.as_str().to_string(),
                score: s.score,
            })
            .collect();
        steps.sort();
        Baseline {
            version: BASELINE_VERSION,
            score: report.summary.score,
            steps,
            findings,
        }
    }

    pub fn to_json(&self) -> String {
        match serde_json::to_string_pretty(self) {
            Ok(s) => s + "\n",
            Err(e) => format!("{{\"error\": \"cannot serialise baseline: {e}\"}}\n"),
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| {
            if e.line() > 0 {
                format!("line {} column {}: {e}", e.line(), e.column())
            } else {
                e.to_string()
            }
        })?;
        if b.version != BASELINE_VERSION {
            return Err(format!(
                "unsupported baseline version {} (this kubeready writes version {BASELINE_VERSION}; regenerate it with --write-baseline)",
                b.version
            ));
        }
        for s in &b.steps {
            if parse_status(&s.status).is_none() {
                return Err(format!(
                    "step `{}` has an unknown status `{}`",
                    s.id, s.status
                ));
            }
        }
        Ok(b)
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("invalid baseline `{}`: {e}", path.display()))
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        std::fs::write(path, self.to_json())
            .map_err(|e| format!("cannot write baseline `{}`: {e}", path.display()))
    }

    /// The findings the baseline does not cover, in their order. With `n`
    /// findings sharing a key and `count` in the baseline, the first
    /// `count` are covered and the rest are new.
    pub fn new_findings<'a>(&self, findings: &'a [Finding]) -> Vec<&'a Finding> {
        let mut remaining: BTreeMap<Key<'_>, usize> = self
            .findings
            .iter()
            .map(|f| {
                (
                    (f.file.as_str(), f.code.as_str(), f.subject.as_str()),
                    f.count,
                )
            })
            .collect();
        findings
            .iter()
            .filter(|f| match remaining.get_mut(&key(f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .collect()
    }

    pub fn step(&self, id: &str) -> Option<(Status, u8)> {
        self.steps
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| parse_status(&s.status).map(|st| (st, s.score)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::finding::{Location, Severity};

    fn f(file: &str, line: u32, code: &'static str, subject: &str) -> Finding {
        Finding {
            code,
            name: "x",
            severity: Severity::Warning,
            location: Location::new(file, line),
            message: "m".into(),
            subject: subject.into(),
        }
    }

    #[test]
    fn keyed_without_lines_and_counted() {
        let b = Baseline {
            version: 1,
            score: 0,
            steps: vec![],
            findings: vec![BaselineFinding {
                file: "Dockerfile".into(),
                code: "DL3007".into(),
                subject: "FROM alpine:latest".into(),
                count: 1,
            }],
        };
        let now = [
            f("Dockerfile", 9, "DL3007", "FROM alpine:latest"),
            f("Dockerfile", 12, "DL3007", "FROM alpine:latest"),
            f("api/Dockerfile", 1, "DL3007", "FROM alpine:latest"),
        ];
        let new = b.new_findings(&now);
        assert_eq!(new.len(), 2);
        assert_eq!(new[0].location.line, 12);
        assert_eq!(new[1].location.file, "api/Dockerfile");
    }

    #[test]
    fn parse_errors_are_clear() {
        assert!(Baseline::parse("{").unwrap_err().starts_with("line 1"));
        assert!(
            Baseline::parse(r#"{"version": 9, "score": 0, "steps": [], "findings": []}"#)
                .unwrap_err()
                .contains("unsupported baseline version 9")
        );
        let ok = Baseline::parse(r#"{"version": 1, "score": 5, "steps": [{"id": "compose", "status": "partial", "score": 3}], "findings": []}"#).unwrap();
        assert_eq!(ok.step("compose"), Some((Status::Partial, 3)));
    }
}
