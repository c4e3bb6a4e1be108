//! A forgiving Groovy tokenizer for Jenkinsfiles: identifiers, strings
//! (all four quote styles, escapes unfolded), brackets and punctuation,
//! with comments dropped. Linear, never fails: an unterminated string or
//! comment runs to the end of the input, and unbalanced brackets are
//! matched as well as they can be.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum K {
    Ident(String),
    Str(String),
    /// `{`, `(` or `[`.
    Open(char),
    /// `}`, `)` or `]`.
    Close(char),
    Punct(char),
}

#[derive(Clone, Debug)]
pub struct Tok {
    pub kind: K,
    pub line: u32,
}

pub fn lex(src: &str) -> Vec<Tok> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let at = |j: usize| chars.get(j).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = at(i);
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '/' if at(i + 1) == '/' => {
                while i < chars.len() && at(i) != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                i += 2;
                while i < chars.len() && !(at(i) == '*' && at(i + 1) == '/') {
                    if at(i) == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 2;
            }
            '\'' | '"' => {
                let start = line;
                let triple = at(i + 1) == c && at(i + 2) == c;
                i += if triple { 3 } else { 1 };
                let mut s = String::new();
                loop {
                    if i >= chars.len() {
                        break;
                    }
                    let d = at(i);
                    if triple && d == c && at(i + 1) == c && at(i + 2) == c {
                        i += 3;
                        break;
                    }
                    if !triple && d == c {
                        i += 1;
                        break;
                    }
                    if !triple && d == '\n' {
                        // Groovy forbids it: end the string here.
                        break;
                    }
                    if d == '\\' && i + 1 < chars.len() {
                        let e = at(i + 1);
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            '\\' | '\'' | '"' | '$' => s.push(e),
                            '\n' => {
                                // A line continuation: keep it for the shell
                                // so that line offsets still hold.
                                s.push('\\');
                                s.push('\n');
                                line += 1;
                            }
                            _ => {
                                s.push('\\');
                                s.push(e);
                            }
                        }
                        i += 2;
                        continue;
                    }
                    if d == '\n' {
                        line += 1;
                    }
                    s.push(d);
                    i += 1;
                }
                out.push(Tok {
                    kind: K::Str(s),
                    line: start,
                });
            }
            '{' | '(' | '[' => {
                out.push(Tok {
                    kind: K::Open(c),
                    line,
                });
                i += 1;
            }
            '}' | ')' | ']' => {
                out.push(Tok {
                    kind: K::Close(c),
                    line,
                });
                i += 1;
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut s = String::new();
                while i < chars.len() && (at(i).is_alphanumeric() || at(i) == '_' || at(i) == '$') {
                    s.push(at(i));
                    i += 1;
                }
                out.push(Tok {
                    kind: K::Ident(s),
                    line,
                });
            }
            c => {
                out.push(Tok {
                    kind: K::Punct(c),
                    line,
                });
                i += 1;
            }
        }
    }
    out
}

/// For each opening bracket, the index of its closing one (`toks.len()`
/// when it is never closed); other entries are unused.
pub fn matches(toks: &[Tok]) -> Vec<usize> {
    let mut m = vec![toks.len(); toks.len()];
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            K::Open(c) => stack.push((i, c)),
            K::Close(c) => {
                let want = match c {
                    '}' => '{',
                    ')' => '(',
                    _ => '[',
                };
                // Close the nearest matching opener (and any opener left
                // open inside it); unmatched closers are ignored.
                if let Some(pos) = stack.iter().rposition(|(_, o)| *o == want) {
                    for (j, _) in stack.drain(pos..) {
                        if let Some(x) = m.get_mut(j) {
                            *x = i;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<K> {
        lex(src).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn strings_comments_and_lines() {
        let t = lex("// c { \n/* { ' */ sh '''\necho \\'a\\' {\n'''\nsh \"x\\$y\"");
        assert_eq!(t[0].kind, K::Ident("sh".into()));
        assert_eq!(t[1].kind, K::Str("\necho 'a' {\n".into()));
        assert_eq!(t[1].line, 2);
        assert_eq!(t[3].kind, K::Str("x$y".into()));
        assert_eq!(t[3].line, 5);
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn unterminated_input_ends() {
        assert_eq!(kinds("sh '''abc").len(), 2);
        assert_eq!(kinds("/* never closed").len(), 0);
        assert_eq!(
            kinds("sh 'abc\nfoo"),
            vec![
                K::Ident("sh".into()),
                K::Str("abc".into()),
                K::Ident("foo".into())
            ]
        );
    }

    #[test]
    fn brackets_match_even_when_unbalanced() {
        let t = lex("a { b ( } c } {");
        let m = matches(&t);
        assert_eq!(m[1], 4); // `{` closed by the first `}` (the `(` stays open)
        assert_eq!(m[3], 4);
        assert_eq!(m[7], t.len());
    }
}
