use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3051",
    name: "label-empty",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is empty",
    what: "Reports a schema label whose value is empty. Only labels that `label-schema` in `.hadolint.yaml` types as `text` are checked; without a schema nothing is reported.",
    why: "An empty required label satisfies the schema on paper while carrying no information.",
    bad: "# .hadolint.yaml: label-schema: {maintainer: text}\nFROM alpine:3.20\nLABEL maintainer=\"\"\n",
    good: "# .hadolint.yaml: label-schema: {maintainer: text}\nFROM alpine:3.20\nLABEL maintainer=team-a\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::Text) {
            if !valid(&value) {
                emit(out, df, &inst, format!("label `{key}` is empty"));
            }
        }
    }
}

fn valid(v: &str) -> bool {
    !v.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  maintainer: text\n";

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3051",
            &[
                (".hadolint.yaml", CFG),
                ("Dockerfile", "FROM a:1\nLABEL maintainer=\"\"\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3051",
            &[
                (".hadolint.yaml", CFG),
                ("Dockerfile", "FROM a:1\nLABEL maintainer=team-a\n")
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3051",
            &[("Dockerfile", "FROM a:1\nLABEL maintainer=\"\"\n")]
        )
        .is_empty());
    }
}
