use super::support::{copy_paths, declare_rule, dockerfiles, emit, flag};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3067",
    name: "copy-whole-filesystem",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Do not copy an entire filesystem from another stage",
    what: "Reports `COPY --from=X / /`.",
    why: "Copying the whole filesystem of another stage brings its package databases, caches and tools along: the image is as big as the builder and defeats the multi-stage build.",
    bad: "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build / /\n",
    good: "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /out/app /app\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Copy || flag(inst.ins, "from").is_none() {
                continue;
            }
            let (srcs, dest) = copy_paths(inst.ins);
            if dest.as_deref() == Some("/") && srcs.iter().any(|s| s == "/") {
                emit(
                    out,
                    df,
                    inst,
                    "copies the whole filesystem of another stage",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_root_copy() {
        assert_eq!(
            lines("DL3067", "FROM a:1 AS b\nFROM scratch\nCOPY --from=b / /\n"),
            vec![3]
        );
    }

    #[test]
    fn clean_on_specific_paths() {
        assert!(lines(
            "DL3067",
            "FROM a:1 AS b\nFROM scratch\nCOPY --from=b /app /\nCOPY / /\n"
        )
        .is_empty());
    }
}
