use super::support::{declare_rule, each_run, Cmd};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3008",
    name: "apt-get-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Pin versions in apt-get install",
    what: "Reports an `apt-get install` (also behind `sudo`/`env`, inside `sh -c '...'` and heredocs, anywhere in a chain of `&&`, `||`, `;` or pipes) with a package that has no `=version`, is not a `.deb` file and is not a path. Values of options such as `-o` and `-t` are not packages.",
    why: "Unpinned packages install whatever the mirror has on build day, so two builds of the same commit differ and a package update can break the image with no change in the repository.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n",
};

declare_rule!();

pub const APT_VALUED: &[&str] = &[
    "o",
    "t",
    "c",
    "target-release",
    "option",
    "config-file",
    "default-release",
];

pub fn apt_get_install(c: &Cmd) -> bool {
    c.is("apt-get") && c.positional(APT_VALUED).first() == Some(&"install")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let unpinned: Vec<&str> = sh
            .cmds
            .iter()
            .filter(|c| apt_get_install(c))
            .flat_map(|c| {
                c.positional(APT_VALUED)
                    .into_iter()
                    .skip(1)
                    .collect::<Vec<_>>()
            })
            .filter(|p| !p.contains('=') && !p.contains('/') && !p.ends_with(".deb"))
            .collect();
        (!unpinned.is_empty()).then(|| {
            format!(
                "pin versions in `apt-get install` (`{}=<version>`); unpinned: {}",
                unpinned[0],
                unpinned.join(", ")
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned_packages_in_chains_and_nested_shells() {
        assert_eq!(
            lines(
                "DL3008",
                "FROM d:1\nRUN apt-get update && apt-get install -y curl\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3008",
                "FROM d:1\nRUN sh -c 'apt-get update; sudo apt-get -y install wget || true'\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3008",
                "FROM d:1\nRUN <<EOF\nset -e\napt-get install -y \\\n  jq\nEOF\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3008",
                "FROM d:1\nRUN [\"/bin/sh\", \"-c\", \"apt-get install -y jq\"]\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines("DL3008", "FROM d:1\nONBUILD RUN apt-get install -y jq\n"),
            vec![2]
        );
        // `--user` takes a value (`app`); the program is `apt-get`.
        assert_eq!(
            lines(
                "DL3008",
                "FROM d:1\nRUN sudo --user app apt-get install x\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn flags_unpinned_packages_in_heredoc_fed_to_bash() {
        // awesome-compose wasmedge-kafka-mysql/etl/Dockerfile:3.
        let df = "FROM rust:1.64\nRUN <<EOT bash\n    set -ex\n    apt-get update\n    apt-get install -y \\\n        git \\\n        clang\nEOT\n";
        assert_eq!(lines("DL3008", df), vec![2]);
    }

    #[test]
    fn clean_when_pinned_or_not_install() {
        let df = "FROM d:1\nRUN apt-get update && apt-get install -y -o Dpkg::Options::=--force-confold curl=7.88 ./x.deb /tmp/y.deb \\\n && echo apt-get install foo\nRUN apt-get -t bookworm-backports install -y jq=1.6\n";
        assert!(lines("DL3008", df).is_empty());
    }
}
