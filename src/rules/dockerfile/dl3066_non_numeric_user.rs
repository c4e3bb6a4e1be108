use super::dl3044_env_self_reference::refers_to;
use super::support::{declare_rule, dockerfiles, emit, unquote};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3066",
    name: "non-numeric-user",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Prefer a numeric user id in USER",
    what: "Reports a `USER` whose user part is a name rather than a number, unless it comes from an ARG.",
    why: "Kubernetes' `runAsNonRoot` can only verify a numeric user: with `USER app` the kubelet refuses to start the pod (`image has non-numeric user`), and the host cannot map the name either.",
    bad: "FROM node:20\nUSER node\n",
    good: "FROM node:20\nUSER 1000:1000\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut args: Vec<String> = Vec::new();
        for inst in df.insts() {
            match (inst.keyword(), &inst.ins.args) {
                (Keyword::Arg, Args::KeyValues(kvs)) => {
                    args.extend(kvs.iter().map(|k| k.key.clone()))
                }
                (Keyword::User, _) => {
                    let u = unquote(inst.ins.args_text());
                    let uid = u.split(':').next().unwrap_or("");
                    if uid.chars().all(|c| c.is_ascii_digit())
                        || args.iter().any(|a| refers_to(uid, a))
                    {
                        continue;
                    }
                    emit(
                        out,
                        df,
                        inst,
                        format!("`USER {u}` is not numeric; use the user id"),
                    );
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
    fn flags_user_name() {
        assert_eq!(lines("DL3066", "FROM a:1\nUSER node\n"), vec![2]);
    }

    #[test]
    fn clean_on_numeric_or_arg() {
        assert!(lines(
            "DL3066",
            "FROM a:1\nARG UID=1000\nUSER 1000:1000\nUSER ${UID}\n"
        )
        .is_empty());
    }
}
