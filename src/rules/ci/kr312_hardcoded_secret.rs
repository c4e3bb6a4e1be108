use crate::finding::{Location, Severity};
use crate::rules::secrets::{self, SecretKind};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR312",
    name: "ci-hardcoded-secret",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI variable (`env:`, `variables:`, `environment:`) holds a real-looking credential",
    what: "Reports a variable that a CI file sets (GitHub Actions `env:`, GitLab and Azure Pipelines `variables:`, CircleCI and Drone `environment:`, Travis `env:`, Cloud Build `env:`, CodeBuild `env.variables`, at any level) whose literal value looks like a real credential: a known token format (AWS access key ID, GitHub or Slack token, a private key block), a long high-entropy value given to a variable named like a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE*`), or a URL with such a password. References (`${{ secrets.X }}`, `$CI_JOB_TOKEN`), encrypted values (Travis `secure:`), secret-store names (CodeBuild `parameter-store`) and placeholders such as `postgres` for a test database are not reported. The value is never printed.",
    why: "A credential in a committed CI file is readable by everyone with access to the repository, its forks and its history, forever, and CI logs may echo it: rotating it is the only remedy. Every CI system has a secret store (GitHub secrets, GitLab masked CI/CD variables, CircleCI contexts, Azure variable groups) whose values the file only references.",
    bad: "# .github/workflows/release.yml\nenv:\n  NPM_TOKEN: npm_Q7uXrVb2Lk9sT3mW0pZc8yHd5fJe1aGnR4oB\n",
    good: "# .github/workflows/release.yml\nenv:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in &cx.facts.pipelines {
            for v in &p.env {
                let Some(SecretKind::RealLooking(why)) = secrets::classify(&v.key, &v.value) else {
                    continue;
                };
                out.emit(
                    Location::new(&v.file, v.line),
                    format!(
                        "CI variable `{}` holds {why}; keep it in the CI system's secret store, reference it from the file, and rotate it",
                        secrets::masked(&v.key)
                    ),
                    format!("{}:env.{}", v.file, v.key),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_real_looking_values_without_printing_them() {
        let f = findings_of(
            "KR312",
            &[
                (
                    ".github/workflows/ci.yml",
                    "on: push\nenv:\n  GH_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      DEPLOY_SECRET: q8Zr3LmX1vTn6PwYc0Hs9KdB\n    steps:\n      - run: make\n        env:\n          AWS_ACCESS_KEY_ID: AKIAQWERTYUIOPASDFGH\n",
                ),
                (
                    ".gitlab-ci.yml",
                    "variables:\n  DATABASE_URL: {value: 'postgres://app:Zq8r3LmX1vTn6PwYc0Hs9KdB@db/app'}\ntest:\n  script: [make]\n",
                ),
            ],
        );
        let at: Vec<(&str, u32)> = f
            .iter()
            .map(|x| (x.location.file.as_str(), x.location.line))
            .collect();
        assert_eq!(
            at,
            [
                (".github/workflows/ci.yml", 3),
                (".github/workflows/ci.yml", 8),
                (".github/workflows/ci.yml", 12),
                (".gitlab-ci.yml", 2),
            ],
            "{f:?}"
        );
        for x in &f {
            for secret in ["ghp_abc", "q8Zr3", "AKIAQW", "Zq8r3"] {
                assert!(!x.message.contains(secret) && !x.subject.contains(secret));
            }
        }
        assert!(f[0].message.contains("GH_TOKEN=***"));
    }

    #[test]
    fn clean_with_references_placeholders_settings_and_encrypted_values() {
        let f = findings_of(
            "KR312",
            &[
                (
                    ".github/workflows/ci.yml",
                    "on: push\nenv:\n  GH_TOKEN: ${{ secrets.GH_TOKEN }}\n  PASSWORD_MIN_LENGTH: 12\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: postgres\n    environment: {name: staging, url: 'https://staging.example.com'}\n    steps:\n      - run: make\n",
                ),
                (
                    ".travis.yml",
                    "language: go\nenv:\n  global:\n    - secure: \"aGVsbG8gd29ybGQgdGhpcyBpcyBlbmNyeXB0ZWQgZGF0YSBmb3IgdHJhdmlz\"\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
