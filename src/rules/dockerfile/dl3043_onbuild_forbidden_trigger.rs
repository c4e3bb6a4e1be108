use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3043",
    name: "onbuild-forbidden-trigger",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER",
    what: "Reports `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.",
    why: "Docker forbids these triggers; the build of the image using this one as a base fails.",
    bad: "FROM node:20\nONBUILD FROM alpine:3.20\n",
    good: "FROM node:20\nONBUILD COPY . /app\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if inst.onbuild
                && matches!(
                    inst.keyword(),
                    Keyword::Onbuild | Keyword::From | Keyword::Maintainer
                )
            {
                emit(
                    out,
                    df,
                    inst,
                    format!("`ONBUILD {}` is not allowed", inst.keyword().as_str()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_forbidden_triggers() {
        assert_eq!(
            lines(
                "DL3043",
                "FROM a:1\nONBUILD FROM b:1\nONBUILD MAINTAINER me\n"
            ),
            vec![2, 3]
        );
    }

    #[test]
    fn clean_on_allowed_triggers() {
        assert!(lines(
            "DL3043",
            "FROM a:1\nONBUILD RUN make\nONBUILD COPY . /app\n"
        )
        .is_empty());
    }
}
