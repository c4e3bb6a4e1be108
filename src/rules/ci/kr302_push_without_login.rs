use super::{action_name, describe_job, job_key, jobs};
use crate::finding::{Location, Severity};
use crate::image_ref::ImageRef;
use crate::parse::ci::{Job, Meaning, Pipeline, Step, StepBody};
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::ci_system::RegistryLogin;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR302",
    name: "ci-push-without-login",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI job pushes an image without logging in to a registry first",
    what: "Reports CI jobs that push images with a tool that reads Docker-style credentials (`docker`/`podman`/`nerdctl`/`buildah`/`kaniko`/`buildctl`/`crane`/`skopeo`, `docker compose push`, `docker/build-push-action`, `docker/bake-action`) when nothing in the job logs in: no `docker login` or equivalent (`aws ecr get-login-password`, `gcloud auth configure-docker`, `az acr login`...), no login action (`docker/login-action`, `aws-actions/amazon-ecr-login`...), no credentials file written (`config.json`, `DOCKER_AUTH_CONFIG`) before the push. GitHub Actions, GitLab CI, CircleCI, Azure Pipelines and Bitbucket run each job on a fresh runner, so only the job's own login counts; elsewhere (Jenkins, Drone, Buildkite...) a login in an earlier job of the pipeline counts too. Pushes to `localhost`/in-cluster registries, pushes by actions, orbs and tasks that authenticate themselves, and Cloud Build (its service account pushes) are left alone.",
    why: "Without a login the push fails with `denied: requested access to the resource is denied` or `unauthorized`, usually only on the main branch where pushes run, after the pull request looked green. When it does not fail, the runner had credentials nobody can see in the repo.",
    bad: "- uses: docker/build-push-action@v6\n  with:\n    push: true\n    tags: ghcr.io/acme/api:${{ github.sha }}",
    good: "- uses: docker/login-action@v3\n  with:\n    registry: ghcr.io\n    username: ${{ github.actor }}\n    password: ${{ secrets.GITHUB_TOKEN }}\n- uses: docker/build-push-action@v6\n  with:\n    push: true\n    tags: ghcr.io/acme/api:${{ github.sha }}",
};

/// Tools that push with credentials from the Docker config or a login.
const LOGIN_TOOLS: &[&str] = &[
    "docker",
    "docker-buildx",
    "docker-buildx-bake",
    "podman",
    "nerdctl",
    "finch",
    "buildah",
    "kaniko",
    "buildctl",
    "img",
    "crane",
    "gcrane",
    "skopeo",
    "docker/build-push-action",
    "docker/bake-action",
];

/// Actions whose pushes rely on an earlier login step.
const LOGIN_NEEDING_ACTIONS: &[&str] = &["docker/build-push-action", "docker/bake-action"];

/// A registry that needs no login: local or in-cluster (no dot in the host).
fn local_registry(image: &str) -> bool {
    match ImageRef::parse(image).registry {
        Some(r) => {
            let host = r.split(':').next().unwrap_or(&r);
            host == "localhost"
                || host == "127.0.0.1"
                || !(host.contains('.') || host.starts_with('$'))
        }
        None => false,
    }
}

/// Whether a step sets up registry credentials; the line of the first
/// login meaning when it has one (scripts log in part-way through).
fn step_login(s: &Step) -> Option<u32> {
    if let Some(m) = s
        .meanings
        .iter()
        .find(|m| matches!(m.meaning, Meaning::RegistryLogin { .. }))
    {
        return Some(m.line);
    }
    let by_action = action_name(s).is_some_and(|a| a.to_ascii_lowercase().contains("login"));
    let by_file = match &s.body {
        StepBody::Script(t) => {
            t.contains("config.json")
                || t.contains("DOCKER_AUTH_CONFIG")
                || t.contains("REGISTRY_AUTH_FILE")
        }
        StepBody::Action { .. } => false,
    };
    (by_action || by_file).then_some(s.line)
}

/// Whether the job sets up registry credentials anywhere.
fn logs_in(j: &Job) -> bool {
    j.steps.iter().any(|s| step_login(s).is_some())
}

/// Whether a login in an earlier job carries over (same agent/workspace).
fn logins_carry_over(p: &Pipeline) -> bool {
    p.system.map(|s| s.info().registry_login) != Some(RegistryLogin::EachJob)
}

/// The first push of the job that needs a login and comes before any
/// login of the job: (tool, file, line).
fn first_push(j: &Job) -> Option<(String, &str, u32)> {
    for s in &j.steps {
        let login = step_login(s);
        let action = action_name(s);
        if action.is_some_and(|a| !LOGIN_NEEDING_ACTIONS.contains(&a)) {
            if login.is_some() {
                return None;
            }
            continue; // an action, orb or task that authenticates itself
        }
        for m in &s.meanings {
            if login.is_some_and(|l| l <= m.line) {
                return None;
            }
            let (tool, images): (&str, &[String]) = match &m.meaning {
                Meaning::ImagePush { tool, images } => (tool, images),
                Meaning::ImageBuild(b) if b.push => (&b.tool, &b.tags),
                Meaning::Compose(c) if c.subcommand == "push" && c.remote.is_none() => {
                    ("docker", &[])
                }
                _ => continue,
            };
            let tool = action.unwrap_or(tool);
            if !LOGIN_TOOLS.contains(&tool) {
                continue;
            }
            if !images.is_empty() && images.iter().all(|i| local_registry(i)) {
                continue;
            }
            return Some((tool.to_string(), m.file.as_str(), m.line));
        }
        if login.is_some() {
            return None;
        }
    }
    None
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, p, ji, j) in jobs(cx.facts) {
            if p.system.map(|s| s.info().registry_login) == Some(RegistryLogin::Ambient) {
                continue;
            }
            let Some((tool, file, line)) = first_push(j) else {
                continue;
            };
            if logins_carry_over(p) && p.jobs.iter().take(ji).any(logs_in) {
                continue;
            }
            out.emit(
                Location::new(file, line),
                format!(
                    "{} pushes with `{tool}` before any registry login (no `docker login`, login action or credentials file earlier in the job)",
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
    use crate::parse::ci::TriggerKind::Push;
    use crate::rules::ci::test_support::{action, job, pipeline, run, script};
    use crate::walk::CiSystem::{GithubActions, Jenkins};
    use kubeready_shell::ImageBuild;

    fn build_push(tags: &[&str]) -> Meaning {
        Meaning::ImageBuild(ImageBuild {
            tool: "docker/build-push-action".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            push: true,
            ..ImageBuild::default()
        })
    }

    #[test]
    fn doc_names_the_systems_with_a_fresh_runner_per_job() {
        use crate::walk::ci_system::{RegistryLogin, SYSTEMS};
        for s in SYSTEMS.iter() {
            let first_word = s.name.split(' ').next().unwrap_or(s.name);
            let named = super::DOC.what.contains(first_word);
            match s.registry_login {
                RegistryLogin::EachJob => assert!(named, "KR302 doc misses {}", s.name),
                RegistryLogin::Ambient => assert!(
                    super::DOC.what.contains("Cloud Build"),
                    "KR302 doc misses {}",
                    s.name
                ),
                RegistryLogin::CarriesOver => {}
            }
        }
    }

    #[test]
    fn flags_push_without_login() {
        let a = job(
            "a",
            5,
            vec![action(
                8,
                "docker/build-push-action@v6",
                &[("push", "true")],
                vec![build_push(&["ghcr.io/acme/api:1"])],
            )],
        );
        let b = job(
            "b",
            12,
            vec![script(14, "docker push registry.acme.io/web:$GITHUB_SHA")],
        );
        // A login in another job does not carry over to a fresh runner.
        let c = job(
            "login",
            18,
            vec![script(
                19,
                "echo $PW | docker login -u me --password-stdin registry.acme.io",
            )],
        );
        let f = run(
            "KR302",
            vec![pipeline(
                ".github/workflows/ci.yml",
                GithubActions,
                &[Push],
                vec![c, a, b],
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (8, ".github/workflows/ci.yml:a")
        );
        assert!(
            f[0].message.contains("`docker/build-push-action`"),
            "{}",
            f[0].message
        );
        assert_eq!(f[1].location.line, 14);
    }

    #[test]
    fn clean_with_login_local_registry_or_carried_login() {
        let login = action(
            6,
            "docker/login-action@v3",
            &[("registry", "ghcr.io")],
            vec![],
        );
        let a = job(
            "a",
            5,
            vec![
                login,
                action(
                    8,
                    "docker/build-push-action@v6",
                    &[("push", "true")],
                    vec![build_push(&["ghcr.io/acme/api:1"])],
                ),
            ],
        );
        let b = job("b", 12, vec![script(14, "echo \"$PW\" | docker login -u u --password-stdin reg.acme.io\ndocker push reg.acme.io/web:1")]);
        let local = job(
            "kind",
            20,
            vec![script(21, "docker push localhost:5000/api:dev")],
        );
        let kaniko = job("kaniko", 25, vec![script(26, "echo \"{\\\"auths\\\":{}}\" > /kaniko/.docker/config.json\n/kaniko/executor --context . --destination reg.acme.io/api:1")]);
        let f = run(
            "KR302",
            vec![pipeline(
                ".github/workflows/ci.yml",
                GithubActions,
                &[Push],
                vec![a, b, local, kaniko],
            )],
        );
        assert!(f.is_empty(), "{f:?}");
        // Jenkins stages share the agent: a login in an earlier stage counts.
        let s1 = job(
            "Login",
            3,
            vec![script(
                4,
                "echo $PW | docker login -u u --password-stdin reg.acme.io",
            )],
        );
        let s2 = job("Push", 8, vec![script(9, "docker push reg.acme.io/web:1")]);
        assert!(run(
            "KR302",
            vec![pipeline("Jenkinsfile", Jenkins, &[Push], vec![s1, s2])]
        )
        .is_empty());
    }

    #[test]
    fn real_workflow() {
        let wf = "on: push\njobs:\n  ok:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@v3\n        with: {registry: ghcr.io}\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: ghcr.io/acme/api:1}\n  late:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          docker push ghcr.io/acme/web:1\n          echo $PW | docker login -u me --password-stdin ghcr.io\n";
        let f = crate::rules::testing::findings_of("KR302", &[(".github/workflows/ci.yml", wf)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].subject, ".github/workflows/ci.yml:late");
        assert!(f[0].message.contains("before any registry login"));
    }
}
