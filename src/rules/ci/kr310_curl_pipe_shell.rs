use super::{describe_job, job_key, jobs, script_line};
use crate::finding::{Location, Severity};
use crate::parse::ci::StepBody;
use crate::rules::{Context, RuleDoc, Sink};
use kubeready_shell::{parse_script, Connector, SimpleCommand};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR310",
    name: "ci-curl-pipe-shell",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI script pipes a download straight into a shell (`curl ... | sh`)",
    what: "Reports CI script commands that run what `curl` or `wget` download without keeping it: `curl -sSL URL | sh` (or `bash`, `sudo bash`, `python`), `sh -c \"$(curl ...)\"`, `bash <(curl ...)`.",
    why: "The CI job runs whatever the server returns at that moment, with the job's secrets in its environment: a compromised or hijacked URL owns the pipeline, and a truncated download runs half a script. Download to a file, check its checksum or signature, then run it; or use a pinned package or action.",
    bad: "- curl -sSL https://get.example.com/install.sh | sh",
    good: "- curl -sSLo install.sh https://get.example.com/v1.2.3/install.sh\n- echo \"<sha256>  install.sh\" | sha256sum -c -\n- sh install.sh",
};

const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ash", "ksh", "python", "python3", "perl",
];

fn is_download(cmd: &SimpleCommand) -> bool {
    matches!(cmd.program_name(), Some("curl" | "wget"))
}

fn is_shell(cmd: &SimpleCommand) -> bool {
    cmd.program_name().is_some_and(|p| SHELLS.contains(&p))
}

/// The URL a download command fetches, for the subject.
fn url(cmd: &SimpleCommand) -> Option<&str> {
    cmd.argv()
        .iter()
        .map(String::as_str)
        .find(|w| w.contains("://"))
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
                let cmds = parse_script(text).commands;
                for (i, cmd) in cmds.iter().enumerate() {
                    if !is_shell(cmd) {
                        continue;
                    }
                    // `curl URL | sh`: the previous command at the same level.
                    let piped = cmd.connector == Connector::Pipe
                        && cmds[..i]
                            .iter()
                            .rev()
                            .find(|c| c.nested == cmd.nested)
                            .is_some_and(is_download);
                    let download = if piped {
                        cmds[..i].iter().rev().find(|c| c.nested == cmd.nested)
                    } else {
                        // `sh -c "$(curl URL)"`, `bash <(curl URL)`.
                        let substituted = cmd.argv().iter().any(|w| {
                            ["$(curl", "$(wget", "<(curl", "<(wget", "`curl", "`wget"]
                                .iter()
                                .any(|x| w.contains(x))
                        });
                        if !substituted {
                            continue;
                        }
                        cmds[i + 1..].iter().find(|c| c.nested && is_download(c))
                    };
                    let from = download.and_then(url).unwrap_or("a URL");
                    let shell = cmd.program_name().unwrap_or("sh");
                    out.emit(
                        Location::new(&s.file, script_line(s, cmd.line)),
                        format!(
                            "{} runs a download from {from} directly with `{shell}`; download it, verify a checksum, then run it",
                            describe_job(p, j)
                        ),
                        format!("{}:{from}", job_key(p, j)),
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
    fn flags_download_piped_to_shell() {
        let j = job(
            "setup",
            3,
            vec![script(5, "curl -sSL https://get.example.com/install.sh | sudo bash\nwget -qO- https://x.example.org/i.sh | sh -s -- -y\nsh -c \"$(curl -fsSL https://raw.example.com/ohmy.sh)\"")],
        );
        let f = run(
            "KR310",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])],
        );
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert_eq!(
            f[0].subject,
            ".gitlab-ci.yml:setup:https://get.example.com/install.sh"
        );
        assert!(
            f[2].message.contains("https://raw.example.com/ohmy.sh"),
            "{}",
            f[2].message
        );
    }

    #[test]
    fn clean_when_downloaded_then_verified() {
        let j = job(
            "setup",
            3,
            vec![script(5, "curl -sSLo install.sh https://get.example.com/install.sh\nsha256sum -c install.sh.sha256\nsh install.sh\ncurl -s https://api.example.com | jq .")],
        );
        assert!(run(
            "KR310",
            vec![pipeline(".gitlab-ci.yml", GitlabCi, &[Push], vec![j])]
        )
        .is_empty());
    }
}
