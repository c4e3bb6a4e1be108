use super::rpm::{missing_clean, rm_rf};
use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3032",
    name: "yum-clean-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Run `yum clean all` after yum install",
    what: "Reports a `RUN` with `yum install` that is not followed, in the same RUN, by `yum clean all` or `rm -rf /var/cache/yum`.",
    why: "yum's metadata and package cache stay in the layer and add tens to hundreds of megabytes to the image.",
    bad: "FROM centos:7\nRUN yum install -y httpd-2.4.6\n",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    missing_clean(
        cx,
        out,
        &|c| c.is_with(&["yum"], &["install"]),
        &|c| (c.is_with(&["yum"], &["clean"]) && c.has_arg("all")) || rm_rf(c, "/var/cache/yum"),
        &["/var/cache/yum"],
        "`yum install` without `yum clean all` afterwards in the same `RUN`",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_clean() {
        assert_eq!(
            lines("DL3032", "FROM c:7\nRUN yum install -y x-1\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3032",
                "FROM c:7\nRUN yum clean all && yum install -y x-1\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_with_yum_clean() {
        assert!(lines("DL3032", "FROM c:7\nRUN yum install -y x-1 && yum clean all\nRUN yum install -y y-1; rm -rf /var/cache/yum\n").is_empty());
    }
}
