use super::{describe_job, is_latest_ref, job_key, jobs};
use crate::finding::{Location, Severity};
use crate::image_ref::ImageRef;
use crate::parse::ci::Meaning;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

/// Build tools whose tags are exactly the ones given on the command line or
/// in the action's inputs. Others (skaffold, ko, jib, werf, Cloud Build...)
/// tag images themselves, so their configured names say nothing of the tag.
const EXPLICIT_TAG_TOOLS: &[&str] = &[
    "docker",
    "docker-buildx",
    "podman",
    "nerdctl",
    "finch",
    "buildah",
    "kaniko",
    "buildctl",
    "img",
    "docker/build-push-action",
];

fn explicit_tags(tool: &str) -> bool {
    EXPLICIT_TAG_TOOLS.contains(&tool)
        || [
            "docker compose",
            "docker-compose",
            "podman compose",
            "podman-compose",
            "nerdctl compose",
        ]
        .iter()
        .any(|c| tool.starts_with(c))
}

static DOC: RuleDoc = RuleDoc {
    code: "KR301",
    name: "ci-push-latest-only",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "CI pushes an image only as `latest` (or untagged)",
    what: "Reports, per CI job and image, pushes (`docker push`, `--push` builds, `docker/build-push-action` with `push: true`, `docker compose push`) where every reference the job pushes for that image is `:latest` or has no tag. A job that also pushes a version, commit or variable tag of the same image is fine. Tools that tag images themselves (skaffold, ko, jib, werf, Cloud Build...) are not judged.",
    why: "An image pushed only as `latest` cannot be deployed reproducibly or rolled back: each push overwrites the previous build, and a cluster cannot tell which one it runs. Push an immutable tag too (the commit SHA, the release version) and deploy that.",
    bad: "- run: |\n    docker build -t ghcr.io/acme/api:latest .\n    docker push ghcr.io/acme/api:latest",
    good: "- run: |\n    docker build -t ghcr.io/acme/api:$GITHUB_SHA -t ghcr.io/acme/api:latest .\n    docker push --all-tags ghcr.io/acme/api",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        // Pushing builds grouped by (pipeline, job), in build order: one pass
        // over the builds instead of one per job.
        let mut by_job: Vec<(usize, usize, usize)> = cx
            .graph
            .builds
            .iter()
            .enumerate()
            .filter(|(_, b)| b.push && explicit_tags(&b.tool))
            .map(|(i, b)| (b.pipeline, b.job, i))
            .collect();
        by_job.sort_unstable();
        for (pi, p, ji, j) in jobs(cx.facts) {
            // Local names the job re-tags (`docker tag api registry/api:sha`):
            // what it pushes is the new name, judged by its own push.
            let mut tag_sources: Vec<String> = j
                .meanings()
                .filter_map(|m| match &m.meaning {
                    Meaning::ImageTag { source, .. } => Some(ImageRef::parse(source).key()),
                    _ => None,
                })
                .collect();
            tag_sources.sort_unstable();
            // (key, reference, file, line) of everything the job pushes.
            let mut pushed: Vec<(String, &str, &str, u32)> = Vec::new();
            let from = by_job.partition_point(|&(bp, bj, _)| (bp, bj) < (pi, ji));
            for &(_, _, bi) in by_job[from..]
                .iter()
                .take_while(|&&(bp, bj, _)| (bp, bj) == (pi, ji))
            {
                if let Some(b) = cx.graph.builds.get(bi) {
                    pushed.extend(
                        b.tags
                            .iter()
                            .map(|t| (ImageRef::parse(t).key(), t))
                            .filter(|(k, _)| tag_sources.binary_search(k).is_err())
                            .map(|(k, t)| (k, t.as_str(), b.file.as_str(), b.line)),
                    );
                }
            }
            let mut all_tags = false;
            // Keys the job tags with something pinned (`docker tag`).
            let mut retagged: Vec<String> = Vec::new();
            for m in j.meanings() {
                match &m.meaning {
                    Meaning::ImagePush { images, .. } => {
                        pushed.extend(images.iter().map(|i| {
                            (
                                ImageRef::parse(i).key(),
                                i.as_str(),
                                m.file.as_str(),
                                m.line,
                            )
                        }));
                        // `docker push --all-tags` pushes whatever was tagged.
                        all_tags |= images.is_empty();
                    }
                    Meaning::ImageTag { target, .. } if !is_latest_ref(target) => {
                        retagged.push(ImageRef::parse(target).key());
                    }
                    _ => {}
                }
            }
            if all_tags {
                continue;
            }
            retagged.sort_unstable();
            // Stable: within a key, references keep the job's order.
            pushed.sort_by(|a, b| a.0.cmp(&b.0));
            for group in pushed.chunk_by(|a, b| a.0 == b.0) {
                let Some((key, _, file, line)) = group.first() else {
                    continue;
                };
                if !group.iter().all(|(_, r, _, _)| is_latest_ref(r)) {
                    continue;
                }
                // Also fine when the job tags the image with something pinned
                // and pushes all of it (`docker tag` + `docker push img`).
                if retagged.binary_search(key).is_ok() {
                    continue;
                }
                out.emit(
                    Location::new(*file, *line),
                    format!(
                        "{} pushes `{key}` only as `latest`: every push overwrites the last, so no deploy can name or roll back to a build; push an immutable tag (commit SHA, version) too",
                        describe_job(p, j)
                    ),
                    format!("{}:{key}", job_key(p, j)),
                );
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
    fn a_retagged_local_build_is_judged_by_its_pushed_name() {
        let j = job("publish", 3, vec![script(5, "docker build -t api .\ndocker tag api registry.acme.io/api:$SHA\ndocker push registry.acme.io/api:$SHA")]);
        let f = run(
            "KR301",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn flags_latest_only_push() {
        let j = job("publish", 3, vec![script(5, "docker build -t registry.acme.io/api:latest .\ndocker push registry.acme.io/api:latest\ndocker build -t registry.acme.io/web .\ndocker push registry.acme.io/web")]);
        let f = run(
            "KR301",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].subject, ".gitlab-ci.yml:publish:registry.acme.io/api");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("only as `latest`"));
    }

    #[test]
    fn clean_with_a_pinned_tag_too() {
        let j = job(
            "publish",
            3,
            vec![script(5, "docker build -t registry.acme.io/api:$CI_COMMIT_SHA -t registry.acme.io/api:latest .\ndocker push registry.acme.io/api:$CI_COMMIT_SHA\ndocker push registry.acme.io/api:latest")],
        );
        let f = run(
            "KR301",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn clean_for_tools_that_tag_themselves() {
        let skaffold = "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - image: api\n    context: api\nmanifests:\n  rawYaml: [k8s/*.yaml]\n";
        let ci = "deploy:\n  script:\n    - skaffold run --default-repo=reg.acme.io --tag=$CI_COMMIT_SHA\n";
        let f = crate::rules::testing::findings_of(
            "KR301",
            &[
                ("skaffold.yaml", skaffold),
                ("api/Dockerfile", "FROM alpine:3.20\n"),
                (".gitlab-ci.yml", ci),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
