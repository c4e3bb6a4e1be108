use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4003",
    name: "multiple-cmd",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A stage should have at most one CMD",
    what: "Reports every `CMD` after the first one in the same stage (or, in a file that lacks a `FROM`, before the first `FROM`).",
    why:
        "Only the last CMD takes effect; the others mislead readers about what the container runs.",
    bad: "FROM node:20\nCMD [\"npm\", \"start\"]\nCMD [\"node\", \"server.js\"]\n",
    good: "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
};

declare_rule!();

/// Reports every `kw` after the first one of its stage. Instructions before
/// the first `FROM` (DL3061 reports them too) form a group of their own, as
/// in hadolint.
pub fn repeated(cx: &Context<'_>, out: &mut Sink<'_>, kw: Keyword, what: &str) {
    for df in dockerfiles(cx) {
        let mut seen = false;
        for inst in df.top() {
            if *inst.keyword() == Keyword::From {
                seen = false;
            } else if *inst.keyword() == kw {
                if seen {
                    emit(out, df, &inst, what);
                }
                seen = true;
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
    fn flags_second_cmd_before_any_from() {
        // BuildKit testfiles/json/Dockerfile: CMDs and no FROM at all.
        assert_eq!(
            lines("DL4003", "CMD []\nCMD [\"a\"]\nCMD [\"a\", \"b\"]\n"),
            vec![2, 3]
        );
        assert_eq!(
            lines("DL4003", "CMD a\nFROM a:1\nCMD b\n"),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn clean_with_one_per_stage() {
        assert!(lines("DL4003", "FROM a:1\nCMD a\nFROM b:1\nCMD b\n").is_empty());
    }
}
