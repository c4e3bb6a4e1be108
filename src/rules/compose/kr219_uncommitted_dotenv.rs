use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR219",
    name: "compose-env-file-not-in-repo",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A required `.env`-style `env_file` is not in the repository",
    what: "Reports a required `env_file` entry naming a local `.env`-style file (`.env`, `.env.local`, `app.env`) that is not in the repository. Such files are usually in `.gitignore` on purpose; kubeready cannot see ignored files, so it only warns. When a template (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) sits beside it, the message says so.",
    why: "On a fresh clone, and in CI, `docker compose up` fails with `env file .env not found` until someone creates the file by hand, which nothing in the repository explains. Committing a template and marking the file optional (`required: false`, Compose 2.24 and later), or documenting the copy step, makes the stack start from a clone.",
    bad: "# compose.yaml (no .env committed, nothing documents it)\nservices:\n  api:\n    image: acme/api:1.0\n    env_file: .env\n",
    good: "# compose.yaml (.env.example committed)\nservices:\n  api:\n    image: acme/api:1.0\n    env_file:\n      - path: .env\n        required: false\n",
};

const TEMPLATES: &[&str] = &[".example", ".sample", ".template", ".dist", ".defaults"];

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
                    || !super::is_dotenv_name(&e.path)
                    || cx.facts.listing.has_file(&e.path)
                {
                    continue;
                }
                let template = TEMPLATES
                    .iter()
                    .map(|t| format!("{}{t}", e.path))
                    .find(|c| cx.facts.listing.has_file(c));
                let advice = match template {
                    Some(t) => format!(
                        "a fresh clone must copy `{t}` first; mark it `required: false` or document the step"
                    ),
                    None => "commit a `.env.example` template and mark it `required: false`".into(),
                };
                out.emit(
                    Location::new(&e.file, e.line),
                    format!(
                        "service `{}` requires `env_file` `{}`, which is not in the repository (it may be git-ignored): {advice}",
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
    fn flags_missing_dotenv_and_names_template() {
        let f = findings_of(
            "KR219",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    image: acme/api:1\n    env_file: .env\n  db:\n    image: postgres:16\n    env_file: [db.env]\n",
                ),
                (".env.example", "A=1\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("`.env.example`"), "{f:?}");
        assert_eq!(f[1].location.line, 7);
        assert!(f[1].message.contains("commit a `.env.example`"), "{f:?}");
    }

    #[test]
    fn clean_when_present_or_optional() {
        let f = findings_of(
            "KR219",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    image: acme/api:1\n    env_file:\n      - app.env\n      - path: .env.local\n        required: false\n",
                ),
                ("app.env", "A=1\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
