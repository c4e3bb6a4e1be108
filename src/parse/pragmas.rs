//! Inline suppression pragmas, as the parser finds them (the filter that
//! applies them to findings is [`crate::suppress`]):
//!
//! * in Dockerfiles, `# hadolint ignore=CODE[,CODE]` or `# kubeready
//!   ignore=CODE -- reason` before an instruction silences those codes for
//!   it, and `# hadolint global ignore=CODE` for the whole file;
//! * in YAML files (Compose, CI, Kubernetes), `# kubeready ignore=CODE[,CODE]
//!   -- reason` on the line(s) above a key silences those codes for that key
//!   and everything nested under it.

use crate::walk::ci_system::ConfigFormat;
use crate::walk::{FileKind, Tree};

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

/// The pragmas of one YAML file.
#[derive(Clone, Debug, Default)]
pub struct FilePragmas {
    pub file: String,
    pub pragmas: Vec<Pragma>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

/// Scans YAML text for pragmas; each applies to the next key and its block.
pub fn yaml_pragmas(text: &str) -> Vec<Pragma> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let Some(comment) = t.strip_prefix('#') else {
            continue;
        };
        let Some(mut p) = parse_pragma(comment, i as u32 + 1) else {
            continue;
        };
        if p.tool != "kubeready" {
            continue;
        }
        // The key it applies to: the next line that is neither blank nor a comment.
        let Some(k) = (i + 1..lines.len()).find(|&j| {
            let tj = lines[j].trim();
            !tj.is_empty() && !tj.starts_with('#')
        }) else {
            continue;
        };
        let base = indent(lines[k]);
        let mut end = k;
        for (j, l) in lines.iter().enumerate().skip(k + 1) {
            let tj = l.trim();
            if tj.is_empty() || tj.starts_with('#') {
                continue;
            }
            if indent(l) <= base && !l.trim_start().starts_with("- ") || indent(l) < base {
                break;
            }
            end = j;
        }
        p.applies_to = Some((k as u32 + 1, end as u32 + 1));
        out.push(p);
    }
    out
}

/// Pragmas of every YAML file kubeready reads, but those of the kinds the
/// Kubernetes parser reads whole ([`read_by_k8s`]): it takes their
/// pragmas from the text it has (one read of each file, not two).
pub fn collect_but_k8s(tree: &Tree) -> Vec<FilePragmas> {
    let mut out = Vec::new();
    for f in tree.files() {
        let yaml = matches!(
            f.kind,
            FileKind::Compose
                | FileKind::Ci(_)
                | FileKind::GithubAction
                | FileKind::Yaml
                | FileKind::Kustomization
                | FileKind::HelmChart
        );
        let not_yaml_ci =
            matches!(f.kind, FileKind::Ci(s) if s.info().format != ConfigFormat::Yaml);
        if !yaml || not_yaml_ci || read_by_k8s(f.kind) {
            continue;
        }
        let Ok(text) = tree.read_text(&f.path) else {
            continue;
        };
        out.extend(of_file(&f.path, &text));
    }
    out
}

/// Kinds whose pragmas the Kubernetes parser collects: it reads every
/// file of them with [`Tree::read_text`], as [`collect_but_k8s`] would.
pub fn read_by_k8s(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Yaml | FileKind::Kustomization | FileKind::HelmChart
    )
}

/// The pragmas of one YAML file's text, if it has any.
pub fn of_file(path: &str, text: &str) -> Option<FilePragmas> {
    if !text.contains("kubeready") {
        return None;
    }
    let pragmas = yaml_pragmas(text);
    (!pragmas.is_empty()).then(|| FilePragmas {
        file: path.to_string(),
        pragmas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn applies_to_the_next_key_and_its_block() {
        let text = "services:\n  # kubeready ignore=KR206,KR208 -- the agent needs the host\n  agent:\n    privileged: true\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n  web:\n    image: nginx\n";
        let p = yaml_pragmas(text);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].codes, vec!["KR206", "KR208"]);
        assert_eq!(p[0].reason.as_deref(), Some("the agent needs the host"));
        assert_eq!(p[0].applies_to, Some((3, 6)));
    }

    #[test]
    fn hadolint_pragmas_are_not_yaml_pragmas() {
        assert!(yaml_pragmas("# hadolint ignore=DL3008\na: 1\n").is_empty());
        assert!(
            yaml_pragmas("# kubeready ignore=KR201\n").is_empty(),
            "nothing follows"
        );
    }
}
