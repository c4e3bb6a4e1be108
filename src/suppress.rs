//! Suppressions: inline `# hadolint ignore=...` / `# kubeready ignore=...
//! -- reason` pragmas before a Dockerfile instruction, `# hadolint global
//! ignore=...` for a whole file, and a repository's `.hadolint.yaml`
//! (`ignored`, `override`, `trustedRegistries`, `label-schema`,
//! `strict-labels`, `failure-threshold`).
//!
//! Suppressed findings are kept with the reason, never silently dropped.

use crate::finding::{Finding, Severity};
use crate::parse::dockerfile::DockerfileFile;
use crate::walk::Tree;
use std::collections::HashMap;

/// An inline pragma, parsed from a Dockerfile comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pragma {
    /// The comment's line.
    pub line: u32,
    /// `hadolint` or `kubeready`.
    pub tool: &'static str,
    /// `true` for `# hadolint global ignore=...`.
    pub global: bool,
    /// Upper-cased codes.
    pub codes: Vec<String>,
    /// The text after `--`, if any.
    pub reason: Option<String>,
    /// The instruction it applies to (first and last line); `None` for
    /// global pragmas or a pragma with no instruction after it.
    pub applies_to: Option<(u32, u32)>,
}

impl Pragma {
    /// How reports name the suppression.
    pub fn describe(&self) -> String {
        let kind = if self.global {
            format!("# {} global ignore (line {})", self.tool, self.line)
        } else {
            format!("# {} ignore (line {})", self.tool, self.line)
        };
        match &self.reason {
            Some(r) => format!("{kind}: {r}"),
            None => kind,
        }
    }
}

/// Parses one comment's text (after `#`) as a pragma.
pub fn parse_pragma(text: &str, line: u32) -> Option<Pragma> {
    let t = text.trim();
    let (tool, rest) = if let Some(r) = strip_word(t, "hadolint") {
        ("hadolint", r)
    } else if let Some(r) = strip_word(t, "kubeready") {
        ("kubeready", r)
    } else {
        return None;
    };
    let (global, rest) = match strip_word(rest, "global") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start();
    let body = rest.strip_prefix("ignore")?.trim_start();
    let body = body.strip_prefix('=')?.trim_start();
    let (codes_part, reason) = match body.split_once("--") {
        Some((c, r)) => (c, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
        None => (body, None),
    };
    // Codes end at the first whitespace (hadolint allows trailing text).
    let codes_word = codes_part.split_whitespace().next().unwrap_or("");
    let codes: Vec<String> = codes_word
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        // A retired code (`KR103`) silences the rule that took it over.
        .map(|c| {
            match crate::rules::ALIASES
                .iter()
                .find(|(old, _)| old.eq_ignore_ascii_case(&c))
            {
                Some((_, now)) => (*now).to_string(),
                None => c,
            }
        })
        .collect();
    if codes.is_empty() {
        return None;
    }
    Some(Pragma {
        line,
        tool,
        global,
        codes,
        reason,
        applies_to: None,
    })
}

fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(word)?;
    if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        Some(rest.trim_start())
    } else {
        None
    }
}

/// Every pragma of a parsed Dockerfile, each tied to the instruction that
/// follows it.
pub fn dockerfile_pragmas(df: &kubeready_dockerfile::Dockerfile) -> Vec<Pragma> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for ins in &df.instructions {
        for c in &ins.comments_before {
            if let Some(mut p) = parse_pragma(&c.text, c.line) {
                seen.insert(c.line);
                if !p.global {
                    p.applies_to = Some((ins.line, ins.end_line.max(ins.line)));
                }
                out.push(p);
            }
        }
    }
    // Trailing comments (after the last instruction) still count as global
    // pragmas.
    for c in &df.comments {
        if seen.contains(&c.line) {
            continue;
        }
        if let Some(p) = parse_pragma(&c.text, c.line) {
            out.push(p);
        }
    }
    out.sort_by_key(|p| p.line);
    out
}

/// A label type of hadolint's `label-schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelType {
    Text,
    Url,
    SemVer,
    GitHash,
    Rfc3339,
    Spdx,
    Email,
}

impl LabelType {
    fn parse(s: &str) -> Option<LabelType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "semver" => LabelType::SemVer,
            "hash" => LabelType::GitHash,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            _ => return None,
        })
    }
}

/// A repository's `.hadolint.yaml`, as far as kubeready honours it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HadolintConfig {
    pub file: String,
    pub ignored: Vec<String>,
    /// Severity overrides by code.
    pub overrides: Vec<(String, Severity)>,
    pub trusted_registries: Vec<String>,
    pub label_schema: Vec<(String, LabelType)>,
    pub strict_labels: bool,
    /// Recorded; gating is the CLI's business.
    pub failure_threshold: Option<String>,
}

impl HadolintConfig {
    pub fn parse(file: &str, text: &str) -> Option<HadolintConfig> {
        let root = kubeready_yaml::load_one(text).ok()?;
        let mut cfg = HadolintConfig {
            file: file.to_string(),
            ..Default::default()
        };
        let strings = |key: &str| -> Vec<String> {
            root.get(key)
                .map(|n| {
                    n.str_or_seq()
                        .into_iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        cfg.ignored = strings("ignored")
            .into_iter()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        cfg.trusted_registries = strings("trustedRegistries");
        if let Some(ov) = root.get("override") {
            for level in ["error", "warning", "info", "style"] {
                let Some(sev) = Severity::parse(level) else {
                    continue;
                };
                if let Some(list) = ov.get(level) {
                    for c in list.str_or_seq() {
                        if let Some(code) = c.as_str() {
                            cfg.overrides.push((code.to_ascii_uppercase(), sev));
                        }
                    }
                }
            }
        }
        if let Some(map) = root.get("label-schema").and_then(|n| n.as_map()) {
            for e in map {
                if let (Some(k), Some(v)) = (e.key_str(), e.value.as_str()) {
                    if let Some(t) = LabelType::parse(v) {
                        cfg.label_schema.push((k.to_string(), t));
                    }
                }
            }
        }
        cfg.strict_labels = root
            .get("strict-labels")
            .and_then(|n| n.as_bool())
            .unwrap_or(false);
        cfg.failure_threshold = root
            .get("failure-threshold")
            .and_then(|n| n.as_str())
            .map(str::to_string);
        Some(cfg)
    }

    pub fn override_for(&self, code: &str) -> Option<Severity> {
        self.overrides
            .iter()
            .rev()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, s)| *s)
    }
}

/// Reads `.hadolint.yaml` (or `.hadolint.yml`) at the audited root.
pub fn read_hadolint_config(tree: &Tree) -> Option<HadolintConfig> {
    for name in [".hadolint.yaml", ".hadolint.yml"] {
        if tree.has_file(name) {
            if let Ok(text) = tree.read_text(name) {
                return HadolintConfig::parse(name, &text);
            }
        }
    }
    None
}

/// Applies severity overrides, then splits findings into kept and
/// suppressed (with the reason or source of the suppression).
/// With `inline` false (the config forbids inline ignores), pragmas are
/// not honoured; `.hadolint.yaml` still is.
pub fn apply(
    findings: Vec<Finding>,
    dockerfiles: &[DockerfileFile],
    yaml: &[crate::parse::pragmas::FilePragmas],
    hadolint: Option<&HadolintConfig>,
    inline: bool,
) -> (Vec<Finding>, Vec<(Finding, String)>) {
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    let index = if inline {
        index(
            dockerfiles
                .iter()
                .map(|d| (d.path.as_str(), d.pragmas.as_slice()))
                .chain(yaml.iter().map(|y| (y.file.as_str(), y.pragmas.as_slice()))),
        )
    } else {
        HashMap::new()
    };
    for mut f in findings {
        if let Some(sev) = hadolint.and_then(|h| h.override_for(f.code)) {
            f.severity = sev;
        }
        match why_suppressed(&f, &index, hadolint) {
            Some(reason) => suppressed.push((f, reason)),
            None => kept.push(f),
        }
    }
    (kept, suppressed)
}

/// Pragmas of one file, indexed by code for quick lookups.
#[derive(Default)]
struct FileIndex<'a> {
    global: HashMap<String, &'a Pragma>,
    /// Per code, `(first line, last line, pragma)` sorted by first line.
    ranges: HashMap<String, Vec<(u32, u32, &'a Pragma)>>,
}

fn index<'a>(
    files: impl Iterator<Item = (&'a str, &'a [Pragma])>,
) -> HashMap<&'a str, FileIndex<'a>> {
    let mut out: HashMap<&str, FileIndex<'_>> = HashMap::new();
    // Only files with pragmas: most have none, and every finding looks its
    // file up.
    for (path, pragmas) in files.filter(|(_, p)| !p.is_empty()) {
        let idx = out.entry(path).or_default();
        for p in pragmas {
            for c in &p.codes {
                if p.global {
                    idx.global.entry(c.clone()).or_insert(p);
                } else if let Some((a, b)) = p.applies_to {
                    idx.ranges.entry(c.clone()).or_default().push((a, b, p));
                }
            }
        }
        for v in idx.ranges.values_mut() {
            v.sort_by_key(|r| r.0);
        }
    }
    out
}

fn why_suppressed(
    f: &Finding,
    index: &HashMap<&str, FileIndex<'_>>,
    hadolint: Option<&HadolintConfig>,
) -> Option<String> {
    if let Some(h) = hadolint {
        if h.ignored.iter().any(|c| c.eq_ignore_ascii_case(f.code)) {
            return Some(format!("`ignored` in {}", h.file));
        }
    }
    if index.is_empty() {
        return None;
    }
    let idx = index.get(f.location.file.as_str())?;
    let code = f.code.to_ascii_uppercase();
    if let Some(p) = idx.global.get(&code) {
        return Some(p.describe());
    }
    let line = f.location.line;
    let ranges = idx.ranges.get(&code)?;
    // Ranges are instructions: they do not overlap, so the last one
    // starting at or before the line is the only candidate.
    let n = ranges.partition_point(|r| r.0 <= line);
    let (start, end, p) = ranges.get(n.checked_sub(1)?)?;
    (*start <= line && line <= *end).then(|| p.describe())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings_of;

    #[test]
    fn parses_pragmas() {
        let p = parse_pragma("hadolint ignore=DL3008,dl3015", 3).unwrap();
        assert_eq!(p.codes, vec!["DL3008", "DL3015"]);
        assert!(!p.global);
        let p = parse_pragma("kubeready ignore=KR101 -- runs as root by design", 1).unwrap();
        assert_eq!(p.reason.as_deref(), Some("runs as root by design"));
        let p = parse_pragma("hadolint global ignore=DL3006", 1).unwrap();
        assert!(p.global);
        assert!(parse_pragma("just a comment", 1).is_none());
        assert!(parse_pragma("hadolint shell=powershell", 1).is_none());
    }

    fn audit(files: &[(&str, &str)]) -> crate::audit::Audit {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        crate::audit::Audit::run(dir.path(), &crate::audit::AuditOptions::default())
    }

    #[test]
    fn inline_ignore_suppresses_next_instruction_only_and_keeps_it() {
        let df = "FROM debian:12\n# hadolint ignore=DL3008,DL3015\nRUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*\n";
        let a = audit(&[("Dockerfile", df)]);
        let dl3008: Vec<_> = a
            .report
            .findings
            .iter()
            .filter(|f| f.code == "DL3008")
            .collect();
        assert_eq!(dl3008.len(), 1, "{dl3008:?}");
        assert_eq!(dl3008[0].location.line, 5);
        let sup: Vec<_> = a
            .suppressed
            .iter()
            .filter(|(f, _)| f.code == "DL3008")
            .collect();
        assert_eq!(sup.len(), 1);
        assert!(sup[0].1.contains("hadolint ignore"), "{}", sup[0].1);
    }

    #[test]
    fn kubeready_ignore_keeps_reason() {
        let df = "FROM debian:12\n# kubeready ignore=DL3002 -- needs root for port 80\nUSER root\n";
        let a = audit(&[("Dockerfile", df)]);
        assert!(a.report.findings.iter().all(|f| f.code != "DL3002"));
        let (_, why) = a
            .suppressed
            .iter()
            .find(|(f, _)| f.code == "DL3002")
            .unwrap();
        assert!(why.contains("needs root for port 80"), "{why}");
    }

    #[test]
    fn config_can_forbid_inline_ignores() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Dockerfile"),
            "# hadolint ignore=DL3007\nFROM node:latest\n",
        )
        .unwrap();
        let opts = crate::audit::AuditOptions {
            forbid_inline_ignores: true,
            ..Default::default()
        };
        let a = crate::audit::Audit::run(dir.path(), &opts);
        assert!(a.report.findings.iter().any(|f| f.code == "DL3007"));
    }

    #[test]
    fn kubeready_trusted_registries_feed_dl3026() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM quay.io/x/y:1\n").unwrap();
        let opts = crate::audit::AuditOptions {
            trusted_registries: vec!["registry.example.com".into()],
            ..Default::default()
        };
        let a = crate::audit::Audit::run(dir.path(), &opts);
        assert!(a.report.findings.iter().any(|f| f.code == "DL3026"));
    }

    #[test]
    fn global_ignore_covers_the_file() {
        let df = "# hadolint global ignore=DL3007\nFROM node:latest\nFROM alpine:latest\n";
        assert!(findings_of("DL3007", &[("Dockerfile", df)]).is_empty());
        let df = "FROM node:latest\n";
        assert_eq!(findings_of("DL3007", &[("Dockerfile", df)]).len(), 1);
    }

    #[test]
    fn hadolint_yaml_ignored_and_override() {
        let files = [
            ("Dockerfile", "FROM node:latest\nMAINTAINER me\n"),
            (
                ".hadolint.yaml",
                "ignored:\n  - DL3007\noverride:\n  warning:\n    - DL4000\nfailure-threshold: warning\n",
            ),
        ];
        let a = audit(&files);
        assert!(a.report.findings.iter().all(|f| f.code != "DL3007"));
        assert!(a.suppressed.iter().any(|(f, _)| f.code == "DL3007"));
        let m = a
            .report
            .findings
            .iter()
            .find(|f| f.code == "DL4000")
            .unwrap();
        assert_eq!(m.severity, Severity::Warning);
    }

    #[test]
    fn hadolint_yaml_parses_all_keys() {
        let c = HadolintConfig::parse(
            ".hadolint.yaml",
            "trustedRegistries:\n  - docker.io\n  - '*.gcr.io'\nlabel-schema:\n  maintainer: text\n  org.opencontainers.image.source: url\nstrict-labels: true\nfailure-threshold: error\n",
        )
        .unwrap();
        assert_eq!(c.trusted_registries, vec!["docker.io", "*.gcr.io"]);
        assert_eq!(c.label_schema.len(), 2);
        assert!(c.strict_labels);
        assert_eq!(c.failure_threshold.as_deref(), Some("error"));
    }
}
