use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR207",
    name: "compose-host-network",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service uses `network_mode: host`",
    what: "Reports `network_mode: host` on a service.",
    why: "The service shares the host's network stack: its ports are open on every host interface without `ports:`, it can reach everything the host can, it cannot use the project's networks or service-name DNS, and the behaviour differs on Docker Desktop (macOS, Windows) where the \"host\" is a VM. Publish the ports it needs instead.",
    bad: "# compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
    good: "# compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, svc) in super::services(cx.facts) {
            let Some(nm) = &svc.network_mode else {
                continue;
            };
            if nm.value != "host" {
                continue;
            }
            out.emit(
                Location::new(&nm.file, nm.line),
                format!(
                    "service `{}` uses the host's network: it bypasses port publishing and the project's networks; publish the ports it needs instead",
                    svc.name
                ),
                super::subject(svc, "network_mode"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_host_network() {
        let f = findings_of(
            "KR207",
            &[(
                "compose.yaml",
                "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
    }

    #[test]
    fn clean_with_bridge_or_service_mode() {
        let f = findings_of(
            "KR207",
            &[(
                "compose.yaml",
                "services:\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n  side:\n    image: busybox:1\n    network_mode: service:web\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
