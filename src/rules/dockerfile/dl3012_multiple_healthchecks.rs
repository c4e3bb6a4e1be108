use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3012",
    name: "multiple-healthchecks",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A stage should have at most one HEALTHCHECK",
    what: "Reports every `HEALTHCHECK` after the first one in the same stage.",
    why: "Only the last HEALTHCHECK takes effect; the earlier ones are dead code that readers will believe in.",
    bad: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\nHEALTHCHECK CMD wget -q -O- http://localhost/\n",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (s, _) in df.stages.iter().enumerate() {
            let hc: Vec<_> = df
                .stage_insts(s)
                .into_iter()
                .filter(|i| *i.keyword() == Keyword::Healthcheck)
                .collect();
            for inst in hc.iter().skip(1) {
                emit(
                    out,
                    df,
                    inst,
                    "more than one `HEALTHCHECK` in this stage; only the last one applies",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_second_healthcheck() {
        assert_eq!(
            lines(
                "DL3012",
                "FROM a:1\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn clean_with_one_per_stage() {
        assert!(lines(
            "DL3012",
            "FROM a:1\nHEALTHCHECK CMD true\nFROM b:1\nHEALTHCHECK CMD true\n"
        )
        .is_empty());
    }
}
