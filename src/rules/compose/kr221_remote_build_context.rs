use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR221",
    name: "compose-remote-build-context",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service builds from a remote (Git or URL) context",
    what: "Reports a `build:` whose context is a Git repository or URL rather than a folder of this repository.",
    why: "A remote context is fetched at build time: without a pinned commit (`#<sha>`) the image changes whenever the remote branch does, the build needs network access and credentials for private repositories, and its Dockerfile is outside what this repository (and kubeready) can review.",
    bad: "# compose.yaml\nservices:\n  tool:\n    build: https://github.com/acme/tool.git\n",
    good: "# compose.yaml\nservices:\n  tool:\n    image: ghcr.io/acme/tool:1.4.2\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, svc) in super::services(cx.facts) {
            let Some(b) = &svc.build else { continue };
            if !b.remote {
                continue;
            }
            let pinned = b
                .context
                .rsplit_once('#')
                .is_some_and(|(_, r)| r.len() >= 7 && r.chars().all(|c| c.is_ascii_hexdigit()));
            out.emit(
                Location::new(&b.file, b.line),
                format!(
                    "service `{}` builds from the remote context `{}`{}; its Dockerfile is not in this repository",
                    svc.name,
                    b.context,
                    if pinned { "" } else { " (not pinned to a commit)" }
                ),
                super::subject(svc, "build.context"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_remote_context() {
        let f = findings_of(
            "KR221",
            &[(
                "compose.yaml",
                "services:\n  tool:\n    build:\n      context: https://github.com/acme/tool.git#main\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("not pinned"));
    }

    #[test]
    fn clean_with_local_context() {
        let f = findings_of(
            "KR221",
            &[
                ("compose.yaml", "services:\n  api:\n    build: ./api\n"),
                ("api/Dockerfile", "FROM alpine:3.20\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
