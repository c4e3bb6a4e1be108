//! Reading `.kubeready.yaml`: YAML with positions (kubeready-yaml), then a
//! strict walk over the keys. The first problem stops loading and is
//! reported as `FILE:LINE:COLUMN: message`, with a suggestion for likely
//! typos.

use super::suggest::did_you_mean;
use super::{Config, PathMatcher, PathOverride, RuleLevel};
use crate::checklist::StepId;
use crate::cli::FailOn;
use crate::inventory::DeclaredService;
use crate::parse::manifest::Language;
use crate::rules::{all_rules, find_rule};
use clap::ValueEnum;
use kubeready_yaml::{Limits, Node, Value};
use std::fmt;
use std::path::Path;

mod nodes;

use nodes::kind;

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

impl Loader<'_> {
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
mod tests;
