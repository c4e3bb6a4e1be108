use super::dl3049_label_missing::schema_labels;
use super::support::{declare_rule, dockerfiles, emit};
use crate::config::hadolint::LabelType;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3054",
    name: "label-not-spdx",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A schema label is not an SPDX license identifier",
    what: "Reports an spdx-typed schema label whose value is not an SPDX license expression made of known-looking identifiers (`MIT`, `Apache-2.0`, `GPL-2.0-only OR MIT`). Only labels that `label-schema` in `.hadolint.yaml` types as `spdx` are checked; without a schema nothing is reported.",
    why: "License scanners and registries read `org.opencontainers.image.licenses` as SPDX; free text cannot be checked.",
    bad: "# .hadolint.yaml: label-schema: {org.opencontainers.image.licenses: spdx}\nFROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"the MIT license\"\n",
    good: "# .hadolint.yaml: label-schema: {org.opencontainers.image.licenses: spdx}\nFROM alpine:3.20\nLABEL org.opencontainers.image.licenses=Apache-2.0\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for (inst, key, value) in schema_labels(cx.hadolint, df, LabelType::Spdx) {
            if !valid(&value) {
                emit(
                    out,
                    df,
                    &inst,
                    format!("label `{key}` is not a valid SPDX license expression"),
                );
            }
        }
    }
}

/// A license identifier of the SPDX list (the `spdx` crate's copy, deprecated
/// ones such as `GPL-2.0` included), compared without case, as hadolint
/// accepts `mit`; a trailing `+` means "or later".
fn known_license(id: &str) -> bool {
    let id = id.strip_suffix('+').unwrap_or(id);
    spdx::license_id(id).is_some()
        || spdx::identifiers::LICENSES
            .iter()
            .any(|l| l.name.eq_ignore_ascii_case(id))
        || id.starts_with("LicenseRef-")
        || id.starts_with("DocumentRef-")
}

/// An exception of the SPDX list (after `WITH`).
fn known_exception(id: &str) -> bool {
    spdx::exception_id(id).is_some()
        || spdx::identifiers::EXCEPTIONS
            .iter()
            .any(|e| e.name.eq_ignore_ascii_case(id))
        || id.starts_with("AdditionRef-")
}

fn valid(v: &str) -> bool {
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    // Identifiers joined by operators: an odd count, no trailing operator.
    if words.len().is_multiple_of(2) {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        if i % 2 == 1 {
            matches!(*w, "AND" | "OR" | "WITH")
        } else if i > 0 && words[i - 1] == "WITH" {
            known_exception(w)
        } else {
            known_license(w)
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  org.opencontainers.image.licenses: spdx\n";

    #[test]
    fn identifiers_come_from_the_spdx_list() {
        use super::valid;
        for ok in [
            "MIT",
            "mit",
            "Apache-2.0",
            "GPL-2.0",
            "GPL-2.0-only OR MIT",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "LGPL-2.1+",
            "LicenseRef-Proprietary",
            // Not in the old hand-kept list, but in SPDX's.
            "BlueOak-1.0.0",
            "MPL-2.0-no-copyleft-exception",
        ] {
            assert!(valid(ok), "{ok}");
        }
        for bad in [
            "",
            "the MIT license",
            "MIT OR",
            "Apache 2",
            "MIT WITH NotAnException",
        ] {
            assert!(!valid(bad), "{bad}");
        }
    }

    #[test]
    fn flags_invalid_value() {
        let f = findings_of(
            "DL3054",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.licenses=\"the MIT license\"\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_on_valid_value_or_without_schema() {
        assert!(findings_of(
            "DL3054",
            &[
                (".hadolint.yaml", CFG),
                (
                    "Dockerfile",
                    "FROM a:1\nLABEL org.opencontainers.image.licenses=Apache-2.0\n"
                )
            ]
        )
        .is_empty());
        assert!(findings_of(
            "DL3054",
            &[(
                "Dockerfile",
                "FROM a:1\nLABEL org.opencontainers.image.licenses=\"the MIT license\"\n"
            )]
        )
        .is_empty());
    }
}
