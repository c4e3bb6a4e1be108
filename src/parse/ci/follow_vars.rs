//! The literal variables of a shell script that CI calls, put in place
//! before its commands are read: positional parameters from the caller's
//! literal arguments (`build.sh alpine` → `variant="${1:-}"` is
//! `alpine`), then top-level assignments built from them
//! (`dir="packaging/docker/$variant"`). Only what is certain is
//! replaced: an assignment inside a block (indented: an `if`, a loop, a
//! function) or one made from a command's output makes the variable
//! unknown, and unknown variables are left as written. Lines are kept, so
//! meanings stay located where they are written.

use std::collections::HashMap;

/// At most this many assignments are tracked (a bound on hostile input).
const MAX_VARIABLES: usize = 256;

/// `script` with its literal variables replaced; `args` are the caller's
/// arguments (`None` for one that is not a literal).
pub fn bind(script: &str, args: &[Option<String>]) -> String {
    let mut known: HashMap<String, Option<String>> = HashMap::new();
    for (i, a) in args.iter().enumerate().take(9) {
        known.insert((i + 1).to_string(), a.clone());
    }
    let mut out = String::with_capacity(script.len());
    let mut in_function = false;
    for (n, line) in script.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        // Inside a function, `$1` is the function's argument.
        if is_function_start(body) {
            in_function = true;
        } else if in_function && body.starts_with('}') {
            in_function = false;
        }
        let positional = if in_function { None } else { Some(args.len()) };
        let replaced = substitute(body, &known, positional);
        if let Some((name, value)) = assignment(body) {
            let top_level = !body.starts_with([' ', '\t']);
            let value = substitute(value, &known, positional);
            let literal = unquote(&value).filter(|v| !v.contains(['$', '`']));
            if known.len() < MAX_VARIABLES || known.contains_key(name) {
                known.insert(name.to_string(), literal.filter(|_| top_level));
            }
        }
        // The shebang and comments are kept as written.
        if n == 0 && body.starts_with("#!") {
            out.push_str(line);
            continue;
        }
        out.push_str(&replaced);
        out.push_str(ending);
    }
    out
}

/// `name() {`, `function name {`.
fn is_function_start(line: &str) -> bool {
    let l = line.trim_start();
    if let Some(rest) = l.strip_prefix("function ") {
        return !rest.trim().is_empty();
    }
    let Some((name, rest)) = l.split_once("()") else {
        return false;
    };
    let name = name.trim_end();
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':')
        && (rest.trim().is_empty() || rest.trim_start().starts_with('{'))
}

/// `NAME=value` (after `export`/`local`/`readonly`/`declare`), alone on its
/// line.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let mut l = line.trim_start();
    for kw in ["export ", "local ", "readonly ", "declare "] {
        if let Some(r) = l.strip_prefix(kw) {
            l = r.trim_start();
        }
    }
    let (name, value) = l.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    // A command after the value (`A=b cmd`) sets it for that command only.
    let value = value.trim_end();
    let single_word = unquote(value).is_some();
    (valid && single_word).then_some((name, value))
}

/// A value written as one word: quotes removed; `None` when it is more
/// than one word (`a b`) or its quotes do not close.
fn unquote(v: &str) -> Option<String> {
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        return (!inner.contains('"')).then(|| inner.to_string());
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        let inner = &v[1..v.len() - 1];
        return (!inner.contains('\'')).then(|| inner.to_string());
    }
    (!v.contains([' ', '\t', '"', '\'', ';', '|', '&', '<', '>', '(', ')'])).then(|| v.to_string())
}

/// `text` with `$NAME`, `${NAME}`, `${NAME:-x}`/`${NAME-x}` replaced where
/// the value is known. A positional parameter past the caller's
/// arguments is empty, or its default.
fn substitute(
    text: &str,
    known: &HashMap<String, Option<String>>,
    positional: Option<usize>,
) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] != b'$' || (i > 0 && b[i - 1] == b'\\') {
            i += 1;
            continue;
        }
        let Some((name, default, end)) = reference(text, i + 1) else {
            i += 1;
            continue;
        };
        let value = match known.get(name) {
            _ if is_positional(name) && positional.is_none() => None,
            Some(Some(v)) => Some(v.clone()),
            Some(None) => None,
            None if is_positional(name) && positional.is_some_and(|p| p > 0) => {
                // Past the caller's arguments: unset.
                default.map(str::to_string).or(Some(String::new()))
            }
            None => None,
        };
        let value = match (value, default) {
            (Some(v), Some(d)) if v.is_empty() => Some(d.to_string()),
            (v, _) => v,
        };
        // An empty value is left as written: `--tag ""` would read as a
        // name.
        if let Some(v) = value.filter(|v| !v.is_empty() && !v.contains('$')) {
            out.push_str(&text[last..i]);
            out.push_str(&v);
            last = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[last..]);
    out
}

fn is_positional(name: &str) -> bool {
    name.len() == 1 && name.as_bytes()[0].is_ascii_digit() && name != "0"
}

/// The variable referenced at `from` (just after `$`): its name, its
/// `:-`/`-` default (without nested references), and where it ends.
fn reference(text: &str, from: usize) -> Option<(&str, Option<&str>, usize)> {
    let rest = text.get(from..)?;
    if let Some(inner) = rest.strip_prefix('{') {
        let close = inner.find('}')?;
        let body = &inner[..close];
        let end = from + 1 + close + 1;
        let name_end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let (name, op) = body.split_at(name_end);
        if name.is_empty() {
            return None;
        }
        let default = match op {
            "" => None,
            o => Some(o.strip_prefix(":-").or_else(|| o.strip_prefix('-'))?),
        };
        if default.is_some_and(|d| d.contains(['$', '`', '{'])) {
            return None;
        }
        return Some((name, default, end));
    }
    let first = rest.chars().next()?;
    if first.is_ascii_digit() {
        return Some((&rest[..1], None, from + 1));
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (len > 0 && !first.is_ascii_digit()).then(|| (&rest[..len], None, from + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_parameters_and_top_level_assignments() {
        let script = "#!/bin/bash\nvariant=\"${1:-}\"\ntag=\"${2:-}\"\npush=\"${PUSH:-true}\"\ndir=\"packaging/$variant\"\nif [[ -n \"$tag\" ]]; then\n  push=false\nfi\ndocker build --tag \"$tag\" \"$dir\" $push\n";
        let out = bind(script, &[Some("alpine".into())]);
        let last = out.lines().last().unwrap();
        // `tag` is past the arguments (empty), `push` is set in a block.
        assert_eq!(
            last,
            "docker build --tag \"$tag\" \"packaging/alpine\" $push"
        );
        assert_eq!(out.lines().count(), script.lines().count());
        // In a function, `$1` is the function's own argument.
        let out = bind(
            "run() {\n  docker run \"$1\"\n}\nrun x\n",
            &[Some("alpine".into())],
        );
        assert!(out.contains("docker run \"$1\""), "{out}");
    }

    #[test]
    fn unknown_values_stay_as_written() {
        let script = "tag=$(git rev-parse HEAD)\nname=\"$1\"\ndocker build -t \"$name:$tag\" .\n";
        // No arguments at all (the script's own default use): `$1` stays.
        assert_eq!(bind(script, &[]), script);
        let out = bind(script, &[None]);
        assert!(out.ends_with("docker build -t \"$name:$tag\" .\n"), "{out}");
        let out = bind(script, &[Some("api".into())]);
        assert!(out.ends_with("docker build -t \"api:$tag\" .\n"), "{out}");
    }

    #[test]
    fn hostile_input_is_bounded() {
        let script = "${\n$\n${:-}\n${1\n".repeat(100);
        let _ = bind(&script, &[Some("x".into())]);
        let many: String = (0..1000).map(|i| format!("v{i}=x\n")).collect();
        let _ = bind(&many, &[]);
    }
}
