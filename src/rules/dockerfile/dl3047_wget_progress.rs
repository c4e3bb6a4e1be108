use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3047",
    name: "wget-progress",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Use wget with --progress or quiet output",
    what: "Reports a `wget` without `--progress`, `-q/--quiet`, `-nv/--no-verbose`, `-o/--output-file` or `-a/--append-output`.",
    why: "wget's default progress bar prints a line per chunk in build logs, bloating them to megabytes for large downloads.",
    bad: "FROM debian:12\nRUN wget https://example.com/big.tar.gz\n",
    good: "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/big.tar.gz\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| {
            c.is("wget")
                && !c.has_any_flag(&[
                    "progress",
                    "q",
                    "quiet",
                    "o",
                    "output-file",
                    "a",
                    "append-output",
                    "no-verbose",
                ])
                && !c.has_arg("-nv")
        })
        .then(|| {
            "`wget` without `--progress=dot:giga` (or `-q`/`-nv`) floods the build log".to_string()
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_plain_wget() {
        assert_eq!(lines("DL3047", "FROM d:1\nRUN wget https://x/y\n"), vec![2]);
    }

    #[test]
    fn clean_with_quiet_or_progress() {
        assert!(lines("DL3047", "FROM d:1\nRUN wget -q https://x && wget --progress=dot:giga https://y && wget -nv z && wget -qO- w | sh\n").is_empty());
    }
}
