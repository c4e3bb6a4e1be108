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

const IDS: &[&str] = &[
    "0BSD",
    "AFL-3.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "MS-PL",
    "MS-RL",
    "NCSA",
    "OFL-1.1",
    "OpenSSL",
    "PHP-3.01",
    "PostgreSQL",
    "Python-2.0",
    "Ruby",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
];

fn valid(v: &str) -> bool {
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        if i % 2 == 1 {
            matches!(*w, "AND" | "OR" | "WITH")
        } else {
            let id = w.strip_suffix('+').unwrap_or(w);
            IDS.iter().any(|k| k.eq_ignore_ascii_case(id))
                || id.starts_with("LicenseRef-")
                || id.ends_with("-exception")
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  org.opencontainers.image.licenses: spdx\n";

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
