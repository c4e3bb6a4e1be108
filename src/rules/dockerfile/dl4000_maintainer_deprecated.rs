use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4000",
    name: "maintainer-deprecated",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "MAINTAINER is deprecated",
    what: "Reports every `MAINTAINER` instruction.",
    why: "MAINTAINER has been deprecated since Docker 1.13; the OCI label `org.opencontainers.image.authors` carries the same information where tools look for it.",
    bad: "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() == Keyword::Maintainer && !inst.onbuild {
                emit(
                    out,
                    df,
                    inst,
                    "`MAINTAINER` is deprecated; use `LABEL org.opencontainers.image.authors=...`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_maintainer() {
        assert_eq!(lines("DL4000", "FROM a:1\nMAINTAINER me\n"), vec![2]);
    }

    #[test]
    fn clean_with_label() {
        assert!(lines(
            "DL4000",
            "FROM a:1\nLABEL org.opencontainers.image.authors=me\n"
        )
        .is_empty());
    }
}
