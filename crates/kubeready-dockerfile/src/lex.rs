//! Low-level lexing helpers mirroring BuildKit's parser behaviour:
//! instruction splitting, builder-flag extraction, quote-preserving word
//! splitting (ENV/LABEL/ARG), and the subset of BuildKit's shell lexer that is
//! needed to recognise heredoc markers.

/// The whitespace class BuildKit splits instruction words on (`[\t\v\f\r ]`).
pub(crate) fn is_split_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ')
}

/// Splits on runs of `[\t\v\f\r ]`, dropping empty pieces.
pub(crate) fn split_ws(s: &str) -> Vec<String> {
    s.split(is_split_ws)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits a joined instruction line into (keyword, flags, arguments).
pub(crate) fn split_command(line: &str, esc: char) -> (&str, Vec<String>, &str) {
    let t = line.trim();
    match t.find(is_split_ws) {
        None => (t, Vec::new(), ""),
        Some(i) => {
            let cmd = t.get(..i).unwrap_or("");
            let rest = t.get(i..).unwrap_or("").trim_start_matches(is_split_ws);
            let (args, flags) = extract_flags(rest, esc);
            (cmd, flags, args.trim())
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// Extracts leading `--flag[=value]` words; returns the remaining text and the flags.
/// A bare `--` ends flag parsing and is dropped.
pub(crate) fn extract_flags(line: &str, esc: char) -> (&str, Vec<String>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let at = |p: usize| chars.get(p).map(|c| c.1).unwrap_or('\0');
    let rest_from = |p: usize| {
        let byte = chars.get(p).map(|c| c.0).unwrap_or(line.len());
        line.get(byte..).unwrap_or("")
    };
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut buf = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0usize;
    while pos <= n {
        let mut ch = at(pos);
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            if ch != '-' || pos + 1 == n || at(pos + 1) != '-' {
                return (rest_from(pos), words);
            }
            phase = Phase::Word;
        }
        if pos == n {
            if buf != "--" && (blank_ok || !buf.is_empty()) {
                words.push(std::mem::take(&mut buf));
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                let word = std::mem::take(&mut buf);
                phase = Phase::Spaces;
                if word == "--" {
                    return (rest_from(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(word);
                }
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == esc {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = at(pos);
            }
            buf.push(ch);
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == esc {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = at(pos);
        }
        buf.push(ch);
        pos += 1;
    }
    ("", words)
}

/// Word splitting used by ENV, LABEL and ARG: splits on whitespace outside
/// quotes, keeping quotes and escape tokens in the words.
pub(crate) fn parse_words(rest: &str, esc: char) -> Vec<String> {
    let chars: Vec<char> = rest.chars().collect();
    let n = chars.len();
    let at = |p: usize| chars.get(p).copied().unwrap_or('\0');
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut buf = String::new();
    let mut pos = 0usize;
    while pos <= n {
        let mut ch = at(pos);
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if pos == n {
            if blank_ok || !buf.is_empty() {
                words.push(std::mem::take(&mut buf));
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !buf.is_empty() {
                    words.push(std::mem::take(&mut buf));
                }
                buf.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == esc {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                buf.push(ch);
                pos += 1;
                ch = at(pos);
            }
            buf.push(ch);
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == esc && quote != '\'' {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            buf.push(ch);
            ch = at(pos);
        }
        buf.push(ch);
        pos += 1;
    }
    words
}

/// Removes shell quoting from a raw value the way BuildKit's dispatcher does
/// (single quotes literal, double quotes honouring escapes of `"`, `$` and the
/// escape token, bare escapes), without expanding variables.
pub(crate) fn unquote(raw: &str, esc: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut it = raw.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\'' {
            for n in it.by_ref() {
                if n == '\'' {
                    break;
                }
                out.push(n);
            }
        } else if c == '"' {
            while let Some(n) = it.next() {
                if n == '"' {
                    break;
                }
                if n == esc {
                    match it.peek() {
                        None => break,
                        Some(&p) if p == '"' || p == '$' || p == esc => {
                            out.push(p);
                            it.next();
                        }
                        Some(_) => out.push(n),
                    }
                } else {
                    out.push(n);
                }
            }
        } else if c == esc {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Shell-style splitting into words with quote removal (no expansion).
pub(crate) fn shell_words(s: &str, esc: char) -> Vec<String> {
    parse_words(s, esc)
        .iter()
        .map(|w| unquote(w, esc))
        .collect()
}

// ---------------------------------------------------------------------------
// Shell lexer subset (BuildKit `shell.Lex` with SkipUnsetEnv and no variables
// defined), used only to find heredoc markers and their names.
// ---------------------------------------------------------------------------

const MAX_LEX_DEPTH: usize = 64;

pub(crate) struct ShellLex {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    raw_quotes: bool,
    raw_escapes: bool,
    words_buf: String,
    depth: usize,
}

#[derive(Default)]
struct WordsAcc {
    words: Vec<String>,
    in_word: bool,
}

impl WordsAcc {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if ch.is_whitespace() {
            if self.in_word && !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(buf, ch);
        }
    }
    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }
    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }
    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
            self.in_word = false;
        }
        self.words
    }
}

impl ShellLex {
    pub(crate) fn new(src: &str, escape: char, raw_quotes: bool, raw_escapes: bool) -> Self {
        ShellLex {
            chars: src.chars().collect(),
            pos: 0,
            escape,
            raw_quotes,
            raw_escapes,
            words_buf: String::new(),
            depth: 0,
        }
    }

    pub(crate) fn process_words(mut self) -> Result<Vec<String>, String> {
        let raw = self.raw_escapes;
        self.process_stop_on(None, raw).map(|(_, w)| w)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), String> {
        if self.depth >= MAX_LEX_DEPTH {
            return Err("substitution nesting too deep".to_string());
        }
        self.depth += 1;
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let r = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        r
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        self.words_buf.clear();
        let mut words = WordsAcc::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                let w = words.finish(&mut self.words_buf);
                return Ok((result, w));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&mut self.words_buf, &tmp);
                }
                '<' | '\'' | '"' => {
                    let tmp = match ch {
                        '<' => self.process_possible_heredoc(),
                        '\'' => self.process_single_quote()?,
                        _ => self.process_double_quote()?,
                    };
                    result.push_str(&tmp);
                    words.add_raw_string(&mut self.words_buf, &tmp);
                }
                _ => {
                    self.next();
                    if ch == self.escape {
                        if self.raw_escapes {
                            words.add_raw_char(&mut self.words_buf, ch);
                            result.push(ch);
                        }
                        match self.next() {
                            None => break,
                            Some(c) => {
                                words.add_raw_char(&mut self.words_buf, c);
                                result.push(c);
                            }
                        }
                    } else {
                        words.add_char(&mut self.words_buf, ch);
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(s) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {s}"
            ));
        }
        let w = words.finish(&mut self.words_buf);
        Ok((result, w))
    }

    fn process_single_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        if let Some(q) = self.next() {
            if self.raw_quotes {
                out.push(q);
            }
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_string(),
                    )
                }
                Some('\'') => {
                    if self.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        if let Some(q) = self.next() {
            if self.raw_quotes {
                out.push(q);
            }
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .to_string(),
                    )
                }
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    out.push_str(&v);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or('\0');
                    if ch == self.escape {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(p) if p == '"' || p == '$' || p == self.escape => {
                                ch = self.next().unwrap_or(p);
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_numeric() {
                while let Some(d) = self.peek() {
                    if !d.is_numeric() {
                        break;
                    }
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphabetic() && !ch.is_numeric() && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn process_dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".to_string()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_string()),
            _ => {}
        }
        let name = self.process_name();
        let ch = self.next();
        match ch {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(c @ (':' | '+' | '-' | '?' | '#' | '%')) => {
                let mut chs = c.to_string();
                let mut op = Some(c);
                let null_is_unset = c == ':';
                if null_is_unset {
                    op = self.next();
                    chs.push(op.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(op, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({chs}) in substitution"));
                }
                match self.process_stop_on(Some('}'), raw) {
                    Ok((word, _)) => Ok(format!("${{{name}{chs}{word}}}")),
                    Err(e) => {
                        if self.peek().is_none() {
                            Err("syntax error: missing '}'".to_string())
                        } else {
                            Err(e)
                        }
                    }
                }
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let pattern = match self.process_stop_on(Some('/'), true) {
                    Ok((p, _)) => p,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err("syntax error: missing '/' in ${}".to_string());
                        }
                        return Err(e);
                    }
                };
                let replacement = match self.process_stop_on(Some('}'), true) {
                    Ok((r, _)) => r,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err("syntax error: missing '}'".to_string());
                        }
                        return Err(e);
                    }
                };
                Ok(format!("${{{name}/{pattern}/{replacement}}}"))
            }
            other => Err(format!(
                "unsupported modifier ({}) in substitution",
                other.unwrap_or('\u{FFFD}')
            )),
        }
    }

    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            out.push(c);
            self.next();
        }
        out
    }
}

/// A heredoc marker recognised on an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeredocMarker {
    pub name: String,
    pub expand: bool,
    pub chomp: bool,
    pub fd: u32,
}

/// Matches `^(\d*)<<(-?)\s*([^<]*)$` and interprets the word after `<<`.
pub(crate) fn parse_heredoc_word(word: &str) -> Result<Option<HeredocMarker>, String> {
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    let (digits, rest) = word.split_at(digits_end);
    let Some(rest) = rest.strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(['\t', '\n', '\u{0c}', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = digits.parse::<u32>().unwrap_or(0);
    let wrap = |e: String| format!("failed to process {}: {e}", go_quote(rest));
    let words = ShellLex::new(rest, '\\', false, false)
        .process_words()
        .map_err(wrap)?;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw_words = ShellLex::new(rest, '\\', true, false)
        .process_words()
        .map_err(wrap)?;
    if raw_words.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let count = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let name = words.into_iter().next().unwrap_or_default();
    let raw = raw_words.into_iter().next().unwrap_or_default();
    let expand = count(&name) == count(&raw);
    Ok(Some(HeredocMarker {
        name,
        expand,
        chomp,
        fd,
    }))
}

/// Finds every heredoc marker on an instruction line.
pub(crate) fn heredocs_from_line(line: &str) -> Result<Vec<HeredocMarker>, String> {
    let words = ShellLex::new(line, '\\', true, true)
        .process_words()
        .unwrap_or_default();
    let mut out = Vec::new();
    for w in &words {
        if let Some(m) = parse_heredoc_word(w)? {
            out.push(m);
        }
    }
    Ok(out)
}

/// Go's `strconv.Quote`, used for error messages that BuildKit formats with `%q`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Approximation of Go's `unicode.IsPrint`.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        assert_eq!(parse_words("foo", '\\'), v(&["foo"]));
        assert_eq!(parse_words("foo bar", '\\'), v(&["foo", "bar"]));
        assert_eq!(parse_words("foo\\ bar", '\\'), v(&["foo\\ bar"]));
        assert_eq!(
            parse_words("foo bar 'abc xyz'", '\\'),
            v(&["foo", "bar", "'abc xyz'"])
        );
        assert_eq!(parse_words(r#"a="x y" b"#, '\\'), v(&[r#"a="x y""#, "b"]));
        assert_eq!(
            parse_words(r#"föo bàr "âbc xÿz""#, '\\'),
            v(&["föo", "bàr", r#""âbc xÿz""#])
        );
        assert_eq!(parse_words("a=\"\"", '\\'), v(&["a=\"\""]));
        assert_eq!(parse_words("\"\"", '\\'), v(&["\"\""]));
    }

    #[test]
    fn flags() {
        let (rest, f) = extract_flags("--mount=type=cache,target=/x --network=none apt-get", '\\');
        assert_eq!(f, v(&["--mount=type=cache,target=/x", "--network=none"]));
        assert_eq!(rest, "apt-get");
        let (rest, f) = extract_flags("--doit -- [ ]", '\\');
        assert_eq!(f, v(&["--doit"]));
        assert_eq!(rest.trim(), "[ ]");
        let (rest, f) = extract_flags("--a=\"x y\" --b", '\\');
        assert_eq!(f, v(&["--a=x y", "--b"]));
        assert_eq!(rest, "");
        let (rest, f) = extract_flags("-x --y", '\\');
        assert!(f.is_empty());
        assert_eq!(rest, "-x --y");
    }

    #[test]
    fn split_command_basic() {
        let (c, f, a) = split_command("  COPY\t--chown=1:1  a b  ", '\\');
        assert_eq!((c, f, a), ("COPY", v(&["--chown=1:1"]), "a b"));
        assert_eq!(split_command("RUN", '\\'), ("RUN", vec![], ""));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""value value1""#, '\\'), "value value1");
        assert_eq!(unquote(r"value\ value2", '\\'), "value value2");
        assert_eq!(unquote(r#"'a\"b'"#, '\\'), r#"a\"b"#);
        assert_eq!(unquote(r#""a\"b\n""#, '\\'), "a\"b\\n");
        assert_eq!(unquote("`$x", '`'), "$x");
        assert_eq!(shell_words("a 'b c' \"d\"", '\\'), v(&["a", "b c", "d"]));
    }

    #[test]
    fn heredoc_words() {
        for ok in [
            "<<EOF",
            "<<'EOF'",
            "<<\"EOF\"",
            "<<-EOF",
            "<<-'EOF'",
            "<<-\"EOF\"",
            "<<EO\"F\"",
            "<< EOF",
            "<<- EOF",
        ] {
            let m = parse_heredoc_word(ok);
            assert_eq!(
                m.map(|m| m.map(|m| m.name)),
                Ok(Some("EOF".to_string())),
                "{ok}"
            );
        }
        for err in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
            assert!(parse_heredoc_word(err).is_err(), "{err}");
        }
        for none in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
            assert_eq!(parse_heredoc_word(none), Ok(None), "{none}");
        }
        let m = parse_heredoc_word("3<<-'E'").ok().flatten();
        assert_eq!(
            m,
            Some(HeredocMarker {
                name: "E".into(),
                expand: false,
                chomp: true,
                fd: 3
            })
        );
    }

    #[test]
    fn heredoc_lines() {
        let names = |l: &str| -> Vec<String> {
            heredocs_from_line(l)
                .unwrap_or_default()
                .into_iter()
                .map(|m| m.name)
                .collect()
        };
        assert_eq!(names("RUN <<EOF"), v(&["EOF"]));
        // On a whole line `<<-` and `EOF` lex as two words: not a heredoc.
        assert_eq!(names("RUN <<- EOF"), v(&[]));
        assert_eq!(names("RUN << -EOF"), v(&["-EOF"]));
        assert_eq!(names("RUN 4<<EOF"), v(&["EOF"]));
        assert_eq!(names("RUN <<EOF <<EOF2"), v(&["EOF", "EOF2"]));
        assert_eq!(names("RUN '<<EOF'"), v(&[]));
        assert_eq!(names("RUN \"<<EOF\""), v(&[]));
        assert_eq!(names("RUN <<$EOF"), v(&["$EOF"]));
        assert_eq!(names("RUN <<eo\\'f"), v(&["eo'f"]));
        assert_eq!(names("RUN <<  EOF  > foo"), v(&["EOF"]));
        // A lexing error on the whole line means "no heredocs".
        assert_eq!(names("RUN <<EOF 'unterminated"), v(&[]));
        assert_eq!(names("RUN ${:x} <<EOF"), v(&[]));
    }

    #[test]
    fn quoting_like_go() {
        assert_eq!(
            go_quote("a\"b\\c\u{0}\u{7f}é\u{a0}\n"),
            "\"a\\\"b\\\\c\\x00\\x7fé\\u00a0\\n\""
        );
    }
}
