use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3058",
    name: "label-not-email",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is not an email address",
    what: "Reports an email-typed schema label whose value is not an address of the form `local@domain.tld`. Only labels that `label-schema` in `.hadolint.yaml` types as `email` are checked; without a schema nothing is reported.",
    why: "Contact labels are used to reach an image's owners; a malformed address reaches nobody.",
    bad: "# .hadolint.yaml: label-schema: {maintainer: email}\nFROM alpine:3.20\nLABEL maintainer=team-a\n",
    good: "# .hadolint.yaml: label-schema: {maintainer: email}\nFROM alpine:3.20\nLABEL maintainer=team-a@example.com\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::Email) {
            if !valid(&value) {
                emit(
                    out,
                    df,
                    &inst,
                    format!("label `{key}` is not a valid email address"),
                );
            }
        }
    }
}

fn valid(v: &str) -> bool {
    match v.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !v.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  maintainer: email\n";

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3058",
            &[
                (".hadolint.yaml", CFG),
                ("Dockerfile", "FROM a:1\nLABEL maintainer=team-a\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3058",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL maintainer=team-a@example.com\n"
                )
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3058",
            &[("Dockerfile", "FROM a:1\nLABEL maintainer=team-a\n")]
        )
        .is_empty());
    }
}
