use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR216",
    name: "compose-undefined-secret",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service uses a secret the project does not declare",
    what: "Reports a service `secrets:` entry (short or long syntax `source:`) naming a secret missing from the top-level `secrets:` (of the project, or of the main Compose file for a variant file).",
    why: "Compose refuses to start the project: `service \"api\" refers to undefined secret db_password`. The top-level entry says where the secret comes from (`file:` or `environment:`).",
    bad: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    secrets: [db_password]\n",
    good: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    secrets: [db_password]\nsecrets:\n  db_password:\n    environment: DB_PASSWORD\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        super::report_undeclared(cx, out, &SECTION);
    }
}

static SECTION: super::Section = super::Section {
    key: "secrets",
    what: "secret",
    uses: |svc| {
        svc.secrets
            .iter()
            .map(|n| (n.value.as_str(), n.file.as_str(), n.line))
            .collect()
    },
    declared: |p| &p.secrets,
    implicit: str::is_empty,
};

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_undeclared() {
        let f = findings_of(
            "KR216",
            &[("compose.yaml", "services:\n  api:\n    image: acme/api:1\n    secrets:\n      - source: db_password\n        target: db\n")],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("`db_password`"), "{f:?}");
    }

    #[test]
    fn clean_when_declared() {
        let f = findings_of(
            "KR216",
            &[("compose.yaml", "services:\n  api:\n    image: acme/api:1\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./db_password.txt\n")],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
