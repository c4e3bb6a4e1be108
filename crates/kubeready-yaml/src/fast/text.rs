//! What one line holds: keys, plain and quoted scalars, the end of a line.

use std::borrow::Cow;

use saphyr_parser::ScalarStyle;

/// A `- ` (or lone `-`) sequence entry.
pub(super) fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// What may follow a node on its line: spaces, then a comment or nothing.
pub(super) fn line_ends(rest: &str) -> Option<()> {
    if rest.is_empty() {
        return Some(());
    }
    let trimmed = rest.trim_start_matches(' ');
    (trimmed.len() < rest.len() && (trimmed.is_empty() || trimmed.starts_with('#'))).then_some(())
}

/// Whether a plain scalar may start with this text's first characters
/// (indicators are left to saphyr, but for `-` before a character such
/// as in `-Xmx64m` or `--flag`).
pub(super) fn plain_start(text: &str) -> bool {
    match text.as_bytes() {
        [] => false,
        [b'-', next, ..] => !b" ,[]{}".contains(next),
        [c, ..] => !b"-?:,[]{}#&*!|>'\"%@`".contains(c),
    }
}

/// The key of a `key: value` line: its text, style, and the column of its
/// colon. `None` when the line is not a simple key (or not a key at all).
pub(super) fn key_end(content: &str) -> Option<(&str, ScalarStyle, usize)> {
    let first = *content.as_bytes().first()?;
    if first == b'"' || first == b'\'' {
        let (text, style, len) = quoted(content)?;
        let Cow::Borrowed(text) = text else {
            return None;
        };
        let after = &content[len..];
        let colon = len + (after.len() - after.trim_start_matches(' ').len());
        let rest = &content[colon..];
        return (rest.starts_with(':') && (rest.len() == 1 || rest.as_bytes()[1] == b' '))
            .then_some((text, style, colon));
    }
    if !plain_start(content) {
        return None;
    }
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => {
                let key = content[..i].trim_end_matches(' ');
                return Some((key, ScalarStyle::Plain, i));
            }
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A plain scalar value running to the end of its line (or a comment).
pub(super) fn plain_value(rest: &str) -> Option<&str> {
    if !plain_start(rest) {
        return None;
    }
    let end = rest.find(" #").unwrap_or(rest.len());
    let text = rest[..end].trim_end_matches(' ');
    if text.contains(": ") || text.ends_with(':') {
        return None;
    }
    Some(text)
}

/// A one-line quoted scalar at the start of `text`: its value, style and
/// length in the source. Escapes and line breaks are left to saphyr.
pub(super) fn quoted(text: &str) -> Option<(Cow<'_, str>, ScalarStyle, usize)> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'"') {
        let end = 1 + text[1..].find('"')?;
        let inner = &text[1..end];
        if inner.contains('\\') {
            return None;
        }
        return Some((Cow::Borrowed(inner), ScalarStyle::DoubleQuoted, end + 1));
    }
    // Single-quoted: `''` is a quote.
    let mut i = 1;
    let mut doubled = false;
    loop {
        match bytes.get(i)? {
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => {
                doubled = true;
                i += 2;
            }
            b'\'' => break,
            _ => i += 1,
        }
    }
    let inner = &text[1..i];
    let value = if doubled {
        Cow::Owned(inner.replace("''", "'"))
    } else {
        Cow::Borrowed(inner)
    };
    Some((value, ScalarStyle::SingleQuoted, i + 1))
}
