use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3028",
    name: "gem-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Pin versions in gem install",
    what: "Reports a `gem install` naming a gem without `:version`, unless `-v`/`--version` is given.",
    why: "Unpinned gems resolve to the latest release on build day, so builds drift and break unannounced.",
    bad: "FROM ruby:3.3\nRUN gem install bundler\n",
    good: "FROM ruby:3.3\nRUN gem install bundler:2.5.10\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let mut unpinned = Vec::new();
        for c in sh
            .cmds
            .iter()
            .filter(|c| c.is_with(&["gem"], &["install", "i"]))
        {
            if c.args()
                .iter()
                .any(|a| a == "-v" || a == "--version" || a.starts_with("--version="))
            {
                continue;
            }
            let valued = [
                "i",
                "install-dir",
                "n",
                "bindir",
                "s",
                "source",
                "p",
                "http-proxy",
                "platform",
                "g",
                "file",
                "build-root",
            ];
            for a in c.positional(&valued) {
                if a != "install" && a != "i" && !a.contains(':') {
                    unpinned.push(a.to_string());
                }
            }
        }
        (!unpinned.is_empty()).then(|| {
            format!(
                "pin versions in `gem install` (`{}:<version>`); unpinned: {}",
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
    fn flags_unpinned() {
        assert_eq!(
            lines("DL3028", "FROM ruby:3\nRUN gem install bundler\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3028",
                "FROM ruby:3\nRUN gem install --no-document rake\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_when_pinned() {
        assert!(lines(
            "DL3028",
            "FROM ruby:3\nRUN gem install bundler:2.5 && gem install rails -v 7.1\n"
        )
        .is_empty());
    }
}
