use super::dl3008_apt_get_unpinned::apt_get_install;
use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3015",
    name: "apt-get-recommends",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Use --no-install-recommends with apt-get install",
    what: "Reports an `apt-get install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`).",
    why: "Recommended packages are not needed to run the software and often double the size of the layer and its attack surface.",
    bad: "FROM debian:12\nRUN apt-get install -y curl\n",
    good: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| {
            apt_get_install(c)
                && !c.has_flag("no-install-recommends")
                && !c.args().iter().any(|a| {
                    a.contains("APT::Install-Recommends=false")
                        || a.contains("APT::Install-Recommends=0")
                })
        })
        .then(|| "`apt-get install` without `--no-install-recommends`".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_recommends() {
        assert_eq!(
            lines("DL3015", "FROM d:1\nRUN apt-get install -y curl\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_no_install_recommends() {
        assert!(lines("DL3015", "FROM d:1\nRUN apt-get install -y --no-install-recommends a && apt-get -o APT::Install-Recommends=false install -y b\n").is_empty());
    }
}
