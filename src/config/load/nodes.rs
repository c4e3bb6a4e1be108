//! Typed reading of the config's YAML nodes: each reader names the key and
//! what it expected, at the node's line and column.

use super::{ConfigError, Loader, R};
use crate::checklist::StepId;
use crate::config::compile_glob;
use crate::config::suggest::did_you_mean;
use crate::kind::RepositoryKind;
use kubeready_yaml::{Node, Value};

pub(super) fn kind(n: &Node) -> &'static str {
    match &n.value {
        Value::Null => "nothing",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::Scalar(_) => {
            if n.as_bool().is_some() {
                "a boolean"
            } else if n.as_f64().is_some() {
                "a number"
            } else {
                "a string"
            }
        }
    }
}
impl Loader<'_> {
    pub(super) fn at(&self, line: u32, column: Option<u32>, message: String) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            line: line.max(1),
            column: column.map(|c| c.max(1)),
            message,
        }
    }

    pub(super) fn err(&self, n: &Node, message: String) -> ConfigError {
        self.at(n.line, Some(n.column), message)
    }

    pub(super) fn expected(&self, n: &Node, what: &str, expected: &str) -> ConfigError {
        self.err(n, format!("`{what}` must be {expected}, found {}", kind(n)))
    }

    /// The entries of a mapping; a null value is an empty mapping.
    pub(super) fn map<'n>(&self, n: &'n Node, what: &str) -> R<&'n [kubeready_yaml::Entry]> {
        match &n.value {
            Value::Map(entries) => Ok(entries),
            Value::Null => Ok(&[]),
            _ => Err(self.expected(n, what, "a mapping")),
        }
    }

    /// A mapping key as text, checked against `known`.
    pub(super) fn key<'n>(
        &self,
        e: &'n kubeready_yaml::Entry,
        known: &[&str],
        within: &str,
    ) -> R<&'n str> {
        let Some(k) = e.key_str() else {
            return Err(self.err(&e.key, format!("keys of `{within}` must be strings")));
        };
        if known.contains(&k) {
            return Ok(k);
        }
        let place = if within.is_empty() {
            String::new()
        } else {
            format!(" in `{within}`")
        };
        Err(self.err(
            &e.key,
            format!(
                "unknown key `{k}`{place}{}",
                did_you_mean(k, known.iter().copied())
            ),
        ))
    }

    pub(super) fn string(&self, n: &Node, what: &str) -> R<String> {
        match &n.value {
            Value::Scalar(s) if !s.text.trim().is_empty() => Ok(s.text.trim().to_string()),
            Value::Scalar(_) => Err(self.err(n, format!("`{what}` must not be empty"))),
            _ => Err(self.expected(n, what, "a string")),
        }
    }

    /// A list of strings; a single string counts as a list of one, and
    /// nothing as an empty list.
    pub(super) fn strings<'n>(&self, n: &'n Node, what: &str) -> R<Vec<(String, &'n Node)>> {
        match &n.value {
            Value::Null => Ok(Vec::new()),
            Value::Scalar(_) => Ok(vec![(self.string(n, what)?, n)]),
            Value::Seq(items) => items
                .iter()
                .map(|i| match &i.value {
                    Value::Scalar(_) => Ok((self.string(i, what)?, i)),
                    _ => Err(self.err(
                        i,
                        format!("items of `{what}` must be strings, found {}", kind(i)),
                    )),
                })
                .collect(),
            Value::Map(_) => Err(self.expected(n, what, "a list of strings")),
        }
    }

    pub(super) fn globs(&self, n: &Node, what: &str) -> R<Vec<String>> {
        let mut out = Vec::new();
        for (p, node) in self.strings(n, what)? {
            if let Err(e) = compile_glob(&p) {
                return Err(self.err(node, format!("invalid glob `{p}` in `{what}`: {e}")));
            }
            if p.starts_with('/') || p.split('/').any(|c| c == "..") {
                return Err(self.err(
                    node,
                    format!("`{p}` in `{what}` must be relative to the audited root"),
                ));
            }
            out.push(p);
        }
        Ok(out)
    }

    pub(super) fn bool(&self, n: &Node, what: &str) -> R<bool> {
        n.as_bool()
            .ok_or_else(|| self.expected(n, what, "`true` or `false`"))
    }

    pub(super) fn step(&self, n: &Node, text: &str) -> R<StepId> {
        StepId::from_id(text).ok_or_else(|| {
            self.err(
                n,
                format!(
                    "unknown step `{text}`{} (steps: {})",
                    did_you_mean(text, StepId::ALL.iter().map(|s| s.id())),
                    StepId::ALL.map(|s| s.id()).join(", ")
                ),
            )
        })
    }

    pub(super) fn kind(&self, n: &Node) -> R<RepositoryKind> {
        let text = self.string(n, "kind")?;
        RepositoryKind::from_id(&text).ok_or_else(|| {
            self.err(
                n,
                format!(
                    "unknown repository kind `{text}`{} (kinds: {})",
                    did_you_mean(&text, RepositoryKind::ALL.iter().map(|k| k.as_str())),
                    RepositoryKind::ALL.map(|k| k.as_str()).join(", ")
                ),
            )
        })
    }
}
