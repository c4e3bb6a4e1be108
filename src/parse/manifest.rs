//! Facts from language manifests: where the project roots of the repository
//! are, in which language, and what each manifest says about being a
//! runnable program (a service) rather than a library.
//!
//! One [`Project`] per folder that holds a manifest. When a folder holds the
//! manifests of several languages (a `package.json` for assets beside a
//! Django `manage.py`), the most specific service signal wins. Work is
//! bounded: manifests are read whole (they are small and size-capped by the
//! walk), other source files only by a short prefix and at most
//! [`MAX_SNIFFED_FILES`] per project.

use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{FileKind, ReadProblem, Tree};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How much of a source file is read when sniffing it (`package main`,
/// framework imports).
pub const SNIFF_BYTES: usize = 4096;
/// At most this many source files are sniffed per project.
pub const MAX_SNIFFED_FILES: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Node,
    Python,
    Go,
    Rust,
    /// Java and Kotlin (and other JVM languages built by Maven or Gradle).
    Java,
    Dotnet,
    Ruby,
    Php,
    Elixir,
}

impl Language {
    /// The JSON name (`node`, `python`, ..., `dotnet`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Node => "node",
            Language::Python => "python",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Java => "java",
            Language::Dotnet => "dotnet",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::Elixir => "elixir",
        }
    }

    /// The name shown to people (`Node.js`, `Java/Kotlin`, `.NET`, ...).
    pub fn display_name(self) -> &'static str {
        match self {
            Language::Node => "Node.js",
            Language::Python => "Python",
            Language::Go => "Go",
            Language::Rust => "Rust",
            Language::Java => "Java/Kotlin",
            Language::Dotnet => ".NET",
            Language::Ruby => "Ruby",
            Language::Php => "PHP",
            Language::Elixir => "Elixir",
        }
    }

    /// Parses the JSON name or a common alias (`javascript`, `kotlin`,
    /// `csharp`, ...), case-insensitively; for the config file.
    pub fn parse(s: &str) -> Option<Language> {
        let l = s.trim().to_ascii_lowercase();
        Some(match l.as_str() {
            "node" | "nodejs" | "node.js" | "js" | "javascript" | "ts" | "typescript" | "deno"
            | "bun" => Language::Node,
            "python" | "py" => Language::Python,
            "go" | "golang" => Language::Go,
            "rust" | "rs" => Language::Rust,
            "java" | "kotlin" | "jvm" | "java/kotlin" | "scala" | "groovy" => Language::Java,
            "dotnet" | ".net" | "net" | "csharp" | "c#" | "fsharp" | "f#" => Language::Dotnet,
            "ruby" | "rb" => Language::Ruby,
            "php" => Language::Php,
            "elixir" | "ex" => Language::Elixir,
            _ => return None,
        })
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectRole {
    /// A runnable program: server, worker, front-end app, CLI binary.
    Service,
    /// Code used by other projects (or a tool that is not deployed).
    Library,
    /// A workspace/monorepo root (npm/yarn/pnpm workspaces, Cargo
    /// workspace, Elixir umbrella) that is not itself a service.
    WorkspaceRoot,
    /// A build aggregator (Maven `<modules>`, Gradle `settings.gradle`
    /// includes) that is not itself a service.
    Aggregator,
}

impl ProjectRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProjectRole::Service => "service",
            ProjectRole::Library => "library",
            ProjectRole::WorkspaceRoot => "workspace-root",
            ProjectRole::Aggregator => "aggregator",
        }
    }
}

impl fmt::Display for ProjectRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Image builds configured without a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageBuilderTool {
    Jib,
    Ko,
    Buildpacks,
    Nixpacks,
    SpringBootBuildImage,
    Quarkus,
}

impl ImageBuilderTool {
    pub fn as_str(&self) -> &'static str {
        match self {
            ImageBuilderTool::Jib => "jib",
            ImageBuilderTool::Ko => "ko",
            ImageBuilderTool::Buildpacks => "buildpacks",
            ImageBuilderTool::Nixpacks => "nixpacks",
            ImageBuilderTool::SpringBootBuildImage => "spring-boot-build-image",
            ImageBuilderTool::Quarkus => "quarkus-container-image",
        }
    }

    pub fn display_name(&self) -> &'static str {
        match self {
            ImageBuilderTool::Jib => "Jib",
            ImageBuilderTool::Ko => "ko",
            ImageBuilderTool::Buildpacks => "Cloud Native Buildpacks",
            ImageBuilderTool::Nixpacks => "Nixpacks",
            ImageBuilderTool::SpringBootBuildImage => "Spring Boot build-image",
            ImageBuilderTool::Quarkus => "Quarkus container-image",
        }
    }
}

impl fmt::Display for ImageBuilderTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageBuilderConfig {
    pub tool: ImageBuilderTool,
    /// The file that configures it (`pom.xml`, `.ko.yaml`, `project.toml`...).
    pub file: String,
    pub line: u32,
    /// The target image when the configuration names it (Jib `<to><image>`,
    /// Spring Boot `imageName`, `quarkus.container-image.image`).
    pub image: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// `""` for the root (reports show `.`), else e.g. `services/api`.
    pub dir: String,
    /// Package name, module last segment, or folder name.
    pub name: String,
    pub language: Language,
    /// Path of the primary manifest, e.g. `services/api/go.mod`.
    pub manifest: String,
    pub role: ProjectRole,
    /// Why, in a few words: `package.json has a start script`, `Django
    /// (manage.py)`, `library: no binary target`.
    pub reason: String,
    /// `express`, `django`, `fastapi`, `spring-boot`, `rails`, ...
    pub frameworks: Vec<String>,
    /// A server/web framework: it likely listens on a port.
    pub web: bool,
    /// Ports found cheaply (scripts, `server.port`, launch settings).
    pub ports: Vec<u16>,
    pub image_builders: Vec<ImageBuilderConfig>,
    /// Line in the manifest of the decisive fact (1 when the whole file).
    pub line: u32,
}

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

// ---------------------------------------------------------------------------
// Shared machinery

struct Ctx<'a> {
    tree: &'a Tree,
    problems: Vec<ParseProblem>,
    /// Folders holding a `go.mod` (for skipping nested modules).
    go_modules: BTreeSet<String>,
}

impl Ctx<'_> {
    /// Reads a manifest; an unreadable one becomes a problem (files over the
    /// size cap are already reported by the walk).
    fn read(&mut self, path: &str) -> Option<String> {
        match self.tree.read_text(path) {
            Ok(t) => Some(t),
            Err(ReadProblem::NotInTree) | Err(ReadProblem::TooLarge { .. }) => None,
            Err(e) => {
                let line = match e {
                    ReadProblem::InvalidUtf8 { line } => line,
                    _ => 1,
                };
                self.problems.push(ParseProblem::new(
                    path,
                    line,
                    ProblemKind::Unreadable,
                    e.to_string(),
                ));
                None
            }
        }
    }

    /// Reads a file that is not essential (a properties file, an entry
    /// point): silently skipped when unreadable.
    fn read_quiet(&self, path: &str) -> Option<String> {
        self.tree.read_text(path).ok()
    }

    fn sniff(&self, path: &str) -> Option<String> {
        self.tree.read_prefix(path, SNIFF_BYTES)
    }

    fn has(&self, path: &str) -> bool {
        self.tree.has_file(path)
    }

    fn syntax(&mut self, path: &str, line: u32, column: Option<u32>, message: String) {
        let mut p = ParseProblem::new(path, line, ProblemKind::Syntax, message);
        p.column = column;
        self.problems.push(p);
    }

    /// The folder name of `dir`, or of the audited root for `""`.
    fn folder_name(&self, dir: &str) -> String {
        if !dir.is_empty() {
            return file_name(dir).to_string();
        }
        let root = self.tree.root();
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "app".to_string())
    }
}

/// A candidate project for a folder, with the strength of its service signal
/// (3: a framework or an explicit entry point; 2: a start script or a
/// generic entry; 1: a front-end build only).
struct Cand {
    p: Project,
    strength: u8,
    /// Python: a `manage.py`-only folder, folded into an enclosing Python
    /// project that has the dependency manifests.
    fold_up: bool,
}

impl Cand {
    fn new(p: Project, strength: u8) -> Cand {
        Cand {
            p,
            strength,
            fold_up: false,
        }
    }
}

fn role_rank(r: &ProjectRole) -> u8 {
    match r {
        ProjectRole::Service => 3,
        ProjectRole::WorkspaceRoot | ProjectRole::Aggregator => 2,
        ProjectRole::Library => 1,
    }
}

/// The most specific candidate: services first, then by strength; at equal
/// strength a non-Node project wins (a `package.json` beside another
/// manifest is usually asset tooling).
fn pick(cands: Vec<Cand>) -> Option<Cand> {
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

fn new_project(
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
    }
}

fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

fn file_name(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

fn join(dir: &str, name: &str) -> String {
    if name.is_empty() {
        dir.to_string()
    } else if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `path` relative to `dir` (which must be one of its ancestors or `""`).
fn rel<'a>(dir: &str, path: &'a str) -> &'a str {
    if dir.is_empty() {
        path
    } else {
        path.strip_prefix(dir)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    }
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

/// 1-based line of the first line satisfying `pred`.
fn line_where(text: &str, pred: impl Fn(&str) -> bool) -> Option<u32> {
    text.lines().position(pred).map(|i| i as u32 + 1)
}

/// Whether `hay` contains `word` delimited by non-identifier characters.
fn contains_word(hay: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut start = 0;
    while let Some(i) = hay[start..].find(word) {
        let at = start + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return true;
        }
        start = at + word.len().max(1);
        if start >= hay.len() {
            break;
        }
    }
    false
}

/// The first quoted string (single, double or backtick quotes) in `s`.
fn first_quoted(s: &str) -> Option<&str> {
    let (i, q) = s
        .char_indices()
        .find(|(_, c)| *c == '"' || *c == '\'' || *c == '`')?;
    let rest = &s[i + 1..];
    let j = rest.find(q)?;
    Some(&rest[..j])
}

/// Every quoted string in `s`.
fn all_quoted(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some((i, q)) = rest.char_indices().find(|(_, c)| *c == '"' || *c == '\'') {
        let after = &rest[i + 1..];
        match after.find(q) {
            Some(j) => {
                out.push(&after[..j]);
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}

/// Line of a JSON object key `"key":`, searching after the first
/// occurrence of `"after":` when given.
fn json_key_line(text: &str, after: Option<&str>, key: &str) -> Option<u32> {
    let start = match after {
        Some(a) => json_key_offset(text, 0, a)?,
        None => 0,
    };
    json_key_offset(text, start, key).map(|o| line_at(text, o))
}

fn json_key_offset(text: &str, from: usize, key: &str) -> Option<usize> {
    let needle = format!("\"{key}\"");
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(&needle) {
        let at = start + i;
        let tail = text[at + needle.len()..].trim_start();
        if tail.starts_with(':') {
            return Some(at);
        }
        start = at + needle.len();
    }
    None
}

/// A port number from a value such as `8080`, `${PORT:8080}`,
/// `0.0.0.0:8000`, `http://localhost:5000`.
fn port_value(v: &str) -> Option<u16> {
    let v = v
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == ',' || c == ';');
    let digits = |s: &str| -> Option<u16> {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        if d.is_empty() || d.len() != s.trim_end_matches(['}', '/', ')']).len() {
            return None;
        }
        d.parse::<u16>().ok().filter(|p| *p > 0)
    };
    if let Some(p) = digits(v) {
        return Some(p);
    }
    // `${PORT:8080}` / `${PORT:-8080}`, `host:port`, `scheme://host:port/`.
    let trimmed = v.trim_end_matches('/');
    let last = trimmed.rsplit(':').next()?;
    if last.len() == trimmed.len() {
        return None;
    }
    digits(last.trim_start_matches('-'))
}

/// Ports named in a command line: `PORT=3000`, `--port 8000`, `--port=8000`,
/// `-p 4000`, `--bind 0.0.0.0:8000`, `-b :8000`, `--listen 8080`.
fn ports_in_command(cmd: &str) -> Vec<u16> {
    let tokens: Vec<&str> = cmd
        .split(|c: char| c.is_whitespace() || c == '&' || c == ';')
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied();
        if let Some((k, v)) = t.split_once('=') {
            let k = k.trim_start_matches('-');
            let ku = k.to_ascii_uppercase();
            if ku == "PORT"
                || ku.ends_with("_PORT")
                || k == "port"
                || k == "http-port"
                || k == "bind"
                || k == "listen"
            {
                out.extend(port_value(v));
            }
            continue;
        }
        let flag = matches!(
            *t,
            "--port" | "-p" | "--http-port" | "--bind" | "-b" | "--listen" | "-l" | "--server.port"
        );
        if flag {
            if let Some(v) = next {
                out.extend(port_value(v));
            }
        }
    }
    out
}

/// A command for a reason text: shortened, and with the values of
/// environment assignments other than harmless ones masked (`API_KEY=***`),
/// since reasons end up in reports.
fn short_cmd(cmd: &str) -> String {
    const HARMLESS: &[&str] = &[
        "PORT",
        "HOST",
        "NODE_ENV",
        "ENV",
        "APP_ENV",
        "RAILS_ENV",
        "DEBUG",
        "LOG_LEVEL",
        "PYTHONUNBUFFERED",
    ];
    let masked: Vec<String> = cmd
        .split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, _))
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                    && !HARMLESS.contains(&k) =>
            {
                format!("{k}=***")
            }
            _ => w.to_string(),
        })
        .collect();
    let joined = masked.join(" ");
    let c = joined.as_str();
    if c.chars().count() <= 60 {
        c.to_string()
    } else {
        let s: String = c.chars().take(57).collect();
        format!("{s}...")
    }
}

fn toml_parse(ctx: &mut Ctx<'_>, path: &str, text: &str) -> Option<toml::Table> {
    match text.parse::<toml::Table>() {
        Ok(t) => Some(t),
        Err(e) => {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(1);
            let msg = e.message().trim().to_string();
            ctx.syntax(
                path,
                line,
                None,
                format!("{} is not valid TOML: {msg}", file_name(path)),
            );
            None
        }
    }
}

fn json_parse(
    ctx: &mut Ctx<'_>,
    path: &str,
    text: &str,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        Ok(_) => {
            ctx.syntax(
                path,
                1,
                None,
                format!("{} is not a JSON object", file_name(path)),
            );
            None
        }
        Err(e) => {
            let col = u32::try_from(e.column()).ok().filter(|c| *c > 0);
            ctx.syntax(
                path,
                e.line() as u32,
                col,
                format!("{} is not valid JSON: {e}", file_name(path)),
            );
            None
        }
    }
}

fn str_keys(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Ports from Spring/Quarkus/Micronaut `application.properties` and
/// `application.yml`, plus the Quarkus container image name.
fn jvm_app_config(ctx: &Ctx<'_>, dir: &str) -> (Vec<u16>, Option<String>) {
    let mut ports = Vec::new();
    let mut quarkus_image: Option<String> = None;
    let (mut q_group, mut q_name) = (None, None);
    let res = join(dir, "src/main/resources");
    if let Some(text) = ctx.read_quiet(&join(&res, "application.properties")) {
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with('#') || l.starts_with('!') {
                continue;
            }
            let Some((k, v)) = l.split_once(['=', ':']) else {
                continue;
            };
            let k = k.trim();
            let v = v.trim();
            match k {
                "server.port" | "quarkus.http.port" | "micronaut.server.port" => {
                    ports.extend(port_value(v))
                }
                "quarkus.container-image.image" => quarkus_image = Some(v.to_string()),
                "quarkus.container-image.group" => q_group = Some(v.to_string()),
                "quarkus.container-image.name" => q_name = Some(v.to_string()),
                _ => {}
            }
        }
    }
    for name in ["application.yml", "application.yaml"] {
        let Some(text) = ctx.read_quiet(&join(&res, name)) else {
            continue;
        };
        let mut top = String::new();
        for line in text.lines() {
            if line.trim_start().starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let l = line.trim();
            if indent == 0 {
                top = l.split(':').next().unwrap_or("").trim().to_string();
                if let Some(v) = l.strip_prefix("server.port:") {
                    ports.extend(port_value(v));
                }
                continue;
            }
            if (top == "server" || top == "micronaut") && l.starts_with("port:") {
                ports.extend(port_value(l.trim_start_matches("port:")));
            }
        }
    }
    if quarkus_image.is_none() {
        if let Some(n) = q_name {
            quarkus_image = Some(match q_group {
                Some(g) if !g.is_empty() => format!("{g}/{n}"),
                _ => n,
            });
        }
    }
    (ports, quarkus_image)
}

/// A `manage.py`-only Python folder inside a Python project that has the
/// dependency manifests belongs to that project (`requirements.txt` at the
/// root, `mysite/manage.py` below it).
fn fold_python_entries(projects: &mut Vec<Project>, fold_up: &BTreeSet<String>) {
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

// ---------------------------------------------------------------------------
// A tiny, lenient XML reader for pom.xml and *.csproj: elements, attributes,
// text and start lines. No DTDs, no namespaces (prefixes are dropped).

mod xml {
    use super::line_at;

    #[derive(Debug, Default)]
    pub struct Node {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub text: String,
        pub line: u32,
        pub children: Vec<usize>,
    }

    /// Node 0 is a virtual document node.
    #[derive(Debug, Default)]
    pub struct Doc {
        pub nodes: Vec<Node>,
    }

    impl Doc {
        pub fn root(&self) -> Option<usize> {
            self.nodes.first().and_then(|n| n.children.first().copied())
        }

        pub fn children<'a>(&'a self, i: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
            self.nodes
                .get(i)
                .map(|n| n.children.as_slice())
                .unwrap_or(&[])
                .iter()
                .copied()
                .filter(move |c| {
                    self.nodes
                        .get(*c)
                        .is_some_and(|n| n.name.eq_ignore_ascii_case(name))
                })
        }

        pub fn child(&self, i: usize, name: &str) -> Option<usize> {
            self.children(i, name).next()
        }

        /// Follows a `/`-separated path of child names.
        pub fn path(&self, i: usize, path: &str) -> Option<usize> {
            let mut cur = i;
            for seg in path.split('/') {
                cur = self.child(cur, seg)?;
            }
            Some(cur)
        }

        pub fn text(&self, i: usize) -> &str {
            self.nodes.get(i).map(|n| n.text.trim()).unwrap_or("")
        }

        pub fn path_text(&self, i: usize, path: &str) -> Option<&str> {
            self.path(i, path)
                .map(|n| self.text(n))
                .filter(|t| !t.is_empty())
        }

        pub fn line(&self, i: usize) -> u32 {
            self.nodes.get(i).map(|n| n.line).unwrap_or(1)
        }

        pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
            self.nodes
                .get(i)?
                .attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }

        /// Every descendant of `i` (iteratively, any depth).
        pub fn descendants(&self, i: usize) -> Vec<usize> {
            let mut out = Vec::new();
            let mut stack: Vec<usize> = self
                .nodes
                .get(i)
                .map(|n| n.children.iter().rev().copied().collect())
                .unwrap_or_default();
            while let Some(c) = stack.pop() {
                out.push(c);
                if let Some(n) = self.nodes.get(c) {
                    stack.extend(n.children.iter().rev().copied());
                }
            }
            out
        }

        pub fn name(&self, i: usize) -> &str {
            self.nodes.get(i).map(|n| n.name.as_str()).unwrap_or("")
        }
    }

    fn decode(s: &str) -> String {
        if !s.contains('&') {
            return s.to_string();
        }
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    fn local(name: &str) -> String {
        name.rsplit(':').next().unwrap_or(name).to_string()
    }

    /// Parses leniently; returns the document and the first structural error
    /// (line, message) if any.
    pub fn parse(text: &str) -> (Doc, Option<(u32, String)>) {
        let mut doc = Doc {
            nodes: vec![Node::default()],
        };
        let mut stack: Vec<usize> = vec![0];
        let mut err: Option<(u32, String)> = None;
        let mut i = 0;
        let b = text.as_bytes();
        let set_err = |line: u32, msg: String, err: &mut Option<(u32, String)>| {
            if err.is_none() {
                *err = Some((line, msg));
            }
        };
        while i < b.len() {
            let Some(lt) = text[i..].find('<').map(|o| o + i) else {
                if let Some(&top) = stack.last() {
                    if let Some(n) = doc.nodes.get_mut(top) {
                        n.text.push_str(&decode(&text[i..]));
                    }
                }
                break;
            };
            if lt > i {
                if let Some(&top) = stack.last() {
                    if let Some(n) = doc.nodes.get_mut(top) {
                        n.text.push_str(&decode(&text[i..lt]));
                    }
                }
            }
            let rest = &text[lt..];
            if rest.starts_with("<!--") {
                match rest.find("-->") {
                    Some(e) => i = lt + e + 3,
                    None => {
                        set_err(line_at(text, lt), "unterminated comment".into(), &mut err);
                        break;
                    }
                }
                continue;
            }
            if rest.starts_with("<![CDATA[") {
                match rest.find("]]>") {
                    Some(e) => {
                        if let Some(&top) = stack.last() {
                            if let Some(n) = doc.nodes.get_mut(top) {
                                n.text.push_str(&rest[9..e]);
                            }
                        }
                        i = lt + e + 3;
                    }
                    None => {
                        set_err(
                            line_at(text, lt),
                            "unterminated CDATA section".into(),
                            &mut err,
                        );
                        break;
                    }
                }
                continue;
            }
            if rest.starts_with("<?") || rest.starts_with("<!") {
                let end = if rest.starts_with("<?") {
                    rest.find("?>").map(|e| e + 2)
                } else {
                    rest.find('>').map(|e| e + 1)
                };
                match end {
                    Some(e) => i = lt + e,
                    None => {
                        set_err(
                            line_at(text, lt),
                            "unterminated declaration".into(),
                            &mut err,
                        );
                        break;
                    }
                }
                continue;
            }
            // A tag: find its end, honouring quotes.
            let mut j = lt + 1;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                let c = b[j];
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => break,
                    None => {}
                }
                j += 1;
            }
            if j >= b.len() {
                set_err(line_at(text, lt), "unterminated tag".into(), &mut err);
                break;
            }
            let inner = &text[lt + 1..j];
            i = j + 1;
            if let Some(name) = inner.strip_prefix('/') {
                let name = local(name.trim());
                match stack
                    .iter()
                    .rposition(|&n| doc.nodes.get(n).is_some_and(|x| x.name == name))
                {
                    Some(pos) if pos > 0 => {
                        if pos != stack.len() - 1 {
                            set_err(
                                line_at(text, lt),
                                format!("closing tag </{name}> does not match the open element"),
                                &mut err,
                            );
                        }
                        stack.truncate(pos);
                    }
                    _ => set_err(
                        line_at(text, lt),
                        format!("closing tag </{name}> has no open element"),
                        &mut err,
                    ),
                }
                continue;
            }
            let self_closing = inner.ends_with('/');
            let inner = inner.trim_end_matches('/');
            let name_end = inner
                .find(|c: char| c.is_whitespace())
                .unwrap_or(inner.len());
            let name = local(&inner[..name_end]);
            if name.is_empty() {
                set_err(line_at(text, lt), "empty tag name".into(), &mut err);
                continue;
            }
            let attrs = parse_attrs(&inner[name_end..]);
            let idx = doc.nodes.len();
            doc.nodes.push(Node {
                name,
                attrs,
                text: String::new(),
                line: line_at(text, lt),
                children: Vec::new(),
            });
            if let Some(&top) = stack.last() {
                if let Some(n) = doc.nodes.get_mut(top) {
                    n.children.push(idx);
                }
            }
            if !self_closing {
                stack.push(idx);
            }
        }
        if stack.len() > 1 && err.is_none() {
            let open = stack.last().copied().unwrap_or(0);
            let name = doc.name(open).to_string();
            err = Some((doc.line(open), format!("element <{name}> is never closed")));
        }
        (doc, err)
    }

    fn parse_attrs(s: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(eq) = rest.find('=') {
            let key = rest[..eq].trim().to_string();
            let after = rest[eq + 1..].trim_start();
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                break;
            };
            let body = &after[1..];
            let Some(end) = body.find(q) else { break };
            out.push((local(&key), decode(&body[..end])));
            rest = &body[end + 1..];
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Node.js (and Deno)

mod node {
    use super::*;

    /// Server frameworks: a dependency makes a service (strength 3).
    const SERVER: &[(&str, &str)] = &[
        ("express", "express"),
        ("fastify", "fastify"),
        ("koa", "koa"),
        ("@hapi/hapi", "hapi"),
        ("hapi", "hapi"),
        ("@nestjs/core", "nest"),
        ("restify", "restify"),
        ("@adonisjs/core", "adonis"),
        ("sails", "sails"),
        ("@feathersjs/feathers", "feathers"),
        ("@hono/node-server", "hono"),
        ("@apollo/server", "apollo-server"),
        ("apollo-server", "apollo-server"),
        ("@strapi/strapi", "strapi"),
        ("@remix-run/serve", "remix"),
        ("@redwoodjs/core", "redwood"),
    ];
    /// Full-stack/SSR frameworks (dependency or devDependency; strength 2).
    const FULLSTACK: &[(&str, &str)] = &[
        ("next", "next"),
        ("nuxt", "nuxt"),
        ("nuxt3", "nuxt"),
        ("@remix-run/node", "remix"),
        ("@remix-run/dev", "remix"),
        ("@react-router/dev", "react-router"),
        ("@sveltejs/kit", "sveltekit"),
        ("astro", "astro"),
        ("gatsby", "gatsby"),
        ("@angular/core", "angular"),
        ("@vue/cli-service", "vue"),
        ("react-scripts", "react-scripts"),
    ];
    /// Front-end bundlers: an app only with an `index.html` or app scripts.
    const BUNDLERS: &[(&str, &str)] = &[
        ("vite", "vite"),
        ("parcel", "parcel"),
        ("webpack-dev-server", "webpack"),
    ];
    const DOCS_SITES: &[&str] = &[
        "@docusaurus/core",
        "vitepress",
        "vuepress",
        "@vuepress/core",
        "hexo",
    ];
    const NOT_SERVERS: &[(&str, &str)] = &[
        ("electron", "desktop app (electron)"),
        ("react-native", "mobile app (react-native)"),
        ("expo", "mobile app (expo)"),
    ];
    const PLUGIN_PREFIXES: &[&str] = &[
        "express-",
        "koa-",
        "fastify-",
        "@fastify/",
        "hapi-",
        "@hapi/",
        "@nestjs/",
        "next-",
        "nuxt-",
        "@nuxt/",
        "@nuxtjs/",
        "vite-plugin-",
        "@vitejs/",
        "astro-",
        "@astrojs/",
        "gatsby-plugin-",
        "gatsby-theme-",
        "eslint-",
        "@types/",
        "@sveltejs/",
    ];
    /// First words of "start" scripts that only build or watch a library.
    const BUILD_WATCH: &[&str] = &[
        "tsc",
        "rollup",
        "storybook",
        "start-storybook",
        "tsup",
        "babel",
        "jest",
        "vitest",
        "mocha",
        "lerna",
        "turbo",
        "echo",
        "exit",
        "tsdx",
        "microbundle",
        "styleguidist",
        "docz",
    ];

    fn is_build_watch(cmd: &str) -> bool {
        let mut words = cmd
            .split_whitespace()
            .filter(|w| !w.contains('=') && *w != "cross-env" && *w != "npx" && *w != "exec");
        match words.next() {
            Some(w) => BUILD_WATCH.contains(&w),
            None => true,
        }
    }

    pub fn strip_scope(name: &str) -> &str {
        if name.starts_with('@') {
            name.rsplit('/').next().unwrap_or(name)
        } else {
            name
        }
    }

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let path = join(dir, "package.json");
        let text = ctx.read(&path)?;
        let pkg = json_parse(ctx, &path, &text)?;
        let name = pkg
            .get("name")
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty())
            .map(|s| strip_scope(s.trim()).to_string())
            .unwrap_or_else(|| ctx.folder_name(dir));
        let mk = |role: ProjectRole, reason: String, line: u32| {
            new_project(
                dir,
                name.clone(),
                Language::Node,
                path.clone(),
                role,
                reason,
                line,
            )
        };

        let scripts: BTreeMap<String, String> = match pkg.get("scripts") {
            Some(serde_json::Value::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect(),
            _ => BTreeMap::new(),
        };
        let deps = str_keys(pkg.get("dependencies"));
        let mut all_deps = deps.clone();
        all_deps.extend(str_keys(pkg.get("devDependencies")));
        all_deps.extend(str_keys(pkg.get("optionalDependencies")));
        let peers = str_keys(pkg.get("peerDependencies"));
        let private = pkg
            .get("private")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let dep_line = |d: &str| {
            json_key_line(&text, Some("dependencies"), d)
                .or_else(|| json_key_line(&text, Some("devDependencies"), d))
                .or_else(|| json_key_line(&text, None, d))
                .unwrap_or(1)
        };

        // Workspace roots are never services themselves.
        let ws_file = [
            "pnpm-workspace.yaml",
            "pnpm-workspace.yml",
            "lerna.json",
            "rush.json",
        ]
        .into_iter()
        .find(|f| ctx.has(&join(dir, f)));
        if pkg.contains_key("workspaces") || ws_file.is_some() {
            let (reason, line) = match ws_file {
                Some(f) if !pkg.contains_key("workspaces") => (format!("workspace root ({f})"), 1),
                _ => (
                    "workspace root (package.json `workspaces`)".to_string(),
                    json_key_line(&text, None, "workspaces").unwrap_or(1),
                ),
            };
            return Some(Cand::new(mk(ProjectRole::WorkspaceRoot, reason, line), 0));
        }
        if let Some(d) = DOCS_SITES.iter().find(|d| all_deps.iter().any(|x| x == *d)) {
            return Some(Cand::new(
                mk(
                    ProjectRole::Library,
                    format!("library: documentation site ({})", strip_scope(d)),
                    dep_line(d),
                ),
                0,
            ));
        }
        if let Some((d, why)) = NOT_SERVERS
            .iter()
            .find(|(d, _)| all_deps.iter().any(|x| x == d))
        {
            return Some(Cand::new(
                mk(
                    ProjectRole::Library,
                    format!("library: {why}, not a server"),
                    dep_line(d),
                ),
                0,
            ));
        }

        let start = ["start", "serve", "start:prod", "start:production"]
            .into_iter()
            .find_map(|k| {
                scripts
                    .get(k)
                    .filter(|c| !is_build_watch(c))
                    .map(|c| (k, c.clone()))
            });
        let mut frameworks: Vec<(String, u32, u8)> = Vec::new();
        for (d, fw) in SERVER {
            if deps.iter().any(|x| x == d) {
                frameworks.push((fw.to_string(), dep_line(d), 3));
            }
        }
        for (d, fw) in FULLSTACK {
            if all_deps.iter().any(|x| x == d) {
                frameworks.push((fw.to_string(), dep_line(d), 2));
            }
        }
        let has_index_html = ["index.html", "public/index.html", "src/index.html"]
            .iter()
            .any(|f| ctx.has(&join(dir, f)));
        let libraryish = pkg.contains_key("exports")
            || pkg.contains_key("module")
            || pkg.contains_key("types")
            || pkg.contains_key("typings");
        let app_scripts = scripts.contains_key("build")
            && ["dev", "serve", "preview", "start"]
                .iter()
                .any(|s| scripts.contains_key(*s));
        for (d, fw) in BUNDLERS {
            if all_deps.iter().any(|x| x == d)
                && (has_index_html && scripts.contains_key("build") || app_scripts && !libraryish)
            {
                frameworks.push((fw.to_string(), dep_line(d), 1));
            }
        }
        let framework_names: Vec<String> = frameworks.iter().map(|(f, _, _)| f.clone()).collect();

        // Plugins and extensions of a framework are libraries.
        let lname = pkg
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let peer_fw = peers
            .iter()
            .find(|p| SERVER.iter().chain(FULLSTACK).any(|(d, _)| d == p));
        let prefix = PLUGIN_PREFIXES.iter().find(|p| lname.starts_with(*p));
        if !private && start.is_none() && (peer_fw.is_some() || prefix.is_some()) {
            let why = match peer_fw {
                Some(p) => format!("library: plugin for {p} (peer dependency)"),
                None => format!("library: framework plugin or extension ({lname})"),
            };
            return Some(Cand::new(mk(ProjectRole::Library, why, 1), 0));
        }

        let mut ports: Vec<u16> = Vec::new();
        for k in ["start", "serve", "start:prod", "dev", "preview"] {
            if let Some(c) = scripts.get(k) {
                ports.extend(ports_in_command(c));
            }
        }
        let service = |reason: String, line: u32, strength: u8| {
            let mut p = mk(ProjectRole::Service, reason, line);
            p.frameworks = framework_names.clone();
            p.web = !framework_names.is_empty() || !ports.is_empty();
            p.ports = ports.clone();
            Cand::new(p, strength)
        };
        let best_fw = frameworks
            .iter()
            .max_by(|a, b| a.2.cmp(&b.2).then(b.1.cmp(&a.1)));
        if let Some((k, cmd)) = &start {
            let line = json_key_line(&text, Some("scripts"), k).unwrap_or(1);
            let strength = best_fw.map(|f| f.2).unwrap_or(2).max(2);
            return Some(service(
                format!("package.json has a {k} script: `{}`", short_cmd(cmd)),
                line,
                strength,
            ));
        }
        if let Some((fw, line, strength)) = best_fw {
            let reason = match strength {
                3 => format!("package.json depends on {fw}"),
                2 => format!("{fw} app (package.json)"),
                _ => format!(
                    "{fw} front-end app (package.json build script{})",
                    if has_index_html { ", index.html" } else { "" }
                ),
            };
            return Some(service(reason, *line, *strength));
        }
        let reason = if pkg.contains_key("bin") {
            "library: command-line package (`bin`), no start script or server framework".to_string()
        } else {
            "library: no start script or server framework".to_string()
        };
        Some(Cand::new(mk(ProjectRole::Library, reason, 1), 0))
    }

    /// `deno.json`: a `start`/`serve` task or a server framework import.
    pub fn scan_deno(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let path = join(dir, "deno.json");
        let text = ctx.read(&path)?;
        let value: serde_json::Value =
            match jsonc_parser::parse_to_serde_value(&text, &Default::default()) {
                Ok(v) => v,
                Err(e) => {
                    ctx.syntax(&path, 1, None, format!("deno.json is not valid JSON: {e}"));
                    return None;
                }
            };
        let obj = value.as_object()?;
        let name = obj
            .get("name")
            .and_then(|v| v.as_str())
            .map(|s| strip_scope(s).to_string())
            .unwrap_or_else(|| ctx.folder_name(dir));
        let tasks: BTreeMap<String, String> = match obj.get("tasks") {
            Some(serde_json::Value::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| {
                    v.as_str()
                        .or_else(|| v.get("command").and_then(|c| c.as_str()))
                        .map(|s| (k.clone(), s.to_string()))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        let imports: Vec<String> = match obj.get("imports") {
            Some(serde_json::Value::Object(m)) => m
                .iter()
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("")))
                .collect(),
            _ => Vec::new(),
        };
        let mut frameworks = Vec::new();
        for (needle, fw) in [
            ("$fresh", "fresh"),
            ("@fresh/", "fresh"),
            ("oak", "oak"),
            ("hono", "hono"),
            ("npm:express", "express"),
        ] {
            if imports.iter().any(|i| i.contains(needle)) {
                frameworks.push(fw.to_string());
            }
        }
        let start = ["start", "serve"]
            .into_iter()
            .find_map(|k| tasks.get(k).map(|c| (k, c.clone())));
        let mut p = new_project(
            dir,
            name,
            Language::Node,
            path,
            ProjectRole::Library,
            "library: deno.json has no start task or server framework".into(),
            1,
        );
        if let Some((k, cmd)) = start {
            p.role = ProjectRole::Service;
            p.reason = format!("deno.json has a {k} task: `{}`", short_cmd(&cmd));
            p.line = json_key_line(&text, Some("tasks"), k).unwrap_or(1);
            p.ports = ports_in_command(&cmd);
        } else if let Some(fw) = frameworks.first() {
            p.role = ProjectRole::Service;
            p.reason = format!("Deno {fw} app (deno.json imports)");
            p.line = json_key_line(&text, None, "imports").unwrap_or(1);
        }
        p.web = !frameworks.is_empty() || !p.ports.is_empty();
        p.frameworks = frameworks;
        let strength = if p.role == ProjectRole::Service { 2 } else { 0 };
        Some(Cand::new(p, strength))
    }
}

// ---------------------------------------------------------------------------
// Python

mod python {
    use super::*;

    /// Web frameworks and servers.
    const WEB: &[(&str, &str)] = &[
        ("django", "django"),
        ("djangorestframework", "django"),
        ("flask", "flask"),
        ("fastapi", "fastapi"),
        ("starlette", "starlette"),
        ("aiohttp", "aiohttp"),
        ("tornado", "tornado"),
        ("sanic", "sanic"),
        ("bottle", "bottle"),
        ("pyramid", "pyramid"),
        ("falcon", "falcon"),
        ("quart", "quart"),
        ("litestar", "litestar"),
        ("cherrypy", "cherrypy"),
        ("streamlit", "streamlit"),
        ("dash", "dash"),
        ("gradio", "gradio"),
        ("gunicorn", "gunicorn"),
        ("uvicorn", "uvicorn"),
        ("hypercorn", "hypercorn"),
        ("waitress", "waitress"),
        ("daphne", "daphne"),
        ("granian", "granian"),
    ];
    /// Background workers.
    const WORKER: &[(&str, &str)] = &[
        ("celery", "celery"),
        ("rq", "rq"),
        ("dramatiq", "dramatiq"),
        ("huey", "huey"),
        ("arq", "arq"),
    ];
    /// Also HTTP clients: a service signal only in application-style
    /// manifests (requirements, Pipfile) or with an entry point.
    const AMBIGUOUS: &[&str] = &["aiohttp", "tornado"];
    const ENTRIES: &[&str] = &[
        "app.py",
        "wsgi.py",
        "asgi.py",
        "main.py",
        "server.py",
        "app/main.py",
        "src/main.py",
        "src/app.py",
    ];

    pub fn is_python_manifest(name: &str) -> bool {
        let n = name.to_ascii_lowercase();
        matches!(
            n.as_str(),
            "manage.py" | "pyproject.toml" | "setup.py" | "setup.cfg" | "pipfile"
        ) || is_requirements(&n)
    }

    fn is_requirements(n: &str) -> bool {
        n.starts_with("requirements") && n.ends_with(".txt")
    }

    /// `requirements-dev.txt`, `requirements/test.txt`: not the app's.
    fn is_dev_requirements(path: &str) -> bool {
        let n = file_name(path).to_ascii_lowercase();
        let stem = n
            .trim_end_matches(".txt")
            .trim_start_matches("requirements");
        const DEV: &[&str] = &[
            "dev",
            "develop",
            "development",
            "test",
            "tests",
            "testing",
            "doc",
            "docs",
            "lint",
            "ci",
            "tox",
            "typing",
            "types",
            "mypy",
            "bench",
            "local",
            "build",
        ];
        stem.split(['-', '_', '.']).any(|w| DEV.contains(&w))
    }

    pub fn normalize(name: &str) -> String {
        name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
    }

    /// The distribution name of a PEP 508 requirement.
    fn req_name(req: &str) -> Option<String> {
        let r = req.trim();
        let n: String = r
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if n.is_empty() {
            None
        } else {
            Some(normalize(&n))
        }
    }

    struct Dep {
        name: String,
        file: String,
        line: u32,
        /// From requirements/Pipfile (an application's pinned environment).
        app_style: bool,
    }

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str, files: &[String]) -> Option<Cand> {
        let lower = |p: &String| file_name(p).to_ascii_lowercase();
        let mut deps: Vec<Dep> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut console_scripts = false;
        let mut manifests: Vec<String> = Vec::new();
        let mut extra_reqs: Vec<String> = ctx
            .tree
            .files_under(&join(dir, "requirements"))
            .filter(|f| {
                f.path.ends_with(".txt") && parent_dir(&f.path) == join(dir, "requirements")
            })
            .take(20)
            .map(|f| f.path.clone())
            .collect();
        let mut req_files: Vec<String> = files
            .iter()
            .filter(|p| is_requirements(&lower(p)))
            .cloned()
            .collect();
        req_files.append(&mut extra_reqs);
        for p in files {
            match lower(p).as_str() {
                "pyproject.toml" => {
                    manifests.push(p.clone());
                    let Some(text) = ctx.read(p) else { continue };
                    let Some(t) = toml_parse(ctx, p, &text) else {
                        continue;
                    };
                    pyproject(&t, &text, p, &mut deps, &mut names, &mut console_scripts);
                }
                "pipfile" => {
                    manifests.push(p.clone());
                    let Some(text) = ctx.read(p) else { continue };
                    let Some(t) = toml_parse(ctx, p, &text) else {
                        continue;
                    };
                    if let Some(toml::Value::Table(pk)) = t.get("packages") {
                        for k in pk.keys() {
                            deps.push(Dep {
                                name: normalize(k),
                                file: p.clone(),
                                line: toml_key_line(&text, k),
                                app_style: true,
                            });
                        }
                    }
                }
                "setup.py" => {
                    manifests.push(p.clone());
                    if let Some(text) = ctx.read(p) {
                        setup_py(&text, p, &mut deps, &mut names, &mut console_scripts);
                    }
                }
                "setup.cfg" => {
                    manifests.push(p.clone());
                    if let Some(text) = ctx.read(p) {
                        setup_cfg(&text, p, &mut deps, &mut names, &mut console_scripts);
                    }
                }
                _ => {}
            }
        }
        let mut seen_reqs: BTreeSet<String> = BTreeSet::new();
        for p in &req_files {
            if !is_dev_requirements(p) {
                manifests.push(p.clone());
            }
        }
        for p in req_files.iter().filter(|p| !is_dev_requirements(p)) {
            requirements(ctx, p, &mut deps, &mut seen_reqs, 0);
        }
        let manage = join(dir, "manage.py");
        let has_manage = ctx.has(&manage);
        let entry = ENTRIES.iter().map(|e| join(dir, e)).find(|e| ctx.has(e));
        let entry_fws: Vec<String> = entry
            .as_deref()
            .and_then(|e| ctx.sniff(e))
            .map(|t| imported_frameworks(&t))
            .unwrap_or_default();

        // Primary manifest: the dependency file a Dockerfile would install.
        let order = [
            "pyproject.toml",
            "pipfile",
            "requirements.txt",
            "setup.py",
            "setup.cfg",
        ];
        let primary = order
            .iter()
            .find_map(|o| manifests.iter().find(|m| lower(m) == *o))
            .or_else(|| manifests.first())
            .cloned()
            .or_else(|| has_manage.then(|| manage.clone()))?;
        let name = names
            .first()
            .cloned()
            .unwrap_or_else(|| ctx.folder_name(dir));
        let line_in_primary = |d: &Dep| if d.file == primary { d.line } else { 1 };

        let mut frameworks: Vec<String> = Vec::new();
        let mut web = false;
        let mut first_web: Option<&Dep> = None;
        let mut first_worker: Option<&Dep> = None;
        for d in &deps {
            if let Some((_, fw)) = WEB.iter().find(|(n, _)| *n == d.name) {
                if AMBIGUOUS.contains(fw) && !d.app_style && entry.is_none() {
                    continue;
                }
                frameworks.push(fw.to_string());
                web = true;
                if first_web.is_none() {
                    first_web = Some(d);
                }
            } else if let Some((_, fw)) = WORKER.iter().find(|(n, _)| *n == d.name) {
                frameworks.push(fw.to_string());
                if first_worker.is_none() {
                    first_worker = Some(d);
                }
            }
        }
        for fw in &entry_fws {
            frameworks.push(fw.clone());
            web = web || !WORKER.iter().any(|(_, w)| w == fw);
        }
        if has_manage {
            frameworks.push("django".into());
            web = true;
        }
        let mut p = new_project(
            dir,
            name.clone(),
            Language::Python,
            primary.clone(),
            ProjectRole::Library,
            String::new(),
            1,
        );
        p.frameworks = frameworks.clone();
        p.web = web;
        let only_manage = manifests.is_empty();

        // Extensions of a framework (`django-foo`, `flask_bar`) are libraries.
        let lname = normalize(&name);
        let ext_of = frameworks
            .iter()
            .find(|fw| lname.starts_with(&format!("{fw}-")) || lname == format!("pytest-{fw}"));
        if let (Some(fw), false, None) = (ext_of, has_manage, &entry) {
            p.reason = format!("library: looks like a {fw} extension ({name})");
            p.web = false;
            return Some(Cand::new(p, 0));
        }
        if has_manage {
            p.role = ProjectRole::Service;
            p.reason = "Django (manage.py)".into();
            p.line = deps
                .iter()
                .find(|d| d.name == "django")
                .map(line_in_primary)
                .unwrap_or(1);
            let mut c = Cand::new(p, 3);
            c.fold_up = only_manage;
            return Some(c);
        }
        if let Some(e) = &entry {
            p.role = ProjectRole::Service;
            let fws = if entry_fws.is_empty() {
                String::new()
            } else {
                format!(" ({})", entry_fws.join(", "))
            };
            p.reason = format!("Python entry point {}{fws}", rel(dir, e));
            p.line = first_web.map(line_in_primary).unwrap_or(1);
            let strength = if entry_fws.is_empty() && first_web.is_none() {
                2
            } else {
                3
            };
            return Some(Cand::new(p, strength));
        }
        if let Some(d) = first_web.or(first_worker) {
            p.role = ProjectRole::Service;
            p.reason = format!("{} in {}", d.name, rel(dir, &d.file));
            p.line = line_in_primary(d);
            let strength = if first_web.is_some() { 3 } else { 2 };
            return Some(Cand::new(p, strength));
        }
        p.reason = if console_scripts {
            "library: command-line package (console scripts), no web/worker framework".into()
        } else {
            "library: no web/worker framework dependency or entry point".into()
        };
        Some(Cand::new(p, 0))
    }

    fn toml_key_line(text: &str, key: &str) -> u32 {
        line_where(text, |l| {
            let t = l.trim_start();
            t.starts_with(key) && t[key.len()..].trim_start().starts_with('=')
                || t.starts_with(&format!("\"{key}\""))
        })
        .unwrap_or(1)
    }

    fn dep_line(text: &str, name: &str) -> u32 {
        line_where(text, |l| {
            let t = l.trim_start().trim_start_matches(['"', '\'']);
            let (Some(head), Some(tail)) = (t.get(..name.len()), t.get(name.len()..)) else {
                return false;
            };
            normalize(head) == name
                && !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .unwrap_or(1)
    }

    fn pyproject(
        t: &toml::Table,
        text: &str,
        path: &str,
        deps: &mut Vec<Dep>,
        names: &mut Vec<String>,
        console_scripts: &mut bool,
    ) {
        if let Some(project) = t.get("project").and_then(|v| v.as_table()) {
            if let Some(n) = project.get("name").and_then(|v| v.as_str()) {
                names.push(n.to_string());
            }
            if let Some(arr) = project.get("dependencies").and_then(|v| v.as_array()) {
                for r in arr.iter().filter_map(|v| v.as_str()) {
                    if let Some(n) = req_name(r) {
                        let line = dep_line(text, &n);
                        deps.push(Dep {
                            name: n,
                            file: path.to_string(),
                            line,
                            app_style: false,
                        });
                    }
                }
            }
            *console_scripts |=
                project.contains_key("scripts") || project.contains_key("gui-scripts");
        }
        if let Some(poetry) = t
            .get("tool")
            .and_then(|v| v.get("poetry"))
            .and_then(|v| v.as_table())
        {
            if let Some(n) = poetry.get("name").and_then(|v| v.as_str()) {
                names.push(n.to_string());
            }
            let app = poetry.get("package-mode").and_then(|v| v.as_bool()) == Some(false);
            if let Some(d) = poetry.get("dependencies").and_then(|v| v.as_table()) {
                for k in d.keys().filter(|k| k.as_str() != "python") {
                    let n = normalize(k);
                    let line = dep_line(text, &n);
                    deps.push(Dep {
                        name: n,
                        file: path.to_string(),
                        line,
                        app_style: app,
                    });
                }
            }
            *console_scripts |= poetry.contains_key("scripts");
        }
    }

    fn setup_py(
        text: &str,
        path: &str,
        deps: &mut Vec<Dep>,
        names: &mut Vec<String>,
        console_scripts: &mut bool,
    ) {
        if let Some(i) = text.find("name=").or_else(|| text.find("name =")) {
            if let Some(n) = first_quoted(text[i..].lines().next().unwrap_or("")) {
                names.push(n.to_string());
            }
        }
        if let Some(i) = text.find("install_requires") {
            let rest = &text[i..];
            let end = rest.find(']').unwrap_or(rest.len());
            for q in all_quoted(&rest[..end]) {
                if let Some(n) = req_name(q) {
                    let line = line_at(text, i + rest[..end].find(q).unwrap_or(0));
                    deps.push(Dep {
                        name: n,
                        file: path.to_string(),
                        line,
                        app_style: false,
                    });
                }
            }
        }
        *console_scripts |= text.contains("console_scripts") || text.contains("scripts=");
    }

    fn setup_cfg(
        text: &str,
        path: &str,
        deps: &mut Vec<Dep>,
        names: &mut Vec<String>,
        console_scripts: &mut bool,
    ) {
        let mut section = String::new();
        let mut in_requires = false;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with('[') {
                section = t.trim_matches(['[', ']']).trim().to_string();
                in_requires = false;
                *console_scripts |=
                    section == "options.entry_points" && text.contains("console_scripts");
                continue;
            }
            if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
                continue;
            }
            let indented = line.starts_with(' ') || line.starts_with('\t');
            if let Some((k, v)) = t.split_once('=').filter(|_| !indented) {
                in_requires = section == "options" && k.trim() == "install_requires";
                if section == "metadata" && k.trim() == "name" {
                    names.push(v.trim().to_string());
                }
                if in_requires {
                    if let Some(n) = req_name(v) {
                        deps.push(Dep {
                            name: n,
                            file: path.to_string(),
                            line: i as u32 + 1,
                            app_style: false,
                        });
                    }
                }
                continue;
            }
            if in_requires && indented {
                if let Some(n) = req_name(t) {
                    deps.push(Dep {
                        name: n,
                        file: path.to_string(),
                        line: i as u32 + 1,
                        app_style: false,
                    });
                }
            }
        }
    }

    fn requirements(
        ctx: &mut Ctx<'_>,
        path: &str,
        deps: &mut Vec<Dep>,
        seen: &mut BTreeSet<String>,
        depth: u8,
    ) {
        if depth > 3 || !seen.insert(path.to_string()) {
            return;
        }
        let Some(text) = ctx.read(path) else { return };
        for (i, line) in text.lines().enumerate() {
            let t = line.split(" #").next().unwrap_or("").trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if let Some(inc) = t
                .strip_prefix("-r")
                .or_else(|| t.strip_prefix("--requirement"))
            {
                let inc = inc.trim_start_matches('=').trim();
                let target = normalize_path(&join(parent_dir(path), inc));
                if !is_dev_requirements(&target) {
                    requirements(ctx, &target, deps, seen, depth + 1);
                }
                continue;
            }
            if t.starts_with('-') {
                continue;
            }
            if let Some(n) = req_name(t) {
                deps.push(Dep {
                    name: n,
                    file: path.to_string(),
                    line: i as u32 + 1,
                    app_style: true,
                });
            }
        }
    }

    fn normalize_path(p: &str) -> String {
        let mut out: Vec<&str> = Vec::new();
        for seg in p.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    out.pop();
                }
                s => out.push(s),
            }
        }
        out.join("/")
    }

    /// Frameworks imported by an entry point's first lines.
    fn imported_frameworks(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for line in text.lines() {
            let t = line.trim_start();
            let module = if let Some(r) = t.strip_prefix("from ") {
                r.split(|c: char| c.is_whitespace() || c == '.').next()
            } else if let Some(r) = t.strip_prefix("import ") {
                r.split(|c: char| c.is_whitespace() || c == '.' || c == ',')
                    .next()
            } else {
                None
            };
            let Some(m) = module else { continue };
            let m = normalize(m);
            if let Some((_, fw)) = WEB.iter().chain(WORKER).find(|(n, _)| *n == m) {
                out.push(fw.to_string());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

// ---------------------------------------------------------------------------
// Go

mod golang {
    use super::*;

    const FRAMEWORKS: &[(&str, &str)] = &[
        ("github.com/gin-gonic/gin", "gin"),
        ("github.com/labstack/echo", "echo"),
        ("github.com/gofiber/fiber", "fiber"),
        ("github.com/go-chi/chi", "chi"),
        ("github.com/gorilla/mux", "gorilla-mux"),
        ("google.golang.org/grpc", "grpc"),
        ("connectrpc.com/connect", "connect"),
        ("github.com/beego/beego", "beego"),
        ("github.com/revel/revel", "revel"),
        ("github.com/gobuffalo/buffalo", "buffalo"),
        ("github.com/valyala/fasthttp", "fasthttp"),
        ("github.com/julienschmidt/httprouter", "httprouter"),
    ];
    const SKIP_DIRS: &[&str] = &[
        "testdata",
        "vendor",
        "examples",
        "example",
        "_examples",
        "samples",
        "sample",
    ];

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let path = join(dir, "go.mod");
        let text = ctx.read(&path)?;
        let mut module: Option<(String, u32)> = None;
        let mut requires: Vec<String> = Vec::new();
        let mut in_require = false;
        for (i, line) in text.lines().enumerate() {
            let t = line.split("//").next().unwrap_or("").trim();
            if let Some(m) = t.strip_prefix("module") {
                if m.starts_with(char::is_whitespace) || m.starts_with('"') {
                    module = Some((m.trim().trim_matches('"').to_string(), i as u32 + 1));
                }
            } else if t.starts_with("require") && t.ends_with('(') {
                in_require = true;
            } else if in_require && t == ")" {
                in_require = false;
            } else if in_require {
                requires.extend(t.split_whitespace().next().map(str::to_string));
            } else if let Some(r) = t.strip_prefix("require ") {
                requires.extend(r.split_whitespace().next().map(str::to_string));
            }
        }
        let module_line = module.as_ref().map(|m| m.1).unwrap_or(1);
        if module.is_none() {
            ctx.syntax(&path, 1, None, "go.mod has no module directive".into());
        }
        let name = module
            .as_ref()
            .map(|(m, _)| {
                let mut segs: Vec<&str> = m.split('/').filter(|s| !s.is_empty()).collect();
                if segs.len() > 1
                    && segs.last().is_some_and(|s| {
                        s.len() > 1
                            && s.starts_with('v')
                            && s[1..].chars().all(|c| c.is_ascii_digit())
                    })
                {
                    segs.pop();
                }
                segs.last().map(|s| s.to_string()).unwrap_or_default()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| ctx.folder_name(dir));
        let mut frameworks: Vec<String> = Vec::new();
        for (m, fw) in FRAMEWORKS {
            if requires
                .iter()
                .any(|r| r == m || r.starts_with(&format!("{m}/")))
            {
                frameworks.push(fw.to_string());
            }
        }
        let mut p = new_project(
            dir,
            name,
            Language::Go,
            path,
            ProjectRole::Library,
            "library: no package main in the module".into(),
            module_line,
        );
        if let Some((main_file, head)) = find_main(ctx, dir) {
            p.role = ProjectRole::Service;
            p.reason = format!("go module with package main ({})", rel(dir, &main_file));
            if head.contains("\"net/http\"") {
                frameworks.push("net/http".into());
            }
        }
        p.web = !frameworks.is_empty();
        p.frameworks = frameworks;
        let strength = if p.role == ProjectRole::Service { 3 } else { 0 };
        Some(Cand::new(p, strength))
    }

    /// The first `.go` file of the module (nested modules, testdata, vendor,
    /// examples and `_`/`.` folders excluded) that declares `package main`;
    /// `main.go` files first, `cmd/` next, at most [`MAX_SNIFFED_FILES`].
    fn find_main(ctx: &Ctx<'_>, dir: &str) -> Option<(String, String)> {
        let in_module = |path: &str| -> bool {
            let r = rel(dir, path);
            let segs: Vec<&str> = r.split('/').collect();
            let folders = &segs[..segs.len().saturating_sub(1)];
            if folders
                .iter()
                .any(|s| s.starts_with('_') || s.starts_with('.') || SKIP_DIRS.contains(s))
            {
                return false;
            }
            // Nested modules: any folder between the module and the file with a go.mod.
            let mut d = dir.to_string();
            for s in folders {
                d = join(&d, s);
                if ctx.go_modules.contains(&d) {
                    return false;
                }
            }
            true
        };
        let go_files: Vec<&str> = ctx
            .tree
            .files_under(dir)
            .map(|f| f.path.as_str())
            .filter(|p| p.ends_with(".go") && !p.ends_with("_test.go"))
            .filter(|p| in_module(p))
            .collect();
        let root_main = join(dir, "main.go");
        let cmd = join(dir, "cmd/");
        let mut ordered: Vec<&str> = Vec::new();
        ordered.extend(go_files.iter().filter(|p| **p == root_main));
        ordered.extend(
            go_files
                .iter()
                .filter(|p| **p != root_main && file_name(p) == "main.go" && p.starts_with(&cmd)),
        );
        ordered.extend(
            go_files
                .iter()
                .filter(|p| **p != root_main && file_name(p) == "main.go" && !p.starts_with(&cmd)),
        );
        ordered.extend(
            go_files
                .iter()
                .filter(|p| file_name(p) != "main.go" && p.starts_with(&cmd)),
        );
        ordered.extend(
            go_files
                .iter()
                .filter(|p| file_name(p) != "main.go" && !p.starts_with(&cmd)),
        );
        for path in ordered.into_iter().take(MAX_SNIFFED_FILES) {
            let Some(head) = ctx.sniff(path) else {
                continue;
            };
            if package_clause(&head).as_deref() == Some("main") && !build_ignored(&head) {
                return Some((path.to_string(), head));
            }
        }
        None
    }

    /// The package name of a Go file's package clause (comments skipped).
    pub fn package_clause(text: &str) -> Option<String> {
        let mut in_block = false;
        for line in text.lines() {
            let mut t = line.trim();
            if in_block {
                match t.find("*/") {
                    Some(e) => {
                        in_block = false;
                        t = t[e + 2..].trim();
                    }
                    None => continue,
                }
            }
            while t.starts_with("/*") {
                match t.find("*/") {
                    Some(e) => t = t[e + 2..].trim(),
                    None => {
                        in_block = true;
                        t = "";
                    }
                }
            }
            if t.is_empty() || t.starts_with("//") {
                continue;
            }
            let rest = t.strip_prefix("package")?;
            if !rest.starts_with(char::is_whitespace) {
                return None;
            }
            return rest
                .split_whitespace()
                .next()
                .map(|s| s.trim_end_matches(';').to_string());
        }
        None
    }

    /// `//go:build ignore` generators are not part of the build.
    fn build_ignored(head: &str) -> bool {
        head.lines()
            .take_while(|l| !l.trim_start().starts_with("package"))
            .any(|l| {
                let t = l.trim();
                (t.starts_with("//go:build") || t.starts_with("// +build"))
                    && contains_word(t, "ignore")
            })
    }
}

// ---------------------------------------------------------------------------
// Rust

mod rust {
    use super::*;

    const FRAMEWORKS: &[&str] = &[
        "actix-web",
        "axum",
        "rocket",
        "warp",
        "poem",
        "salvo",
        "tide",
        "tonic",
        "loco-rs",
        "ntex",
        "gotham",
    ];

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let path = join(dir, "Cargo.toml");
        let text = ctx.read(&path)?;
        let t = toml_parse(ctx, &path, &text)?;
        let section_line = |s: &str| line_where(&text, |l| l.trim() == s).unwrap_or(1);
        let package = t.get("package").and_then(|v| v.as_table());
        let Some(package) = package else {
            let name = ctx.folder_name(dir);
            if t.contains_key("workspace") {
                let p = new_project(
                    dir,
                    name,
                    Language::Rust,
                    path,
                    ProjectRole::WorkspaceRoot,
                    "Cargo workspace root (no [package])".into(),
                    section_line("[workspace]"),
                );
                return Some(Cand::new(p, 0));
            }
            let p = new_project(
                dir,
                name,
                Language::Rust,
                path,
                ProjectRole::Library,
                "library: Cargo.toml has no [package]".into(),
                1,
            );
            return Some(Cand::new(p, 0));
        };
        let name = package
            .get("name")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| ctx.folder_name(dir));
        let deps: Vec<String> = t
            .get("dependencies")
            .and_then(|v| v.as_table())
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        let frameworks: Vec<String> = FRAMEWORKS
            .iter()
            .filter(|f| deps.iter().any(|d| d == *f))
            .map(|f| f.to_string())
            .collect();
        let autobins = package
            .get("autobins")
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        let bins: Vec<String> = t
            .get("bin")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .map(|b| {
                        b.get("name")
                            .and_then(|n| n.as_str())
                            .unwrap_or("?")
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let main_rs = join(dir, "src/main.rs");
        let bin_dir = join(dir, "src/bin");
        let auto_bin = if !autobins {
            None
        } else if ctx.has(&main_rs) {
            Some("src/main.rs".to_string())
        } else {
            ctx.tree
                .files_under(&bin_dir)
                .find(|f| {
                    let r = rel(&bin_dir, &f.path);
                    (!r.contains('/') && r.ends_with(".rs"))
                        || r.ends_with("/main.rs") && r.matches('/').count() == 1
                })
                .map(|f| rel(dir, &f.path).to_string())
        };
        let mut p = new_project(
            dir,
            name.clone(),
            Language::Rust,
            path,
            ProjectRole::Library,
            "library: no binary target".into(),
            section_line("[package]"),
        );
        if name == "xtask" || file_name(dir) == "xtask" {
            p.reason = "library: cargo xtask build helper".into();
            return Some(Cand::new(p, 0));
        }
        if let Some(b) = &auto_bin {
            p.role = ProjectRole::Service;
            p.reason = format!("Rust binary target ({b})");
        } else if !bins.is_empty() {
            p.role = ProjectRole::Service;
            p.reason = format!("Rust binary target ([[bin]] {})", bins.join(", "));
            p.line = section_line("[[bin]]");
        }
        p.web = !frameworks.is_empty();
        p.frameworks = frameworks;
        let strength = if p.role == ProjectRole::Service { 3 } else { 0 };
        Some(Cand::new(p, strength))
    }
}

// ---------------------------------------------------------------------------
// Java / Kotlin: Maven and Gradle

mod java {
    use super::*;

    pub fn is_gradle(name: &str) -> bool {
        matches!(
            name,
            "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts"
        )
    }

    /// Dependencies (artifact ids or Gradle coordinates) that make an app a web server.
    const WEB_DEPS: &[(&str, &str)] = &[
        ("spring-boot-starter-web", "spring-boot"),
        ("spring-boot-starter-webflux", "spring-boot"),
        ("spring-boot-starter-jersey", "spring-boot"),
        ("quarkus-resteasy", "quarkus"),
        ("quarkus-rest", "quarkus"),
        ("quarkus-vertx-http", "quarkus"),
        ("quarkus-undertow", "quarkus"),
        ("micronaut-http-server", "micronaut"),
        ("ktor-server", "ktor"),
        ("javalin", "javalin"),
        ("dropwizard-core", "dropwizard"),
        ("vertx-web", "vertx"),
        ("helidon-webserver", "helidon"),
    ];

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str, files: &[String]) -> Vec<Cand> {
        let (ports, quarkus_image) = jvm_app_config(ctx, dir);
        let mut out = Vec::new();
        if files.iter().any(|p| file_name(p) == "pom.xml") {
            out.extend(maven(ctx, dir, &quarkus_image));
        }
        let build = ["build.gradle.kts", "build.gradle"]
            .iter()
            .map(|n| join(dir, n))
            .find(|p| files.contains(p));
        let settings = ["settings.gradle.kts", "settings.gradle"]
            .iter()
            .map(|n| join(dir, n))
            .find(|p| files.contains(p));
        if build.is_some() || settings.is_some() {
            out.extend(gradle(
                ctx,
                dir,
                build.as_deref(),
                settings.as_deref(),
                &quarkus_image,
            ));
        }
        for c in &mut out {
            if c.p.role == ProjectRole::Service {
                c.p.ports.extend(ports.iter().copied());
                c.p.web = c.p.web || !ports.is_empty();
            }
        }
        out
    }

    fn maven(ctx: &mut Ctx<'_>, dir: &str, quarkus_image: &Option<String>) -> Option<Cand> {
        let path = join(dir, "pom.xml");
        let text = ctx.read(&path)?;
        let (doc, err) = xml::parse(&text);
        if let Some((line, msg)) = err {
            ctx.syntax(
                &path,
                line,
                None,
                format!("pom.xml is not well-formed XML: {msg}"),
            );
        }
        let Some(project) = doc.root().filter(|r| doc.name(*r) == "project") else {
            ctx.syntax(&path, 1, None, "pom.xml has no <project> element".into());
            return None;
        };
        let name = doc
            .path_text(project, "artifactId")
            .map(str::to_string)
            .unwrap_or_else(|| ctx.folder_name(dir));
        let packaging = doc
            .path_text(project, "packaging")
            .unwrap_or("jar")
            .to_string();
        let modules: Vec<usize> = doc
            .path(project, "modules")
            .map(|m| doc.children(m, "module").collect())
            .unwrap_or_default();
        let parent_artifact = doc
            .path_text(project, "parent/artifactId")
            .unwrap_or("")
            .to_string();

        // Build plugins and dependencies, of the project and of its profiles.
        let mut scopes = vec![project];
        if let Some(profiles) = doc.child(project, "profiles") {
            scopes.extend(doc.children(profiles, "profile"));
        }
        let mut plugins: Vec<usize> = Vec::new();
        let mut deps: Vec<(String, u32)> = Vec::new();
        for s in &scopes {
            if let Some(pl) = doc.path(*s, "build/plugins") {
                plugins.extend(doc.children(pl, "plugin"));
            }
            if let Some(ds) = doc.child(*s, "dependencies") {
                for d in doc.children(ds, "dependency") {
                    if let Some(a) = doc.child(d, "artifactId") {
                        deps.push((doc.text(a).to_string(), doc.line(a)));
                    }
                }
            }
        }
        let plugin = |artifact: &str| {
            plugins
                .iter()
                .copied()
                .find(|p| doc.path_text(*p, "artifactId") == Some(artifact))
        };
        let plugin_line = |p: usize| {
            doc.child(p, "artifactId")
                .map(|a| doc.line(a))
                .unwrap_or_else(|| doc.line(p))
        };

        let mut frameworks: Vec<String> = Vec::new();
        let mut web = packaging == "war";
        let spring_parent = parent_artifact == "spring-boot-starter-parent";
        if spring_parent
            || deps
                .iter()
                .any(|(a, _)| a.starts_with("spring-boot-starter"))
            || plugin("spring-boot-maven-plugin").is_some()
        {
            frameworks.push("spring-boot".into());
        }
        if plugin("quarkus-maven-plugin").is_some()
            || deps.iter().any(|(a, _)| a.starts_with("quarkus-"))
        {
            frameworks.push("quarkus".into());
        }
        if plugin("micronaut-maven-plugin").is_some()
            || parent_artifact == "micronaut-parent"
            || deps.iter().any(|(a, _)| a.starts_with("micronaut-"))
        {
            frameworks.push("micronaut".into());
        }
        for (d, fw) in WEB_DEPS {
            if deps
                .iter()
                .any(|(a, _)| a == d || a.starts_with(&format!("{d}-")))
            {
                web = true;
                frameworks.push(fw.to_string());
            }
        }

        // Image builders.
        let mut builders: Vec<ImageBuilderConfig> = Vec::new();
        if let Some(j) = plugin("jib-maven-plugin") {
            let image = doc
                .path_text(j, "configuration/to/image")
                .map(str::to_string);
            builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::Jib,
                file: path.clone(),
                line: plugin_line(j),
                image,
            });
        }
        if let Some(sb) = plugin("spring-boot-maven-plugin") {
            let image_cfg = doc.path(sb, "configuration/image");
            let goal = doc
                .descendants(sb)
                .into_iter()
                .any(|n| doc.name(n) == "goal" && doc.text(n) == "build-image");
            if image_cfg.is_some() || goal {
                let image = image_cfg
                    .and_then(|i| doc.path_text(i, "name"))
                    .map(str::to_string);
                builders.push(ImageBuilderConfig {
                    tool: ImageBuilderTool::SpringBootBuildImage,
                    file: path.clone(),
                    line: plugin_line(sb),
                    image,
                });
            }
        }
        if let Some((_, line)) = deps
            .iter()
            .find(|(a, _)| a.starts_with("quarkus-container-image-"))
        {
            builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::Quarkus,
                file: path.clone(),
                line: *line,
                image: quarkus_image.clone(),
            });
        }

        let mut p = new_project(
            dir,
            name,
            Language::Java,
            path.clone(),
            ProjectRole::Library,
            String::new(),
            1,
        );
        p.image_builders = builders;
        let finish = |mut p: Project,
                      role: ProjectRole,
                      reason: String,
                      line: u32,
                      web: bool,
                      frameworks: Vec<String>| {
            p.role = role;
            p.reason = reason;
            p.line = line;
            p.web = web && p.role == ProjectRole::Service;
            p.frameworks = frameworks;
            p
        };
        if packaging == "pom" {
            let line = doc
                .path(project, "packaging")
                .map(|n| doc.line(n))
                .unwrap_or(1);
            if !modules.is_empty() {
                let p = finish(
                    p,
                    ProjectRole::Aggregator,
                    format!(
                        "Maven aggregator (packaging pom, {} modules)",
                        modules.len()
                    ),
                    line,
                    false,
                    frameworks,
                );
                return Some(Cand::new(p, 0));
            }
            let p = finish(
                p,
                ProjectRole::Library,
                "library: parent/BOM pom (packaging pom)".into(),
                line,
                false,
                frameworks,
            );
            return Some(Cand::new(p, 0));
        }
        let signals: [(Option<usize>, &str); 3] = [
            (
                plugin("spring-boot-maven-plugin"),
                "Spring Boot (spring-boot-maven-plugin)",
            ),
            (
                plugin("quarkus-maven-plugin"),
                "Quarkus (quarkus-maven-plugin)",
            ),
            (
                plugin("micronaut-maven-plugin"),
                "Micronaut (micronaut-maven-plugin)",
            ),
        ];
        for (pl, reason) in signals {
            if let Some(pl) = pl {
                let line = plugin_line(pl);
                let p = finish(
                    p,
                    ProjectRole::Service,
                    reason.into(),
                    line,
                    web || !reason.starts_with("Spring"),
                    frameworks,
                );
                return Some(Cand::new(p, 3));
            }
        }
        if spring_parent {
            if let Some((a, line)) = deps
                .iter()
                .find(|(a, _)| a.starts_with("spring-boot-starter-web"))
            {
                let p = finish(
                    p,
                    ProjectRole::Service,
                    format!("Spring Boot ({a})"),
                    *line,
                    true,
                    frameworks,
                );
                return Some(Cand::new(p, 3));
            }
        }
        if parent_artifact == "micronaut-parent" {
            let line = doc
                .path(project, "parent")
                .map(|n| doc.line(n))
                .unwrap_or(1);
            let p = finish(
                p,
                ProjectRole::Service,
                "Micronaut (micronaut-parent)".into(),
                line,
                true,
                frameworks,
            );
            return Some(Cand::new(p, 3));
        }
        if packaging == "war" {
            let line = doc
                .path(project, "packaging")
                .map(|n| doc.line(n))
                .unwrap_or(1);
            let p = finish(
                p,
                ProjectRole::Service,
                "war packaging (servlet container)".into(),
                line,
                true,
                frameworks,
            );
            return Some(Cand::new(p, 3));
        }
        // A main class in a plugin configuration or the properties.
        let mut main: Option<(String, u32)> = None;
        for pl in &plugins {
            if let Some(n) = doc.descendants(*pl).into_iter().find(|n| {
                matches!(doc.name(*n), "mainClass" | "Main-Class" | "mainClassName")
                    && !doc.text(*n).is_empty()
            }) {
                main = Some((doc.text(n).to_string(), doc.line(n)));
                break;
            }
        }
        if main.is_none() {
            if let Some(props) = doc.child(project, "properties") {
                if let Some(&n) = doc
                    .nodes
                    .get(props)
                    .map(|x| x.children.as_slice())
                    .unwrap_or(&[])
                    .iter()
                    .find(|n| {
                        let nm = doc.name(**n);
                        (nm == "start-class"
                            || nm.ends_with("mainClass")
                            || nm.ends_with("main.class"))
                            && !doc.text(**n).is_empty()
                    })
                {
                    main = Some((doc.text(n).to_string(), doc.line(n)));
                }
            }
        }
        if let Some((class, line)) = main {
            let p = finish(
                p,
                ProjectRole::Service,
                format!("Maven main class ({class})"),
                line,
                web,
                frameworks,
            );
            return Some(Cand::new(p, 2));
        }
        if let Some(j) = plugin("jib-maven-plugin") {
            let line = plugin_line(j);
            let p = finish(
                p,
                ProjectRole::Service,
                "Jib image build (jib-maven-plugin)".into(),
                line,
                web,
                frameworks,
            );
            return Some(Cand::new(p, 2));
        }
        let p = finish(
            p,
            ProjectRole::Library,
            "library: no Spring Boot/Quarkus/Micronaut plugin, war packaging or main class".into(),
            1,
            false,
            frameworks,
        );
        Some(Cand::new(p, 0))
    }

    #[derive(Default)]
    struct GradleFacts {
        /// Plugin ids applied at the top level, with their lines.
        plugins: Vec<(String, u32)>,
        jib_image: Option<String>,
        boot_build_image: Option<(u32, Option<String>)>,
        main_class: Option<u32>,
    }

    fn strip_comment(line: &str, in_block: &mut bool) -> String {
        let mut out = String::new();
        let mut rest = line;
        loop {
            if *in_block {
                match rest.find("*/") {
                    Some(e) => {
                        *in_block = false;
                        rest = &rest[e + 2..];
                    }
                    None => return out,
                }
            }
            let slash = rest
                .find("//")
                .filter(|i| *i == 0 || !rest[..*i].ends_with(':'));
            let block = rest.find("/*");
            match (slash, block) {
                (Some(s), Some(b)) if b < s => {
                    out.push_str(&rest[..b]);
                    *in_block = true;
                    rest = &rest[b + 2..];
                }
                (None, Some(b)) => {
                    out.push_str(&rest[..b]);
                    *in_block = true;
                    rest = &rest[b + 2..];
                }
                (Some(s), _) => {
                    out.push_str(&rest[..s]);
                    return out;
                }
                (None, None) => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }

    /// Plugin ids on one line of a `plugins {}` block (or an `apply plugin:`).
    fn plugin_ids(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        if line.contains("apply false") || line.contains("apply(false)") {
            return out;
        }
        let t = line
            .trim()
            .trim_start_matches("plugins")
            .trim()
            .trim_start_matches('{')
            .trim();
        for part in t.split(';') {
            let part = part.trim().trim_end_matches('}').trim();
            if part.is_empty() {
                continue;
            }
            if part.starts_with("id") || part.contains("plugin:") || part.contains("plugin =") {
                if let Some(q) = first_quoted(part) {
                    out.push(q.to_string());
                }
            } else if let Some(r) = part.strip_prefix("kotlin(") {
                if let Some(q) = first_quoted(r) {
                    out.push(format!("org.jetbrains.kotlin.{q}"));
                }
            } else if let Some(r) = part.strip_prefix("alias(") {
                out.push(format!(
                    "alias:{}",
                    r.split(')').next().unwrap_or("").trim()
                ));
            } else {
                let w = part
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_matches('`');
                if matches!(
                    w,
                    "application" | "java" | "war" | "java-library" | "groovy" | "scala"
                ) {
                    out.push(w.to_string());
                }
            }
        }
        out
    }

    fn scan_gradle_text(text: &str) -> GradleFacts {
        let mut f = GradleFacts::default();
        let mut stack: Vec<String> = Vec::new();
        let mut in_block_comment = false;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i as u32 + 1;
            let line = strip_comment(raw, &mut in_block_comment);
            let t = line.trim();
            let top = stack.first().map(String::as_str);
            let nested_in_other = stack.iter().any(|s| {
                s.starts_with("subprojects")
                    || s.starts_with("allprojects")
                    || s.starts_with("configure")
            });
            if !nested_in_other {
                let in_plugins = (stack.len() == 1 && top == Some("plugins"))
                    || (stack.is_empty() && t.starts_with("plugins"));
                let apply_plugin = stack.is_empty()
                    && t.starts_with("apply")
                    && t.contains("plugin")
                    && !t.contains("from");
                if in_plugins || apply_plugin {
                    for id in plugin_ids(t) {
                        f.plugins.push((id, line_no));
                    }
                }
                let in_jib = stack.iter().any(|s| s == "jib") || t.starts_with("jib");
                let in_to = stack.last().is_some_and(|s| s == "to")
                    || t.contains("to.image")
                    || t.contains("to {");
                if in_jib && in_to && t.contains("image") {
                    let after = &t[t.find("image").unwrap_or(0)..];
                    if let Some(q) = first_quoted(after) {
                        f.jib_image = Some(q.to_string());
                    }
                }
                let in_boot = stack.iter().any(|s| s.contains("bootBuildImage"));
                if !in_boot && t.contains("bootBuildImage") && f.boot_build_image.is_none() {
                    f.boot_build_image = Some((line_no, None));
                }
                if in_boot || t.contains("bootBuildImage") {
                    if let Some(i) = t.find("imageName") {
                        if let Some(q) = first_quoted(&t[i..]) {
                            let l = f.boot_build_image.as_ref().map(|b| b.0).unwrap_or(line_no);
                            f.boot_build_image = Some((l, Some(q.to_string())));
                        }
                    }
                }
                if (t.starts_with("mainClass") || t.starts_with("mainClassName"))
                    && f.main_class.is_none()
                {
                    f.main_class = Some(line_no);
                }
            }
            // Maintain the block stack.
            let mut seg_start = 0;
            for (ci, c) in line.char_indices() {
                match c {
                    '{' => {
                        let seg = line[seg_start..ci].trim();
                        let name = seg.rsplit([';', '}', '{']).next().unwrap_or("").trim();
                        let name = name.strip_prefix("tasks.").unwrap_or(name);
                        let word = if name.contains("bootBuildImage") {
                            "bootBuildImage"
                        } else {
                            name.split(['(', ' ', '.']).next().unwrap_or("")
                        };
                        stack.push(word.to_string());
                        seg_start = ci + 1;
                    }
                    '}' => {
                        stack.pop();
                        seg_start = ci + 1;
                    }
                    _ => {}
                }
            }
        }
        f
    }

    fn gradle(
        ctx: &mut Ctx<'_>,
        dir: &str,
        build: Option<&str>,
        settings: Option<&str>,
        quarkus_image: &Option<String>,
    ) -> Option<Cand> {
        let build_text = build.and_then(|b| ctx.read(b));
        let settings_text = settings.and_then(|s| ctx.read(s));
        let mut includes = 0usize;
        let mut root_name: Option<String> = None;
        if let Some(st) = &settings_text {
            let mut in_block = false;
            for raw in st.lines() {
                let l = strip_comment(raw, &mut in_block);
                let t = l.trim();
                if t.starts_with("include") && !t.starts_with("includeBuild") {
                    includes += all_quoted(t).len();
                }
                if t.starts_with("rootProject.name") {
                    root_name = first_quoted(t).map(str::to_string);
                }
            }
        }
        let manifest = build.or(settings)?.to_string();
        let name = root_name
            .filter(|_| true)
            .unwrap_or_else(|| ctx.folder_name(dir));
        let mut p = new_project(
            dir,
            name,
            Language::Java,
            manifest.clone(),
            ProjectRole::Library,
            String::new(),
            1,
        );
        let Some(text) = build_text else {
            if includes > 0 {
                p.role = ProjectRole::Aggregator;
                p.reason =
                    format!("Gradle multi-project root (settings includes {includes} projects)");
            } else {
                p.reason = "library: Gradle settings without a build script".into();
            }
            return Some(Cand::new(p, 0));
        };
        let facts = scan_gradle_text(&text);
        let lower = text.to_ascii_lowercase();
        let mut frameworks: Vec<String> = Vec::new();
        let mut web = facts.plugins.iter().any(|(id, _)| id == "war");
        for (d, fw) in WEB_DEPS {
            if lower.contains(d) {
                web = true;
                frameworks.push(fw.to_string());
            }
        }
        let has_plugin = |pred: &dyn Fn(&str) -> bool| {
            facts
                .plugins
                .iter()
                .find(|(id, _)| pred(id))
                .map(|(id, l)| (id.clone(), *l))
        };
        let alias_has = |id: &str, words: &[&str]| {
            id.starts_with("alias:") && words.iter().all(|w| id.to_ascii_lowercase().contains(w))
        };
        let spring = has_plugin(&|id| {
            id == "org.springframework.boot" || alias_has(id, &["spring", "boot"])
        });
        let quarkus = has_plugin(&|id| id == "io.quarkus" || alias_has(id, &["quarkus"]));
        let micronaut = has_plugin(&|id| {
            id == "io.micronaut.application"
                || id == "io.micronaut.minimal.application"
                || alias_has(id, &["micronaut", "application"])
        });
        let ktor = has_plugin(&|id| id == "io.ktor.plugin" || alias_has(id, &["ktor"]));
        let application = has_plugin(&|id| id == "application");
        let war = has_plugin(&|id| id == "war");
        let jib = has_plugin(&|id| id == "com.google.cloud.tools.jib" || alias_has(id, &["jib"]));
        let android = has_plugin(&|id| {
            id == "com.android.application" || alias_has(id, &["android", "application"])
        });
        for (sig, fw) in [
            (&spring, "spring-boot"),
            (&quarkus, "quarkus"),
            (&micronaut, "micronaut"),
            (&ktor, "ktor"),
        ] {
            if sig.is_some() {
                frameworks.push(fw.to_string());
            }
        }
        if let Some((_, line)) = &jib {
            p.image_builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::Jib,
                file: manifest.clone(),
                line: *line,
                image: facts.jib_image.clone(),
            });
        }
        if let Some((line, image)) = &facts.boot_build_image {
            p.image_builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::SpringBootBuildImage,
                file: manifest.clone(),
                line: *line,
                image: image.clone(),
            });
        }
        if let Some(line) = line_where(&text, |l| l.contains("quarkus-container-image-")) {
            p.image_builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::Quarkus,
                file: manifest.clone(),
                line,
                image: quarkus_image.clone(),
            });
        }
        p.frameworks = frameworks;
        if let Some((_, line)) = android {
            p.reason = "library: Android application, not a server".into();
            p.line = line;
            return Some(Cand::new(p, 0));
        }
        let signals = [
            (spring, "Spring Boot (org.springframework.boot plugin)", 3),
            (quarkus, "Quarkus (io.quarkus plugin)", 3),
            (micronaut, "Micronaut (io.micronaut.application plugin)", 3),
            (ktor, "Ktor (io.ktor.plugin)", 3),
            (war, "Gradle war plugin (servlet container)", 3),
            (application, "Gradle application plugin", 2),
            (jib, "Jib image build (com.google.cloud.tools.jib)", 2),
        ];
        for (sig, reason, strength) in signals {
            if let Some((_, line)) = sig {
                p.role = ProjectRole::Service;
                p.reason = reason.into();
                p.line = line;
                p.web = web || matches!(strength, 3) && !reason.starts_with("Spring");
                return Some(Cand::new(p, strength));
            }
        }
        if includes > 0 {
            p.role = ProjectRole::Aggregator;
            p.reason = format!("Gradle multi-project root (settings includes {includes} projects)");
            return Some(Cand::new(p, 0));
        }
        p.reason = "library: no Spring Boot/Quarkus/Micronaut/Ktor/application plugin".into();
        Some(Cand::new(p, 0))
    }
}

// ---------------------------------------------------------------------------
// .NET

mod dotnet {
    use super::*;

    pub fn is_project_file(name: &str) -> bool {
        let n = name.to_ascii_lowercase();
        n.ends_with(".csproj") || n.ends_with(".fsproj") || n.ends_with(".vbproj")
    }

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str, path: &str) -> Option<Cand> {
        let text = ctx.read(path)?;
        let (doc, err) = xml::parse(&text);
        if let Some((line, msg)) = err {
            ctx.syntax(
                path,
                line,
                None,
                format!("{} is not well-formed XML: {msg}", file_name(path)),
            );
        }
        let root = doc.root().filter(|r| doc.name(*r) == "Project")?;
        let fname = file_name(path);
        let name = fname
            .rsplit_once('.')
            .map(|(s, _)| s)
            .unwrap_or(fname)
            .to_string();
        let mut sdk = doc.attr(root, "Sdk").unwrap_or("").to_string();
        let mut sdk_line = doc.line(root);
        if sdk.is_empty() {
            if let Some(n) = doc.descendants(root).into_iter().find(|n| {
                matches!(doc.name(*n), "Sdk" | "Import")
                    && doc
                        .attr(*n, if doc.name(*n) == "Sdk" { "Name" } else { "Sdk" })
                        .is_some()
            }) {
                sdk = doc
                    .attr(n, "Name")
                    .or_else(|| doc.attr(n, "Sdk"))
                    .unwrap_or("")
                    .to_string();
                sdk_line = doc.line(n);
            }
        }
        let prop = |name: &str| -> Option<(String, u32)> {
            doc.children(root, "PropertyGroup")
                .flat_map(|g| doc.children(g, name).collect::<Vec<_>>())
                .find(|n| !doc.text(*n).is_empty())
                .map(|n| (doc.text(n).to_string(), doc.line(n)))
        };
        let is_true = |name: &str| prop(name).is_some_and(|(v, _)| v.eq_ignore_ascii_case("true"));
        let package_refs: Vec<String> = doc
            .children(root, "ItemGroup")
            .flat_map(|g| doc.children(g, "PackageReference").collect::<Vec<_>>())
            .filter_map(|n| doc.attr(n, "Include").map(str::to_string))
            .collect();
        let mut p = new_project(
            dir,
            name,
            Language::Dotnet,
            path.to_string(),
            ProjectRole::Library,
            String::new(),
            1,
        );
        if is_true("IsTestProject") || package_refs.iter().any(|r| r == "Microsoft.NET.Test.Sdk") {
            p.reason = "library: test project".into();
            return Some(Cand::new(p, 0));
        }
        if sdk.starts_with("Aspire.AppHost") || is_true("IsAspireHost") {
            p.reason = "library: .NET Aspire app host (orchestrates other projects)".into();
            return Some(Cand::new(p, 0));
        }
        if is_true("UseMaui") || is_true("UseWPF") || is_true("UseWindowsForms") {
            p.reason = "library: desktop/mobile app, not a server".into();
            return Some(Cand::new(p, 0));
        }
        let output = prop("OutputType");
        if sdk.eq_ignore_ascii_case("Microsoft.NET.Sdk.Web")
            || sdk.starts_with("Microsoft.NET.Sdk.BlazorWebAssembly")
        {
            p.role = ProjectRole::Service;
            p.reason = format!("ASP.NET Core (Sdk=\"{sdk}\")");
            p.line = sdk_line;
            p.web = true;
            p.frameworks.push("aspnetcore".into());
        } else if sdk.eq_ignore_ascii_case("Microsoft.NET.Sdk.Worker") {
            p.role = ProjectRole::Service;
            p.reason = "worker service (Sdk=\"Microsoft.NET.Sdk.Worker\")".into();
            p.line = sdk_line;
        } else if let Some((v, line)) = prop("AzureFunctionsVersion") {
            p.role = ProjectRole::Service;
            p.reason = format!("Azure Functions app ({v})");
            p.line = line;
            p.web = true;
            p.frameworks.push("azure-functions".into());
        } else if let Some((v, line)) = output
            .as_ref()
            .filter(|(v, _)| v.eq_ignore_ascii_case("Exe") || v.eq_ignore_ascii_case("WinExe"))
        {
            p.role = ProjectRole::Service;
            p.reason = format!("<OutputType>{v}</OutputType>");
            p.line = *line;
        } else {
            p.reason = "library: no Web SDK or Exe output".into();
            return Some(Cand::new(p, 0));
        }
        if package_refs
            .iter()
            .any(|r| r.starts_with("Microsoft.AspNetCore") || r.starts_with("Grpc.AspNetCore"))
        {
            p.web = true;
            p.frameworks.push("aspnetcore".into());
        }
        if let Some(ls) = ctx.read_quiet(&join(dir, "Properties/launchSettings.json")) {
            p.ports = launch_ports(&ls);
            p.web = p.web || !p.ports.is_empty();
        }
        Some(Cand::new(p, 3))
    }

    /// Ports from `applicationUrl` values of `launchSettings.json`.
    fn launch_ports(text: &str) -> Vec<u16> {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(profiles) = v.get("profiles").and_then(|p| p.as_object()) {
            for prof in profiles.values() {
                if let Some(urls) = prof.get("applicationUrl").and_then(|u| u.as_str()) {
                    out.extend(urls.split(';').filter_map(port_value));
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Ruby

mod ruby {
    use super::*;

    const FRAMEWORKS: &[(&str, &str, bool)] = &[
        ("rails", "rails", true),
        ("sinatra", "sinatra", true),
        ("hanami", "hanami", true),
        ("roda", "roda", true),
        ("grape", "grape", true),
        ("padrino", "padrino", true),
        ("puma", "puma", true),
        ("unicorn", "unicorn", true),
        ("sidekiq", "sidekiq", false),
        ("resque", "resque", false),
    ];

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let gemfile = join(dir, "Gemfile");
        let config_ru = join(dir, "config.ru");
        let app_rb = join(dir, "config/application.rb");
        let text = if ctx.has(&gemfile) {
            ctx.read(&gemfile)
        } else {
            None
        };
        let mut gems: Vec<(String, u32)> = Vec::new();
        let mut gemspec: Option<u32> = None;
        if let Some(t) = &text {
            for (i, line) in t.lines().enumerate() {
                let l = line.trim();
                if let Some(r) = l.strip_prefix("gem ").or_else(|| l.strip_prefix("gem(")) {
                    if let Some(q) = first_quoted(r) {
                        gems.push((q.to_string(), i as u32 + 1));
                    }
                } else if l == "gemspec" || l.starts_with("gemspec ") || l.starts_with("gemspec(") {
                    gemspec = Some(i as u32 + 1);
                }
            }
        }
        let manifest = if ctx.has(&gemfile) {
            gemfile.clone()
        } else {
            config_ru.clone()
        };
        let has_ru = ctx.has(&config_ru);
        let has_app = ctx.has(&app_rb);
        let mut p = new_project(
            dir,
            ctx.folder_name(dir),
            Language::Ruby,
            manifest,
            ProjectRole::Library,
            String::new(),
            1,
        );
        let mut web = false;
        let mut first: Option<(String, u32, bool)> = None;
        for (g, fw, is_web) in FRAMEWORKS {
            if let Some((_, line)) = gems.iter().find(|(n, _)| n == g) {
                p.frameworks.push(fw.to_string());
                web |= *is_web;
                if first.is_none() {
                    first = Some((fw.to_string(), *line, *is_web));
                }
            }
        }
        if has_app {
            p.frameworks.push("rails".into());
            web = true;
        }
        if gemspec.is_some() && !has_app && !has_ru {
            p.reason = "library: Gemfile defers to a gemspec".into();
            p.line = gemspec.unwrap_or(1);
            return Some(Cand::new(p, 0));
        }
        p.web = web || has_ru;
        if has_app {
            p.role = ProjectRole::Service;
            p.reason = "Rails (config/application.rb)".into();
            p.line = gems
                .iter()
                .find(|(n, _)| n == "rails")
                .map(|g| g.1)
                .unwrap_or(1);
        } else if let Some((fw, line, _)) = first {
            p.role = ProjectRole::Service;
            p.reason = format!("{fw} in Gemfile");
            p.line = line;
        } else if has_ru {
            p.role = ProjectRole::Service;
            p.reason = "Rack app (config.ru)".into();
            p.frameworks.push("rack".into());
        } else {
            p.reason = "library: no Rails/Sinatra/Rack app".into();
            return Some(Cand::new(p, 0));
        }
        if let Some(puma) = ctx.read_quiet(&join(dir, "config/puma.rb")) {
            for l in puma
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("port ") || l.starts_with("port("))
            {
                let digits: String = l
                    .chars()
                    .skip_while(|c| !c.is_ascii_digit())
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                p.ports
                    .extend(digits.parse::<u16>().ok().filter(|p| *p > 0));
            }
        }
        Some(Cand::new(p, 3))
    }
}

// ---------------------------------------------------------------------------
// PHP

mod php {
    use super::*;

    const FRAMEWORKS: &[(&str, &str)] = &[
        ("laravel/framework", "laravel"),
        ("laravel/lumen-framework", "lumen"),
        ("symfony/framework-bundle", "symfony"),
        ("slim/slim", "slim"),
        ("laminas/laminas-mvc", "laminas"),
        ("cakephp/cakephp", "cakephp"),
        ("yiisoft/yii2", "yii"),
        ("codeigniter4/framework", "codeigniter"),
    ];

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let composer = join(dir, "composer.json");
        let artisan = join(dir, "artisan");
        let index = join(dir, "public/index.php");
        let mut requires: Vec<String> = Vec::new();
        let mut name = None;
        let mut kind = String::new();
        let mut text = String::new();
        if ctx.has(&composer) {
            if let Some(t) = ctx.read(&composer) {
                if let Some(m) = json_parse(ctx, &composer, &t) {
                    requires = str_keys(m.get("require"));
                    name = m
                        .get("name")
                        .and_then(|v| v.as_str())
                        .map(|n| n.rsplit('/').next().unwrap_or(n).to_string());
                    kind = m
                        .get("type")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string();
                } else if !ctx.has(&artisan) {
                    return None;
                }
                text = t;
            }
        }
        let manifest = if ctx.has(&composer) {
            composer.clone()
        } else {
            artisan.clone()
        };
        let name = name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| ctx.folder_name(dir));
        let mut p = new_project(
            dir,
            name,
            Language::Php,
            manifest,
            ProjectRole::Library,
            String::new(),
            1,
        );
        let mut first: Option<(&str, u32)> = None;
        for (pkg, fw) in FRAMEWORKS {
            if requires.iter().any(|r| r == pkg) {
                p.frameworks.push(fw.to_string());
                if first.is_none() {
                    first = Some((fw, json_key_line(&text, Some("require"), pkg).unwrap_or(1)));
                }
            }
        }
        let has_artisan = ctx.has(&artisan);
        let has_index = ctx.has(&index);
        if has_artisan {
            p.frameworks.push("laravel".into());
        }
        p.web = true;
        if has_artisan {
            p.role = ProjectRole::Service;
            p.reason = "Laravel (artisan)".into();
            p.line = first.map(|f| f.1).unwrap_or(1);
        } else if has_index {
            p.role = ProjectRole::Service;
            p.reason = match first {
                Some((fw, _)) => format!("{fw} app (public/index.php)"),
                None => "PHP web app (public/index.php)".into(),
            };
            p.line = first.map(|f| f.1).unwrap_or(1);
        } else if let Some((fw, line)) = first.filter(|_| {
            kind != "library" && !kind.ends_with("-bundle") && !kind.ends_with("-plugin")
        }) {
            p.role = ProjectRole::Service;
            p.reason = format!("{fw} in composer.json");
            p.line = line;
        } else {
            p.web = false;
            p.reason = "library: no Laravel/Symfony app or public/index.php".into();
            return Some(Cand::new(p, 0));
        }
        Some(Cand::new(p, 3))
    }
}

// ---------------------------------------------------------------------------
// Elixir

mod elixir {
    use super::*;

    pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
        let path = join(dir, "mix.exs");
        let text = ctx.read(&path)?;
        let find = |needle: &str| {
            line_where(&text, |l| {
                l.contains(needle) && !l.trim_start().starts_with('#')
            })
        };
        let name = text
            .find("app:")
            .and_then(|i| {
                let r = text[i + 4..].trim_start().strip_prefix(':')?;
                let n: String = r
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                (!n.is_empty()).then_some(n)
            })
            .unwrap_or_else(|| ctx.folder_name(dir));
        let mut p = new_project(
            dir,
            name,
            Language::Elixir,
            path,
            ProjectRole::Library,
            String::new(),
            1,
        );
        if let Some(line) = find("apps_path:") {
            p.role = ProjectRole::WorkspaceRoot;
            p.reason = "Elixir umbrella project (apps_path)".into();
            p.line = line;
            return Some(Cand::new(p, 0));
        }
        let phoenix = find("{:phoenix,");
        let module = find("mod:");
        let package = find("package:");
        if phoenix.is_some() {
            p.frameworks.push("phoenix".into());
        }
        for (dep, fw) in [("{:plug_cowboy", "plug"), ("{:bandit", "bandit")] {
            if find(dep).is_some() {
                p.frameworks.push(fw.into());
            }
        }
        p.web = !p.frameworks.is_empty();
        if package.is_some() {
            p.web = false;
            p.reason = "library: Hex package (package: metadata)".into();
            p.line = package.unwrap_or(1);
            return Some(Cand::new(p, 0));
        }
        if let Some(line) = phoenix {
            p.role = ProjectRole::Service;
            p.reason = "Phoenix (mix.exs)".into();
            p.line = line;
            return Some(Cand::new(p, 3));
        }
        if let Some(line) = module {
            p.role = ProjectRole::Service;
            p.reason = "OTP application with a start module (mod:)".into();
            p.line = line;
            return Some(Cand::new(p, 2));
        }
        p.reason = "library: no Phoenix dependency or application mod:".into();
        Some(Cand::new(p, 0))
    }
}

// ---------------------------------------------------------------------------
// Procfile

mod procfile {
    use super::*;

    fn language_of(cmd: &str) -> Option<Language> {
        let words: Vec<&str> = cmd
            .split_whitespace()
            .filter(|w| !w.contains('='))
            .collect();
        let first = words.first().copied().unwrap_or("");
        let first = if first == "exec" || first == "bundle" && words.get(1) == Some(&"exec") {
            words
                .get(if first == "exec" { 1 } else { 2 })
                .copied()
                .unwrap_or(first)
        } else {
            first
        };
        Some(match first {
            "gunicorn" | "uvicorn" | "python" | "python3" | "daphne" | "hypercorn"
            | "waitress-serve" | "celery" | "streamlit" | "flask" | "granian" => Language::Python,
            "node" | "npm" | "yarn" | "pnpm" | "npx" | "next" | "bun" | "nuxt" => Language::Node,
            "bundle" | "rails" | "puma" | "rackup" | "unicorn" | "ruby" | "sidekiq"
            | "bin/rails" => Language::Ruby,
            "java" => Language::Java,
            "dotnet" => Language::Dotnet,
            "php"
            | "heroku-php-apache2"
            | "heroku-php-nginx"
            | "vendor/bin/heroku-php-apache2"
            | "vendor/bin/heroku-php-nginx" => Language::Php,
            "mix" | "elixir" => Language::Elixir,
            _ => return None,
        })
    }

    pub fn apply(ctx: &mut Ctx<'_>, dir: &str, cands: &mut Vec<Cand>) {
        let path = join(dir, "Procfile");
        let Some(text) = ctx.read(&path) else { return };
        let Some((line, cmd)) = text.lines().enumerate().find_map(|(i, l)| {
            let t = l.trim();
            t.strip_prefix("web:")
                .map(|c| (i as u32 + 1, c.trim().to_string()))
        }) else {
            return;
        };
        let lang = language_of(&cmd);
        let ports = ports_in_command(&cmd);
        let target = match lang {
            Some(l) => cands.iter_mut().find(|c| c.p.language == l),
            None => cands.iter_mut().max_by_key(|c| role_rank(&c.p.role)),
        };
        if let Some(c) = target {
            if c.p.role != ProjectRole::Service {
                c.p.role = ProjectRole::Service;
                c.p.reason = format!("Procfile web process: `{}`", short_cmd(&cmd));
                c.p.line = 1;
            }
            c.p.web = true;
            c.p.ports.extend(ports);
            c.strength = c.strength.max(3);
            return;
        }
        if let Some(l) = lang {
            let mut p = new_project(
                dir,
                ctx.folder_name(dir),
                l,
                path.clone(),
                ProjectRole::Service,
                format!("Procfile web process: `{}`", short_cmd(&cmd)),
                line,
            );
            p.web = true;
            p.ports = ports;
            cands.push(Cand::new(p, 3));
        }
    }
}

// ---------------------------------------------------------------------------
// Image builders configured outside the language manifests

mod builders {
    use super::*;

    /// The module folders (relative to the config's folder) that the
    /// `builds:` of a `.ko.yaml` build; a build without `dir:` builds the
    /// module of the config's own folder, as does a config without builds.
    fn ko_build_dirs(text: &str) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = Vec::new();
        let mut in_builds = false;
        let mut entry: Option<(Option<String>, u32)> = None;
        let mut saw_builds = false;
        let flush = |entry: &mut Option<(Option<String>, u32)>, out: &mut Vec<(String, u32)>| {
            if let Some((d, l)) = entry.take() {
                out.push((d.unwrap_or_default(), l));
            }
        };
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if indent == 0 && !t.starts_with('-') {
                flush(&mut entry, &mut out);
                in_builds = t.starts_with("builds:");
                saw_builds |= in_builds;
                continue;
            }
            if !in_builds {
                continue;
            }
            let body = if let Some(b) = t.strip_prefix("- ") {
                flush(&mut entry, &mut out);
                entry = Some((None, i as u32 + 1));
                b.trim()
            } else {
                t
            };
            if let Some(v) = body.strip_prefix("dir:") {
                let v = v.trim().trim_matches(['"', '\'']);
                let d: Vec<&str> = v
                    .split('/')
                    .filter(|s| !s.is_empty() && *s != ".")
                    .collect();
                if let Some(e) = entry.as_mut() {
                    e.0 = Some(d.join("/"));
                    e.1 = i as u32 + 1;
                }
            }
        }
        flush(&mut entry, &mut out);
        if !saw_builds {
            out.push((String::new(), 1));
        }
        out
    }

    pub fn attach(ctx: &mut Ctx<'_>, projects: &mut [Project]) {
        let ko_files: Vec<String> = ctx
            .tree
            .files()
            .iter()
            .filter(|f| file_name(&f.path) == ".ko.yaml")
            .map(|f| f.path.clone())
            .take(MAX_SNIFFED_FILES)
            .collect();
        let mut ko_targets: BTreeMap<String, (String, u32)> = BTreeMap::new();
        for f in &ko_files {
            let Some(text) = ctx.read_quiet(f) else {
                continue;
            };
            for (d, line) in ko_build_dirs(&text) {
                ko_targets
                    .entry(join(parent_dir(f), &d))
                    .or_insert((f.clone(), line));
            }
        }
        for p in projects.iter_mut() {
            if p.language == Language::Go {
                if let Some((file, line)) = ko_targets.get(&p.dir) {
                    p.image_builders.push(ImageBuilderConfig {
                        tool: ImageBuilderTool::Ko,
                        file: file.clone(),
                        line: *line,
                        image: None,
                    });
                }
            }
            let pt = join(&p.dir, "project.toml");
            if let Some(text) = ctx.read_quiet(&pt) {
                if text.contains("buildpacks")
                    || text.contains("[_]")
                    || text.contains("[[build.")
                    || text.contains("[build]")
                {
                    let line = line_where(&text, |l| l.contains("buildpacks") || l.trim() == "[_]")
                        .unwrap_or(1);
                    p.image_builders.push(ImageBuilderConfig {
                        tool: ImageBuilderTool::Buildpacks,
                        file: pt,
                        line,
                        image: None,
                    });
                }
            }
            let nx = join(&p.dir, "nixpacks.toml");
            if ctx.has(&nx) {
                p.image_builders.push(ImageBuilderConfig {
                    tool: ImageBuilderTool::Nixpacks,
                    file: nx,
                    line: 1,
                    image: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::WalkOptions;
    use std::fs;

    fn scan(files: &[(&str, &str)]) -> (Vec<Project>, Vec<ParseProblem>) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        scan_projects(&tree)
    }

    fn projects(files: &[(&str, &str)]) -> Vec<Project> {
        let (p, problems) = scan(files);
        assert!(problems.is_empty(), "unexpected problems: {problems:?}");
        p
    }

    fn at<'a>(ps: &'a [Project], dir: &str) -> &'a Project {
        ps.iter()
            .find(|p| p.dir == dir)
            .unwrap_or_else(|| panic!("no project at {dir:?} in {ps:#?}"))
    }

    // ---- Node.js

    #[test]
    fn node_start_script_and_framework() {
        let ps = projects(&[(
            "api/package.json",
            "{\n  \"name\": \"@acme/api\",\n  \"scripts\": {\n    \"test\": \"jest\",\n    \"start\": \"PORT=3000 node server.js\"\n  },\n  \"dependencies\": { \"express\": \"^4\" }\n}\n",
        )]);
        let p = at(&ps, "api");
        assert_eq!(p.role, ProjectRole::Service);
        assert_eq!(p.name, "api");
        assert_eq!(p.language, Language::Node);
        assert_eq!(p.manifest, "api/package.json");
        assert_eq!(p.frameworks, vec!["express"]);
        assert!(p.web);
        assert_eq!(p.ports, vec![3000]);
        assert_eq!(p.line, 5);
        assert!(p.reason.contains("start script"), "{}", p.reason);
    }

    #[test]
    fn node_framework_without_start_script_is_a_service() {
        let ps = projects(&[(
            "web/package.json",
            r#"{"name":"web","scripts":{"dev":"next dev -p 4000","build":"next build"},"dependencies":{"next":"14","react":"18"}}"#,
        )]);
        let p = at(&ps, "web");
        assert_eq!(p.role, ProjectRole::Service);
        assert_eq!(p.frameworks, vec!["next"]);
        assert_eq!(p.ports, vec![4000]);
    }

    #[test]
    fn node_libraries() {
        let ps = projects(&[
            (
                "lib/package.json",
                r#"{"name":"left-pad","main":"index.js","scripts":{"test":"jest","build":"tsc"}}"#,
            ),
            (
                "watch/package.json",
                r#"{"name":"w","main":"dist/index.js","scripts":{"start":"tsc --watch"}}"#,
            ),
            (
                "plugin/package.json",
                r#"{"name":"express-rate-thing","main":"index.js","peerDependencies":{"express":"4"},"dependencies":{"express":"4"}}"#,
            ),
            (
                "cli/package.json",
                r#"{"name":"tool","bin":{"tool":"cli.js"}}"#,
            ),
            (
                "site/package.json",
                r#"{"name":"site","scripts":{"start":"docusaurus start"},"dependencies":{"@docusaurus/core":"3"}}"#,
            ),
            (
                "desk/package.json",
                r#"{"name":"desk","scripts":{"start":"electron ."},"devDependencies":{"electron":"30"}}"#,
            ),
        ]);
        for d in ["lib", "watch", "plugin", "cli", "site", "desk"] {
            assert_eq!(
                at(&ps, d).role,
                ProjectRole::Library,
                "{d}: {}",
                at(&ps, d).reason
            );
            assert!(
                at(&ps, d).reason.starts_with("library:"),
                "{d}: {}",
                at(&ps, d).reason
            );
        }
    }

    #[test]
    fn vite_app_vs_vite_library() {
        let ps = projects(&[
            (
                "app/package.json",
                r#"{"name":"app","private":true,"scripts":{"dev":"vite","build":"vite build","preview":"vite preview --port 5000"},"devDependencies":{"vite":"5"}}"#,
            ),
            ("app/index.html", "<html></html>"),
            (
                "ui/package.json",
                r#"{"name":"ui-kit","exports":{".":"./dist/index.js"},"scripts":{"dev":"vite","build":"vite build"},"devDependencies":{"vite":"5"}}"#,
            ),
        ]);
        let app = at(&ps, "app");
        assert_eq!(app.role, ProjectRole::Service);
        assert_eq!(app.frameworks, vec!["vite"]);
        assert_eq!(app.ports, vec![5000]);
        assert_eq!(at(&ps, "ui").role, ProjectRole::Library);
    }

    #[test]
    fn node_workspace_roots_are_not_services() {
        let ps = projects(&[
            (
                "package.json",
                r#"{"name":"mono","private":true,"workspaces":["packages/*"],"scripts":{"start":"turbo run start"}}"#,
            ),
            (
                "packages/api/package.json",
                r#"{"name":"api","scripts":{"start":"node index.js"}}"#,
            ),
            (
                "other/package.json",
                r#"{"name":"other","scripts":{"start":"node x.js"}}"#,
            ),
            ("other/pnpm-workspace.yaml", "packages:\n  - apps/*\n"),
        ]);
        assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
        assert_eq!(at(&ps, "").name, "mono");
        assert_eq!(at(&ps, "packages/api").role, ProjectRole::Service);
        assert_eq!(at(&ps, "other").role, ProjectRole::WorkspaceRoot);
        assert_eq!(
            ps.iter().map(|p| p.dir.as_str()).collect::<Vec<_>>(),
            vec!["", "other", "packages/api"]
        );
    }

    #[test]
    fn malformed_package_json_is_a_problem_and_detection_goes_on() {
        let (ps, problems) = scan(&[
            (
                "web/package.json",
                "{\n  \"name\": \"web\",\n  \"scripts\": { \"start\": \"node x\", }\n}\n",
            ),
            ("svc/go.mod", "module example.com/svc\n"),
            ("svc/main.go", "package main\nfunc main() {}\n"),
        ]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, "web/package.json");
        assert_eq!(problems[0].kind, ProblemKind::Syntax);
        assert_eq!(problems[0].line, 3);
        assert!(ps.iter().all(|p| p.dir != "web"));
        assert_eq!(at(&ps, "svc").role, ProjectRole::Service);
    }

    #[test]
    fn non_utf8_manifest_is_unreadable_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("package.json"), b"{\"name\": \"x\xff\"}").unwrap();
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        let (ps, problems) = scan_projects(&tree);
        assert!(ps.is_empty());
        assert_eq!(problems[0].kind, ProblemKind::Unreadable);
    }

    // ---- Python

    #[test]
    fn django_beside_asset_package_json_is_one_python_service() {
        let ps = projects(&[
            ("manage.py", "#!/usr/bin/env python\nimport os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"),
            ("requirements.txt", "# deps\nDjango==5.0\npsycopg[binary]>=3\n"),
            ("package.json", r#"{"name":"assets","scripts":{"build":"webpack","start":"webpack serve"},"devDependencies":{"webpack":"5"}}"#),
        ]);
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let p = &ps[0];
        assert_eq!(p.language, Language::Python);
        assert_eq!(p.reason, "Django (manage.py)");
        assert_eq!(p.manifest, "requirements.txt");
        assert_eq!(p.line, 2);
        assert!(p.frameworks.contains(&"django".to_string()));
        assert!(p.web);
    }

    #[test]
    fn python_framework_dependencies() {
        let ps = projects(&[
            ("api/pyproject.toml", "[project]\nname = \"api\"\ndependencies = [\n  \"fastapi>=0.110\",\n  \"uvicorn[standard]\",\n]\n"),
            ("worker/Pipfile", "[packages]\ncelery = \"*\"\n"),
            ("poetry/pyproject.toml", "[tool.poetry]\nname = \"shop\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\nFlask = \"^3\"\n"),
            ("cfg/setup.cfg", "[metadata]\nname = svc\n[options]\ninstall_requires =\n    requests\n    gunicorn>=21\n"),
            ("sp/setup.py", "from setuptools import setup\nsetup(\n    name='sp',\n    install_requires=['tornado>=6', 'click'],\n)\n"),
            ("sp/requirements.txt", "tornado\n"),
        ]);
        let api = at(&ps, "api");
        assert_eq!(api.role, ProjectRole::Service);
        assert_eq!(api.frameworks, vec!["fastapi", "uvicorn"]);
        assert_eq!(api.line, 4);
        assert_eq!(api.reason, "fastapi in pyproject.toml");
        let w = at(&ps, "worker");
        assert_eq!(w.role, ProjectRole::Service);
        assert!(!w.web);
        assert_eq!(at(&ps, "poetry").name, "shop");
        assert_eq!(at(&ps, "poetry").frameworks, vec!["flask"]);
        assert_eq!(at(&ps, "cfg").role, ProjectRole::Service);
        assert_eq!(at(&ps, "cfg").line, 6);
        assert_eq!(at(&ps, "sp").role, ProjectRole::Service);
    }

    #[test]
    fn python_libraries() {
        let ps = projects(&[
            ("lib/pyproject.toml", "[project]\nname = \"lib\"\ndependencies = [\"requests\"]\n[project.scripts]\nlib = \"lib:main\"\n"),
            ("ext/pyproject.toml", "[project]\nname = \"django-widgets\"\ndependencies = [\"django>=4\"]\n"),
            ("client/pyproject.toml", "[project]\nname = \"client\"\ndependencies = [\"aiohttp\"]\n"),
            ("devonly/setup.py", "setup(name='x', install_requires=['click'])\n"),
            ("devonly/requirements-dev.txt", "flask\npytest\n"),
        ]);
        for d in ["lib", "ext", "client", "devonly"] {
            assert_eq!(
                at(&ps, d).role,
                ProjectRole::Library,
                "{d}: {}",
                at(&ps, d).reason
            );
        }
        assert!(at(&ps, "lib").reason.contains("console scripts"));
        assert!(at(&ps, "ext").reason.contains("django extension"));
    }

    #[test]
    fn python_entry_point_and_requirements_includes() {
        let ps = projects(&[
            ("svc/requirements.txt", "-r requirements/base.txt\n"),
            ("svc/requirements/base.txt", "streamlit==1.30\n"),
            ("bot/requirements.txt", "requests\n"),
            (
                "bot/app.py",
                "from flask import Flask\napp = Flask(__name__)\n",
            ),
        ]);
        assert_eq!(at(&ps, "svc").role, ProjectRole::Service);
        assert_eq!(at(&ps, "svc").frameworks, vec!["streamlit"]);
        let bot = at(&ps, "bot");
        assert_eq!(bot.role, ProjectRole::Service);
        assert_eq!(bot.reason, "Python entry point app.py (flask)");
        assert!(bot.web);
    }

    #[test]
    fn nested_manage_py_folds_into_the_enclosing_python_project() {
        let ps = projects(&[
            ("requirements.txt", "django\n"),
            ("mysite/manage.py", "import django\n"),
            ("mysite/mysite/settings.py", ""),
        ]);
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!(ps[0].dir, "");
        assert_eq!(ps[0].reason, "Django (mysite/manage.py)");
    }

    #[test]
    fn malformed_pyproject_reports_line() {
        let (ps, problems) = scan(&[
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\ndependencies = [\n",
            ),
            ("requirements.txt", "flask\n"),
        ]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Syntax);
        assert!(problems[0].line >= 3, "{problems:?}");
        assert_eq!(ps[0].role, ProjectRole::Service);
    }

    // ---- Go

    #[test]
    fn go_module_with_package_main() {
        let ps = projects(&[
            ("svc/go.mod", "// comment\nmodule github.com/acme/payments/v2\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n"),
            ("svc/internal/x.go", "package internal\n"),
            ("svc/cmd/api/main.go", "// Copyright\n/* block\n comment */\npackage main\n\nimport \"net/http\"\n"),
        ]);
        let p = at(&ps, "svc");
        assert_eq!(p.role, ProjectRole::Service);
        assert_eq!(p.name, "payments");
        assert_eq!(p.reason, "go module with package main (cmd/api/main.go)");
        assert_eq!(p.line, 2);
        assert_eq!(p.frameworks, vec!["gin", "net/http"]);
        assert!(p.web);
    }

    #[test]
    fn go_library_nested_module_testdata_and_ignored_generators() {
        let ps = projects(&[
            ("go.mod", "module example.com/lib\n"),
            ("lib.go", "package lib\n"),
            ("gen.go", "//go:build ignore\n\npackage main\n"),
            ("testdata/prog/main.go", "package main\n"),
            ("examples/hello/main.go", "package main\n"),
            ("tools/go.mod", "module example.com/lib/tools\n"),
            ("tools/cmd/gen/main.go", "package main\n"),
        ]);
        let root = at(&ps, "");
        assert_eq!(root.role, ProjectRole::Library, "{}", root.reason);
        assert_eq!(root.reason, "library: no package main in the module");
        let tools = at(&ps, "tools");
        assert_eq!(tools.role, ProjectRole::Service);
        assert_eq!(tools.name, "tools");
    }

    #[test]
    fn go_package_clause() {
        assert_eq!(
            golang::package_clause("// a\n\n/* b */ package main // x\n").as_deref(),
            Some("main")
        );
        assert_eq!(
            golang::package_clause("/*\n package main\n*/\npackage foo\n").as_deref(),
            Some("foo")
        );
        assert_eq!(golang::package_clause("packagemain\n"), None);
    }

    // ---- Rust

    #[test]
    fn rust_binary_library_and_workspace() {
        let ps = projects(&[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            (
                "crates/server/Cargo.toml",
                "[package]\nname = \"server\"\n\n[dependencies]\naxum = \"0.7\"\n",
            ),
            ("crates/server/src/main.rs", "fn main() {}\n"),
            ("crates/core/Cargo.toml", "[package]\nname = \"core\"\n"),
            ("crates/core/src/lib.rs", ""),
            (
                "crates/tool/Cargo.toml",
                "[package]\nname = \"tool\"\n\n[[bin]]\nname = \"tool\"\npath = \"cli.rs\"\n",
            ),
            ("crates/multi/Cargo.toml", "[package]\nname = \"multi\"\n"),
            ("crates/multi/src/bin/worker.rs", "fn main() {}\n"),
            ("xtask/Cargo.toml", "[package]\nname = \"xtask\"\n"),
            ("xtask/src/main.rs", "fn main() {}\n"),
        ]);
        assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
        let s = at(&ps, "crates/server");
        assert_eq!(s.role, ProjectRole::Service);
        assert_eq!(s.reason, "Rust binary target (src/main.rs)");
        assert_eq!(s.frameworks, vec!["axum"]);
        assert!(s.web);
        assert_eq!(at(&ps, "crates/core").role, ProjectRole::Library);
        assert_eq!(at(&ps, "crates/core").reason, "library: no binary target");
        assert_eq!(at(&ps, "crates/tool").role, ProjectRole::Service);
        assert_eq!(at(&ps, "crates/tool").line, 4);
        assert_eq!(
            at(&ps, "crates/multi").reason,
            "Rust binary target (src/bin/worker.rs)"
        );
        assert_eq!(at(&ps, "xtask").role, ProjectRole::Library);
    }

    #[test]
    fn malformed_cargo_toml_is_a_problem() {
        let (ps, problems) = scan(&[("Cargo.toml", "[package]\nname = \"x\"\nversion = \n")]);
        assert!(ps.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
    }

    // ---- Java / Kotlin

    const SPRING_POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <artifactId>orders</artifactId>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
      <plugin>
        <groupId>com.google.cloud.tools</groupId>
        <artifactId>jib-maven-plugin</artifactId>
        <configuration>
          <from><image>eclipse-temurin:21</image></from>
          <to><image>ghcr.io/acme/orders</image></to>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    #[test]
    fn maven_spring_boot_with_jib() {
        let ps = projects(&[
            ("orders/pom.xml", SPRING_POM),
            (
                "orders/src/main/resources/application.yml",
                "spring:\n  application:\n    name: orders\nserver:\n  port: 8081\n",
            ),
        ]);
        let p = at(&ps, "orders");
        assert_eq!(p.role, ProjectRole::Service);
        assert_eq!(p.language, Language::Java);
        assert_eq!(p.name, "orders");
        assert_eq!(p.reason, "Spring Boot (spring-boot-maven-plugin)");
        assert_eq!(p.line, 15);
        assert!(p.web);
        assert_eq!(p.frameworks, vec!["spring-boot"]);
        assert_eq!(p.ports, vec![8081]);
        assert_eq!(
            p.image_builders,
            vec![ImageBuilderConfig {
                tool: ImageBuilderTool::Jib,
                file: "orders/pom.xml".into(),
                line: 19,
                image: Some("ghcr.io/acme/orders".into())
            }]
        );
    }

    #[test]
    fn maven_aggregator_library_and_main_class() {
        let ps = projects(&[
            ("pom.xml", "<project><artifactId>parent</artifactId><packaging>pom</packaging><modules><module>core</module><module>app</module></modules></project>"),
            ("core/pom.xml", "<project><artifactId>core</artifactId><dependencies><dependency><artifactId>guava</artifactId></dependency></dependencies></project>"),
            (
                "app/pom.xml",
                "<project><artifactId>app</artifactId><build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration><transformers><transformer><mainClass>com.acme.Main</mainClass></transformer></transformers></configuration></plugin></plugins></build></project>",
            ),
            ("bom/pom.xml", "<project><artifactId>bom</artifactId><packaging>pom</packaging></project>"),
        ]);
        assert_eq!(at(&ps, "").role, ProjectRole::Aggregator);
        assert_eq!(
            at(&ps, "").reason,
            "Maven aggregator (packaging pom, 2 modules)"
        );
        assert_eq!(at(&ps, "core").role, ProjectRole::Library);
        assert_eq!(at(&ps, "app").role, ProjectRole::Service);
        assert_eq!(at(&ps, "app").reason, "Maven main class (com.acme.Main)");
        assert_eq!(at(&ps, "bom").role, ProjectRole::Library);
    }

    #[test]
    fn malformed_pom_is_a_problem_but_still_read() {
        let (ps, problems) = scan(&[(
            "pom.xml",
            "<project>\n  <artifactId>x</artifactId>\n  <packaging>war</packaging>\n",
        )]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Syntax);
        assert_eq!(problems[0].line, 1);
        assert_eq!(ps[0].role, ProjectRole::Service);
    }

    #[test]
    fn gradle_projects() {
        let ps = projects(&[
            ("settings.gradle.kts", "rootProject.name = \"shop\"\ninclude(\"api\", \"lib\")\n"),
            ("build.gradle.kts", "plugins {\n    id(\"org.springframework.boot\") version \"3.2.0\" apply false\n    kotlin(\"jvm\") version \"1.9\"\n}\nsubprojects {\n    apply(plugin = \"org.springframework.boot\")\n}\n"),
            (
                "api/build.gradle.kts",
                "plugins {\n    // comment\n    id(\"org.springframework.boot\")\n    id(\"com.google.cloud.tools.jib\") version \"3.4.0\"\n}\ndependencies {\n    implementation(\"org.springframework.boot:spring-boot-starter-webflux\")\n}\njib {\n    from { image = \"eclipse-temurin:21\" }\n    to {\n        image = \"ghcr.io/acme/api\"\n    }\n}\n",
            ),
            ("lib/build.gradle.kts", "plugins {\n    `java-library`\n}\n"),
            ("cli/build.gradle", "plugins {\n    id 'application'\n}\napplication { mainClass = 'a.Main' }\n"),
            ("mobile/build.gradle", "plugins { id 'com.android.application' }\n"),
            ("boot/build.gradle", "plugins { id 'org.springframework.boot' version '3.2.0' }\nbootBuildImage {\n    imageName = \"acme/boot\"\n}\n"),
        ]);
        let root = at(&ps, "");
        assert_eq!(root.role, ProjectRole::Aggregator, "{}", root.reason);
        assert_eq!(root.name, "shop");
        let api = at(&ps, "api");
        assert_eq!(api.role, ProjectRole::Service);
        assert_eq!(api.line, 3);
        assert!(api.web);
        assert_eq!(api.image_builders.len(), 1);
        assert_eq!(api.image_builders[0].tool, ImageBuilderTool::Jib);
        assert_eq!(
            api.image_builders[0].image.as_deref(),
            Some("ghcr.io/acme/api")
        );
        assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
        assert_eq!(at(&ps, "cli").role, ProjectRole::Service);
        assert_eq!(at(&ps, "cli").reason, "Gradle application plugin");
        assert_eq!(at(&ps, "mobile").role, ProjectRole::Library);
        let boot = at(&ps, "boot");
        assert_eq!(boot.role, ProjectRole::Service);
        assert_eq!(
            boot.image_builders,
            vec![ImageBuilderConfig {
                tool: ImageBuilderTool::SpringBootBuildImage,
                file: "boot/build.gradle".into(),
                line: 2,
                image: Some("acme/boot".into())
            }]
        );
    }

    #[test]
    fn quarkus_container_image_extension() {
        let ps = projects(&[
            (
                "q/pom.xml",
                "<project><artifactId>q</artifactId><dependencies><dependency><artifactId>quarkus-rest</artifactId></dependency><dependency><artifactId>quarkus-container-image-jib</artifactId></dependency></dependencies><build><plugins><plugin><artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build></project>",
            ),
            ("q/src/main/resources/application.properties", "quarkus.http.port=9090\nquarkus.container-image.group=acme\nquarkus.container-image.name=q\n"),
        ]);
        let p = at(&ps, "q");
        assert_eq!(p.role, ProjectRole::Service);
        assert_eq!(p.ports, vec![9090]);
        assert_eq!(p.image_builders[0].tool, ImageBuilderTool::Quarkus);
        assert_eq!(p.image_builders[0].image.as_deref(), Some("acme/q"));
    }

    // ---- .NET

    #[test]
    fn dotnet_projects() {
        let ps = projects(&[
            ("src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n</Project>\n"),
            ("src/Api/Properties/launchSettings.json", r#"{"profiles":{"http":{"applicationUrl":"http://localhost:5080;https://localhost:7080"}}}"#),
            ("src/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"),
            ("src/Tool/Tool.fsproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n<PropertyGroup>\n<OutputType>Exe</OutputType>\n</PropertyGroup>\n</Project>"),
            (
                "tests/Api.Tests/Api.Tests.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" Version=\"17\" /></ItemGroup></Project>",
            ),
        ]);
        let api = at(&ps, "src/Api");
        assert_eq!(api.role, ProjectRole::Service);
        assert_eq!(api.name, "Api");
        assert_eq!(api.language, Language::Dotnet);
        assert!(api.web);
        assert_eq!(api.ports, vec![5080, 7080]);
        assert_eq!(at(&ps, "src/Core").role, ProjectRole::Library);
        assert_eq!(at(&ps, "src/Tool").role, ProjectRole::Service);
        assert_eq!(at(&ps, "src/Tool").line, 3);
        assert_eq!(at(&ps, "tests/Api.Tests").role, ProjectRole::Library);
    }

    // ---- Ruby, PHP, Elixir

    #[test]
    fn ruby_projects() {
        let ps = projects(&[
            (
                "app/Gemfile",
                "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"puma\"\n",
            ),
            ("app/config/application.rb", "require 'rails'\n"),
            ("app/config/puma.rb", "port ENV.fetch(\"PORT\") { 3000 }\n"),
            ("gem/Gemfile", "source 'https://rubygems.org'\ngemspec\n"),
            ("rack/config.ru", "run ->(env) { [200, {}, ['ok']] }\n"),
            ("sin/Gemfile", "gem 'sinatra'\n"),
        ]);
        let app = at(&ps, "app");
        assert_eq!(app.role, ProjectRole::Service);
        assert_eq!(app.reason, "Rails (config/application.rb)");
        assert_eq!(app.line, 2);
        assert_eq!(app.ports, vec![3000]);
        assert_eq!(at(&ps, "gem").role, ProjectRole::Library);
        assert_eq!(at(&ps, "rack").role, ProjectRole::Service);
        assert_eq!(at(&ps, "rack").manifest, "rack/config.ru");
        assert_eq!(at(&ps, "sin").frameworks, vec!["sinatra"]);
    }

    #[test]
    fn php_projects() {
        let ps = projects(&[
            ("shop/composer.json", "{\n  \"name\": \"acme/shop\",\n  \"require\": {\n    \"php\": \"^8.2\",\n    \"laravel/framework\": \"^11\"\n  }\n}\n"),
            ("shop/artisan", "#!/usr/bin/env php\n"),
            ("pkg/composer.json", r#"{"name":"acme/pkg","type":"library","require":{"symfony/framework-bundle":"7"}}"#),
            ("site/composer.json", r#"{"name":"acme/site","require":{"slim/slim":"4"}}"#),
            ("site/public/index.php", "<?php\n"),
        ]);
        let shop = at(&ps, "shop");
        assert_eq!(shop.role, ProjectRole::Service);
        assert_eq!(shop.name, "shop");
        assert_eq!(shop.reason, "Laravel (artisan)");
        assert_eq!(shop.line, 5);
        assert_eq!(at(&ps, "pkg").role, ProjectRole::Library);
        assert_eq!(at(&ps, "site").reason, "slim app (public/index.php)");
    }

    #[test]
    fn elixir_projects() {
        let ps = projects(&[
            ("mix.exs", "defmodule Umbrella.MixProject do\n  def project do\n    [apps_path: \"apps\"]\n  end\nend\n"),
            ("apps/web/mix.exs", "def project, do: [app: :shop_web]\ndefp deps do\n  [{:phoenix, \"~> 1.7\"}]\nend\n"),
            ("apps/core/mix.exs", "def project, do: [app: :core]\ndef application do\n  [mod: {Core.Application, []}]\nend\n"),
            ("lib/mix.exs", "def project, do: [app: :thing, package: package()]\ndef application, do: [mod: {Thing.App, []}]\n"),
        ]);
        assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
        let web = at(&ps, "apps/web");
        assert_eq!(web.role, ProjectRole::Service);
        assert_eq!(web.name, "shop_web");
        assert_eq!(web.line, 3);
        assert!(web.web);
        assert_eq!(at(&ps, "apps/core").role, ProjectRole::Service);
        assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
    }

    // ---- Procfile and image builders

    #[test]
    fn procfile_web_line_makes_a_service() {
        let ps = projects(&[
            ("requirements.txt", "requests\n"),
            (
                "Procfile",
                "release: python migrate.py\nweb: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
            ),
            ("node/Procfile", "web: node index.js\n"),
        ]);
        let root = at(&ps, "");
        assert_eq!(root.role, ProjectRole::Service);
        assert_eq!(
            root.reason,
            "Procfile web process: `gunicorn app.wsgi --bind 0.0.0.0:8000`"
        );
        assert_eq!(root.ports, vec![8000]);
        let node = at(&ps, "node");
        assert_eq!(node.language, Language::Node);
        assert_eq!(node.manifest, "node/Procfile");
        assert_eq!(node.line, 1);
    }

    #[test]
    fn image_builders_outside_manifests() {
        let ps = projects(&[
            ("go.mod", "module example.com/mono\n"),
            ("lib.go", "package mono\n"),
            (".ko.yaml", "builds:\n- id: api\n  dir: ./services/api\n  main: ./cmd/api\n"),
            ("services/api/go.mod", "module example.com/api\n"),
            ("services/api/main.go", "package main\n"),
            ("services/cli/go.mod", "module example.com/cli\n"),
            ("services/cli/main.go", "package main\n"),
            ("services/cli/.ko.yaml", "defaultBaseImage: cgr.dev/chainguard/static\n"),
            ("node/package.json", r#"{"scripts":{"start":"node ."}}"#),
            ("node/project.toml", "[_]\nschema-version = \"0.2\"\n[io.buildpacks]\nbuilder = \"paketobuildpacks/builder\"\n"),
            ("py/requirements.txt", "flask\n"),
            ("py/nixpacks.toml", "[start]\ncmd = \"gunicorn app:app\"\n"),
        ]);
        let api = at(&ps, "services/api");
        assert_eq!(
            api.image_builders,
            vec![ImageBuilderConfig {
                tool: ImageBuilderTool::Ko,
                file: ".ko.yaml".into(),
                line: 3,
                image: None
            }]
        );
        assert_eq!(
            at(&ps, "services/cli").image_builders[0].file,
            "services/cli/.ko.yaml"
        );
        assert!(at(&ps, "").image_builders.is_empty());
        assert_eq!(at(&ps, "node").name, "node");
        assert_eq!(
            at(&ps, "node").image_builders[0].tool,
            ImageBuilderTool::Buildpacks
        );
        assert_eq!(at(&ps, "node").image_builders[0].line, 1);
        assert_eq!(
            at(&ps, "py").image_builders[0].tool,
            ImageBuilderTool::Nixpacks
        );
    }

    // ---- helpers

    #[test]
    fn reasons_never_show_assigned_secrets() {
        let ps = projects(&[(
            "package.json",
            r#"{"scripts":{"start":"PORT=8080 API_TOKEN=ghp_secret123 node server.js"}}"#,
        )]);
        assert_eq!(
            ps[0].reason,
            "package.json has a start script: `PORT=8080 API_TOKEN=*** node server.js`"
        );
        assert_eq!(ps[0].ports, vec![8080]);
    }

    #[test]
    fn requirement_file_roles() {
        let ps = projects(&[
            ("a/requirements.docker.txt", "flask\n"),
            ("b/requirements-dev.txt", "flask\n"),
            ("b/setup.py", "setup(name='b')\n"),
            ("c/requirements.txt", "caf\u{e9}\u{20ac}x\nfastapi\n"),
        ]);
        assert_eq!(at(&ps, "a").role, ProjectRole::Service);
        assert_eq!(at(&ps, "b").role, ProjectRole::Library);
        assert_eq!(at(&ps, "c").line, 2);
    }

    #[test]
    fn garbage_manifests_never_panic() {
        let junk = [
            "",
            "<",
            "<<<>>>",
            "<a b='>",
            "<!--",
            "<![CDATA[",
            "{{{}}}}}}",
            "]]]",
            "\u{20ac}\u{20ac}=\u{20ac}",
            "install_requires",
            "module",
            "gem",
            "web:",
            "[",
            "\"",
            "name=\"",
            "-r ../../../../x.txt",
        ];
        let names = [
            "package.json",
            "deno.json",
            "pyproject.toml",
            "setup.py",
            "setup.cfg",
            "Pipfile",
            "requirements.txt",
            "manage.py",
            "go.mod",
            "Cargo.toml",
            "pom.xml",
            "build.gradle",
            "settings.gradle.kts",
            "App.csproj",
            "Gemfile",
            "config.ru",
            "composer.json",
            "artisan",
            "mix.exs",
            "Procfile",
            ".ko.yaml",
            "project.toml",
        ];
        for j in junk {
            let files: Vec<(String, &str)> = names.iter().map(|n| (format!("d/{n}"), j)).collect();
            let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), *b)).collect();
            let (ps, _) = scan(&refs);
            assert!(ps.len() <= 1, "{j:?}: one project per folder, got {ps:#?}");
        }
    }

    #[test]
    fn ports_from_commands_and_values() {
        assert_eq!(ports_in_command("PORT=3000 node server.js"), vec![3000]);
        assert_eq!(ports_in_command("next start -p 4000"), vec![4000]);
        assert_eq!(
            ports_in_command("uvicorn main:app --host 0.0.0.0 --port 8080"),
            vec![8080]
        );
        assert_eq!(ports_in_command("vite preview --port=5173"), vec![5173]);
        assert_eq!(ports_in_command("gunicorn -b :8000 app:app"), vec![8000]);
        assert_eq!(ports_in_command("node index.js"), Vec::<u16>::new());
        assert_eq!(port_value("${PORT:8080}"), Some(8080));
        assert_eq!(port_value("http://localhost:5000"), Some(5000));
        assert_eq!(port_value("99999"), None);
        assert_eq!(port_value("${PORT}"), None);
    }

    #[test]
    fn xml_reader() {
        let (doc, err) = xml::parse("<?xml version=\"1.0\"?>\n<!-- c <x> -->\n<a k='v &amp; w'>\n <b><![CDATA[<t>]]></b>\n <c/>\n</a>\n");
        assert!(err.is_none());
        let a = doc.root().unwrap();
        assert_eq!(doc.name(a), "a");
        assert_eq!(doc.attr(a, "k"), Some("v & w"));
        assert_eq!(doc.line(a), 3);
        assert_eq!(doc.path_text(a, "b"), Some("<t>"));
        assert!(doc.child(a, "c").is_some());
        let (_, err) = xml::parse("<a>\n<b>\n</a>\n");
        assert_eq!(err.map(|e| e.0), Some(3));
    }

    #[test]
    fn language_names() {
        assert_eq!(Language::Java.to_string(), "Java/Kotlin");
        assert_eq!(Language::Dotnet.to_string(), ".NET");
        assert_eq!(Language::Node.to_string(), "Node.js");
        assert_eq!(
            serde_json::to_string(&Language::Dotnet).unwrap(),
            "\"dotnet\""
        );
        assert_eq!(Language::parse("Kotlin"), Some(Language::Java));
        assert_eq!(Language::parse("cobol"), None);
    }

    #[test]
    fn guesses_language_of_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("svc")).unwrap();
        fs::write(dir.path().join("svc/a.py"), "").unwrap();
        fs::write(dir.path().join("svc/b.py"), "").unwrap();
        fs::write(dir.path().join("svc/c.js"), "").unwrap();
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        assert_eq!(guess_language(&tree, "svc"), Some(Language::Python));
        assert_eq!(guess_language(&tree, "nope"), None);
    }
}
