use super::{container_key, containers, describe_container, is_long_running};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR403",
    name: "k8s-no-liveness-probe",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: true,
    summary: "A container of a long-running workload has no livenessProbe",
    what: "Reports app containers (not init containers) of Deployments, StatefulSets, DaemonSets, ReplicaSets, Argo Rollouts and DeploymentConfigs without a `livenessProbe`. Jobs, CronJobs and bare Pods are exempt.",
    why: "A process that hangs without exiting (a deadlock, an exhausted pool) stays in rotation forever unless a liveness probe lets the kubelet restart it. Keep the probe cheap and independent of downstream services, or it restarts healthy pods during an outage elsewhere.",
    bad: "      containers:\n      - name: api\n        image: acme/api:1.4",
    good: "      containers:\n      - name: api\n        image: acme/api:1.4\n        livenessProbe:\n          httpGet: {path: /live, port: 8080}\n          periodSeconds: 10",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            if c.init || !is_long_running(&o.kind) || c.liveness_probe {
                continue;
            }
            out.emit(
                Location::new(&o.file, c.line),
                format!(
                    "{} has no livenessProbe: a hung process is never restarted",
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
    fn flags_missing_liveness_probe() {
        let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      initContainers:\n      - name: init\n        image: busybox:1.36\n      containers:\n      - name: db\n        image: postgres:16\n";
        let f = findings_of("KR403", &[("k8s/db.yaml", sts)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].subject, "StatefulSet/db/db");
        assert_eq!(f[0].location.line, 14);
    }

    #[test]
    fn clean_with_probe_and_for_cronjobs() {
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: acme/c:1\n";
        let f = findings_of(
            "KR403",
            &[
                (
                    "k8s/a.yaml",
                    &deployment("a", "acme/a:1", GOOD_CONTAINER, ""),
                ),
                ("k8s/c.yaml", cron),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
