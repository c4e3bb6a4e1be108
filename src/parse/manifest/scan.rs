//! The scan over every folder that holds a manifest: each language's
//! scanner proposes a candidate, the most specific one wins, and
//! `manage.py`-only folders fold into their enclosing Python project.

use super::*;

/// Scans every project root of the tree. Sorted by `dir`; malformed
/// manifests become problems and detection goes on.
pub fn scan_projects(tree: &Tree) -> (Vec<Project>, Vec<ParseProblem>) {
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in tree.files_of(FileKind::Manifest) {
        by_dir
            .entry(parent_dir(&f.path).to_string())
            .or_default()
            .push(f.path.clone());
    }
    let go_modules: BTreeSet<String> = by_dir
        .iter()
        .filter(|(_, files)| files.iter().any(|p| file_name(p) == "go.mod"))
        .map(|(d, _)| d.clone())
        .collect();
    let mut ctx = Ctx {
        tree,
        problems: Vec::new(),
        go_modules,
    };
    let mut projects: Vec<Project> = Vec::new();
    let mut fold_up: BTreeSet<String> = BTreeSet::new();
    for (dir, files) in &by_dir {
        let mut cands: Vec<Cand> = Vec::new();
        let has = |n: &str| files.iter().any(|p| file_name(p).eq_ignore_ascii_case(n));
        if has("package.json") {
            cands.extend(node::scan(&mut ctx, dir));
        }
        if has("deno.json") {
            cands.extend(node::scan_deno(&mut ctx, dir));
        }
        if files
            .iter()
            .any(|p| python::is_python_manifest(file_name(p)))
        {
            if let Some(c) = python::scan(&mut ctx, dir, files) {
                if c.fold_up {
                    fold_up.insert(dir.clone());
                }
                cands.push(c);
            }
        }
        if has("go.mod") {
            cands.extend(golang::scan(&mut ctx, dir));
        }
        if has("Cargo.toml") {
            cands.extend(rust::scan(&mut ctx, dir));
        }
        if has("pom.xml") || files.iter().any(|p| java::is_gradle(file_name(p))) {
            cands.extend(java::scan(&mut ctx, dir, files));
        }
        for p in files
            .iter()
            .filter(|p| dotnet::is_project_file(file_name(p)))
        {
            cands.extend(dotnet::scan(&mut ctx, dir, p));
        }
        if has("Gemfile") || has("config.ru") {
            cands.extend(ruby::scan(&mut ctx, dir));
        }
        if has("composer.json") || has("artisan") {
            cands.extend(php::scan(&mut ctx, dir));
        }
        if has("mix.exs") {
            cands.extend(elixir::scan(&mut ctx, dir));
        }
        if has("Procfile") {
            procfile::apply(&mut ctx, dir, &mut cands);
        }
        if let Some(best) = pick(cands) {
            projects.push(best.p);
        }
    }
    fold_python_entries(&mut projects, &fold_up);
    builders::attach(&mut ctx, &mut projects);
    for p in &mut projects {
        p.frameworks.sort();
        p.frameworks.dedup();
        // A web framework is a server, whatever else the scanner found.
        if p.web && p.program == Program::Unknown {
            p.program = Program::Server;
            let what = if p.frameworks.is_empty() {
                "listens on a port".to_string()
            } else {
                format!("web framework: {}", p.frameworks.join(", "))
            };
            p.program_evidence = Some(format!("{}:{} {what}", p.manifest, p.line.max(1)));
        }
        p.frameworks.sort();
        p.frameworks.dedup();
        p.ports.sort_unstable();
        p.ports.dedup();
        p.line = p.line.max(1);
    }
    projects.sort_by(|a, b| a.dir.cmp(&b.dir));
    let mut problems = ctx.problems;
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    problems.dedup();
    (projects, problems)
}

/// Guesses a folder's language from the extensions of its files (at most
/// [`MAX_SNIFFED_FILES`] looked at), for services declared in the config
/// at a folder with no manifest.
pub fn guess_language(tree: &Tree, dir: &str) -> Option<Language> {
    let mut counts: BTreeMap<Language, usize> = BTreeMap::new();
    for f in tree.files_under(dir).take(MAX_SNIFFED_FILES * 5) {
        let n = file_name(&f.path).to_ascii_lowercase();
        let ext = n.rsplit('.').next().unwrap_or("");
        let lang = match ext {
            "js" | "mjs" | "cjs" | "ts" | "tsx" | "jsx" => Language::Node,
            "py" => Language::Python,
            "go" => Language::Go,
            "rs" => Language::Rust,
            "java" | "kt" | "kts" | "scala" | "groovy" => Language::Java,
            "cs" | "fs" | "vb" => Language::Dotnet,
            "rb" => Language::Ruby,
            "php" => Language::Php,
            "ex" | "exs" => Language::Elixir,
            _ => continue,
        };
        *counts.entry(lang).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(l, _)| l)
}

/// A candidate project for a folder, with the strength of its service signal
/// (3: a framework or an explicit entry point; 2: a start script or a
/// generic entry; 1: a front-end build only).
pub(super) struct Cand {
    pub(super) p: Project,
    pub(super) strength: u8,
    /// Python: a `manage.py`-only folder, folded into an enclosing Python
    /// project that has the dependency manifests.
    pub(super) fold_up: bool,
}

impl Cand {
    pub(super) fn new(p: Project, strength: u8) -> Cand {
        Cand {
            p,
            strength,
            fold_up: false,
        }
    }
}

pub(super) fn role_rank(r: &ProjectRole) -> u8 {
    match r {
        ProjectRole::Service => 3,
        ProjectRole::WorkspaceRoot | ProjectRole::Aggregator => 2,
        ProjectRole::Library => 1,
    }
}

/// The most specific candidate: services first, then by strength; at equal
/// strength a non-Node project wins (a `package.json` beside another
/// manifest is usually asset tooling).
pub(super) fn pick(cands: Vec<Cand>) -> Option<Cand> {
    let key = |c: &Cand| {
        (
            role_rank(&c.p.role),
            if c.p.role == ProjectRole::Service {
                c.strength
            } else {
                0
            },
            u8::from(c.p.language != Language::Node),
        )
    };
    let mut best: Option<Cand> = None;
    for c in cands {
        match &best {
            Some(b) if key(b) >= key(&c) => {}
            _ => best = Some(c),
        }
    }
    best
}

pub(super) fn new_project(
    dir: &str,
    name: String,
    language: Language,
    manifest: String,
    role: ProjectRole,
    reason: String,
    line: u32,
) -> Project {
    Project {
        dir: dir.to_string(),
        name,
        language,
        manifest,
        role,
        reason,
        frameworks: Vec::new(),
        web: false,
        ports: Vec::new(),
        image_builders: Vec::new(),
        line: line.max(1),
        program: Program::Unknown,
        program_evidence: None,
        dependencies: Vec::new(),
        entry_cli: None,
    }
}

/// A `manage.py`-only Python folder inside a Python project that has the
/// dependency manifests belongs to that project (`requirements.txt` at the
/// root, `mysite/manage.py` below it).
pub(super) fn fold_python_entries(projects: &mut Vec<Project>, fold_up: &BTreeSet<String>) {
    if fold_up.is_empty() {
        return;
    }
    // One project per folder; looked up by folder, not by scanning the
    // list for every entry (a monorepo has hundreds of Python services).
    let at: std::collections::HashMap<String, usize> = projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.dir.clone(), i))
        .collect();
    let mut removed = vec![false; projects.len()];
    let live = |dir: &str, removed: &[bool]| {
        at.get(dir)
            .copied()
            .filter(|i| !removed.get(*i).copied().unwrap_or(true))
    };
    for dir in fold_up {
        let Some(child_idx) = live(dir, &removed).filter(|i| {
            projects
                .get(*i)
                .is_some_and(|p| p.language == Language::Python)
        }) else {
            continue;
        };
        let mut parent = parent_dir(dir).to_string();
        let target = loop {
            if let Some(i) = live(&parent, &removed) {
                break Some(i);
            }
            if parent.is_empty() {
                break None;
            }
            parent = parent_dir(&parent).to_string();
        };
        let Some(t) = target else { continue };
        if projects[t].language != Language::Python || dir.is_empty() {
            continue;
        }
        let child = projects[child_idx].clone();
        let p = &mut projects[t];
        p.role = ProjectRole::Service;
        p.reason = format!("Django ({})", rel(&p.dir, &child.manifest));
        p.frameworks.extend(child.frameworks);
        p.web = p.web || child.web;
        p.ports.extend(child.ports);
        removed[child_idx] = true;
    }
    let mut i = 0;
    projects.retain(|_| {
        let keep = !removed.get(i).copied().unwrap_or(false);
        i += 1;
        keep
    });
}
