//! Finding the config for an audited path.

use super::load::load_file;
use std::path::{Path, PathBuf};

/// The names looked for at the audited root, in order.
pub const FILE_NAMES: [&str; 2] = [".kubeready.yaml", ".kubeready.yml"];

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
