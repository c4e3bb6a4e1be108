use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR405",
    name: "k8s-no-resource-limits",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: true,
    summary: "A container sets no resource limits (a memory limit, at least)",
    what: "Reports app containers (not init containers) of any workload with no `resources.limits`. A memory limit is the one that matters; a CPU limit is optional and often better left out (it throttles).",
    why: "A container without a memory limit can use all of a node's memory: a leak in one pod makes the kernel kill processes in its neighbours. Setting the memory limit equal to the request also makes the pod's memory `Guaranteed`.",
    bad: "        resources:\n          requests: {cpu: 100m, memory: 128Mi}",
    good: "        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n          limits: {memory: 256Mi}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            if c.init || c.limits {
                continue;
            }
            out.emit(
                Location::new(&o.file, c.line),
                format!(
                    "{} sets no resource limits; give it a memory limit",
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
    fn flags_missing_limits() {
        let requests_only = "        resources:\n          requests: {cpu: 100m}\n";
        let f = findings_of(
            "KR405",
            &[(
                "k8s/a.yaml",
                &deployment("a", "acme/a:1", requests_only, ""),
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("memory limit"));
    }

    #[test]
    fn clean_with_limits() {
        assert!(findings_of(
            "KR405",
            &[(
                "k8s/a.yaml",
                &deployment("a", "acme/a:1", GOOD_CONTAINER, "")
            )]
        )
        .is_empty());
    }
}
