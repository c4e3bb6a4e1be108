use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR103",
    name: "shell-form-signals",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "The container's main process is a shell that swallows SIGTERM",
    what: "Reports the final stage's effective start command when it is in shell form: the last `ENTRYPOINT` in shell form, or, without an ENTRYPOINT, the last `CMD` in shell form. A command starting with `exec` is fine, since the shell is replaced by the program.",
    why: "Shell form runs `/bin/sh -c \"...\"` as PID 1. The shell does not forward SIGTERM to the program, so `docker stop` and Kubernetes wait the whole grace period and then SIGKILL it: no graceful shutdown, dropped requests, slow rollouts.",
    bad: "FROM python:3.12-slim\nCMD gunicorn app:app --bind 0.0.0.0:8000\n",
    good: "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app:app\", \"--bind\", \"0.0.0.0:8000\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let Some(last) = df.stages.len().checked_sub(1) else {
            continue;
        };
        let insts = df.stage_insts(last);
        let entry = insts.iter().rfind(|i| *i.keyword() == Keyword::Entrypoint);
        let start = entry.or_else(|| insts.iter().rfind(|i| *i.keyword() == Keyword::Cmd));
        let Some(inst) = start else { continue };
        if let Args::Shell(s) = &inst.ins.args {
            let s = s.trim();
            if s.is_empty() || s.starts_with("exec ") {
                continue;
            }
            let kw = inst.keyword().as_str();
            emit(out, df, inst, format!("`{kw}` in shell form runs under `/bin/sh -c`, which does not pass SIGTERM on; use the JSON form or `exec`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_shell_form_start() {
        assert_eq!(lines("KR103", "FROM a:1\nCMD node server.js\n"), vec![2]);
        assert_eq!(
            lines("KR103", "FROM a:1\nENTRYPOINT ./run.sh\nCMD [\"x\"]\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_on_json_or_exec() {
        assert!(lines("KR103", "FROM a:1\nCMD [\"node\", \"server.js\"]\n").is_empty());
        assert!(lines("KR103", "FROM a:1\nCMD exec node server.js\n").is_empty());
        assert!(lines("KR103", "FROM a:1 AS b\nCMD make\nFROM c:1\nCMD [\"x\"]\n").is_empty());
    }
}
