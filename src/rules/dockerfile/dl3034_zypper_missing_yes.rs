use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3034",
    name: "zypper-missing-yes",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use a non-interactive switch with zypper",
    what: "Reports `zypper install`/`in`, `remove`/`rm`, `source-install`/`si` or `patch` without `-y`, `-n`, `--non-interactive` or `--no-confirm`.",
    why: "zypper asks for confirmation by default; the build has no terminal to answer and fails.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper install httpd=2.4.58\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.58 && zypper clean\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    super::rpm::missing_yes(
        cx,
        out,
        &["zypper"],
        &[
            "install",
            "in",
            "remove",
            "rm",
            "source-install",
            "si",
            "patch",
        ],
        &["non-interactive", "n", "no-confirm", "y"],
        "`zypper` without `-n`/`-y` waits for a confirmation nobody gives",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_interactive_zypper() {
        assert_eq!(
            lines("DL3034", "FROM s:1\nRUN zypper install x=1\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_non_interactive() {
        assert!(lines(
            "DL3034",
            "FROM s:1\nRUN zypper -n install x=1 && zypper in -y y=1\n"
        )
        .is_empty());
    }
}
