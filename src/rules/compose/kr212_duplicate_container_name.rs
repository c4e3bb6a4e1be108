use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR212",
    name: "compose-duplicate-container-name",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Two services of one Compose project set the same `container_name`",
    what: "Reports a service whose `container_name` is already used by another service of the same project that can run at the same time (profiles considered: services whose profile sets do not overlap never start together).",
    why: "Container names are unique on a Docker host: the second container fails to be created with `Conflict. The container name \"/db\" is already in use`, so `docker compose up` fails part-way.",
    bad: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    container_name: db\n  db-test:\n    image: postgres:16\n    container_name: db\n",
    good: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n  db-test:\n    image: postgres:16\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for project in &cx.facts.compose {
            for (i, svc) in project.services.iter().enumerate() {
                let Some(name) = &svc.container_name else {
                    continue;
                };
                let first = project.services[..i].iter().find(|o| {
                    o.container_name
                        .as_ref()
                        .is_some_and(|n| n.value == name.value)
                        && super::can_run_together(o, svc)
                });
                let Some(first) = first else { continue };
                out.emit(
                    Location::new(&name.file, name.line),
                    format!(
                        "services `{}` and `{}` both set `container_name: {}`; the second container cannot be created",
                        first.name, svc.name, name.value
                    ),
                    super::subject(svc, "container_name"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_duplicate() {
        let f = findings_of(
            "KR212",
            &[(
                "compose.yaml",
                "services:\n  a:\n    image: postgres:16\n    container_name: db\n  b:\n    image: postgres:16\n    container_name: db\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 7);
        assert!(f[0].message.contains("`a` and `b`"));
    }

    #[test]
    fn clean_when_unique_or_in_disjoint_profiles() {
        let f = findings_of(
            "KR212",
            &[(
                "compose.yaml",
                "services:\n  a:\n    image: postgres:16\n    container_name: db\n    profiles: [dev]\n  b:\n    image: postgres:16\n    container_name: db\n    profiles: [test]\n  c:\n    image: redis:7\n    container_name: cache\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
