//! Suppressions, applied to the rules' findings: the inline pragmas the
//! parser collected (`# hadolint ignore=...` / `# kubeready ignore=... --
//! reason` before a Dockerfile instruction or a YAML key, `# hadolint
//! global ignore=...` for a whole file; see [`crate::parse::pragmas`]) and
//! the `ignored` and `override` keys of a repository's `.hadolint.yaml`
//! (read by [`crate::config::hadolint`]).
//!
//! Suppressed findings are kept with the reason, never silently dropped.

use crate::config::hadolint::HadolintConfig;
use crate::finding::Finding;
use crate::parse::dockerfile::DockerfileFile;
use crate::parse::pragmas::{FilePragmas, Pragma};
use std::collections::HashMap;

/// Applies severity overrides, then splits findings into kept and
/// suppressed (with the reason or source of the suppression).
/// With `inline` false (the config forbids inline ignores), pragmas are
/// not honoured; `.hadolint.yaml` still is.
pub fn apply(
    findings: Vec<Finding>,
    dockerfiles: &[DockerfileFile],
    yaml: &[FilePragmas],
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
    use crate::finding::Severity;
    use crate::rules::testing::findings_of;

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
}
