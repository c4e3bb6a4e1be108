use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR418",
    name: "k8s-host-port",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A container binds a port on the node (`hostPort`)",
    what: "Reports container ports with a `hostPort` (other than 0).",
    why: "A hostPort can be taken by one pod per node: a second replica, or the surge pod of a rolling update, stays Pending on that node. It also exposes the pod on the node's address, around Services and NetworkPolicies. Use a Service (NodePort or LoadBalancer when it must be reachable from outside).",
    bad: "        ports:\n        - containerPort: 8080\n          hostPort: 80",
    good: "        ports:\n        - containerPort: 8080\n---\nkind: Service\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n    targetPort: 8080",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            for (port, host) in c.ports.iter().filter(|(_, h)| *h != 0) {
                out.emit(
                    Location::new(&o.file, c.line),
                    format!(
                        "{} binds port {host} on the node (`hostPort` for containerPort {port})",
                        describe_container(o, c)
                    ),
                    format!("{}:{host}", container_key(o, c)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::{deployment, GOOD_CONTAINER};
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_host_port() {
        let p = "        ports:\n        - containerPort: 8080\n          hostPort: 80\n";
        let f = findings_of(
            "KR418",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", p, ""))],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].subject, "Deployment/a/app:80");
    }

    #[test]
    fn clean_without_host_port() {
        assert!(findings_of(
            "KR418",
            &[(
                "k8s/a.yaml",
                &deployment("a", "acme/a:1", GOOD_CONTAINER, "")
            )]
        )
        .is_empty());
    }
}
