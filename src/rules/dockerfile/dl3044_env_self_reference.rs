use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};
use std::collections::{HashMap, HashSet};

static DOC: RuleDoc = RuleDoc {
    code: "DL3044",
    name: "env-self-reference",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Do not use a variable in the same ENV that defines it",
    what: "Reports an `ENV` that defines a variable and refers to it (`$NAME` or `${NAME}`) in another pair of the same instruction, when the variable was not defined before.",
    why: "All pairs of one ENV are expanded with the values from before the instruction, so the reference is empty (or the old value), not the one just set.",
    bad: "FROM alpine:3.20\nENV APP=/opt/app PATH=$APP/bin:$PATH\n",
    good: "FROM alpine:3.20\nENV APP=/opt/app\nENV PATH=$APP/bin:$PATH\n",
};

declare_rule!();

/// The variable names a text refers to (`$NAME`, `${NAME...}`).
pub fn var_refs(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let braced = b.get(i + 1) == Some(&b'{');
            let start = if braced { i + 2 } else { i + 1 };
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > start {
                out.push(text[start..j].to_string());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

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
                    // name -> indices of the pairs whose value refers to it
                    let mut referenced: HashMap<String, Vec<usize>> = HashMap::new();
                    for (j, kv) in kvs.iter().enumerate() {
                        for name in var_refs(kv.raw_value.as_deref().unwrap_or("")) {
                            let v = referenced.entry(name).or_default();
                            if v.last() != Some(&j) {
                                v.push(j);
                            }
                        }
                    }
                    for (i, kv) in kvs.iter().enumerate() {
                        if known.contains(&kv.key) {
                            continue;
                        }
                        let used = referenced
                            .get(&kv.key)
                            .is_some_and(|js| js.iter().any(|&j| j != i));
                        if used {
                            emit(
                                out,
                                df,
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
