use super::{describe_job, job_key, jobs};
use crate::finding::{Location, Severity};
use crate::graph::image::same_image;
use crate::parse::ci::{LocatedMeaning, Meaning};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR305",
    name: "ci-deploy-tag-not-built",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "CI deploys an image tag computed from the pipeline (commit SHA, build number) that no CI build produces",
    what: "Reports deploy steps (`kubectl set image`, `helm upgrade --set image.tag=...`, GitOps tag bumps, `gcloud run deploy --image`...) whose image tag comes from the pipeline (`$CI_COMMIT_SHA`, `${{ github.sha }}`, `$BUILD_NUMBER`, `$(Build.BuildId)`, a git ref name) while no CI build in the repo, nor skaffold or Tilt, builds that image. For a bare `image.tag=...` value, the image is unknown, so it is reported only when the repo's CI builds no image at all.",
    why: "A tag made from the commit or build number names an image this very pipeline is expected to have built and pushed. If nothing builds it, the deploy points at a tag that does not exist: pods fail with `ImagePullBackOff`, or, worse, an image built by hand outside CI gets deployed.",
    bad: "deploy:\n  script:\n    - kubectl set image deploy/api api=registry.acme.io/api:$CI_COMMIT_SHA\n# ...and no job builds registry.acme.io/api",
    good: "build:\n  script:\n    - docker build -t registry.acme.io/api:$CI_COMMIT_SHA .\n    - docker push registry.acme.io/api:$CI_COMMIT_SHA\ndeploy:\n  script:\n    - kubectl set image deploy/api api=registry.acme.io/api:$CI_COMMIT_SHA",
};

/// Whether a reference's tag is computed by the pipeline.
pub(crate) fn computed_tag(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    (l.contains('$') || l.contains("{{"))
        && [
            "sha",
            "commit",
            "run_number",
            "run_id",
            "build_id",
            "buildid",
            "pipeline_id",
            "pipeline_iid",
            "build_number",
            "buildnumber",
            "revision",
            "github.ref",
            "ref_name",
        ]
        .iter()
        .any(|k| l.contains(k))
}

/// The image references a deploy meaning names; `(reference, tag_only)`:
/// Helm-style `image.tag=$SHA` values name a tag without an image.
pub(crate) fn deployed_images(m: &LocatedMeaning) -> Vec<(String, bool)> {
    let raw: Vec<&str> = match &m.meaning {
        Meaning::Deploy(d) => d.images.iter().map(String::as_str).collect(),
        Meaning::GitOpsBump { image: Some(i), .. } => vec![i.as_str()],
        _ => Vec::new(),
    };
    raw.into_iter()
        .map(|r| match r.split_once('=') {
            Some((_, v)) if v.contains('/') || v.contains(':') => (v.to_string(), false),
            Some((_, v)) => (v.to_string(), true),
            None => (r.to_string(), false),
        })
        .collect()
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let g = cx.graph;
        let artifacts = &cx.facts.orchestration.artifacts;
        for (pi, p, ji, j) in jobs(cx.facts) {
            for m in j.meanings() {
                // The graph links a bare tag to the pipeline's builds.
                let linked = g.deploys.iter().any(|d| {
                    d.pipeline == pi
                        && d.job == ji
                        && d.file == m.file
                        && d.line == m.line
                        && !d.components.is_empty()
                });
                for (image, tag_only) in deployed_images(m) {
                    if !computed_tag(&image) {
                        continue;
                    }
                    let built = if tag_only {
                        linked || !g.builds.is_empty() || !artifacts.is_empty()
                    } else {
                        g.ci_builds_image(&image)
                            || artifacts.iter().any(|a| same_image(&a.image, &image))
                    };
                    if built {
                        continue;
                    }
                    let what = if tag_only {
                        format!("the tag `{image}`, computed by the pipeline, but the repo's CI builds no image at all")
                    } else {
                        format!("`{image}`, whose tag the pipeline computes, but no CI build in the repo produces that image")
                    };
                    out.emit(
                        Location::new(&m.file, m.line),
                        format!("{} deploys {what}", describe_job(p, j)),
                        format!("{}:{image}", job_key(p, j)),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::TriggerKind::Push;
    use crate::rules::ci::test_support::{job, pipeline, run, script};
    use crate::walk::CiSystem::GitlabCi;

    #[test]
    fn flags_deploy_of_unbuilt_sha_tag() {
        let d = job("deploy", 3, vec![script(5, "kubectl set image deploy/api api=registry.acme.io/api:$CI_COMMIT_SHA\nhelm upgrade web chart/ --set image.tag=$CI_COMMIT_SHORT_SHA")]);
        let f = run(
            "KR305",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![d])],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert_eq!(
            f[0].subject,
            ".gitlab-ci.yml:deploy:registry.acme.io/api:$CI_COMMIT_SHA"
        );
        assert!(
            f[1].message.contains("builds no image at all"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn clean_when_built_or_pinned() {
        let b = job("build", 3, vec![script(5, "docker build -t registry.acme.io/api:$CI_COMMIT_SHA .\ndocker push registry.acme.io/api:$CI_COMMIT_SHA")]);
        let d = job(
            "deploy",
            9,
            vec![script(11, "kubectl set image deploy/api api=registry.acme.io/api:$CI_COMMIT_SHA\nhelm upgrade web chart/ --set image.tag=$CI_COMMIT_SHA\nkubectl set image deploy/redis redis=redis:7.2")],
        );
        assert!(run(
            "KR305",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![b, d])]
        )
        .is_empty());
    }

    #[test]
    fn real_gitlab_file_with_another_image_built() {
        // The graph links a pipeline-tag deploy to the pipeline's builds;
        // the rule still compares image names.
        let ci = "build:\n  script:\n    - docker build -t registry.acme.io/worker:$CI_COMMIT_SHA .\n    - docker push registry.acme.io/worker:$CI_COMMIT_SHA\ndeploy:\n  environment: staging\n  script:\n    - kubectl set image deploy/api api=registry.acme.io/api:$CI_COMMIT_SHA\n    - kubectl set image deploy/worker worker=registry.acme.io/worker:$CI_COMMIT_SHA\n";
        let f = crate::rules::testing::findings_of(
            "KR305",
            &[(".gitlab-ci.yml", ci), ("Dockerfile", "FROM alpine:3.20\n")],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (
                8,
                ".gitlab-ci.yml:deploy:registry.acme.io/api:$CI_COMMIT_SHA"
            )
        );
    }
}
