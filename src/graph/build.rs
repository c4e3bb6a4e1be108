//! Building the graph: image definitions and their owners, Compose links,
//! then the CI edges (in `pipeline.rs`).

use super::{Component, ComposeLink, Graph, ImageDef, ImageDefKind};
use crate::inventory::Service;
use crate::parse::dockerfile::{Args, DockerfileFile, Keyword};
use crate::parse::Facts;
use crate::paths;

pub fn build_graph(facts: &Facts, services: Vec<Service>) -> Graph {
    let mut g = Graph {
        services,
        ..Default::default()
    };
    // Components for every service, so indices are stable.
    for (i, s) in g.services.iter().enumerate() {
        g.components.push(Component {
            name: s.name.clone(),
            path: s.path.clone(),
            service: Some(i),
            image_defs: Vec::new(),
        });
    }
    // Image definitions: every Dockerfile, every builder config.
    for d in &facts.dockerfiles {
        g.image_defs.push(ImageDef {
            kind: ImageDefKind::Dockerfile,
            file: d.path.clone(),
            line: 1,
            contexts: Vec::new(),
            names: Vec::new(),
            components: Vec::new(),
            owner_reason: String::new(),
            built_in_ci: false,
            pushed_in_ci: false,
            role: None,
            role_evidence: String::new(),
        });
    }
    for (si, s) in g.services.iter().enumerate() {
        for b in &s.image_builders {
            g.image_defs.push(ImageDef {
                kind: ImageDefKind::Builder(format!("{:?}", b.tool).to_ascii_lowercase()),
                file: b.file.clone(),
                line: b.line,
                contexts: vec![s.path.clone()],
                names: b.image.iter().cloned().collect(),
                components: vec![si],
                owner_reason: format!("{:?} configured in {}", b.tool, b.file),
                built_in_ci: false,
                pushed_in_ci: false,
                role: None,
                role_evidence: String::new(),
            });
        }
    }
    // Contexts and names from Compose.
    for project in &facts.compose {
        for svc in &project.services {
            let Some(build) = &svc.build else { continue };
            if build.remote || build.dockerfile_inline {
                continue;
            }
            let dockerfile = build.dockerfile_path();
            if let Some(def) = dockerfile_def_mut(facts, &mut g, &dockerfile) {
                push_unique(&mut def.contexts, build.context.clone());
                if let Some(image) = &svc.image {
                    push_unique(&mut def.names, image.value.clone());
                }
            }
        }
    }
    // Contexts and names from skaffold/Tilt artifacts: they say which
    // image a Dockerfile produces.
    for a in &facts.orchestration.artifacts {
        let Some(context) = &a.context else { continue };
        let dockerfile = a
            .dockerfile
            .clone()
            .unwrap_or_else(|| paths::join(context, "Dockerfile").unwrap_or_default());
        if let Some(def) = dockerfile_def_mut(facts, &mut g, &dockerfile) {
            push_unique(&mut def.contexts, context.clone());
            push_unique(&mut def.names, a.image.clone());
        }
    }
    // Contexts and names from CI builds.
    super::pipeline::collect_ci_contexts(facts, &mut g);
    // Dockerfiles under examples/, tests/, fixtures/, docs/... are not the
    // repo's image definitions unless Compose or CI builds them.
    g.image_defs.retain(|d| {
        d.kind != ImageDefKind::Dockerfile
            || !d.contexts.is_empty()
            || !crate::inventory::is_example_path(paths::parent(&d.file))
    });
    // Roles that keep an image out of the counts (SPEC 1.2): such an image
    // containerizes no service and is no component.
    for def in &mut g.image_defs {
        if def.kind != ImageDefKind::Dockerfile {
            continue;
        }
        if let Some((role, why)) =
            super::roles::listed_role(facts, &def.file, def.built_in_ci, def.pushed_in_ci)
        {
            def.role = Some(role);
            def.role_evidence = why;
        }
    }
    // Owners.
    let service_at = services_by_path(&g.services);
    for i in 0..g.image_defs.len() {
        if g.image_defs[i].kind != ImageDefKind::Dockerfile || g.image_defs[i].role.is_some() {
            if g.image_defs[i].contexts.is_empty() {
                if let Some(df) = facts.dockerfile(&g.image_defs[i].file) {
                    let dir = df.dir.clone();
                    g.image_defs[i].contexts.push(dir);
                }
            }
            continue;
        }
        let file = g.image_defs[i].file.clone();
        let Some(df) = facts.dockerfile(&file) else {
            continue;
        };
        if g.image_defs[i].contexts.is_empty() {
            g.image_defs[i].contexts.push(df.dir.clone());
        }
        let contexts = g.image_defs[i].contexts.clone();
        let (owners, reason) = owners_of(&g.services, &service_at, df, &contexts);
        g.image_defs[i].owner_reason = reason;
        g.image_defs[i].components = owners;
    }
    // Image-only components: one per folder of unowned Dockerfiles.
    let mut image_only: std::collections::HashMap<String, usize> = Default::default();
    for i in 0..g.image_defs.len() {
        if !g.image_defs[i].components.is_empty() || g.image_defs[i].role.is_some() {
            continue;
        }
        let dir = paths::parent(&g.image_defs[i].file).to_string();
        let existing = image_only.get(&dir).copied();
        let ci = match existing {
            Some(ci) => ci,
            None => {
                let name = if dir.is_empty() {
                    "root image".to_string()
                } else {
                    paths::file_name(&dir).to_string()
                };
                g.components.push(Component {
                    name,
                    path: dir.clone(),
                    service: None,
                    image_defs: Vec::new(),
                });
                image_only.insert(dir, g.components.len() - 1);
                g.components.len() - 1
            }
        };
        g.image_defs[i].components.push(ci);
        g.image_defs[i].owner_reason = "its folder holds no detected service".into();
    }
    for (di, def) in g.image_defs.iter().enumerate() {
        for &c in &def.components {
            if let Some(comp) = g.components.get_mut(c) {
                comp.image_defs.push(di);
            }
        }
    }
    // CI edges need components; then Compose links can use built names.
    super::pipeline::collect_ci_edges(facts, &mut g);
    link_compose(facts, &mut g);
    super::roles::assign(facts, &mut g);
    // Port chains and image consumers only read the graph: side by side.
    let (chains, consumers) = std::thread::scope(|scope| {
        let consumers = crate::par::spawn_or_run(scope, || super::consumers::of_images(facts, &g));
        (super::ports::chains(facts, &g), consumers.get())
    });
    g.port_chains = chains;
    g.image_consumers = consumers;
    g.own_orchestration = facts
        .orchestration
        .without(crate::inventory::demonstrates_or_tests);
    g
}

/// The image definition of a Dockerfile while the graph is being built
/// (before examples are dropped): the first definitions are the
/// Dockerfiles, in `facts.dockerfiles` order, which is sorted by path, so
/// this is a binary search, not a scan per Compose service or CI build.
pub(super) fn dockerfile_def_mut<'g>(
    facts: &Facts,
    g: &'g mut Graph,
    file: &str,
) -> Option<&'g mut ImageDef> {
    let i = facts
        .dockerfiles
        .binary_search_by(|d| d.path.as_str().cmp(file))
        .ok()?;
    g.image_defs
        .get_mut(i)
        .filter(|d| d.kind == ImageDefKind::Dockerfile && d.file == file)
}

/// The first service at each folder.
pub(super) fn services_by_path(services: &[Service]) -> std::collections::HashMap<&str, usize> {
    let mut at = std::collections::HashMap::new();
    for (i, s) in services.iter().enumerate() {
        at.entry(s.path.as_str()).or_insert(i);
    }
    at
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Which services a Dockerfile containerizes, given its build contexts
/// (SPEC §1 step 2): the service at the context; else, when the context is
/// a parent folder, the service whose folder holds the Dockerfile; else the
/// services whose files it copies.
fn owners_of(
    services: &[Service],
    service_at: &std::collections::HashMap<&str, usize>,
    df: &DockerfileFile,
    contexts: &[String],
) -> (Vec<usize>, String) {
    let mut owners = Vec::new();
    let mut reason = String::new();
    for ctx in contexts {
        if let Some(&i) = service_at.get(ctx.as_str()) {
            owners.push(i);
            reason = format!(
                "build context `{}` is the service's folder",
                paths::display(ctx)
            );
            owners.extend(bundled_services(services, df, ctx, ctx));
            continue;
        }
        // The deepest service whose folder holds the Dockerfile. The root
        // service holds every folder: a Dockerfile in a subfolder is its
        // only when it builds from the root and copies from it, or when
        // the root is the repo's one service (SPEC 1.2).
        let holder = services
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                paths::is_within(&df.dir, &s.path)
                    && (paths::is_within(&s.path, ctx) || paths::is_within(ctx, &s.path))
                    && (!s.path.is_empty()
                        || df.dir.is_empty()
                        || root_service_packaged(services, df, ctx))
            })
            .max_by_key(|(_, s)| s.path.len());
        if let Some((i, s)) = holder {
            owners.push(i);
            reason = format!(
                "the Dockerfile lies in the service's folder `{}`",
                paths::display(&s.path)
            );
            owners.extend(bundled_services(services, df, ctx, &s.path));
            continue;
        }
        // The services whose files it copies.
        let mut copied = Vec::new();
        for src in copy_sources(df) {
            let Some(p) = paths::join(ctx, &src) else {
                continue;
            };
            for (i, s) in services.iter().enumerate() {
                if !s.path.is_empty()
                    && (paths::is_within(&p, &s.path)
                        || (paths::is_within(&s.path, &p) && !p.is_empty() && p != *ctx))
                    && !copied.contains(&i)
                {
                    copied.push(i);
                }
            }
        }
        if !copied.is_empty() {
            reason = "it copies the service's files".into();
            owners.extend(copied);
            continue;
        }
        // Built from a folder holding several services after `COPY . .`:
        // the one service its RUN commands build (`go build ./cmd/api`,
        // `cargo build -p api`, `npm run build -w api`).
        let built = built_by_run(services, df, ctx);
        if !built.is_empty() {
            let names: Vec<String> = built
                .iter()
                .map(|&i| format!("`{}`", paths::display(&services[i].path)))
                .collect();
            reason = format!(
                "it copies the context and builds {} from it",
                names.join(", ")
            );
            owners.extend(built);
        }
    }
    owners.sort_unstable();
    owners.dedup();
    (owners, reason)
}

/// The `RUN` commands of a Dockerfile, as written.
fn run_commands(df: &DockerfileFile) -> Vec<&str> {
    df.dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .map(|i| &*i.original)
        .collect()
}

/// Services below `holder` (the service whose folder holds a Dockerfile)
/// that the Dockerfile also copies and builds: a front end bundled into
/// the server's image (`COPY assets assets`, `RUN npm run build
/// --prefix=assets`). Writing them a Dockerfile of their own would make no
/// sense.
fn bundled_services(
    services: &[Service],
    df: &DockerfileFile,
    ctx: &str,
    holder: &str,
) -> Vec<usize> {
    let sources: Vec<String> = copy_sources(df)
        .iter()
        .filter_map(|src| paths::join(ctx, src))
        .collect();
    let runs = run_commands(df);
    if runs.is_empty() {
        return Vec::new();
    }
    // Services are sorted by path: those below `holder` are one run of
    // them (a binary search, not a scan per Dockerfile).
    let prefix = if holder.is_empty() {
        String::new()
    } else {
        format!("{holder}/")
    };
    let start = services.partition_point(|s| s.path.as_str() < prefix.as_str());
    services
        .iter()
        .enumerate()
        .skip(start)
        .take_while(|(_, s)| s.path.starts_with(&prefix))
        .filter(|(_, s)| s.path != holder && paths::is_within(&s.path, ctx))
        .filter(|(_, s)| {
            let rel = paths::relative_to(ctx, &s.path);
            let copied = sources
                .iter()
                .any(|p| paths::is_within(&s.path, p) || paths::is_within(p, &s.path));
            copied && runs.iter().any(|r| mentions_path(r, rel))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The services under `ctx` that a Dockerfile copying the whole context
/// names in its `RUN` commands (by folder, or by name after a package
/// flag: `cargo build -p api -p worker` builds both).
fn built_by_run(services: &[Service], df: &DockerfileFile, ctx: &str) -> Vec<usize> {
    let copies_all = copy_sources(df)
        .iter()
        .any(|s| s.is_empty() || s == "." || s == "./");
    if !copies_all {
        return Vec::new();
    }
    let runs = run_commands(df);
    services
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.path.is_empty() && paths::is_within(&s.path, ctx) && s.path != ctx)
        .filter(|(_, s)| {
            let rel = paths::relative_to(ctx, &s.path);
            runs.iter().any(|r| {
                mentions_path(r, rel)
                    || [
                        "-p ",
                        "--package ",
                        "--package=",
                        "--bin ",
                        "-w ",
                        "--workspace=",
                        "-pl ",
                    ]
                    .iter()
                    .any(|flag| mentions_word(r, &format!("{flag}{}", s.name)))
                    || filtered_packages(r).any(|p| p == s.name)
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The workspace packages a monorepo tool is told to build or prune
/// (`turbo prune --scope=@acme/web`, `turbo run build --filter=@acme/web...`,
/// `pnpm --filter @acme/web build`, `nx build web`'s `--projects=web`), as
/// package names without their npm scope and without the dependency
/// selectors (`...`, `^...`).
fn filtered_packages(command: &str) -> impl Iterator<Item = &str> {
    const FLAGS: &[&str] = &["--scope", "--filter", "-F", "--projects"];
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let value = FLAGS.iter().find_map(|f| {
            if *w == *f {
                words.get(i + 1).copied()
            } else {
                w.strip_prefix(f).and_then(|rest| rest.strip_prefix('='))
            }
        });
        let Some(value) = value else { continue };
        let value = value
            .trim_matches(|c| c == '"' || c == '\'')
            .trim_start_matches("...")
            .trim_start_matches('^')
            .trim_end_matches("...");
        if value.is_empty() || (value.contains(['/', '{', '*']) && !value.starts_with('@')) {
            continue;
        }
        out.push(crate::parse::manifest::strip_scope(value));
    }
    out.into_iter()
}

/// Whether a command names `path` as a whole path (`./cmd/api`,
/// `cmd/api/...`), not as part of a longer name (`cmd/api2`).
fn mentions_path(command: &str, path: &str) -> bool {
    command.match_indices(path).any(|(i, _)| {
        let before = command[..i].chars().next_back();
        let after = command[i + path.len()..].chars().next();
        before.is_none_or(|c| c.is_whitespace() || c == '/' || c == '.' || c == '=' || c == '"')
            && after
                .is_none_or(|c| c.is_whitespace() || c == '/' || c == '"' || c == ';' || c == '&')
    })
}

/// Whether `word` (a flag and its value) stands in `command` as a whole.
fn mentions_word(command: &str, word: &str) -> bool {
    command.match_indices(word).any(|(i, _)| {
        let after = command[i + word.len()..].chars().next();
        after.is_none_or(|c| c.is_whitespace() || c == ';' || c == '&' || c == '"')
    })
}

/// Whether a Dockerfile below the root packages the root service: built
/// from the root, it copies something that lies in no other service's
/// folder; built from its own folder, the root is the repo's one service
/// and the image is not a stock server (a custom nginx or database image
/// is a component of its own).
fn root_service_packaged(services: &[Service], df: &DockerfileFile, ctx: &str) -> bool {
    let sources = copy_sources(df);
    if ctx.is_empty() {
        return sources.iter().any(|src| {
            let p = paths::normalize(src).unwrap_or_default();
            !services
                .iter()
                .any(|s| !s.path.is_empty() && paths::is_within(&p, &s.path) && !p.is_empty())
        });
    }
    let stock_server = df
        .dockerfile
        .stages()
        .last()
        .is_some_and(|st| super::image::is_runtime_base(&st.base));
    services.len() == 1 && !stock_server
}

/// COPY/ADD sources taken from the build context (not `--from`, not URLs).
pub fn copy_sources(df: &DockerfileFile) -> Vec<String> {
    let mut out = Vec::new();
    for ins in &df.dockerfile.instructions {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            || ins.flags.iter().any(|f| f.name == "from")
        {
            continue;
        }
        let words = match &ins.args {
            Args::Json(v) | Args::Words(v) => v.clone(),
            _ => continue,
        };
        if words.len() < 2 {
            continue;
        }
        for w in &words[..words.len() - 1] {
            if w.contains("://") || w.starts_with("git@") || w.starts_with("<<") {
                continue;
            }
            out.push(w.trim_end_matches("/.").trim_end_matches('/').to_string());
        }
    }
    out
}

/// Links each Compose service to the components it runs: by build
/// (Dockerfile) or by an `image:` the repo's CI builds.
fn link_compose(facts: &Facts, g: &mut Graph) {
    for (pi, project) in facts.compose.iter().enumerate() {
        for (service_index, svc) in project.services.iter().enumerate() {
            let mut comps = Vec::new();
            if let Some(build) = &svc.build {
                let dockerfile = build.dockerfile_path();
                for def in g
                    .image_defs_for_file(&dockerfile)
                    .iter()
                    .filter_map(|&d| g.image_defs.get(d))
                {
                    comps.extend(def.components.iter().copied());
                }
                // Builder-defined services (no Dockerfile) built by context.
                if comps.is_empty() {
                    if let Some(ci) = g
                        .services
                        .iter()
                        .position(|s| s.path == build.context)
                        .and_then(|si| g.component_of_service(si))
                    {
                        comps.push(ci);
                    }
                }
            }
            if let Some(image) = &svc.image {
                if svc.build.is_none() && g.ci_builds_image(&image.value) {
                    comps.extend(g.components_for_image(&image.value));
                }
            }
            comps.sort_unstable();
            comps.dedup();
            g.compose_links.push(ComposeLink {
                project: pi,
                service: svc.name.clone(),
                service_index,
                file: svc.file.clone(),
                line: svc.line,
                components: comps,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::filtered_packages;

    #[test]
    fn workspace_filters_name_packages_without_scope_or_selectors() {
        fn names(c: &str) -> Vec<&str> {
            filtered_packages(c).collect()
        }
        assert_eq!(names("turbo prune --scope=@acme/web --docker"), vec!["web"]);
        assert_eq!(names("turbo run build --filter=@acme/web..."), vec!["web"]);
        assert_eq!(names("pnpm --filter api build"), vec!["api"]);
        assert_eq!(names("turbo run build --filter=...^@acme/ui"), vec!["ui"]);
        // Paths and globs are folders, not package names.
        assert!(names("pnpm --filter ./apps/web build").is_empty());
        assert!(names("pnpm --filter '{apps/*}' build").is_empty());
        assert!(names("npm run build").is_empty());
    }
}
