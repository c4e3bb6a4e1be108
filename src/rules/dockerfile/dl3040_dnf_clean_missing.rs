use super::rpm::{missing_clean, rm_rf};
use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3040",
    name: "dnf-clean-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Run `dnf clean all` after dnf install",
    what: "Reports a `RUN` where `dnf`/`microdnf` installs, upgrades or reinstalls packages and is not followed, in the same RUN, by `dnf clean all` (or `rm -rf /var/cache/libdnf5*`), unless a cache mount covers the dnf cache.",
    why: "dnf's metadata and package cache stay in the layer and bloat the image.",
    bad: "FROM fedora:40\nRUN dnf install -y httpd-2.4.59\n",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.59 && dnf clean all\n",
};

declare_rule!();

const INSTALLS: &[&str] = &[
    "install",
    "in",
    "upgrade",
    "up",
    "upgrade-minimal",
    "up-min",
    "reinstall",
    "rei",
];

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    missing_clean(
        cx,
        out,
        &|c| c.is_with(&["dnf", "microdnf"], INSTALLS),
        &|c| {
            (c.is_with(&["dnf", "microdnf"], &["clean"]) && c.has_arg("all"))
                || rm_rf(c, "/var/cache/libdnf5")
                || rm_rf(c, "/var/cache/dnf")
        },
        &["/var/cache/libdnf5", ".cache/libdnf5", "/var/cache/dnf"],
        "`dnf install` without `dnf clean all` afterwards in the same `RUN`",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_clean() {
        assert_eq!(
            lines("DL3040", "FROM f:40\nRUN dnf install -y x-1\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_dnf_clean_or_mount() {
        assert!(lines("DL3040", "FROM f:40\nRUN microdnf install -y x-1 && microdnf clean all\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y y-1\n").is_empty());
    }
}
