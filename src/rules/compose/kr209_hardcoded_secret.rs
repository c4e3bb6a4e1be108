use crate::finding::{Location, Severity};
use crate::rules::secrets::{self, SecretKind};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR209",
    name: "compose-hardcoded-secret",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose `environment` entry holds a real-looking credential",
    what: "Reports an `environment` entry whose literal value looks like a real credential: a known token format (AWS access key ID, GitHub or Slack token, a private key block), or a long high-entropy value given to a variable named like a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE*`), or a URL with such a password. Values taken from variables (`${DB_PASSWORD}`) are not literal and are skipped; a variable's default written in the file (`${SECRET_KEY_BASE:-9f2c...}`) is committed text and is judged like a literal. The value is never printed.",
    why: "A credential in a committed Compose file is readable by everyone with access to the repository and its history, forever: rotating it is the only remedy. Compose reads values from the environment, an untracked `.env` file or `secrets:`; the file should only reference them.",
    bad: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    environment:\n      STRIPE_API_KEY: sk_live_51H8c2eLkdQ0aZ3vX9pR7tY\n",
    good: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    environment:\n      STRIPE_API_KEY: ${STRIPE_API_KEY:?set it in .env}\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (project, svc) in super::services(cx.facts) {
            for e in &svc.environment {
                let Some(value) = &e.value else { continue };
                if super::from_environment(project, &e.file, e.line) {
                    continue;
                }
                let Some(SecretKind::RealLooking(why)) = secrets::classify(&e.key, value) else {
                    continue;
                };
                out.emit(
                    Location::new(&e.file, e.line),
                    format!(
                        "service `{}`: `{}` holds {why}; move it out of the file (`${{{}}}`, `.env` or `secrets:`) and rotate it",
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
    fn flags_real_looking_and_masks_it() {
        let f = findings_of(
            "KR209",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n    environment:\n      - LOG_LEVEL=debug\n      - AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n      - JWT_SECRET=q8Zr3LmX1vTn6PwYc0Hs9KdB\n",
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 6);
        assert!(f[0].message.contains("AWS_ACCESS_KEY_ID=***"));
        assert!(f[0].message.contains("AWS access key"));
        assert_eq!(f[1].location.line, 7);
        for x in &f {
            assert!(!x.message.contains("AKIAQWERTYUIOPASDFGH"));
            assert!(!x.message.contains("q8Zr3LmX1vTn6PwYc0Hs9KdB"));
            assert!(!x.subject.contains("q8Zr3"));
        }
    }

    #[test]
    fn a_committed_default_is_judged_unless_the_env_file_sets_the_variable() {
        let compose = "x-env: &env\n  SECRET_KEY_BASE: ${SECRET_KEY_BASE:-q8Zr3LmX1vTn6PwYc0Hs9KdBw7Ej2Ga5}\n  DB_PASSWORD: ${DB_PASSWORD:-app_password}\nservices:\n  web:\n    image: acme/web:1\n    environment:\n      <<: *env\n";
        let f = findings_of("KR209", &[("compose.example.yml", compose)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 2);
        assert!(f[0].message.contains("SECRET_KEY_BASE"));
        assert!(!f[0].message.contains("q8Zr3"));
        let f = findings_of(
            "KR209",
            &[
                ("compose.yaml", compose),
                (".env", "SECRET_KEY_BASE=set-locally\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn clean_with_references_and_placeholders() {
        let f = findings_of(
            "KR209",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n      API_TOKEN: ${API_TOKEN}\n      SECRET_KEY: ${SECRET_KEY}\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
