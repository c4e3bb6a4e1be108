use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR206",
    name: "compose-privileged",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service runs with `privileged: true`",
    what: "Reports `privileged: true` on a service.",
    why: "A privileged container has every capability and access to all host devices: escaping it is trivial, so a compromise of the service is a compromise of the host. It also will not carry over to Kubernetes clusters whose Pod Security admission forbids privileged pods. Grant the specific capabilities or devices the service needs instead.",
    bad: "# compose.yaml\nservices:\n  agent:\n    image: acme/agent:1.0\n    privileged: true\n",
    good: "# compose.yaml\nservices:\n  agent:\n    image: acme/agent:1.0\n    cap_add: [NET_ADMIN]\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, svc) in super::services(cx.facts) {
            let Some(p) = &svc.privileged else { continue };
            if !p.value {
                continue;
            }
            out.emit(
                Location::new(&p.file, p.line),
                format!(
                    "service `{}` runs privileged: it has full access to the host; grant only the capabilities it needs (`cap_add`, `devices`)",
                    svc.name
                ),
                super::subject(svc, "privileged"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_privileged() {
        let f = findings_of(
            "KR206",
            &[(
                "compose.yaml",
                "services:\n  agent:\n    image: acme/agent:1\n    privileged: true\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
    }

    #[test]
    fn clean_when_false_or_absent() {
        let f = findings_of(
            "KR206",
            &[(
                "compose.yaml",
                "services:\n  agent:\n    image: acme/agent:1\n    privileged: false\n  web:\n    image: nginx:1.27\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
