use super::{is_selecting_service, object_key, Workloads};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR411",
    name: "k8s-service-port-not-exposed",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Service's numeric targetPort is not a containerPort of the workloads it selects",
    what: "Reports Service ports whose numeric `targetPort` (or `port`, when `targetPort` is absent) is not among the `containerPort`s of the app containers of the workloads the Service selects. Only judged when those containers declare ports at all; named target ports are not checked.",
    why: "The Service forwards to the targetPort whatever the container declares, so a mismatch usually means traffic goes to a port nothing listens on: connections are refused although the pods are Ready. `port: 80` without `targetPort` sends to port 80 of the pod, a classic mistake when the app listens on 8080.",
    bad: "kind: Service\nspec:\n  ports:\n  - port: 80          # targetPort defaults to 80\n---\n        ports:\n        - containerPort: 8080",
    good: "kind: Service\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n---\n        ports:\n        - containerPort: 8080",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let facts = &cx.facts.orchestration;
        let workloads_index = Workloads::new(facts);
        for s in facts.objects.iter().filter(|o| is_selecting_service(o)) {
            let workloads: Vec<_> = workloads_index.selected_by(s).collect();
            let mut exposed: Vec<u32> = workloads
                .iter()
                .flat_map(|w| w.containers.iter().filter(|c| !c.init))
                .flat_map(|c| c.ports.iter().map(|(p, _)| *p))
                .collect();
            if exposed.is_empty() {
                continue;
            }
            exposed.sort_unstable();
            exposed.dedup();
            for p in &s.service_ports {
                let target = p.target_port.clone().unwrap_or_else(|| p.port.to_string());
                let Ok(n) = target.trim().parse::<u32>() else {
                    continue; // a named port
                };
                if exposed.contains(&n) {
                    continue;
                }
                let names: Vec<String> = workloads
                    .iter()
                    .map(|w| format!("{} `{}`", w.kind, w.name))
                    .collect();
                let ports: Vec<String> = exposed.iter().map(u32::to_string).collect();
                let how = if p.target_port.is_some() {
                    format!("targetPort {n}")
                } else {
                    format!("port {n} (no targetPort, so {n})")
                };
                out.emit(
                    Location::new(&s.file, p.line),
                    format!(
                        "Service `{}` sends {how} to {}, whose containers expose {}",
                        s.name,
                        names.join(", "),
                        ports.join(", ")
                    ),
                    format!("{}:{}", object_key(s), p.port),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::{deployment, GOOD_CONTAINER};
    use crate::rules::testing::findings_of;

    fn service(ports: &str) -> String {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: api}}\nspec:\n  selector: {{app: api}}\n  ports:\n{ports}")
    }

    #[test]
    fn flags_port_without_container_port() {
        let f = findings_of(
            "KR411",
            &[
                (
                    "k8s/svc.yaml",
                    &service("  - port: 80\n  - port: 81\n    targetPort: 9000\n"),
                ),
                (
                    "k8s/d.yaml",
                    &deployment("api", "acme/api:1", GOOD_CONTAINER, ""),
                ),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 7);
        assert!(f[0].message.contains("no targetPort"), "{}", f[0].message);
        assert!(f[1].message.contains("targetPort 9000") && f[1].message.contains("8080"));
        assert_eq!(f[1].subject, "Service/api:81");
    }

    #[test]
    fn clean_when_ports_match_named_or_undeclared() {
        let f = findings_of(
            "KR411",
            &[
                (
                    "k8s/svc.yaml",
                    &service(
                        "  - port: 80\n    targetPort: 8080\n  - port: 81\n    targetPort: http\n",
                    ),
                ),
                (
                    "k8s/d.yaml",
                    &deployment("api", "acme/api:1", GOOD_CONTAINER, ""),
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        // Containers that declare no ports are not judged.
        let f = findings_of(
            "KR411",
            &[
                ("k8s/svc.yaml", &service("  - port: 80\n")),
                ("k8s/d.yaml", &deployment("api", "acme/api:1", "", "")),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
