use crate::finding::{Location, Severity};
use crate::graph::image::is_public_registry;
use crate::graph::ImageDefKind;
use crate::image_ref::ImageRef;
use crate::parse::k8s::MentionSource;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR508",
    name: "image-not-built",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A private image is deployed or used, but nothing in the repository's CI builds it",
    what: "Reports an image referenced by a Kubernetes manifest, a Helm chart's values or templates, a Kustomize `images:` entry, or a Compose service without `build:`, when it lives in a private registry (not Docker Hub, ghcr.io, quay.io, gcr.io, mcr.microsoft.com, ECR Public and the other public registries) and no CI job, skaffold/Tilt artifact or Jib/ko configuration of the repository builds it. References built from variables or templates, and `localhost` registries, are skipped, as are untagged Helm values when skaffold builds images named without a registry (its `--default-repo` decides the registry at run time); so are repositories that build no image at all (configuration-only repositories).",
    why: "Somebody has to build and push that image by hand, or it comes from another repository and the link is undocumented: a deploy then fails with `ImagePullBackOff`, or runs a stale build nobody can reproduce. Either build it in this repository's pipeline or note where it comes from (and suppress the finding with that reason).",
    bad: "# k8s/deployment.yaml (no CI job builds registry.acme.io/shop/api)\ncontainers:\n  - name: api\n    image: registry.acme.io/shop/api:1.4.0\n",
    good: "# .gitlab-ci.yml\nbuild:\n  script:\n    - docker build -t registry.acme.io/shop/api:$CI_COMMIT_TAG .\n    - docker push registry.acme.io/shop/api:$CI_COMMIT_TAG\n",
};

fn is_local_registry(r: &str) -> bool {
    let host = r.split(':').next().unwrap_or(r);
    matches!(
        host,
        "localhost" | "127.0.0.1" | "host.docker.internal" | "kind-registry"
    )
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        if cx.graph.image_defs.is_empty() && cx.graph.builds.is_empty() {
            return;
        }
        // (file, line, image, what references it, is_compose_project)
        let mut refs: Vec<(&str, u32, &str, &str, Option<usize>)> = Vec::new();
        let o = &cx.facts.orchestration;
        for obj in &o.objects {
            for c in &obj.containers {
                refs.push((&obj.file, c.line, &c.image, "Kubernetes", None));
            }
        }
        for m in &o.mentions {
            let what = match m.source {
                MentionSource::HelmValues | MentionSource::HelmTemplate => "Helm",
                MentionSource::Kustomize => "Kustomize",
                MentionSource::Other => "a manifest",
                MentionSource::Skaffold | MentionSource::Tilt => continue,
            };
            refs.push((&m.file, m.line, &m.image, what, None));
        }
        for (pi, p) in cx.facts.compose.iter().enumerate() {
            for s in &p.services {
                if s.build.is_some() {
                    continue;
                }
                if let Some(i) = &s.image {
                    refs.push((&i.file, i.line, &i.value, "Compose", Some(pi)));
                }
            }
        }
        // skaffold artifacts named without a registry get one at run time
        // (`--default-repo`); Helm values then often hold only that prefix
        // (`images.repository`), which templates complete.
        let default_repo = o
            .artifacts
            .iter()
            .any(|a| ImageRef::parse(&a.image).registry.is_none());
        // Names built outside CI, indexed once (a monorepo has thousands).
        let mut other_builders: crate::graph::image::NameIndex<()> = Default::default();
        for a in &o.artifacts {
            other_builders.insert(&a.image, ());
        }
        for d in cx
            .graph
            .image_defs
            .iter()
            .filter(|d| matches!(d.kind, ImageDefKind::Builder(_)))
        {
            for n in &d.names {
                other_builders.insert(n, ());
            }
        }
        let mut compose_built: crate::graph::image::NameIndex<usize> = Default::default();
        for (pi, p) in cx.facts.compose.iter().enumerate() {
            for s in p.services.iter().filter(|s| s.build.is_some()) {
                if let Some(i) = &s.image {
                    compose_built.insert(&i.value, pi);
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (file, line, image, what, project) in refs {
            if image.contains('$') || image.contains("{{") || image.trim().is_empty() {
                continue;
            }
            let r = ImageRef::parse(image);
            let Some(registry) = r.registry.as_deref() else {
                continue;
            };
            if is_public_registry(Some(registry))
                || is_local_registry(registry)
                || r.repository.is_empty()
            {
                continue;
            }
            if default_repo && what == "Helm" && r.tag.is_none() && r.digest.is_none() {
                continue;
            }
            if !seen.insert((file, line, image)) {
                continue;
            }
            if cx.graph.ci_builds_image(image) || other_builders.matches(image).next().is_some() {
                continue;
            }
            let compose_builds = compose_built
                .matches(image)
                .any(|pi| project.is_none() || project == Some(*pi));
            if compose_builds && project.is_some() {
                continue;
            }
            let note = if compose_builds {
                "; only Compose builds it locally, so a deploy runs whatever was last pushed by hand"
            } else {
                "; it must be built and pushed by hand or come from elsewhere"
            };
            out.emit(
                Location::new(file, line),
                format!("{what} uses `{image}` from the private registry `{registry}`, but no CI job builds it{note}"),
                r.key(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: registry.acme.io/shop/api:1.4.0\n        - name: proxy\n          image: ghcr.io/acme/proxy:1.0\n";

    #[test]
    fn flags_private_image_nothing_builds() {
        let f = findings_of(
            "KR508",
            &[
                ("k8s/deployment.yaml", DEPLOY),
                ("Dockerfile", "FROM alpine:3.20\n"),
                ("compose.yaml", "services:\n  tool:\n    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/tool:2\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        let k = f
            .iter()
            .find(|x| x.location.file == "k8s/deployment.yaml")
            .expect("k8s finding");
        assert_eq!(k.location.line, 14, "{f:?}");
        assert!(k.message.contains("registry.acme.io"));
        assert!(f
            .iter()
            .any(|x| x.location.file == "compose.yaml" && x.location.line == 3));
    }

    #[test]
    fn clean_when_ci_builds_it() {
        let f = findings_of(
            "KR508",
            &[
                ("k8s/deployment.yaml", DEPLOY),
                ("Dockerfile", "FROM alpine:3.20\n"),
                (
                    ".gitlab-ci.yml",
                    "build:\n  script:\n    - docker build -t registry.acme.io/shop/api:$CI_COMMIT_SHA .\n    - docker push registry.acme.io/shop/api:$CI_COMMIT_SHA\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn helm_prefix_with_skaffold_default_repo_is_quiet() {
        let f = findings_of(
            "KR508",
            &[
                ("chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n"),
                ("chart/values.yaml", "images:\n  repository: europe-docker.pkg.dev/acme/shop\n"),
                (
                    "skaffold.yaml",
                    "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: frontend\n      context: src/frontend\n",
                ),
                ("src/frontend/Dockerfile", "FROM node:20\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn clean_when_built_public_or_config_repo() {
        // A configuration-only repository builds nothing: quiet.
        assert!(findings_of("KR508", &[("k8s/deployment.yaml", DEPLOY)]).is_empty());
        // Built by skaffold, and by Compose in the same project.
        let f = findings_of(
            "KR508",
            &[
                ("k8s/deployment.yaml", DEPLOY),
                ("Dockerfile", "FROM alpine:3.20\n"),
                (
                    "skaffold.yaml",
                    "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: registry.acme.io/shop/api\n",
                ),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: .\n    image: registry.acme.io/shop/worker:dev\n  worker:\n    image: registry.acme.io/shop/worker:dev\n  local:\n    image: localhost:5000/x:1\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
