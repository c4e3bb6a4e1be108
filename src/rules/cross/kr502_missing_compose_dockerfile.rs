use crate::finding::{Location, Severity};
use crate::paths;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR502",
    name: "compose-dockerfile-missing",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "The Dockerfile a Compose `build:` uses does not exist",
    what: "Reports a Compose service whose build context exists but whose Dockerfile does not: the `dockerfile:` it names (relative to the context, as Compose resolves it), or `<context>/Dockerfile` when it names none. Inline Dockerfiles (`dockerfile_inline`) and remote contexts are skipped; a missing context is `KR501`.",
    why: "`docker compose build` fails with `failed to read dockerfile: open Dockerfile: no such file or directory`. A common cause is a `dockerfile:` written relative to the Compose file instead of the context.",
    bad: "# compose.yaml (the file is docker/api.Dockerfile)\nservices:\n  api:\n    build:\n      context: ./api\n      dockerfile: docker/api.Dockerfile\n",
    good: "# compose.yaml\nservices:\n  api:\n    build:\n      context: ./api\n      dockerfile: ../docker/api.Dockerfile\n",
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
                if b.remote || b.dockerfile_inline || !cx.facts.listing.has_dir(&b.context) {
                    continue;
                }
                let (dockerfile, named) = match &b.dockerfile {
                    Some(d) => (d.clone(), true),
                    None => (
                        paths::join(&b.context, "Dockerfile").unwrap_or_default(),
                        false,
                    ),
                };
                if !super::checkable_path(&dockerfile) || cx.facts.listing.has_file(&dockerfile) {
                    continue;
                }
                let message = if named {
                    format!(
                        "service `{}` builds with `{dockerfile}`, which does not exist (`dockerfile:` is relative to the context `{}`)",
                        svc.name,
                        super::show_ctx(&b.context)
                    )
                } else {
                    format!(
                        "service `{}` builds `{}` but it has no `Dockerfile`; add one or name it with `dockerfile:`",
                        svc.name,
                        super::show_ctx(&b.context)
                    )
                };
                out.emit(
                    Location::new(&b.file, b.line),
                    message,
                    format!("services.{}.build.dockerfile", svc.name),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_missing_named_and_default_dockerfile() {
        let f = findings_of(
            "KR502",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: docker/api.Dockerfile\n  web:\n    build: ./web\n",
                ),
                ("api/main.go", "package main\n"),
                ("docker/api.Dockerfile", "FROM alpine:3.20\n"),
                ("web/index.html", "<p>\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 3);
        assert!(
            f[0].message.contains("`api/docker/api.Dockerfile`"),
            "{f:?}"
        );
        assert_eq!(f[1].location.line, 7);
        assert!(f[1].message.contains("no `Dockerfile`"), "{f:?}");
    }

    #[test]
    fn clean_when_dockerfiles_exist() {
        let f = findings_of(
            "KR502",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: ../docker/api.Dockerfile\n  web:\n    build: ./web\n  inline:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine:3.20\n",
                ),
                ("api/main.go", "package main\n"),
                ("docker/api.Dockerfile", "FROM alpine:3.20\n"),
                ("web/Dockerfile", "FROM nginx:1.27\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
