//! Compose variable interpolation (`${VAR}`, `$VAR`, `${VAR:-default}`,
//! `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`,
//! `${VAR+alt}`, `$$`, nested defaults) and `.env` files.
//!
//! Values come only from the project's `.env` file (kubeready never reads
//! the process environment: the audit must not depend on the machine).

use std::collections::BTreeMap;

use kubeready_yaml::{Node, Value};

use super::model::VariableRef;

/// Variables every interactive shell sets, which Compose reads from it.
const SHELL_PROVIDED: &[&str] = &["PWD", "HOME", "USER", "PATH", "SHELL"];

/// Variables known to a project: the `.env` file's entries.
pub(super) type Env = BTreeMap<String, String>;

/// One interpolation pass over a file: collects every reference and every
/// invalid template.
pub(super) struct Interpolator<'a> {
    env: &'a Env,
    file: &'a str,
    /// Every reference, in the order found.
    pub variables: Vec<VariableRef>,
    /// The references already in `variables` (a big Compose file has
    /// thousands; a linear `contains` made loading it quadratic).
    seen: std::collections::HashSet<VariableRef>,
    /// Lines holding an invalid template (`$` not followed by a name, an
    /// unclosed `${`).
    pub invalid: Vec<u32>,
    record: bool,
}

impl<'a> Interpolator<'a> {
    pub fn new(env: &'a Env, file: &'a str) -> Self {
        Interpolator {
            env,
            file,
            variables: Vec::new(),
            seen: Default::default(),
            invalid: Vec::new(),
            record: true,
        }
    }

    /// Interpolates every scalar value (not keys) of a YAML tree in place.
    pub fn tree(&mut self, node: &mut Node) {
        match &mut node.value {
            Value::Scalar(s) => {
                if s.text.contains('$') {
                    s.text = self.text(&s.text, node.line);
                }
            }
            Value::Seq(items) => items.iter_mut().for_each(|n| self.tree(n)),
            Value::Map(entries) => entries.iter_mut().for_each(|e| self.tree(&mut e.value)),
            Value::Null => {}
        }
    }

    /// Interpolates one string written on `line`.
    pub fn text(&mut self, text: &str, line: u32) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '$' {
                out.push(c);
                i += 1;
                continue;
            }
            match chars.get(i + 1) {
                Some('$') => {
                    out.push('$');
                    i += 2;
                }
                Some('{') => match closing_brace(&chars, i + 2) {
                    Some(end) => {
                        let inner: String = chars[i + 2..end].iter().collect();
                        match self.braced(&inner, line) {
                            Some(v) => out.push_str(&v),
                            None => {
                                self.invalid.push(line);
                                out.extend(&chars[i..=end]);
                            }
                        }
                        i = end + 1;
                    }
                    None => {
                        self.invalid.push(line);
                        out.extend(&chars[i..]);
                        i = chars.len();
                    }
                },
                Some(&n) if is_name_start(n) => {
                    let mut end = i + 1;
                    while end < chars.len() && is_name_char(chars[end]) {
                        end += 1;
                    }
                    let name: String = chars[i + 1..end].iter().collect();
                    out.push_str(&self.plain(&name, line));
                    i = end;
                }
                _ => {
                    self.invalid.push(line);
                    out.push('$');
                    i += 1;
                }
            }
        }
        out
    }

    /// The value of `${inner}`; `None` when the template is invalid.
    fn braced(&mut self, inner: &str, line: u32) -> Option<String> {
        let name_len = inner
            .char_indices()
            .find(|&(_, c)| !is_name_char(c))
            .map_or(inner.len(), |(i, _)| i);
        let name = &inner[..name_len];
        if name.is_empty() || !name.starts_with(is_name_start) {
            return None;
        }
        let rest = &inner[name_len..];
        let value = self.env.get(name);
        let set = value.is_some();
        let non_empty = value.is_some_and(|v| !v.is_empty());
        let current = value.cloned().unwrap_or_default();
        if rest.is_empty() {
            return Some(self.plain(name, line));
        }
        let (op, arg) = ["-", ":-", "?", ":?", "+", ":+"]
            .iter()
            .filter_map(|op| rest.strip_prefix(op).map(|arg| (*op, arg)))
            .max_by_key(|(op, _)| op.len())?;
        let required = op.ends_with('?');
        let default_used = match op {
            ":-" => !non_empty,
            "-" => !set,
            _ => false,
        };
        self.push_ref(name, (!required, required, default_used), line);
        // The argument is interpolated whether or not it is used, so that
        // nested references are recorded.
        let arg = self.text(arg, line);
        Some(match op {
            ":-" if !non_empty => arg,
            "-" if !set => arg,
            ":+" if non_empty => arg,
            "+" if set => arg,
            ":+" | "+" => String::new(),
            _ => current,
        })
    }

    /// The value of a plain `$NAME`/`${NAME}`, recording the reference. A
    /// variable every shell sets (`PWD`, `HOME`, ...) that `.env` does not
    /// is provided by the shell `docker compose` runs in: it needs no
    /// `.env` entry (it counts as defaulted), and `PWD` is the folder the
    /// command runs in, taken as the Compose file's (`$PWD:$PWD` mounts the
    /// project).
    fn plain(&mut self, name: &str, line: u32) -> String {
        if let Some(v) = self.env.get(name) {
            let v = v.clone();
            self.push_ref(name, (false, false, false), line);
            return v;
        }
        if SHELL_PROVIDED.contains(&name) {
            self.push_ref(name, (true, false, false), line);
            return if name == "PWD" {
                ".".into()
            } else {
                String::new()
            };
        }
        self.push_ref(name, (false, false, false), line);
        String::new()
    }

    /// Records a reference; `how` is (has a default, required, the
    /// default is the value used).
    fn push_ref(&mut self, name: &str, how: (bool, bool, bool), line: u32) {
        if !self.record {
            return;
        }
        let (has_default, required, default_used) = how;
        let r = VariableRef {
            name: name.to_string(),
            has_default,
            required,
            default_used,
            file: self.file.to_string(),
            line,
        };
        if self.seen.insert(r.clone()) {
            self.variables.push(r);
        }
    }
}

/// The index of the `}` closing a `${` whose body starts at `from`,
/// counting nested `${ ... }`.
fn closing_brace(chars: &[char], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '$' if chars.get(i + 1) == Some(&'{') => {
                depth += 1;
                i += 1;
            }
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Parses a `.env` file: `KEY=value` lines, `export KEY=value`, `#`
/// comments (whole-line, or after whitespace in unquoted values), single
/// quotes (literal), double quotes (escapes, may span lines), and
/// interpolation of earlier entries in unquoted and double-quoted values.
pub(super) fn parse_dotenv(text: &str) -> Env {
    let mut env = Env::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let line_end = chars[i..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| i + p);
        let line: String = chars[i..line_end].iter().collect();
        let trimmed = line.trim_start();
        let body = trimmed
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(trimmed);
        let Some(sep) = body.find(['=', ':']).filter(|_| !body.starts_with('#')) else {
            i = line_end + 1;
            continue;
        };
        let key = body[..sep].trim().to_string();
        if key.is_empty() || !key.chars().all(|c| is_name_char(c) || c == '.' || c == '-') {
            i = line_end + 1;
            continue;
        }
        // Position of the value's first character in `chars`.
        let prefix_chars =
            line.chars().count() - body.chars().count() + body[..=sep].chars().count();
        let mut j = i + prefix_chars;
        while j < line_end && (chars[j] == ' ' || chars[j] == '\t') {
            j += 1;
        }
        let (value, next) = match chars.get(j) {
            Some(&q @ ('\'' | '"')) => {
                let mut k = j + 1;
                let mut v = String::new();
                while k < chars.len() && chars[k] != q {
                    if q == '"' && chars[k] == '\\' && k + 1 < chars.len() {
                        k += 1;
                        v.push(match chars[k] {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            c => c,
                        });
                    } else {
                        v.push(chars[k]);
                    }
                    k += 1;
                }
                let end = chars[k.min(chars.len())..]
                    .iter()
                    .position(|&c| c == '\n')
                    .map_or(chars.len(), |p| k + p);
                let v = if q == '"' { expand(&v, &env) } else { v };
                (v, end + 1)
            }
            _ => {
                let raw: String = chars[j.min(line_end)..line_end].iter().collect();
                let cut = raw
                    .find(" #")
                    .or_else(|| raw.find("\t#"))
                    .unwrap_or(raw.len());
                (expand(raw[..cut].trim_end(), &env), line_end + 1)
            }
        };
        env.insert(key, value);
        i = next;
    }
    env
}

/// Interpolates a `.env` value against the entries before it, silently.
fn expand(value: &str, env: &Env) -> String {
    if !value.contains('$') {
        return value.to_string();
    }
    let mut it = Interpolator::new(env, "");
    it.record = false;
    it.text(value, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_form() {
        let e = env(&[("A", "a"), ("EMPTY", "")]);
        let mut it = Interpolator::new(&e, "c.yaml");
        assert_eq!(it.text("$A ${A} x$$A", 3), "a a x$A");
        assert_eq!(
            it.text("${EMPTY:-d}|${EMPTY-d}|${NOPE-d}|${NOPE:-d}", 4),
            "d||d|d"
        );
        assert_eq!(
            it.text("${A:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${NOPE+alt}", 5),
            "alt||alt|"
        );
        assert_eq!(it.text("${NOPE:?must be set}|${A?x}", 6), "|a");
        assert_eq!(it.text("${NOPE:-${B:-x}}", 7), "x");
        assert_eq!(it.text("${A:-${B:-x}}", 7), "a");
        assert_eq!(it.text("$NOPE/${NOPE}end", 8), "/end");
        let names: Vec<_> = it
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.has_default, v.required, v.line))
            .collect();
        assert!(names.contains(&("A", false, false, 3)));
        assert!(names.contains(&("NOPE", false, true, 6)));
        assert!(names.contains(&("B", true, false, 7)));
        assert!(names.contains(&("NOPE", true, false, 4)));
        assert!(it.invalid.is_empty());
    }

    #[test]
    fn shell_variables_come_from_the_shell() {
        let e = env(&[("HOME", "/srv")]);
        let mut it = Interpolator::new(&e, "c.yaml");
        assert_eq!(it.text("$PWD:${PWD}", 2), ".:.");
        assert_eq!(it.text("PATH=$PWD/bin:$PATH", 3), "PATH=./bin:");
        assert_eq!(it.text("$HOME/x", 4), "/srv/x");
        let defaulted: Vec<_> = it
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.has_default))
            .collect();
        assert!(defaulted.contains(&("PWD", true)));
        assert!(defaulted.contains(&("PATH", true)));
        // Set in `.env`: the project's own value, a plain reference.
        assert!(defaulted.contains(&("HOME", false)));
    }

    #[test]
    fn invalid_templates_are_kept() {
        let e = Env::new();
        let mut it = Interpolator::new(&e, "c.yaml");
        assert_eq!(it.text("echo $1 ${unclosed", 2), "echo $1 ${unclosed");
        assert_eq!(it.text("${}", 3), "${}");
        assert_eq!(it.invalid, vec![2, 2, 3]);
    }

    #[test]
    fn dotenv_syntax() {
        let text = "# comment\nexport A=1\nB = two words # note\nC='lit $A'\nD=\"x\\ny ${A}\"\nE=${A}-${NOPE:-z}\nF=\"multi\nline\"\nG:colon\nnot a pair\nH=\nI=#nocomment\n";
        let e = parse_dotenv(text);
        assert_eq!(e.get("A").map(String::as_str), Some("1"));
        assert_eq!(e.get("B").map(String::as_str), Some("two words"));
        assert_eq!(e.get("C").map(String::as_str), Some("lit $A"));
        assert_eq!(e.get("D").map(String::as_str), Some("x\ny 1"));
        assert_eq!(e.get("E").map(String::as_str), Some("1-z"));
        assert_eq!(e.get("F").map(String::as_str), Some("multi\nline"));
        assert_eq!(e.get("G").map(String::as_str), Some("colon"));
        assert_eq!(e.get("H").map(String::as_str), Some(""));
        assert_eq!(e.get("I").map(String::as_str), Some("#nocomment"));
        assert_eq!(e.len(), 9);
    }
}
