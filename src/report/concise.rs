//! `--format concise`: one line per finding,
//! `path:line:col: severity CODE message` (ruff's concise output,
//! hadolint's tty format), for CI logs and editors' problem matchers. The
//! path is reached from the working directory; the column is 1 when the
//! finding has none.

use super::AuditReport;

pub fn render(report: &AuditReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}:{}: {} {} {}\n",
            report.shown_path(&f.location.file),
            f.location.line,
            f.location.column.unwrap_or(1),
            f.severity.as_str(),
            f.code,
            f.message.replace(['\r', '\n'], " ")
        ));
    }
    out
}
