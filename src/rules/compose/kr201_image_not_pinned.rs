use crate::finding::{Location, Severity};
use crate::graph::image::{is_public_registry, same_image};
use crate::image_ref::ImageRef;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR201",
    name: "compose-image-not-pinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service runs a public image by `:latest` or without a tag",
    what: "Reports a service whose `image:` names a public image (one the repo does not build) with the tag `latest` or no tag at all. A service with both `build:` and `image:` names its own build and is skipped, as are images built from variables.",
    why: "`latest` is whatever the publisher pushed last: two developers, or CI and a laptop, end up running different versions, and a new major release can break the stack overnight. A tag (or a digest) makes the stack reproducible and its upgrades deliberate.",
    bad: "# compose.yaml\nservices:\n  cache:\n    image: redis\n",
    good: "# compose.yaml\nservices:\n  cache:\n    image: redis:7.2-alpine\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (project, svc) in super::services(cx.facts) {
            let Some(image) = &svc.image else { continue };
            if svc.build.is_some() || super::interpolated(project, &image.file, image.line) {
                continue;
            }
            let r = ImageRef::parse(&image.value);
            if r.repository.is_empty()
                || r.is_pinned()
                || !is_public_registry(r.registry.as_deref())
            {
                continue;
            }
            let built_here = cx.graph.ci_builds_image(&image.value)
                || cx
                    .graph
                    .image_defs
                    .iter()
                    .any(|d| d.names.iter().any(|n| same_image(n, &image.value)));
            if built_here {
                continue;
            }
            let how = if r.tag.is_some() {
                format!("`{}` uses the `latest` tag", image.value)
            } else {
                format!("`{}` has no tag (Compose pulls `latest`)", image.value)
            };
            out.emit(
                Location::new(&image.file, image.line),
                format!(
                    "service `{}`: {how}; pin a version such as `{}:<version>`",
                    svc.name,
                    r.key()
                ),
                format!("{}:{}", super::subject(svc, "image"), r.key()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_untagged_and_latest() {
        let f = findings_of(
            "KR201",
            &[(
                "compose.yaml",
                "services:\n  cache:\n    image: redis\n  db:\n    image: postgres:latest\n",
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 3);
        assert!(f[0].message.contains("no tag"));
        assert_eq!(f[1].location.line, 5);
        assert!(f[1].message.contains("`latest`"));
    }

    #[test]
    fn clean_when_pinned_built_or_private() {
        let f = findings_of(
            "KR201",
            &[
                (
                    "compose.yaml",
                    "services:\n  cache:\n    image: redis:7.2\n  api:\n    build: .\n    image: acme/api\n  worker:\n    image: acme/api\n  internal:\n    image: registry.acme.internal/tool\n  pinned:\n    image: nginx@sha256:0123\n",
                ),
                ("Dockerfile", "FROM alpine:3.20\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
