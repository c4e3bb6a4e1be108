//! Step 3: a root Compose file for every service and component, with the
//! backing services their code needs (healthchecks, `depends_on` on
//! `service_healthy`) and a `develop.watch` dev loop; or, when a Compose
//! file exists, the missing services inserted into its `services:` block
//! with every other line kept as it was.

use super::units::{units, Unit};
use super::{backing, render, Change, Plan, Selection};
use crate::audit::Audit;
use crate::kind::RepositoryKind;
use crate::parse::compose::ComposeProject;
use crate::sections::stateful_services::engines::engine_of_image;
use std::path::Path;

const COMPOSE: &str = include_str!("../../templates/compose/compose.yml.tmpl");
const SERVICE: &str = include_str!("../../templates/compose/service.yml.tmpl");

/// The file a new Compose scaffold is written to.
pub(super) const NEW_FILE: &str = "compose.yaml";

pub(super) fn plan(root: &Path, audit: &Audit, selection: &Selection, plan: &mut Plan) {
    if !selection.step("compose") {
        return;
    }
    if audit.report.repository.kind != RepositoryKind::Application {
        return;
    }
    let all = units(root, audit, plan);
    if all.is_empty() {
        if !audit.graph.services.is_empty() {
            plan.skipped
                .push("no Compose scaffold: no service has a Dockerfile yet".into());
        }
        return;
    }
    let repo_engines = backing::of_repository(root, audit);
    let needs = |u: &Unit| -> Vec<&'static str> {
        let Some(s) = u.service.and_then(|i| audit.graph.services.get(i)) else {
            return Vec::new();
        };
        let mut e = backing::of_service(root, audit, s);
        e.extend(repo_engines.iter().copied());
        e.sort_by_key(|x| backing::ENGINES.iter().position(|y| y == x));
        e.dedup();
        e
    };
    let project = audit
        .facts
        .compose
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.variant)
        .min_by_key(|(_, p)| (!p.dir.is_empty(), p.file.clone()));
    match project {
        None => new_file(root, &all, &needs, plan),
        Some((index, p)) => add_to(root, audit, index, p, &all, &needs, plan),
    }
}

fn new_file(
    root: &Path,
    all: &[Unit],
    needs: &dyn Fn(&Unit) -> Vec<&'static str>,
    plan: &mut Plan,
) {
    if root.join(NEW_FILE).exists() {
        plan.skipped.push(format!(
            "`{NEW_FILE}` exists but is not a Compose project kubeready can read; not overwritten"
        ));
        return;
    }
    let mut engines: Vec<&'static str> = all.iter().flat_map(needs).collect();
    engines.sort_by_key(|x| backing::ENGINES.iter().position(|y| y == x));
    engines.dedup();
    let mut blocks = Vec::new();
    let mut host_ports: Vec<u16> = Vec::new();
    for u in all {
        let deps: Vec<(&str, bool)> = needs(u).into_iter().map(|e| (e, true)).collect();
        blocks.push(app_block(u, "", &deps, &mut host_ports));
    }
    for e in &engines {
        blocks.push(backing::service_block(e, true));
    }
    let volumes: Vec<String> = engines
        .iter()
        .filter(|e| backing::has_volume(e))
        .map(|e| format!("  {e}-data:"))
        .collect();
    let volumes = if volumes.is_empty() {
        String::new()
    } else {
        format!("volumes:\n{}", volumes.join("\n"))
    };
    let text = render(
        COMPOSE,
        &[
            ("SERVICES", blocks.concat().trim_end().to_string()),
            ("VOLUMES", volumes),
        ],
    );
    let mut reasons = vec![format!(
        "step 3 compose: {} service(s) with `build:`",
        all.len()
    )];
    if !engines.is_empty() {
        reasons.push(format!("backing services {}", engines.join(", ")));
    }
    reasons.push("step 4 dev-env: `develop.watch` dev loop".into());
    plan.changes.push(Change {
        path: NEW_FILE.into(),
        old: None,
        new: text,
        reasons,
    });
}

fn add_to(
    root: &Path,
    audit: &Audit,
    index: usize,
    p: &ComposeProject,
    all: &[Unit],
    needs: &dyn Fn(&Unit) -> Vec<&'static str>,
    plan: &mut Plan,
) {
    let g = &audit.graph;
    // Names unique against the file's services and each other.
    let mut taken: Vec<String> = p.services.iter().map(|s| s.name.clone()).collect();
    let mut missing: Vec<Unit> = Vec::new();
    for u in all.iter().filter(|u| match u.component {
        None => true,
        Some(c) => !g
            .compose_links_of(c)
            .iter()
            .any(|&l| g.compose_links.get(l).is_some_and(|l| l.project == index)),
    }) {
        let mut u = u.clone();
        super::units::make_unique(&mut u, &mut taken);
        missing.push(u);
    }
    if missing.is_empty() {
        return;
    }
    // Engines the project already runs, by the service that runs them.
    let running: Vec<(&'static str, &str, bool)> = p
        .services
        .iter()
        .filter_map(|s| {
            let engine = s
                .image
                .as_ref()
                .and_then(|i| engine_of_image(&i.value))
                .map(|(e, _)| e)?;
            Some((engine, s.name.as_str(), s.healthcheck.is_some()))
        })
        .collect();
    let mut added_engines: Vec<&'static str> = Vec::new();
    let mut blocks = Vec::new();
    let mut host_ports: Vec<u16> = p
        .services
        .iter()
        .flat_map(|s| s.ports.iter())
        .filter_map(|m| m.host.as_deref().and_then(|h| h.parse().ok()))
        .collect();
    for u in &missing {
        let mut deps: Vec<(String, bool)> = Vec::new();
        for e in needs(u) {
            match running.iter().find(|(x, ..)| *x == e) {
                Some((_, name, healthy)) => deps.push((name.to_string(), *healthy)),
                None => {
                    if !added_engines.contains(&e) && !p.services.iter().any(|s| s.name == e) {
                        added_engines.push(e);
                    }
                    deps.push((e.to_string(), true));
                }
            }
        }
        let deps: Vec<(&str, bool)> = deps.iter().map(|(n, h)| (n.as_str(), *h)).collect();
        blocks.push(app_block(u, &p.dir, &deps, &mut host_ports));
    }
    for e in &added_engines {
        blocks.push(backing::service_block(e, false));
    }
    let Ok(old) = std::fs::read_to_string(root.join(&p.file)) else {
        plan.skipped.push(format!("`{}` could not be read", p.file));
        return;
    };
    let Some(new) = insert_services(&old, &blocks.concat()) else {
        plan.skipped.push(format!(
            "`{}`: no block-style top-level `services:`; add {} by hand",
            p.file,
            missing
                .iter()
                .map(|u| format!("`{}`", u.name))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return;
    };
    let mut reasons = vec![format!(
        "step 3 compose: add {}",
        missing
            .iter()
            .map(|u| format!("`{}`", u.name))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    if !added_engines.is_empty() {
        reasons.push(format!("backing services {}", added_engines.join(", ")));
    }
    plan.changes.push(Change {
        path: p.file.clone(),
        old: Some(old),
        new,
        reasons,
    });
}

/// A path relative to a folder (`""` = the root), with `../` where needed.
pub(super) fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    if parts.is_empty() {
        ".".into()
    } else if parts[0] == ".." {
        parts.join("/")
    } else {
        format!("./{}", parts.join("/"))
    }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\".\"".into())
}

/// An app service block (two-space indented). `deps` are the services it
/// waits for, with whether they have a healthcheck.
fn app_block(
    u: &Unit,
    compose_dir: &str,
    deps: &[(&str, bool)],
    host_ports: &mut Vec<u16>,
) -> String {
    let context = relative(compose_dir, &u.context);
    let dockerfile = relative(&u.context, &u.dockerfile);
    let dockerfile = dockerfile.trim_start_matches("./");
    let ports = match u.port {
        Some(port) => {
            let mut host = port;
            while host_ports.contains(&host) {
                host = host.saturating_add(1);
            }
            host_ports.push(host);
            format!("    ports:\n      - \"{host}:{port}\"")
        }
        None => String::new(),
    };
    let environment: Vec<String> = deps
        .iter()
        .filter_map(|(name, _)| backing::ENGINES.iter().find(|e| *e == name))
        .map(|e| {
            let (var, default) = backing::connection(e);
            format!("      {var}: \"${{{var}:-{default}}}\"")
        })
        .collect();
    let mut seen = Vec::new();
    let environment: Vec<String> = environment
        .into_iter()
        .filter(|l| {
            let key = l.split(':').next().unwrap_or("").to_string();
            let fresh = !seen.contains(&key);
            seen.push(key);
            fresh
        })
        .collect();
    let environment = if environment.is_empty() {
        String::new()
    } else {
        format!("    environment:\n{}", environment.join("\n"))
    };
    let depends_on = if deps.is_empty() {
        String::new()
    } else {
        let mut out = String::from("    depends_on:");
        for (name, healthy) in deps {
            let condition = if *healthy {
                "service_healthy"
            } else {
                "service_started"
            };
            out.push_str(&format!("\n      {name}:\n        condition: {condition}"));
        }
        out
    };
    render(
        SERVICE,
        &[
            ("NAME", u.name.clone()),
            ("CONTEXT", quoted(&context)),
            ("DOCKERFILE", quoted(dockerfile)),
            ("PORTS", ports),
            ("ENVIRONMENT", environment),
            ("DEPENDS_ON", depends_on),
        ],
    )
}

/// Inserts service blocks (two-space indented) at the end of the
/// top-level `services:` block, re-indented to the file's own service
/// indentation; `None` when there is no block-style `services:`.
fn insert_services(old: &str, blocks: &str) -> Option<String> {
    let eol = if old.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let body = |l: &str| l.trim_end_matches(['\n', '\r']).to_string();
    let start = lines.iter().position(|l| {
        let b = body(l);
        let b = b.split(" #").next().unwrap_or("").trim_end();
        b == "services:"
    })?;
    let top_level = |l: &str| {
        let b = body(l);
        !b.is_empty() && !b.starts_with([' ', '\t', '#'])
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| top_level(l))
        .map(|i| start + 1 + i)
        .unwrap_or(lines.len());
    let indent = lines[start + 1..end]
        .iter()
        .map(|l| body(l))
        .find(|b| !b.trim().is_empty() && !b.trim_start().starts_with('#'))
        .map(|b| b.len() - b.trim_start().len())
        .unwrap_or(2);
    if lines[start + 1..end].iter().any(|l| body(l).contains('\t')) {
        return None;
    }
    // Blank lines and top-level comments just before the next key stay
    // with it.
    let mut at = end;
    while at > start + 1 {
        let b = body(lines[at - 1]);
        if b.trim().is_empty() || (end < lines.len() && b.starts_with('#')) {
            at -= 1;
        } else {
            break;
        }
    }
    let pad = " ".repeat(indent);
    let mut insert = String::new();
    for l in blocks.lines() {
        let rest = l.strip_prefix("  ").unwrap_or(l);
        insert.push_str(&pad);
        insert.push_str(rest);
        insert.push_str(eol);
    }
    let mut out: String = lines[..at].concat();
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&insert);
    out.push_str(&lines[at..].concat());
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative("", ""), ".");
        assert_eq!(relative("", "services/api"), "./services/api");
        assert_eq!(relative("deploy", "services/api"), "../services/api");
        assert_eq!(
            relative("services/api", "services/api/Dockerfile"),
            "./Dockerfile"
        );
    }

    #[test]
    fn services_are_inserted_keeping_everything_else() {
        let old = "# app\nservices:\n    web:   # the front\n        image: nginx:1.27\n\n# data\nvolumes:\n    data: {}\n";
        let new = insert_services(old, "  api:\n    build:\n      context: \".\"\n").unwrap();
        assert_eq!(
            new,
            "# app\nservices:\n    web:   # the front\n        image: nginx:1.27\n    api:\n      build:\n        context: \".\"\n\n# data\nvolumes:\n    data: {}\n"
        );
        let crlf = "services:\r\n  web:\r\n    image: nginx:1.27";
        let new = insert_services(crlf, "  api:\n    image: a:1\n").unwrap();
        assert_eq!(
            new,
            "services:\r\n  web:\r\n    image: nginx:1.27\r\n  api:\r\n    image: a:1\r\n"
        );
        assert!(insert_services("services: {}\n", "  a:\n").is_none());
    }
}
