//! Inline suppressions in YAML files (Compose, CI, Kubernetes):
//! `# kubeready ignore=CODE[,CODE] -- reason` on the line(s) above a key
//! silences those codes for that key and everything nested under it.

use crate::suppress::{parse_pragma, Pragma};
use crate::walk::{FileKind, Tree};

/// The pragmas of one file.
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

/// Pragmas of every YAML file kubeready reads.
pub fn collect(tree: &Tree) -> Vec<FilePragmas> {
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
        if !yaml || f.kind == FileKind::Ci(crate::walk::CiSystem::Jenkins) {
            continue;
        }
        let Ok(text) = tree.read_text(&f.path) else {
            continue;
        };
        if !text.contains("kubeready") {
            continue;
        }
        let pragmas = yaml_pragmas(&text);
        if !pragmas.is_empty() {
            out.push(FilePragmas {
                file: f.path.clone(),
                pragmas,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
