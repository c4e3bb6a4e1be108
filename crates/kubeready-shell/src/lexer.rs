//! Tokenizer: turns shell text into words, operators and redirections.
//!
//! Iterative and linear: every loop advances the cursor, and the only
//! auxiliary structure (the context stack in [`scan_balanced`]) is bounded by
//! the input length. Never panics: all byte access goes through `get`.

/// A `$(...)` or backtick body found inside a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sub {
    /// The inner text, to be parsed as a script.
    pub src: String,
    /// 0-based line (relative to the lexed text) where the body starts.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Quotes removed, escapes resolved, expansions kept literally.
    pub text: String,
    pub line: u32,
    /// Any quoting or escaping appeared in the word.
    pub quoted: bool,
    /// Length in bytes of the leading run of `text` that came from plain,
    /// unquoted, unexpanded characters (for assignment detection).
    pub lit_prefix: usize,
    pub subs: Vec<Sub>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    And,
    Or,
    Semi,
    Newline,
    Pipe,
    Amp,
    LParen,
    RParen,
    /// `;;`, `;&`, `;;&` (case item terminators).
    DSemi,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Word(Word),
    Op(Op),
    /// A redirection operator; the next word is its target.
    Redir,
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn slice(b: &[u8], from: usize, to: usize) -> &[u8] {
    let to = to.min(b.len());
    b.get(from.min(to)..to).unwrap_or(&[])
}

fn count_nl(b: &[u8]) -> u32 {
    let n = b.iter().filter(|&&c| c == b'\n').count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn bytes_to_string(v: Vec<u8>) -> String {
    match String::from_utf8(v) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\r' || c == 0x0b || c == 0x0c
}

fn is_meta(c: u8) -> bool {
    matches!(c, b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>')
}

/// Index just past the closing backtick of a backtick span starting at `j`.
fn skip_backtick(b: &[u8], j: usize) -> usize {
    let mut k = j + 1;
    while k < b.len() {
        match at(b, k) {
            b'\\' => k += 2,
            b'`' => return k + 1,
            _ => k += 1,
        }
    }
    b.len()
}

fn skip_squote(b: &[u8], j: usize) -> usize {
    let mut k = j + 1;
    while k < b.len() {
        if at(b, k) == b'\'' {
            return k + 1;
        }
        k += 1;
    }
    b.len()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Paren,
    Brace,
    Dq,
}

/// `open` points at `(` or `{`. Returns the index just past the matching
/// closer, or `None` when unbalanced. Understands quotes, escapes, nested
/// `$(`, `${`, backticks and comments. Iterative.
pub(crate) fn scan_balanced(b: &[u8], open: usize) -> Option<usize> {
    let first = match at(b, open) {
        b'(' => Ctx::Paren,
        b'{' => Ctx::Brace,
        _ => return None,
    };
    let mut stack = vec![first];
    let mut j = open + 1;
    while j < b.len() {
        let c = at(b, j);
        let top = *stack.last()?;
        if top == Ctx::Dq {
            match c {
                b'\\' => j += 2,
                b'"' => {
                    stack.pop();
                    j += 1;
                }
                b'$' if at(b, j + 1) == b'(' => {
                    stack.push(Ctx::Paren);
                    j += 2;
                }
                b'$' if at(b, j + 1) == b'{' => {
                    stack.push(Ctx::Brace);
                    j += 2;
                }
                b'`' => j = skip_backtick(b, j),
                _ => j += 1,
            }
        } else {
            match c {
                b'\\' => j += 2,
                b'\'' => j = skip_squote(b, j),
                b'"' => {
                    stack.push(Ctx::Dq);
                    j += 1;
                }
                b'`' => j = skip_backtick(b, j),
                b'$' if at(b, j + 1) == b'(' => {
                    stack.push(Ctx::Paren);
                    j += 2;
                }
                b'$' if at(b, j + 1) == b'{' => {
                    stack.push(Ctx::Brace);
                    j += 2;
                }
                b'(' if top == Ctx::Paren => {
                    stack.push(Ctx::Paren);
                    j += 1;
                }
                b'{' if top == Ctx::Brace => {
                    stack.push(Ctx::Brace);
                    j += 1;
                }
                b')' if top == Ctx::Paren => {
                    stack.pop();
                    j += 1;
                }
                b'}' if top == Ctx::Brace => {
                    stack.pop();
                    j += 1;
                }
                b'#' if top == Ctx::Paren
                    && (j == 0 || is_blank(at(b, j - 1)) || at(b, j - 1) == b'\n') =>
                {
                    while j < b.len() && at(b, j) != b'\n' {
                        j += 1;
                    }
                }
                _ => j += 1,
            }
        }
        if stack.is_empty() {
            return Some(j.min(b.len()));
        }
    }
    None
}

struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    plain: bool,
    toks: Vec<Tok>,
    heredoc_pending: Option<bool>,
    heredocs: Vec<(String, bool)>,
}

struct WordBuf {
    buf: Vec<u8>,
    quoted: bool,
    lit_prefix: Option<usize>,
    subs: Vec<Sub>,
}

impl WordBuf {
    fn mark_special(&mut self) {
        if self.lit_prefix.is_none() {
            self.lit_prefix = Some(self.buf.len());
        }
    }
    fn mark_quoted(&mut self) {
        self.quoted = true;
        self.mark_special();
    }
}

/// Tokenize `src`. In `plain` mode (for [`crate::split_words`]) only blanks
/// and newlines separate words: operators, comments and redirections are
/// ordinary text.
pub(crate) fn lex(src: &str, plain: bool) -> Vec<Tok> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut lx = Lexer {
        b: src.as_bytes(),
        i: 0,
        line: 0,
        plain,
        toks: Vec::new(),
        heredoc_pending: None,
        heredocs: Vec::new(),
    };
    lx.run();
    lx.toks
}

impl Lexer<'_> {
    fn c(&self, k: usize) -> u8 {
        at(self.b, self.i + k)
    }

    fn op(&mut self, op: Op, len: usize) {
        self.heredoc_pending = None;
        self.toks.push(Tok::Op(op));
        self.i += len;
    }

    fn run(&mut self) {
        let n = self.b.len();
        while self.i < n {
            let c = self.c(0);
            if is_blank(c) {
                self.i += 1;
                continue;
            }
            if c == b'\\' && self.c(1) == b'\n' {
                self.i += 2;
                self.line += 1;
                continue;
            }
            if c == b'\\' && self.c(1) == b'\r' && self.c(2) == b'\n' {
                self.i += 3;
                self.line += 1;
                continue;
            }
            if c == b'\n' {
                if self.plain {
                    self.i += 1;
                    self.line += 1;
                    continue;
                }
                self.op(Op::Newline, 1);
                self.line += 1;
                if !self.heredocs.is_empty() {
                    self.skip_heredoc_bodies();
                }
                continue;
            }
            if self.plain {
                self.word();
                continue;
            }
            match c {
                b'#' => {
                    while self.i < n && self.c(0) != b'\n' {
                        self.i += 1;
                    }
                }
                b'&' => {
                    if self.c(1) == b'&' {
                        self.op(Op::And, 2);
                    } else if self.c(1) == b'>' {
                        let len = if self.c(2) == b'>' { 3 } else { 2 };
                        self.redir(len, None);
                    } else {
                        self.op(Op::Amp, 1);
                    }
                }
                b'|' => {
                    if self.c(1) == b'|' {
                        self.op(Op::Or, 2);
                    } else if self.c(1) == b'&' {
                        self.op(Op::Pipe, 2);
                    } else {
                        self.op(Op::Pipe, 1);
                    }
                }
                b';' => {
                    if self.c(1) == b';' {
                        let len = if self.c(2) == b'&' { 3 } else { 2 };
                        self.op(Op::DSemi, len);
                    } else if self.c(1) == b'&' {
                        self.op(Op::DSemi, 2);
                    } else {
                        self.op(Op::Semi, 1);
                    }
                }
                b'(' => {
                    if self.c(1) == b'(' {
                        // Arithmetic command `(( ... ))`: one opaque word.
                        self.opaque_paren_word();
                    } else {
                        self.op(Op::LParen, 1);
                    }
                }
                b')' => self.op(Op::RParen, 1),
                b'<' | b'>' => {
                    if self.c(1) == b'(' {
                        self.word();
                    } else {
                        self.redirection_at();
                    }
                }
                b'0'..=b'9' => {
                    let mut j = self.i;
                    while at(self.b, j).is_ascii_digit() {
                        j += 1;
                    }
                    let d = at(self.b, j);
                    if (d == b'<' || d == b'>') && at(self.b, j + 1) != b'(' {
                        self.i = j;
                        self.redirection_at();
                    } else {
                        self.word();
                    }
                }
                _ => self.word(),
            }
        }
    }

    /// At `<` or `>`: lex one redirection operator.
    fn redirection_at(&mut self) {
        let c = self.c(0);
        let c1 = self.c(1);
        if c == b'<' {
            if c1 == b'<' {
                if self.c(2) == b'<' {
                    self.redir(3, None); // here-string
                } else if self.c(2) == b'-' {
                    self.redir(3, Some(true));
                } else {
                    self.redir(2, Some(false));
                }
            } else if c1 == b'&' || c1 == b'>' {
                self.redir(2, None);
            } else {
                self.redir(1, None);
            }
        } else if c1 == b'>' || c1 == b'|' || c1 == b'&' {
            self.redir(2, None);
        } else {
            self.redir(1, None);
        }
    }

    fn redir(&mut self, len: usize, heredoc: Option<bool>) {
        self.toks.push(Tok::Redir);
        self.i += len;
        self.heredoc_pending = heredoc;
    }

    fn opaque_paren_word(&mut self) {
        let start = self.i;
        let end = scan_balanced(self.b, self.i).unwrap_or(self.b.len());
        let raw = slice(self.b, start, end);
        let line = self.line;
        self.line = self.line.saturating_add(count_nl(raw));
        self.i = end;
        let text = bytes_to_string(raw.to_vec());
        self.toks.push(Tok::Word(Word {
            text,
            line,
            quoted: true,
            lit_prefix: 0,
            subs: Vec::new(),
        }));
    }

    /// Push a raw span `[from, to)` literally into the word buffer and count
    /// its newlines.
    fn push_raw(&mut self, w: &mut WordBuf, from: usize, to: usize) {
        let raw = slice(self.b, from, to);
        w.buf.extend_from_slice(raw);
        self.line = self.line.saturating_add(count_nl(raw));
        self.i = if to > from { to } else { from + 1 };
    }

    /// `$(...)` at `self.i` (pointing at `$`).
    fn dollar_paren(&mut self, w: &mut WordBuf) {
        w.mark_special();
        let start = self.i;
        let open = self.i + 1;
        let arith = at(self.b, open + 1) == b'(';
        let end = scan_balanced(self.b, open);
        let line = self.line;
        let stop = end.unwrap_or(self.b.len());
        if !arith {
            let inner_end = if end.is_some() { stop - 1 } else { stop };
            let inner = slice(self.b, open + 1, inner_end);
            w.subs.push(Sub {
                src: bytes_to_string(inner.to_vec()),
                line,
            });
        }
        self.push_raw(w, start, stop);
    }

    fn backtick(&mut self, w: &mut WordBuf) {
        w.mark_special();
        let start = self.i;
        let end = skip_backtick(self.b, start);
        let closed = end > start + 1 && at(self.b, end - 1) == b'`' && end <= self.b.len();
        let inner_end = if closed { end - 1 } else { end };
        let inner = slice(self.b, start + 1, inner_end);
        let mut un = Vec::with_capacity(inner.len());
        let mut k = 0;
        while k < inner.len() {
            let c = at(inner, k);
            let d = at(inner, k + 1);
            if c == b'\\' && matches!(d, b'`' | b'\\' | b'$') {
                un.push(d);
                k += 2;
            } else {
                un.push(c);
                k += 1;
            }
        }
        w.subs.push(Sub {
            src: bytes_to_string(un),
            line: self.line,
        });
        self.push_raw(w, start, end);
    }

    fn ansi_c(&mut self, w: &mut WordBuf) {
        // at `$'`
        w.mark_quoted();
        self.i += 2;
        while self.i < self.b.len() {
            let c = self.c(0);
            match c {
                b'\'' => {
                    self.i += 1;
                    return;
                }
                b'\\' => {
                    let d = self.c(1);
                    let out = match d {
                        b'n' => Some(b'\n'),
                        b't' => Some(b'\t'),
                        b'r' => Some(b'\r'),
                        b'\\' => Some(b'\\'),
                        b'\'' => Some(b'\''),
                        b'"' => Some(b'"'),
                        b'e' | b'E' => Some(0x1b),
                        b'a' => Some(0x07),
                        b'0' => None,
                        _ => None,
                    };
                    match out {
                        Some(o) => {
                            w.buf.push(o);
                            self.i += 2;
                        }
                        None => {
                            w.buf.push(b'\\');
                            self.i += 1;
                        }
                    }
                }
                _ => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    w.buf.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn dquote(&mut self, w: &mut WordBuf) {
        w.mark_quoted();
        self.i += 1;
        while self.i < self.b.len() {
            let c = self.c(0);
            match c {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => {
                    let d = self.c(1);
                    if d == b'\n' {
                        self.i += 2;
                        self.line += 1;
                    } else if matches!(d, b'$' | b'`' | b'"' | b'\\') {
                        w.buf.push(d);
                        self.i += 2;
                    } else {
                        w.buf.push(b'\\');
                        self.i += 1;
                    }
                }
                b'$' if self.c(1) == b'(' => self.dollar_paren(w),
                b'$' if self.c(1) == b'{' => {
                    let end = scan_balanced(self.b, self.i + 1).unwrap_or(self.b.len());
                    let start = self.i;
                    self.push_raw(w, start, end);
                }
                b'`' => self.backtick(w),
                _ => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    w.buf.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn word(&mut self) {
        let line = self.line;
        let mut w = WordBuf {
            buf: Vec::new(),
            quoted: false,
            lit_prefix: None,
            subs: Vec::new(),
        };
        let n = self.b.len();
        while self.i < n {
            let c = self.c(0);
            if is_blank(c) || c == b'\n' {
                break;
            }
            if !self.plain && is_meta(c) {
                if (c == b'<' || c == b'>') && self.c(1) == b'(' {
                    // Process substitution: kept as text, body parsed.
                    w.mark_special();
                    let start = self.i;
                    let open = self.i + 1;
                    let end = scan_balanced(self.b, open);
                    let stop = end.unwrap_or(n);
                    let inner_end = if end.is_some() { stop - 1 } else { stop };
                    w.subs.push(Sub {
                        src: bytes_to_string(slice(self.b, open + 1, inner_end).to_vec()),
                        line: self.line,
                    });
                    self.push_raw(&mut w, start, stop);
                    continue;
                }
                break;
            }
            match c {
                b'\\' => {
                    let d = self.c(1);
                    if d == b'\n' {
                        self.i += 2;
                        self.line += 1;
                    } else if d == b'\r' && self.c(2) == b'\n' {
                        self.i += 3;
                        self.line += 1;
                    } else if self.i + 1 < n {
                        w.mark_quoted();
                        w.buf.push(d);
                        self.i += 2;
                    } else {
                        self.i += 1;
                    }
                }
                b'\'' => {
                    w.mark_quoted();
                    let end = skip_squote(self.b, self.i);
                    let inner_end =
                        if at(self.b, end.saturating_sub(1)) == b'\'' && end > self.i + 1 {
                            end - 1
                        } else {
                            end
                        };
                    let inner = slice(self.b, self.i + 1, inner_end);
                    w.buf.extend_from_slice(inner);
                    self.line = self.line.saturating_add(count_nl(inner));
                    self.i = end;
                }
                b'"' => self.dquote(&mut w),
                b'`' => self.backtick(&mut w),
                b'$' => match self.c(1) {
                    b'(' => self.dollar_paren(&mut w),
                    b'{' => {
                        w.mark_special();
                        let start = self.i;
                        let end = scan_balanced(self.b, self.i + 1).unwrap_or(n);
                        self.push_raw(&mut w, start, end);
                    }
                    b'\'' => self.ansi_c(&mut w),
                    b'"' => {
                        self.i += 1;
                        self.dquote(&mut w);
                    }
                    _ => {
                        w.mark_special();
                        w.buf.push(b'$');
                        self.i += 1;
                    }
                },
                _ => {
                    w.buf.push(c);
                    self.i += 1;
                }
            }
        }
        let text = bytes_to_string(w.buf);
        let lit_prefix = w.lit_prefix.unwrap_or(text.len()).min(text.len());
        if let Some(strip) = self.heredoc_pending.take() {
            self.heredocs.push((text.clone(), strip));
        }
        self.toks.push(Tok::Word(Word {
            text,
            line,
            quoted: w.quoted,
            lit_prefix,
            subs: w.subs,
        }));
    }

    /// Called right after a newline when heredocs are pending: skip their
    /// bodies (they are data, not commands).
    fn skip_heredoc_bodies(&mut self) {
        let docs = std::mem::take(&mut self.heredocs);
        let n = self.b.len();
        for (delim, strip_tabs) in docs {
            while self.i < n {
                let start = self.i;
                let mut e = start;
                while e < n && at(self.b, e) != b'\n' {
                    e += 1;
                }
                let raw = slice(self.b, start, e);
                let text = String::from_utf8_lossy(raw);
                let mut l: &str = text.trim_end_matches(['\r', ' ', '\t']);
                if strip_tabs {
                    l = l.trim_start_matches('\t');
                }
                let l = l.trim_start();
                self.i = (e + 1).min(n);
                if e < n {
                    self.line += 1;
                }
                if l == delim {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<String> {
        lex(src, false)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Word(w) => Some(w.text),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            words(r#"echo 'a b' "c \"d\" $X" e\ f"#),
            vec!["echo", "a b", "c \"d\" $X", "e f"]
        );
    }

    #[test]
    fn command_substitution_kept_literally() {
        let toks = lex("echo $(date +%s) `id -u`", false);
        let Tok::Word(w) = &toks[1] else {
            panic!("word")
        };
        assert_eq!(w.text, "$(date +%s)");
        assert_eq!(w.subs[0].src, "date +%s");
        let Tok::Word(w) = &toks[2] else {
            panic!("word")
        };
        assert_eq!(w.text, "`id -u`");
        assert_eq!(w.subs[0].src, "id -u");
    }

    #[test]
    fn github_expressions_stay_one_word() {
        assert_eq!(
            words("docker build -t ${{ env.IMAGE }}:${{ github.sha }} ."),
            vec![
                "docker",
                "build",
                "-t",
                "${{ env.IMAGE }}:${{ github.sha }}",
                "."
            ]
        );
    }

    #[test]
    fn scan_balanced_handles_nesting() {
        let s = b"$(a \"$(b)\" ')' (c)) rest";
        assert_eq!(scan_balanced(s, 1), Some(19));
        assert_eq!(scan_balanced(b"$(unclosed", 1), None);
    }

    #[test]
    fn ansi_c_quotes() {
        assert_eq!(words(r"printf $'a\tb'"), vec!["printf", "a\tb"]);
    }
}
