//! A repository's `.hadolint.yaml`, as far as kubeready honours it:
//! `ignored` and `override` (applied to findings by [`crate::suppress`]),
//! and `trustedRegistries`, `label-schema` and `strict-labels` (settings
//! the Dockerfile rules receive through [`crate::rules::Context`]).
//! `failure-threshold` is recorded.

use crate::finding::Severity;
use crate::walk::Tree;

/// A label type of hadolint's `label-schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelType {
    Text,
    Url,
    SemVer,
    GitHash,
    Rfc3339,
    Spdx,
    Email,
}

impl LabelType {
    fn parse(s: &str) -> Option<LabelType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "semver" => LabelType::SemVer,
            "hash" => LabelType::GitHash,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            _ => return None,
        })
    }
}

/// A repository's `.hadolint.yaml`, as far as kubeready honours it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HadolintConfig {
    pub file: String,
    pub ignored: Vec<String>,
    /// Severity overrides by code.
    pub overrides: Vec<(String, Severity)>,
    pub trusted_registries: Vec<String>,
    pub label_schema: Vec<(String, LabelType)>,
    pub strict_labels: bool,
    /// Recorded; gating is the CLI's business.
    pub failure_threshold: Option<String>,
}

impl HadolintConfig {
    pub fn parse(file: &str, text: &str) -> Option<HadolintConfig> {
        let root = kubeready_yaml::load_one(text).ok()?;
        let mut cfg = HadolintConfig {
            file: file.to_string(),
            ..Default::default()
        };
        let strings = |key: &str| -> Vec<String> {
            root.get(key)
                .map(|n| {
                    n.str_or_seq()
                        .into_iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        cfg.ignored = strings("ignored")
            .into_iter()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        cfg.trusted_registries = strings("trustedRegistries");
        if let Some(ov) = root.get("override") {
            for level in ["error", "warning", "info", "style"] {
                let Some(sev) = Severity::parse(level) else {
                    continue;
                };
                if let Some(list) = ov.get(level) {
                    for c in list.str_or_seq() {
                        if let Some(code) = c.as_str() {
                            cfg.overrides.push((code.to_ascii_uppercase(), sev));
                        }
                    }
                }
            }
        }
        if let Some(map) = root.get("label-schema").and_then(|n| n.as_map()) {
            for e in map {
                if let (Some(k), Some(v)) = (e.key_str(), e.value.as_str()) {
                    if let Some(t) = LabelType::parse(v) {
                        cfg.label_schema.push((k.to_string(), t));
                    }
                }
            }
        }
        cfg.strict_labels = root
            .get("strict-labels")
            .and_then(|n| n.as_bool())
            .unwrap_or(false);
        cfg.failure_threshold = root
            .get("failure-threshold")
            .and_then(|n| n.as_str())
            .map(str::to_string);
        Some(cfg)
    }

    pub fn override_for(&self, code: &str) -> Option<Severity> {
        self.overrides
            .iter()
            .rev()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, s)| *s)
    }
}

/// Reads `.hadolint.yaml` (or `.hadolint.yml`) at the audited root.
pub fn read_hadolint_config(tree: &Tree) -> Option<HadolintConfig> {
    for name in [".hadolint.yaml", ".hadolint.yml"] {
        if tree.has_file(name) {
            if let Ok(text) = tree.read_text(name) {
                return HadolintConfig::parse(name, &text);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hadolint_yaml_parses_all_keys() {
        let c = HadolintConfig::parse(
            ".hadolint.yaml",
            "trustedRegistries:\n  - docker.io\n  - '*.gcr.io'\nlabel-schema:\n  maintainer: text\n  org.opencontainers.image.source: url\nstrict-labels: true\nfailure-threshold: error\n",
        )
        .unwrap();
        assert_eq!(c.trusted_registries, vec!["docker.io", "*.gcr.io"]);
        assert_eq!(c.label_schema.len(), 2);
        assert!(c.strict_labels);
        assert_eq!(c.failure_threshold.as_deref(), Some("error"));
    }
}
