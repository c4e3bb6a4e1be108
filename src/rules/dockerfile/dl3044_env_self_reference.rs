use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};
use std::collections::HashSet;

static DOC: RuleDoc = RuleDoc {
    code: "DL3044",
    name: "env-self-reference",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "Do not use a variable in the same ENV that defines it",
    what: "Reports an `ENV` that defines a variable and refers to it (`$NAME` or `${NAME}`) in another pair of the same instruction, when the variable was not defined before.",
    why: "All pairs of one ENV are expanded with the values from before the instruction, so the reference is empty (or the old value), not the one just set.",
    bad: "FROM alpine:3.20\nENV APP=/opt/app PATH=$APP/bin:$PATH\n",
    good: "FROM alpine:3.20\nENV APP=/opt/app\nENV PATH=$APP/bin:$PATH\n",
};

declare_rule!();

pub fn refers_to(text: &str, var: &str) -> bool {
    if text.contains(&format!("${{{var}}}")) {
        return true;
    }
    let needle = format!("${var}");
    let mut rest = text;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        if !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            return true;
        }
        rest = after;
    }
    false
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut known: HashSet<String> = HashSet::new();
        for inst in df.top() {
            match (inst.keyword(), &inst.ins.args) {
                (Keyword::Arg, Args::KeyValues(kvs)) => {
                    known.extend(kvs.iter().map(|k| k.key.clone()));
                }
                (Keyword::Env, Args::KeyValues(kvs)) => {
                    for (i, kv) in kvs.iter().enumerate() {
                        if known.contains(&kv.key) {
                            continue;
                        }
                        let used = kvs.iter().enumerate().any(|(j, other)| {
                            j != i
                                && other
                                    .raw_value
                                    .as_deref()
                                    .is_some_and(|v| refers_to(v, &kv.key))
                        });
                        if used {
                            emit(
                                out,
                                &df,
                                &inst,
                                format!("`{}` is defined and used in the same `ENV`", kv.key),
                            );
                        }
                    }
                    known.extend(kvs.iter().map(|k| k.key.clone()));
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
    fn flags_self_reference() {
        assert_eq!(lines("DL3044", "FROM a:1\nENV A=/x B=$A/bin\n"), vec![2]);
        assert_eq!(lines("DL3044", "FROM a:1\nENV A=/x B=${A}/bin\n"), vec![2]);
    }

    #[test]
    fn clean_when_defined_before_or_own_value() {
        assert!(lines(
            "DL3044",
            "FROM a:1\nENV A=/x\nENV A=/y B=$A\nENV PATH=$PATH:/z\nENV C=1 D=$CC\n"
        )
        .is_empty());
    }
}
