use super::{
    action_input, action_name, describe_job, job_key, jobs, pr_only, runs_on_pr, step_guards_unseen,
};
use crate::finding::{Location, Severity};
use crate::parse::ci::{Job, Meaning, Step};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR303",
    name: "ci-push-from-pull-request",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI job pushes images on pull-request builds",
    what: "Reports CI jobs that push an image (`docker push`, a `--push` build, a build action with `push: true`, `docker compose push`) and run for pull or merge requests (`pull_request`, `pull_request_target`, GitLab `merge_request_event`) with no narrowing that excludes them. On GitHub Actions, where step-level `if:` conditions are not in kubeready's model, a job that also runs on other events is reported only for a build action whose `push` input is literally `true` (the `push: ${{ github.event_name != 'pull_request' }}` idiom is fine).",
    why: "A pull request's code is unreviewed: pushing its image to the shared registry lets anyone who can open a PR publish an image under the project's name, and may overwrite a tag that deployments use. Build on pull requests, push only from the default branch or tags.",
    bad: "on: [push, pull_request]\n...\n- uses: docker/build-push-action@v6\n  with:\n    push: true",
    good: "on: [push, pull_request]\n...\n- uses: docker/build-push-action@v6\n  with:\n    push: ${{ github.event_name != 'pull_request' }}",
};

/// The first push of a step, (file, line).
fn step_push(s: &Step) -> Option<(&str, u32)> {
    s.meanings.iter().find_map(|m| {
        let push = match &m.meaning {
            Meaning::ImagePush { .. } => true,
            Meaning::ImageBuild(b) => b.push,
            Meaning::Compose(c) => c.subcommand == "push",
            _ => false,
        };
        push.then_some((m.file.as_str(), m.line))
    })
}

/// A build action whose `push` input is a literal `true` (no expression).
fn unguarded_push_action(s: &Step) -> bool {
    action_name(s).is_some_and(|a| a == "docker/build-push-action" || a == "docker/bake-action")
        && action_input(s, "push").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

fn first_push(j: &Job, only_unguarded_actions: bool) -> Option<(&str, u32)> {
    j.steps
        .iter()
        .filter(|s| !only_unguarded_actions || unguarded_push_action(s))
        .find_map(step_push)
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, p, _, j) in jobs(cx.facts) {
            if !runs_on_pr(p, j) {
                continue;
            }
            let careful = step_guards_unseen(p) && !pr_only(p, j);
            let Some((file, line)) = first_push(j, careful) else {
                continue;
            };
            out.emit(
                Location::new(file, line),
                format!(
                    "{} pushes an image and runs for pull requests: unreviewed code gets published; push only from the default branch or tags",
                    describe_job(p, j)
                ),
                job_key(p, j),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::Meaning;
    use crate::parse::ci::TriggerKind::{PullRequest, Push};
    use crate::rules::ci::test_support::{action, job, pipeline, run, script, trigger};
    use crate::walk::CiSystem::{GithubActions, GitlabCi};
    use kubeready_shell::ImageBuild;

    fn bpa(push: &str) -> crate::parse::ci::Step {
        let m = Meaning::ImageBuild(ImageBuild {
            tool: "docker/build-push-action".into(),
            tags: vec!["ghcr.io/acme/api:1".into()],
            push: true,
            ..ImageBuild::default()
        });
        action(9, "docker/build-push-action@v6", &[("push", push)], vec![m])
    }

    #[test]
    fn flags_pushes_on_pull_requests() {
        let gh = pipeline(
            ".github/workflows/ci.yml",
            GithubActions,
            &[Push, PullRequest],
            vec![job("image", 5, vec![bpa("true")])],
        );
        let gl = pipeline(
            ".gitlab-ci.yml",
            GitlabCi,
            &[Push, PullRequest],
            vec![job(
                "push",
                3,
                vec![script(6, "docker push reg.acme.io/api:$CI_COMMIT_SHA")],
            )],
        );
        let pr_only = pipeline(
            ".github/workflows/pr.yml",
            GithubActions,
            &[PullRequest],
            vec![job(
                "pr",
                4,
                vec![script(7, "docker push ghcr.io/acme/api:pr")],
            )],
        );
        let f = run("KR303", vec![gh, gl, pr_only]);
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (9, ".github/workflows/ci.yml:image")
        );
        assert!(f[0].message.contains("pull requests"));
    }

    #[test]
    fn clean_when_guarded_or_narrowed() {
        let guarded = job(
            "image",
            5,
            vec![bpa("${{ github.event_name != 'pull_request' }}")],
        );
        // A script push in a push+PR GitHub job may have a step `if:`; not judged.
        let script_push = job("s", 12, vec![script(14, "docker push ghcr.io/acme/api:1")]);
        let gh = pipeline(
            ".github/workflows/ci.yml",
            GithubActions,
            &[Push, PullRequest],
            vec![guarded, script_push],
        );
        // GitLab `rules:` narrowing the job to branch pushes.
        let mut narrowed = job(
            "push",
            3,
            vec![script(6, "docker push reg.acme.io/api:$CI_COMMIT_SHA")],
        );
        narrowed.triggers = Some(vec![trigger(Push)]);
        let gl = pipeline(
            ".gitlab-ci.yml",
            GitlabCi,
            &[Push, PullRequest],
            vec![narrowed],
        );
        assert!(run("KR303", vec![gh, gl]).is_empty());
    }

    #[test]
    fn real_workflow() {
        let wf = "on: [push, pull_request]\njobs:\n  bad:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: ghcr.io/acme/api:1}\n  guarded:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: ${{ github.event_name != 'pull_request' }}\n          tags: ghcr.io/acme/api:2\n  narrowed:\n    if: github.event_name == 'push'\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: ghcr.io/acme/api:3}\n";
        let f = crate::rules::testing::findings_of("KR303", &[(".github/workflows/ci.yml", wf)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].subject, ".github/workflows/ci.yml:bad");
    }
}
