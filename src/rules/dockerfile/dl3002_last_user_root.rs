use super::support::{declare_rule, dockerfiles, emit, expand, unquote};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3002",
    name: "last-user-root",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "The last USER of a stage should not be root",
    what: "Reports a `USER root` (or `USER 0`, `root:group`, `0:group`) that is the last USER instruction of its stage. Stages without any USER are left to KR101.",
    why: "Switching back to root at the end means the container's process runs with root privileges; a container escape or a compromised process then has root on the node's container runtime.",
    bad: "FROM debian:12\nUSER root\nRUN apt-get update\n",
    good: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER 10001\n",
};

declare_rule!();

pub fn is_root(user: &str) -> bool {
    let u = user.split(':').next().unwrap_or(user);
    u == "root" || u == "0"
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (s, _) in df.stages.iter().enumerate() {
            let last = df
                .stage_insts(s)
                .into_iter()
                .rfind(|i| *i.keyword() == Keyword::User);
            if let Some(inst) = last {
                let user = expand(&unquote(inst.ins.args_text()), &df.vars_at(inst.index));
                if is_root(&user) {
                    emit(
                        out,
                        df,
                        &inst,
                        format!("the stage ends as user `{user}`; switch to a non-root user"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_last_user_root() {
        assert_eq!(
            lines("DL3002", "FROM debian:12\nUSER app\nUSER root\n"),
            vec![3]
        );
        assert_eq!(lines("DL3002", "FROM debian:12\nUSER 0:0\n"), vec![2]);
    }

    #[test]
    fn clean_when_switching_back() {
        assert!(lines("DL3002", "FROM debian:12\nUSER root\nRUN id\nUSER app\n").is_empty());
        assert!(lines("DL3002", "FROM debian:12\nRUN id\n").is_empty());
    }
}
