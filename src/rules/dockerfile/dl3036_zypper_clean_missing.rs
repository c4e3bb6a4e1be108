use super::rpm::missing_clean;
use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3036",
    name: "zypper-clean-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Run `zypper clean` after zypper install",
    what: "Reports a `RUN` with `zypper install`/`in` not followed, in the same RUN, by `zypper clean`/`cc`, unless a cache mount covers `/var/cache/zypp`.",
    why: "zypper's package cache stays in the layer and bloats the image.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.58\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.58 && zypper clean\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    missing_clean(
        cx,
        out,
        &|c| c.is_with(&["zypper"], &["install", "in"]),
        &|c| c.is_with(&["zypper"], &["clean", "cc"]),
        &["/var/cache/zypp"],
        "`zypper install` without `zypper clean` afterwards in the same `RUN`",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_clean() {
        assert_eq!(lines("DL3036", "FROM s:1\nRUN zypper in -y x=1\n"), vec![2]);
    }

    #[test]
    fn clean_with_zypper_clean() {
        assert!(lines(
            "DL3036",
            "FROM s:1\nRUN zypper in -y x=1 && zypper clean -a\n"
        )
        .is_empty());
    }
}
