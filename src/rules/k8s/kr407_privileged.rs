use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR407",
    name: "k8s-privileged-container",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A container runs with `securityContext.privileged: true`",
    what: "Reports containers (init containers included) with `securityContext.privileged: true`.",
    why: "A privileged container has every capability and all host devices: it is root on the node in all but name. Almost nothing needs it; grant the one capability needed (`capabilities.add`) instead. Pod Security Standards `baseline` forbid it.",
    bad: "        securityContext:\n          privileged: true",
    good: "        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [ALL]\n            add: [NET_BIND_SERVICE]",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            if !c.privileged {
                continue;
            }
            out.emit(
                Location::new(&o.file, c.line),
                format!(
                    "{} is privileged: it has full access to the node",
                    describe_container(o, c)
                ),
                container_key(o, c),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::{deployment, GOOD_CONTAINER};
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_privileged() {
        let p = "        securityContext:\n          privileged: true\n";
        let f = findings_of(
            "KR407",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", p, ""))],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].subject, "Deployment/a/app");
    }

    #[test]
    fn clean_when_not_privileged() {
        let p = "        securityContext:\n          privileged: false\n";
        let f = findings_of(
            "KR407",
            &[
                ("k8s/a.yaml", &deployment("a", "acme/a:1", p, "")),
                (
                    "k8s/b.yaml",
                    &deployment("b", "acme/b:1", GOOD_CONTAINER, ""),
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
