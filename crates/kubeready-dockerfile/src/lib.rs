//! A Dockerfile parser that follows the grammar of BuildKit's frontend parser
//! (`moby/buildkit`, `frontend/dockerfile/parser`).
//!
//! [`parse`] never fails: problems that would make BuildKit reject the file
//! are collected in [`Dockerfile::errors`], and the instructions are still
//! returned on a best-effort basis so callers can lint broken files.
//!
//! Deliberate differences from BuildKit:
//! - a lone CR is treated as a line break (BuildKit only splits on LF);
//!   heredoc contents use `\n` line endings whatever the input used;
//! - flag words are lexed per character rather than per byte;
//! - BuildKit stops at the first error; this parser records it and goes on;
//! - BuildKit's 64 KiB line-length limit is not enforced.

// Every public item is documented: this crate's API is read by others.
#![warn(missing_docs)]

mod expand;
mod json;
mod lex;

pub use expand::expand_args;

use json::JsonArray;

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`), in order.
    pub directives: Vec<Directive>,
    /// The escape token in effect (`\` or `` ` ``).
    pub escape: char,
    /// Top-level instructions, in order.
    pub instructions: Vec<Instruction>,
    /// Every comment line (directives excluded), in order.
    pub comments: Vec<Comment>,
    /// Problems for which BuildKit's parser rejects the file.
    pub errors: Vec<ParseError>,
    /// Problems BuildKit only warns about (empty continuation lines).
    pub warnings: Vec<ParseError>,
}

/// A parser directive at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased directive name: `syntax`, `escape` or `check`.
    pub name: String,
    /// The directive's value, trimmed.
    pub value: String,
    /// 1-based line.
    pub line: u32,
}

/// A comment line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// 1-based line.
    pub line: u32,
    /// The text after the leading `#`, trimmed.
    pub text: String,
}

/// A problem found while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the problem.
    pub line: u32,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// The instruction keyword.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Keyword {
    /// `FROM`.
    From,
    /// `RUN`.
    Run,
    /// `CMD`.
    Cmd,
    /// `LABEL`.
    Label,
    /// `MAINTAINER`.
    Maintainer,
    /// `EXPOSE`.
    Expose,
    /// `ENV`.
    Env,
    /// `ADD`.
    Add,
    /// `COPY`.
    Copy,
    /// `ENTRYPOINT`.
    Entrypoint,
    /// `VOLUME`.
    Volume,
    /// `USER`.
    User,
    /// `WORKDIR`.
    Workdir,
    /// `ARG`.
    Arg,
    /// `ONBUILD`.
    Onbuild,
    /// `STOPSIGNAL`.
    Stopsignal,
    /// `HEALTHCHECK`.
    Healthcheck,
    /// `SHELL`.
    Shell,
    /// Any other word, upper-cased. BuildKit's parser keeps these; its
    /// dispatcher rejects them later. (Boxed: a keyword is 16 bytes,
    /// not 24, in every instruction.)
    Other(Box<str>),
}

impl Keyword {
    /// Maps an instruction word (any case) to its keyword.
    pub fn from_word(word: &str) -> Keyword {
        match word.to_ascii_lowercase().as_str() {
            "from" => Keyword::From,
            "run" => Keyword::Run,
            "cmd" => Keyword::Cmd,
            "label" => Keyword::Label,
            "maintainer" => Keyword::Maintainer,
            "expose" => Keyword::Expose,
            "env" => Keyword::Env,
            "add" => Keyword::Add,
            "copy" => Keyword::Copy,
            "entrypoint" => Keyword::Entrypoint,
            "volume" => Keyword::Volume,
            "user" => Keyword::User,
            "workdir" => Keyword::Workdir,
            "arg" => Keyword::Arg,
            "onbuild" => Keyword::Onbuild,
            "stopsignal" => Keyword::Stopsignal,
            "healthcheck" => Keyword::Healthcheck,
            "shell" => Keyword::Shell,
            _ => Keyword::Other(word.to_uppercase().into()),
        }
    }

    /// The upper-case instruction name.
    pub fn as_str(&self) -> &str {
        match self {
            Keyword::From => "FROM",
            Keyword::Run => "RUN",
            Keyword::Cmd => "CMD",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Expose => "EXPOSE",
            Keyword::Env => "ENV",
            Keyword::Add => "ADD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Volume => "VOLUME",
            Keyword::User => "USER",
            Keyword::Workdir => "WORKDIR",
            Keyword::Arg => "ARG",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Shell => "SHELL",
            Keyword::Other(s) => s,
        }
    }
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The instruction's keyword.
    pub keyword: Keyword,
    /// 1-based first line.
    pub line: u32,
    /// Last line, including continuation lines and heredoc bodies.
    pub end_line: u32,
    /// `--name[=value]` flags written before the arguments.
    pub flags: ThinList<Flag>,
    /// The arguments, split by the instruction's own syntax.
    pub args: Args,
    /// Heredoc bodies (RUN/COPY/ADD, also through ONBUILD).
    pub heredocs: ThinList<Heredoc>,
    /// The instruction text with continuations joined (BuildKit's `Node.Original`).
    pub original: Box<str>,
    /// Comments since the previous instruction (directives excluded).
    pub comments_before: ThinList<Comment>,
    /// Where the argument text (after the keyword and the flags, trimmed)
    /// lies in `original`: a range, not a copy, as Dockerfiles of a
    /// monorepo hold tens of thousands of instructions.
    args_at: (u32, u32),
}

/// A list that most instructions leave empty (flags, heredocs, comments):
/// one pointer wide, and no allocation while empty. Parsed Dockerfiles
/// live for the whole audit, and a monorepo's hold tens of thousands of
/// instructions: three `Vec`s took 72 of an instruction's 168 bytes.
// The extra allocation clippy warns about is the point: `Box<Vec>` is one
// pointer (a `Box<[T]>` would be two), paid only by non-empty lists.
#[allow(clippy::box_collection)]
#[derive(Clone, Eq)]
pub struct ThinList<T>(Option<Box<Vec<T>>>);

impl<T> ThinList<T> {
    /// An empty list.
    pub const fn new() -> Self {
        ThinList(None)
    }

    /// Appends an item.
    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Default::default).push(item);
    }

    /// The items.
    pub fn as_slice(&self) -> &[T] {
        self.0.as_deref().map(Vec::as_slice).unwrap_or(&[])
    }
}

impl<T> Default for ThinList<T> {
    fn default() -> Self {
        ThinList(None)
    }
}

impl<T> std::ops::Deref for ThinList<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: PartialEq> PartialEq for ThinList<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for ThinList<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ThinList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<T> From<Vec<T>> for ThinList<T> {
    fn from(mut v: Vec<T>) -> Self {
        if v.is_empty() {
            ThinList(None)
        } else {
            v.shrink_to_fit();
            ThinList(Some(Box::new(v)))
        }
    }
}

impl<T> FromIterator<T> for ThinList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        ThinList::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T> IntoIterator for ThinList<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|v| *v).unwrap_or_default().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ThinList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl Instruction {
    /// The argument text after the keyword and the flags, trimmed.
    pub fn args_text(&self) -> &str {
        let (start, end) = self.args_at;
        self.original
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// Where `inner`, a slice of `outer`, lies in it (an empty range at the end
/// when it is not a slice of it, such as a literal `""`).
fn span_in(outer: &str, inner: &str) -> (u32, u32) {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    let start = if i >= o && i + inner.len() <= o + outer.len() {
        i - o
    } else {
        outer.len()
    };
    let end = if start == outer.len() {
        start
    } else {
        start + inner.len()
    };
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (at(start), at(end))
}

/// A builder flag: `--mount=type=cache` is name `mount`, value `type=cache`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The name after `--`.
    pub name: String,
    /// The text after `=`, when there is one.
    pub value: Option<String>,
}

impl Flag {
    fn from_word(word: &str) -> Flag {
        let w = word.strip_prefix("--").unwrap_or(word);
        match w.split_once('=') {
            Some((n, v)) => Flag {
                name: n.to_string(),
                value: Some(v.to_string()),
            },
            None => Flag {
                name: w.to_string(),
                value: None,
            },
        }
    }
}

/// Instruction arguments, shaped per instruction as BuildKit's parser does.
///
/// "No arguments" is `Shell("")`, `Words(vec![])` or `KeyValues(vec![])`
/// depending on the instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// Exec form: a JSON array of strings (RUN, CMD, ENTRYPOINT, SHELL, and
    /// COPY, ADD, VOLUME, HEALTHCHECK CMD).
    Json(Vec<String>),
    /// Shell form (RUN, CMD, ENTRYPOINT, SHELL), MAINTAINER's text, and the
    /// raw remainder of unknown instructions.
    Shell(String),
    /// ENV and LABEL pairs; ARG names with optional defaults.
    KeyValues(Vec<KeyValue>),
    /// Whitespace-separated words (FROM, EXPOSE, non-JSON COPY/ADD/VOLUME);
    /// USER, WORKDIR and STOPSIGNAL hold their whole argument as one word.
    /// Quotes are kept as written.
    Words(Vec<String>),
    /// ONBUILD's nested instruction.
    Instruction(Box<Instruction>),
    /// HEALTHCHECK: `None` for `HEALTHCHECK NONE`, otherwise the check
    /// (`CMD`, or an unknown type as `Keyword::Other`).
    Healthcheck(Option<Box<Instruction>>),
}

/// A key with an optional value (ENV, LABEL, ARG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// The key as written.
    pub key: String,
    /// The value with shell quoting removed (variables are not expanded).
    /// `None` for an ARG without default (or a malformed pair).
    pub value: Option<String>,
    /// The value as written, quotes and escapes included.
    pub raw_value: Option<String>,
    /// `true` for the legacy `ENV key value` / `LABEL key value` form.
    pub legacy: bool,
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The terminator word, quotes removed.
    pub name: String,
    /// The body as written, each line ending in `\n` (tabs not stripped).
    pub content: String,
    /// `false` when the terminator word was quoted (no variable expansion).
    pub expand: bool,
    /// `true` for `<<-`: leading tabs are stripped from the body when used.
    pub chomp_tabs: bool,
    /// First line of the body.
    pub line: u32,
    /// The file descriptor prefix (`3<<EOF`), 0 when absent.
    pub fd: u32,
}

impl Heredoc {
    /// The body as the build sees it: leading tabs removed when `chomp_tabs`.
    pub fn body(&self) -> String {
        if !self.chomp_tabs {
            return self.content.clone();
        }
        let mut out = String::with_capacity(self.content.len());
        for piece in self.content.split_inclusive('\n') {
            out.push_str(piece.trim_start_matches('\t'));
        }
        out
    }
}

/// A build stage, starting at a FROM instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// 0-based position among the stages.
    pub index: usize,
    /// The `AS` name, lower-cased.
    pub name: Option<String>,
    /// The base image as written (variables not expanded).
    pub base: String,
    /// The `--platform` flag value.
    pub platform: Option<String>,
    /// 1-based line of the FROM.
    pub line: u32,
    /// Indices into [`Dockerfile::instructions`], including the FROM.
    pub instructions: std::ops::Range<usize>,
}

impl Dockerfile {
    /// Splits the instructions into stages at each FROM.
    pub fn stages(&self) -> Vec<Stage> {
        let starts: Vec<usize> = self
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == Keyword::From)
            .map(|(n, _)| n)
            .collect();
        let mut stages = Vec::with_capacity(starts.len());
        for (index, &start) in starts.iter().enumerate() {
            let end = starts
                .get(index + 1)
                .copied()
                .unwrap_or(self.instructions.len());
            let Some(from) = self.instructions.get(start) else {
                continue;
            };
            let words = match &from.args {
                Args::Words(w) => w.as_slice(),
                _ => &[],
            };
            let name = match words {
                [_, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => Some(name.to_lowercase()),
                _ => None,
            };
            let platform = from
                .flags
                .iter()
                .find(|f| f.name == "platform")
                .and_then(|f| f.value.clone());
            stages.push(Stage {
                index,
                name,
                base: words.first().cloned().unwrap_or_default(),
                platform,
                line: from.line,
                instructions: start..end,
            });
        }
        stages
    }

    /// ARGs declared before the first FROM, with the line of their ARG.
    pub fn global_args(&self) -> Vec<(KeyValue, u32)> {
        self.instructions
            .iter()
            .take_while(|i| i.keyword != Keyword::From)
            .filter(|i| i.keyword == Keyword::Arg)
            .flat_map(|i| match &i.args {
                Args::KeyValues(kvs) => kvs.iter().map(|kv| (kv.clone(), i.line)).collect(),
                _ => Vec::new(),
            })
            .collect()
    }
}

impl Instruction {
    /// The arguments as a list of words: JSON elements, shell text split
    /// into words (quotes removed, `\\` as escape token), or the
    /// instruction's words. See [`Instruction::words_with_escape`].
    pub fn words(&self) -> Vec<String> {
        self.words_with_escape('\\')
    }

    /// Like [`Instruction::words`], splitting shell text with the given
    /// escape token (pass [`Dockerfile::escape`]).
    pub fn words_with_escape(&self, escape: char) -> Vec<String> {
        match &self.args {
            Args::Json(v) | Args::Words(v) => v.clone(),
            Args::Shell(s) => lex::shell_words(s, escape),
            Args::KeyValues(kvs) => kvs
                .iter()
                .map(|kv| match &kv.value {
                    Some(v) => format!("{}={}", kv.key, v),
                    None => kv.key.clone(),
                })
                .collect(),
            Args::Instruction(i) => i.words_with_escape(escape),
            Args::Healthcheck(Some(i)) => i.words_with_escape(escape),
            Args::Healthcheck(None) => Vec::new(),
        }
    }

    /// The command of a RUN, CMD or ENTRYPOINT: shell text, JSON elements
    /// joined with spaces, or for `RUN <<EOF` the (tab-chomped) heredoc body.
    /// When a shell command merely feeds heredocs (`RUN python3 <<EOF`), the
    /// result is the command followed by the heredocs as a shell reads them.
    pub fn command_text(&self) -> Option<String> {
        if !matches!(
            self.keyword,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint
        ) {
            return None;
        }
        match &self.args {
            Args::Json(v) => Some(v.join(" ")),
            Args::Shell(s) => {
                if self.heredocs.is_empty() {
                    return Some(s.clone());
                }
                // BuildKit runs the first heredoc's body as the script when
                // the whole command is a single heredoc word.
                if matches!(lex::parse_heredoc_word(s), Ok(Some(_))) {
                    self.heredocs.first().map(Heredoc::body)
                } else {
                    let mut out = s.clone();
                    for h in &self.heredocs {
                        out.push('\n');
                        out.push_str(&h.body());
                        out.push_str(&h.name);
                    }
                    Some(out)
                }
            }
            _ => None,
        }
    }
}

/// Parses Dockerfile source. Never fails; see [`Dockerfile::errors`].
pub fn parse(src: &str) -> Dockerfile {
    Parser::new(src).run()
}

fn line_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Splits on LF, CRLF or a lone CR.
fn split_lines(src: &str) -> Vec<&str> {
    let b = src.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'\n') => {
                lines.push(src.get(start..i).unwrap_or(""));
                i += 1;
                start = i;
            }
            Some(b'\r') => {
                lines.push(src.get(start..i).unwrap_or(""));
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        lines.push(src.get(start..).unwrap_or(""));
    }
    lines
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// If `line` ends with the escape token (followed only by spaces/tabs) and
/// that token is not itself escaped, returns the line without it.
fn trim_continuation(line: &str, esc: char) -> (&str, bool) {
    let t = line.trim_end_matches([' ', '\t']);
    if let Some(before) = t.strip_suffix(esc) {
        if before.is_empty() || !before.ends_with(esc) {
            return (before, false);
        }
    }
    (line, true)
}

const MAX_ONBUILD_DEPTH: usize = 16;

struct Parser<'a> {
    lines: Vec<&'a str>,
    pos: usize,
    escape: char,
    directives_done: bool,
    out: Dockerfile,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        Parser {
            lines: split_lines(src),
            pos: 0,
            escape: '\\',
            directives_done: false,
            out: Dockerfile {
                directives: Vec::new(),
                escape: '\\',
                instructions: Vec::new(),
                comments: Vec::new(),
                errors: Vec::new(),
                warnings: Vec::new(),
            },
        }
    }

    fn error(&mut self, line: u32, message: impl Into<String>) {
        self.out.errors.push(ParseError {
            line,
            message: message.into(),
        });
    }

    /// BuildKit's directive rules: only leading `#` lines of the form
    /// `# name=value` with a known name; anything else ends the directives.
    fn directive(&mut self, line: &str, line_no: u32) -> Option<Directive> {
        if self.directives_done {
            return None;
        }
        let Some(body) = line.strip_prefix('#') else {
            self.directives_done = true;
            return None;
        };
        let body = body.trim_start();
        let name_len = body
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map(|(i, _)| i)
            .unwrap_or(body.len());
        let go_ws = ['\t', '\n', '\u{0c}', '\r', ' '];
        let (name, after) = body.split_at(name_len);
        // `\s*=\s*(.+?)\s*$`: a value made only of whitespace keeps its last character.
        let value = after
            .trim_start_matches(go_ws)
            .strip_prefix('=')
            .and_then(|v| match v.trim_matches(go_ws) {
                "" => v.char_indices().last().and_then(|(i, _)| v.get(i..)),
                t => Some(t),
            });
        let (Some(value), false) = (value, name.is_empty()) else {
            self.directives_done = true;
            return None;
        };
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return None;
        }
        if self.out.directives.iter().any(|d| d.name == name) {
            self.error(
                line_no,
                format!("only one {name} parser directive can be used"),
            );
            return None;
        }
        if name == "escape" {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => {
                    self.error(
                        line_no,
                        format!("invalid escape token '{value}' does not match ` or \\"),
                    );
                    return None;
                }
            }
        }
        Some(Directive {
            name,
            value: value.to_string(),
            line: line_no,
        })
    }

    fn comment(line: &str, line_no: u32) -> Comment {
        let t = line.trim_start();
        let t = t.strip_prefix('#').unwrap_or(t);
        Comment {
            line: line_no,
            text: t.trim().to_string(),
        }
    }

    fn run(mut self) -> Dockerfile {
        let mut pending: Vec<Comment> = Vec::new();
        while let Some(&raw) = self.lines.get(self.pos) {
            self.pos += 1;
            let line_no = line_u32(self.pos);
            let stripped = raw.trim_start();
            if let Some(d) = self.directive(stripped, line_no) {
                self.out.directives.push(d);
                continue;
            }
            if is_comment(raw) {
                let c = Self::comment(raw, line_no);
                self.out.comments.push(c.clone());
                pending.push(c);
                continue;
            }
            let esc = self.escape;
            let (text, mut eol) = trim_continuation(stripped, esc);
            if eol && text.is_empty() {
                continue;
            }
            let start = line_no;
            let mut buf = String::from(text);
            let mut has_empty = false;
            while !eol {
                let Some(&raw2) = self.lines.get(self.pos) else {
                    break;
                };
                self.pos += 1;
                if is_comment(raw2) {
                    let c = Self::comment(raw2, line_u32(self.pos));
                    self.out.comments.push(c);
                    continue;
                }
                if raw2.trim_start().is_empty() {
                    has_empty = true;
                    continue;
                }
                let (t, e) = trim_continuation(raw2, esc);
                buf.push_str(t);
                eol = e;
            }
            let mut end = line_u32(self.pos);
            if has_empty {
                self.out.warnings.push(ParseError {
                    line: end,
                    message: format!("Empty continuation line found in: {buf}"),
                });
            }
            let mut errs = Vec::new();
            let mut inst = build_instruction(&buf, esc, start, end, 0, &mut errs);
            for e in errs {
                self.error(start, e);
            }
            if can_contain_heredoc(&inst) && buf.contains("<<") {
                match lex::heredocs_from_line(&buf) {
                    Err(e) => self.error(start, e),
                    Ok(markers) => {
                        for m in markers {
                            let body_line = line_u32(self.pos + 1);
                            let mut content = String::new();
                            let mut terminated = false;
                            while let Some(&l) = self.lines.get(self.pos) {
                                self.pos += 1;
                                let candidate = if m.chomp {
                                    l.trim_start_matches('\t')
                                } else {
                                    l
                                };
                                if candidate == m.name {
                                    terminated = true;
                                    break;
                                }
                                content.push_str(l);
                                content.push('\n');
                            }
                            inst.heredocs.push(Heredoc {
                                name: m.name,
                                content,
                                expand: m.expand,
                                chomp_tabs: m.chomp,
                                line: body_line,
                                fd: m.fd,
                            });
                            if !terminated {
                                self.error(start, "unterminated heredoc");
                                break;
                            }
                        }
                        end = line_u32(self.pos);
                        inst.end_line = end;
                        if let Args::Instruction(sub) = &mut inst.args {
                            sub.heredocs = inst.heredocs.clone();
                            sub.end_line = end;
                        }
                    }
                }
            }
            inst.comments_before = std::mem::take(&mut pending).into();
            self.out.instructions.push(inst);
        }
        if self.out.instructions.is_empty() {
            let n = line_u32(self.lines.len());
            self.error(n, "file with no instructions");
        }
        self.out.escape = self.escape;
        // Parsed Dockerfiles live for the whole audit: a doubling vector
        // held ~45 % spare instructions (10 MB over 1,000 files of 12
        // stages).
        self.out.instructions.shrink_to_fit();
        self.out.comments.shrink_to_fit();
        self.out
    }
}

fn can_contain_heredoc(inst: &Instruction) -> bool {
    let target = match (&inst.keyword, &inst.args) {
        (Keyword::Onbuild, Args::Instruction(sub)) => sub.as_ref(),
        _ => inst,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
        && !matches!(target.args, Args::Json(_))
}

const NOT_STRINGS: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// JSON if it is a JSON array of strings, else the raw text (RUN, CMD, ...).
fn maybe_json(rest: &str, errs: &mut Vec<String>) -> Args {
    if rest.is_empty() {
        return Args::Shell(String::new());
    }
    match json::parse_json_array(rest) {
        JsonArray::Strings(v) => Args::Json(v),
        JsonArray::NotStrings => {
            errs.push(NOT_STRINGS.to_string());
            Args::Shell(rest.to_string())
        }
        JsonArray::Invalid => Args::Shell(rest.to_string()),
    }
}

/// JSON if it is a JSON array of strings, else whitespace-separated words.
fn maybe_json_to_list(rest: &str, errs: &mut Vec<String>) -> Args {
    match json::parse_json_array(rest) {
        JsonArray::Strings(v) => Args::Json(v),
        JsonArray::NotStrings => {
            errs.push(NOT_STRINGS.to_string());
            Args::Words(lex::split_ws(rest))
        }
        JsonArray::Invalid => Args::Words(lex::split_ws(rest)),
    }
}

fn name_val(rest: &str, what: &str, esc: char, errs: &mut Vec<String>) -> Args {
    let words = lex::parse_words(rest, esc);
    let Some(first) = words.first() else {
        return Args::KeyValues(Vec::new());
    };
    if !first.contains('=') {
        let kv = match rest.split_once(lex::is_split_ws) {
            Some((k, v)) => {
                let v = v.trim_start_matches(lex::is_split_ws);
                KeyValue {
                    key: k.to_string(),
                    value: Some(lex::unquote(v, esc)),
                    raw_value: Some(v.to_string()),
                    legacy: true,
                }
            }
            None => {
                errs.push(format!("{what} must have two arguments"));
                KeyValue {
                    key: rest.to_string(),
                    value: None,
                    raw_value: None,
                    legacy: true,
                }
            }
        };
        return Args::KeyValues(vec![kv]);
    }
    let mut kvs = Vec::with_capacity(words.len());
    for w in &words {
        match w.split_once('=') {
            Some((k, v)) => kvs.push(KeyValue {
                key: k.to_string(),
                value: Some(lex::unquote(v, esc)),
                raw_value: Some(v.to_string()),
                legacy: false,
            }),
            None => {
                if errs.is_empty() {
                    errs.push(format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        lex::go_quote(w)
                    ));
                }
                kvs.push(KeyValue {
                    key: w.clone(),
                    value: None,
                    raw_value: None,
                    legacy: false,
                });
            }
        }
    }
    Args::KeyValues(kvs)
}

fn arg_words(rest: &str, esc: char) -> Args {
    Args::KeyValues(
        lex::parse_words(rest, esc)
            .into_iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => KeyValue {
                    key: k.to_string(),
                    value: Some(lex::unquote(v, esc)),
                    raw_value: Some(v.to_string()),
                    legacy: false,
                },
                None => KeyValue {
                    key: w,
                    value: None,
                    raw_value: None,
                    legacy: false,
                },
            })
            .collect(),
    )
}

fn single_word(rest: &str) -> Args {
    if rest.is_empty() {
        Args::Words(Vec::new())
    } else {
        Args::Words(vec![rest.to_string()])
    }
}

fn healthcheck(rest: &str, start: u32, end: u32, errs: &mut Vec<String>) -> Args {
    let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if sep == 0 {
        return Args::Shell(String::new());
    }
    let (typ, after) = rest.split_at(sep);
    let cmd = after.trim_start();
    if typ.eq_ignore_ascii_case("none") && cmd.is_empty() {
        return Args::Healthcheck(None);
    }
    let keyword = if typ.eq_ignore_ascii_case("cmd") {
        Keyword::Cmd
    } else {
        Keyword::Other(typ.to_uppercase().into())
    };
    let args = maybe_json(cmd, errs);
    Args::Healthcheck(Some(Box::new(Instruction {
        keyword,
        line: start,
        end_line: end,
        flags: ThinList::new(),
        args,
        heredocs: ThinList::new(),
        original: rest.into(),
        comments_before: ThinList::new(),
        args_at: span_in(rest, cmd),
    })))
}

fn build_instruction(
    line: &str,
    esc: char,
    start: u32,
    end: u32,
    depth: usize,
    errs: &mut Vec<String>,
) -> Instruction {
    let (cmd, flags, rest) = lex::split_command(line, esc);
    let keyword = Keyword::from_word(cmd);
    let args = match &keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => maybe_json_to_list(rest, errs),
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            maybe_json(rest, errs)
        }
        Keyword::Arg => arg_words(rest, esc),
        Keyword::Env => name_val(rest, "ENV", esc, errs),
        Keyword::Label => name_val(rest, "LABEL", esc, errs),
        Keyword::Expose | Keyword::From => Args::Words(lex::split_ws(rest)),
        Keyword::Healthcheck => healthcheck(rest, start, end, errs),
        Keyword::User | Keyword::Workdir | Keyword::Stopsignal => single_word(rest),
        Keyword::Maintainer | Keyword::Other(_) => Args::Shell(rest.to_string()),
        Keyword::Onbuild => {
            if rest.is_empty() {
                Args::Shell(String::new())
            } else if depth >= MAX_ONBUILD_DEPTH {
                errs.push("ONBUILD nested too deeply".to_string());
                Args::Shell(rest.to_string())
            } else {
                Args::Instruction(Box::new(build_instruction(
                    rest,
                    esc,
                    start,
                    end,
                    depth + 1,
                    errs,
                )))
            }
        }
    };
    Instruction {
        keyword,
        line: start,
        end_line: end,
        flags: flags.iter().map(|f| Flag::from_word(f)).collect(),
        args,
        heredocs: ThinList::new(),
        original: line.into(),
        comments_before: ThinList::new(),
        args_at: span_in(line, rest),
    }
}

#[cfg(test)]
mod tests;
