use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4006",
    name: "pipe-without-pipefail",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Set `-o pipefail` before a RUN with a pipe",
    what: "Reports a shell-form `RUN` with a pipe when the stage has no `SHELL` with `-o pipefail` (bash, zsh, ash) before it. A SHELL for a non-POSIX shell (PowerShell, cmd) turns the rule off for the stage; `set -o pipefail` inside the RUN itself also counts.",
    why: "A pipeline's status is that of its last command: `curl ... | tar x` succeeds even when the download failed, and the build goes on with a broken layer.",
    bad: "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n",
    good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/install.sh | bash\n",
};

declare_rule!();

fn shell_ok(words: &[String]) -> bool {
    let prog = words
        .first()
        .map(|w| {
            w.rsplit(['/', '\\'])
                .next()
                .unwrap_or(w)
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if ["pwsh", "powershell", "cmd"]
        .iter()
        .any(|p| prog.starts_with(p))
    {
        return true;
    }
    matches!(prog.as_str(), "bash" | "zsh" | "ash")
        && words.windows(2).any(|w| w[0] == "-o" && w[1] == "pipefail")
        || words
            .iter()
            .any(|w| w.starts_with("-") && w.contains("pipefail"))
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut safe = false;
        for inst in df.top() {
            match (inst.keyword(), &inst.ins.args) {
                (Keyword::From, _) => safe = false,
                (Keyword::Shell, Args::Json(words)) => safe = shell_ok(words),
                (Keyword::Run, Args::Shell(_)) if !safe => {
                    let Some(sh) = df.shell(&inst) else {
                        continue;
                    };
                    let sets_pipefail = sh.any(|c| {
                        c.is("set")
                            && c.args()
                                .windows(2)
                                .any(|w| w[0] == "-o" && w[1] == "pipefail")
                    }) || sh.any(|c| {
                        c.is("set")
                            && c.args()
                                .iter()
                                .any(|a| a.starts_with('-') && a.contains('o'))
                            && c.has_arg("pipefail")
                    });
                    if sh.has_pipe && !sets_pipefail {
                        emit(out, df, &inst, "`RUN` with a pipe but no `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`: a failing command before the pipe is ignored");
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_pipe_without_pipefail() {
        assert_eq!(
            lines("DL4006", "FROM a:1\nRUN curl -fsSL https://x | sh\n"),
            vec![2]
        );
        assert_eq!(lines("DL4006", "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b:1\nRUN a | b\n"), vec![4]);
    }

    #[test]
    fn clean_with_pipefail_or_no_pipe() {
        let df = "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nFROM b:1\nRUN a || b\nRUN echo 'a | b'\nRUN set -o pipefail && a | b\n";
        assert!(lines("DL4006", df).is_empty());
    }
}
