use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3001",
    name: "pointless-command",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Commands like ssh, vim, service or kill make no sense in RUN",
    what: "Reports a `RUN` that calls `free`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`, `top` or `vim`.",
    why: "A build step has no running services, no terminal and no other processes: these commands either do nothing useful or show that the image is being treated like a virtual machine.",
    bad: "FROM debian:12\nRUN service nginx start\n",
    good: "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
};

declare_rule!();

const POINTLESS: &[&str] = &[
    "free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.cmds
            .iter()
            .find(|c| POINTLESS.contains(&c.name()))
            .map(|c| format!("`{}` makes no sense in a build step", c.name()))
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_service() {
        assert_eq!(
            lines("DL3001", "FROM d:1\nRUN service nginx start\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_on_normal_commands() {
        assert!(lines(
            "DL3001",
            "FROM d:1\nRUN apt-get install -y procps && echo ps\n"
        )
        .is_empty());
    }
}
