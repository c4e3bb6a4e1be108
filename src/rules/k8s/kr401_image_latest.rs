use super::{container_key, containers, describe_container, is_latest, is_templated};
use crate::finding::{Location, Severity};
use crate::graph::image::same_image;
use crate::parse::k8s::{MentionSource, OrchestrationFacts};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR401",
    name: "k8s-image-latest",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A workload's container image is untagged or `:latest`",
    what: "Reports containers (init containers included) of Deployments, StatefulSets, Jobs, Pods and other pod templates whose `image` has no tag or the tag `latest`, and no digest. Images that skaffold or Tilt build (they set the tag at deploy time), images overridden by a Kustomize `images:` entry with a tag or digest, and templated references are left alone.",
    why: "`latest` is a moving target: two nodes can run different code under one Deployment, a rollback goes nowhere, and `kubectl apply` of an unchanged manifest does not roll out a new build. Kubernetes also defaults `imagePullPolicy` to `Always` for `latest`, so every pod start depends on the registry.",
    bad: "# k8s/api.yaml\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:latest",
    good: "# k8s/api.yaml\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.4.2  # or @sha256:...",
};

/// Whether skaffold/Tilt build the image or a Kustomize override pins it.
fn overridden(facts: &OrchestrationFacts, image: &str) -> bool {
    facts.artifacts.iter().any(|a| same_image(&a.image, image))
        || facts.mentions.iter().any(|m| {
            m.source == MentionSource::Kustomize
                && !is_latest(&m.image)
                && same_image(&m.image, image)
        })
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let facts = &cx.facts.orchestration;
        for (o, c) in containers(facts) {
            if c.image.is_empty() || is_templated(&c.image) || !is_latest(&c.image) {
                continue;
            }
            if overridden(facts, &c.image) {
                continue;
            }
            let how = if c.image.ends_with(":latest") {
                "the `latest` tag"
            } else {
                "no tag (so `latest`)"
            };
            out.emit(
                Location::new(&o.file, c.line),
                format!(
                    "{} runs `{}` with {how}; pin a version tag or a digest",
                    describe_container(o, c),
                    c.image
                ),
                format!("{}:{}", container_key(o, c), c.image),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_latest_and_untagged() {
        let f = findings_of(
            "KR401",
            &[
                (
                    "k8s/a.yaml",
                    &deployment("a", "ghcr.io/acme/a:latest", "", ""),
                ),
                ("k8s/b.yaml", &deployment("b", "nginx", "", "")),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.file, "k8s/a.yaml");
        assert_eq!(f[0].location.line, 16);
        assert!(f[0].message.contains("`latest` tag"), "{}", f[0].message);
        assert_eq!(f[0].subject, "Deployment/a/app:ghcr.io/acme/a:latest");
        assert!(f[1].message.contains("no tag"));
    }

    #[test]
    fn clean_when_pinned_or_overridden() {
        let f = findings_of(
            "KR401",
            &[
                ("k8s/a.yaml", &deployment("a", "ghcr.io/acme/a:1.2", "", "")),
                ("k8s/b.yaml", &deployment("b", "nginx@sha256:0123abcd", "", "")),
                ("k8s/c.yaml", &deployment("c", "acme/c", "", "")),
                (
                    "k8s/kustomization.yaml",
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [c.yaml]\nimages:\n- name: acme/c\n  newTag: \"2.0\"\n",
                ),
                ("k8s/d.yaml", &deployment("d", "${REGISTRY}/d", "", "")),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn clean_when_skaffold_builds_it() {
        let f = findings_of(
            "KR401",
            &[
                ("k8s/api.yaml", &deployment("api", "api", "", "")),
                ("api/Dockerfile", "FROM alpine:3.20\n"),
                (
                    "skaffold.yaml",
                    "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - image: api\n    context: api\nmanifests:\n  rawYaml: [k8s/*.yaml]\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
