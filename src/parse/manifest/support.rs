//! Shared machinery of the language scanners: the scan context (reading
//! files, recording problems) and small text helpers (lines, quoted
//! strings, JSON keys, ports in commands and values).

use super::*;

pub(super) struct Ctx<'a> {
    pub(super) tree: &'a Tree,
    pub(super) problems: Vec<ParseProblem>,
    /// Folders holding a `go.mod` (for skipping nested modules).
    pub(super) go_modules: BTreeSet<String>,
}

impl Ctx<'_> {
    /// Reads a manifest; an unreadable one becomes a problem (files over the
    /// size cap are already reported by the walk).
    pub(super) fn read(&mut self, path: &str) -> Option<String> {
        match self.tree.read_text(path) {
            Ok(t) => Some(t),
            Err(ReadProblem::NotInTree) | Err(ReadProblem::TooLarge { .. }) => None,
            Err(e) => {
                let line = match e {
                    ReadProblem::InvalidUtf8 { line } => line,
                    _ => 1,
                };
                self.problems.push(ParseProblem::new(
                    path,
                    line,
                    ProblemKind::Unreadable,
                    e.to_string(),
                ));
                None
            }
        }
    }

    /// Reads a file that is not essential (a properties file, an entry
    /// point): silently skipped when unreadable.
    pub(super) fn read_quiet(&self, path: &str) -> Option<String> {
        self.tree.read_text(path).ok()
    }

    pub(super) fn sniff(&self, path: &str) -> Option<String> {
        self.tree.read_prefix(path, SNIFF_BYTES)
    }

    pub(super) fn has(&self, path: &str) -> bool {
        self.tree.has_file(path)
    }

    pub(super) fn syntax(&mut self, path: &str, line: u32, column: Option<u32>, message: String) {
        let mut p = ParseProblem::new(path, line, ProblemKind::Syntax, message);
        p.column = column;
        self.problems.push(p);
    }

    /// The folder name of `dir`, or of the audited root for `""`.
    pub(super) fn folder_name(&self, dir: &str) -> String {
        if !dir.is_empty() {
            return file_name(dir).to_string();
        }
        let root = self.tree.root();
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "app".to_string())
    }
}

pub(super) fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

pub(super) fn file_name(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

pub(super) fn join(dir: &str, name: &str) -> String {
    if name.is_empty() {
        dir.to_string()
    } else if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

/// 1-based line of the first line satisfying `pred`.
pub(super) fn line_where(text: &str, pred: impl Fn(&str) -> bool) -> Option<u32> {
    text.lines().position(pred).map(|i| i as u32 + 1)
}

/// Whether `hay` contains `word` delimited by non-identifier characters.
pub(super) fn contains_word(hay: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut start = 0;
    while let Some(i) = hay[start..].find(word) {
        let at = start + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return true;
        }
        start = at + word.len().max(1);
        if start >= hay.len() {
            break;
        }
    }
    false
}

/// The first quoted string (single, double or backtick quotes) in `s`.
pub(super) fn first_quoted(s: &str) -> Option<&str> {
    let (i, q) = s
        .char_indices()
        .find(|(_, c)| *c == '"' || *c == '\'' || *c == '`')?;
    let rest = &s[i + 1..];
    let j = rest.find(q)?;
    Some(&rest[..j])
}

/// Every quoted string in `s`.
pub(super) fn all_quoted(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some((i, q)) = rest.char_indices().find(|(_, c)| *c == '"' || *c == '\'') {
        let after = &rest[i + 1..];
        match after.find(q) {
            Some(j) => {
                out.push(&after[..j]);
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}

/// Line of a JSON object key `"key":`, searching after the first
/// occurrence of `"after":` when given.
pub(super) fn json_key_line(text: &str, after: Option<&str>, key: &str) -> Option<u32> {
    let start = match after {
        Some(a) => json_key_offset(text, 0, a)?,
        None => 0,
    };
    json_key_offset(text, start, key).map(|o| line_at(text, o))
}

pub(super) fn json_key_offset(text: &str, from: usize, key: &str) -> Option<usize> {
    let needle = format!("\"{key}\"");
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(&needle) {
        let at = start + i;
        let tail = text[at + needle.len()..].trim_start();
        if tail.starts_with(':') {
            return Some(at);
        }
        start = at + needle.len();
    }
    None
}

/// A port number from a value such as `8080`, `${PORT:8080}`,
/// `0.0.0.0:8000`, `http://localhost:5000`.
pub(super) fn port_value(v: &str) -> Option<u16> {
    let v = v
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == ',' || c == ';');
    let digits = |s: &str| -> Option<u16> {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        if d.is_empty() || d.len() != s.trim_end_matches(['}', '/', ')']).len() {
            return None;
        }
        d.parse::<u16>().ok().filter(|p| *p > 0)
    };
    if let Some(p) = digits(v) {
        return Some(p);
    }
    // `${PORT:8080}` / `${PORT:-8080}`, `host:port`, `scheme://host:port/`.
    let trimmed = v.trim_end_matches('/');
    let last = trimmed.rsplit(':').next()?;
    if last.len() == trimmed.len() {
        return None;
    }
    digits(last.trim_start_matches('-'))
}

/// Ports named in a command line: `PORT=3000`, `--port 8000`, `--port=8000`,
/// `-p 4000`, `--bind 0.0.0.0:8000`, `-b :8000`, `--listen 8080`.
pub(super) fn ports_in_command(cmd: &str) -> Vec<u16> {
    let tokens: Vec<&str> = cmd
        .split(|c: char| c.is_whitespace() || c == '&' || c == ';')
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied();
        if let Some((k, v)) = t.split_once('=') {
            let k = k.trim_start_matches('-');
            let ku = k.to_ascii_uppercase();
            if ku == "PORT"
                || ku.ends_with("_PORT")
                || k == "port"
                || k == "http-port"
                || k == "bind"
                || k == "listen"
            {
                out.extend(port_value(v));
            }
            continue;
        }
        let flag = matches!(
            *t,
            "--port" | "-p" | "--http-port" | "--bind" | "-b" | "--listen" | "-l" | "--server.port"
        );
        if flag {
            if let Some(v) = next {
                out.extend(port_value(v));
            }
        }
    }
    out
}

/// A command for a reason text: shortened, and with the values of
/// environment assignments other than harmless ones masked (`API_KEY=***`),
/// since reasons end up in reports.
pub(super) fn short_cmd(cmd: &str) -> String {
    const HARMLESS: &[&str] = &[
        "PORT",
        "HOST",
        "NODE_ENV",
        "ENV",
        "APP_ENV",
        "RAILS_ENV",
        "DEBUG",
        "LOG_LEVEL",
        "PYTHONUNBUFFERED",
    ];
    let masked: Vec<String> = cmd
        .split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, _))
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                    && !HARMLESS.contains(&k) =>
            {
                format!("{k}=***")
            }
            _ => w.to_string(),
        })
        .collect();
    let joined = masked.join(" ");
    let c = joined.as_str();
    if c.chars().count() <= 60 {
        c.to_string()
    } else {
        let s: String = c.chars().take(57).collect();
        format!("{s}...")
    }
}

pub(super) fn toml_parse(ctx: &mut Ctx<'_>, path: &str, text: &str) -> Option<toml::Table> {
    match text.parse::<toml::Table>() {
        Ok(t) => Some(t),
        Err(e) => {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(1);
            let msg = e.message().trim().to_string();
            ctx.syntax(
                path,
                line,
                None,
                format!("{} is not valid TOML: {msg}", file_name(path)),
            );
            None
        }
    }
}

pub(super) fn json_parse(
    ctx: &mut Ctx<'_>,
    path: &str,
    text: &str,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        Ok(_) => {
            ctx.syntax(
                path,
                1,
                None,
                format!("{} is not a JSON object", file_name(path)),
            );
            None
        }
        Err(e) => {
            let col = u32::try_from(e.column()).ok().filter(|c| *c > 0);
            ctx.syntax(
                path,
                e.line() as u32,
                col,
                format!("{} is not valid JSON: {e}", file_name(path)),
            );
            None
        }
    }
}

pub(super) fn str_keys(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}
