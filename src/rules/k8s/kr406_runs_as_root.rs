use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::parse::k8s::{Container, K8sObject};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR406",
    name: "k8s-may-run-as-root",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A container may run as root: no `runAsNonRoot`/non-zero `runAsUser`, or `runAsUser: 0`",
    what: "Reports containers (init containers included) whose effective security context, the container's own over the pod's, neither sets `runAsNonRoot: true` nor a non-zero `runAsUser`, or sets `runAsUser: 0`.",
    why: "Without it the container runs as whatever user the image says, root for most images. A process escaping its container as root owns the node far more easily; `runAsNonRoot: true` makes the kubelet refuse to start an image that would run as root, and the restricted Pod Security Standard requires it.",
    bad: "    spec:\n      containers:\n      - name: api\n        image: acme/api:1.4",
    good: "    spec:\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n      containers:\n      - name: api\n        image: acme/api:1.4",
};

/// Why this container may run as root, if it may.
fn root_reason(o: &K8sObject, c: &Container) -> Option<&'static str> {
    let user = c.run_as_user.or(o.pod_run_as_user);
    let non_root = c.run_as_non_root.or(o.pod_run_as_non_root);
    match user {
        Some(0) => Some("sets `runAsUser: 0`"),
        Some(_) => None,
        None if non_root == Some(true) => None,
        None if non_root == Some(false) => Some("sets `runAsNonRoot: false`"),
        None => Some("sets neither `runAsNonRoot: true` nor a non-root `runAsUser`"),
    }
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            let Some(reason) = root_reason(o, c) else {
                continue;
            };
            out.emit(
                Location::new(&o.file, c.line),
                format!("{} {reason}: it may run as root", describe_container(o, c)),
                container_key(o, c),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_root_and_unset() {
        let root = "        securityContext:\n          runAsUser: 0\n";
        let pod_non_root = "      securityContext:\n        runAsNonRoot: true\n";
        let f = findings_of(
            "KR406",
            &[
                ("k8s/a.yaml", &deployment("a", "acme/a:1", "", "")),
                // The container's runAsUser: 0 wins over the pod's runAsNonRoot.
                (
                    "k8s/b.yaml",
                    &deployment("b", "acme/b:1", root, pod_non_root),
                ),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].message.contains("neither"), "{}", f[0].message);
        assert!(f[1].message.contains("runAsUser: 0"), "{}", f[1].message);
        assert_eq!(f[1].location.line, 18);
    }

    /// An example's or an e2e suite's manifest is not held to production
    /// hardening: `info`, saying why; an overlay named `test` under
    /// `overlays/` is an environment, still judged.
    #[test]
    fn examples_and_test_suites_are_info() {
        use crate::finding::Severity;
        let f = findings_of(
            "KR406",
            &[
                ("examples/demo/a.yaml", &deployment("a", "acme/a:1", "", "")),
                ("shop-e2e/k8s/b.yaml", &deployment("b", "acme/b:1", "", "")),
                (
                    "k8s/overlays/test/c.yaml",
                    &deployment("c", "acme/c:1", "", ""),
                ),
            ],
        );
        assert_eq!(f.len(), 3, "{f:?}");
        let of = |file: &str| f.iter().find(|x| x.location.file == file).unwrap();
        assert_eq!(of("examples/demo/a.yaml").severity, Severity::Info);
        assert!(of("examples/demo/a.yaml")
            .message
            .ends_with("(a manifest under `examples/demo/`, which demonstrates or tests the product: not held to production hardening)"));
        assert_eq!(of("shop-e2e/k8s/b.yaml").severity, Severity::Info);
        assert_eq!(of("k8s/overlays/test/c.yaml").severity, Severity::Warning);
    }

    #[test]
    fn clean_with_pod_or_container_setting() {
        let pod_non_root = "      securityContext:\n        runAsNonRoot: true\n";
        let user = "        securityContext:\n          runAsUser: 10001\n";
        let f = findings_of(
            "KR406",
            &[
                ("k8s/a.yaml", &deployment("a", "acme/a:1", "", pod_non_root)),
                ("k8s/b.yaml", &deployment("b", "acme/b:1", user, "")),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
