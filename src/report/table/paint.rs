//! Colours and display-width helpers for the terminal renderer.
//!
//! Colour is applied only through [`Paint`], which is a no-op when colour is
//! off, so a `color: false` rendering never contains an escape sequence.

use crate::checklist::Status;
use crate::finding::Severity;
use tabled::grid::util::string::get_text_width;
use tabled::settings::Color;

/// The one ellipsis used for every truncation.
pub(super) const ELLIPSIS: &str = "…";

/// Chooses colours; every method returns `None`/plain text when colour is off.
#[derive(Clone, Copy, Debug)]
pub(super) struct Paint {
    pub(super) on: bool,
}

impl Paint {
    fn pick(self, color: Color) -> Option<Color> {
        self.on.then_some(color)
    }

    pub(super) fn status(self, status: Status) -> Option<Color> {
        self.pick(match status {
            Status::Done => Color::FG_GREEN,
            Status::Partial => Color::FG_YELLOW,
            Status::Missing => Color::FG_RED,
            Status::NotApplicable => dim(),
        })
    }

    pub(super) fn severity(self, severity: Severity) -> Option<Color> {
        self.pick(match severity {
            Severity::Error => Color::FG_RED,
            Severity::Warning => Color::FG_YELLOW,
            Severity::Info => dim(),
        })
    }

    /// `yes`/`no` in the services table reads like a status mark.
    pub(super) fn yes_no(self, yes: bool) -> Option<Color> {
        self.status(if yes { Status::Done } else { Status::Missing })
    }

    /// `text` wrapped in `color`, or unchanged.
    pub(super) fn apply(self, color: Option<Color>, text: &str) -> String {
        match color {
            Some(c) if !text.is_empty() => c.colorize(text),
            _ => text.to_string(),
        }
    }
}

fn dim() -> Color {
    Color::new("\u{1b}[2m", "\u{1b}[22m")
}

/// Display columns of a single line of plain text (wide characters count 2).
pub(super) fn width_of(text: &str) -> usize {
    get_text_width(text)
}

/// `text` cut to at most `max` display columns, ending in `…` when cut.
pub(super) fn ellipsize(text: &str, max: usize) -> String {
    if width_of(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    // Cut at a character boundary so wide characters are never split.
    let mut cut = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = width_of(c.encode_utf8(&mut [0u8; 4]));
        if w + cw > max - 1 {
            break;
        }
        cut.push(c);
        w += cw;
    }
    cut.truncate(cut.trim_end().len());
    cut.push_str(ELLIPSIS);
    cut
}

/// `text` wrapped at spaces into lines of at most `max` columns. A word
/// longer than `max` is broken only after a `/` (paths), and a piece still
/// too long is cut with `…`: words are never split mid-way.
pub(super) fn wrap_words(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in text.split_whitespace() {
        for piece in split_long_word(word, max) {
            let w = width_of(&piece);
            if line_w > 0 && line_w + 1 + w > max {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            if line_w > 0 {
                line.push(' ');
                line_w += 1;
            }
            line.push_str(&piece);
            line_w += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `word` whole when it fits, else broken after `/` into pieces that fit,
/// each still too long piece cut with `…`.
fn split_long_word(word: &str, max: usize) -> Vec<String> {
    if width_of(word) <= max {
        return vec![word.to_string()];
    }
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    for part in word.split_inclusive('/') {
        if !current.is_empty() && width_of(&current) + width_of(part) > max {
            pieces.push(std::mem::take(&mut current));
        }
        current.push_str(part);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces.into_iter().map(|p| ellipsize(&p, max)).collect()
}

/// A relative path shortened from the left at a `/` so that its tail (the
/// file name, the service folder) survives: `…/payments/Dockerfile`.
pub(super) fn shorten_path(path: &str, max: usize) -> String {
    if width_of(path) <= max {
        return path.to_string();
    }
    let prefix = width_of(ELLIPSIS) + width_of("/");
    let mut rest = path;
    while let Some(pos) = rest.find('/') {
        rest = &rest[pos + 1..];
        if prefix + width_of(rest) <= max {
            return format!("{ELLIPSIS}/{rest}");
        }
    }
    ellipsize(path, max)
}
