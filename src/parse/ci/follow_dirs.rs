//! A script's own folder, as the shell would compute it: `$(dirname
//! "$0")`, `$(dirname "${BASH_SOURCE[0]}")`, `$(cd "$(dirname "$0")" &&
//! pwd)`, `$(readlink -f ...)`, `$(dirname "$(dirname "$0")")` and
//! `$(cd "$DIR/.." && pwd)`. Values are paths relative to the folder the
//! script runs in (the caller's working directory), so they read like
//! every other path of the script. `$0` is the script's path as its
//! caller wrote it; `dirname` works on the text (as the shell does) until
//! `cd ... && pwd`, `readlink -f` or `realpath` makes it a real folder.
//! Anything else is unknown (`None`).

use std::collections::HashMap;

/// A folder or file the script names.
#[derive(Debug, Clone, PartialEq)]
pub enum PathValue {
    /// As written (`./ci/run.sh`, `./ci`): `dirname` cuts the text.
    Text(String),
    /// A real folder, relative to the working directory, normalized
    /// (`..` only leading): `dirname` goes up.
    Real(Vec<String>),
}

impl PathValue {
    /// The path as it replaces the variable (`.` for the working folder).
    pub fn render(&self) -> String {
        match self {
            PathValue::Text(t) => t.clone(),
            PathValue::Real(parts) if parts.is_empty() => ".".to_string(),
            PathValue::Real(parts) => parts.join("/"),
        }
    }

    fn real(&self) -> Self {
        match self {
            PathValue::Text(t) => PathValue::Real(normalize(&[], t)),
            r => r.clone(),
        }
    }

    fn dirname(&self) -> Self {
        match self {
            PathValue::Text(t) => {
                let t = t.trim_end_matches('/');
                PathValue::Text(match t.rfind('/') {
                    Some(0) => "/".to_string(),
                    Some(i) => t[..i].trim_end_matches('/').to_string(),
                    None => ".".to_string(),
                })
            }
            PathValue::Real(parts) => {
                let mut p = parts.clone();
                if p.last().is_none_or(|l| l == "..") {
                    p.push("..".to_string());
                } else {
                    p.pop();
                }
                PathValue::Real(p)
            }
        }
    }
}

/// `rel` (no variables) joined onto `base` and normalized.
fn normalize(base: &[String], rel: &str) -> Vec<String> {
    let mut out = base.to_vec();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| l != "..") => {
                out.pop();
            }
            p => out.push(p.to_string()),
        }
    }
    out
}

/// The folder value of `value` (an assignment's right side as written),
/// or `None` when it is not one of the forms above. `own` is the script's
/// path as called; `known` the folder variables set before.
pub fn evaluate(
    value: &str,
    own: Option<&str>,
    known: &HashMap<String, PathValue>,
) -> Option<PathValue> {
    let v = value.trim();
    let v = match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => inner,
        None => v,
    };
    let inner = v.strip_prefix("$(")?.strip_suffix(')')?;
    // The parentheses must close where the value ends.
    if closing(v, 1) != Some(v.len() - 1) {
        return None;
    }
    command(inner, own, known, 0)
}

/// Where the parenthesis opened at byte `open` closes (quotes ignored:
/// paths hold none).
fn closing(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices().skip_while(|&(i, _)| i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Words of a command, split at blanks outside quotes and `$( )`.
fn words(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quoted) = (0usize, false);
    for c in s.chars() {
        match c {
            '"' if depth == 0 => quoted = !quoted,
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        if c.is_whitespace() && depth == 0 && !quoted {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if quoted || depth != 0 {
        return None;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

const MAX_DEPTH: usize = 8;

fn command(
    s: &str,
    own: Option<&str>,
    known: &HashMap<String, PathValue>,
    depth: usize,
) -> Option<PathValue> {
    if depth > MAX_DEPTH {
        return None;
    }
    let all = words(s)?;
    // Redirections and `--` say nothing about the folder.
    let ws: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|w| *w != "--" && !w.contains('>'))
        .collect();
    match ws.as_slice() {
        ["dirname", arg] => Some(word(arg, own, known, depth)?.dirname()),
        ["readlink", "-f" | "-e" | "-m", arg] | ["realpath", arg] => {
            Some(word(arg, own, known, depth)?.real())
        }
        ["cd", arg, "&&" | ";", "pwd"] | ["cd", arg, "&&" | ";", "pwd", "-P"] => {
            Some(word(arg, own, known, depth)?.real())
        }
        _ => None,
    }
}

/// The path one word names: `"$0"`, `"${BASH_SOURCE[0]}"`, `"$(...)"`,
/// `"$DIR"`, `"$DIR/.."`, or `None`.
fn word(
    w: &str,
    own: Option<&str>,
    known: &HashMap<String, PathValue>,
    depth: usize,
) -> Option<PathValue> {
    let w = w.trim_matches('"');
    if let Some(inner) = w.strip_prefix("$(").and_then(|i| i.strip_suffix(')')) {
        return (closing(w, 1) == Some(w.len() - 1))
            .then(|| command(inner, own, known, depth + 1))
            .flatten();
    }
    let (base, rest) = match w.find('/') {
        Some(i) => (&w[..i], &w[i..]),
        None => (w, ""),
    };
    let value = match base {
        "$0" | "${0}" | "$BASH_SOURCE" | "${BASH_SOURCE}" | "${BASH_SOURCE[0]}" => {
            PathValue::Text(own?.to_string())
        }
        _ => {
            let name = base.strip_prefix('$')?;
            let name = name
                .strip_prefix('{')
                .and_then(|n| n.strip_suffix('}'))
                .unwrap_or(name);
            known.get(name)?.clone()
        }
    };
    if rest.is_empty() {
        return Some(value);
    }
    if rest.contains(['$', '`', '"', '\'', '*', '?']) {
        return None;
    }
    Some(match value {
        PathValue::Text(t) => PathValue::Text(format!("{t}{rest}")),
        PathValue::Real(parts) => PathValue::Real(normalize(&parts, rest)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(value: &str, own: &str, known: &HashMap<String, PathValue>) -> Option<String> {
        evaluate(value, Some(own), known).map(|v| v.render())
    }

    #[test]
    fn the_usual_idioms() {
        let none = HashMap::new();
        let own = "./ci/e2e/run.sh";
        assert_eq!(
            eval("$(dirname \"$0\")", own, &none).as_deref(),
            Some("./ci/e2e")
        );
        assert_eq!(
            eval(
                "\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"",
                own,
                &none
            )
            .as_deref(),
            Some("ci/e2e")
        );
        assert_eq!(
            eval(
                "$(dirname \"$(dirname \"$(dirname \"$0\")\")\")",
                own,
                &none
            )
            .as_deref(),
            Some(".")
        );
        assert_eq!(
            eval(
                "$(cd -- \"$(dirname -- \"$0\")\" &>/dev/null && pwd)",
                own,
                &none
            )
            .as_deref(),
            Some("ci/e2e")
        );
        let mut known = HashMap::new();
        known.insert(
            "DIR".to_string(),
            PathValue::Real(vec!["ci".into(), "e2e".into()]),
        );
        assert_eq!(
            eval("\"$(cd \"$DIR/../..\" && pwd)\"", own, &known).as_deref(),
            Some(".")
        );
        assert_eq!(
            eval("$(dirname \"$DIR\")", own, &known).as_deref(),
            Some("ci")
        );
        assert_eq!(
            eval("$(readlink -f \"$DIR/..\")", own, &known).as_deref(),
            Some("ci")
        );
        // Above the working folder.
        let top = PathValue::Real(Vec::new());
        known.insert("TOP".to_string(), top);
        assert_eq!(
            eval("$(dirname \"$TOP\")", own, &known).as_deref(),
            Some("..")
        );
        // Text: `dirname` of `./x.sh` twice is `.`, as in the shell.
        assert_eq!(
            eval("$(dirname \"$(dirname \"$0\")\")", "./x.sh", &none).as_deref(),
            Some(".")
        );
    }

    #[test]
    fn anything_else_is_unknown() {
        let none = HashMap::new();
        let own = "ci/run.sh";
        for v in [
            "$(pwd)",
            "$(git rev-parse --show-toplevel)",
            "$(dirname \"$UNKNOWN\")",
            "$(dirname \"$0\")/x",
            "$(cd \"$(dirname \"$0\")\" && ls)",
            "$(dirname \"$0\"",
            "$(dirname $(dirname $(dirname $(dirname $(dirname $(dirname $(dirname $(dirname $(dirname $(dirname $0))))))))))",
            "$(dirname \"$0/$x\")",
        ] {
            assert_eq!(eval(v, own, &none), None, "{v}");
        }
        assert_eq!(evaluate("$(dirname \"$0\")", None, &none), None);
    }
}
