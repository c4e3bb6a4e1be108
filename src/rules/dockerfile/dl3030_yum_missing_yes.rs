use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3030",
    name: "yum-missing-yes",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use `-y` with yum install",
    what: "Reports `yum install`, `groupinstall` or `localinstall` without `-y`/`--assumeyes`.",
    why: "Without it yum waits for a confirmation that a build never gives and fails.",
    bad: "FROM centos:7\nRUN yum install httpd-2.4.6\n",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    super::rpm::missing_yes(
        cx,
        out,
        &["yum"],
        &["install", "groupinstall", "localinstall"],
        &["y", "assumeyes"],
        "`yum install` without `-y` waits for a confirmation nobody gives",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_yes() {
        assert_eq!(
            lines("DL3030", "FROM c:7\nRUN yum install httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_yes() {
        assert!(lines(
            "DL3030",
            "FROM c:7\nRUN yum install -y httpd && yum --assumeyes groupinstall x\n"
        )
        .is_empty());
    }
}
