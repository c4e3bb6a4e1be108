use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR220",
    name: "compose-database-port-public",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A database or broker port is published on every host interface",
    what: "Reports a published port of a service running a database, cache, broker or search image (postgres, mysql, redis, mongo, rabbitmq, kafka, elasticsearch...) with no host address or `0.0.0.0`, so it listens on every interface of the host.",
    why: "Other services reach the database over the project network without any published port. Publishing it is handy for a local client, but on all interfaces it is reachable from the whole network the laptop or server is on, usually with a development password (Docker's port publishing also bypasses host firewalls such as ufw). Binding it to `127.0.0.1` keeps the convenience.",
    bad: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n",
    good: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    ports: [\"127.0.0.1:5432:5432\"]\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, svc) in super::services(cx.facts) {
            let Some(image) = &svc.image else { continue };
            let Some(kind) = super::stateful_image(&image.value) else {
                continue;
            };
            for port in &svc.ports {
                let Some(host) = &port.host else { continue };
                if !matches!(port.host_ip.as_deref(), None | Some("0.0.0.0") | Some("::")) {
                    continue;
                }
                out.emit(
                    Location::new(&port.file, port.line),
                    format!(
                        "service `{}` ({kind}) publishes port {host} on every host interface; bind it to `127.0.0.1:{host}:{}` or drop it",
                        svc.name, port.container
                    ),
                    super::subject(svc, &format!("ports.{host}")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_public_database_port() {
        let f = findings_of(
            "KR220",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("127.0.0.1:5432:5432"));
    }

    #[test]
    fn clean_on_localhost_unpublished_or_web() {
        let f = findings_of(
            "KR220",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    ports: [\"127.0.0.1:5432:5432\", \"5433\"]\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
