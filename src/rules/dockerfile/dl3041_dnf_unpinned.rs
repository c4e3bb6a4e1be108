use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3041",
    name: "dnf-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Specify versions in dnf install",
    what: "Reports a `dnf`/`microdnf install` of a package without a `-version` suffix (a part after `-` starting with a digit), unless it is an `.rpm` file or its version comes from an ARG/ENV; `dnf module install` needs a `:stream`. Group installs are not judged.",
    why: "Unpinned packages make builds unreproducible.",
    bad: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    super::rpm::unpinned(
        cx,
        out,
        &["dnf", "microdnf"],
        "dnf install -y <package>-<version>",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned() {
        assert_eq!(
            lines("DL3041", "FROM f:40\nRUN dnf install -y httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_when_pinned() {
        assert!(lines("DL3041", "FROM f:40\nRUN dnf install -y httpd-2.4.59 && dnf module install -y nodejs:20 && dnf group install -y x\n").is_empty());
    }
}
