use super::support::{declare_rule, dockerfiles, emit, flag};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3023",
    name: "copy-from-own-stage",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "COPY --from cannot name its own stage",
    what: "Reports a `COPY --from=X` inside the stage named X (or whose index is X).",
    why: "A stage cannot copy from itself; BuildKit rejects the build with a circular dependency.",
    bad: "FROM node:20 AS app\nCOPY --from=app /src /dst\n",
    good: "FROM node:20 AS deps\nRUN npm ci\nFROM node:20 AS app\nCOPY --from=deps /node_modules /app/node_modules\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Copy || inst.onbuild {
                continue;
            }
            let (Some(from), Some(s)) = (flag(inst.ins, "from"), inst.stage) else {
                continue;
            };
            let Some(st) = df.stages.get(s) else { continue };
            let from = from.to_ascii_lowercase();
            if st.name.as_deref() == Some(from.as_str()) || from == s.to_string() {
                emit(
                    out,
                    df,
                    inst,
                    format!("`--from={from}` names the stage this COPY is in"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_self_copy() {
        assert_eq!(
            lines("DL3023", "FROM a:1 AS app\nCOPY --from=app /x /y\n"),
            vec![2]
        );
        assert_eq!(lines("DL3023", "FROM a:1\nCOPY --from=0 /x /y\n"), vec![2]);
    }

    #[test]
    fn clean_on_other_stage() {
        assert!(lines(
            "DL3023",
            "FROM a:1 AS deps\nFROM a:1 AS app\nCOPY --from=deps /x /y\n"
        )
        .is_empty());
    }
}
