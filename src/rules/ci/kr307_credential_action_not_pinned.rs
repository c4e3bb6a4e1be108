use super::{describe_job, job_key, jobs};
use crate::finding::{Location, Severity};
use crate::parse::ci::StepBody;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR307",
    name: "ci-credential-action-not-pinned",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A third-party action that receives registry or cloud credentials is not pinned to a commit SHA",
    what: "Reports GitHub Actions `uses:` steps pinned to a tag or branch (not a full 40-character commit SHA) when the action handles credentials: registry and cloud login actions (`docker/login-action`, `aws-actions/amazon-ecr-login`, `aws-actions/configure-aws-credentials`, `azure/docker-login`, `azure/login`, `google-github-actions/auth`, `redhat-actions/podman-login`...) and any action given a `secrets.*` value as an input. Local (`./`) and `docker://` actions, and `actions/*` (GitHub's own), are left alone.",
    why: "A tag is mutable: whoever controls the action's repository (or compromises it, as with `tj-actions/changed-files` in 2025) can move it and receive the registry password on the next run. A commit SHA cannot be moved; Dependabot and Renovate keep SHA pins up to date, with the version in a comment.",
    bad: "- uses: docker/login-action@v3\n  with:\n    password: ${{ secrets.GITHUB_TOKEN }}",
    good: "- uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0\n  with:\n    password: ${{ secrets.GITHUB_TOKEN }}",
};

const CREDENTIAL_ACTIONS: &[&str] = &[
    "docker/login-action",
    "aws-actions/amazon-ecr-login",
    "aws-actions/configure-aws-credentials",
    "azure/docker-login",
    "azure/login",
    "google-github-actions/auth",
    "google-github-actions/setup-gcloud",
    "redhat-actions/podman-login",
    "redhat-actions/push-to-registry",
    "digitalocean/action-doctl",
    "azure/k8s-set-context",
];

fn is_sha(r: &str) -> bool {
    r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit())
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, p, _, j) in jobs(cx.facts) {
            for s in &j.steps {
                let StepBody::Action { uses, with } = &s.body else {
                    continue;
                };
                if uses.starts_with("./") || uses.starts_with("docker://") {
                    continue;
                }
                let Some((name, r)) = uses.split_once('@') else {
                    continue;
                };
                let lname = name.to_ascii_lowercase();
                if is_sha(r) || lname.starts_with("actions/") || !lname.contains('/') {
                    continue;
                }
                let known = CREDENTIAL_ACTIONS
                    .iter()
                    .any(|a| lname == *a || lname.starts_with(&format!("{a}/")));
                let secret_input = with
                    .iter()
                    .find(|(_, v)| v.contains("secrets."))
                    .map(|(k, _)| k.as_str());
                let why = match (known, secret_input) {
                    (true, _) => "handles registry or cloud credentials".to_string(),
                    (false, Some(k)) => format!("receives a secret (input `{k}`)"),
                    (false, None) => continue,
                };
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "{} uses `{uses}`, which {why}, by the movable ref `{r}`; pin it to a full commit SHA",
                        describe_job(p, j)
                    ),
                    format!("{}:{name}", job_key(p, j)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::TriggerKind::Push;
    use crate::rules::ci::test_support::{action, job, pipeline, run};
    use crate::walk::CiSystem::GithubActions;

    #[test]
    fn flags_tag_pinned_credential_actions() {
        let j = job(
            "release",
            5,
            vec![
                action(
                    8,
                    "docker/login-action@v3",
                    &[("registry", "ghcr.io")],
                    vec![],
                ),
                action(
                    12,
                    "acme/slack-notify@main",
                    &[("token", "${{ secrets.SLACK_TOKEN }}")],
                    vec![],
                ),
            ],
        );
        let f = run(
            "KR307",
            vec![pipeline(
                ".github/workflows/release.yml",
                GithubActions,
                &[Push],
                vec![j],
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (
                8,
                ".github/workflows/release.yml:release:docker/login-action"
            )
        );
        assert!(f[1].message.contains("input `token`"));
        assert!(!f[1].message.contains("SLACK_TOKEN"));
    }

    #[test]
    fn clean_with_sha_pins_own_and_harmless_actions() {
        let j = job(
            "release",
            5,
            vec![
                action(
                    8,
                    "docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772",
                    &[("password", "${{ secrets.GITHUB_TOKEN }}")],
                    vec![],
                ),
                action(
                    10,
                    "actions/checkout@v4",
                    &[("token", "${{ secrets.PAT }}")],
                    vec![],
                ),
                action(12, "docker/setup-buildx-action@v3", &[], vec![]),
                action(
                    14,
                    "./.github/actions/login",
                    &[("password", "${{ secrets.PW }}")],
                    vec![],
                ),
            ],
        );
        assert!(run(
            "KR307",
            vec![pipeline(
                ".github/workflows/release.yml",
                GithubActions,
                &[Push],
                vec![j]
            )]
        )
        .is_empty());
    }
}
