//! The parse stage: each file kind into a typed model with line numbers.
//! Parsers record facts and problems; they never judge.

pub mod manifest;

/// A file that could not be read or parsed (fully or in part). Rules turn
/// these into `KR9xx` findings; the audit goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseProblem {
    pub file: String,
    pub line: u32,
    pub column: Option<u32>,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// Cannot be read: binary, bad encoding, too large, I/O error.
    Unreadable,
    /// Read but not parsable (syntax error).
    Syntax,
    /// Parsed, but a part of it is not understood (e.g. duplicate keys).
    Partial,
}

impl ParseProblem {
    pub fn new(file: &str, line: u32, kind: ProblemKind, message: impl Into<String>) -> ParseProblem {
        ParseProblem {
            file: file.to_string(),
            line: line.max(1),
            column: None,
            kind,
            message: message.into(),
        }
    }
}
