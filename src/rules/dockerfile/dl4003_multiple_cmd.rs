use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4003",
    name: "multiple-cmd",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "A stage should have at most one CMD",
    what: "Reports every `CMD` after the first one in the same stage.",
    why:
        "Only the last CMD takes effect; the others mislead readers about what the container runs.",
    bad: "FROM node:20\nCMD [\"npm\", \"start\"]\nCMD [\"node\", \"server.js\"]\n",
    good: "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
};

declare_rule!();

pub fn repeated(cx: &Context<'_>, out: &mut Sink<'_>, kw: Keyword, what: &str) {
    for df in dockerfiles(cx) {
        for (s, _) in df.stages.iter().enumerate() {
            let all: Vec<_> = df
                .stage_insts(s)
                .into_iter()
                .filter(|i| *i.keyword() == kw)
                .collect();
            for inst in all.iter().skip(1) {
                emit(out, &df, inst, what);
            }
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    repeated(
        cx,
        out,
        Keyword::Cmd,
        "more than one `CMD` in this stage; only the last one applies",
    );
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_second_cmd() {
        assert_eq!(lines("DL4003", "FROM a:1\nCMD a\nCMD b\n"), vec![3]);
    }

    #[test]
    fn clean_with_one_per_stage() {
        assert!(lines("DL4003", "FROM a:1\nCMD a\nFROM b:1\nCMD b\n").is_empty());
    }
}
