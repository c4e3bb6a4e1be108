//! `--format json`: the SPEC's JSON contract, from the report types.

use super::AuditReport;
use std::io::Write;

/// Writes the report as pretty JSON, streamed: a big audit's report is
/// several megabytes, and building it as one string first costs a copy at
/// every doubling of the buffer, and a page fault for every 4 KiB of it.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> std::io::Result<()> {
    // serde_json writes a few bytes at a time: into a buffer it can inline,
    // not through `dyn Write` calls.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, report).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_pretty_json_ending_in_a_newline() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
        let audit = crate::audit::Audit::run(dir.path(), &Default::default());
        let mut out = Vec::new();
        write(&audit.report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("}\n"), "{text}");
        assert!(text.starts_with("{\n  \""), "{text}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed["findings"],
            serde_json::to_value(&audit.report.findings).unwrap()
        );
    }
}
