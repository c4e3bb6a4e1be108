use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::WalkProblemKind;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR904",
    name: "symlink-out-of-root",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file kubeready would read is a symlink pointing outside the audited tree",
    what: "Reports a symlink named like a Dockerfile, Compose file, CI config or manifest whose target lies outside the audited root. kubeready never follows it.",
    why: "A build context cannot reach outside itself, so Docker sends the link, not its target: the build sees something else than the developer does. Following such links would also let an audited repo make kubeready read arbitrary files.",
    bad: "# Dockerfile -> /home/me/templates/Dockerfile",
    good: "# commit the Dockerfile itself, or link inside the repo\n# Dockerfile -> docker/Dockerfile.prod",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::walk_problems(cx.facts, |k| *k == WalkProblemKind::SymlinkOutOfRoot) {
            out.emit(
                Location::new(&p.path, 1),
                "symlink points outside the audited root; not followed",
                &p.path,
            );
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use crate::rules::testing::findings_in;

    #[test]
    fn flags_link_out_of_root_and_never_reads_it() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x"), "FROM secret-base\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("x"), dir.path().join("Dockerfile"))
            .unwrap();
        let f = findings_in("KR904", dir.path());
        assert_eq!(f.len(), 1);
        assert!(!f[0].message.contains("secret-base"));
    }

    #[test]
    fn clean_on_link_inside_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile.prod"), "FROM alpine:3.20\n").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("Dockerfile.prod"),
            dir.path().join("Dockerfile"),
        )
        .unwrap();
        assert!(findings_in("KR904", dir.path()).is_empty());
    }
}
