use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::WalkProblemKind;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR905",
    name: "broken-symlink",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file kubeready would read is a symlink that loops or points nowhere",
    what: "Reports a symlink named like a Dockerfile, Compose file, CI config or manifest whose target does not exist or that forms a loop.",
    why: "Tools that read the file fail on it, so the build, pipeline or deployment it stands for does not run.",
    bad: "# compose.yaml -> compose.yaml (a loop)",
    good: "# compose.yaml is a regular file",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::walk_problems(cx.facts, |k| *k == WalkProblemKind::SymlinkBroken) {
            out.emit(
                Location::new(&p.path, 1),
                "symlink loops or points to nothing; not followed",
                &p.path,
            );
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use crate::rules::testing::findings_in;

    #[test]
    fn flags_loop() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("compose.yaml"),
            dir.path().join("compose.yaml"),
        )
        .unwrap();
        assert_eq!(findings_in("KR905", dir.path()).len(), 1);
    }

    #[test]
    fn clean_without_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("compose.yaml"), "services: {}\n").unwrap();
        assert!(findings_in("KR905", dir.path()).is_empty());
    }
}
