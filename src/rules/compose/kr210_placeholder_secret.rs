use crate::finding::{Location, Severity};
use crate::rules::secrets::{self, SecretKind};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR210",
    name: "compose-literal-credential",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose `environment` entry hard-codes a (placeholder) credential",
    what: "Reports an `environment` entry named like a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE*`), or a URL with a password, holding a literal value that does not look like a real credential: `postgres`, `changeme`, `secret`, a short word. Real-looking values are `KR209`. Empty values and `${VAR}` references are skipped; the value is never printed.",
    why: "Placeholder passwords are fine on a laptop, but Compose files get reused for staging and demo hosts where the database then listens with `postgres/postgres`. Reading the value from a variable with a default (`${POSTGRES_PASSWORD:-postgres}`) keeps the convenience and makes the override obvious.",
    bad: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n",
    good: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (project, svc) in super::services(cx.facts) {
            for e in &svc.environment {
                let Some(value) = &e.value else { continue };
                if super::interpolated(project, &e.file, e.line) {
                    continue;
                }
                if secrets::classify(&e.key, value) != Some(SecretKind::Placeholder) {
                    continue;
                }
                out.emit(
                    Location::new(&e.file, e.line),
                    format!(
                        "service `{}`: `{}` is hard-coded; read it from a variable (`${{{}:-...}}`) or `secrets:` so other environments can override it",
                        svc.name,
                        secrets::masked(&e.key),
                        e.key
                    ),
                    super::subject(svc, &format!("environment.{}", e.key)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_placeholder_and_masks_it() {
        let f = findings_of(
            "KR210",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: s3cr3t-pw\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 6);
        assert!(f[0].message.contains("POSTGRES_PASSWORD=***"));
        assert!(!f[0].message.contains("s3cr3t-pw"));
    }

    #[test]
    fn clean_with_variables_empty_and_real_looking() {
        let f = findings_of(
            "KR210",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n      POSTGRES_HOST_AUTH_METHOD: trust\n      REDIS_PASSWORD: \"\"\n      JWT_SECRET: q8Zr3LmX1vTn6PwYc0Hs9KdB\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
