//! Which repositories a fleet is: each DIR is a checkout when it has `.git`
//! or a file kubeready audits at its top; otherwise each of its (not
//! hidden) subfolders is one. `--list FILE` names them one path a line.

use crate::walk::classify::{classify, FileKind};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub path: PathBuf,
}

/// True when `dir` looks like a checkout itself.
pub fn is_checkout(dir: &Path) -> bool {
    if dir.join(".git").exists() {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        // Unreadable: audit it, and let the audit say why it cannot.
        return true;
    };
    entries.flatten().any(|e| {
        e.file_type().is_ok_and(|t| t.is_file())
            && e.file_name()
                .to_str()
                .is_some_and(|n| classify(n) != FileKind::Other)
    })
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The repositories under `dirs`. A path that does not exist is kept (its
/// row will say so).
pub fn expand(dirs: &[PathBuf]) -> Vec<Target> {
    let mut out = Vec::new();
    for dir in dirs {
        if !dir.is_dir() || is_checkout(dir) {
            out.push(Target {
                name: name_of(dir),
                path: dir.clone(),
            });
            continue;
        }
        let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                    .map(|e| dir.join(e.file_name()))
                    .collect()
            })
            .unwrap_or_default();
        subs.sort();
        out.extend(subs.into_iter().map(|p| Target {
            name: name_of(&p),
            path: p,
        }));
    }
    unique_names(out)
}

/// Paths of a `--list` file: one a line, `#` starts a comment, blank lines
/// are skipped; relative paths are relative to the list's folder.
pub fn read_list(file: &Path) -> Result<Vec<PathBuf>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read list `{}`: {e}", file.display()))?;
    let base = file.parent().unwrap_or(Path::new(""));
    Ok(text
        .lines()
        .map(|l| l.split_once('#').map_or(l, |(before, _)| before).trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let p = PathBuf::from(l);
            if p.is_absolute() {
                p
            } else {
                base.join(p)
            }
        })
        .collect())
}

/// Two repositories with one name (`a/api`, `b/api`) are named by path.
pub fn unique_names(mut targets: Vec<Target>) -> Vec<Target> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for t in &targets {
        *seen.entry(t.name.clone()).or_default() += 1;
    }
    for t in &mut targets {
        if seen.get(&t.name).copied().unwrap_or(0) > 1 {
            t.name = t.path.display().to_string();
        }
    }
    targets.sort_by(|a, b| a.name.cmp(&b.name));
    targets.dedup_by(|a, b| a.name == b.name);
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_of_checkouts_and_checkouts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/.git")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        std::fs::write(root.join("b/Dockerfile"), "FROM x\n").unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        let t = expand(&[root.to_path_buf()]);
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        // A checkout given directly is one repository.
        assert_eq!(expand(&[root.join("b")]).len(), 1);
        assert_eq!(expand(&[root.join("missing")])[0].name, "missing");
    }

    #[test]
    fn list_files_skip_comments_and_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("repos.txt");
        std::fs::write(&list, "# fleet\napi\n\n  /abs/web  # the site\n").unwrap();
        let paths = read_list(&list).unwrap();
        assert_eq!(paths, [dir.path().join("api"), PathBuf::from("/abs/web")]);
        assert!(read_list(&dir.path().join("nope")).is_err());
    }

    #[test]
    fn shared_names_become_paths() {
        let t = unique_names(vec![
            Target {
                name: "api".into(),
                path: "x/api".into(),
            },
            Target {
                name: "api".into(),
                path: "y/api".into(),
            },
        ]);
        assert_eq!(t[0].name, "x/api");
        assert_eq!(t[1].name, "y/api");
    }
}
