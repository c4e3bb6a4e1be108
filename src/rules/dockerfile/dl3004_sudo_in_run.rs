use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3004",
    name: "sudo-in-run",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Do not use sudo in RUN",
    what: "Reports a `RUN` that calls `sudo`.",
    why: "sudo has unpredictable TTY and signal behaviour and needs extra packages and configuration. Build steps run as the current USER: switch with `USER root` for the steps that need it, and use `gosu`/`su-exec` at run time.",
    bad: "FROM debian:12\nUSER app\nRUN sudo apt-get update\n",
    good: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.cmds
            .iter()
            .any(|c| {
                let wrappers = c.words.len().saturating_sub(c.argv().len());
                c.is("sudo")
                    || c.words
                        .iter()
                        .take(wrappers)
                        .any(|w| w.rsplit('/').next() == Some("sudo"))
            })
            .then(|| "`sudo` in `RUN`; switch `USER` instead".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_sudo() {
        assert_eq!(
            lines("DL3004", "FROM d:1\nRUN sudo apt-get update\n"),
            vec![2]
        );
        assert_eq!(
            lines("DL3004", "FROM d:1\nRUN true && /usr/bin/sudo -u x make\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_without_sudo() {
        assert!(lines("DL3004", "FROM d:1\nRUN apt-get install -y sudo\n").is_empty());
    }
}
