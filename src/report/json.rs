//! `--format json`: the SPEC's JSON contract, from the report types.

use super::AuditReport;

pub fn render(report: &AuditReport) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Serialising plain data cannot fail; say so rather than panic.
        Err(e) => format!("{{\"error\": \"cannot serialise report: {e}\"}}\n"),
    }
}
