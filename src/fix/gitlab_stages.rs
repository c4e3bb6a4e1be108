//! The stages a GitLab pipeline declares, wherever they are: its own
//! `stages:`, else the last local include (followed depth first, as GitLab
//! merges them) that declares some. The jobs `fix` adds get their stages
//! in that file; a pipeline whose stages cannot be known (a remote,
//! project or template include after the last local one that declares
//! them, a wildcard or variable path) is refused with the reason.
//!
//! The parsed pipeline facts keep the jobs, not the `stages:` list nor the
//! file it comes from, so the files are read here the way the rest of
//! `fix` reads them.

use super::ci::GITLAB_MAIN;
use super::gitlab_edit;
use super::Change;
use kubeready_yaml::Node;
use std::path::Path;

/// Nesting of local includes followed.
const MAX_DEPTH: usize = 10;

/// Adds the stages `used` to the file that declares the pipeline's
/// stages: the change already planned for that file in `changes` when
/// there is one, else a new change of it. Nothing when the pipeline
/// declares no stages (GitLab's default ones, which hold `build`, `test`
/// and `deploy`, apply) or declares them all; `Err` (why) when the stages
/// cannot be known or their list not edited safely.
pub(super) fn add_needed(
    root: &Path,
    used: &[&str],
    changes: &mut Vec<Change>,
) -> Result<(), String> {
    let Some(main) = read(root, GITLAB_MAIN) else {
        return Ok(());
    };
    let mut seen = Vec::new();
    let Some(file) = declared_in(root, GITLAB_MAIN, &main, 0, &mut seen)? else {
        return Ok(());
    };
    let planned = changes.iter().position(|c| c.path == file);
    let current = match planned {
        Some(i) => changes[i].new.clone(),
        None => read(root, &file).ok_or_else(|| format!("`{file}` could not be read"))?,
    };
    let Some(with) =
        gitlab_edit::add_stages(&current, used).map_err(|why| format!("`{file}`: {why}"))?
    else {
        return Ok(());
    };
    let reason = format!("stages {} added", used.join(", "));
    match planned {
        Some(i) => {
            changes[i].new = with;
            changes[i].reasons.insert(0, reason);
        }
        None => changes.push(Change {
            path: file,
            old: Some(current),
            new: with,
            reasons: vec![reason],
        }),
    }
    Ok(())
}

fn read(root: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(root.join(file)).ok()
}

/// The file whose `stages:` the pipeline of `file` (content `text`)
/// runs with; `None` when none declares any.
fn declared_in(
    root: &Path,
    file: &str,
    text: &str,
    depth: usize,
    seen: &mut Vec<String>,
) -> Result<Option<String>, String> {
    let doc = kubeready_yaml::load_one(text)
        .map_err(|_| format!("`{file}` is not valid YAML, so its stages are unknown"))?;
    // The file's own `stages:` overrides every include's.
    if gitlab_edit::top_level_key(text, "stages").is_some() || doc.get("stages").is_some() {
        return Ok(Some(file.to_string()));
    }
    let mut found = None;
    // An include kubeready cannot read, after the last local file that
    // declares stages: it may declare others.
    let mut unknown: Option<String> = None;
    for include in includes(&doc) {
        match include {
            Include::Local(path) => {
                if depth >= MAX_DEPTH || seen.contains(&path) {
                    continue;
                }
                seen.push(path.clone());
                let Some(inner) = read(root, &path) else {
                    unknown = Some(format!("`{path}` (included by `{file}`) could not be read"));
                    continue;
                };
                if let Some(f) = declared_in(root, &path, &inner, depth + 1, seen)? {
                    found = Some(f);
                    unknown = None;
                }
            }
            Include::Other(what) => {
                unknown = Some(format!(
                    "`{file}` includes {what}, which kubeready does not read"
                ));
            }
        }
    }
    match unknown {
        Some(why) => Err(format!(
            "{why}: the stages the pipeline declares are unknown"
        )),
        None => Ok(found),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Include {
    /// A root-relative path.
    Local(String),
    /// Anything else, described (`the remote file `...``).
    Other(String),
}

/// The includes of a GitLab file, in order.
fn includes(doc: &Node) -> Vec<Include> {
    let Some(node) = doc.get("include") else {
        return Vec::new();
    };
    let items: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    items.into_iter().map(include).collect()
}

fn include(item: &Node) -> Include {
    if let Some(s) = item.as_str() {
        return if s.starts_with("http://") || s.starts_with("https://") {
            Include::Other(format!("the remote file `{s}`"))
        } else {
            local(s)
        };
    }
    if let Some(path) = item.get("local").and_then(Node::as_str) {
        return local(path);
    }
    for kind in ["remote", "template", "project", "component"] {
        if let Some(target) = item.get(kind).and_then(Node::as_str) {
            return Include::Other(format!("the {kind} `{target}`"));
        }
    }
    Include::Other("a file it cannot name".into())
}

fn local(path: &str) -> Include {
    if path.contains(['*', '$']) {
        return Include::Other(format!("`{path}` (a wildcard or variable path)"));
    }
    Include::Local(path.trim_start_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn where_declared(files: &[(&str, &str)]) -> Result<Option<String>, String> {
        let dir = tree(files);
        let main = std::fs::read_to_string(dir.path().join(GITLAB_MAIN)).unwrap();
        declared_in(dir.path(), GITLAB_MAIN, &main, 0, &mut Vec::new())
    }

    #[test]
    fn the_stages_come_from_the_last_local_include_unless_the_file_has_its_own() {
        let stages = ("ci/stages.yml", "stages: [build, release]\n");
        let other = ("ci/other.yml", "include: ci/nested.yml\n");
        let nested = ("ci/nested.yml", "stages:\n  - lint\n");
        assert_eq!(
            where_declared(&[
                (".gitlab-ci.yml", "include:\n  - local: ci/stages.yml\n"),
                stages
            ]),
            Ok(Some("ci/stages.yml".into()))
        );
        // Later includes (nested ones too) override earlier ones.
        assert_eq!(
            where_declared(&[
                (
                    ".gitlab-ci.yml",
                    "include: [/ci/stages.yml, {local: ci/other.yml}]\n"
                ),
                stages,
                other,
                nested
            ]),
            Ok(Some("ci/nested.yml".into()))
        );
        assert_eq!(
            where_declared(&[
                (".gitlab-ci.yml", "include: ci/stages.yml\nstages: [a]\n"),
                stages
            ]),
            Ok(Some(GITLAB_MAIN.into()))
        );
        let err =
            where_declared(&[(".gitlab-ci.yml", "include: ci/other.yml\n"), other]).unwrap_err();
        assert!(
            err.contains("`ci/nested.yml` (included by `ci/other.yml`) could not be read"),
            "{err}"
        );
        assert_eq!(
            where_declared(&[(".gitlab-ci.yml", "build:\n  script: [x]\n")]),
            Ok(None)
        );
    }

    #[test]
    fn includes_it_cannot_read_make_the_stages_unknown_unless_a_later_local_one_declares_them() {
        let stages = ("ci/stages.yml", "stages: [build]\n");
        let remote = "- remote: https://example.com/ci.yml\n";
        let err = where_declared(&[(
            ".gitlab-ci.yml",
            &format!("include:\n{remote}- local: ci/x.yml\n"),
        )])
        .unwrap_err();
        assert!(err.contains("could not be read"), "{err}");
        let err = where_declared(&[
            (
                ".gitlab-ci.yml",
                &format!("include:\n- local: ci/stages.yml\n{remote}"),
            ),
            stages,
        ])
        .unwrap_err();
        assert!(
            err.contains("the remote `https://example.com/ci.yml`"),
            "{err}"
        );
        assert_eq!(
            where_declared(&[
                (
                    ".gitlab-ci.yml",
                    &format!("include:\n{remote}- local: ci/stages.yml\n")
                ),
                stages
            ]),
            Ok(Some("ci/stages.yml".into()))
        );
        let err = where_declared(&[(".gitlab-ci.yml", "include: 'ci/*.yml'\n")]).unwrap_err();
        assert!(err.contains("wildcard"), "{err}");
    }

    #[test]
    fn the_stages_go_into_the_declaring_file_or_its_planned_change() {
        let dir = tree(&[
            (
                ".gitlab-ci.yml",
                "include:\n  - local: ci/stages.yml\nb:\n  stage: build\n",
            ),
            ("ci/stages.yml", "# ours\nstages:\n  - build\n"),
        ]);
        let mut changes = Vec::new();
        add_needed(dir.path(), &["build", "test", "deploy"], &mut changes).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, "ci/stages.yml");
        assert_eq!(
            changes[0].old.as_deref(),
            Some("# ours\nstages:\n  - build\n")
        );
        assert_eq!(
            changes[0].new,
            "# ours\nstages:\n  - build\n  - test\n  - deploy\n"
        );
        // Planned already: edited in place, no second change.
        add_needed(
            dir.path(),
            &["build", "test", "deploy", "review"],
            &mut changes,
        )
        .unwrap();
        assert_eq!(changes.len(), 1);
        assert!(changes[0].new.ends_with("  - deploy\n  - review\n"));
    }
}
