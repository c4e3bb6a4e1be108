//! The source a line at a time, with saphyr's positions (character
//! index, 1-based line, character column).

use saphyr_parser::Marker;

/// The source, a line at a time.
pub(super) struct Lines<'a> {
    pub(super) src: &'a str,
    /// Byte offset of the next line.
    pub(super) start: usize,
    /// Its character offset (after the last line: the number of characters).
    pub(super) start_char: usize,
    /// Its 1-based number.
    pub(super) number: usize,
}

impl<'a> Lines<'a> {
    /// The next line, or `Some(None)` for a line outside the subset.
    pub(super) fn next(&mut self) -> Option<Option<Line<'a>>> {
        let rest = self.src.get(self.start..).filter(|r| !r.is_empty())?;
        let len = rest.find('\n').unwrap_or(rest.len());
        let text = &rest[..len];
        let ascii = text.is_ascii();
        if !ascii && !text.chars().all(printable) {
            return Some(None);
        }
        let line = Line {
            text,
            start_char: self.start_char,
            number: self.number,
            ascii,
        };
        let chars = if ascii { len } else { text.chars().count() };
        self.start += len + 1;
        self.start_char += chars + usize::from(len < rest.len());
        self.number += 1;
        Some(Some(line))
    }

    pub(super) fn peek(&self) -> Option<&'a str> {
        let rest = self.src.get(self.start..).filter(|r| !r.is_empty())?;
        Some(&rest[..rest.find('\n').unwrap_or(rest.len())])
    }
}

/// Non-ASCII characters the fast path handles like any other: YAML's
/// printable set, without the ones saphyr treats apart (the byte order
/// mark, and the breaks of YAML 1.1).
fn printable(c: char) -> bool {
    c.is_ascii()
        || (c >= '\u{a0}'
            && !matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            ))
}

#[derive(Clone, Copy)]
pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    /// Character offset of the line in the source.
    start_char: usize,
    /// 1-based.
    number: usize,
    ascii: bool,
}

impl Line<'_> {
    /// The position of the byte at `column`; saphyr counts characters.
    pub(super) fn mark(&self, column: usize) -> Marker {
        let chars = if self.ascii {
            column
        } else {
            self.text[..column].chars().count()
        };
        Marker::new(self.start_char + chars, self.number, chars)
    }
}
