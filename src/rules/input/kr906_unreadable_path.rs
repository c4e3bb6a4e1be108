use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::WalkProblemKind;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR906",
    name: "unreadable-path",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A folder of the audited tree could not be listed",
    what: "Reports a folder (or entry) the walk could not read, for example because of its permissions.",
    why: "Whatever lies inside is invisible to kubeready, so services, Dockerfiles or pipelines in it are not counted.",
    bad: "# drwx------ root root secrets/  (audit run as another user)",
    good: "# make the folder readable, or list it under `ignore:` in .kubeready.yaml",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::walk_problems(cx.facts, |k| {
            matches!(k, WalkProblemKind::Unreadable { .. })
        }) {
            if let WalkProblemKind::Unreadable { reason } = &p.kind {
                let path = if p.path.is_empty() {
                    "."
                } else {
                    p.path.as_str()
                };
                out.emit(
                    Location::new(path, 1),
                    format!("cannot list this path: {reason}"),
                    path,
                );
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use crate::rules::testing::findings_in;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn flags_unlistable_dir_unless_root_can_read_anyway() {
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::write(locked.join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable = std::fs::read_dir(&locked).is_ok(); // true when running as root
        let f = findings_in("KR906", dir.path());
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            assert!(f.is_empty());
        } else {
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].location.file, "locked");
        }
    }

    #[test]
    fn clean_on_readable_tree() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
        assert!(findings_in("KR906", dir.path()).is_empty());
    }
}
