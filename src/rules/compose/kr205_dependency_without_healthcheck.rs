use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR205",
    name: "compose-dependency-without-healthcheck",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A database or broker that other services depend on has no healthcheck",
    what: "Reports a service running a database, cache, broker or search image (postgres, mysql, redis, rabbitmq, kafka, elasticsearch...) that other services list in `depends_on`, when it defines no healthcheck. Services built from a Dockerfile are skipped: their image may declare `HEALTHCHECK`.",
    why: "These services take seconds to become ready after their container starts. Without a healthcheck, `depends_on` can only wait for the start, and the services depending on them race the initialisation. A healthcheck lets them use `condition: service_healthy`.",
    bad: "# compose.yaml\nservices:\n  api:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
    good: "# compose.yaml\nservices:\n  api:\n    build: .\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n      interval: 5s\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for project in &cx.facts.compose {
            for svc in &project.services {
                if svc.build.is_some() || svc.healthcheck.is_some() {
                    continue;
                }
                let Some(image) = &svc.image else { continue };
                let Some(kind) = super::stateful_image(&image.value) else {
                    continue;
                };
                let mut dependents: Vec<&str> = project
                    .services
                    .iter()
                    .filter(|s| s.depends_on.iter().any(|d| d.service == svc.name))
                    .map(|s| s.name.as_str())
                    .collect();
                if dependents.is_empty() {
                    continue;
                }
                dependents.sort_unstable();
                let list = dependents
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.emit(
                    Location::new(&svc.file, svc.line),
                    format!(
                        "service `{}` ({kind}) has no healthcheck, so {list} can only wait for it to start, not to be ready",
                        svc.name
                    ),
                    super::subject(svc, "healthcheck"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_database_without_healthcheck() {
        let f = findings_of(
            "KR205",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("`api`"));
    }

    #[test]
    fn clean_with_healthcheck_or_no_dependents() {
        let f = findings_of(
            "KR205",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n    depends_on: [db, web]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n  web:\n    image: nginx:1.27\n  cache:\n    image: redis:7\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
