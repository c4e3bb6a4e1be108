use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR501",
    name: "compose-build-context-missing",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose `build:` context folder does not exist",
    what: "Reports a Compose service whose `build:` (or `build.context`) names a folder that is not in the repository, resolved against the Compose file's folder as Compose resolves it. Remote contexts, absolute paths and paths outside the repository are skipped.",
    why: "`docker compose build` (and `up`) fails with `unable to prepare context: path \"./api\" not found`. Usually a folder was renamed or moved and the Compose file was not updated.",
    bad: "# compose.yaml (the code lives in services/api/)\nservices:\n  api:\n    build: ./api\n",
    good: "# compose.yaml\nservices:\n  api:\n    build: ./services/api\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        if super::single_file(cx.facts) {
            return;
        }
        for project in &cx.facts.compose {
            for svc in &project.services {
                let Some(b) = &svc.build else { continue };
                if b.remote
                    || !super::checkable_path(&b.context)
                    || cx.facts.listing.has_dir(&b.context)
                {
                    continue;
                }
                out.emit(
                    Location::new(&b.file, b.line),
                    format!(
                        "service `{}` builds from `{}`, which does not exist; `docker compose build` fails",
                        svc.name,
                        super::show_ctx(&b.context)
                    ),
                    format!("services.{}.build.context", svc.name),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_missing_context() {
        let f = findings_of(
            "KR501",
            &[
                (
                    "deploy/compose.yaml",
                    "services:\n  api:\n    image: acme/api:1\n    build:\n      context: ../api\n",
                ),
                ("README.md", "# x\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.file, "deploy/compose.yaml");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("`api`"), "{f:?}");
    }

    #[test]
    fn clean_when_context_exists() {
        let f = findings_of(
            "KR501",
            &[
                (
                    "deploy/compose.yaml",
                    "services:\n  api:\n    build: ../api\n  root:\n    build: ..\n",
                ),
                ("api/Dockerfile", "FROM alpine:3.20\n"),
                ("Dockerfile", "FROM alpine:3.20\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
