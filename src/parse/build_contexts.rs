//! Named build contexts (`docker buildx build --build-context name=...`,
//! bake `contexts = { name = ... }`, Compose `additional_contexts`,
//! build-push-action `build-contexts`): `COPY --from=name` may refer to
//! them instead of a stage.

use crate::walk::{FileKind, Tree};
use std::collections::BTreeSet;

/// Every context name declared anywhere in the repo's build configs.
pub fn named_contexts(tree: &Tree) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for f in tree.files() {
        let relevant = matches!(
            f.kind,
            FileKind::Ci(_)
                | FileKind::GithubAction
                | FileKind::BuildConfig
                | FileKind::Compose
                | FileKind::Script
                | FileKind::TaskRunner
        ) || (f.kind == FileKind::Yaml && f.path.contains("gitlab"));
        if !relevant {
            continue;
        }
        let Ok(text) = tree.read_text(&f.path) else {
            continue;
        };
        if !(text.contains("context")) {
            continue;
        }
        scan(&text, &mut names);
    }
    names
}

fn ident(s: &str) -> Option<String> {
    let s = s.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if !s.is_empty()
        && s.len() < 128
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        Some(s.to_string())
    } else {
        None
    }
}

fn scan(text: &str, names: &mut BTreeSet<String>) {
    // Flags: `--build-context name=value` and `--build-context=name=value`.
    let mut rest = text;
    while let Some(i) = rest.find("--build-context") {
        let after = rest[i + "--build-context".len()..].trim_start_matches(['=', ' ', '\t']);
        if let Some(eq) = after.find('=') {
            if let Some(n) = ident(&after[..eq]) {
                names.insert(n);
            }
        }
        rest = &rest[i + "--build-context".len()..];
    }
    // Blocks: bake `contexts = {`, Compose `additional_contexts:`, action `build-contexts: |`.
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let is_block = t.starts_with("contexts") && t.contains('{')
            || t.starts_with("\"contexts\"")
            || t.starts_with("additional_contexts:")
            || t.starts_with("build-contexts:");
        if !is_block {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        for next in lines.iter().skip(i + 1).take(64) {
            let nt = next.trim();
            if nt.is_empty() || nt.starts_with('#') {
                continue;
            }
            let nindent = next.len() - next.trim_start().len();
            if nt.starts_with('}') || (nindent <= indent && !t.contains('{')) {
                break;
            }
            let item = nt.trim_start_matches("- ");
            let key = item.split(['=', ':']).next().unwrap_or("");
            if let Some(n) = ident(key) {
                names.insert(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_in_flags_bake_compose_and_actions() {
        let mut n = BTreeSet::new();
        scan(
            "docker buildx build --build-context binary_dir=out/bin --build-context=pkg=./pkg .",
            &mut n,
        );
        scan(
            "target \"helper\" {\n  contexts = {\n    packaging_dir = \"out/pkg\"\n  }\n}\n",
            &mut n,
        );
        scan("services:\n  a:\n    build:\n      additional_contexts:\n        - assets=./assets\n      context: .\n", &mut n);
        scan(
            "      with:\n        build-contexts: |\n          base=docker-image://alpine\n",
            &mut n,
        );
        let got: Vec<&str> = n.iter().map(String::as_str).collect();
        assert_eq!(
            got,
            vec!["assets", "base", "binary_dir", "packaging_dir", "pkg"]
        );
    }
}
