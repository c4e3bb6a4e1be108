use super::{is_selecting_service, object_key, Workloads};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR410",
    name: "k8s-service-selects-nothing",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Service's selector matches no workload's pod labels in the repo",
    what: "Reports Services with a non-empty `selector` (not `ExternalName`) when the repo has workloads but none whose pod template labels include every selector label (in the same namespace, where both name one). Repos with no workload manifests are left alone: the pods may come from a chart or an operator.",
    why: "A Service whose selector matches no pod has no endpoints: connections to it are refused or time out, and nothing in `kubectl apply` says so. The usual cause is a typo or a label renamed on one side only.",
    bad: "kind: Service\nspec:\n  selector: {app: web}\n---\nkind: Deployment\nspec:\n  template:\n    metadata:\n      labels: {app: frontend}",
    good: "kind: Service\nspec:\n  selector: {app: frontend}\n---\nkind: Deployment\nspec:\n  template:\n    metadata:\n      labels: {app: frontend}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let facts = &cx.facts.orchestration;
        if !facts.objects.iter().any(|o| o.is_workload()) {
            return;
        }
        let workloads = Workloads::new(facts);
        for s in facts.objects.iter().filter(|o| is_selecting_service(o)) {
            if workloads.selected_by(s).next().is_some() {
                continue;
            }
            let selector: Vec<String> =
                s.selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.emit(
                Location::new(&s.file, s.line),
                format!(
                    "Service `{}` selects `{}`, which no workload's pod labels in the repo match: it has no endpoints",
                    s.name,
                    selector.join(",")
                ),
                object_key(s),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    fn service(selector: &str) -> String {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{{selector}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n")
    }

    #[test]
    fn flags_unmatched_selector() {
        let f = findings_of(
            "KR410",
            &[
                ("k8s/svc.yaml", &service("app: web")),
                ("k8s/d.yaml", &deployment("frontend", "acme/f:1", "", "")),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (2, "Service/web")
        );
        assert!(f[0].message.contains("`app=web`"));
    }

    #[test]
    fn clean_when_matched_or_no_workloads() {
        let f = findings_of(
            "KR410",
            &[
                ("k8s/svc.yaml", &service("app: frontend")),
                ("k8s/d.yaml", &deployment("frontend", "acme/f:1", "", "")),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        assert!(findings_of("KR410", &[("k8s/svc.yaml", &service("app: web"))]).is_empty());
    }
}
