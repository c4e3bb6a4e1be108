use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR204",
    name: "compose-dependency-not-awaited-healthy",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "`depends_on` a service that has a healthcheck, without `condition: service_healthy`",
    what: "Reports a `depends_on` entry whose target service defines a healthcheck while the entry uses the short form or `condition: service_started`.",
    why: "Without `service_healthy`, Compose starts the dependent service as soon as the dependency's container has started, not when it is ready: the first requests hit a database that is still initialising and the service crashes or logs connection errors. The healthcheck is already there; waiting on it costs one line.",
    bad: "# compose.yaml\nservices:\n  api:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
    good: "# compose.yaml\nservices:\n  api:\n    build: .\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let by_name = super::ServicesByName::new(cx.facts);
        for (project, svc) in super::services(cx.facts) {
            for dep in &svc.depends_on {
                if !matches!(dep.condition.as_deref(), None | Some("service_started")) {
                    continue;
                }
                let target = by_name.in_project(project, &dep.service).or_else(|| {
                    super::main_of(cx.facts, project)
                        .and_then(|m| by_name.in_project(m, &dep.service))
                });
                let Some(target) = target else { continue };
                if target.healthcheck.as_ref().is_none_or(|h| h.disabled) {
                    continue;
                }
                out.emit(
                    Location::new(&dep.file, dep.line),
                    format!(
                        "service `{}` waits only for `{}` to start; it has a healthcheck, so use `condition: service_healthy`",
                        svc.name, dep.service
                    ),
                    super::subject(svc, &format!("depends_on.{}", dep.service)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const DB: &str =
        "  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n";

    #[test]
    fn flags_short_form_dependency_on_healthchecked_service() {
        let text =
            format!("services:\n  api:\n    image: acme/api:1\n    depends_on:\n      - db\n{DB}");
        let f = findings_of("KR204", &[("compose.yaml", &text)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("service_healthy"));
    }

    #[test]
    fn clean_with_service_healthy_or_no_healthcheck() {
        let text = format!(
            "services:\n  api:\n    image: acme/api:1\n    depends_on:\n      db:\n        condition: service_healthy\n  worker:\n    image: acme/w:1\n    depends_on: [cache]\n  cache:\n    image: redis:7\n{DB}"
        );
        let f = findings_of("KR204", &[("compose.yaml", &text)]);
        assert!(f.is_empty(), "{f:?}");
    }
}
