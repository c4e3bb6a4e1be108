use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3056",
    name: "label-not-semver",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is not a semantic version",
    what: "Reports a semver-typed schema label whose value is not `MAJOR.MINOR.PATCH` with optional pre-release and build parts. Only labels that `label-schema` in `.hadolint.yaml` types as `semver` are checked; without a schema nothing is reported.",
    why: "Version labels are compared by tools; semantic versions sort and compare reliably.",
    bad: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=v1\n",
    good: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=1.4.2-rc.1\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::SemVer) {
            if !valid(&value) {
                emit(
                    out,
                    df,
                    &inst,
                    format!("label `{key}` does not follow semantic versioning"),
                );
            }
        }
    }
}

fn valid(v: &str) -> bool {
    let (core, _build) = v.split_once('+').unwrap_or((v, ""));
    let (core, pre) = match core.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (core, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    let num_ok = |n: &&str| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    nums.len() == 3
        && nums.iter().all(num_ok)
        && pre.is_none_or(|p| {
            !p.is_empty()
                && p.split('.').all(|x| {
                    !x.is_empty() && x.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  org.opencontainers.image.version: semver\n";

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3056",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.version=v1\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3056",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.version=1.4.2-rc.1\n"
                )
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3056",
            &[(
                "Dockerfile",
                "FROM a:1\nLABEL org.opencontainers.image.version=v1\n"
            )]
        )
        .is_empty());
    }
}
