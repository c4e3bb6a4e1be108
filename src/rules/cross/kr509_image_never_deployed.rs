use crate::finding::{Location, Severity};
use crate::graph::image::NameIndex;
use crate::image_ref::ImageRef;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR509",
    name: "image-never-deployed",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "CI builds and pushes an image that nothing in the repository deploys",
    what: "Reports a CI build that pushes an image when none of its tags matches an image referenced by the repository's Kubernetes manifests, Helm charts, Kustomize `images:`, skaffold/Tilt configs or Compose files, and no deploy step of the pipeline deploys what it builds. Only repositories that have deployment artefacts at all are checked (a tool that only publishes its image is not expected to deploy it). Tags whose image name is a variable are skipped.",
    why: "Either the deploy manifests reference a different name (a renamed image, a registry move) and deploys keep running an old image, or the push is dead weight that costs CI time and registry storage.",
    bad: "# CI pushes registry.acme.io/shop/api-v2, k8s/deployment.yaml runs registry.acme.io/shop/api\n- docker build -t registry.acme.io/shop/api-v2:$SHA . && docker push registry.acme.io/shop/api-v2:$SHA\n",
    good: "# CI pushes the image the deployment runs\n- docker build -t registry.acme.io/shop/api:$SHA . && docker push registry.acme.io/shop/api:$SHA\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let o = &cx.facts.orchestration;
        let has_deploy = o.objects.iter().any(|x| x.is_workload())
            || !o.helm_charts.is_empty()
            || !o.kustomizations.is_empty()
            || !o.deploys.is_empty()
            || !cx.graph.deploys.is_empty();
        if !has_deploy {
            return;
        }
        // Indexed by name: a monorepo has thousands of builds and
        // references, and comparing every pair was most of this rule's time.
        let mut referenced: NameIndex<()> = NameIndex::default();
        let images = o
            .objects
            .iter()
            .flat_map(|obj| obj.containers.iter().map(|c| c.image.as_str()))
            .chain(o.mentions.iter().map(|m| m.image.as_str()))
            .chain(o.artifacts.iter().map(|a| a.image.as_str()))
            .chain(cx.facts.compose.iter().flat_map(|p| {
                p.services
                    .iter()
                    .filter_map(|s| s.image.as_ref())
                    .map(|i| i.value.as_str())
            }));
        for image in images {
            referenced.insert(image, ());
        }
        let deployed_components: std::collections::HashSet<usize> = cx
            .graph
            .deploys
            .iter()
            .flat_map(|d| d.components.iter().copied())
            .collect();
        for b in &cx.graph.builds {
            if !b.push {
                continue;
            }
            let tags: Vec<&String> = b
                .tags
                .iter()
                .filter(|t| {
                    let short = ImageRef::parse(t).short_name().to_string();
                    !short.is_empty() && !short.contains('$') && !short.contains("{{")
                })
                .collect();
            if tags.is_empty() {
                continue;
            }
            if tags.iter().any(|t| referenced.matches(t).next().is_some()) {
                continue;
            }
            let deployed = b
                .image_defs
                .iter()
                .filter_map(|d| cx.graph.image_defs.get(*d))
                .flat_map(|d| d.components.iter())
                .any(|c| deployed_components.contains(c));
            if deployed {
                continue;
            }
            let Some(first) = tags.first() else { continue };
            let key = ImageRef::parse(first).key();
            out.emit(
                Location::new(&b.file, b.line),
                format!(
                    "this build pushes `{key}`, but no manifest, chart, Compose file or deploy step of the repository uses it; check the deployed image name"
                ),
                key,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    fn pod(image: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: {image}\n")
    }

    const CI: &str = "build:\n  script:\n    - docker build -t registry.acme.io/shop/api-v2:$CI_COMMIT_SHA .\n    - docker push registry.acme.io/shop/api-v2:$CI_COMMIT_SHA\n";

    #[test]
    fn flags_pushed_image_no_manifest_uses() {
        let f = findings_of(
            "KR509",
            &[
                ("k8s/pod.yaml", &pod("registry.acme.io/shop/api:1")),
                ("Dockerfile", "FROM alpine:3.20\n"),
                (".gitlab-ci.yml", CI),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.file, ".gitlab-ci.yml");
        assert_eq!(f[0].location.line, 3);
        assert!(
            f[0].message.contains("`registry.acme.io/shop/api-v2`"),
            "{f:?}"
        );
    }

    #[test]
    fn clean_when_deployed_or_without_deploy_artefacts() {
        let f = findings_of(
            "KR509",
            &[
                ("k8s/pod.yaml", &pod("registry.acme.io/shop/api-v2:1")),
                ("Dockerfile", "FROM alpine:3.20\n"),
                (".gitlab-ci.yml", CI),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        // A repository that only publishes its image deploys nothing.
        let f = findings_of(
            "KR509",
            &[("Dockerfile", "FROM alpine:3.20\n"), (".gitlab-ci.yml", CI)],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
