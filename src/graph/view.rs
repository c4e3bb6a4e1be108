//! A flat view of the graph for reports and `kubeready graph`: nodes and
//! labelled edges, in a stable order.

use super::{Graph, ImageDefKind};
use crate::parse::Facts;
use crate::paths;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Service,
    Component,
    ImageDefinition,
    ComposeService,
    BuildJob,
    TestJob,
    DeployJob,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ViewNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ViewEdge {
    pub from: String,
    pub to: String,
    pub label: String,
}

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct GraphView {
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
    /// One port chain per service whose listening port is known (see
    /// [`super::ports`]).
    pub port_chains: Vec<super::ports::PortChain>,
}

/// A chain on one line: `api: listens on 3000 (server.js:4) -> EXPOSE
/// 8080 (Dockerfile:3)`.
pub fn chain_line(c: &super::ports::PortChain) -> String {
    let links: Vec<String> = c
        .links
        .iter()
        .map(|l| {
            let ports: Vec<String> = l.ports.iter().map(u16::to_string).collect();
            format!(
                "{} {} ({}:{})",
                l.kind.label(),
                ports.join(","),
                l.file,
                l.line
            )
        })
        .collect();
    format!("{}: {}", paths::display(&c.service), links.join(" -> "))
}

fn job_label(facts: &Facts, pipeline: usize, job: usize) -> (String, String, u32) {
    match facts
        .pipelines
        .get(pipeline)
        .and_then(|p| p.jobs.get(job).map(|j| (p, j)))
    {
        Some((p, j)) => (
            format!(
                "{} · {}",
                paths::file_name(&p.file),
                if j.name.is_empty() { &j.id } else { &j.name }
            ),
            j.file.clone(),
            j.line,
        ),
        None => ("?".into(), String::new(), 1),
    }
}

pub fn view(facts: &Facts, g: &Graph) -> GraphView {
    let mut v = GraphView::default();
    let comp_id = |c: usize| format!("c{c}");
    for (ci, c) in g.components.iter().enumerate() {
        if c.image_defs.is_empty() && c.service.is_none() {
            continue;
        }
        let (kind, file, line) = match c.service.and_then(|s| g.services.get(s)) {
            Some(s) => (NodeKind::Service, s.manifest.clone(), s.line),
            None => (NodeKind::Component, c.path.clone(), 1),
        };
        let label = match c.service.and_then(|s| g.services.get(s)) {
            Some(s) => format!("{} ({})", paths::display(&c.path), s.language),
            None => format!("{} (image only)", paths::display(&c.path)),
        };
        v.nodes.push(ViewNode {
            id: comp_id(ci),
            kind,
            label,
            file,
            line,
        });
    }
    for (di, d) in g.image_defs.iter().enumerate() {
        let id = format!("i{di}");
        let label = match &d.kind {
            ImageDefKind::Dockerfile => d.file.clone(),
            ImageDefKind::Builder(tool) => format!("{tool} ({})", d.file),
        };
        v.nodes.push(ViewNode {
            id: id.clone(),
            kind: NodeKind::ImageDefinition,
            label,
            file: d.file.clone(),
            line: d.line,
        });
        for &c in &d.components {
            v.edges.push(ViewEdge {
                from: comp_id(c),
                to: id.clone(),
                label: "image".into(),
            });
        }
    }
    for (li, l) in g.compose_links.iter().enumerate() {
        let id = format!("s{li}");
        v.nodes.push(ViewNode {
            id: id.clone(),
            kind: NodeKind::ComposeService,
            label: format!("compose: {}", l.service),
            file: l.file.clone(),
            line: l.line,
        });
        for &c in &l.components {
            for &d in g
                .components
                .get(c)
                .map(|c| c.image_defs.as_slice())
                .unwrap_or(&[])
            {
                v.edges.push(ViewEdge {
                    from: format!("i{d}"),
                    to: id.clone(),
                    label: "runs in Compose".into(),
                });
            }
        }
    }
    // Node ids seen so far: a scan of the nodes per build, run and deploy
    // was quadratic in a pipeline of N jobs.
    let mut seen: std::collections::HashSet<String> =
        v.nodes.iter().map(|n| n.id.clone()).collect();
    let mut job_node = |v: &mut GraphView, kind: NodeKind, pipeline: usize, job: usize| -> String {
        let id = format!("j{pipeline}_{job}");
        if seen.insert(id.clone()) {
            let (label, file, line) = job_label(facts, pipeline, job);
            v.nodes.push(ViewNode {
                id: id.clone(),
                kind,
                label,
                file,
                line,
            });
        }
        id
    };
    for b in &g.builds {
        let id = job_node(&mut v, NodeKind::BuildJob, b.pipeline, b.job);
        let label = if b.push { "builds + pushes" } else { "builds" };
        for &d in &b.image_defs {
            v.edges.push(ViewEdge {
                from: format!("i{d}"),
                to: id.clone(),
                label: label.into(),
            });
        }
    }
    for r in &g.runs {
        if r.components.is_empty() {
            continue;
        }
        let id = job_node(&mut v, NodeKind::TestJob, r.pipeline, r.job);
        for &c in &r.components {
            v.edges.push(ViewEdge {
                from: comp_id(c),
                to: id.clone(),
                label: "runs".into(),
            });
        }
    }
    for d in &g.deploys {
        let id = job_node(&mut v, NodeKind::DeployJob, d.pipeline, d.job);
        for &c in &d.components {
            v.edges.push(ViewEdge {
                from: comp_id(c),
                to: id.clone(),
                label: format!("deploys to {}", d.target),
            });
        }
    }
    v.edges
        .sort_by(|a, b| (&a.from, &a.to, &a.label).cmp(&(&b.from, &b.to, &b.label)));
    v.edges
        .dedup_by(|a, b| a.from == b.from && a.to == b.to && a.label == b.label);
    v.port_chains = g.port_chains.clone();
    v
}

/// Mermaid flowchart text (GitHub renders it in Markdown).
pub fn to_mermaid(v: &GraphView) -> String {
    let mut out = String::from("flowchart LR\n");
    for n in &v.nodes {
        let label = n.label.replace('"', "'");
        let shape = match n.kind {
            NodeKind::Service | NodeKind::Component => format!("{}([\"{label}\"])", n.id),
            NodeKind::ImageDefinition => format!("{}[\"{label}\"]", n.id),
            NodeKind::ComposeService => format!("{}[/\"{label}\"/]", n.id),
            _ => format!("{}{{{{\"{label}\"}}}}", n.id),
        };
        out.push_str(&format!("  {shape}\n"));
    }
    for e in &v.edges {
        out.push_str(&format!(
            "  {} -->|{}| {}\n",
            e.from,
            e.label.replace('|', "/"),
            e.to
        ));
    }
    for c in &v.port_chains {
        out.push_str(&format!("  %% port chain {}\n", chain_line(c)));
    }
    out
}

/// Graphviz DOT text.
pub fn to_dot(v: &GraphView) -> String {
    let mut out = String::from("digraph kubeready {\n  rankdir=LR;\n");
    for n in &v.nodes {
        let shape = match n.kind {
            NodeKind::Service | NodeKind::Component => "ellipse",
            NodeKind::ImageDefinition => "box",
            NodeKind::ComposeService => "parallelogram",
            _ => "hexagon",
        };
        out.push_str(&format!(
            "  {} [label=\"{}\", shape={shape}];\n",
            n.id,
            n.label.replace('"', "\\\"")
        ));
    }
    for e in &v.edges {
        out.push_str(&format!(
            "  {} -> {} [label=\"{}\"];\n",
            e.from,
            e.to,
            e.label.replace('"', "\\\"")
        ));
    }
    for c in &v.port_chains {
        out.push_str(&format!("  // port chain {}\n", chain_line(c)));
    }
    out.push_str("}\n");
    out
}
