use super::dl3008_apt_get_unpinned::APT_VALUED;
use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR113",
    name: "package-upgrade",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "`apt-get upgrade` / `dist-upgrade` in an image",
    what: "Reports `apt-get` or `apt` `upgrade`, `dist-upgrade` or `full-upgrade` in a `RUN`.",
    why: "Upgrading every package inside the build makes the image depend on the day it was built, bloats the layer, and can pull in changes that need a running system (services, kernels). Rebuild on a newer base image tag, or pin and upgrade only the packages that need a fix.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get -y upgrade\n",
    good: "FROM debian:12.6\nRUN apt-get update && apt-get install -y --only-upgrade openssl=3.0.13-1~deb12u1\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.cmds
            .iter()
            .filter(|c| c.is("apt-get") || c.is("apt"))
            .find_map(|c| {
                let sub = c.positional(APT_VALUED).first().copied().unwrap_or("");
                matches!(sub, "upgrade" | "dist-upgrade" | "full-upgrade")
                    .then(|| format!("`{} {sub}` upgrades the whole base inside the build; use a newer base image", c.name()))
            })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_upgrade() {
        assert_eq!(
            lines(
                "KR113",
                "FROM d:1\nRUN apt-get update && apt-get -y upgrade\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines("KR113", "FROM d:1\nRUN apt-get dist-upgrade -y\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_on_install_only_upgrade() {
        assert!(lines(
            "KR113",
            "FROM d:1\nRUN apt-get install -y --only-upgrade openssl=3\n"
        )
        .is_empty());
    }
}
