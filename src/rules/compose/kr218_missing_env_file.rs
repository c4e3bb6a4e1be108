use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR218",
    name: "compose-missing-env-file",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose `env_file` that is required does not exist",
    what: "Reports an `env_file` entry (required, the default) naming a file that is not in the repository. Local `.env`-style files (`.env`, `.env.local`, `app.env`), which are usually kept out of Git on purpose, are `KR219` instead.",
    why: "Compose refuses to start the service: `env file /app/config/api.conf not found`. A file meant to be optional can say so with `required: false` (Compose 2.24 and later).",
    bad: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    env_file: config/api.conf\n",
    good: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    env_file:\n      - path: config/api.conf\n        required: false\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        if super::single_file(cx.facts) {
            return;
        }
        for (_, svc) in super::services(cx.facts) {
            for e in &svc.env_files {
                if !e.required
                    || !super::checkable_path(&e.path)
                    || super::is_dotenv_name(&e.path)
                    || cx.facts.listing.has_file(&e.path)
                {
                    continue;
                }
                out.emit(
                    Location::new(&e.file, e.line),
                    format!(
                        "service `{}` reads `env_file` `{}`, which does not exist; Compose refuses to start (add it, or mark it `required: false`)",
                        svc.name, e.path
                    ),
                    super::subject(svc, &format!("env_file.{}", e.path)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_missing_required_file() {
        let f = findings_of(
            "KR218",
            &[(
                "deploy/compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n    env_file:\n      - ../config/api.conf\n",
            ),
                ("README.md", "# x\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("`config/api.conf`"), "{f:?}");
    }

    #[test]
    fn clean_when_present_optional_or_dotenv() {
        let f = findings_of(
            "KR218",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    image: acme/api:1\n    env_file:\n      - config/api.conf\n      - .env\n      - path: local.conf\n        required: false\n",
                ),
                ("config/api.conf", "A=1\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
