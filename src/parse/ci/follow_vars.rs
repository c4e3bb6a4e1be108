//! The literal variables of a shell script that CI calls, put in place
//! before its commands are read: positional parameters from the caller's
//! literal arguments (`build.sh alpine` → `variant="${1:-}"` is
//! `alpine`), then top-level assignments built from them
//! (`dir="packaging/docker/$variant"`). Only what is certain is
//! replaced: an assignment inside a block (indented: an `if`, a loop, a
//! function) or one made from a command's output makes the variable
//! unknown, and unknown variables are left as written. Lines are kept, so
//! meanings stay located where they are written.
//!
//! A variable that may hold the value of one the script tags a build with,
//! through plain copies (`candidate="$image_tag"`) and shell functions'
//! positional arguments (`start x "$candidate"` → `local image="$2"` in
//! `start`), is written as that variable (`docker run "$image"` →
//! `docker run "${image_tag}"`), so the graph's same-variable rule sees
//! the run of the image just built. Only when exactly one tagged variable
//! is reachable; anything else stays as written.

use std::collections::{HashMap, HashSet};

use super::follow_dirs::{self, PathValue};

/// At most this many assignments are tracked (a bound on hostile input).
const MAX_VARIABLES: usize = 256;

/// `script` with its literal variables replaced; `own` is the script's
/// path as its caller wrote it (`$0`), `args` are the caller's arguments
/// (`None` for one that is not a literal).
pub fn bind(script: &str, own: Option<&str>, args: &[Option<String>]) -> String {
    let mut known: HashMap<String, Option<String>> = HashMap::new();
    let mut folders: HashMap<String, PathValue> = HashMap::new();
    for (i, a) in args.iter().enumerate().take(9) {
        known.insert((i + 1).to_string(), a.clone());
    }
    let aliases = build_tag_aliases(script);
    let mut out = String::with_capacity(script.len());
    let mut function: Option<&str> = None;
    for (n, line) in script.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        // Inside a function, `$1` is the function's argument.
        if let Some(name) = function_name(body) {
            function = Some(name);
        } else if function.is_some() && body.starts_with('}') {
            function = None;
        }
        let in_function = function.is_some();
        let positional = if in_function { None } else { Some(args.len()) };
        let replaced = substitute(body, &known, positional);
        let replaced = write_aliases(&replaced, &aliases, function);
        // The script's own folder (`DIR=$(cd "$(dirname "$0")" && pwd)`).
        if let Some((name, value)) = folder_assignment(body) {
            let top_level = !body.starts_with([' ', '\t']) && !in_function;
            let folder = follow_dirs::evaluate(value, own, &folders).filter(|_| top_level);
            if known.len() < MAX_VARIABLES || known.contains_key(name) {
                known.insert(name.to_string(), folder.as_ref().map(PathValue::render));
            }
            match folder {
                Some(f) if folders.len() < MAX_VARIABLES => {
                    folders.insert(name.to_string(), f);
                }
                _ => {
                    folders.remove(name);
                }
            }
        }
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

/// The function `name() {` or `function name {` starts; `None` for any
/// other line.
fn function_name(line: &str) -> Option<&str> {
    let l = line.trim_start();
    if let Some(rest) = l.strip_prefix("function ") {
        let name = rest.split([' ', '\t', '(', '{']).next().unwrap_or("");
        return (!name.is_empty()).then_some(name);
    }
    let (name, rest) = l.split_once("()")?;
    let name = name.trim_end();
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':')
        && (rest.trim().is_empty() || rest.trim_start().starts_with('{')))
    .then_some(name)
}

/// `NAME=$(...)` or `NAME="$(...)"` (after `export`/`local`/`readonly`):
/// a value computed by a command, alone on its line.
fn folder_assignment(line: &str) -> Option<(&str, &str)> {
    let mut l = line.trim();
    for kw in ["export ", "local ", "readonly ", "declare "] {
        if let Some(r) = l.strip_prefix(kw) {
            l = r.trim_start();
        }
    }
    let (name, value) = l.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    (valid && (value.starts_with("$(") || value.starts_with("\"$("))).then_some((name, value))
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

/// At most this many copies and arguments are followed, and this many
/// tagged variables looked for (bounds on hostile input).
const MAX_EDGES: usize = 1024;
const MAX_TAGS: usize = 16;

/// The variable `name` stands for where it is written: `f#N` for the
/// positional parameter `N` inside function `f`.
fn scoped(name: &str, function: Option<&str>) -> String {
    match function {
        Some(f) if is_positional(name) => format!("{f}#{name}"),
        _ => name.to_string(),
    }
}

/// The variable a word is made of, alone (`"$a"`, `${a}`, `$2` → `a`,
/// `a`, `2`).
fn bare_reference(word: &str) -> Option<&str> {
    let w = word.trim_matches('"');
    let v = w.strip_prefix('$')?;
    let v = match v.strip_prefix('{') {
        Some(inner) => inner.strip_suffix('}')?,
        None => v,
    };
    (!v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(v)
}

/// The words of a simple command line, up to the first `;`, `|`, `&` or
/// redirection; `None` when a quoted word holds a space (positions would
/// be wrong).
fn simple_words(line: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    for w in line.split_whitespace() {
        if w.starts_with('#') {
            break;
        }
        let stop = w.find([';', '|', '&', '>', '<']);
        let word = &w[..stop.unwrap_or(w.len())];
        if word.matches('"').count() % 2 == 1 || word.matches('\'').count() % 2 == 1 {
            return None;
        }
        if !word.is_empty() {
            out.push(word);
        }
        if stop.is_some() {
            break;
        }
    }
    Some(out)
}

/// Variables (scoped as [`scoped`]) that may hold the value of exactly one
/// variable the script tags a build with (`-t "$v"`, `--tag "$v"`,
/// `--tag=$v`), mapped to it. Values flow through plain copies
/// (`b="$a"`, also `local`/`export`) and the arguments of calls to the
/// script's own functions. Linear: one pass to collect, one walk back
/// from each tagged variable.
fn build_tag_aliases(script: &str) -> HashMap<String, String> {
    let functions: HashSet<&str> = script.lines().filter_map(function_name).collect();
    // Where each variable's value may come from, reversed: `a` → `b` for `b="$a"`.
    let mut flows: HashMap<String, Vec<String>> = HashMap::new();
    let mut edges = 0;
    let mut tags: Vec<String> = Vec::new();
    let mut function: Option<&str> = None;
    for line in script.lines() {
        if let Some(name) = function_name(line) {
            function = Some(name);
            continue;
        } else if function.is_some() && line.starts_with('}') {
            function = None;
            continue;
        }
        let Some(words) = simple_words(line) else {
            continue;
        };
        for (i, w) in words.iter().enumerate() {
            let tagged = match *w {
                "-t" | "--tag" => words.get(i + 1).and_then(|n| bare_reference(n)),
                _ => w.strip_prefix("--tag=").and_then(bare_reference),
            };
            // A function's own positional parameter cannot be written
            // elsewhere; only named variables are followed.
            if let Some(v) = tagged.filter(|v| !is_positional(v)) {
                let v = v.to_string();
                if tags.len() < MAX_TAGS && !tags.contains(&v) {
                    tags.push(v);
                }
            }
        }
        let mut flow = |from: &str, to: String| {
            if edges < MAX_EDGES {
                edges += 1;
                flows.entry(scoped(from, function)).or_default().push(to);
            }
        };
        if let Some((name, value)) = assignment(line) {
            if let Some(from) = unquote(value).as_deref().and_then(bare_reference) {
                flow(from, name.to_string());
            }
            continue;
        }
        let call = words.iter().position(|w| {
            !matches!(
                *w,
                "if" | "!" | "then" | "do" | "else" | "elif" | "while" | "until"
            )
        });
        let Some(at) = call else { continue };
        let Some(f) = words.get(at).filter(|w| functions.contains(**w)) else {
            continue;
        };
        for (i, w) in words[at + 1..].iter().enumerate().take(9) {
            if let Some(from) = bare_reference(w) {
                flow(from, format!("{f}#{}", i + 1));
            }
        }
    }
    // Walk forward from each tagged variable; a variable reached from two
    // tagged variables is ambiguous and stays as written.
    let mut reached: HashMap<String, Option<String>> = HashMap::new();
    for tag in &tags {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo: Vec<&str> = vec![tag.as_str()];
        while let Some(v) = todo.pop() {
            for next in flows.get(v).into_iter().flatten() {
                if !seen.insert(next) || tags.contains(next) {
                    continue;
                }
                let slot = reached
                    .entry(next.clone())
                    .or_insert_with(|| Some(tag.clone()));
                if slot.as_deref() != Some(tag.as_str()) {
                    *slot = None;
                }
                todo.push(next);
            }
        }
    }
    reached
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect()
}

/// `text` with bare references to an alias of a tagged variable written as
/// that variable (`"$image"` → `"${image_tag}"`).
fn write_aliases(text: &str, aliases: &HashMap<String, String>, function: Option<&str>) -> String {
    if aliases.is_empty() || !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() {
        if b[i] != b'$' || (i > 0 && b[i - 1] == b'\\') {
            i += 1;
            continue;
        }
        match reference(text, i + 1) {
            Some((name, None, end)) => {
                if let Some(target) = aliases.get(&scoped(name, function)) {
                    out.push_str(&text[last..i]);
                    out.push_str("${");
                    out.push_str(target);
                    out.push('}');
                    last = end;
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_parameters_and_top_level_assignments() {
        let script = "#!/bin/bash\nvariant=\"${1:-}\"\ntag=\"${2:-}\"\npush=\"${PUSH:-true}\"\ndir=\"packaging/$variant\"\nif [[ -n \"$tag\" ]]; then\n  push=false\nfi\ndocker build --tag \"$tag\" \"$dir\" $push\n";
        let out = bind(script, None, &[Some("alpine".into())]);
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
            None,
            &[Some("alpine".into())],
        );
        assert!(out.contains("docker run \"$1\""), "{out}");
    }

    #[test]
    fn unknown_values_stay_as_written() {
        let script = "tag=$(git rev-parse HEAD)\nname=\"$1\"\ndocker build -t \"$name:$tag\" .\n";
        // No arguments at all (the script's own default use): `$1` stays.
        assert_eq!(bind(script, None, &[]), script);
        let out = bind(script, None, &[None]);
        assert!(out.ends_with("docker build -t \"$name:$tag\" .\n"), "{out}");
        let out = bind(script, None, &[Some("api".into())]);
        assert!(out.ends_with("docker build -t \"api:$tag\" .\n"), "{out}");
    }

    #[test]
    fn copies_and_function_arguments_of_a_tagged_variable() {
        let script = "#!/bin/bash\ncandidate=\"${CANDIDATE:-}\"\nbuild() {\n  local tag\n  tag=\"app:$(git rev-parse HEAD)\"\n  docker build --tag \"$tag\" .\n  candidate=\"$tag\"\n}\nstart() {\n  local name=\"$1\"\n  local image=\"$2\"\n  docker run --name \"$name\" \"$image\" >/dev/null\n}\nbuild\nstart fresh \"$candidate\" vol\nstart old \"$previous\" vol\n";
        let out = bind(script, None, &[]);
        assert!(
            out.contains("  docker run --name \"$name\" \"${tag}\" >/dev/null\n"),
            "{out}"
        );
        assert!(out.contains("docker build --tag \"$tag\" ."), "{out}");
        assert_eq!(out.lines().count(), script.lines().count());
        // A function argument used directly.
        let out = bind(
            "docker build -t \"$img\" .\nrun() {\n  docker run \"$2\"\n}\nrun x \"$img\"\n",
            None,
            &[],
        );
        assert!(out.contains("  docker run \"${img}\"\n"), "{out}");
    }

    #[test]
    fn ambiguous_or_unrelated_copies_stay_as_written() {
        // Reached from two tagged variables: which one runs is unknown.
        let script = "docker build -t \"$a\" .\ndocker build -t \"$b\" web\nstart() {\n  docker run \"$1\"\n}\nstart \"$a\"\nstart \"$b\"\n";
        assert_eq!(bind(script, None, &[]), script);
        // Not a copy of a tagged variable: a computed value, a quoted
        // word with a space (argument positions unknown), no build.
        let script = "docker build -t \"$a\" .\nc=\"$(echo $a)\"\nstart() {\n  docker run \"$2\"\n}\nstart \"x y\" \"$a\"\ndocker run \"$c\"\n";
        assert_eq!(bind(script, None, &[]), script);
        let script = "b=\"$a\"\ndocker run \"$b\"\n";
        assert_eq!(bind(script, None, &[]), script);
    }

    #[test]
    fn hostile_input_is_bounded() {
        let script = "${\n$\n${:-}\n${1\n".repeat(100);
        let _ = bind(&script, None, &[Some("x".into())]);
        let many: String = (0..1000).map(|i| format!("v{i}=x\n")).collect();
        let _ = bind(&many, None, &[]);
        let chain: String = std::iter::once("docker build -t \"$v0\" .\n".to_string())
            .chain((1..3000).map(|i| {
                format!(
                    "v{i}=\"$v{}\"\nf{i}() {{\n  x \"$1\"\n}}\nf{i} \"$v{i}\"\n",
                    i - 1
                )
            }))
            .collect();
        let _ = bind(&chain, None, &[]);
    }
}
