use super::kr305_deploy_tag_not_built::deployed_images;
use super::{describe_job, is_latest_ref, job_key, jobs};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR311",
    name: "ci-deploy-latest",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI deploy step sets an image to `latest` (or an untagged image)",
    what: "Reports deploy steps that name an image with the `latest` tag or no tag: `kubectl set image ... api=acme/api:latest`, `helm upgrade --set image.tag=latest`, `gcloud run deploy --image acme/api`, a GitOps bump to `latest`.",
    why: "Setting a Deployment's image to the `latest` it already has changes nothing, so Kubernetes starts no rollout and the new build never runs (unless pods happen to restart). The cluster's state also no longer says which build runs, and a rollback has nothing to go back to. Deploy the immutable tag the pipeline pushed (commit SHA, version).",
    bad: "- kubectl set image deployment/api api=registry.acme.io/api:latest",
    good: "- kubectl set image deployment/api api=registry.acme.io/api:$CI_COMMIT_SHA",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, p, _, j) in jobs(cx.facts) {
            for m in j.meanings() {
                for (image, tag_only) in deployed_images(m) {
                    let latest = if tag_only {
                        image == "latest"
                    } else {
                        is_latest_ref(&image)
                    };
                    if !latest {
                        continue;
                    }
                    let what = if tag_only {
                        "sets the image tag to `latest`".to_string()
                    } else {
                        format!("deploys `{image}`, a `latest` image")
                    };
                    out.emit(
                        Location::new(&m.file, m.line),
                        format!(
                            "{} {what}: an unchanged `latest` starts no rollout and cannot be rolled back; deploy the immutable tag CI pushed",
                            describe_job(p, j)
                        ),
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
    fn flags_latest_deploys() {
        let d = job("deploy", 3, vec![script(5, "kubectl set image deployment/api api=registry.acme.io/api:latest\nhelm upgrade web chart/ --set image.tag=latest")]);
        let f = run(
            "KR311",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![d])],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].location.line, f[1].location.line), (5, 6));
        assert_eq!(
            f[0].subject,
            ".gitlab-ci.yml:deploy:registry.acme.io/api:latest"
        );
    }

    #[test]
    fn clean_with_immutable_tags() {
        let d = job("deploy", 3, vec![script(5, "kubectl set image deployment/api api=registry.acme.io/api:$CI_COMMIT_SHA\nhelm upgrade web chart/ --set image.tag=1.4.2")]);
        assert!(run(
            "KR311",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![d])]
        )
        .is_empty());
    }
}
