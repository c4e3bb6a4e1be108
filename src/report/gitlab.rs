//! `--format gitlab`: a GitLab Code Quality report (the Code Climate
//! subset GitLab reads), for `artifacts: reports: codequality:`.
//!
//! Each finding is one issue with `description`, `check_name`,
//! `fingerprint`, `severity` (`info`, `minor`, `major`, `critical`) and
//! `location.path` / `location.lines.begin`. The fingerprint hashes the
//! file, code and subject (never the line) plus the occurrence number, so
//! GitLab's merge-request diff of "new" and "resolved" issues survives
//! edits that shift lines, like `--baseline`.

use super::AuditReport;
use crate::finding::Severity;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// 64-bit FNV-1a, run twice with different offset bases for 128 bits.
fn fingerprint(parts: &[&str]) -> String {
    let mut out = String::new();
    for basis in [0xcbf2_9ce4_8422_2325_u64, 0x6c62_272e_07bb_0142_u64] {
        let mut h = basis;
        for p in parts {
            for b in p.bytes().chain(std::iter::once(0)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

pub fn render(report: &AuditReport) -> String {
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .map(|f| {
            let n = seen
                .entry((&f.location.file, f.code, &f.subject))
                .or_default();
            *n += 1;
            Issue {
                kind: "issue",
                description: format!("{} {}: {}", f.code, f.name, f.message),
                check_name: f.code,
                fingerprint: fingerprint(&[&f.location.file, f.code, &f.subject, &n.to_string()]),
                severity: severity(f.severity),
                categories: ["Style"],
                // From the working directory (GitLab reads paths from the
                // project root, where the job runs); the fingerprint keeps
                // the root-relative path.
                location: IssueLocation {
                    path: report.shown_path(&f.location.file),
                    lines: Lines {
                        begin: f.location.line,
                    },
                },
            }
        })
        .collect();
    match serde_json::to_string_pretty(&issues) {
        Ok(s) => s + "\n",
        Err(e) => format!("{{\"error\": \"cannot serialise report: {e}\"}}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab", ""]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }
}
