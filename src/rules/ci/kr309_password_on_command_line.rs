use super::{describe_job, job_key, jobs, script_line};
use crate::finding::{Location, Severity};
use crate::parse::ci::StepBody;
use crate::rules::{Context, RuleDoc, Sink};
use kubeready_shell::{parse_script, SimpleCommand};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR309",
    name: "ci-registry-password-argument",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A registry login passes the password as a command-line argument (`-p`/`--password`)",
    what: "Reports `docker login`, `podman login`, `nerdctl login`, `buildah login`, `skopeo login`, `helm registry login`, `crane auth login`, `oras login` and `regctl registry login` commands in CI scripts that give the password with `-p`/`--password` instead of `--password-stdin`. The value is never printed.",
    why: "A command-line argument is visible to every process on the runner (`ps`), lands in shell traces (`set -x`) and sometimes in CI logs; Docker itself warns `Using --password via the CLI is insecure`. Pipe it in: `echo \"$PASSWORD\" | docker login -u user --password-stdin registry`.",
    bad: "- docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY",
    good: "- echo \"$CI_REGISTRY_PASSWORD\" | docker login -u $CI_REGISTRY_USER --password-stdin $CI_REGISTRY",
};

/// Whether a command is a registry login.
fn is_login(cmd: &SimpleCommand) -> bool {
    let argv = cmd.argv();
    let words: Vec<&str> = argv
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    match cmd.program_name() {
        Some("docker" | "podman" | "nerdctl" | "finch" | "buildah" | "skopeo" | "oras" | "img") => {
            words.first() == Some(&"login")
        }
        Some("helm" | "regctl") => words.starts_with(&["registry", "login"]),
        Some("crane" | "gcrane") => words.starts_with(&["auth", "login"]),
        _ => false,
    }
}

fn password_flag(w: &str) -> bool {
    w == "-p"
        || w == "--password"
        || w.starts_with("--password=")
        || (w.starts_with("-p") && !w.starts_with("--") && w.len() > 2)
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, p, _, j) in jobs(cx.facts) {
            for s in &j.steps {
                let StepBody::Script(text) = &s.body else {
                    continue;
                };
                for cmd in parse_script(text).commands {
                    if !is_login(&cmd) || !cmd.argv().iter().any(|w| password_flag(w)) {
                        continue;
                    }
                    let tool = cmd.program_name().unwrap_or("docker").to_string();
                    out.emit(
                        Location::new(&s.file, script_line(s, cmd.line)),
                        format!(
                            "{} runs `{tool} login` with the password as an argument (`-p ***`): it shows in the process list and traces; use `--password-stdin`",
                            describe_job(p, j)
                        ),
                        format!("{}:{tool} login", job_key(p, j)),
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
    fn flags_password_arguments_without_printing_them() {
        let j = job("push", 3, vec![script(5, "docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY\nsudo podman login --password=hunter2 -u me quay.io\nhelm registry login ghcr.io -u me -p s3cret")]);
        let f = run(
            "KR309",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])],
        );
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[1].location.line, f[2].location.line),
            (5, 6, 7)
        );
        assert_eq!(f[1].subject, ".gitlab-ci.yml:push:podman login");
        assert!(f.iter().all(|x| !x.message.contains("hunter2")
            && !x.message.contains("s3cret")
            && !x.message.contains("CI_REGISTRY_PASSWORD")));
    }

    #[test]
    fn clean_with_password_stdin() {
        let j = job("push", 3, vec![script(5, "echo \"$PW\" | docker login -u me --password-stdin reg.acme.io\ndocker run -p 8080:80 nginx:1.27\ncrane auth login ghcr.io -u me --password-stdin")]);
        assert!(run(
            "KR309",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])]
        )
        .is_empty());
    }
}
