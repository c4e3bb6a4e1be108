use super::support::declare_rule;
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4004",
    name: "multiple-entrypoint",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A stage should have at most one ENTRYPOINT",
    what: "Reports every `ENTRYPOINT` after the first one in the same stage (or, in a file that lacks a `FROM`, before the first `FROM`).",
    why: "Only the last ENTRYPOINT takes effect, so the earlier one is dead and the container may not start the way the author believes.",
    bad: "FROM node:20\nENTRYPOINT [\"tini\", \"--\"]\nENTRYPOINT [\"node\"]\n",
    good: "FROM node:20\nENTRYPOINT [\"tini\", \"--\", \"node\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    super::dl4003_multiple_cmd::repeated(
        cx,
        out,
        Keyword::Entrypoint,
        "more than one `ENTRYPOINT` in this stage; only the last one applies",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_second_entrypoint() {
        assert_eq!(
            lines(
                "DL4004",
                "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn clean_with_one() {
        assert!(lines("DL4004", "FROM a:1\nENTRYPOINT [\"a\"]\nCMD [\"b\"]\n").is_empty());
    }
}
