use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::WalkProblemKind;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR902",
    name: "file-too-large",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file kubeready would read is over the size limit and was skipped",
    what: "Reports a Dockerfile, Compose file, CI config or manifest larger than the size limit (10 MiB by default, `max-file-size` in the config). The file is not parsed.",
    why: "Configuration files of that size are almost always generated or misnamed; parsing them would cost time and memory for no insight. The checklist may miss facts in it.",
    bad: "# a 50 MB generated file named like a manifest\ndeploy/all-in-one.yaml",
    good: "# split generated output, or ignore it in .kubeready.yaml\nignore:\n  - deploy/generated/",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::walk_problems(cx.facts, |k| matches!(k, WalkProblemKind::TooLarge { .. })) {
            if let WalkProblemKind::TooLarge { size, limit } = p.kind {
                out.emit(
                    Location::new(&p.path, 1),
                    format!("file is {size} bytes, over the {limit}-byte limit; not parsed"),
                    &p.path,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::{Audit, AuditOptions};

    #[test]
    fn flags_file_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("compose.yaml"), "a: 1\n".repeat(100)).unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
        let opts = AuditOptions {
            max_file_size: 100,
            ..Default::default()
        };
        let audit = Audit::run(dir.path(), &opts);
        let f: Vec<_> = audit
            .report
            .findings
            .iter()
            .filter(|f| f.code == "KR902")
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.file, "compose.yaml");
    }

    #[test]
    fn clean_under_the_limit() {
        assert!(
            crate::rules::testing::findings_of("KR902", &[("compose.yaml", "services: {}\n")])
                .is_empty()
        );
    }
}
