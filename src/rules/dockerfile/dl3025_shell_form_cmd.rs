use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3025",
    name: "shell-form-cmd",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use JSON (exec) form for CMD, ENTRYPOINT and HEALTHCHECK CMD",
    what: "Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK ... CMD` written in shell form (`CMD node server.js`) instead of JSON form (`CMD [\"node\", \"server.js\"]`). `HEALTHCHECK NONE` is not reported (hadolint 2.15 added the HEALTHCHECK case).",
    why: "Shell form runs the command under `/bin/sh -c`: the shell is PID 1, it does not forward SIGTERM, and the container is killed after the stop timeout instead of shutting down cleanly. With ENTRYPOINT, shell form also ignores CMD and `docker run` arguments. A shell-form health check needs a shell in the image (none in distroless or scratch) and starts one on every probe.",
    bad: "FROM node:20\nCMD node server.js\n",
    good: "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            let (kw, args) = match (inst.keyword(), &inst.ins.args) {
                (Keyword::Cmd | Keyword::Entrypoint, args) => (inst.keyword().as_str(), args),
                (Keyword::Healthcheck, Args::Healthcheck(Some(check)))
                    if check.keyword == Keyword::Cmd =>
                {
                    ("HEALTHCHECK CMD", &check.args)
                }
                _ => continue,
            };
            if let Args::Shell(s) = args {
                if s.trim().is_empty() {
                    continue;
                }
                emit(
                    out,
                    df,
                    inst,
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
    fn flags_shell_form_healthcheck_cmd() {
        // hadolint 2.15 (hadolint/hadolint#1209) covers HEALTHCHECK CMD too,
        // flags before CMD included.
        let df = "FROM a:1\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK --interval=30s \\\n  CMD wget -qO- http://localhost/\n";
        assert_eq!(lines("DL3025", df), vec![2, 3]);
    }

    #[test]
    fn clean_on_json_or_disabled_healthcheck() {
        let df = "FROM a:1\nHEALTHCHECK CMD [\"/healthcheck\"]\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost/\"]\nHEALTHCHECK NONE\n";
        assert!(lines("DL3025", df).is_empty());
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
