use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4001",
    name: "wget-and-curl",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use either wget or curl, not both",
    what: "Reports a `RUN` that uses `wget` or `curl` in a stage where the other tool was already used (or both in the same RUN).",
    why: "Both tools do the same job; needing both in one image means two packages, two sets of CVEs and two behaviours to know.",
    bad: "FROM debian:12\nRUN curl -fsSL https://a/x -o /x\nRUN wget -q https://b/y\n",
    good: "FROM debian:12\nRUN curl -fsSL https://a/x -o /x && curl -fsSL https://b/y -o /y\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let (mut curl, mut wget) = (false, false);
        for inst in df.insts() {
            match inst.keyword() {
                Keyword::From if !inst.onbuild => (curl, wget) = (false, false),
                Keyword::Run => {
                    let Some(sh) = df.shell(inst) else {
                        continue;
                    };
                    let (c, w) = (sh.uses("curl"), sh.uses("wget"));
                    curl |= c;
                    wget |= w;
                    if (c || w) && curl && wget {
                        emit(
                            out,
                            df,
                            inst,
                            "both `wget` and `curl` are used in this stage; pick one",
                        );
                    }
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
    fn flags_both() {
        assert_eq!(
            lines(
                "DL4001",
                "FROM a:1\nRUN curl -o x https://x\nRUN wget -q https://y\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn clean_with_one_tool_per_stage() {
        assert!(lines(
            "DL4001",
            "FROM a:1\nRUN curl -o x https://x\nFROM b:1\nRUN wget -q https://y\n"
        )
        .is_empty());
    }
}
