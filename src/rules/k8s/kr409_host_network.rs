use super::object_key;
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR409",
    name: "k8s-host-network",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A pod uses the node's network namespace (`hostNetwork: true`)",
    what: "Reports pod templates with `hostNetwork: true`.",
    why: "A pod on the host network sees every interface of the node, can bind its ports (two replicas clash on one node) and bypasses NetworkPolicies. Expose the pod through a Service instead; Pod Security Standards `baseline` forbid host networking.",
    bad: "    spec:\n      hostNetwork: true\n      containers:\n      - name: api",
    good: "    spec:\n      containers:\n      - name: api\n        ports:\n        - containerPort: 8080",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for o in cx
            .facts
            .orchestration
            .objects
            .iter()
            .filter(|o| o.host_network)
        {
            out.emit(
                Location::new(&o.file, o.line),
                format!(
                    "{} `{}` uses the host network (`hostNetwork: true`)",
                    o.kind, o.name
                ),
                object_key(o),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_host_network() {
        let f = findings_of(
            "KR409",
            &[(
                "k8s/a.yaml",
                &deployment("a", "acme/a:1", "", "      hostNetwork: true\n"),
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (2, "Deployment/a")
        );
    }

    #[test]
    fn clean_without_host_network() {
        let f = findings_of(
            "KR409",
            &[(
                "k8s/a.yaml",
                &deployment("a", "acme/a:1", "", "      hostNetwork: false\n"),
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
