use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3025",
    name: "shell-form-cmd",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Use JSON (exec) form for CMD and ENTRYPOINT",
    what: "Reports a `CMD` or `ENTRYPOINT` written in shell form (`CMD node server.js`) instead of JSON form (`CMD [\"node\", \"server.js\"]`).",
    why: "Shell form runs the command under `/bin/sh -c`: the shell is PID 1, it does not forward SIGTERM, and the container is killed after the stop timeout instead of shutting down cleanly. With ENTRYPOINT, shell form also ignores CMD and `docker run` arguments.",
    bad: "FROM node:20\nCMD node server.js\n",
    good: "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if !matches!(inst.keyword(), Keyword::Cmd | Keyword::Entrypoint) {
                continue;
            }
            if let Args::Shell(s) = &inst.ins.args {
                if s.trim().is_empty() {
                    continue;
                }
                let kw = inst.keyword().as_str();
                emit(
                    out,
                    &df,
                    &inst,
                    format!("`{kw}` in shell form; use the JSON form `{kw} [\"...\"]`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_shell_form() {
        assert_eq!(
            lines(
                "DL3025",
                "FROM a:1\nCMD node server.js\nENTRYPOINT ./run.sh\n"
            ),
            vec![2, 3]
        );
    }

    #[test]
    fn clean_on_json_form() {
        assert!(lines(
            "DL3025",
            "FROM a:1\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n"
        )
        .is_empty());
    }
}
