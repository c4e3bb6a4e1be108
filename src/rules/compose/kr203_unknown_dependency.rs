use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR203",
    name: "compose-unknown-dependency",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "`depends_on` (or `network_mode: service:`) names a service the project does not define",
    what: "Reports a `depends_on` entry, or a `network_mode: service:<name>`, naming a service that is defined neither in the project (with its overrides and includes) nor, for a variant file such as `docker-compose.prod.yml`, in the main Compose file beside it. Projects with a Compose file kubeready could not parse are skipped.",
    why: "Docker Compose refuses to start the project: `service \"api\" depends on undefined service \"db\"`. This usually follows a rename or a service moved to another file.",
    bad: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    depends_on: [database]\n  db:\n    image: postgres:16\n",
    good: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (project, svc) in super::services(cx.facts) {
            if super::incomplete(cx.facts, project) {
                continue;
            }
            for dep in &svc.depends_on {
                if super::knows_service(cx.facts, project, &dep.service) {
                    continue;
                }
                out.emit(
                    Location::new(&dep.file, dep.line),
                    format!(
                        "service `{}` depends on `{}`, which is not defined; Compose refuses to start",
                        svc.name, dep.service
                    ),
                    super::subject(svc, &format!("depends_on.{}", dep.service)),
                );
            }
            if let Some(nm) = &svc.network_mode {
                if let Some(other) = nm.value.strip_prefix("service:") {
                    if !super::knows_service(cx.facts, project, other) {
                        out.emit(
                            Location::new(&nm.file, nm.line),
                            format!(
                                "service `{}` uses the network of `{other}`, which is not defined; Compose refuses to start",
                                svc.name
                            ),
                            super::subject(svc, "network_mode"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_unknown_dependency() {
        let f = findings_of(
            "KR203",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n    depends_on:\n      - database\n    network_mode: service:vpn\n  db:\n    image: postgres:16\n",
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("`database`"));
        assert_eq!(f[1].location.line, 6);
    }

    #[test]
    fn quiet_when_the_main_file_does_not_parse() {
        let f = findings_of(
            "KR203",
            &[
                ("compose.yaml", "services:\n  api:\n    image: [\n"),
                (
                    "compose.extra.yaml",
                    "services:\n  proxy:\n    image: nginx:1.27\n    depends_on: [api]\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn clean_with_known_services_and_variant_of_main() {
        let f = findings_of(
            "KR203",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    image: acme/api:1\n    depends_on:\n      db:\n        condition: service_started\n  db:\n    image: postgres:16\n",
                ),
                (
                    "docker-compose.prod.yml",
                    "services:\n  proxy:\n    image: nginx:1.27\n    depends_on: [api]\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}

#[cfg(test)]
mod variant_tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn a_variant_may_depend_on_a_service_of_another_variant_beside_it() {
        let f = findings_of(
            "KR203",
            &[
                ("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n"),
                (
                    "compose.agent.yaml",
                    "services:\n  agent:\n    image: acme/agent:1\n    depends_on: [opamp]\n",
                ),
                (
                    "compose.observability.yaml",
                    "services:\n  opamp:\n    image: acme/opamp:1\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        let f = findings_of(
            "KR203",
            &[
                ("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n"),
                (
                    "compose.agent.yaml",
                    "services:\n  agent:\n    image: acme/agent:1\n    depends_on: [nowhere]\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1);
    }
}
