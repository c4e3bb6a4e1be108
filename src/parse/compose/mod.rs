//! Compose files: parsed, merged with their overrides and includes.
//!
//! Projects are grouped by directory, as `docker compose` finds them:
//!
//! * the main file is the first of `compose.yaml`, `compose.yml`,
//!   `docker-compose.yaml`, `docker-compose.yml`; the override is the
//!   first of `compose.override.yml`, `compose.override.yaml`,
//!   `docker-compose.override.yml`, `docker-compose.override.yaml`. They
//!   form one project (`variant: false`), merged by Compose's rules (see
//!   `merge.rs`).
//! * every other Compose file of the directory (`docker-compose.prod.yml`,
//!   `compose.dev.yaml`, a second main name, a second override) is a
//!   variant project (`variant: true`), one per file. Such files are
//!   usually used as `docker compose -f compose.yaml -f compose.prod.yaml`:
//!   when every service of the variant is also a service of the main file,
//!   the variant project is the main file (without its override, as `-f`
//!   drops it) with the variant merged onto it, so its services keep their
//!   build information, and `files` lists both. Otherwise (it defines
//!   services of its own) the variant stands alone. Either way there is
//!   exactly one project per variant file, so nothing is reported twice.
//! * a Compose file that the main project includes (or extends from) is
//!   part of it, not a variant of its own.
//! * a directory without a main file: each Compose file is its own variant
//!   project.
//!
//! Variables are interpolated from the `.env` file of the project
//! directory when it is in the audited tree (never from the process
//! environment); every reference is recorded. Relative paths resolve
//! against the project directory, except in included and extended files,
//! where they resolve against that file's directory (or the include's
//! `project_directory`). Projects are sorted by file, services by name.
//!
//! `include:` (a path, or `path:` as a path or a list merged in order, with
//! `project_directory` and `env_file`) folds the included services in; the
//! including file's own definitions win over conflicting ones (a `Partial`
//! problem). Missing includes, remote includes (not read: no network),
//! cycles and nesting deeper than 8 levels are `Partial`
//! problems at the include's line, and the include is still listed.
//! `extends:` is resolved per file, as Compose does (a base without `file:`
//! must be in the same file); cycles and missing bases are `Partial`
//! problems and the service keeps its own fields. A multi-document file is
//! read as each document overriding the previous one.

mod interpolate;
mod load;
mod merge;
pub mod model;
mod parse;
mod service;
mod syntax;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fields;

use std::collections::BTreeMap;

pub use model::*;

use super::ParseProblem;
use crate::paths;
use crate::walk::{FileKind, Tree};

/// Main Compose file names, in the order Compose prefers them.
pub const MAIN_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];
/// Override file names, in the order Compose prefers them.
pub const OVERRIDE_NAMES: &[&str] = &[
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// Finds the Compose files of the tree, parses them and merges each main
/// file with its overrides and includes into a project.
pub fn parse_projects(tree: &Tree, problems: &mut Vec<ParseProblem>) -> Vec<ComposeProject> {
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in tree.files_of(FileKind::Compose) {
        by_dir
            .entry(paths::parent(&f.path).to_string())
            .or_default()
            .push(f.path.clone());
    }
    let mut loader = load::Loader::new(tree);
    let mut projects = Vec::new();
    for (dir, files) in by_dir {
        let named = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| files.iter().find(|f| paths::file_name(f) == *n))
                .cloned()
        };
        let env = loader.dotenv(&dir);
        let Some(main) = named(MAIN_NAMES) else {
            for f in &files {
                let m = loader.load(f, &dir, &env, &mut Vec::new());
                projects.push(merge::finish(m, f, &dir, true));
            }
            continue;
        };
        let over = named(OVERRIDE_NAMES);
        let base = loader.load(&main, &dir, &env, &mut Vec::new());
        let mut full = base.clone();
        if let Some(o) = &over {
            let m = loader.load(o, &dir, &env, &mut Vec::new());
            merge::merge_model(&mut full, m);
        }
        projects.push(merge::finish(full, &main, &dir, false));
        for f in &files {
            if *f == main || Some(f) == over.as_ref() || base.files.contains(f) {
                continue;
            }
            let v = loader.load(f, &dir, &env, &mut Vec::new());
            let onto_main = v
                .services
                .iter()
                .all(|s| base.services.iter().any(|b| b.svc.name == s.svc.name));
            let m = if onto_main {
                let mut m = base.clone();
                merge::merge_model(&mut m, v);
                m
            } else {
                v
            };
            projects.push(merge::finish(m, f, &dir, true));
        }
    }
    projects.sort_by(|a, b| a.file.cmp(&b.file));
    let mut seen = std::collections::BTreeSet::new();
    for p in loader.problems {
        if seen.insert((p.file.clone(), p.line, p.column, p.kind, p.message.clone())) {
            problems.push(p);
        }
    }
    projects
}
