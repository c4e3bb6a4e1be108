//! A fast scanner for the plain block YAML most configuration files are
//! written in: block mappings and sequences, one-line plain and quoted
//! scalars, one-line flow sequences and mappings of scalars, anchors,
//! aliases and comments, without tabs, carriage returns or control
//! characters.
//!
//! It produces the same events, with the same start positions, as
//! `saphyr_parser` (about five times faster, because it works a line at a
//! time instead of a character at a time), and it gives up, returning
//! `None`, on anything else: folded and indented block scalars (it takes
//! plain literal ones, `|`, `|-`, `|+`), multi-line scalars, tags,
//! escapes, nested flow collections, and every input it cannot prove
//! valid. The caller then parses the whole stream with saphyr, which also
//! reports the errors, so accepting input is the only decision made here.
//! Tests compare both event streams over every YAML file of the
//! repository and over the YAML test suite (`src/suite_tests.rs`), and a
//! fuzz target compares them on arbitrary input.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Marker, ScalarStyle, Span};

mod lines;
mod text;

use lines::{Line, Lines};
use text::{is_dash, key_end, line_ends, plain_start, plain_value, quoted};

/// Lines longer than this are left to saphyr, whose implicit keys are
/// limited to 1024 characters.
const MAX_LINE: usize = 1000;

/// The events of `src`, or `None` when it is outside the subset.
#[cfg(test)]
pub(crate) fn events(src: &str) -> Option<Vec<(Event<'_>, Span)>> {
    let mut events = Vec::with_capacity(src.len() / 8);
    scan(src, &mut |event, span| events.push((event, span)))?;
    Some(events)
}

/// Hands the events of `src` to `sink` as they are scanned (no buffer of
/// the whole stream's events: a 3,000-document file had 25 MB of them),
/// or returns `None` when `src` is outside the subset; `sink` may then
/// have seen a prefix of the events, which the caller must discard.
pub(crate) fn scan<'a>(src: &'a str, sink: &mut dyn FnMut(Event<'a>, Span)) -> Option<()> {
    if !src
        .bytes()
        .all(|b| b == b'\n' || (b' '..0x7f).contains(&b) || b >= 0x80)
    {
        // Tabs, carriage returns and control characters.
        return None;
    }
    // A last line of spaces or a comment without a line break: saphyr
    // ends blocks there at odd columns (found by the fuzz target).
    if let Some(last) = src.rsplit('\n').next().filter(|_| !src.ends_with('\n')) {
        let rest = last.trim_start_matches(' ');
        if rest.starts_with('#') || (rest.is_empty() && !last.is_empty()) {
            return None;
        }
    }
    let mut scanner = Scanner {
        lines: Lines {
            src,
            start: 0,
            start_char: 0,
            number: 1,
        },
        sink,
        stack: Vec::new(),
        pending: None,
        anchors: HashMap::new(),
        next_anchor: 1,
        in_document: false,
        document_has_root: false,
    };
    scanner.push(Event::StreamStart, Marker::new(0, 1, 0));
    while let Some(line) = scanner.lines.next() {
        scanner.line(line?)?;
    }
    // saphyr's end of stream: the start of the line after the last one.
    let last_line = src.bytes().filter(|&b| b == b'\n').count()
        + if src.is_empty() || src.ends_with('\n') {
            1
        } else {
            2
        };
    let end = Marker::new(scanner.lines.start_char, last_line, 0);
    scanner.end_document(end)?;
    scanner.push(Event::StreamEnd, end);
    Some(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
    /// A sequence whose dashes sit at the column of its mapping's keys.
    IndentlessSeq,
}

#[derive(Clone, Copy)]
struct Block {
    kind: Kind,
    /// Column of its keys or dashes.
    indent: usize,
}

/// A node announced on one line and given on the next ones (or empty).
#[derive(Clone, Copy)]
struct Pending {
    /// Column of the key, or of the dash, that announced it.
    indent: usize,
    after_dash: bool,
    /// Where saphyr puts the empty scalar if nothing follows.
    empty_at: Marker,
    anchor: Option<(usize, Marker)>,
}

struct Scanner<'a, 's> {
    lines: Lines<'a>,
    sink: &'s mut dyn FnMut(Event<'a>, Span),
    stack: Vec<Block>,
    pending: Option<Pending>,
    /// Anchor ids by name, over the whole stream, numbered from 1 as
    /// saphyr's event iterator does.
    anchors: HashMap<&'a str, usize>,
    next_anchor: usize,
    in_document: bool,
    document_has_root: bool,
}

impl<'a> Scanner<'a, '_> {
    fn push(&mut self, event: Event<'a>, at: Marker) {
        (self.sink)(event, Span::empty(at));
    }

    fn line(&mut self, line: Line<'a>) -> Option<()> {
        let text = line.text;
        let indent = text.len() - text.trim_start_matches(' ').len();
        let content = &text[indent..];
        if content.is_empty() || content.starts_with('#') {
            return Some(());
        }
        if text.len() > MAX_LINE {
            return None;
        }
        if indent == 0 && (text.starts_with("---") || text.starts_with("...")) {
            let rest = &text[3..];
            if rest.is_empty() || rest.starts_with(' ') {
                if text.starts_with("...") || !rest.trim_start_matches(' ').is_empty() {
                    return None;
                }
                let at = line.mark(0);
                if self.in_document {
                    self.end_document(at)?;
                }
                self.push(Event::DocumentStart(true), at);
                self.in_document = true;
                self.document_has_root = false;
                return Some(());
            }
        }
        if indent == 0 && text.starts_with('%') {
            return None;
        }
        if !self.in_document {
            self.push(Event::DocumentStart(false), line.mark(indent));
            self.in_document = true;
            self.document_has_root = false;
        }
        let dash = is_dash(content);
        if let Some(p) = self.pending.take() {
            if indent > p.indent {
                return self.nested_node(line, indent, p.anchor);
            }
            if indent == p.indent && dash && !p.after_dash && p.anchor.is_none() {
                self.stack.push(Block {
                    kind: Kind::IndentlessSeq,
                    indent,
                });
                return self.seq_entry(line, indent, true);
            }
            self.empty(p)?;
        }
        while let Some(top) = self.stack.last() {
            let closes = top.indent > indent
                || (top.kind == Kind::IndentlessSeq && top.indent == indent && !dash);
            if !closes {
                break;
            }
            // saphyr ends blocks where the next token starts.
            self.close(line.mark(indent));
        }
        match self.stack.last() {
            None if self.document_has_root => None,
            None => {
                self.document_has_root = true;
                self.nested_node(line, indent, None)
            }
            Some(top) if top.indent != indent => None,
            Some(top) => match top.kind {
                Kind::Map => self.map_entry(line, indent),
                Kind::Seq | Kind::IndentlessSeq if dash => self.seq_entry(line, indent, false),
                Kind::Seq | Kind::IndentlessSeq => None,
            },
        }
    }

    /// Ends the innermost block at `at` (where budget errors on an
    /// anchored collection are reported).
    fn close(&mut self, at: Marker) {
        if let Some(block) = self.stack.pop() {
            let event = match block.kind {
                Kind::Map => Event::MappingEnd,
                Kind::Seq | Kind::IndentlessSeq => Event::SequenceEnd,
            };
            self.push(event, at);
        }
    }

    fn empty(&mut self, pending: Pending) -> Option<()> {
        if pending.anchor.is_some() {
            return None;
        }
        self.push(scalar("", ScalarStyle::Plain, 0), pending.empty_at);
        Some(())
    }

    fn end_document(&mut self, at: Marker) -> Option<()> {
        if !self.in_document {
            return Some(());
        }
        if let Some(p) = self.pending.take() {
            self.empty(p)?;
        }
        while !self.stack.is_empty() {
            self.close(at);
        }
        if !self.document_has_root {
            self.push(scalar("", ScalarStyle::Plain, 0), at);
        }
        self.push(Event::DocumentEnd, at);
        self.in_document = false;
        Some(())
    }

    /// A block collection starting at `column` of `line`.
    fn nested_node(
        &mut self,
        line: Line<'a>,
        column: usize,
        anchor: Option<(usize, Marker)>,
    ) -> Option<()> {
        let content = &line.text[column..];
        let (id, at) = anchor.unwrap_or((0, line.mark(column)));
        if is_dash(content) {
            self.push(Event::SequenceStart(id, None), at);
            self.stack.push(Block {
                kind: Kind::Seq,
                indent: column,
            });
            self.seq_entry(line, column, false)
        } else {
            self.push(Event::MappingStart(id, None), at);
            self.stack.push(Block {
                kind: Kind::Map,
                indent: column,
            });
            self.map_entry(line, column)
        }
    }

    /// `- item` at `column`. The first entry of an indentless sequence
    /// also starts it: saphyr puts that sequence where its first item is.
    fn seq_entry(&mut self, line: Line<'a>, column: usize, starts_indentless: bool) -> Option<()> {
        let after = &line.text[column + 1..];
        let item = column + 1 + (after.len() - after.trim_start_matches(' ').len());
        let rest = &line.text[item..];
        if rest.is_empty() || rest.starts_with('#') {
            if starts_indentless {
                return None;
            }
            self.pending = Some(Pending {
                indent: column,
                after_dash: true,
                empty_at: line.mark(line.text.len()),
                anchor: None,
            });
            return Some(());
        }
        if starts_indentless {
            self.push(Event::SequenceStart(0, None), line.mark(item));
        }
        if is_dash(rest) {
            return None;
        }
        if key_end(rest).is_some() {
            self.push(Event::MappingStart(0, None), line.mark(item));
            self.stack.push(Block {
                kind: Kind::Map,
                indent: item,
            });
            return self.map_entry(line, item);
        }
        self.value(line, item, column, true)
    }

    /// `key: value` at `column`.
    fn map_entry(&mut self, line: Line<'a>, column: usize) -> Option<()> {
        let content = &line.text[column..];
        let (key, style, colon) = key_end(content)?;
        self.push(scalar(key, style, 0), line.mark(column));
        let colon = column + colon;
        let after = &line.text[colon + 1..];
        let value = colon + 1 + (after.len() - after.trim_start_matches(' ').len());
        let rest = &line.text[value..];
        if rest.is_empty() || rest.starts_with('#') {
            self.pending = Some(Pending {
                indent: column,
                after_dash: false,
                empty_at: line.mark(colon),
                anchor: None,
            });
            return Some(());
        }
        self.value(line, value, column, false)
    }

    /// The value at `column` of `line`, on the same line as its key or dash
    /// (at `owner`).
    fn value(
        &mut self,
        line: Line<'a>,
        column: usize,
        owner: usize,
        after_dash: bool,
    ) -> Option<()> {
        let rest = &line.text[column..];
        let mut anchor = None;
        let mut column = column;
        if let Some(name) = rest.strip_prefix('&') {
            let len = name.find(' ').unwrap_or(name.len());
            let name = &name[..len];
            if name.is_empty() || name.contains([',', '[', ']', '{', '}', ':']) {
                return None;
            }
            let id = self.next_anchor;
            self.next_anchor += 1;
            self.anchors.insert(name, id);
            let at = line.mark(column);
            let after = &line.text[column + 1 + len..];
            let next = column + 1 + len + (after.len() - after.trim_start_matches(' ').len());
            if next == line.text.len() || line.text[next..].starts_with('#') {
                self.pending = Some(Pending {
                    indent: owner,
                    after_dash,
                    empty_at: at,
                    anchor: Some((id, at)),
                });
                return Some(());
            }
            anchor = Some((id, at));
            column = next;
        }
        let rest = &line.text[column..];
        let (id, at) = anchor.unwrap_or((0, line.mark(column)));
        let first = rest.as_bytes()[0];
        let used = match first {
            b'*' if anchor.is_none() => {
                let name = &rest[1..];
                let len = name.find(' ').unwrap_or(name.len());
                let name = &name[..len];
                if name.contains([',', '[', ']', '{', '}', ':']) {
                    return None;
                }
                let id = *self.anchors.get(name)?;
                self.push(Event::Alias(id), at);
                1 + len
            }
            b'"' | b'\'' => {
                let (text, style, len) = quoted(rest)?;
                self.push(scalar_cow(text, style, id), at);
                len
            }
            b'[' | b'{' => self.flow(line, column, id, at)?,
            b'|' if anchor.is_none() => self.literal(line, column, owner)?,
            _ => {
                let text = plain_value(rest)?;
                self.push(scalar(text, ScalarStyle::Plain, id), at);
                text.len()
            }
        };
        line_ends(&rest[used..])
    }

    /// A literal block scalar whose `|` header is at `column`, its content
    /// on the lines after, indented more than `owner`; returns the length
    /// of the header. Indentation indicators, and the empty, indented
    /// leading or unterminated cases, are left to saphyr.
    fn literal(&mut self, line: Line<'a>, column: usize, owner: usize) -> Option<usize> {
        let header = &line.text[column..];
        let (chomp, len) = match header.as_bytes().get(1) {
            Some(b'-') => (Chomp::Strip, 2),
            Some(b'+') => (Chomp::Keep, 2),
            _ => (Chomp::Clip, 1),
        };
        line_ends(&header[len..])?;
        let mut indent = None;
        let mut at = None;
        let mut content: Vec<&'a str> = Vec::new();
        while let Some(text) = self.lines.peek() {
            let spaces = text.len() - text.trim_start_matches(' ').len();
            let n = match indent {
                _ if spaces == text.len() => {
                    // An empty line, or one of spaces.
                    match indent {
                        None if spaces > 0 => return None,
                        Some(n) if spaces > n => content.push(&text[n..]),
                        _ => content.push(""),
                    }
                    self.lines.next()??;
                    continue;
                }
                None if spaces <= owner => return None,
                None => spaces,
                Some(n) if spaces < n => break,
                Some(n) => n,
            };
            let next = self.lines.next()??;
            if indent.is_none() {
                indent = Some(n);
                at = Some(next.mark(n));
            }
            content.push(&next.text[n..]);
        }
        let at = at?;
        if self.lines.peek().is_none() && !self.lines.src.ends_with('\n') {
            return None;
        }
        let last = content.iter().rposition(|l| !l.is_empty())?;
        let kept = match chomp {
            Chomp::Keep => &content[..],
            Chomp::Strip | Chomp::Clip => &content[..=last],
        };
        let mut text = kept.join("\n");
        if chomp != Chomp::Strip {
            text.push('\n');
        }
        self.push(scalar_cow(Cow::Owned(text), ScalarStyle::Literal, 0), at);
        Some(header.len())
    }

    /// A one-line flow collection of scalars at `column` (`[a, "b"]`,
    /// `{path: /x, port: 80}`, `[]`, `{}`); returns its length.
    fn flow(&mut self, line: Line<'a>, column: usize, id: usize, at: Marker) -> Option<usize> {
        let text = line.text;
        let map = text.as_bytes()[column] == b'{';
        let close = if map { b'}' } else { b']' };
        self.push(
            if map {
                Event::MappingStart(id, None)
            } else {
                Event::SequenceStart(id, None)
            },
            at,
        );
        let skip = |i: usize| i + (text[i..].len() - text[i..].trim_start_matches(' ').len());
        let mut i = skip(column + 1);
        if text.as_bytes().get(i) != Some(&close) {
            loop {
                i = skip(i + self.flow_scalar(line, i)?);
                if map {
                    // `key: value`, the colon right after the key.
                    if !text[i..].starts_with(": ") {
                        return None;
                    }
                    i = skip(i + 1);
                    i = skip(i + self.flow_scalar(line, i)?);
                }
                match text.as_bytes().get(i)? {
                    b',' => {
                        i = skip(i + 1);
                        // A trailing comma, or an empty entry: left to saphyr.
                        if matches!(text.as_bytes().get(i), None | Some(b',' | b']' | b'}')) {
                            return None;
                        }
                    }
                    &c if c == close => break,
                    _ => return None,
                }
            }
        }
        self.push(
            if map {
                Event::MappingEnd
            } else {
                Event::SequenceEnd
            },
            line.mark(i),
        );
        Some(i + 1 - column)
    }

    /// A quoted or plain scalar inside a flow collection; returns its
    /// length.
    fn flow_scalar(&mut self, line: Line<'a>, i: usize) -> Option<usize> {
        let rest = &line.text[i..];
        match *rest.as_bytes().first()? {
            b'"' | b'\'' => {
                let (value, style, len) = quoted(rest)?;
                self.push(scalar_cow(value, style, 0), line.mark(i));
                Some(len)
            }
            _ => {
                let end = rest.find([',', ']', '}', ':']).unwrap_or(rest.len());
                let value = rest[..end].trim_end_matches(' ');
                // saphyr rejects a `-` before a flow indicator anywhere in
                // a flow scalar (`[a -]`).
                if !plain_start(value)
                    || value.contains(['#', '[', '{', '"', '\''])
                    || value.ends_with('-')
                {
                    return None;
                }
                self.push(scalar(value, ScalarStyle::Plain, 0), line.mark(i));
                Some(value.len())
            }
        }
    }
}

/// How a block scalar treats its final line breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    /// `|-`: none kept.
    Strip,
    /// `|`: one kept.
    Clip,
    /// `|+`: all kept.
    Keep,
}

fn scalar<'a>(text: &'a str, style: ScalarStyle, anchor: usize) -> Event<'a> {
    Event::Scalar(Cow::Borrowed(text), style, anchor, None)
}

fn scalar_cow(text: Cow<'_, str>, style: ScalarStyle, anchor: usize) -> Event<'_> {
    Event::Scalar(text, style, anchor, None)
}

#[cfg(test)]
mod tests;
