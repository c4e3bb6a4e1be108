//! The images steps 3-7 wire up: every containerized service or component
//! of the graph, plus the Dockerfiles this plan scaffolds.

use super::{Plan, PlannedImage};
use crate::audit::Audit;
use crate::graph::{ImageDefKind, ImageRole};
use std::path::Path;

/// One image of the app, as Compose and CI see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Unit {
    /// A Compose service name (`[a-z0-9][a-z0-9_-]*`).
    pub name: String,
    /// The build context, root-relative (`""` for the root).
    pub context: String,
    /// The Dockerfile, root-relative.
    pub dockerfile: String,
    /// The port the app listens on, when known.
    pub port: Option<u16>,
    /// The graph's component (`None` for a Dockerfile this plan scaffolds).
    pub component: Option<usize>,
    /// The service it builds, by index into the graph's services.
    pub service: Option<usize>,
    /// The Dockerfile's build stage, when it has one named `build`.
    pub build_stage: bool,
}

/// A Compose service name from a folder or package name.
pub(super) fn compose_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.rsplit('/').next().unwrap_or(name).chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(|c| c == '-' || c == '_').to_string();
    if out.is_empty() {
        "app".into()
    } else {
        out
    }
}

/// The first `EXPOSE` port of the final stage, and whether some stage is
/// named `build`.
pub(super) fn dockerfile_facts(text: &str) -> (Option<u16>, bool) {
    let mut port = None;
    let mut build = false;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().map(|w| w.to_ascii_uppercase()).as_deref() {
            Some("FROM") => {
                port = None;
                if words.len() >= 4
                    && words[words.len() - 2].eq_ignore_ascii_case("AS")
                    && words[words.len() - 1] == "build"
                {
                    build = true;
                }
            }
            Some("EXPOSE") if port.is_none() => {
                port = words
                    .get(1)
                    .and_then(|p| p.split('/').next())
                    .and_then(|p| p.parse().ok());
            }
            _ => {}
        }
    }
    (port, build)
}

/// Every unit, sorted by context; names made unique.
pub(super) fn units(root: &Path, audit: &Audit, plan: &Plan) -> Vec<Unit> {
    let g = &audit.graph;
    let chains = crate::graph::ports::chains(&audit.facts, g);
    let mut out: Vec<Unit> = Vec::new();
    for (ci, c) in g.containerized() {
        let Some(def) = c
            .image_defs
            .iter()
            .filter_map(|&d| g.image_defs.get(d))
            .find(|d| {
                d.kind == ImageDefKind::Dockerfile
                    && matches!(d.role(), ImageRole::Service | ImageRole::Component)
            })
        else {
            continue;
        };
        let dir = def.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let context = def
            .contexts
            .first()
            .map(|c| c.trim_start_matches("./").trim_end_matches('/'))
            .map(|c| if c == "." { "" } else { c })
            .unwrap_or(dir)
            .to_string();
        let text = std::fs::read_to_string(root.join(&def.file)).unwrap_or_default();
        let (expose, build_stage) = dockerfile_facts(&text);
        let service_path = c.service.and_then(|s| g.services.get(s)).map(|s| &s.path);
        let listening = service_path
            .and_then(|p| chains.iter().find(|ch| &ch.service == p))
            .and_then(|ch| ch.listening().first().copied());
        out.push(Unit {
            name: compose_name(&c.name),
            context,
            dockerfile: def.file.clone(),
            port: listening.or(expose),
            component: Some(ci),
            service: c.service,
            build_stage,
        });
    }
    for p in &plan.images {
        out.push(unit_of_planned(p));
    }
    out.sort_by(|a, b| {
        a.context
            .cmp(&b.context)
            .then(a.dockerfile.cmp(&b.dockerfile))
    });
    out.dedup_by(|a, b| a.dockerfile == b.dockerfile);
    let mut seen: Vec<String> = Vec::new();
    for u in &mut out {
        make_unique(u, &mut seen);
    }
    out
}

/// Renames a unit whose name is taken (or an engine's): its folder's
/// name first (`web` for a second `memos`), else a number.
pub(super) fn make_unique(u: &mut Unit, taken: &mut Vec<String>) {
    let free = |n: &str, taken: &[String]| {
        !taken.iter().any(|t| t == n) && !super::backing::is_engine_name(n)
    };
    if !free(&u.name, taken) {
        let folder = compose_name(&u.context);
        let base = if !u.context.is_empty() && free(&folder, taken) {
            folder
        } else {
            u.name.clone()
        };
        u.name = base.clone();
        let mut n = 2;
        while !free(&u.name, taken) {
            u.name = format!("{base}-{n}");
            n += 1;
        }
    }
    taken.push(u.name.clone());
}

fn unit_of_planned(p: &PlannedImage) -> Unit {
    let (port, build_stage) = dockerfile_facts(&p.text);
    Unit {
        name: compose_name(&p.name),
        context: p.context.clone(),
        dockerfile: p.dockerfile.clone(),
        port,
        component: None,
        service: Some(p.service),
        build_stage,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn names_and_dockerfile_facts() {
        assert_eq!(compose_name("@acme/Web App"), "web-app");
        assert_eq!(compose_name("services/api"), "api");
        assert_eq!(compose_name("..."), "app");
        let (port, build) = dockerfile_facts(
            "FROM golang:1 AS build\nEXPOSE 9999\nFROM scratch\nEXPOSE 8080/tcp\n",
        );
        assert_eq!(port, Some(8080));
        assert!(build);
        assert_eq!(dockerfile_facts("FROM a\n"), (None, false));
        let unit = |name: &str, context: &str| Unit {
            name: name.into(),
            context: context.into(),
            dockerfile: format!("{context}/Dockerfile"),
            port: None,
            component: None,
            service: None,
            build_stage: false,
        };
        let mut taken = vec!["memos".to_string()];
        let mut u = unit("memos", "web");
        make_unique(&mut u, &mut taken);
        assert_eq!(u.name, "web");
        let mut u = unit("memos", "");
        make_unique(&mut u, &mut taken);
        assert_eq!(u.name, "memos-2");
        let mut u = unit("redis", "");
        make_unique(&mut u, &mut taken);
        assert_eq!(u.name, "redis-2");
    }
}
