use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR304",
    name: "ci-production-without-staging",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "CI deploys to production, and nothing in the repo deploys to a staging environment",
    what: "Reports CI deploy steps whose target (the job's `environment:`, else its name) says production (`prod`, `production`, `live`, `prd`) when no deploy step in any of the repo's pipelines targets a non-production environment (`staging`, `qa`, `test`, `dev`, `review`, `preview`, `uat`, `sandbox`, `pre-prod`...).",
    why: "Without a staging stage the first place a build meets real infrastructure, migrations and configuration is production. A staging deploy of the same image, promoted when it passes, catches what unit tests and image builds cannot.",
    bad: "deploy-prod:\n  stage: deploy\n  environment: production\n  script: helm upgrade --install api chart/ --set image.tag=$CI_COMMIT_SHA",
    good: "deploy-staging:\n  stage: staging\n  environment: staging\n  script: helm upgrade --install api chart/ -f values-staging.yaml --set image.tag=$CI_COMMIT_SHA\ndeploy-prod:\n  stage: deploy\n  environment: production\n  when: manual\n  script: helm upgrade --install api chart/ --set image.tag=$CI_COMMIT_SHA",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let g = cx.graph;
        if g.deploys.iter().any(|d| d.non_production) {
            return;
        }
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for d in g.deploys.iter().filter(|d| d.production) {
            if seen.contains(&(d.pipeline, d.job)) {
                continue;
            }
            seen.push((d.pipeline, d.job));
            let Some(p) = cx.facts.pipelines.get(d.pipeline) else {
                continue;
            };
            let Some(j) = p.jobs.get(d.job) else { continue };
            out.emit(
                Location::new(&d.file, d.line),
                format!(
                    "{} deploys to `{}` with `{} {}`, and no pipeline in the repo deploys to a staging or test environment first",
                    super::describe_job(p, j),
                    d.target,
                    d.tool,
                    d.action
                ),
                format!("{}:{}", super::job_key(p, j), d.target),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::{Environment, TriggerKind::Push};
    use crate::rules::ci::test_support::{job, pipeline, run, script};
    use crate::walk::CiSystem::GitlabCi;

    fn deploy_job(id: &str, env: &str, line: u32) -> crate::parse::ci::Job {
        let mut j = job(
            id,
            line,
            vec![script(
                line + 3,
                "helm upgrade --install api chart/ --set image.tag=$CI_COMMIT_SHA",
            )],
        );
        j.environment = Some(Environment {
            name: env.into(),
            line: line + 1,
        });
        j
    }

    #[test]
    fn flags_production_only() {
        let f = run(
            "KR304",
            vec![pipeline(
                ".gitlab-ci.yml",
                GitlabCi,
                &[Push],
                vec![deploy_job("deploy-prod", "production", 10)],
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 13);
        assert_eq!(f[0].subject, ".gitlab-ci.yml:deploy-prod:production");
        assert!(f[0].message.contains("`production`"), "{}", f[0].message);
    }

    #[test]
    fn clean_with_staging() {
        let jobs = vec![
            deploy_job("deploy-staging", "staging", 3),
            deploy_job("deploy-prod", "production", 10),
        ];
        assert!(run(
            "KR304",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], jobs)]
        )
        .is_empty());
    }
}
