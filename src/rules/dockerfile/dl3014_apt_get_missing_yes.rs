use super::dl3008_apt_get_unpinned::apt_get_install;
use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3014",
    name: "apt-get-missing-yes",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use `-y` with apt-get install",
    what: "Reports an `apt-get install` without `-y`, `--yes`, `--assume-yes`, `-qq` or `-q=2`.",
    why: "Without it apt-get asks for confirmation; in a build there is nobody to answer, so it aborts as soon as a package pulls in dependencies.",
    bad: "FROM debian:12\nRUN apt-get install curl\n",
    good: "FROM debian:12\nRUN apt-get install -y curl\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| {
            apt_get_install(c)
                && !c.has_any_flag(&["y", "yes", "assume-yes"])
                && c.count_flag("q") < 2
                && c.count_flag("quiet") < 2
                && !c.has_arg("-q=2")
                && !c.has_arg("--quiet=2")
        })
        .then(|| "`apt-get install` without `-y` waits for a confirmation nobody gives".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_yes() {
        assert_eq!(
            lines(
                "DL3014",
                "FROM d:1\nRUN apt-get update && apt-get install curl\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_with_yes_variants() {
        assert!(lines("DL3014", "FROM d:1\nRUN apt-get install -y a && apt-get -qq install b && apt-get install --assume-yes c && apt-get -q -q install d\n").is_empty());
    }
}
