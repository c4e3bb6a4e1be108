use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR404",
    name: "k8s-no-resource-requests",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A container sets no resource requests",
    what: "Reports app containers (not init containers) of any workload, Jobs and CronJobs included, with no `resources.requests` (or an empty one).",
    why: "The scheduler places pods by their requests. Without them a pod is `BestEffort`: it can land on a full node, is the first to be evicted under memory pressure, and the HorizontalPodAutoscaler cannot compute CPU utilisation for it.",
    bad: "      containers:\n      - name: api\n        image: acme/api:1.4",
    good: "      containers:\n      - name: api\n        image: acme/api:1.4\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            if c.init || c.requests {
                continue;
            }
            out.emit(
                Location::new(&o.file, c.line),
                format!(
                    "{} sets no resource requests: it is scheduled as BestEffort",
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
    fn flags_missing_and_empty_requests() {
        let empty = "        resources:\n          requests: {}\n          limits: {memory: 1Gi}\n";
        let f = findings_of(
            "KR404",
            &[
                ("k8s/a.yaml", &deployment("a", "acme/a:1", "", "")),
                ("k8s/b.yaml", &deployment("b", "acme/b:1", empty, "")),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].subject, "Deployment/a/app");
        assert!(f[1].message.contains("BestEffort"));
    }

    #[test]
    fn clean_with_requests() {
        assert!(findings_of(
            "KR404",
            &[(
                "k8s/a.yaml",
                &deployment("a", "acme/a:1", GOOD_CONTAINER, "")
            )]
        )
        .is_empty());
    }
}
