use super::{describe_job, job_key, pr_only, runs_on_pr, step_guards_unseen};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR308",
    name: "ci-deploy-on-pull-request",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI job deploys on pull requests to an environment that is not a preview/review/test one",
    what: "Reports deploy steps (kubectl/Helm/Kustomize/Argo CD/Cloud Run/ECS... and GitOps bumps) in jobs that run for pull or merge requests, when the target (the job's environment, else its name) is not a non-production one (`review`, `preview`, `staging`, `test`, `dev`...). Preview environments per pull request are the normal case and are left alone. On GitHub Actions, where step-level `if:` is not in kubeready's model, only jobs that run for pull requests alone are reported.",
    why: "A pull request's code is unreviewed, and with `pull_request_target` it may come from a fork: deploying it to a shared or production environment lets anyone who can open a PR change what runs there. Deploy from the default branch, or to a throwaway preview environment.",
    bad: "on: pull_request\njobs:\n  deploy:\n    environment: production\n    steps:\n    - run: kubectl apply -f k8s/",
    good: "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    environment: production\n    steps:\n    - run: kubectl apply -f k8s/",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for d in &cx.graph.deploys {
            if d.non_production || seen.contains(&(d.pipeline, d.job)) {
                continue;
            }
            let Some(p) = cx.facts.pipelines.get(d.pipeline) else {
                continue;
            };
            let Some(j) = p.jobs.get(d.job) else { continue };
            if !runs_on_pr(p, j) || (step_guards_unseen(p) && !pr_only(p, j)) {
                continue;
            }
            if matches!(
                d.action.as_str(),
                "diff" | "template" | "lint" | "dry-run" | "plan"
            ) {
                continue;
            }
            seen.push((d.pipeline, d.job));
            out.emit(
                Location::new(&d.file, d.line),
                format!(
                    "{} runs for pull requests and deploys to `{}` with `{} {}`: unreviewed code reaches a shared environment",
                    describe_job(p, j),
                    d.target,
                    d.tool,
                    d.action
                ),
                format!("{}:{}", job_key(p, j), d.target),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::{
        Environment,
        TriggerKind::{PullRequest, Push},
    };
    use crate::rules::ci::test_support::{job, pipeline, run, script, trigger};
    use crate::walk::CiSystem::{GithubActions, GitlabCi};

    fn deploy(id: &str, env: &str) -> crate::parse::ci::Job {
        let mut j = job(id, 3, vec![script(6, "kubectl apply -f k8s/")]);
        j.environment = Some(Environment {
            name: env.into(),
            line: 4,
        });
        j
    }

    #[test]
    fn flags_deploy_to_production_on_pull_requests() {
        let gh = pipeline(
            ".github/workflows/pr.yml",
            GithubActions,
            &[PullRequest],
            vec![deploy("deploy", "production")],
        );
        let gl = pipeline(
            ".gitlab-ci.yml",
            GitlabCi,
            &[Push, PullRequest],
            vec![deploy("deploy", "cluster")],
        );
        let f = run("KR308", vec![gh, gl]);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (6, ".github/workflows/pr.yml:deploy:production")
        );
    }

    #[test]
    fn clean_for_previews_and_narrowed_jobs() {
        let preview = pipeline(
            ".github/workflows/pr.yml",
            GithubActions,
            &[PullRequest],
            vec![deploy("preview", "review/pr-1")],
        );
        let mut main_only = deploy("deploy", "production");
        main_only.triggers = Some(vec![trigger(Push)]);
        let gl = pipeline(
            ".gitlab-ci.yml",
            GitlabCi,
            &[Push, PullRequest],
            vec![main_only],
        );
        // push + PR on GitHub: a step `if:` may guard it; not judged.
        let gh = pipeline(
            ".github/workflows/ci.yml",
            GithubActions,
            &[Push, PullRequest],
            vec![deploy("deploy", "production")],
        );
        assert!(run("KR308", vec![preview, gl, gh]).is_empty());
    }

    #[test]
    fn real_workflow() {
        let wf = "on: pull_request_target\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: kubectl apply -f k8s/\n  preview:\n    runs-on: ubuntu-latest\n    environment: preview\n    steps:\n      - run: kubectl apply -f k8s/\n";
        let f = crate::rules::testing::findings_of("KR308", &[(".github/workflows/pr.yml", wf)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (7, ".github/workflows/pr.yml:deploy:production")
        );
    }
}
