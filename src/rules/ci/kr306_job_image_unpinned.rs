use super::{describe_job, is_latest_ref, job_file, job_key, jobs};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR306",
    name: "ci-job-image-unpinned",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI job runs in (or beside) an image that is untagged or `latest`",
    what: "Reports a job's container image (GitHub `container:`, GitLab `image:`, Jenkins `agent { docker }`...) and its service containers (`services:`) when the reference has no tag or the tag `latest`, and no digest. References built from variables without a visible tag are left alone.",
    why: "The job's toolchain then changes whenever upstream publishes: a build that passed yesterday fails today with nothing changed in the repo, and an old commit can no longer be rebuilt. Pin a version tag (or a digest, updated by Renovate or Dependabot).",
    bad: "test:\n  image: node\n  services:\n    - postgres:latest",
    good: "test:\n  image: node:20.12-bookworm\n  services:\n    - postgres:16.2",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, p, _, j) in jobs(cx.facts) {
            let uses = j
                .container
                .iter()
                .map(|c| (c, "runs in"))
                .chain(j.services.iter().map(|s| (s, "starts the service")));
            for (u, how) in uses {
                if !is_latest_ref(&u.image) {
                    continue;
                }
                out.emit(
                    Location::new(job_file(p, j), u.line),
                    format!(
                        "{} {how} `{}`, which is not pinned to a version tag or digest",
                        describe_job(p, j),
                        u.image
                    ),
                    format!("{}:{}", job_key(p, j), u.image),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::{ImageUse, TriggerKind::Push};
    use crate::rules::ci::test_support::{job, pipeline, run};
    use crate::walk::CiSystem::GitlabCi;

    fn with_images(container: &str, service: &str) -> crate::parse::ci::Job {
        let mut j = job("test", 3, vec![]);
        j.container = Some(ImageUse {
            image: container.into(),
            line: 4,
        });
        j.services = vec![ImageUse {
            image: service.into(),
            line: 6,
        }];
        j
    }

    #[test]
    fn flags_unpinned_job_images() {
        let f = run(
            "KR306",
            vec![pipeline(
                ".gitlab-ci.yml",
                GitlabCi,
                &[Push],
                vec![with_images("node", "postgres:latest")],
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (4, ".gitlab-ci.yml:test:node")
        );
        assert!(f[1]
            .message
            .contains("starts the service `postgres:latest`"));
    }

    #[test]
    fn clean_with_pinned_or_variable_images() {
        let f = run(
            "KR306",
            vec![pipeline(
                ".gitlab-ci.yml",
                GitlabCi,
                &[Push],
                vec![with_images("node:20.12", "$CI_REGISTRY_IMAGE")],
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
