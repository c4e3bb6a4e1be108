use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::WalkProblemKind;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR907",
    name: "non-utf8-path",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file or folder name is not valid UTF-8",
    what: "Reports a path whose name is not valid UTF-8. kubeready shows it with replacement characters and does not read it.",
    why: "Such names cannot be written exactly in reports, YAML or most CI systems, and break tools that expect text paths.",
    bad: "# a file named with Latin-1 bytes: caf\\xe9.yaml",
    good: "# rename it to UTF-8: café.yaml",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::walk_problems(cx.facts, |k| *k == WalkProblemKind::NonUtf8Name) {
            out.emit(
                Location::new(&p.path, 1),
                "name is not valid UTF-8; not read",
                &p.path,
            );
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use crate::rules::testing::findings_in;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn flags_latin1_name() {
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
        std::fs::write(dir.path().join(name), "a: 1\n").unwrap();
        let f = findings_in("KR907", dir.path());
        assert_eq!(f.len(), 1);
        assert!(f[0].location.file.starts_with("caf"));
    }

    #[test]
    fn clean_on_utf8_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("café.yaml"), "a: 1\n").unwrap();
        assert!(findings_in("KR907", dir.path()).is_empty());
    }
}
