use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3027",
    name: "apt-in-run",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use apt-get or apt-cache instead of apt",
    what: "Reports a `RUN` that calls `apt`.",
    why: "`apt` is meant for people at a terminal: its command-line interface is not stable and it warns so in scripts. `apt-get` and `apt-cache` are the scriptable tools.",
    bad: "FROM debian:12\nRUN apt update && apt install -y curl\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.uses("apt")
            .then(|| "`apt` is an interactive tool; use `apt-get` or `apt-cache`".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_apt() {
        assert_eq!(lines("DL3027", "FROM d:1\nRUN apt update\n"), vec![2]);
    }

    #[test]
    fn clean_with_apt_get() {
        assert!(lines("DL3027", "FROM d:1\nRUN apt-get update && echo apt\n").is_empty());
    }
}
