//! Word expansion in the style of BuildKit's shell lexer (`ProcessWord`).

const MAX_DEPTH: usize = 32;

/// Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
/// `${VAR:+alt}` and `${VAR+alt}` in `s`, removing shell quoting the way
/// BuildKit does when it evaluates a Dockerfile word (single quotes are
/// literal, double quotes still expand, `\` escapes the next character).
///
/// Unknown variables expand to the empty string. Other modifiers
/// (`?`, `#`, `%`, `/`) are accepted but simply yield the variable's value.
/// Nesting of `${...}` defaults is bounded; deeper text is copied literally.
/// Runs in time linear in `s` plus the size of substituted values.
pub fn expand_args(s: &str, vars: &dyn Fn(&str) -> Option<String>) -> String {
    let mut ex = Expander {
        chars: s.chars().collect(),
        pos: 0,
        vars,
    };
    ex.word(None, 0)
}

struct Expander<'a> {
    chars: Vec<char>,
    pos: usize,
    vars: &'a dyn Fn(&str) -> Option<String>,
}

impl Expander<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn word(&mut self, stop: Option<char>, depth: usize) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return out;
            }
            self.pos += 1;
            match c {
                '\\' => {
                    if let Some(n) = self.next() {
                        out.push(n);
                    }
                }
                '\'' => {
                    while let Some(n) = self.next() {
                        if n == '\'' {
                            break;
                        }
                        out.push(n);
                    }
                }
                '"' => loop {
                    match self.peek() {
                        None => break,
                        Some('"') => {
                            self.pos += 1;
                            break;
                        }
                        Some('$') => {
                            self.pos += 1;
                            let v = self.dollar(depth);
                            out.push_str(&v);
                        }
                        Some('\\') => {
                            self.pos += 1;
                            match self.peek() {
                                Some(n @ ('"' | '$' | '\\')) => {
                                    self.pos += 1;
                                    out.push(n);
                                }
                                _ => out.push('\\'),
                            }
                        }
                        Some(n) => {
                            self.pos += 1;
                            out.push(n);
                        }
                    }
                },
                '$' => {
                    let v = self.dollar(depth);
                    out.push_str(&v);
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.pos += 1;
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!') {
                self.pos += 1;
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            self.pos += 1;
            name.push(c);
        }
        name
    }

    /// Called after the `$` has been consumed.
    fn dollar(&mut self, depth: usize) -> String {
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return "$".to_string();
            }
            return (self.vars)(&name).unwrap_or_default();
        }
        self.pos += 1;
        let name = self.name();
        let value = (self.vars)(&name);
        let mut op = self.next();
        let null_is_unset = op == Some(':');
        if null_is_unset {
            op = self.next();
        }
        let Some(op) = op else {
            return value.unwrap_or_default();
        };
        if op == '}' {
            return value.unwrap_or_default();
        }
        let word = if depth < MAX_DEPTH {
            self.word(Some('}'), depth + 1)
        } else {
            let mut w = String::new();
            while let Some(c) = self.next() {
                if c == '}' {
                    break;
                }
                w.push(c);
            }
            w
        };
        let unset = match &value {
            None => true,
            Some(v) => null_is_unset && v.is_empty(),
        };
        match op {
            '-' if unset => word,
            '+' if unset => String::new(),
            '+' => word,
            _ => value.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "A" => Some("alpha".into()),
            "E" => Some(String::new()),
            "V" => Some("3.19".into()),
            _ => None,
        }
    }

    #[test]
    fn expansion_forms() {
        let e = |s: &str| expand_args(s, &env);
        assert_eq!(e("$A"), "alpha");
        assert_eq!(e("${A}"), "alpha");
        assert_eq!(e("x${A}y$A-z"), "xalphayalpha-z");
        assert_eq!(e("$NOPE"), "");
        assert_eq!(e("${NOPE:-def}"), "def");
        assert_eq!(e("${E:-def}"), "def");
        assert_eq!(e("${E-def}"), "");
        assert_eq!(e("${NOPE-def}"), "def");
        assert_eq!(e("${A:+alt}"), "alt");
        assert_eq!(e("${E:+alt}"), "");
        assert_eq!(e("${E+alt}"), "alt");
        assert_eq!(e("${NOPE+alt}"), "");
        assert_eq!(e("alpine:${V:-latest}"), "alpine:3.19");
        assert_eq!(e("${NOPE:-${A}}"), "alpha");
        assert_eq!(e("'$A' \"$A\" \\$A"), "$A alpha $A");
        assert_eq!(e("$"), "$");
        assert_eq!(e("${A"), "alpha");
        assert_eq!(e("${A%.*}"), "alpha");
    }

    #[test]
    fn bounded_on_pathological_input() {
        let s = "${X:-".repeat(50_000);
        let out = expand_args(&s, &env);
        assert!(out.len() <= s.len());
        let _ = expand_args("\u{0}\u{ffff}${{{{", &env);
    }
}
