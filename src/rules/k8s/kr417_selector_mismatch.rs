use super::{is_templated, object_key};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR417",
    name: "k8s-selector-template-mismatch",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A workload's `selector.matchLabels` is not a subset of its pod template's labels",
    what: "Reports Deployments, StatefulSets, DaemonSets, ReplicaSets and Argo Rollouts whose `spec.selector.matchLabels` has a label the pod template (`spec.template.metadata.labels`) does not carry with the same value. `matchExpressions` selectors and templated values are not judged.",
    why: "The API server rejects such a workload (`selector does not match template labels`): `kubectl apply` fails and nothing is deployed.",
    bad: "spec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: backend}",
    good: "spec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api, tier: backend}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for o in &cx.facts.orchestration.objects {
            if !matches!(
                o.kind.as_str(),
                "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Rollout"
            ) || o.containers.is_empty()
            {
                continue;
            }
            let missing: Vec<String> = o
                .selector
                .iter()
                .filter(|(k, v)| {
                    !is_templated(k)
                        && !is_templated(v)
                        && !o.pod_labels.contains(&(k.clone(), v.clone()))
                })
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            out.emit(
                Location::new(&o.file, o.line),
                format!(
                    "{} `{}` selects `{}`, which its pod template's labels lack: the API server rejects it",
                    o.kind,
                    o.name,
                    missing.join(",")
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
    fn flags_mismatched_selector() {
        let d = deployment("api", "acme/api:1", "", "").replace(
            "        app: api\n    spec",
            "        app: backend\n    spec",
        );
        let f = findings_of("KR417", &[("k8s/d.yaml", &d)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("`app=api`"), "{}", f[0].message);
        assert_eq!(f[0].subject, "Deployment/api");
    }

    #[test]
    fn clean_when_selector_is_subset() {
        let d = deployment("api", "acme/api:1", "", "").replace(
            "        app: api\n    spec",
            "        app: api\n        tier: web\n    spec",
        );
        assert!(findings_of("KR417", &[("k8s/d.yaml", &d)]).is_empty());
    }
}
