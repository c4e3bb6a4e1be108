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

pub fn render(report: &AuditReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let col = f
            .location
            .column
            .map(|c| format!(",col={c}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "::{kind} file={},line={}{col},title={}::{}\n",
            escape_property(&f.location.file),
            f.location.line,
            escape_property(&format!("{} {}", f.code, f.name)),
            escape_data(&f.message)
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
