//! Small helpers over `kubeready_yaml` nodes and problem reporting, shared
//! by the Kubernetes-side parsers.

use crate::parse::{ParseProblem, ProblemKind};
use kubeready_yaml::{load, Duplicate, Limits, Loaded, Node};

/// The node at a path of mapping keys.
pub fn at<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    let mut cur = node;
    for k in keys {
        cur = cur.get(k)?;
    }
    Some(cur)
}

/// A non-empty scalar's text at a path of keys.
pub fn str_at<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a str> {
    at(node, keys)?.as_str().filter(|s| !s.is_empty())
}

/// An owned non-empty scalar at a path of keys.
pub fn string_at(node: &Node, keys: &[&str]) -> Option<String> {
    str_at(node, keys).map(str::to_string)
}

/// The line of `key`'s key in a mapping, else the mapping's own line.
pub fn key_line(node: &Node, key: &str) -> u32 {
    node.entry(key).map_or(node.line, |e| e.key.line)
}

/// A mapping of scalars as `(key, value)` pairs, in source order; entries
/// with non-scalar keys or values are left out (nulls become `""`).
pub fn string_map(node: Option<&Node>) -> Vec<(String, String)> {
    let Some(entries) = node.and_then(Node::as_map) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let k = e.key_str()?;
            let v = if e.value.is_null() {
                ""
            } else {
                e.value.as_str()?
            };
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

/// The items of a sequence at a path (empty when absent or not a sequence).
pub fn seq_at<'a>(node: &'a Node, keys: &[&str]) -> &'a [Node] {
    at(node, keys).and_then(Node::as_seq).unwrap_or(&[])
}

/// Whether a value is present and not null/empty.
pub fn present(node: Option<&Node>) -> bool {
    match node {
        None => false,
        Some(n) => match (n.as_map(), n.as_seq()) {
            (Some(m), _) => !m.is_empty(),
            (_, Some(s)) => !s.is_empty(),
            _ => !n.is_null(),
        },
    }
}

/// Loads a YAML stream; when `ours`, a syntax error becomes a problem.
pub fn load_yaml(file: &str, text: &str, ours: bool, problems: &mut Vec<ParseProblem>) -> Loaded {
    let loaded = load(text, &Limits::default());
    if ours {
        if let Some(e) = &loaded.error {
            problems.push(syntax_problem(file, e));
        }
    }
    loaded
}

pub fn syntax_problem(file: &str, e: &kubeready_yaml::YamlError) -> ParseProblem {
    let mut p = ParseProblem::new(
        file,
        e.line,
        ProblemKind::Syntax,
        format!("YAML syntax error: {}", e.message),
    );
    p.column = Some(e.column.max(1));
    p
}

pub fn duplicate_problem(file: &str, d: &Duplicate) -> ParseProblem {
    ParseProblem::new(
        file,
        d.line,
        ProblemKind::Partial,
        format!(
            "duplicate key `{}` (first on line {}); the last value is used",
            d.key, d.first_line
        ),
    )
}

/// Resolves a path written in a config file against that file's folder;
/// `None` for remote references and paths escaping the root.
pub fn resolve(base_dir: &str, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || is_remote(raw) || raw.starts_with('/') {
        return None;
    }
    crate::paths::join(base_dir, raw)
}

/// URLs, `git@` and `github.com/...` style references.
pub fn is_remote(raw: &str) -> bool {
    raw.contains("://")
        || raw.starts_with("git@")
        || raw.starts_with("github.com/")
        || raw.starts_with("gitlab.com/")
        || raw.starts_with("bitbucket.org/")
        || raw.starts_with("oci:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        let n =
            kubeready_yaml::load_one("a:\n  b: x\n  c: \"\"\n  m: {k: v, n: ~, l: [1]}\n").unwrap();
        assert_eq!(str_at(&n, &["a", "b"]), Some("x"));
        assert_eq!(str_at(&n, &["a", "c"]), None);
        assert_eq!(
            string_map(at(&n, &["a", "m"])),
            vec![("k".into(), "v".into()), ("n".into(), "".into())]
        );
        assert_eq!(key_line(at(&n, &["a"]).unwrap(), "m"), 4);
        assert!(present(at(&n, &["a", "m"])));
        assert!(!present(at(&n, &["a", "zz"])));
        assert_eq!(resolve("k8s", "../base").as_deref(), Some("base"));
        assert_eq!(resolve("k8s", "https://x/y"), None);
        assert_eq!(resolve("", "../x"), None);
    }
}
