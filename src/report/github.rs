//! `--format github`: GitHub Actions workflow commands, so findings show
//! as annotations on pull requests, plus a one-line notice with the verdict.

use super::AuditReport;
use crate::finding::Severity;

/// Escapes data for a workflow command message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub shows at most 10 annotations of each level per step (and 50 per
/// job); more are dropped silently. Notices keep two places for the
/// "more findings" line and the verdict.
const MAX_ERRORS: usize = 10;
const MAX_WARNINGS: usize = 10;
const MAX_NOTICES: usize = 8;

pub fn render(report: &AuditReport) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut notices) = (0usize, 0usize, 0usize);
    let mut left_out = 0usize;
    for f in &report.findings {
        let (kind, shown, max) = match f.severity {
            Severity::Error => ("error", &mut errors, MAX_ERRORS),
            Severity::Warning => ("warning", &mut warnings, MAX_WARNINGS),
            Severity::Info => ("notice", &mut notices, MAX_NOTICES),
        };
        if *shown >= max {
            left_out += 1;
            continue;
        }
        *shown += 1;
        let col = f
            .location
            .column
            .map(|c| format!(",col={c}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "::{kind} file={},line={}{col},title={}::{}\n",
            escape_property(&report.shown_path(&f.location.file)),
            f.location.line,
            escape_property(&format!("{} {}", f.code, f.name)),
            escape_data(&f.message)
        ));
    }
    if left_out > 0 {
        let total = report.findings.len();
        out.push_str(&format!(
            "::notice title=kubeready::{}\n",
            escape_data(&format!(
                "{left_out} more {} not annotated ({} of {total} shown; GitHub shows at most {MAX_ERRORS} errors, {MAX_WARNINGS} warnings and 10 notices per step): see the full report (--format markdown, the job summary, or --format json)",
                if left_out == 1 { "finding is" } else { "findings are" },
                total - left_out,
            ))
        ));
    }
    out.push_str(&format!(
        "::notice title=kubeready::{}\n",
        escape_data(&report.summary.verdict)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_spec() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
