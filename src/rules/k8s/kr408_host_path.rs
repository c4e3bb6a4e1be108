use super::object_key;
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR408",
    name: "k8s-host-path-volume",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A pod mounts a `hostPath` volume",
    what: "Reports `hostPath` volumes in pod templates, with the host path. Mounting the container runtime socket (`docker.sock`, `containerd.sock`) is called out: it gives the pod control of every container on the node.",
    why: "A hostPath volume ties the pod to one node's filesystem (its data is gone when the pod moves) and lets the container read or write the node itself. Use a PersistentVolumeClaim, an `emptyDir`, a ConfigMap or a CSI driver instead; Pod Security Standards `baseline` forbid hostPath.",
    bad: "      volumes:\n      - name: data\n        hostPath:\n          path: /var/lib/app",
    good: "      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: app-data",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for o in &cx.facts.orchestration.objects {
            for (path, line) in &o.host_path_volumes {
                let socket = path.ends_with("docker.sock")
                    || path.ends_with("containerd.sock")
                    || path.ends_with("crio.sock");
                let extra = if socket {
                    " (the container runtime socket: control of every container on the node)"
                } else {
                    ""
                };
                out.emit(
                    Location::new(&o.file, *line),
                    format!(
                        "{} `{}` mounts the host path `{path}`{extra}",
                        o.kind, o.name
                    ),
                    format!("{}:{path}", object_key(o)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_host_path() {
        let vols = "      volumes:\n      - name: sock\n        hostPath:\n          path: /var/run/docker.sock\n";
        let f = findings_of(
            "KR408",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", "", vols))],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 17);
        assert!(f[0].message.contains("runtime socket"));
        assert_eq!(f[0].subject, "Deployment/a:/var/run/docker.sock");
    }

    #[test]
    fn clean_with_other_volumes() {
        let vols = "      volumes:\n      - name: tmp\n        emptyDir: {}\n";
        assert!(findings_of(
            "KR408",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", "", vols))]
        )
        .is_empty());
    }
}
