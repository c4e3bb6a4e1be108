use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3055",
    name: "label-not-git-hash",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is not a git commit hash",
    what: "Reports a hash-typed schema label whose value is not a 7- or 40-character lower-case hexadecimal commit id. Only labels that `label-schema` in `.hadolint.yaml` types as `hash` are checked; without a schema nothing is reported.",
    why: "The revision label ties an image to the exact commit it was built from; anything else cannot be looked up.",
    bad: "# .hadolint.yaml: label-schema: {org.opencontainers.image.revision: hash}\nFROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n",
    good: "# .hadolint.yaml: label-schema: {org.opencontainers.image.revision: hash}\nFROM alpine:3.20\nLABEL org.opencontainers.image.revision=0123abc\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::GitHash) {
            if !valid(&value) {
                emit(
                    out,
                    df,
                    &inst,
                    format!("label `{key}` is not a git commit hash"),
                );
            }
        }
    }
}

fn valid(v: &str) -> bool {
    (v.len() == 7 || v.len() == 40)
        && v.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  org.opencontainers.image.revision: hash\n";

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3055",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.revision=main\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3055",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.revision=0123abc\n"
                )
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3055",
            &[(
                "Dockerfile",
                "FROM a:1\nLABEL org.opencontainers.image.revision=main\n"
            )]
        )
        .is_empty());
    }
}
