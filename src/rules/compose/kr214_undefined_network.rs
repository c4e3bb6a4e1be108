use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR214",
    name: "compose-undefined-network",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service joins a network the project does not declare",
    what: "Reports a service `networks:` entry naming a network missing from the top-level `networks:` (of the project, or of the main Compose file for a variant file). The implicit `default` network needs no declaration.",
    why: "Compose refuses to start the project: `service \"api\" refers to undefined network backend`. Usually a typo or a network declared only in another Compose file.",
    bad: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    networks: [backend]\n",
    good: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    networks: [backend]\nnetworks:\n  backend: {}\n",
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
    key: "networks",
    what: "network",
    uses: |svc| {
        svc.networks
            .iter()
            .map(|n| (n.value.as_str(), n.file.as_str(), n.line))
            .collect()
    },
    declared: |p| &p.networks,
    implicit: |name| name == "default",
};

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_undeclared() {
        let f = findings_of(
            "KR214",
            &[("compose.yaml", "services:\n  api:\n    image: acme/api:1\n    networks:\n      - default\n      - backend\n")],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 6);
        assert!(f[0].message.contains("`backend`"), "{f:?}");
    }

    #[test]
    fn clean_when_declared() {
        let f = findings_of(
            "KR214",
            &[("compose.yaml", "services:\n  api:\n    image: acme/api:1\n    networks:\n      default: {}\n      backend:\n        aliases: [x]\nnetworks:\n  backend:\n    driver: bridge\n")],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
