use super::{
    container_key, containers, describe_container, is_long_running, is_selecting_service,
    same_namespace, selects,
};
use crate::finding::{Location, Severity};
use crate::parse::k8s::{K8sObject, OrchestrationFacts};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR402",
    name: "k8s-no-readiness-probe",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A serving container of a long-running workload has no readinessProbe",
    what: "Reports app containers (not init containers) of Deployments, StatefulSets, DaemonSets, ReplicaSets, Argo Rollouts and DeploymentConfigs that declare a `containerPort` or are selected by a Service in the repo, and have no `readinessProbe`. Jobs, CronJobs and bare Pods are exempt.",
    why: "Without a readiness probe a pod receives Service traffic as soon as its process starts, before it can answer, and a rolling update moves on to the next pod while the new one is still warming up: every deploy drops requests.",
    bad: "      containers:\n      - name: api\n        image: acme/api:1.4\n        ports:\n        - containerPort: 8080",
    good: "      containers:\n      - name: api\n        image: acme/api:1.4\n        ports:\n        - containerPort: 8080\n        readinessProbe:\n          httpGet: {path: /ready, port: 8080}",
};

/// Whether a Service in the repo sends traffic to this workload's pods.
pub(crate) fn served(facts: &OrchestrationFacts, o: &K8sObject) -> bool {
    facts.objects.iter().any(|s| {
        is_selecting_service(s) && same_namespace(s, o) && selects(&s.selector, &o.pod_labels)
    })
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let facts = &cx.facts.orchestration;
        for (o, c) in containers(facts) {
            if c.init || !is_long_running(&o.kind) || c.readiness_probe {
                continue;
            }
            if c.ports.is_empty() && !served(facts, o) {
                continue;
            }
            out.emit(
                Location::new(&o.file, c.line),
                format!(
                    "{} has no readinessProbe: it gets traffic before it is ready",
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

    const SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata: {name: w}\nspec:\n  selector: {app: w}\n  ports:\n  - port: 80\n";

    #[test]
    fn flags_serving_container_without_probe() {
        let ports = "        ports:\n        - containerPort: 8080\n";
        let worker = format!("{}{SERVICE}", deployment("w", "acme/w:1", "", ""));
        let f = findings_of(
            "KR402",
            &[
                ("k8s/a.yaml", &deployment("a", "acme/a:1", ports, "")),
                ("k8s/w.yaml", &worker),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].subject, "Deployment/a/app");
        assert_eq!(f[0].location.line, 16);
        assert!(f[0].message.contains("no readinessProbe"));
    }

    #[test]
    fn clean_with_probe_for_workers_and_jobs() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers:\n      - name: j\n        image: acme/j:1\n        ports:\n        - containerPort: 9090\n";
        let f = findings_of(
            "KR402",
            &[
                (
                    "k8s/a.yaml",
                    &deployment("a", "acme/a:1", GOOD_CONTAINER, ""),
                ),
                ("k8s/worker.yaml", &deployment("worker", "acme/w:1", "", "")),
                ("k8s/job.yaml", job),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
