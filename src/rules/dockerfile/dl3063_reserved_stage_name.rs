use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3063",
    name: "reserved-stage-name",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Stage names should not be reserved words",
    what: "Reports a stage named `scratch` or `context`.",
    why: "`scratch` is the empty image and `context` names the build context in `COPY --from`; a stage with such a name is ambiguous and BuildKit may refuse or misread it.",
    bad: "FROM alpine:3.20 AS scratch\n",
    good: "FROM alpine:3.20 AS base\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for st in &df.stages {
            if let Some(n) = &st.name {
                if n == "scratch" || n == "context" {
                    out.emit(
                        df.loc(st.line),
                        format!("stage name `{n}` is a reserved word"),
                        format!("FROM {} AS {n}", st.base_raw),
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
    fn flags_reserved_names() {
        assert_eq!(lines("DL3063", "FROM a:1 AS context\n"), vec![1]);
    }

    #[test]
    fn clean_on_other_names() {
        assert!(lines("DL3063", "FROM a:1 AS base\nFROM scratch\n").is_empty());
    }
}
