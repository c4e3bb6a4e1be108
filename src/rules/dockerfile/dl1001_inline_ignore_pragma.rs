use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL1001",
    name: "inline-ignore-pragma",
    severity: Severity::Info,
    enabled_by_default: false,
    hardening: false,
    summary: "Inline ignore pragmas are not allowed",
    what: "Reports every `# hadolint ignore=...` and `# kubeready ignore=...` comment. Off by default; platform teams turn it on to make every exception go through the central config.",
    why: "Inline ignores let each Dockerfile opt out of the rules quietly; some teams want exceptions reviewed in one place.",
    bad: "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u5\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for p in &df.file.pragmas {
            out.emit(
                df.loc(p.line),
                format!("inline `# {} ignore=` pragma", p.tool),
                format!("# {} ignore={}", p.tool, p.codes.join(",")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::{Audit, AuditOptions};

    fn count(df: &str, cfg: Option<&str>) -> usize {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), df).unwrap();
        if let Some(c) = cfg {
            std::fs::write(dir.path().join(".hadolint.yaml"), c).unwrap();
        }
        let a = Audit::run(dir.path(), &AuditOptions::default());
        a.report
            .findings
            .iter()
            .filter(|f| f.code == "DL1001")
            .count()
    }

    #[test]
    fn flags_pragma_when_enabled() {
        let df = "FROM a:1\n# hadolint ignore=DL3007\nRUN true\n";
        assert_eq!(count(df, Some("override:\n  info: [DL1001]\n")), 1);
    }

    #[test]
    fn off_by_default_and_clean_without_pragmas() {
        assert_eq!(
            count("FROM a:1\n# hadolint ignore=DL3007\nRUN true\n", None),
            0
        );
        assert_eq!(
            count(
                "FROM a:1\n# a comment\nRUN true\n",
                Some("override:\n  info: [DL1001]\n")
            ),
            0
        );
    }
}
