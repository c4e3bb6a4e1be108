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
    ("@tauri-apps/cli", "desktop app (tauri)"),
    ("@tauri-apps/api", "desktop app (tauri)"),
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
        // `node_modules/.bin/tsc -w` is `tsc -w`.
        Some(w) => {
            let w = w.rsplit('/').next().unwrap_or(w);
            if BUILD_WATCH.contains(&w) {
                return true;
            }
            // A script alias left unresolved: `npm run watch:build`.
            let rest: Vec<&str> = words.collect();
            let target = match (w, rest.as_slice()) {
                ("npm" | "pnpm" | "yarn" | "bun", ["run", t, ..]) => Some(*t),
                ("pnpm" | "yarn", [t, ..]) => Some(*t),
                _ => None,
            };
            target.is_some_and(|t| t.contains("watch") || t.starts_with("build"))
        }
        None => true,
    }
}

/// Static file servers a start script may run (`http-server -p 4701 dist`).
const STATIC_SERVERS: &[&str] = &["http-server", "serve", "live-server", "sirv"];

/// Queue libraries whose `Worker`/`process` runs jobs in the background.
const WORKERS: &[&str] = &[
    "bullmq",
    "bull",
    "bee-queue",
    "agenda",
    "pg-boss",
    "graphile-worker",
];

/// Dependencies that render markdown into pages (a content site).
fn is_markdown_pipeline(d: &str) -> bool {
    matches!(
        d,
        "@next/mdx"
            | "next-mdx-remote"
            | "gray-matter"
            | "react-markdown"
            | "nextra"
            | "contentlayer"
            | "contentlayer2"
    ) || d.starts_with("@mdx-js/")
        || d.starts_with("remark-")
        || d.starts_with("rehype-")
        || d.starts_with("fumadocs-")
}

/// A `pnpm-workspace.yaml` that lists `packages:`; one holding only
/// settings (`allowBuilds`, `patchedDependencies`), or listing only the
/// package itself (`packages: ["."]`, a place for pnpm settings), does
/// not make a workspace root.
fn pnpm_lists_packages(ctx: &Ctx<'_>, dir: &str, file: &str) -> bool {
    ctx.sniff(&join(dir, file))
        .is_none_or(|t| lists_other_packages(&t))
}

/// Whether the `packages:` of a pnpm workspace file names anything but
/// the folder itself (block or flow list; unknown shapes count as yes).
fn lists_other_packages(text: &str) -> bool {
    let mut lines = text.lines();
    let Some(first) = lines.by_ref().find(|l| l.starts_with("packages:")) else {
        return false;
    };
    let item = |v: &str| {
        let v = v.trim().trim_matches(['\'', '"']).trim();
        !v.is_empty() && v != "." && v != "./"
    };
    let inline = first["packages:".len()..].trim();
    if let Some(flow) = inline.strip_prefix('[') {
        return flow.trim_end_matches(']').split(',').any(item);
    }
    if !inline.is_empty() && !inline.starts_with('#') {
        return true;
    }
    let mut any = false;
    for l in lines {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match t.strip_prefix('-') {
            Some(v) if l.starts_with([' ', '-']) => {
                let v = v.split(" #").next().unwrap_or(v);
                if item(v) {
                    return true;
                }
                any = true;
            }
            _ => break,
        }
    }
    // An empty or unreadable list: keep the old reading (a root).
    !any
}

/// The command a script alias runs (`npm run start:dev`, `pnpm build:watch`,
/// `yarn watch`), followed up to three times.
fn resolve_script(scripts: &BTreeMap<String, String>, cmd: &str) -> String {
    // The last command of `a && b`, `a & b`, `a; b`: what keeps running.
    let last = |c: &str| {
        c.rsplit(['&', ';'])
            .map(str::trim)
            .find(|x| !x.is_empty())
            .unwrap_or(c)
            .trim()
            .to_string()
    };
    let mut cur = last(cmd);
    for _ in 0..3 {
        let words: Vec<&str> = cur
            .split_whitespace()
            .filter(|w| !w.contains('=') && *w != "cross-env")
            .collect();
        let target = match words.as_slice() {
            ["npm" | "pnpm" | "yarn" | "bun", "run", t, ..] => *t,
            ["pnpm" | "yarn", t, ..] if !matches!(*t, "exec" | "dlx" | "install" | "add") => *t,
            _ => break,
        };
        match scripts.get(target) {
            Some(next) => cur = last(next),
            None => break,
        }
    }
    cur
}

/// Whether a command only runs the file `main` (`node dist/main.js`).
fn runs_file(cmd: &str, main: &str) -> bool {
    let strip = |s: &str| {
        s.trim_start_matches("./")
            .trim_end_matches(".js")
            .trim_end_matches(".mjs")
            .trim_end_matches(".cjs")
            .to_string()
    };
    let words: Vec<&str> = cmd
        .split_whitespace()
        .filter(|w| !w.contains('='))
        .collect();
    match words.as_slice() {
        ["node", f] => strip(f) == strip(main),
        _ => false,
    }
}

/// `next.config.*` with `output: 'export'` (a static export), if any.
fn static_export(ctx: &Ctx<'_>, dir: &str) -> Option<String> {
    [
        "next.config.js",
        "next.config.mjs",
        "next.config.ts",
        "next.config.cjs",
    ]
    .iter()
    .map(|n| join(dir, n))
    .find(|p| {
        ctx.sniff(p).is_some_and(|t| {
            t.lines().any(|l| {
                let l = l.trim_start();
                !l.starts_with("//")
                    && l.replace(' ', "").starts_with("output:")
                    && (l.contains("'export'") || l.contains("\"export\""))
            })
        })
    })
}

/// The package's entry file: `main`, else `server.js`, `index.js`,
/// `src/server.ts`... (the first that exists).
fn entry_file(
    ctx: &Ctx<'_>,
    dir: &str,
    pkg: &serde_json::Map<String, serde_json::Value>,
) -> Option<String> {
    let main = pkg
        .get("main")
        .and_then(|m| m.as_str())
        .map(|m| m.trim_start_matches("./").to_string());
    main.into_iter()
        .chain(
            [
                "server.js",
                "index.js",
                "worker.js",
                "main.js",
                "app.js",
                "src/server.ts",
                "src/index.ts",
                "src/main.ts",
                "src/worker.ts",
                "src/server.js",
                "src/index.js",
            ]
            .iter()
            .map(|s| s.to_string()),
        )
        .map(|f| join(dir, &f))
        .find(|f| ctx.has(f))
}

/// How much of an entry file is read for a server start (`bindAsync` comes
/// after the handlers).
const ENTRY_SNIFF_BYTES: usize = 32 * 1024;

/// The first entry file (main, `server.js`, `index.js`, ...) containing
/// one of `needles` outside a comment line, with its line.
fn find_in_entry(
    ctx: &Ctx<'_>,
    dir: &str,
    pkg: &serde_json::Map<String, serde_json::Value>,
    needles: &[&str],
) -> Option<(String, u32)> {
    let main = pkg
        .get("main")
        .and_then(|m| m.as_str())
        .map(|m| m.trim_start_matches("./").to_string());
    let candidates = main.into_iter().chain(
        [
            "server.js",
            "index.js",
            "main.js",
            "app.js",
            "src/server.ts",
            "src/index.ts",
            "src/main.ts",
            "src/server.js",
            "src/index.js",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut seen = BTreeSet::new();
    for f in candidates.map(|f| join(dir, &f)) {
        if !seen.insert(f.clone()) {
            continue;
        }
        let Some(text) = ctx.tree.read_prefix(&f, ENTRY_SNIFF_BYTES) else {
            continue;
        };
        if let Some(line) = line_where(&text, |l| {
            let t = l.trim_start();
            !t.starts_with("//") && !t.starts_with('*') && needles.iter().any(|n| t.contains(n))
        }) {
            return Some((f, line));
        }
    }
    None
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
    .find(|f| {
        ctx.has(&join(dir, f)) && (!f.starts_with("pnpm-") || pnpm_lists_packages(ctx, dir, f))
    });
    // `"workspaces": ["packages/*"]` or `{"packages": [...]}`; an object
    // with only `nohoist` does not make a workspace root.
    let workspaces = match pkg.get("workspaces") {
        Some(serde_json::Value::Array(a)) => !a.is_empty(),
        Some(serde_json::Value::Object(o)) => o
            .get("packages")
            .and_then(|p| p.as_array())
            .is_some_and(|a| !a.is_empty()),
        _ => false,
    };
    if workspaces || ws_file.is_some() {
        let (reason, line) = match ws_file {
            Some(f) if !workspaces => (format!("workspace root ({f})"), 1),
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
                .filter(|c| !is_build_watch(&resolve_script(&scripts, c)))
                .map(|c| (k.to_string(), c.clone()))
        });
    let has_dockerfile = ["Dockerfile", "dockerfile", "Containerfile"]
        .iter()
        .any(|n| ctx.has(&join(dir, n)));
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

    // A command-line package inside a larger repository (its `start` runs
    // the CLI in a dev loop) is tooling, unless it has its own Dockerfile.
    if pkg.contains_key("bin") && !dir.is_empty() && !has_dockerfile && frameworks.is_empty() {
        let mut p = mk(
            ProjectRole::Library,
            "library: command-line package (`bin`) inside the repository, no server framework or Dockerfile".into(),
            json_key_line(&text, None, "bin").unwrap_or(1),
        );
        p.program = Program::Cli;
        p.program_evidence = Some(format!(
            "{path}:{} `bin` (command-line package), no server framework",
            p.line
        ));
        return Some(Cand::new(p, 0));
    }
    // A package inside the repository with no scripts at all, a `main` or
    // `exports` entry and no Dockerfile: workspace code consumed from
    // source by the apps (`"main": "index.ts"`), whatever it imports.
    if !dir.is_empty()
        && scripts.is_empty()
        && !has_dockerfile
        && (pkg.contains_key("main") || pkg.contains_key("exports"))
    {
        let key = if pkg.contains_key("main") {
            "main"
        } else {
            "exports"
        };
        return Some(Cand::new(
            mk(
                ProjectRole::Library,
                format!(
                    "library: package with `{key}` and no scripts, used by the repository's apps"
                ),
                json_key_line(&text, None, key).unwrap_or(1),
            ),
            0,
        ));
    }
    // An Angular workspace whose projects are all libraries.
    if frameworks.iter().any(|f| f.0 == "angular") {
        if let Some(t) = ctx.read_quiet(&join(dir, "angular.json")) {
            let kinds: Vec<&str> = t
                .lines()
                .filter(|l| l.contains("\"projectType\""))
                .collect();
            if !kinds.is_empty() && kinds.iter().all(|l| l.contains("\"library\"")) {
                let line = line_where(&t, |l| l.contains("\"projectType\"")).unwrap_or(1);
                return Some(Cand::new(
                    mk(
                        ProjectRole::Library,
                        format!("library: Angular library workspace (angular.json:{line} projectType library)"),
                        1,
                    ),
                    0,
                ));
            }
        }
    }
    // With a Dockerfile of its own, a `start:*` script that serves
    // (`start:docker`: `http-server -p 4701 dist`) counts as the start.
    let start = start.or_else(|| {
        if !has_dockerfile {
            return None;
        }
        scripts.iter().find_map(|(k, c)| {
            let serves = k.starts_with("start:")
                && !["dev", "debug", "test", "watch"]
                    .iter()
                    .any(|x| k.contains(x))
                && !is_build_watch(&resolve_script(&scripts, c));
            serves.then(|| (k.clone(), c.clone()))
        })
    });
    let mut ports: Vec<u16> = Vec::new();
    for k in ["start", "serve", "start:prod", "dev", "preview"] {
        if let Some(c) = scripts.get(k) {
            ports.extend(ports_in_command(c));
        }
    }
    if let Some((k, c)) = &start {
        if !["start", "serve", "start:prod"].contains(&k.as_str()) {
            ports.extend(ports_in_command(c));
        }
    }
    // A library-shaped package (`exports`, `module`, `types`) that depends
    // on no server framework and has no Dockerfile of its own: its `start`
    // or `dev` script is a watch build or runs its own `main`.
    let runs_own_main = start.as_ref().is_some_and(|(_, c)| {
        pkg.get("main")
            .and_then(|m| m.as_str())
            .is_some_and(|m| runs_file(&resolve_script(&scripts, c), m))
    });
    let no_server_fw = !frameworks.iter().any(|f| f.2 == 3);
    if no_server_fw && !has_dockerfile && scripts.contains_key("build") {
        if libraryish && (peer_fw.is_some() || start.is_none() || runs_own_main) {
            let why = match peer_fw {
                Some(p) => format!("library: package with exports/types and a peer dependency on {p}"),
                None => "library: package with exports/types and a build step, no server framework or Dockerfile".to_string(),
            };
            return Some(Cand::new(mk(ProjectRole::Library, why, 1), 0));
        }
        if runs_own_main && frameworks.is_empty() {
            return Some(Cand::new(
                mk(
                    ProjectRole::Library,
                    "library: start script only runs the package's main, no server framework or Dockerfile".into(),
                    1,
                ),
                0,
            ));
        }
    }
    // A Next.js static export that renders markdown: a documentation or
    // content site served as files, not a server.
    if frameworks.iter().any(|f| f.0 == "next") && no_server_fw {
        if let Some(cfg) = static_export(ctx, dir) {
            if let Some(md) = all_deps.iter().find(|d| is_markdown_pipeline(d)) {
                return Some(Cand::new(
                    mk(
                        ProjectRole::Library,
                        format!("library: static site (Next.js output: 'export' in {}, renders markdown with {md})", rel(dir, &cfg)),
                        dep_line(md),
                    ),
                    0,
                ));
            }
        }
    }
    // gRPC servers and queue workers have no web framework dependency.
    let grpc = if no_server_fw && deps.iter().any(|d| d == "@grpc/grpc-js" || d == "grpc") {
        find_in_entry(ctx, dir, &pkg, &["new grpc.Server(", ".bindAsync("])
    } else {
        None
    };
    let worker_dep = WORKERS.iter().find(|w| deps.iter().any(|d| d == *w));
    let program = |p: &mut Project| {
        if let Some((f, l)) = &grpc {
            p.program = Program::Server;
            p.program_evidence = Some(format!("{f}:{l} starts a gRPC server"));
        } else if let Some((fw, line, _)) = frameworks.iter().max_by_key(|f| f.2) {
            p.program = Program::Server;
            p.program_evidence = Some(format!("{path}:{line} depends on {fw}"));
        } else if let Some((k, srv)) = start.as_ref().and_then(|(k, c)| {
            let c = resolve_script(&scripts, c);
            let first = c
                .split_whitespace()
                .find(|w| !w.contains('='))
                .unwrap_or("");
            STATIC_SERVERS
                .contains(&first)
                .then(|| (k.clone(), first.to_string()))
        }) {
            p.program = Program::Server;
            p.program_evidence = Some(format!(
                "{path}:{} {k} script serves files with {srv}",
                json_key_line(&text, Some("scripts"), &k).unwrap_or(1)
            ));
        } else if let Some(w) = worker_dep {
            p.program = Program::Worker;
            p.program_evidence = Some(format!(
                "{path}:{} depends on {w} (queue worker), no server framework",
                dep_line(w)
            ));
        } else if pkg.contains_key("bin") {
            p.program = Program::Cli;
            p.program_evidence = Some(format!(
                "{path}:{} `bin` (command-line package), no server framework",
                json_key_line(&text, None, "bin").unwrap_or(1)
            ));
        }
    };
    if let Some((f, l)) = &grpc {
        if start.is_none() {
            let mut p = mk(
                ProjectRole::Service,
                format!("gRPC server ({}:{l})", rel(dir, f)),
                dep_line("@grpc/grpc-js"),
            );
            p.web = true;
            p.frameworks = vec!["grpc".into()];
            program(&mut p);
            return Some(Cand::new(p, 3));
        }
    }
    if let (Some(w), None, true, true) = (worker_dep, &start, frameworks.is_empty(), has_dockerfile)
    {
        if let Some(entry) = entry_file(ctx, dir, &pkg) {
            let mut p = mk(
                ProjectRole::Service,
                format!("queue worker ({w}, entry {}, Dockerfile)", rel(dir, &entry)),
                dep_line(w),
            );
            program(&mut p);
            return Some(Cand::new(p, 2));
        }
    }
    let service = |reason: String, line: u32, strength: u8| {
        let mut p = mk(ProjectRole::Service, reason, line);
        p.frameworks = framework_names.clone();
        p.web = !framework_names.is_empty() || !ports.is_empty();
        p.ports = ports.clone();
        program(&mut p);
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
    if pkg.contains_key("bin") {
        let line = json_key_line(&text, None, "bin").unwrap_or(1);
        // SPEC 1.2: a CLI tool's binary is its buildable service, when the
        // package is the repository's own; a `bin` helper inside a larger
        // repository is tooling.
        if dir.is_empty() && !private {
            let mut p = mk(
                ProjectRole::Service,
                "Node.js command-line tool (package.json `bin`)".into(),
                line,
            );
            program(&mut p);
            return Some(Cand::new(p, 1));
        }
        let mut p = mk(
            ProjectRole::Library,
            "library: command-line package (`bin`), no start script or server framework".into(),
            1,
        );
        program(&mut p);
        return Some(Cand::new(p, 0));
    }
    Some(Cand::new(
        mk(
            ProjectRole::Library,
            "library: no start script or server framework".into(),
            1,
        ),
        0,
    ))
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

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    fn at<'a>(ps: &'a [Project], d: &str) -> &'a Project {
        ps.iter()
            .find(|p| p.dir == d)
            .unwrap_or_else(|| panic!("no project at {d}: {ps:#?}"))
    }

    #[test]
    fn workspaces_without_packages_do_not_make_a_workspace_root() {
        let ps = projects(&[
            (
                "hook/package.json",
                r#"{"name":"hook","scripts":{"start":"node dist/main"},"dependencies":{"@nestjs/core":"10"},"workspaces":{"nohoist":["x"]}}"#,
            ),
            (
                "web/package.json",
                r#"{"name":"web","private":true,"scripts":{"dev":"vite","build":"vite build"},"devDependencies":{"vite":"5"}}"#,
            ),
            ("web/pnpm-workspace.yaml", "allowBuilds:\n  esbuild: true\n"),
            ("web/index.html", "<html></html>"),
            (
                "mono/package.json",
                r#"{"name":"mono","workspaces":{"packages":["apps/*"]}}"#,
            ),
            ("pn/package.json", r#"{"name":"pn"}"#),
            ("pn/pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n"),
        ]);
        assert_eq!(at(&ps, "hook").role, ProjectRole::Service);
        assert_eq!(at(&ps, "web").role, ProjectRole::Service);
        assert_eq!(at(&ps, "web").program, Program::Server);
        assert_eq!(at(&ps, "mono").role, ProjectRole::WorkspaceRoot);
        assert_eq!(at(&ps, "pn").role, ProjectRole::WorkspaceRoot);
    }

    #[test]
    fn a_package_with_no_scripts_and_a_main_is_workspace_code() {
        let ps = projects(&[
            (
                "packages/router/package.json",
                r#"{"name":"@acme/router","private":true,"main":"index.ts","dependencies":{"next":"15"},"peerDependencies":{"react":"19"}}"#,
            ),
            (
                "apps/web/package.json",
                r#"{"name":"web","private":true,"scripts":{"start":"next start","build":"next build"},"dependencies":{"next":"15"}}"#,
            ),
            (
                "apps/bot/package.json",
                r#"{"name":"bot","main":"bot.js","dependencies":{"express":"4"}}"#,
            ),
            (
                "apps/bot/Dockerfile",
                "FROM node:22\nCMD [\"node\", \"bot.js\"]\n",
            ),
        ]);
        assert_eq!(at(&ps, "packages/router").role, ProjectRole::Library);
        assert_eq!(at(&ps, "apps/web").role, ProjectRole::Service);
        // Its own Dockerfile starts it: still a service.
        assert_eq!(at(&ps, "apps/bot").role, ProjectRole::Service);
    }

    #[test]
    fn a_pnpm_workspace_of_only_itself_is_no_workspace_root() {
        assert!(!lists_other_packages("packages:\n  - \".\"\n"));
        assert!(!lists_other_packages(
            "packages: ['.']\nonlyBuiltDependencies:\n  - esbuild\n"
        ));
        assert!(!lists_other_packages("allowBuilds:\n  esbuild: true\n"));
        assert!(lists_other_packages("packages:\n  - .\n  - 'libs/*'\n"));
        assert!(lists_other_packages("packages: [apps/*]\n"));
        assert!(lists_other_packages("packages:\n"));
        let ps = projects(&[
            (
                "ui/package.json",
                r#"{"name":"ui","private":true,"scripts":{"start":"ng serve","build":"ng build"},"dependencies":{"@angular/core":"20"}}"#,
            ),
            (
                "ui/pnpm-workspace.yaml",
                "packages:\n  - \".\"\nonlyBuiltDependencies:\n  - esbuild\n",
            ),
        ]);
        assert_eq!(at(&ps, "ui").role, ProjectRole::Service);
    }

    #[test]
    fn watch_start_scripts_resolved_through_aliases_are_libraries() {
        let ps = projects(&[
            (
                "dal/package.json",
                r#"{"name":"dal","private":true,"main":"dist/index.js","types":"dist/index.d.ts","scripts":{"start":"npm run start:dev","start:dev":"pnpm build:watch","build":"tsc","build:watch":"cross-env node_modules/.bin/tsc -w"}}"#,
            ),
            (
                "client/package.json",
                r#"{"name":"client","main":"dist/index.js","scripts":{"start":"npm run watch:build","build":"tsc"}}"#,
            ),
            (
                "ui/package.json",
                r#"{"name":"ui","scripts":{"start":"pnpm panda --watch & cross-env node_modules/.bin/tsc -w"}}"#,
            ),
            (
                "script/package.json",
                r#"{"name":"attribution","main":"dist/main.js","scripts":{"build":"tsc","start":"node dist/main.js"}}"#,
            ),
            (
                "api/package.json",
                r#"{"name":"api","main":"dist/main.js","scripts":{"build":"tsc","start":"node dist/main.js"}}"#,
            ),
            ("api/Dockerfile", "FROM node:22\n"),
        ]);
        for d in ["dal", "client", "ui", "script"] {
            assert_eq!(
                at(&ps, d).role,
                ProjectRole::Library,
                "{d}: {}",
                at(&ps, d).reason
            );
        }
        assert_eq!(at(&ps, "api").role, ProjectRole::Service);
        assert_eq!(
            resolve_script(
                &BTreeMap::from([
                    ("a".to_string(), "yarn b".to_string()),
                    ("b".to_string(), "tsc -w".to_string())
                ]),
                "npm run a"
            ),
            "tsc -w"
        );
    }

    #[test]
    fn tauri_front_ends_are_desktop_apps() {
        let ps = projects(&[(
            "desk/package.json",
            r#"{"name":"desk","scripts":{"dev":"vite","build":"vite build","tauri":"tauri"},"dependencies":{"@tauri-apps/api":"2"},"devDependencies":{"vite":"5","@tauri-apps/cli":"2"}}"#,
        )]);
        assert_eq!(ps[0].role, ProjectRole::Library);
        assert_eq!(ps[0].reason, "library: desktop app (tauri), not a server");
    }

    #[test]
    fn grpc_servers_and_queue_workers() {
        let server = format!(
            "const grpc = require('@grpc/grpc-js');\n{}function main() {{\n  const server = new grpc.Server();\n}}\n",
            "// filler\n".repeat(500)
        );
        let ps = projects(&[
            (
                "currency/package.json",
                r#"{"name":"currency","scripts":{"test":"exit 1"},"dependencies":{"@grpc/grpc-js":"1"}}"#,
            ),
            ("currency/server.js", &server),
            (
                "client/package.json",
                r#"{"name":"client","main":"index.js","dependencies":{"@grpc/grpc-js":"1"}}"#,
            ),
            ("client/index.js", "const c = new proto.Svc('x', creds);\n"),
            (
                "jobs/package.json",
                r#"{"name":"jobs","main":"worker.js","dependencies":{"bullmq":"5"}}"#,
            ),
            ("jobs/worker.js", "new Worker('q', async () => {});\n"),
            ("jobs/Dockerfile", "FROM node:22\n"),
            (
                "queue-lib/package.json",
                r#"{"name":"queue-lib","main":"index.js","dependencies":{"bullmq":"5"}}"#,
            ),
            ("queue-lib/index.js", "module.exports = {};\n"),
        ]);
        let c = at(&ps, "currency");
        assert_eq!(c.role, ProjectRole::Service, "{}", c.reason);
        assert_eq!(c.program, Program::Server);
        assert_eq!(
            c.program_evidence.as_deref(),
            Some("currency/server.js:503 starts a gRPC server")
        );
        assert_eq!(at(&ps, "client").role, ProjectRole::Library);
        let j = at(&ps, "jobs");
        assert_eq!(j.role, ProjectRole::Service, "{}", j.reason);
        assert_eq!(j.program, Program::Worker);
        assert_eq!(at(&ps, "queue-lib").role, ProjectRole::Library);
    }

    #[test]
    fn a_dockerfile_and_a_start_script_serving_files_make_a_static_server() {
        let ps = projects(&[
            (
                "embed/package.json",
                "{\"name\":\"embed\",\"main\":\"dist/embed.js\",\"typings\":\"dist/embed.d.ts\",\"scripts\":{\"start\":\"rollup -c -w\",\n\"start:docker\":\"pnpm build && http-server -p 4701 dist\",\"build\":\"rollup -c\"}}",
            ),
            ("embed/Dockerfile", "FROM node:22\n"),
        ]);
        let e = at(&ps, "embed");
        assert_eq!(e.role, ProjectRole::Service, "{}", e.reason);
        assert_eq!(e.program, Program::Server);
        assert_eq!(e.ports, vec![4701]);
        assert_eq!(
            e.program_evidence.as_deref(),
            Some("embed/package.json:2 start:docker script serves files with http-server")
        );
    }

    #[test]
    fn static_markdown_sites_angular_libraries_and_bin_packages() {
        let ps = projects(&[
            (
                "site/package.json",
                r#"{"name":"site","scripts":{"dev":"next dev","build":"next build","start":"next start"},"dependencies":{"next":"15","gray-matter":"4"}}"#,
            ),
            (
                "site/next.config.ts",
                "const c = {\n  output: \"export\",\n};\nexport default c;\n",
            ),
            (
                "app/package.json",
                r#"{"name":"app","scripts":{"start":"next start"},"dependencies":{"next":"15","gray-matter":"4"}}"#,
            ),
            (
                "ng/package.json",
                r#"{"name":"ng","scripts":{"start":"ng serve","build":"ng build"},"dependencies":{"@angular/core":"17"}}"#,
            ),
            (
                "ng/angular.json",
                "{\"projects\":{\"x\":{\n\"projectType\": \"library\"}}}\n",
            ),
            (
                "tools/cli/package.json",
                r#"{"name":"acme-cli","bin":{"acme":"dist/cli.js"},"scripts":{"start":"nodemon init"}}"#,
            ),
            ("package.json", r#"{"name":"tool","bin":{"tool":"cli.js"}}"#),
        ]);
        let site = at(&ps, "site");
        assert_eq!(site.role, ProjectRole::Library);
        assert!(site.reason.contains("static site"), "{}", site.reason);
        assert_eq!(at(&ps, "app").role, ProjectRole::Service);
        assert_eq!(
            at(&ps, "ng").role,
            ProjectRole::Library,
            "{}",
            at(&ps, "ng").reason
        );
        let cli = at(&ps, "tools/cli");
        assert_eq!(cli.role, ProjectRole::Library, "{}", cli.reason);
        assert_eq!(cli.program, Program::Cli);
        let root = at(&ps, "");
        assert_eq!(root.role, ProjectRole::Service, "{}", root.reason);
        assert_eq!(root.program, Program::Cli);
        assert_eq!(
            root.program_evidence.as_deref(),
            Some("package.json:1 `bin` (command-line package), no server framework")
        );
    }
}
