use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3052",
    name: "label-not-url",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is not a valid URL",
    what: "Reports a URL-typed schema label whose value is not an absolute URL (scheme, `:`, and a non-empty rest without spaces). Only labels that `label-schema` in `.hadolint.yaml` types as `url` are checked; without a schema nothing is reported.",
    why: "Tools follow these labels (for example `org.opencontainers.image.source` links an image to its repository); a malformed URL breaks the link.",
    bad: "# .hadolint.yaml: label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=github.com/x\n",
    good: "# .hadolint.yaml: label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/x/y\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::Url) {
            if !valid(&value) {
                emit(out, df, &inst, format!("label `{key}` is not a valid URL"));
            }
        }
    }
}

fn valid(v: &str) -> bool {
    match v.split_once(":") {
        Some((scheme, rest)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !v.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  org.opencontainers.image.source: url\n";

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3052",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.source=github.com/x\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3052",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.source=https://github.com/x/y\n"
                )
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3052",
            &[(
                "Dockerfile",
                "FROM a:1\nLABEL org.opencontainers.image.source=github.com/x\n"
            )]
        )
        .is_empty());
    }
}
