use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3050",
    name: "superfluous-label",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A label is not in the label schema (strict labels)",
    what: "With `strict-labels: true` and a `label-schema` in `.hadolint.yaml`, reports a `LABEL` key that the schema does not list. Otherwise nothing is reported.",
    why: "A strict schema keeps image metadata uniform across a fleet; stray labels are usually typos of schema keys.",
    bad: "# .hadolint.yaml: strict-labels: true, label-schema: {maintainer: text}\nFROM alpine:3.20\nLABEL maintainr=me\n",
    good: "# .hadolint.yaml: strict-labels: true, label-schema: {maintainer: text}\nFROM alpine:3.20\nLABEL maintainer=me\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let Some(cfg) = cx.hadolint else {
            continue;
        };
        if !cfg.strict_labels {
            continue;
        }
        for inst in df.insts() {
            if let (Keyword::Label, Args::KeyValues(kvs)) = (inst.keyword(), &inst.ins.args) {
                for kv in kvs {
                    if !cfg.label_schema.iter().any(|(k, _)| *k == kv.key) {
                        emit(
                            out,
                            df,
                            inst,
                            format!("label `{}` is not in the label schema", kv.key),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "strict-labels: true\nlabel-schema:\n  maintainer: text\n";

    #[test]
    fn flags_unknown_label() {
        let f = findings_of(
            "DL3050",
            &[
                (".hadolint.yaml", CFG),
                ("Dockerfile", "FROM a:1\nLABEL x=1\n"),
            ],
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn clean_on_schema_label_or_not_strict() {
        assert!(findings_of(
            "DL3050",
            &[
                (".hadolint.yaml", CFG),
                ("Dockerfile", "FROM a:1\nLABEL maintainer=1\n")
            ]
        )
        .is_empty());
        assert!(findings_of("DL3050", &[("Dockerfile", "FROM a:1\nLABEL x=1\n")]).is_empty());
    }
}
