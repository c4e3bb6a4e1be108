//! A small, iterative JSON validator/decoder used to decide whether an
//! instruction's arguments are in exec (JSON array) form.
//!
//! Semantics follow Go's `encoding/json` as used by BuildKit: the whole text
//! must be one valid JSON value (nesting limited to 10000 levels), and only
//! then are the top-level array's elements checked to be strings.

/// Outcome of trying to read an argument string as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// A valid array whose elements are all strings.
    Strings(Vec<String>),
    /// Valid JSON array, but some element is not a string (a hard error in BuildKit).
    NotStrings,
    /// Not a JSON array at all (or invalid JSON): the caller falls back to shell form.
    Invalid,
}

const MAX_DEPTH: usize = 10_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Value,
    ValueOrClose,
    AfterValue,
    KeyOrClose,
    Key,
    Colon,
}

fn skip_ws(b: &[u8], i: &mut usize) {
    while let Some(c) = b.get(*i) {
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        } else {
            break;
        }
    }
}

pub(crate) fn parse_json_array(s: &str) -> JsonArray {
    let s = s.trim_start();
    if !s.starts_with('[') {
        return JsonArray::Invalid;
    }
    match scan(s) {
        Some((strings, true)) => JsonArray::Strings(strings),
        Some((_, false)) => JsonArray::NotStrings,
        None => JsonArray::Invalid,
    }
}

/// Returns the top-level strings and whether every top-level element was a string.
fn scan(s: &str) -> Option<(Vec<String>, bool)> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let mut stack: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut all_strings = true;
    let mut st = State::Value;
    loop {
        skip_ws(b, &mut i);
        match st {
            State::Value | State::ValueOrClose => {
                let c = *b.get(i)?;
                if st == State::ValueOrClose && c == b']' {
                    i += 1;
                    stack.pop();
                    st = State::AfterValue;
                    continue;
                }
                let element = stack.len() == 1;
                match c {
                    b'[' | b'{' => {
                        if stack.len() >= MAX_DEPTH {
                            return None;
                        }
                        if element {
                            all_strings = false;
                        }
                        stack.push(c);
                        i += 1;
                        st = if c == b'[' {
                            State::ValueOrClose
                        } else {
                            State::KeyOrClose
                        };
                    }
                    b'"' => {
                        let v = parse_string(s, &mut i)?;
                        if element {
                            out.push(v);
                        }
                        st = State::AfterValue;
                    }
                    b't' | b'f' | b'n' => {
                        let lit: &[u8] = match c {
                            b't' => b"true",
                            b'f' => b"false",
                            _ => b"null",
                        };
                        if b.get(i..i + lit.len())? != lit {
                            return None;
                        }
                        i += lit.len();
                        if element {
                            all_strings = false;
                        }
                        st = State::AfterValue;
                    }
                    b'-' | b'0'..=b'9' => {
                        parse_number(b, &mut i)?;
                        if element {
                            all_strings = false;
                        }
                        st = State::AfterValue;
                    }
                    _ => return None,
                }
            }
            State::AfterValue => {
                let Some(&top) = stack.last() else {
                    break;
                };
                match (*b.get(i)?, top) {
                    (b',', b'[') => {
                        i += 1;
                        st = State::Value;
                    }
                    (b',', _) => {
                        i += 1;
                        st = State::Key;
                    }
                    (b']', b'[') | (b'}', b'{') => {
                        i += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
            State::KeyOrClose | State::Key => match *b.get(i)? {
                b'}' if st == State::KeyOrClose => {
                    i += 1;
                    stack.pop();
                    st = State::AfterValue;
                }
                b'"' => {
                    parse_string(s, &mut i)?;
                    st = State::Colon;
                }
                _ => return None,
            },
            State::Colon => {
                if *b.get(i)? != b':' {
                    return None;
                }
                i += 1;
                st = State::Value;
            }
        }
    }
    skip_ws(b, &mut i);
    if i != b.len() {
        return None;
    }
    Some((out, all_strings))
}

fn parse_number(b: &[u8], i: &mut usize) -> Option<()> {
    let digits = |i: &mut usize| -> usize {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(*i) == Some(&b'-') {
        *i += 1;
    }
    match b.get(*i) {
        Some(b'0') => *i += 1,
        Some(b'1'..=b'9') => {
            digits(i);
        }
        _ => return None,
    }
    if b.get(*i) == Some(&b'.') {
        *i += 1;
        if digits(i) == 0 {
            return None;
        }
    }
    if matches!(b.get(*i), Some(b'e' | b'E')) {
        *i += 1;
        if matches!(b.get(*i), Some(b'+' | b'-')) {
            *i += 1;
        }
        if digits(i) == 0 {
            return None;
        }
    }
    Some(())
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let h = b.get(at..at + 4)?;
    let mut v = 0u32;
    for &c in h {
        v = v * 16 + char::from(c).to_digit(16)?;
    }
    Some(v)
}

/// Parses a JSON string starting at the opening quote `s[*i]`.
fn parse_string(s: &str, i: &mut usize) -> Option<String> {
    let b = s.as_bytes();
    *i += 1; // opening quote
    let mut out = String::new();
    let mut run_start = *i;
    loop {
        let c = *b.get(*i)?;
        match c {
            b'"' => {
                out.push_str(s.get(run_start..*i)?);
                *i += 1;
                return Some(out);
            }
            b'\\' => {
                out.push_str(s.get(run_start..*i)?);
                let e = *b.get(*i + 1)?;
                *i += 2;
                match e {
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let u = hex4(b, *i)?;
                        *i += 4;
                        if (0xD800..0xDC00).contains(&u) {
                            // A high surrogate: combine with a following low one if present.
                            if b.get(*i) == Some(&b'\\') && b.get(*i + 1) == Some(&b'u') {
                                if let Some(lo) = hex4(b, *i + 2) {
                                    if (0xDC00..0xE000).contains(&lo) {
                                        let cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                                        *i += 6;
                                        run_start = *i;
                                        continue;
                                    }
                                }
                            }
                            out.push('\u{FFFD}');
                        } else {
                            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                        }
                    }
                    _ => return None,
                }
                run_start = *i;
            }
            0..=0x1f => return None,
            _ => *i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> JsonArray {
        JsonArray::Strings(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn arrays() {
        assert_eq!(parse_json_array("[]"), strings(&[]));
        assert_eq!(
            parse_json_array(" [ \"a\" , \"b\" ] "),
            strings(&["a", "b"])
        );
        assert_eq!(
            parse_json_array(r#"["\" \\ \/ \b \f \n \r \t \u0000 \u00e9 \ud83d\ude00 \ud800"]"#),
            strings(&["\" \\ / \u{8} \u{c} \n \r \t \0 é 😀 \u{FFFD}"])
        );
        assert_eq!(parse_json_array(r#"["a", ["b"]]"#), JsonArray::NotStrings);
        assert_eq!(
            parse_json_array(r#"["a", 1.5e3, {"k": [null]}]"#),
            JsonArray::NotStrings
        );
        assert_eq!(parse_json_array(r#"["a", true]"#), JsonArray::NotStrings);
        assert_eq!(parse_json_array("['a']"), JsonArray::Invalid);
        assert_eq!(parse_json_array("[\"a\""), JsonArray::Invalid);
        assert_eq!(parse_json_array("[\"a\"] x"), JsonArray::Invalid);
        assert_eq!(parse_json_array("[\"a\",]"), JsonArray::Invalid);
        assert_eq!(parse_json_array("[01]"), JsonArray::Invalid);
        assert_eq!(parse_json_array("[\"\t\"]"), JsonArray::Invalid);
        assert_eq!(parse_json_array("\"a\""), JsonArray::Invalid);
        assert_eq!(parse_json_array("[{\"a\" 1}]"), JsonArray::Invalid);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = "[".repeat(200_000);
        assert_eq!(parse_json_array(&deep), JsonArray::Invalid);
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_json_array(&ok), JsonArray::NotStrings);
    }
}
