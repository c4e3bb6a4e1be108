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
