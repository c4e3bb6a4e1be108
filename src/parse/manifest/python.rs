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
        .filter(|f| f.path.ends_with(".txt") && parent_dir(&f.path) == join(dir, "requirements"))
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
    // A gRPC server without a web framework: `grpcio` and an entry file
    // that starts `grpc.server(...)`.
    let grpc = if deps.iter().any(|d| d.name == "grpcio") && first_web.is_none() {
        grpc_server_file(ctx, dir)
    } else {
        None
    };
    if let Some((file, line)) = &grpc {
        p.role = ProjectRole::Service;
        p.reason = format!("gRPC server ({}:{line} grpc.server)", rel(dir, file));
        p.line = deps
            .iter()
            .find(|d| d.name == "grpcio")
            .map(line_in_primary)
            .unwrap_or(1);
        p.web = true;
        p.frameworks.push("grpc".into());
        p.program = Program::Server;
        p.program_evidence = Some(format!("{file}:{line} starts a gRPC server (grpc.server)"));
        return Some(Cand::new(p, 3));
    }
    if let Some(d) = first_worker.filter(|_| !web) {
        p.program = Program::Worker;
        p.program_evidence = Some(format!(
            "{}:{} depends on {} (queue worker), no web framework",
            d.file, d.line, d.name
        ));
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
    if console_scripts {
        let (file, line) = console_scripts_line(ctx, &manifests);
        p.program = Program::Cli;
        p.program_evidence = Some(format!(
            "{file}:{line} console scripts, no web/worker framework"
        ));
        // SPEC 1.2: a CLI tool's binary is its buildable service. Only the
        // repository's own package counts; a helper package with scripts
        // inside a larger repository is tooling.
        if dir.is_empty() {
            p.role = ProjectRole::Service;
            p.reason = format!(
                "Python command-line tool (console scripts, {})",
                rel(dir, &file)
            );
            p.line = if file == primary { line } else { 1 };
            return Some(Cand::new(p, 1));
        }
    }
    p.reason = if console_scripts {
        "library: command-line package (console scripts), no web/worker framework".into()
    } else {
        "library: no web/worker framework dependency or entry point".into()
    };
    Some(Cand::new(p, 0))
}

/// Where the console scripts are declared: `[project.scripts]`,
/// `[tool.poetry.scripts]`, `console_scripts` in setup.cfg or setup.py.
fn console_scripts_line(ctx: &Ctx<'_>, manifests: &[String]) -> (String, u32) {
    for m in manifests {
        let Some(text) = ctx.read_quiet(m) else {
            continue;
        };
        if let Some(line) = line_where(&text, |l| {
            let t = l.trim();
            t == "[project.scripts]"
                || t == "[project.gui-scripts]"
                || t == "[tool.poetry.scripts]"
                || t.contains("console_scripts")
                || t.starts_with("scripts=")
        }) {
            return (m.clone(), line);
        }
    }
    (manifests.first().cloned().unwrap_or_default(), 1)
}

/// How much of a candidate entry file is read for `grpc.server(`: servers
/// build it in `serve()` after the servicer classes, past the sniff prefix.
const GRPC_SNIFF_BYTES: usize = 32 * 1024;

/// The top-level Python file that starts a gRPC server (`grpc.server(` or
/// `grpc.aio.server(`), with its line; files named like an entry point or
/// a server are looked at first, at most 20.
fn grpc_server_file(ctx: &Ctx<'_>, dir: &str) -> Option<(String, u32)> {
    let mut files: Vec<&str> = ctx
        .tree
        .files_under(dir)
        .map(|f| f.path.as_str())
        .filter(|p| parent_dir(p) == dir && p.ends_with(".py"))
        .filter(|p| !file_name(p).ends_with("_pb2.py") && !file_name(p).ends_with("_pb2_grpc.py"))
        .take(MAX_SNIFFED_FILES)
        .collect();
    let rank = |p: &str| {
        let n = file_name(p);
        if n.contains("server") {
            0
        } else if ENTRIES.contains(&n) || n == "__main__.py" {
            1
        } else {
            2
        }
    };
    files.sort_by_key(|p| (rank(p), p.to_string()));
    for f in files.into_iter().take(20) {
        let Some(text) = ctx.tree.read_prefix(f, GRPC_SNIFF_BYTES) else {
            continue;
        };
        if let Some(line) = line_where(&text, |l| {
            let t = l.trim_start();
            !t.starts_with('#') && (t.contains("grpc.server(") || t.contains("grpc.aio.server("))
        }) {
            return Some((f.to_string(), line));
        }
    }
    None
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
        *console_scripts |= project.contains_key("scripts") || project.contains_key("gui-scripts");
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

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    #[test]
    fn grpc_servers_without_a_web_framework_are_services() {
        let server = format!(
            "import grpc\n{}\ndef serve():\n    server = grpc.server(futures.ThreadPoolExecutor())\n",
            "# filler\n".repeat(600)
        );
        let ps = projects(&[
            ("email/requirements.txt", "jinja2==3\ngrpcio==1.76.0\n"),
            ("email/email_server.py", &server),
            ("email/demo_pb2_grpc.py", "import grpc\n"),
            ("client/requirements.txt", "grpcio==1.76.0\n"),
            (
                "client/client.py",
                "import grpc\nchannel = grpc.insecure_channel('x')\n",
            ),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        let e = at("email");
        assert_eq!(e.role, ProjectRole::Service);
        assert_eq!(e.line, 2);
        assert_eq!(e.program, Program::Server);
        assert_eq!(
            e.program_evidence.as_deref(),
            Some("email/email_server.py:604 starts a gRPC server (grpc.server)")
        );
        assert_eq!(at("client").role, ProjectRole::Library);
    }

    #[test]
    fn python_program_kinds() {
        let ps = projects(&[
            ("worker/requirements.txt", "celery==5\nredis\n"),
            ("web/requirements.txt", "celery==5\nflask\n"),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("worker").program, Program::Worker);
        assert_eq!(
            at("worker").program_evidence.as_deref(),
            Some("worker/requirements.txt:1 depends on celery (queue worker), no web framework")
        );
        assert_eq!(at("web").program, Program::Server);
    }

    #[test]
    fn console_scripts_make_the_root_package_a_cli_service() {
        let cfg = "[metadata]\nname = httpie\n\n[options.entry_points]\nconsole_scripts =\n    http = httpie.__main__:main\n";
        let ps = projects(&[("setup.cfg", cfg), ("tools/helper/setup.cfg", cfg)]);
        let root = ps.iter().find(|p| p.dir.is_empty()).unwrap();
        assert_eq!(root.role, ProjectRole::Service, "{}", root.reason);
        assert_eq!(root.program, Program::Cli);
        assert_eq!(
            root.program_evidence.as_deref(),
            Some("setup.cfg:5 console scripts, no web/worker framework")
        );
        let helper = ps.iter().find(|p| p.dir == "tools/helper").unwrap();
        assert_eq!(helper.role, ProjectRole::Library);
        assert_eq!(helper.program, Program::Cli);
    }
}
