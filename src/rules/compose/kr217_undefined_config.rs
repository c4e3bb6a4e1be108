use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR217",
    name: "compose-undefined-config",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service uses a config the project does not declare",
    what: "Reports a service `configs:` entry (short or long syntax `source:`) naming a config missing from the top-level `configs:` (of the project, or of the main Compose file for a variant file).",
    why: "Compose refuses to start the project: `service \"proxy\" refers to undefined config nginx_conf`. The top-level entry says where the config comes from (`file:`, `content:` or `environment:`).",
    bad: "# compose.yaml\nservices:\n  proxy:\n    image: nginx:1.27\n    configs: [nginx_conf]\n",
    good: "# compose.yaml\nservices:\n  proxy:\n    image: nginx:1.27\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    file: ./nginx.conf\n",
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
    key: "configs",
    what: "config",
    uses: |svc| {
        svc.configs
            .iter()
            .map(|n| (n.value.as_str(), n.file.as_str(), n.line))
            .collect()
    },
    declared: |p| &p.configs,
    implicit: str::is_empty,
};

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_undeclared() {
        let f = findings_of(
            "KR217",
            &[(
                "compose.yaml",
                "services:\n  proxy:\n    image: nginx:1.27\n    configs:\n      - nginx_conf\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("`nginx_conf`"), "{f:?}");
    }

    #[test]
    fn clean_when_declared() {
        let f = findings_of(
            "KR217",
            &[("compose.yaml", "services:\n  proxy:\n    image: nginx:1.27\n    configs:\n      - nginx_conf\nconfigs:\n  nginx_conf:\n    file: ./nginx.conf\n")],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
