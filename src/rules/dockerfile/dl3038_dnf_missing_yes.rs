use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3038",
    name: "dnf-missing-yes",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use `-y` with dnf install",
    what: "Reports `dnf` or `microdnf` `install`, `groupinstall` or `localinstall` without `-y`/`--assumeyes`.",
    why: "dnf waits for a confirmation the build never gives and fails.",
    bad: "FROM fedora:40\nRUN dnf install httpd-2.4.59\n",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    super::rpm::missing_yes(
        cx,
        out,
        &["dnf", "microdnf"],
        &["install", "groupinstall", "localinstall"],
        &["y", "assumeyes"],
        "`dnf install` without `-y` waits for a confirmation nobody gives",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_yes() {
        assert_eq!(
            lines("DL3038", "FROM f:40\nRUN microdnf install x-1\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_yes() {
        assert!(lines(
            "DL3038",
            "FROM f:40\nRUN dnf install -y x-1 && dnf --assumeyes localinstall y.rpm\n"
        )
        .is_empty());
    }
}
