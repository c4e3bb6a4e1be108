//! Reading `.kubeready.yaml`: YAML with positions (kubeready-yaml), then a
//! strict walk over the keys. The first problem stops loading and is
//! reported as `FILE:LINE:COLUMN: message`, with a suggestion for likely
//! typos.

use super::suggest::did_you_mean;
use super::{compile_glob, Config, PathMatcher, PathOverride, RuleLevel};
use crate::checklist::StepId;
use crate::cli::FailOn;
use crate::inventory::DeclaredService;
use crate::kind::RepositoryKind;
use crate::parse::manifest::Language;
use crate::rules::{all_rules, find_rule};
use clap::ValueEnum;
use kubeready_yaml::{Limits, Node, Value};
use std::fmt;
use std::path::{Path, PathBuf};

/// The names looked for at the audited root, in order.
pub const FILE_NAMES: [&str; 2] = [".kubeready.yaml", ".kubeready.yml"];

/// Configs larger than this are refused (a config is a few hundred bytes).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

const TOP_KEYS: [&str; 10] = [
    "kind",
    "ignore",
    "max-file-size",
    "rules",
    "overrides",
    "services",
    "steps",
    "gate",
    "trusted-registries",
    "forbid-inline-ignores",
];

const LANGUAGES: [&str; 9] = [
    "node", "python", "go", "rust", "java", "dotnet", "ruby", "php", "elixir",
];

/// A configuration problem with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file as shown to the user.
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: u32,
    pub column: Option<u32>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (l, Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (l, None) => write!(f, "{}:{l}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The config for an audited path: `.kubeready.yaml` (or another of
/// [`FILE_NAMES`]) in the audited folder, else in the folders above it up
/// to the repository root (the folder holding `.git`), the nearest first.
/// Outside a repository only the audited folder is looked at, so a stray
/// config in a home folder is never picked up; a config whose `ignore:`
/// covers the audited folder does not apply to it.
pub fn discover(root: &Path) -> Option<PathBuf> {
    let start = if root.is_dir() {
        root.to_path_buf()
    } else {
        match root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let in_dir = |dir: &Path| FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file());
    if let Some(found) = in_dir(&start) {
        return Some(found);
    }
    if start.join(".git").exists() {
        return None;
    }
    // Canonical, so that `..` in the audited path is resolved before
    // walking up.
    let absolute = std::fs::canonicalize(&start).ok()?;
    let mut searched = Vec::new();
    for dir in absolute.ancestors().skip(1) {
        searched.push(dir);
        if dir.join(".git").exists() {
            let found = searched.into_iter().find_map(in_dir)?;
            return (!ignores(&found, &absolute)).then_some(found);
        }
    }
    None
}

/// Whether the config at `config` lists `folder` (below the config's
/// folder) under `ignore:`: such a folder is not part of what that config
/// audits (e.g. sample repositories kept for tests), so the config does
/// not apply to it. A config that does not load is not skipped, so its
/// error is reported.
fn ignores(config: &Path, folder: &Path) -> bool {
    let (Some(base), Ok(loaded)) = (config.parent(), load_file(config)) else {
        return false;
    };
    let Ok(rel) = folder.strip_prefix(base) else {
        return false;
    };
    let mut builder = ignore::gitignore::GitignoreBuilder::new(base);
    for pattern in &loaded.ignore {
        if builder.add_line(None, pattern).is_err() {
            return false;
        }
    }
    builder.build().is_ok_and(|g| {
        g.matched_path_or_any_parents(base.join(rel), true)
            .is_ignore()
    })
}

fn shown(path: &Path) -> String {
    let s = path.display().to_string();
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

/// A size for `max-file-size` and `--max-file-size`: bytes (`2000000`) or
/// a number with a unit (`2MB`, `512 KiB`, `1g`; case-insensitive). Zero
/// and overflow are `None`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim().to_ascii_lowercase();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(digits_end);
    let num: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1024,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    num.checked_mul(mult).filter(|s| *s > 0)
}

/// Reads and validates a config file.
pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
    let file = shown(path);
    let whole = |message: String| ConfigError {
        file: file.clone(),
        line: 0,
        column: None,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => whole("config file does not exist".into()),
        _ => whole(format!("cannot read config file: {e}")),
    })?;
    if !meta.is_file() {
        return Err(whole("config path is not a file".into()));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(whole(format!(
            "config file is {} bytes; the limit is {MAX_CONFIG_BYTES}",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| whole(format!("cannot read config file: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|_| whole("config file is not valid UTF-8".into()))?;
    let mut config = load_str(&text, &file)?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Validates config text; `file` is the name errors carry.
pub fn load_str(text: &str, file: &str) -> Result<Config, ConfigError> {
    let l = Loader { file };
    let loaded = kubeready_yaml::load(
        text,
        &Limits {
            max_nodes: 100_000,
            max_depth: 64,
        },
    );
    if let Some(e) = loaded.error {
        return Err(l.at(
            e.line,
            Some(e.column),
            format!("invalid YAML: {}", e.message),
        ));
    }
    if let Some(d) = loaded.duplicates.first() {
        return Err(l.at(
            d.line,
            None,
            format!(
                "duplicate key `{}` (first set on line {})",
                d.key, d.first_line
            ),
        ));
    }
    let mut docs = loaded.documents.into_iter();
    let Some(root) = docs.next() else {
        return Ok(Config::default());
    };
    if let Some(extra) = docs.next() {
        return Err(l.err(
            &extra,
            "a config holds one YAML document; remove the `---` separator".into(),
        ));
    }
    l.config(&root)
}

struct Loader<'a> {
    file: &'a str,
}

type R<T> = Result<T, ConfigError>;

fn kind(n: &Node) -> &'static str {
    match &n.value {
        Value::Null => "nothing",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::Scalar(_) => {
            if n.as_bool().is_some() {
                "a boolean"
            } else if n.as_f64().is_some() {
                "a number"
            } else {
                "a string"
            }
        }
    }
}

impl Loader<'_> {
    fn at(&self, line: u32, column: Option<u32>, message: String) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            line: line.max(1),
            column: column.map(|c| c.max(1)),
            message,
        }
    }

    fn err(&self, n: &Node, message: String) -> ConfigError {
        self.at(n.line, Some(n.column), message)
    }

    fn expected(&self, n: &Node, what: &str, expected: &str) -> ConfigError {
        self.err(n, format!("`{what}` must be {expected}, found {}", kind(n)))
    }

    /// The entries of a mapping; a null value is an empty mapping.
    fn map<'n>(&self, n: &'n Node, what: &str) -> R<&'n [kubeready_yaml::Entry]> {
        match &n.value {
            Value::Map(entries) => Ok(entries),
            Value::Null => Ok(&[]),
            _ => Err(self.expected(n, what, "a mapping")),
        }
    }

    /// A mapping key as text, checked against `known`.
    fn key<'n>(&self, e: &'n kubeready_yaml::Entry, known: &[&str], within: &str) -> R<&'n str> {
        let Some(k) = e.key_str() else {
            return Err(self.err(&e.key, format!("keys of `{within}` must be strings")));
        };
        if known.contains(&k) {
            return Ok(k);
        }
        let place = if within.is_empty() {
            String::new()
        } else {
            format!(" in `{within}`")
        };
        Err(self.err(
            &e.key,
            format!(
                "unknown key `{k}`{place}{}",
                did_you_mean(k, known.iter().copied())
            ),
        ))
    }

    fn string(&self, n: &Node, what: &str) -> R<String> {
        match &n.value {
            Value::Scalar(s) if !s.text.trim().is_empty() => Ok(s.text.trim().to_string()),
            Value::Scalar(_) => Err(self.err(n, format!("`{what}` must not be empty"))),
            _ => Err(self.expected(n, what, "a string")),
        }
    }

    /// A list of strings; a single string counts as a list of one, and
    /// nothing as an empty list.
    fn strings<'n>(&self, n: &'n Node, what: &str) -> R<Vec<(String, &'n Node)>> {
        match &n.value {
            Value::Null => Ok(Vec::new()),
            Value::Scalar(_) => Ok(vec![(self.string(n, what)?, n)]),
            Value::Seq(items) => items
                .iter()
                .map(|i| match &i.value {
                    Value::Scalar(_) => Ok((self.string(i, what)?, i)),
                    _ => Err(self.err(
                        i,
                        format!("items of `{what}` must be strings, found {}", kind(i)),
                    )),
                })
                .collect(),
            Value::Map(_) => Err(self.expected(n, what, "a list of strings")),
        }
    }

    fn globs(&self, n: &Node, what: &str) -> R<Vec<String>> {
        let mut out = Vec::new();
        for (p, node) in self.strings(n, what)? {
            if let Err(e) = compile_glob(&p) {
                return Err(self.err(node, format!("invalid glob `{p}` in `{what}`: {e}")));
            }
            if p.starts_with('/') || p.split('/').any(|c| c == "..") {
                return Err(self.err(
                    node,
                    format!("`{p}` in `{what}` must be relative to the audited root"),
                ));
            }
            out.push(p);
        }
        Ok(out)
    }

    fn bool(&self, n: &Node, what: &str) -> R<bool> {
        n.as_bool()
            .ok_or_else(|| self.expected(n, what, "`true` or `false`"))
    }

    fn step(&self, n: &Node, text: &str) -> R<StepId> {
        StepId::from_id(text).ok_or_else(|| {
            self.err(
                n,
                format!(
                    "unknown step `{text}`{} (steps: {})",
                    did_you_mean(text, StepId::ALL.iter().map(|s| s.id())),
                    StepId::ALL.map(|s| s.id()).join(", ")
                ),
            )
        })
    }

    fn kind(&self, n: &Node) -> R<RepositoryKind> {
        let text = self.string(n, "kind")?;
        RepositoryKind::from_id(&text).ok_or_else(|| {
            self.err(
                n,
                format!(
                    "unknown repository kind `{text}`{} (kinds: {})",
                    did_you_mean(&text, RepositoryKind::ALL.iter().map(|k| k.as_str())),
                    RepositoryKind::ALL.map(|k| k.as_str()).join(", ")
                ),
            )
        })
    }

    fn config(&self, root: &Node) -> R<Config> {
        let mut c = Config::default();
        if root.is_null() {
            return Ok(c);
        }
        if !root.is_map() {
            return Err(self.err(
                root,
                format!(
                    "the config must be a mapping of keys ({}), found {}",
                    TOP_KEYS.join(", "),
                    kind(root)
                ),
            ));
        }
        for e in self.map(root, "")? {
            let v = &e.value;
            match self.key(e, &TOP_KEYS, "")? {
                "kind" => c.kind = Some(self.kind(v)?),
                "ignore" => c.ignore = self.ignore(v)?,
                "max-file-size" => c.max_file_size = Some(self.size(v)?),
                "rules" => c.policy.rules = self.rules(v, "rules")?,
                "overrides" => c.policy.overrides = self.overrides(v)?,
                "services" => self.services(v, &mut c)?,
                "steps" => c.not_applicable = self.steps(v)?,
                "gate" => self.gate(v, &mut c)?,
                "trusted-registries" => {
                    c.trusted_registries = self
                        .strings(v, "trusted-registries")?
                        .into_iter()
                        .map(|(s, _)| s.trim_end_matches('/').to_string())
                        .collect()
                }
                "forbid-inline-ignores" => {
                    c.forbid_inline_ignores = self.bool(v, "forbid-inline-ignores")?
                }
                _ => {}
            }
        }
        Ok(c)
    }

    fn ignore(&self, n: &Node) -> R<Vec<String>> {
        let mut out = Vec::new();
        for (p, node) in self.strings(n, "ignore")? {
            let mut b = ignore::overrides::OverrideBuilder::new("/");
            if let Err(e) = b.add(&format!("!{p}")) {
                let reason = match e {
                    ignore::Error::Glob { err, .. } => err,
                    other => other.to_string(),
                };
                return Err(self.err(node, format!("invalid pattern `{p}` in `ignore`: {reason}")));
            }
            out.push(p);
        }
        Ok(out)
    }

    fn size(&self, n: &Node) -> R<u64> {
        let bad = || {
            self.err(
                n,
                format!(
                    "`max-file-size` must be a number of bytes (e.g. 2000000 or \"2MB\"), found {}",
                    match n.as_str() {
                        Some(s) => format!("`{s}`"),
                        None => kind(n).to_string(),
                    }
                ),
            )
        };
        if let Some(i) = n.as_i64() {
            return u64::try_from(i).ok().filter(|i| *i > 0).ok_or_else(bad);
        }
        parse_size(n.as_str().ok_or_else(bad)?).ok_or_else(bad)
    }

    fn rules(&self, n: &Node, what: &str) -> R<Vec<(&'static str, RuleLevel)>> {
        let mut out = Vec::new();
        for e in self.map(n, what)? {
            let Some(k) = e.key_str() else {
                return Err(self.err(&e.key, format!("keys of `{what}` must be rule codes")));
            };
            let Some(rule) = find_rule(k) else {
                let docs: Vec<_> = all_rules().into_iter().map(|r| r.doc()).collect();
                let candidates = docs.iter().flat_map(|d| [d.code, d.name]);
                return Err(self.err(
                    &e.key,
                    format!(
                        "unknown rule `{k}`{} (see `kubeready rules`)",
                        did_you_mean(k, candidates)
                    ),
                ));
            };
            let code = rule.doc().code;
            let level = e
                .value
                .as_str()
                .map(|s| s.trim().to_ascii_lowercase())
                .and_then(|s| RuleLevel::parse(&s));
            match level {
                Some(l) => out.push((code, l)),
                None => {
                    let shown = match e.value.as_str() {
                        Some(s) => format!("`{s}`"),
                        None => kind(&e.value).to_string(),
                    };
                    let hint = e
                        .value
                        .as_str()
                        .map(|s| did_you_mean(s, RuleLevel::NAMES))
                        .unwrap_or_default();
                    return Err(self.err(
                        &e.value,
                        format!(
                            "invalid level {shown} for rule `{k}`{hint} (expected off, error, warning or info)"
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }

    fn overrides(&self, n: &Node) -> R<Vec<PathOverride>> {
        let items = match &n.value {
            Value::Seq(items) => items.as_slice(),
            Value::Null => &[],
            _ => {
                return Err(self.expected(
                    n,
                    "overrides",
                    "a list of `{paths: [...], rules: {...}}` entries",
                ))
            }
        };
        let mut out = Vec::new();
        for item in items {
            if !item.is_map() {
                return Err(self.expected(item, "overrides", "a list of mappings"));
            }
            let mut paths = None;
            let mut rules = None;
            for e in self.map(item, "overrides")? {
                match self.key(e, &["paths", "rules"], "overrides")? {
                    "paths" => {
                        let globs = self.globs(&e.value, "paths")?;
                        if globs.is_empty() {
                            return Err(self.err(&e.value, "`paths` must not be empty".into()));
                        }
                        let m = PathMatcher::new(&globs).map_err(|m| self.err(&e.value, m))?;
                        paths = Some(m);
                    }
                    _ => rules = Some(self.rules(&e.value, "rules")?),
                }
            }
            let Some(paths) = paths else {
                return Err(self.err(item, "this override has no `paths`".into()));
            };
            let Some(rules) = rules else {
                return Err(self.err(item, "this override has no `rules`".into()));
            };
            out.push(PathOverride { paths, rules });
        }
        Ok(out)
    }

    fn services(&self, n: &Node, c: &mut Config) -> R<()> {
        if n.is_seq() {
            // Shorthand: `services: [{path: ..., language: ...}]` declares.
            c.declare = self.declare(n)?;
            return Ok(());
        }
        for e in self.map(n, "services")? {
            match self.key(e, &["declare", "exclude"], "services")? {
                "declare" => c.declare = self.declare(&e.value)?,
                _ => c.exclude = self.globs(&e.value, "exclude")?,
            }
        }
        Ok(())
    }

    fn declare(&self, n: &Node) -> R<Vec<DeclaredService>> {
        let items = match &n.value {
            Value::Seq(items) => items.as_slice(),
            Value::Null => &[],
            _ => {
                return Err(self.expected(
                    n,
                    "declare",
                    "a list of `{path, name, language}` entries",
                ))
            }
        };
        let mut out = Vec::new();
        for item in items {
            let mut d = DeclaredService {
                path: String::new(),
                name: None,
                language: None,
            };
            if item.as_scalar().is_some() {
                d.path = self.service_path(item)?;
                out.push(d);
                continue;
            }
            if !item.is_map() {
                return Err(self.expected(item, "declare", "a list of mappings"));
            }
            let mut has_path = false;
            for e in self.map(item, "declare")? {
                match self.key(e, &["path", "name", "language"], "declare")? {
                    "path" => {
                        d.path = self.service_path(&e.value)?;
                        has_path = true;
                    }
                    "name" => d.name = Some(self.string(&e.value, "name")?),
                    _ => {
                        let s = self.string(&e.value, "language")?;
                        match Language::parse(&s) {
                            Some(lang) => d.language = Some(lang),
                            None => {
                                return Err(self.err(
                                    &e.value,
                                    format!(
                                        "unknown language `{s}`{} (languages: {})",
                                        did_you_mean(&s, LANGUAGES),
                                        LANGUAGES.join(", ")
                                    ),
                                ))
                            }
                        }
                    }
                }
            }
            if !has_path {
                return Err(self.err(
                    item,
                    "a declared service needs a `path` (`.` for the root)".into(),
                ));
            }
            out.push(d);
        }
        Ok(out)
    }

    fn service_path(&self, n: &Node) -> R<String> {
        let p = self.string(n, "path")?;
        if p.starts_with('/') || p.split('/').any(|c| c == "..") {
            return Err(self.err(
                n,
                format!("service path `{p}` must be relative to the audited root"),
            ));
        }
        Ok(p)
    }

    fn steps(&self, n: &Node) -> R<Vec<(StepId, String)>> {
        let mut out = Vec::new();
        for e in self.map(n, "steps")? {
            let Some(k) = e.key_str() else {
                return Err(self.err(&e.key, "keys of `steps` must be step ids".into()));
            };
            let id = self.step(&e.key, k)?;
            if !e.value.is_map() {
                return Err(self.expected(
                    &e.value,
                    k,
                    "a mapping such as `{not-applicable: \"reason\"}`",
                ));
            }
            for se in self.map(&e.value, k)? {
                self.key(se, &["not-applicable"], k)?;
                if se.value.as_bool().is_some() || se.value.is_null() {
                    return Err(self.err(
                        &se.value,
                        "`not-applicable` takes the reason as text, e.g. `not-applicable: \"deployed by the platform team\"`".to_string(),
                    ));
                }
                let reason = self.string(&se.value, "not-applicable")?;
                out.push((id, reason));
            }
        }
        Ok(out)
    }

    fn gate(&self, n: &Node, c: &mut Config) -> R<()> {
        for e in self.map(n, "gate")? {
            let v = &e.value;
            match self.key(e, &["fail-on", "fail-under", "require-steps"], "gate")? {
                "fail-on" => {
                    let s = self.string(v, "fail-on")?;
                    let names = ["error", "warning", "info", "never"];
                    let f = FailOn::from_str(&s, true).map_err(|_| {
                        self.err(
                            v,
                            format!(
                                "invalid `fail-on` value `{s}`{} (expected error, warning, info or never)",
                                did_you_mean(&s, names)
                            ),
                        )
                    })?;
                    c.gate.fail_on = Some(f);
                }
                "fail-under" => {
                    let score = v
                        .as_i64()
                        .filter(|s| (0..=100).contains(s))
                        .ok_or_else(|| {
                            self.err(
                                v,
                                format!(
                                    "`fail-under` must be a score from 0 to 100, found {}",
                                    v.as_str()
                                        .map(|s| format!("`{s}`"))
                                        .unwrap_or_else(|| kind(v).to_string())
                                ),
                            )
                        })?;
                    c.gate.fail_under = u8::try_from(score).ok();
                }
                _ => {
                    let mut steps = Vec::new();
                    for (s, node) in self.strings(v, "require-steps")? {
                        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                            steps.push(self.step(node, part)?);
                        }
                    }
                    c.gate.require_steps = steps;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::finding::Severity;

    fn err(text: &str) -> String {
        load_str(text, ".kubeready.yaml").unwrap_err().to_string()
    }

    #[test]
    fn empty_and_comment_only_configs_are_defaults() {
        assert!(load_str("", "c").unwrap().ignore.is_empty());
        assert!(load_str("# nothing\n", "c").unwrap().ignore.is_empty());
    }

    #[test]
    fn full_config() {
        let c = load_str(
            r#"
ignore: [legacy/, "*.bak"]
max-file-size: 2MB
rules:
  KR903: error
  file-too-large: off
overrides:
  - paths: [vendor/**]
    rules: {KR903: off}
services:
  declare:
    - {path: tools/cli, name: cli, language: golang}
    - jobs
  exclude: [examples/*]
steps:
  cd-staging: {not-applicable: "deployed by the platform team"}
gate:
  fail-on: warning
  fail-under: 60
  require-steps: [dockerfile, "compose,ci-images"]
trusted-registries: [ghcr.io/acme/]
forbid-inline-ignores: true
"#,
            "c",
        )
        .unwrap();
        assert_eq!(c.ignore, vec!["legacy/", "*.bak"]);
        assert_eq!(c.max_file_size, Some(2_000_000));
        assert_eq!(
            c.policy.rules,
            vec![
                ("KR903", RuleLevel::On(Severity::Error)),
                ("KR902", RuleLevel::Off)
            ]
        );
        assert_eq!(c.policy.overrides.len(), 1);
        assert!(c.policy.overrides[0].paths.matches("vendor/x/Dockerfile"));
        assert!(!c.policy.overrides[0].paths.matches("src/Dockerfile"));
        assert_eq!(c.declare.len(), 2);
        assert_eq!(c.declare[0].language, Some(Language::Go));
        assert_eq!(c.declare[1].path, "jobs");
        assert_eq!(c.exclude, vec!["examples/*"]);
        assert_eq!(
            c.not_applicable,
            vec![(StepId::CdStaging, "deployed by the platform team".into())]
        );
        assert_eq!(c.gate.fail_on, Some(FailOn::Warning));
        assert_eq!(c.gate.fail_under, Some(60));
        assert_eq!(
            c.gate.require_steps,
            vec![StepId::Dockerfile, StepId::Compose, StepId::CiImages]
        );
        assert_eq!(c.trusted_registries, vec!["ghcr.io/acme"]);
        assert!(c.forbid_inline_ignores);
    }

    #[test]
    fn errors_have_positions_and_suggestions() {
        assert_eq!(
            err("ignore: []\n\nrulez: {}\n"),
            ".kubeready.yaml:3:1: unknown key `rulez` (did you mean `rules`?)"
        );
        assert_eq!(
            err("rules:\n  KR9O3: off\n"),
            ".kubeready.yaml:2:3: unknown rule `KR9O3` (did you mean `KR903`?) (see `kubeready rules`)"
        );
        assert!(err("rules:\n  KR903: of\n").starts_with(
            ".kubeready.yaml:2:10: invalid level `of` for rule `KR903` (did you mean `off`?)"
        ));
        assert!(err("steps:\n  compse: {not-applicable: x}\n")
            .starts_with(".kubeready.yaml:2:3: unknown step `compse` (did you mean `compose`?)"));
        assert!(err("ignore: \"[oops\"\n").starts_with(".kubeready.yaml:1:9: invalid pattern"));
        assert!(err("services:\n  exclude: ['{a']\n")
            .starts_with(".kubeready.yaml:2:13: invalid glob `{a`"));
        assert_eq!(
            err("max-file-size: [1]\n"),
            ".kubeready.yaml:1:16: `max-file-size` must be a number of bytes (e.g. 2000000 or \"2MB\"), found a list"
        );
        assert!(err("gate:\n  fail-under: 101\n").contains("2:15: `fail-under` must be a score"));
        assert!(err("gate:\n  fail-on: warn\n").contains("invalid `fail-on` value `warn`"));
        assert!(err("a: [\n").contains(": invalid YAML: "));
        assert!(err("rules: {}\nrules: {}\n").contains("2: duplicate key `rules`"));
        assert!(err("- a\n").contains("1:1: the config must be a mapping"));
        assert!(err("forbid-inline-ignores: yes\n").contains("must be `true` or `false`"));
        assert!(err("services:\n  declare:\n    - {name: x}\n").contains("needs a `path`"));
        assert!(
            err("services:\n  declare:\n    - {path: x, language: haskel}\n")
                .contains("unknown language `haskel`")
        );
        assert!(err("services:\n  declare: [../x]\n").contains("must be relative"));
        assert!(err("overrides:\n  - rules: {KR903: off}\n").contains("has no `paths`"));
        assert!(err("steps:\n  compose: {not-applicable: true}\n").contains("takes the reason"));
        assert!(err("fail_on: x\n").contains("unknown key `fail_on`"));
    }

    #[test]
    fn services_list_shorthand_declares() {
        let c = load_str("services:\n  - {path: ., language: python}\n", "c").unwrap();
        assert_eq!(c.declare.len(), 1);
        assert_eq!(c.declare[0].path, ".");
    }
}
