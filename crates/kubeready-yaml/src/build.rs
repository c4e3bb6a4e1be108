//! Builds the node tree from saphyr-parser's event stream, without recursion.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle as ParserStyle, ScanError, Span, Tag};

use crate::{
    schema, Duplicate, Entry, Limits, Loaded, Node, Scalar, ScalarStyle, Value, YamlError,
    HARD_MAX_DEPTH,
};

/// Bytes of scalar text, tags and anchor names that alias expansions (and
/// anchor copies) may copy, per node of the node budget.
const BYTES_PER_NODE: usize = 64;

pub(crate) fn load(src: &str, limits: &Limits) -> Loaded {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    // The fast scanner's events go straight into the builder; when the
    // scanner gives up part way, that builder is dropped and saphyr
    // parses the whole stream (as it did when the events were buffered).
    let mut builder = Builder::new(src, limits);
    let max_events = max_events(src);
    let mut count = 0usize;
    let mut stopped = false;
    let scanned = crate::fast::scan(src, &mut |event, span| {
        if stopped {
            return;
        }
        if count >= max_events {
            builder.error = Some(stuck(&builder));
            stopped = true;
        } else if let Err(e) = builder.event(event, span) {
            builder.error = Some(e);
            stopped = true;
        }
        count += 1;
    });
    match scanned {
        Some(()) => builder.finish(),
        None => load_with_saphyr(src, limits),
    }
}

/// Every event consumes input, save a bounded number of empty nodes and
/// collection ends: a parser that produces more events than this is stuck.
fn max_events(src: &str) -> usize {
    src.len().saturating_mul(8).saturating_add(64)
}

fn stuck(builder: &Builder<'_>) -> YamlError {
    YamlError {
        line: builder.last_line,
        column: builder.last_column,
        message: "the YAML parser stopped making progress".to_string(),
    }
}

/// [`load`] without the fast path: every stream through saphyr-parser.
pub(crate) fn load_with_saphyr(src: &str, limits: &Limits) -> Loaded {
    let mut parser = Parser::new_from_str(src);
    load_events(src, limits, std::iter::from_fn(move || parser.next_event()))
}

fn load_events<'s>(
    src: &'s str,
    limits: &Limits,
    events: impl Iterator<Item = Result<(Event<'s>, Span), ScanError>>,
) -> Loaded {
    let mut builder = Builder::new(src, limits);
    let max_events = max_events(src);
    for (count, next) in events.enumerate() {
        match next {
            Err(e) => {
                builder.error = Some(scan_error(&e));
                break;
            }
            Ok(_) if count >= max_events => {
                builder.error = Some(stuck(&builder));
                break;
            }
            Ok((event, span)) => {
                if let Err(e) = builder.event(event, span) {
                    builder.error = Some(e);
                    break;
                }
            }
        }
    }
    builder.finish()
}

fn scan_error(e: &ScanError) -> YamlError {
    let marker = e.marker();
    let message = if e.info() == "recursion limit exceeded" {
        "flow collections nested deeper than 255 levels (recursion limit exceeded)".to_string()
    } else {
        e.info().to_string()
    };
    YamlError {
        line: to_u32(marker.line()),
        column: to_u32(marker.col().saturating_add(1)),
        message,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Size of a subtree, for budgets.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    /// Nodes, keys included.
    count: usize,
    /// Collection levels: 0 for a scalar, 1 for `[a]`.
    height: usize,
    /// Bytes of scalar text, tags and anchor names.
    bytes: usize,
}

enum Kind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

/// A collection being built.
struct Frame {
    line: u32,
    column: u32,
    tag: Option<String>,
    anchor_id: usize,
    anchor: Option<String>,
    kind: Kind,
    stats: Stats,
}

/// Why nodes are being materialised, for budget errors.
#[derive(Clone, Copy)]
enum Copy<'a> {
    None,
    Alias(&'a str),
    Anchor(&'a str),
}

struct AnchorDef {
    name: Option<String>,
    node: Node,
    stats: Stats,
}

/// Identity of a scalar or null key, for duplicates and merges.
#[derive(Clone, Hash, PartialEq, Eq)]
enum KeyId {
    Null,
    Text(String),
}

impl KeyId {
    fn of(node: &Node) -> Option<KeyId> {
        match &node.value {
            Value::Null => Some(KeyId::Null),
            Value::Scalar(s) => Some(KeyId::Text(s.text.clone())),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }

    fn display(self) -> String {
        match self {
            KeyId::Null => "null".to_string(),
            KeyId::Text(t) => t,
        }
    }
}

struct Builder<'s> {
    src: &'s str,
    ascii: bool,
    /// (char index, byte offset) of the last position looked up in `src`.
    cursor: (usize, usize),
    max_nodes: usize,
    max_depth: usize,
    max_copied_bytes: usize,
    nodes: usize,
    copied_bytes: usize,
    aliases_expanded: bool,
    /// Duplicates found in completed documents.
    reported_duplicates: usize,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, AnchorDef>,
    documents: Vec<Node>,
    duplicates: Vec<Duplicate>,
    error: Option<YamlError>,
    last_line: u32,
    last_column: u32,
}

impl<'s> Builder<'s> {
    fn new(src: &'s str, limits: &Limits) -> Self {
        Builder {
            src,
            ascii: src.is_ascii(),
            cursor: (0, 0),
            max_nodes: limits.max_nodes,
            max_depth: limits.max_depth.min(HARD_MAX_DEPTH),
            max_copied_bytes: limits.max_nodes.saturating_mul(BYTES_PER_NODE),
            nodes: 0,
            copied_bytes: 0,
            aliases_expanded: false,
            reported_duplicates: 0,
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            documents: Vec::new(),
            duplicates: Vec::new(),
            error: None,
            last_line: 1,
            last_column: 1,
        }
    }

    fn finish(mut self) -> Loaded {
        // Report only duplicates of the documents returned.
        self.duplicates.truncate(self.reported_duplicates);
        Loaded {
            documents: self.documents,
            error: self.error,
            duplicates: self.duplicates,
        }
    }

    fn error_here(&self, message: String) -> YamlError {
        YamlError {
            line: self.last_line,
            column: self.last_column,
            message,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        self.last_line = to_u32(span.start.line());
        self.last_column = to_u32(span.start.col().saturating_add(1));
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.stack.clear();
                self.root = None;
                self.anchors.clear();
                Ok(())
            }
            Event::DocumentEnd => {
                if let Some(root) = self.root.take() {
                    self.documents.push(root);
                }
                self.reported_duplicates = self.duplicates.len();
                self.stack.clear();
                self.anchors.clear();
                Ok(())
            }
            Event::Scalar(text, style, anchor_id, tag) => {
                self.charge_nodes(1, Copy::None)?;
                let tag = tag.map(|t| tag_string(&t));
                let anchor = self.anchor_name(anchor_id, span);
                let bytes = text.len() + opt_len(&tag) + opt_len(&anchor);
                let (line, column) = match style {
                    ParserStyle::Literal | ParserStyle::Folded
                        if anchor_id == 0 && tag.is_none() =>
                    {
                        self.block_indicator(span)
                            .unwrap_or((self.last_line, self.last_column))
                    }
                    _ => (self.last_line, self.last_column),
                };
                let value = scalar_value(text.into_owned(), style, tag.as_deref());
                let node = Node {
                    value,
                    line,
                    column,
                    tag,
                    anchor,
                };
                let stats = Stats {
                    count: 1,
                    height: 0,
                    bytes,
                };
                self.complete(node, stats, anchor_id)
            }
            Event::SequenceStart(anchor_id, tag) => {
                self.open(Kind::Seq(Vec::new()), anchor_id, tag.as_deref(), span)
            }
            Event::MappingStart(anchor_id, tag) => self.open(
                Kind::Map {
                    entries: Vec::new(),
                    key: None,
                },
                anchor_id,
                tag.as_deref(),
                span,
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => self.alias(id),
        }
    }

    fn charge_nodes(&mut self, count: usize, copy: Copy<'_>) -> Result<(), YamlError> {
        let total = self.nodes.saturating_add(count);
        if total > self.max_nodes {
            let max = self.max_nodes;
            let message = match copy {
                Copy::Alias(name) => format!(
                    "alias *{name} expands beyond the budget of {max} nodes \
                     (alias expansions count; an alias bomb?)"
                ),
                Copy::Anchor(name) => format!(
                    "anchor &{name} takes the document beyond the budget of {max} nodes \
                     (anchored nodes are copied for their aliases; an alias bomb?)"
                ),
                Copy::None if self.aliases_expanded => {
                    format!("more than {max} nodes, counting alias expansions (an alias bomb?)")
                }
                Copy::None => format!("more than {max} nodes (node budget exceeded)"),
            };
            return Err(self.error_here(message));
        }
        self.nodes = total;
        Ok(())
    }

    fn charge_copy(&mut self, stats: Stats, copy: Copy<'_>) -> Result<(), YamlError> {
        self.charge_nodes(stats.count, copy)?;
        let total = self.copied_bytes.saturating_add(stats.bytes);
        if total > self.max_copied_bytes {
            let what = match copy {
                Copy::Alias(name) => format!("alias *{name}"),
                Copy::Anchor(name) => format!("anchor &{name}"),
                Copy::None => "aliases".to_string(),
            };
            return Err(self.error_here(format!(
                "{what} makes aliases copy more than {} bytes (an alias bomb?)",
                self.max_copied_bytes
            )));
        }
        self.copied_bytes = total;
        Ok(())
    }

    fn depth_error(&self) -> YamlError {
        self.error_here(format!(
            "collections nested deeper than {} levels",
            self.max_depth
        ))
    }

    fn open(
        &mut self,
        kind: Kind,
        anchor_id: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), YamlError> {
        if self.stack.len() >= self.max_depth {
            return Err(self.depth_error());
        }
        self.charge_nodes(1, Copy::None)?;
        let tag = tag.map(tag_string);
        let anchor = self.anchor_name(anchor_id, span);
        let bytes = opt_len(&tag) + opt_len(&anchor);
        self.stack.push(Frame {
            line: self.last_line,
            column: self.last_column,
            tag,
            anchor_id,
            anchor,
            kind,
            stats: Stats {
                count: 1,
                height: 1,
                bytes,
            },
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.error_here("unbalanced end of a collection".to_string()));
        };
        let value = match frame.kind {
            Kind::Seq(items) => Value::Seq(items),
            Kind::Map { mut entries, key } => {
                if let Some(key) = key {
                    // Not produced by the parser; keep the key rather than lose it.
                    let value = Node {
                        value: Value::Null,
                        line: key.line,
                        column: key.column,
                        tag: None,
                        anchor: None,
                    };
                    entries.push(Entry { key, value });
                }
                Value::Map(resolve_map(entries, &mut self.duplicates))
            }
        };
        let node = Node {
            value,
            line: frame.line,
            column: frame.column,
            tag: frame.tag,
            anchor: frame.anchor,
        };
        self.complete(node, frame.stats, frame.anchor_id)
    }

    fn alias(&mut self, id: usize) -> Result<(), YamlError> {
        let Some(def) = self.anchors.get(&id) else {
            return Err(self.error_here(
                "alias to an anchor that is unknown in this document or not yet complete \
                 (a recursive alias?)"
                    .to_string(),
            ));
        };
        let stats = def.stats;
        let name = def.name.clone().unwrap_or_default();
        if self.stack.len().saturating_add(stats.height) > self.max_depth {
            return Err(self.depth_error());
        }
        self.charge_copy(stats, Copy::Alias(&name))?;
        self.aliases_expanded = true;
        let node = self
            .anchors
            .get(&id)
            .map(|def| def.node.clone())
            .ok_or_else(|| self.error_here("anchor vanished".to_string()))?;
        self.complete(node, stats, 0)
    }

    /// Attach a finished node to its parent (or make it the document root),
    /// and remember it if it is anchored.
    fn complete(&mut self, node: Node, stats: Stats, anchor_id: usize) -> Result<(), YamlError> {
        if anchor_id != 0 {
            let name = node.anchor.clone().unwrap_or_default();
            self.charge_copy(stats, Copy::Anchor(&name))?;
            self.anchors.insert(
                anchor_id,
                AnchorDef {
                    name: node.anchor.clone(),
                    node: node.clone(),
                    stats,
                },
            );
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        parent.stats.count = parent.stats.count.saturating_add(stats.count);
        parent.stats.bytes = parent.stats.bytes.saturating_add(stats.bytes);
        parent.stats.height = parent.stats.height.max(stats.height.saturating_add(1));
        match &mut parent.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map { entries, key } => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
        Ok(())
    }

    /// The name of the anchor on the node starting at `span`: the event does
    /// not carry it, so read it back from the source (`&name`, possibly after
    /// a tag).
    fn anchor_name(&mut self, anchor_id: usize, span: Span) -> Option<String> {
        if anchor_id == 0 {
            return None;
        }
        let byte = self.byte_offset(span.start.index())?;
        let mut rest = self.src.get(byte..)?;
        if rest.starts_with('!') {
            rest = rest.trim_start_matches(|c: char| !c.is_whitespace());
            loop {
                rest = rest.trim_start();
                match rest.strip_prefix('#') {
                    Some(comment) => {
                        rest = comment.find('\n').map_or("", |i| &comment[i..]);
                    }
                    None => break,
                }
            }
        }
        let name = rest.strip_prefix('&')?;
        let end = name
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .unwrap_or(name.len());
        name.get(..end).map(str::to_string)
    }

    /// Position of the `|` or `>` header of a block scalar: the parser's span
    /// starts at the first content line.
    fn block_indicator(&mut self, span: Span) -> Option<(u32, u32)> {
        let byte = self.byte_offset(span.start.index())?;
        let before = self.src.get(..byte)?;
        let mut line = span.start.line();
        let mut end = byte;
        loop {
            let start = before.get(..end)?.rfind('\n').map_or(0, |i| i + 1);
            let text = before.get(start..end)?;
            if let Some(at) = indicator_in(text) {
                let column = text.get(..at)?.chars().count() + 1;
                return Some((to_u32(line), to_u32(column)));
            }
            // Only blank lines may sit between the header and the content.
            if start == 0 || !(text.trim().is_empty() || end == byte) {
                return None;
            }
            end = start - 1;
            line = line.checked_sub(1)?;
        }
    }

    /// Byte offset of the `index`-th character of the source. Walks from
    /// the previous lookup, so lookups in source order cost linear time.
    fn byte_offset(&mut self, index: usize) -> Option<usize> {
        if self.ascii {
            return (index <= self.src.len()).then_some(index);
        }
        let (char_at, byte_at) = self.cursor;
        let byte = if index >= char_at {
            let tail = self.src.get(byte_at..)?;
            let ahead = index - char_at;
            match tail.char_indices().nth(ahead) {
                Some((offset, _)) => byte_at + offset,
                None if tail.chars().count() == ahead => self.src.len(),
                None => return None,
            }
        } else {
            let head = self.src.get(..byte_at)?;
            head.char_indices().rev().nth(char_at - index - 1)?.0
        };
        self.cursor = (index, byte);
        Some(byte)
    }
}

/// Byte offset of a block scalar header (`|`, `>-`, `|2+ # comment`) in a line.
fn indicator_in(line: &str) -> Option<usize> {
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        if matches!(c, '|' | '>') && prev.is_none_or(char::is_whitespace) {
            let rest = line.get(i + 1..)?;
            let rest = rest.trim_start_matches(|c: char| matches!(c, '-' | '+' | '0'..='9'));
            let after = rest.trim_start();
            if after.is_empty() || (after.starts_with('#') && after.len() < rest.len()) {
                return Some(i);
            }
        }
        prev = Some(c);
    }
    None
}

fn opt_len(s: &Option<String>) -> usize {
    s.as_ref().map_or(0, String::len)
}

fn tag_string(tag: &Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        "!" => format!("!{}", tag.suffix),
        "" if tag.suffix.starts_with('!') => tag.suffix.clone(),
        "" => format!("!<{}>", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
}

fn scalar_value(text: String, style: ParserStyle, tag: Option<&str>) -> Value {
    let plain = style == ParserStyle::Plain;
    let null = match tag {
        Some("!!null") => true,
        None => plain && schema::is_null_text(&text),
        Some("!!str") => false,
        Some(_) => plain && text.is_empty(),
    };
    if null {
        return Value::Null;
    }
    let style = match style {
        ParserStyle::Plain => ScalarStyle::Plain,
        ParserStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        ParserStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        ParserStyle::Literal => ScalarStyle::Literal,
        ParserStyle::Folded => ScalarStyle::Folded,
    };
    Value::Scalar(Scalar { text, style })
}

/// A scalar or null key, borrowed: what [`KeyId`] owns.
#[derive(Clone, Copy, Hash, PartialEq, Eq)]
enum KeyRef<'a> {
    Null,
    Text(&'a str),
}

impl<'a> KeyRef<'a> {
    fn of(node: &'a Node) -> Option<KeyRef<'a>> {
        match &node.value {
            Value::Null => Some(KeyRef::Null),
            Value::Scalar(s) => Some(KeyRef::Text(&s.text)),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// Whether two entries have the same scalar (or null) key.
fn has_duplicate_key(entries: &[Entry]) -> bool {
    // Small mappings (nearly all of them): compare pairwise, no allocation.
    if entries.len() <= 16 {
        return entries.iter().enumerate().any(|(i, a)| {
            KeyRef::of(&a.key).is_some_and(|a| {
                entries[i + 1..]
                    .iter()
                    .any(|b| KeyRef::of(&b.key) == Some(a))
            })
        });
    }
    let mut seen = HashSet::with_capacity(entries.len());
    !entries
        .iter()
        .filter_map(|e| KeyRef::of(&e.key))
        .all(|k| seen.insert(k))
}

/// `<<` as a plain key, untagged or tagged `!!merge`, whose value is a
/// mapping or a sequence of mappings.
fn is_merge(entry: &Entry) -> bool {
    let key_ok = match (&entry.key.value, entry.key.tag.as_deref()) {
        (Value::Scalar(s), None | Some("!!merge")) => {
            s.text == "<<" && s.style == ScalarStyle::Plain
        }
        _ => false,
    };
    key_ok
        && match &entry.value.value {
            Value::Map(_) => true,
            Value::Seq(items) => items.iter().all(Node::is_map),
            Value::Null | Value::Scalar(_) => false,
        }
}

/// Resolve merge keys (explicit keys win; earlier merged mappings win over
/// later ones; merged entries take the place of the `<<` entry) and
/// duplicate keys (the last value wins, at the first key's place).
fn resolve_map(entries: Vec<Entry>, duplicates: &mut Vec<Duplicate>) -> Vec<Entry> {
    let has_merge = entries.iter().any(is_merge);
    // Most mappings: nothing to resolve, and no key to copy into a table.
    if !has_merge && !has_duplicate_key(&entries) {
        return entries;
    }
    let explicit: HashSet<KeyId> = if has_merge {
        entries
            .iter()
            .filter(|e| !is_merge(e))
            .filter_map(|e| KeyId::of(&e.key))
            .collect()
    } else {
        HashSet::new()
    };
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
    // Key -> (position in `out`, line of its first explicit occurrence).
    let mut seen: HashMap<KeyId, (usize, u32)> = HashMap::with_capacity(entries.len());
    for entry in entries {
        if has_merge && is_merge(&entry) {
            let sources = match entry.value.value {
                Value::Map(merged) => vec![merged],
                Value::Seq(items) => items
                    .into_iter()
                    .filter_map(|n| match n.value {
                        Value::Map(merged) => Some(merged),
                        _ => None,
                    })
                    .collect(),
                Value::Null | Value::Scalar(_) => Vec::new(),
            };
            for merged in sources.into_iter().flatten() {
                match KeyId::of(&merged.key) {
                    None => out.push(merged),
                    Some(id) if explicit.contains(&id) || seen.contains_key(&id) => {}
                    Some(id) => {
                        seen.insert(id, (out.len(), merged.key.line));
                        out.push(merged);
                    }
                }
            }
            continue;
        }
        let Some(id) = KeyId::of(&entry.key) else {
            out.push(entry);
            continue;
        };
        match seen.get(&id) {
            Some(&(pos, first_line)) => {
                duplicates.push(Duplicate {
                    key: id.display(),
                    line: entry.key.line,
                    first_line,
                });
                if let Some(slot) = out.get_mut(pos) {
                    *slot = entry;
                }
            }
            None => {
                seen.insert(id, (out.len(), entry.key.line));
                out.push(entry);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_found_in_small_and_large_mappings() {
        for n in [2, 16, 17, 40] {
            let unique: String = (0..n).map(|i| format!("k{i}: {i}\n")).collect();
            let loaded = crate::load(&unique, &Limits::default());
            assert!(loaded.duplicates.is_empty(), "{n}");
            let twice = format!("{unique}k0: again\n~: a\nnull: b\n[c]: 1\n[c]: 2\n");
            let loaded = crate::load(&twice, &Limits::default());
            let found: Vec<(&str, u32)> = loaded
                .duplicates
                .iter()
                .map(|d| (d.key.as_str(), d.first_line))
                .collect();
            // `~` and `null` are the same key; collection keys are never compared.
            assert_eq!(found, [("k0", 1), ("null", n + 2)], "{n}");
            let root = &loaded.documents[0];
            assert_eq!(root.get("k0").and_then(|v| v.as_str()), Some("again"));
        }
    }

    #[test]
    fn byte_offsets_forwards_and_backwards() {
        let src = "aé€b𝄞c";
        let mut b = Builder::new(src, &Limits::default());
        let expected: Vec<usize> = src
            .char_indices()
            .map(|(i, _)| i)
            .chain([src.len()])
            .collect();
        for (i, &want) in expected.iter().enumerate() {
            assert_eq!(b.byte_offset(i), Some(want), "forward {i}");
        }
        for (i, &want) in expected.iter().enumerate().rev() {
            assert_eq!(b.byte_offset(i), Some(want), "backward {i}");
        }
        assert_eq!(b.byte_offset(3), Some(expected[3]));
        assert_eq!(b.byte_offset(1), Some(expected[1]));
        assert_eq!(b.byte_offset(100), None);
    }

    #[test]
    fn block_scalar_headers() {
        assert_eq!(indicator_in("a: |"), Some(3));
        assert_eq!(indicator_in("a: >-2 # x | y"), Some(3));
        assert_eq!(indicator_in("\"a|b\": |+\r"), Some(7));
        assert_eq!(indicator_in("a|: x"), None);
        assert_eq!(indicator_in("a: |x"), None);
        assert_eq!(indicator_in("a: |#x"), None);
    }
}
