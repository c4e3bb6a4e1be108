use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3053",
    name: "label-not-rfc3339",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is not an RFC 3339 time",
    what: "Reports an rfc3339-typed schema label whose value is not a date-time such as `2024-05-01T12:00:00Z`. Only labels that `label-schema` in `.hadolint.yaml` types as `rfc3339` are checked; without a schema nothing is reported.",
    why: "Build dates in labels are compared and sorted by tools; only RFC 3339 is unambiguous.",
    bad: "# .hadolint.yaml: label-schema: {org.opencontainers.image.created: rfc3339}\nFROM alpine:3.20\nLABEL org.opencontainers.image.created=yesterday\n",
    good: "# .hadolint.yaml: label-schema: {org.opencontainers.image.created: rfc3339}\nFROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01T12:00:00Z\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::Rfc3339) {
            if !valid(&value) {
                emit(
                    out,
                    df,
                    &inst,
                    format!("label `{key}` is not an RFC 3339 date-time"),
                );
            }
        }
    }
}

fn valid(v: &str) -> bool {
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
        || !digits(11..13)
        || !digits(14..16)
        || !digits(17..19)
    {
        return false;
    }
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return false;
    }
    let mut rest = &v[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.chars().take_while(char::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if rest == "Z" || rest == "z" {
        return true;
    }
    let rb = rest.as_bytes();
    rb.len() == 6
        && matches!(rb.first(), Some(b'+' | b'-'))
        && rb.get(3) == Some(&b':')
        && [1, 2, 4, 5]
            .iter()
            .all(|&i| rb.get(i).is_some_and(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  org.opencontainers.image.created: rfc3339\n";

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3053",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.created=yesterday\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3053",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.created=2024-05-01T12:00:00Z\n"
                )
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3053",
            &[(
                "Dockerfile",
                "FROM a:1\nLABEL org.opencontainers.image.created=yesterday\n"
            )]
        )
        .is_empty());
    }
}
