use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR211",
    name: "compose-container-name",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service sets `container_name`",
    what: "Reports `container_name` on a service.",
    why: "A fixed container name is global on the Docker host: the service cannot be scaled (`--scale` or `deploy.replicas`), two checkouts of the repository (or two CI jobs on one runner) cannot run the stack at the same time, and it hides the project prefix that keeps stacks apart. Other services reach it by its service name anyway.",
    bad: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    container_name: db\n",
    good: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, svc) in super::services(cx.facts) {
            let Some(name) = &svc.container_name else {
                continue;
            };
            out.emit(
                Location::new(&name.file, name.line),
                format!(
                    "service `{}` sets `container_name: {}`: it cannot be scaled and two copies of the stack cannot run on one host",
                    svc.name, name.value
                ),
                super::subject(svc, "container_name"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_container_name() {
        let f = findings_of(
            "KR211",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    container_name: my-db\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("my-db"));
    }

    #[test]
    fn clean_without_container_name() {
        let f = findings_of(
            "KR211",
            &[("compose.yaml", "services:\n  db:\n    image: postgres:16\n")],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
