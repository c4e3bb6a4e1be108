use super::{services, signals};
use crate::finding::{Location, Severity};
use crate::parse::runtime::SignalKind;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR604",
    name: "localhost-backing-service",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Committed production/default config points a backing service at `localhost`",
    what: "Reports a database, cache or broker address at `localhost`/`127.0.0.1` written as a literal in a detected service's committed default or production config: Spring `spring.datasource.url=jdbc:postgresql://localhost/...` (and Redis, RabbitMQ, MongoDB, Kafka, Elasticsearch keys) in `application.properties|yml` outside dev/test profiles, `appsettings.json` connection strings (`Server=localhost`), Django `DATABASES` `HOST` and `redis://localhost` URLs in settings modules, the `production:` section of Rails `database.yml`/`cable.yml`, Phoenix `prod.exs` Repo `hostname`, node-config `default.json`/`production.json`. Values read from the environment (`${DB_URL:...}`, `os.environ.get(..., default)`, `<%= ENV[...] %>`) are not reported, nor are dev/test/local config files.",
    why: "In a container, `localhost` is the container itself: the database is in another container or a managed service. A hard-coded loopback address makes the image work only on a developer's machine, and changing it means rebuilding the image; the address belongs in an environment variable.",
    bad: "# src/main/resources/application.properties\nspring.datasource.url=jdbc:postgresql://localhost:5432/shop\n",
    good: "# src/main/resources/application.properties\nspring.datasource.url=${DATABASE_URL}\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (_, svc) in services(cx) {
        for s in signals(cx, svc) {
            if let SignalKind::LocalhostBacking { key } = &s.kind {
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "service `{}` reaches a backing service ({key}) at a hard-coded localhost address: in a container that is the container itself; read the address from an environment variable",
                        svc.name
                    ),
                    key.clone(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const POM: &str = "<project><artifactId>api</artifactId><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>";

    #[test]
    fn flags_literal_localhost_datasource() {
        let f = findings_of(
            "KR604",
            &[
                ("pom.xml", POM),
                (
                    "src/main/resources/application.yml",
                    "spring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/shop\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 3);
    }

    #[test]
    fn clean_with_env_or_dev_profile() {
        let f = findings_of(
            "KR604",
            &[
                ("pom.xml", POM),
                ("src/main/resources/application.yml", "spring:\n  datasource:\n    url: ${DB_URL:jdbc:postgresql://localhost:5432/shop}\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\n  redis:\n    host: localhost\n"),
                ("src/main/resources/application-dev.properties", "spring.datasource.url=jdbc:postgresql://localhost/x\n"),
                ("src/test/resources/application.properties", "spring.datasource.url=jdbc:postgresql://localhost/x\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
