use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3035",
    name: "zypper-dist-upgrade",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Do not use zypper dist-upgrade",
    what: "Reports `zypper dist-upgrade` or `zypper dup`.",
    why: "A distribution upgrade inside an image changes the base in unpredictable ways; upgrade by moving to a newer base image tag instead.",
    bad: "FROM opensuse/leap:15.5\nRUN zypper -n dist-upgrade\n",
    good: "FROM opensuse/leap:15.6\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| c.is_with(&["zypper"], &["dist-upgrade", "dup"]))
            .then(|| {
                "`zypper dist-upgrade` in an image; use a newer base image instead".to_string()
            })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_dup() {
        assert_eq!(lines("DL3035", "FROM s:1\nRUN zypper -n dup\n"), vec![2]);
    }

    #[test]
    fn clean_on_install() {
        assert!(lines("DL3035", "FROM s:1\nRUN zypper -n install x=1\n").is_empty());
    }
}
