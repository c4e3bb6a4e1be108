use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3061",
    name: "instruction-before-from",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Dockerfile must begin with FROM, ARG or a comment",
    what: "Reports every instruction other than `ARG` that comes before the first `FROM`.",
    why: "Docker rejects such a Dockerfile: only ARG (and parser directives and comments) may precede the first FROM.",
    bad: "ENV NODE_ENV=production\nFROM node:20\n",
    good: "FROM node:20\nENV NODE_ENV=production\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.top() {
            match inst.keyword() {
                Keyword::From => break,
                Keyword::Arg => {}
                k => {
                    let k = k.as_str().to_string();
                    emit(out, df, &inst, format!("`{k}` before the first `FROM`"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_instruction_before_from() {
        assert_eq!(lines("DL3061", "ENV A=1\nFROM a:1\n"), vec![1]);
    }

    #[test]
    fn clean_with_args_and_comments_first() {
        assert!(lines(
            "DL3061",
            "# syntax=docker/dockerfile:1\n# c\nARG V=1\nFROM a:$V\nENV A=1\n"
        )
        .is_empty());
    }
}
