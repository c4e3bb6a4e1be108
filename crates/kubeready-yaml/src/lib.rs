//! kubeready's YAML layer: a loader that turns YAML text into an owned node
//! tree where every node (mapping keys included) carries its 1-based line and
//! column.
//!
//! Built on the event stream of [`saphyr_parser`], with what configuration
//! files in the wild need on top:
//!
//! * multi-document streams (`---`), one [`Node`] per document;
//! * YAML 1.1 merge keys (`<<: *base`, `<<: [*a, *b]`), resolved;
//! * duplicate mapping keys kept (last value wins) and reported as
//!   [`Duplicate`]s;
//! * tags kept on nodes (`!reference`, `!Ref`, ...), never rejected;
//! * scalars keep their source text and style; typing is lazy, with the
//!   YAML 1.2 core schema in the accessors ([`Node::as_bool`], ...);
//! * hard budgets: a node budget that counts alias expansions (alias bombs
//!   fail fast) and a nesting limit (no stack overflow on deep input);
//! * syntax errors stop loading and are reported with line and column; the
//!   documents completed before the error are still returned.
//!
//! Loading never panics, never hangs, and uses memory bounded by the input
//! size and the [`Limits`].
//!
//! ```
//! use kubeready_yaml::{load, Limits};
//!
//! let src = "x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: nginx\n";
//! let loaded = load(src, &Limits::default());
//! assert!(loaded.error.is_none());
//! let web = loaded.documents[0].get("services").and_then(|s| s.get("web")).unwrap();
//! let image = web.entry("image").unwrap();
//! assert_eq!((image.key.line, image.key.column), (6, 5));
//! assert_eq!(web.get("restart").and_then(|n| n.as_str()), Some("always"));
//! assert_eq!(web.get("restart").unwrap().line, 2); // where the merged value is defined
//! ```

// Every public item is documented: this crate's API is read by others.
#![warn(missing_docs)]

mod build;
mod fast;
mod schema;

#[cfg(test)]
mod suite_tests;
#[cfg(test)]
mod tests;

use std::fmt;

/// Budgets that bound the work and memory of one [`load`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of nodes materialised over the whole stream, counting
    /// mapping keys, every copy made by an alias expansion, and the copy kept
    /// for each anchor. Alias expansions may also copy at most
    /// `64 × max_nodes` bytes of scalar text, tags and anchor names.
    pub max_nodes: usize,
    /// Maximum nesting depth of collections (a top-level mapping has depth
    /// 1), alias expansions included. Values above [`HARD_MAX_DEPTH`] are
    /// treated as [`HARD_MAX_DEPTH`], because trees are cloned and dropped
    /// recursively.
    pub max_depth: usize,
}

/// The largest nesting depth [`load`] ever accepts, whatever [`Limits::max_depth`] says.
pub const HARD_MAX_DEPTH: usize = 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_nodes: 1_000_000,
            max_depth: 512,
        }
    }
}

/// The result of [`load`]: the documents parsed, and why loading stopped early.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The documents completed before any error, in stream order. An empty
    /// stream (or one with only comments) has no documents.
    pub documents: Vec<Node>,
    /// The first error; loading stops there. The document it occurred in is
    /// not in `documents`.
    pub error: Option<YamlError>,
    /// Duplicate keys found in the mappings of `documents`, in the order
    /// they were found (inner mappings before the mappings holding them).
    pub duplicates: Vec<Duplicate>,
}

/// A syntax error or exceeded budget, with its 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What went wrong, without the position.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for YamlError {}

/// A key that occurs more than once in one mapping. The tree keeps the last
/// value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The key's text (`null` for a null key).
    pub key: String,
    /// 1-based line of this (later) occurrence.
    pub line: u32,
    /// 1-based line of the first occurrence.
    pub first_line: u32,
}

/// A YAML node with its position.
///
/// Nodes copied by an alias (or a merge key) keep the positions of the
/// anchored node they copy, that is where the value is defined.
#[derive(Clone, Debug)]
pub struct Node {
    /// The content.
    pub value: Value,
    /// 1-based line where the node starts (its tag or anchor, if any). A
    /// block scalar starts at its `|` or `>` header; its text's first line
    /// is on the next line.
    pub line: u32,
    /// 1-based column, in characters, where the node starts.
    pub column: u32,
    /// The tag, in shorthand form where there is one: `!reference`, `!Ref`,
    /// `!!str`; `!<...>` for verbatim tags; the expanded form for `%TAG`
    /// handles.
    pub tag: Option<String>,
    /// The anchor name (`base` for `&base`).
    pub anchor: Option<String>,
}

/// The content of a [`Node`].
#[derive(Clone, Debug)]
pub enum Value {
    /// A null: plain `~`, `null`, `Null`, `NULL`, an empty value, or `!!null`.
    Null,
    /// Any other scalar, untyped.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, with duplicate keys removed and merge keys
    /// resolved.
    Map(Vec<Entry>),
}

/// A scalar as written: its text (after YAML unescaping and folding) and style.
#[derive(Clone, Debug)]
pub struct Scalar {
    /// The scalar's content.
    pub text: String,
    /// How it was written.
    pub style: ScalarStyle,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// `foo`
    Plain,
    /// `'foo'`
    SingleQuoted,
    /// `"foo"`
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// One key/value pair of a mapping.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The key, with its own position.
    pub key: Node,
    /// The value.
    pub value: Node,
}

impl Entry {
    /// The key's scalar text, if the key is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }
}

impl Node {
    /// The value of `key` in a mapping, matched against scalar key text.
    /// A null key matches `~`, `null`, `Null`, `NULL` and the empty string.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` in a mapping (for the key's own position).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| match &e.key.value {
            Value::Scalar(s) => s.text == key,
            Value::Null => schema::is_null_text(key),
            _ => false,
        })
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// Any scalar's text (numbers and booleans too); `None` for nulls and
    /// collections.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// A YAML 1.2 core schema boolean (`true`, `True`, `TRUE`, `false`, ...):
    /// a plain untagged scalar, or any scalar tagged `!!bool`.
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.typed_text("!!bool")?;
        schema::parse_bool(s)
    }

    /// A YAML 1.2 core schema integer (`42`, `-7`, `0x2A`, `0o52`): a plain
    /// untagged scalar, or any scalar tagged `!!int`. `None` when out of range.
    pub fn as_i64(&self) -> Option<i64> {
        let s = self.typed_text("!!int")?;
        schema::parse_int(s)
    }

    /// A YAML 1.2 core schema float (`1.5`, `1e3`, `.inf`, `.nan`) or
    /// integer: a plain untagged scalar, or any scalar tagged `!!float`/`!!int`.
    pub fn as_f64(&self) -> Option<f64> {
        let s = self
            .typed_text("!!float")
            .or_else(|| self.typed_text("!!int"))?;
        schema::parse_float(s).or_else(|| schema::parse_int(s).map(|i| i as f64))
    }

    /// Whether the value is null (plain `~`, `null`, empty, ...).
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Whether this is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// Whether this is a sequence.
    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// A scalar gives `[self]`, a sequence its items; nulls and mappings give
    /// nothing. For the "string or list of strings" fields common in CI and
    /// Compose files.
    pub fn str_or_seq(&self) -> Vec<&Node> {
        match &self.value {
            Value::Scalar(_) => vec![self],
            Value::Seq(items) => items.iter().collect(),
            Value::Null | Value::Map(_) => Vec::new(),
        }
    }

    /// The scalar text when the core schema applies: plain and untagged, or
    /// tagged with `tag` (any style).
    fn typed_text(&self, tag: &str) -> Option<&str> {
        let s = self.as_scalar()?;
        match self.tag.as_deref() {
            None if s.style == ScalarStyle::Plain => Some(&s.text),
            Some(t) if t == tag => Some(&s.text),
            _ => None,
        }
    }
}

/// Load every document of a YAML stream.
///
/// Never panics. Stops at the first syntax error or exceeded budget, which
/// is reported in [`Loaded::error`]; documents completed before it are kept.
/// A leading byte order mark is skipped; CRLF line ends are fine.
pub fn load(src: &str, limits: &Limits) -> Loaded {
    let loaded = build::load(src, limits);
    if loaded.error.is_none() {
        return loaded;
    }
    // libyaml and go-yaml (so Compose, Kubernetes and most CI systems)
    // accept a multi-line flow collection whose closing `]`/`}` sits at
    // the indentation of its key; saphyr does not. Retry once with those
    // closing lines indented by one space (lines and all other columns are
    // unchanged) and keep the retry only if it gets further.
    let Some(relaxed) = indent_closing_brackets(src) else {
        return loaded;
    };
    let retry = build::load(&relaxed, limits);
    let better = match (&retry.error, &loaded.error) {
        (None, _) => true,
        (Some(r), Some(l)) => {
            (r.line, r.column) > (l.line, l.column)
                && retry.documents.len() >= loaded.documents.len()
        }
        _ => false,
    };
    if better {
        retry
    } else {
        loaded
    }
}

/// `src` with one space added before every line that starts (after
/// indentation) with `]` or `}`; `None` when there is no such line.
fn indent_closing_brackets(src: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(src.len() + 64);
    for line in src.split_inclusive('\n') {
        let t = line.trim_start_matches(' ');
        if t.starts_with(']') || t.starts_with('}') {
            out.push(' ');
            changed = true;
        }
        out.push_str(line);
    }
    changed.then_some(out)
}

/// The first document, with default limits; a null node at 1:1 for an empty
/// stream. Any error in the stream (even after the first document) is
/// returned as `Err`. A convenience for tests and small files.
pub fn load_one(src: &str) -> Result<Node, YamlError> {
    let loaded = load(src, &Limits::default());
    if let Some(e) = loaded.error {
        return Err(e);
    }
    Ok(loaded.documents.into_iter().next().unwrap_or(Node {
        value: Value::Null,
        line: 1,
        column: 1,
        tag: None,
        anchor: None,
    }))
}

/// Both ways of loading a stream, for the differential fuzz target
/// (`fuzz/fuzz_targets/yaml_fast_path.rs`); not part of the API.
#[doc(hidden)]
pub mod fast_path {
    use crate::{Limits, Loaded};

    /// Whether the fast scanner takes `src` (the BOM stripped, as `load` does).
    pub fn takes(src: &str) -> bool {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        crate::fast::scan(src, &mut |_, _| {}).is_some()
    }

    /// Loads through the fast scanner when it takes the stream.
    pub fn load(src: &str, limits: &Limits) -> Loaded {
        crate::build::load(src, limits)
    }

    /// Loads through saphyr-parser only.
    pub fn load_with_saphyr(src: &str, limits: &Limits) -> Loaded {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        crate::build::load_with_saphyr(src, limits)
    }
}
