use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3033",
    name: "yum-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Specify versions in yum install",
    what: "Reports a `yum install` of a package without a `-version` suffix (a part after `-` that starts with a digit), unless it is an `.rpm` file or its version comes from an ARG/ENV; `yum module install` needs a `:stream`.",
    why: "Unpinned packages make builds unreproducible: the same Dockerfile installs different versions over time.",
    bad: "FROM centos:7\nRUN yum install -y httpd && yum clean all\n",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    super::rpm::unpinned(cx, out, &["yum"], "yum install -y <package>-<version>");
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned() {
        assert_eq!(
            lines("DL3033", "FROM c:7\nRUN yum install -y httpd\n"),
            vec![2]
        );
        assert_eq!(
            lines("DL3033", "FROM c:7\nRUN yum module install -y nodejs\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_when_pinned() {
        assert!(lines("DL3033", "FROM c:7\nARG V=1\nRUN yum install -y httpd-2.4.6 x.rpm tool-${V} && yum module install -y nodejs:20\n").is_empty());
    }
}
