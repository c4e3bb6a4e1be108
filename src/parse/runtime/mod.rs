//! Runtime facts from a service's own source and config (SPEC 3, runtime
//! fitness): where it binds, where it logs, where it keeps state, which
//! backing services it names, whether it handles `SIGTERM`, which port it
//! listens on. Cheap line-level text scans, per language, over the files
//! of each service project: never vendored trees (the walk skips them),
//! tests, examples, build output, or files named for development or tests.
//!
//! This records what the text says, with file and line; whether it is a
//! problem (is a volume mounted there? is it run with more than one
//! replica?) is for the `KR6xx` rules to judge.

mod dotnet;
mod elixir;
mod golang;
mod jvm;
mod node;
mod php;
mod python;
mod ruby;
mod scripts;

use crate::parse::manifest::{Language, Project, ProjectRole};
use crate::walk::Tree;

/// At most this many files are read per project.
pub const MAX_FILES_PER_PROJECT: usize = 600;
/// At most this much of a file is read.
pub const MAX_BYTES: usize = 256 * 1024;

/// Everything the scans found, sorted by (project, file, line).
#[derive(Clone, Debug, Default)]
pub struct RuntimeFacts {
    pub signals: Vec<Signal>,
    /// Shell scripts that look like container entrypoints.
    pub entrypoints: Vec<EntrypointScript>,
}

impl RuntimeFacts {
    /// The signals of the project at `dir`.
    pub fn of<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a Signal> + 'a {
        let start = self.signals.partition_point(|s| s.project.as_str() < dir);
        self.signals[start..]
            .iter()
            .take_while(move |s| s.project == dir)
    }
}

/// One fact found in a project's source or config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signal {
    /// The project folder (`""` for the root).
    pub project: String,
    pub file: String,
    pub line: u32,
    pub kind: SignalKind,
    /// The line as written, trimmed and shortened (never a secret: the
    /// scans look at hosts, ports, class names and paths).
    pub excerpt: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignalKind {
    /// The server binds to a loopback address only.
    LoopbackBind { host: String },
    /// Logs go to a file (an appender, handler or transport).
    FileLogging { via: String },
    /// Logs go to a file unless the environment variable `env` says
    /// otherwise (Laravel's `LOG_CHANNEL` defaulting to a file channel).
    FileLoggingByDefault { via: String, env: String },
    /// State written to a local path (SQLite file, upload folder).
    LocalState { what: StateKind, path: String },
    /// A backing service at a hard-coded loopback address in config.
    LocalhostBacking { key: String },
    /// The code handles `SIGTERM` (a handler, or a library that does).
    SigtermHandler,
    /// The code starts an HTTP server (`.listen(...)`), for `SIGTERM`.
    ServerListen,
    /// The main thread runs until the process is killed: a Python
    /// `while True:` with no `break`, `return` or exit in its body (a
    /// worker's main loop), a gRPC server's `wait_for_termination()`, a
    /// Flask development server's `app.run()`.
    WorkerLoop,
    /// Sessions or caches held in the process's memory.
    InProcessState { via: String },
    /// The port the code listens on: a literal, or an environment
    /// variable with its default.
    ListenPort {
        port: Option<u16>,
        env: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateKind {
    Sqlite,
    Uploads,
}

impl StateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StateKind::Sqlite => "SQLite database",
            StateKind::Uploads => "upload folder",
        }
    }
}

/// A shell script named like a container entrypoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrypointScript {
    pub file: String,
    /// The last command of the script (line, text), skipping `fi`/`done`.
    pub last: Option<(u32, String)>,
    /// Some line starts with `exec `.
    pub execs: bool,
    /// A `trap` handles `TERM` (the script forwards or acts on it).
    pub traps_term: bool,
}

/// Scans the service projects of the tree.
pub fn scan(tree: &Tree, projects: &[Project]) -> RuntimeFacts {
    // Sorted, so whether a folder holds a project is a binary search.
    let mut dirs: Vec<&str> = projects.iter().map(|p| p.dir.as_str()).collect();
    dirs.sort_unstable();
    dirs.dedup();
    let services: Vec<&Project> = projects
        .iter()
        .filter(|p| p.role == ProjectRole::Service && !crate::inventory::is_example_path(&p.dir))
        .collect();
    // Projects are independent: scanned side by side (reading is most of
    // the time).
    let per_project = crate::par::map(&services, |p| scan_project(tree, p, &dirs));
    let mut facts = RuntimeFacts {
        signals: per_project.into_iter().flatten().collect(),
        entrypoints: Vec::new(),
    };
    for f in tree.files_of(crate::walk::FileKind::Script) {
        if let Some(s) = scripts::entrypoint(tree, &f.path) {
            facts.entrypoints.push(s);
        }
    }
    facts.signals.sort_by_cached_key(|s| {
        (
            s.project.clone(),
            s.file.clone(),
            s.line,
            format!("{:?}", s.kind),
        )
    });
    facts.signals.dedup();
    facts
}

/// The signals of one service project: at most [`MAX_FILES_PER_PROJECT`]
/// files read, and at most four times that many candidates looked at
/// (files of nested projects included). `dirs`: every project's folder,
/// sorted.
fn scan_project(tree: &Tree, p: &Project, dirs: &[&str]) -> Vec<Signal> {
    let mut signals = Vec::new();
    let mut read = 0usize;
    let mut looked = 0usize;
    // Files come sorted, so most share the folder of the one before: what
    // depends on the folder alone is worked out once per run of them.
    let mut folder: Option<Folder<'_>> = None;
    for f in tree.files_under(&p.dir) {
        if read >= MAX_FILES_PER_PROJECT || looked >= 4 * MAX_FILES_PER_PROJECT {
            break;
        }
        let rel = crate::paths::relative_to(&p.dir, &f.path);
        let Some(scanner) = scanner_for(p.language, rel) else {
            continue;
        };
        let (folder_rel, name) = split_folder(rel);
        if folder.as_ref().is_none_or(|f| f.rel != folder_rel) {
            folder = Some(Folder {
                rel: folder_rel,
                skipped: skipped_folder(folder_rel),
                nested: None,
            });
        }
        let Some(current) = folder.as_mut() else {
            continue;
        };
        if current.skipped || skipped_name(name) {
            continue;
        }
        looked += 1;
        // Files of a nested project belong to it.
        let nested = *current
            .nested
            .get_or_insert_with(|| in_nested_project(&f.path, &p.dir, dirs));
        if nested {
            continue;
        }
        read += 1;
        tree.with_prefix(&f.path, MAX_BYTES, |text| {
            let mut out = Out {
                project: &p.dir,
                file: &f.path,
                text,
                signals: &mut signals,
            };
            scanner(rel, &mut out);
        });
    }
    signals
}

/// What [`scan_project`] knows of the folder (relative to the project)
/// of the files it is going through.
struct Folder<'a> {
    rel: &'a str,
    /// Never read ([`skipped_folder`]).
    skipped: bool,
    /// In a nested project (asked only when a file there is looked at).
    nested: Option<bool>,
}

type Scanner = fn(&str, &mut Out<'_>);

/// Which scan reads a file of a project in `lang`, by its path relative
/// to the project.
fn scanner_for(lang: Language, rel: &str) -> Option<Scanner> {
    let name = file_name(rel);
    if name == "Procfile" {
        return Some(scripts::procfile);
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match lang {
        Language::Node => match ext {
            "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" if !name.ends_with(".d.ts") => {
                Some(node::scan)
            }
            // express-generator's `bin/www` starts the server.
            _ if rel.ends_with("bin/www") => Some(node::scan),
            _ => None,
        },
        Language::Python => (ext == "py").then_some(python::scan as Scanner),
        Language::Go => (ext == "go").then_some(golang::scan as Scanner),
        Language::Java => jvm::scanner(rel, name, ext),
        Language::Dotnet => dotnet::scanner(name, ext),
        Language::Ruby => ruby::scanner(rel, ext),
        Language::Php => php::scanner(rel, ext),
        Language::Elixir => elixir::scanner(rel, ext),
        Language::Rust => None,
    }
}

/// Folders never scanned (relative to the project): tests, examples,
/// build output, front-end assets, scripts and migrations.
const SKIPPED_SEGMENTS: &[&str] = &[
    "spec",
    "specs",
    "mocks",
    "mock",
    "bench",
    "benches",
    "benchmark",
    "benchmarks",
    "dist",
    "build",
    "out",
    "public",
    "static",
    "assets",
    "www",
    "coverage",
    "cypress",
    "playwright",
    "storybook",
    ".storybook",
    "scripts",
    "script",
    "tools",
    "migrations",
    "migrate",
    "seeds",
    "seed",
    "dev",
    "local",
    "stubs",
    "generated",
    "gen",
    "obj",
];

/// Name tokens that mark a file as development, test or example material.
const SKIPPED_TOKENS: &[&str] = &[
    "test",
    "tests",
    "spec",
    "dev",
    "development",
    "local",
    "example",
    "examples",
    "sample",
    "debug",
    "mock",
    "mocks",
    "stories",
    "conftest",
    "fixture",
    "fixtures",
    "min",
    "config-overrides",
    "webpack",
    "vite",
    "jest",
    "karma",
    "gulpfile",
    "gruntfile",
    "staging",
    "ci",
    "e2e",
    "docker-compose",
    "seed",
    "seeds",
];

/// Whether a file (path relative to its project) is outside what the
/// scans read.
pub fn skipped_path(rel: &str) -> bool {
    let (folder, name) = split_folder(rel);
    skipped_folder(folder) || skipped_name(name)
}

/// The folder (`""` for none) and the name of a relative path.
fn split_folder(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// Whether files in `folder` (relative to the project) are never read.
fn skipped_folder(folder: &str) -> bool {
    if !folder.is_empty() && crate::inventory::is_example_path(folder) {
        return true;
    }
    // `db/` is where Rails keeps migrations and seeds; `config/` files are
    // read whatever their folder.
    folder
        .split('/')
        .any(|s| SKIPPED_SEGMENTS.contains(&s.to_ascii_lowercase().as_str()))
}

/// Whether a file name marks development, test or example material.
fn skipped_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower.split_once('.').map(|(s, _)| s).unwrap_or(&lower);
    if stem.starts_with("test")
        || stem.ends_with("test")
        || stem.ends_with("tests")
        || stem.ends_with("_spec")
        || name.ends_with("IT.java")
    {
        return true;
    }
    lower
        .split(['.', '-', '_'])
        .any(|t| SKIPPED_TOKENS.contains(&t))
}

/// Whether a folder between `project` (exclusive) and the file at `path`
/// (under it) is in `dirs` (sorted): one lookup per folder level, not
/// one comparison per project.
fn in_nested_project(path: &str, project: &str, dirs: &[&str]) -> bool {
    let mut folder = path;
    while let Some(cut) = folder.rfind('/') {
        folder = &folder[..cut];
        if folder.len() <= project.len() {
            return false;
        }
        if dirs.binary_search(&folder).is_ok() {
            return true;
        }
    }
    false
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Where a scan writes its signals.
pub(crate) struct Out<'a> {
    project: &'a str,
    file: &'a str,
    text: &'a str,
    signals: &'a mut Vec<Signal>,
}

impl<'a> Out<'a> {
    fn push(&mut self, line: u32, kind: SignalKind) {
        let excerpt = self
            .text
            .lines()
            .nth(line.saturating_sub(1) as usize)
            .map(excerpt)
            .unwrap_or_default();
        self.signals.push(Signal {
            project: self.project.to_string(),
            file: self.file.to_string(),
            line: line.max(1),
            kind,
            excerpt,
        });
    }

    /// A listening port read from an environment variable with a default
    /// (`ENV.fetch("PORT") { 3000 }`, `System.get_env("PORT") || "4000"`),
    /// from a pattern's captures: group 1 the variable, the first later
    /// group that matched the default.
    fn push_env_port(&mut self, line: u32, caps: &[Option<String>]) {
        let env = caps.get(1).cloned().flatten();
        let port = caps
            .iter()
            .skip(2)
            .flatten()
            .next()
            .and_then(|p| p.parse().ok());
        self.push(line, SignalKind::ListenPort { port, env });
    }

    /// A listening port written as a number.
    fn push_port(&mut self, line: u32, port: u16) {
        self.push(
            line,
            SignalKind::ListenPort {
                port: Some(port),
                env: None,
            },
        );
    }

    /// Lines with their 1-based numbers, comment lines skipped.
    fn lines(&self) -> impl Iterator<Item = (u32, &'a str)> + 'a {
        let text: &'a str = self.text;
        text.lines()
            .enumerate()
            .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l))
            .filter(|(_, l)| !is_comment(l))
    }
}

fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("//")
        || t.starts_with('#')
        || t.starts_with("/*")
        || t.starts_with('*')
        || t.starts_with("<!--")
        || t.starts_with("--")
        || t.starts_with(';')
}

fn excerpt(line: &str) -> String {
    let t = line.trim();
    if t.chars().count() > 120 {
        let mut s: String = t.chars().take(117).collect();
        s.push_str("...");
        s
    } else {
        t.to_string()
    }
}

/// Whether a host string is a loopback address.
pub fn is_loopback(host: &str) -> bool {
    let h = host
        .trim()
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_start_matches("tcp://");
    let h = h.trim_start_matches('[');
    h.starts_with("127.0.0.1") || h.starts_with("localhost") || h.starts_with("::1]") || h == "::1"
}

/// A port number in `s` (`8080`, `"8080"`).
fn port_of(s: &str) -> Option<u16> {
    let t = s.trim().trim_matches(['"', '\'', '`']);
    t.parse::<u16>().ok().filter(|p| *p > 0)
}

/// A regex compiled once. Patterns are literals of this module, so a
/// failure is a bug caught by the tests; it then matches nothing.
macro_rules! re {
    ($pat:expr) => {{
        static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
        RE.get_or_init(|| $crate::parse::runtime::compile($pat))
            .as_ref()
    }};
}
pub(crate) use re;

/// A pattern built at run time around a name a file chose (a port
/// variable, a session middleware), compiled once per thread: most
/// services choose the same few names, and compiling was a regex per
/// service.
pub(crate) fn compile_named(pat: &str) -> Option<regex::Regex> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    /// Enough for every name a monorepo's services share; more distinct
    /// names are compiled each time rather than held.
    const MAX_CACHED: usize = 256;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Option<regex::Regex>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        if let Some(r) = cache.borrow().get(pat) {
            return r.clone();
        }
        let r = regex::Regex::new(pat).ok();
        let mut cache = cache.borrow_mut();
        if cache.len() < MAX_CACHED {
            cache.insert(pat.to_string(), r.clone());
        }
        r
    })
}

/// Compiles a pattern of this module (see [`re!`]).
pub(crate) fn compile(pat: &str) -> Option<regex::Regex> {
    let r = regex::Regex::new(pat);
    debug_assert!(r.is_ok(), "{r:?}");
    r.ok()
}

/// Captures of `re` in `line`, as owned strings (`None` for a missing
/// group).
fn caps(re: Option<&regex::Regex>, line: &str) -> Option<Vec<Option<String>>> {
    let c = re?.captures(line)?;
    Some(
        c.iter()
            .map(|m| m.map(|m| m.as_str().to_string()))
            .collect(),
    )
}

/// Capture group 1 of `re` in `line`, as a port number.
fn port_cap(re: Option<&regex::Regex>, line: &str) -> Option<u16> {
    caps(re, line)?.get(1).cloned().flatten()?.parse().ok()
}

fn line_of(text: &str, offset: usize) -> u32 {
    let n = text
        .get(..offset)
        .map(|t| t.matches('\n').count())
        .unwrap_or(0);
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;

/// Whether a line reads an environment variable (then a loopback value
/// on it is a default the environment overrides).
fn reads_env(line: &str) -> bool {
    [
        "process.env",
        "ENV[",
        "ENV.fetch",
        "environ",
        "getenv",
        "Getenv",
        "${",
        "<%",
        "System.get_env",
        "env(",
        "env.",
        "config(",
        "GetEnvironmentVariable",
    ]
    .iter()
    .any(|k| line.contains(k))
}

/// Backing-service URLs at a loopback host (`postgres://...@localhost`,
/// `jdbc:mysql://127.0.0.1`, `redis://localhost:6379`), on lines that do
/// not read the environment.
fn backing_urls(out: &mut Out<'_>) {
    // The pattern needs `://`: a file without one has no URL.
    if !out.text.contains("://") {
        return;
    }
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if reads_env(l) {
            continue;
        }
        if let Some(c) = re!(r"(?i)\b((?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|nats|kafka|memcached?|ecto|sqlserver|elasticsearch))://(?:[^@/\s'\x22]*@)?(?:localhost|127\.0\.0\.1)\b")
            .and_then(|r| r.captures(l))
        {
            let key = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
            out.push(n, SignalKind::LocalhostBacking { key });
        }
    }
}

/// What a server start command says about where it listens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerCommand {
    /// `gunicorn`, `uvicorn`, `flask run`, `manage.py runserver`, ...
    pub tool: Option<&'static str>,
    /// A loopback host given explicitly (`--host 127.0.0.1`).
    pub explicit_loopback: Option<String>,
    /// The tool binds to 127.0.0.1 unless told otherwise, and no host is
    /// given (uvicorn, `flask run`, `manage.py runserver`, daphne,
    /// hypercorn, `artisan serve`). The caller checks the environment
    /// variables that set it (`tool_host_env`).
    pub default_loopback: bool,
    pub port: Option<u16>,
    pub port_env: Option<String>,
}

/// Environment variables that set a tool's host.
pub fn tool_host_env(tool: &str) -> &'static [&'static str] {
    match tool {
        "uvicorn" => &["UVICORN_HOST"],
        "flask run" => &["FLASK_RUN_HOST"],
        "hypercorn" | "gunicorn" => &["GUNICORN_CMD_ARGS"],
        _ => &[],
    }
}

/// Reads a server start command (already split into words).
pub fn server_command(words: &[String]) -> ServerCommand {
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    let mut sc = ServerCommand::default();
    let mut start = None;
    for (i, w) in words.iter().enumerate() {
        let b = base(w);
        let next = words.get(i + 1).map(String::as_str).unwrap_or("");
        let tool: Option<&'static str> = match b.as_str() {
            "gunicorn" => Some("gunicorn"),
            "uvicorn" => Some("uvicorn"),
            "hypercorn" => Some("hypercorn"),
            "daphne" => Some("daphne"),
            "puma" => Some("puma"),
            "flask" if next == "run" => Some("flask run"),
            "manage.py" | "django-admin" if next == "runserver" => Some("manage.py runserver"),
            "artisan" if next == "serve" => Some("artisan serve"),
            "rails" if next == "s" || next == "server" => Some("rails server"),
            _ => None,
        };
        if let Some(t) = tool {
            sc.tool = Some(t);
            start = Some(i + 1);
            break;
        }
    }
    let (Some(tool), Some(start)) = (sc.tool, start) else {
        return sc;
    };
    let args: Vec<&str> = words
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .map(|s| s.as_str())
        .take_while(|w| !matches!(*w, "&&" | ";" | "||" | "|"))
        .collect();
    let value = |names: &[&str]| -> Option<String> {
        for (i, a) in args.iter().enumerate() {
            for n in names {
                if a == n {
                    return args
                        .get(i + 1)
                        .map(|s| s.trim_matches(['"', '\'']).to_string());
                }
                if n.starts_with("--") {
                    if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                        return Some(v.trim_matches(['"', '\'']).to_string());
                    }
                } else if let Some(v) = a.strip_prefix(n).filter(|v| !v.is_empty() && n.len() == 2)
                {
                    return Some(v.trim_matches(['"', '\'']).to_string());
                }
            }
        }
        None
    };
    let mut host: Option<String> = None;
    let mut port_word: Option<String> = None;
    match tool {
        "gunicorn" | "hypercorn" => {
            if let Some(b) = value(&["-b", "--bind"]) {
                if !b.starts_with("unix:") && !b.starts_with("fd://") {
                    let (h, p) = split_addr(&b);
                    host = Some(h);
                    port_word = p;
                }
            }
            // gunicorn's own default is 127.0.0.1:8000 unless $PORT is
            // set or a config file binds: too uncertain to judge.
            if tool == "hypercorn" && host.is_none() && value(&["-c", "--config"]).is_none() {
                sc.default_loopback = true;
            }
        }
        "uvicorn" | "flask run" | "artisan serve" | "daphne" => {
            let hn: &[&str] = match tool {
                "daphne" => &["-b", "--bind"],
                "flask run" => &["-h", "--host"],
                _ => &["--host"],
            };
            host = value(hn);
            port_word = value(&["-p", "--port"]);
            let other =
                value(&["--uds", "--fd", "-u", "--unix-socket", "-e", "--endpoint"]).is_some();
            if host.is_none() && !other {
                sc.default_loopback = true;
            }
        }
        "manage.py runserver" => match args.iter().skip(1).find(|a| !a.starts_with('-')) {
            Some(ap) => {
                let (h, p) = if ap.contains(':') {
                    split_addr(ap)
                } else {
                    (String::new(), Some((*ap).to_string()))
                };
                if !h.is_empty() {
                    host = Some(h);
                } else if !ap.contains(':') {
                    sc.default_loopback = true;
                }
                port_word = p;
            }
            None => {
                sc.default_loopback = true;
                sc.port = Some(8000);
            }
        },
        "puma" | "rails server" => {
            if let Some(b) = value(&["-b", "--bind", "--binding"]) {
                let (h, p) = split_addr(&b);
                host = Some(h);
                port_word = p;
            }
            if let Some(p) = value(&["-p", "--port"]) {
                port_word = Some(p);
            }
        }
        _ => {}
    }
    if let Some(h) = host {
        if is_loopback(&h) {
            sc.explicit_loopback = Some(h);
        }
    }
    if let Some(p) = port_word {
        let (port, env) = port_word_value(&p);
        sc.port = port.or(sc.port);
        sc.port_env = env;
    } else if sc.port.is_none() {
        sc.port = match tool {
            "uvicorn" | "hypercorn" | "daphne" | "artisan serve" => Some(8000),
            "flask run" => Some(5000),
            _ => None,
        };
        if tool == "flask run" {
            sc.port_env = Some("FLASK_RUN_PORT".into());
        }
    }
    sc
}

/// `host:port` (`tcp://` stripped; `[::1]:80`; `:8000`).
fn split_addr(a: &str) -> (String, Option<String>) {
    let a = a.trim_start_matches("tcp://").trim_start_matches("http://");
    let head = a.find('$').map(|i| &a[..i]).unwrap_or(a);
    let split = head.rfind(':').map(|i| (&a[..i], &a[i + 1..]));
    match split {
        Some((h, p)) if !p.is_empty() && !h.ends_with(':') || h.is_empty() => {
            (h.to_string(), Some(p.to_string()))
        }
        _ => (a.to_string(), None),
    }
}

/// `8000`, `$PORT`, `${PORT}`, `${PORT:-8000}`.
fn port_word_value(w: &str) -> (Option<u16>, Option<String>) {
    if let Some(p) = port_of(w) {
        return (Some(p), None);
    }
    match caps(re!(r"^\$\{?(\w+)(?::?-(\d+))?\}?$"), w) {
        Some(c) => (
            c.get(2).cloned().flatten().and_then(|d| d.parse().ok()),
            c.get(1).cloned().flatten(),
        ),
        None => (None, None),
    }
}
