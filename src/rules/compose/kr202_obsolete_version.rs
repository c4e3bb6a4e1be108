use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR202",
    name: "compose-obsolete-version",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose file still declares the obsolete top-level `version:`",
    what: "Reports the top-level `version:` key of a Compose file.",
    why: "The Compose Specification ignores `version:`; Docker Compose v2 prints a warning that it is obsolete on every run. It also misleads readers into thinking features are limited to that file format version.",
    bad: "# compose.yaml\nversion: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n",
    good: "# compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for project in &cx.facts.compose {
            let Some(v) = &project.version else { continue };
            out.emit(
                Location::new(&v.file, v.line),
                format!(
                    "`version: {}` is obsolete and ignored by Docker Compose v2; remove it",
                    v.value
                ),
                "version",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_version() {
        let f = findings_of(
            "KR202",
            &[(
                "docker-compose.yml",
                "version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 1);
        assert!(f[0].message.contains("3.8"));
    }

    #[test]
    fn clean_without_version() {
        let f = findings_of(
            "KR202",
            &[("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n")],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
