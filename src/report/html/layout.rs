//! A layered layout of the pipeline graph for the HTML report: services
//! and components, then image definitions, then build jobs, then what runs
//! or deploys the images (Compose services, test and deploy jobs). Nodes
//! are ordered within a layer by the mean position of their neighbours in
//! the layer before (a barycentre pass), which keeps most edges short and
//! uncrossed for the shapes kubeready's graphs have. Deterministic: ties
//! keep the view's (sorted) order.

use crate::graph::view::{GraphView, NodeKind};

pub const NODE_WIDTH: u32 = 230;
pub const NODE_HEIGHT: u32 = 40;
const COLUMN_GAP: u32 = 90;
const ROW_GAP: u32 = 16;
const MARGIN: u32 = 12;
/// Headings above the columns.
const HEADER: u32 = 28;
/// Labels longer than this are cut (the full label is the node's tooltip).
const MAX_LABEL: usize = 30;

/// Graphs larger than this are not drawn (the page would be unreadable).
pub const MAX_NODES: usize = 400;

pub const LAYER_TITLES: [&str; 4] = ["Services", "Images", "Builds", "Runs and deploys"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedNode {
    pub id: String,
    /// CSS class: `service`, `component`, `image`, `compose`, `build`,
    /// `test`, `deploy`.
    pub class: &'static str,
    pub label: String,
    /// The label as drawn (cut to fit).
    pub short_label: String,
    pub file: String,
    pub line: u32,
    pub x: u32,
    pub y: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedEdge {
    pub label: String,
    /// SVG path data of a cubic curve from the source's right side to the
    /// target's left side.
    pub path: String,
    pub label_x: u32,
    pub label_y: u32,
    /// Drawn only between neighbouring columns, where it has room; every
    /// edge keeps its label as a tooltip.
    pub show_label: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<PlacedEdge>,
    /// (x, title) of each non-empty column.
    pub columns: Vec<(u32, &'static str)>,
}

fn layer(kind: &NodeKind) -> usize {
    match kind {
        NodeKind::Service | NodeKind::Component => 0,
        NodeKind::ImageDefinition => 1,
        NodeKind::BuildJob => 2,
        NodeKind::ComposeService | NodeKind::TestJob | NodeKind::DeployJob => 3,
    }
}

fn class(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Service => "service",
        NodeKind::Component => "component",
        NodeKind::ImageDefinition => "image",
        NodeKind::ComposeService => "compose",
        NodeKind::BuildJob => "build",
        NodeKind::TestJob => "test",
        NodeKind::DeployJob => "deploy",
    }
}

fn cut(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_string()
    } else {
        let kept: String = label.chars().take(MAX_LABEL - 1).collect();
        format!("{kept}…")
    }
}

/// Lays the graph out; `None` when it has more than [`MAX_NODES`] nodes.
pub fn layout(view: &GraphView) -> Option<Layout> {
    if view.nodes.len() > MAX_NODES {
        return None;
    }
    if view.nodes.is_empty() {
        return Some(Layout::default());
    }
    let index = |id: &str| view.nodes.iter().position(|n| n.id == id);
    // Columns: node indices in view order.
    let mut columns: [Vec<usize>; 4] = Default::default();
    for (i, n) in view.nodes.iter().enumerate() {
        if let Some(col) = columns.get_mut(layer(&n.kind)) {
            col.push(i);
        }
    }
    let edges: Vec<(usize, usize, &str)> = view
        .edges
        .iter()
        .filter_map(|e| Some((index(&e.from)?, index(&e.to)?, e.label.as_str())))
        .collect();
    // Barycentre ordering, column by column, against the positions already
    // fixed to the left.
    let mut position = vec![0f64; view.nodes.len()];
    for col in columns.iter_mut() {
        let fixed = position.clone();
        let key = |node: usize, rank: usize| {
            let sources: Vec<f64> = edges
                .iter()
                .filter(|(from, to, _)| *to == node && *from != node)
                .filter(|(from, _, _)| {
                    layer(&view.nodes[*from].kind) < layer(&view.nodes[node].kind)
                })
                .map(|(from, _, _)| fixed[*from])
                .collect();
            if sources.is_empty() {
                rank as f64
            } else {
                sources.iter().sum::<f64>() / sources.len() as f64
            }
        };
        let mut keyed: Vec<(f64, usize, usize)> = col
            .iter()
            .enumerate()
            .map(|(rank, &node)| (key(node, rank), rank, node))
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *col = keyed.iter().map(|(_, _, node)| *node).collect();
        for (rank, &node) in col.iter().enumerate() {
            position[node] = rank as f64;
        }
    }
    let used: Vec<usize> = (0..4).filter(|c| !columns[*c].is_empty()).collect();
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let mut out = Layout {
        width: MARGIN * 2
            + used.len() as u32 * NODE_WIDTH
            + (used.len() as u32).saturating_sub(1) * COLUMN_GAP,
        height: MARGIN * 2 + HEADER + rows * NODE_HEIGHT + rows.saturating_sub(1) * ROW_GAP,
        ..Default::default()
    };
    let mut placed: Vec<(u32, u32)> = vec![(0, 0); view.nodes.len()];
    for (slot, &c) in used.iter().enumerate() {
        let x = MARGIN + slot as u32 * (NODE_WIDTH + COLUMN_GAP);
        out.columns.push((x, LAYER_TITLES[c]));
        for (rank, &node) in columns[c].iter().enumerate() {
            let y = MARGIN + HEADER + rank as u32 * (NODE_HEIGHT + ROW_GAP);
            placed[node] = (x, y);
            let n = &view.nodes[node];
            out.nodes.push(PlacedNode {
                id: n.id.clone(),
                class: class(&n.kind),
                label: n.label.clone(),
                short_label: cut(&n.label),
                file: n.file.clone(),
                line: n.line,
                x,
                y,
            });
        }
    }
    for (from, to, label) in edges {
        let (fx, fy) = placed[from];
        let (tx, ty) = placed[to];
        let (x1, y1) = (fx + NODE_WIDTH, fy + NODE_HEIGHT / 2);
        let (x2, y2) = (tx, ty + NODE_HEIGHT / 2);
        let adjacent = x2.saturating_sub(x1) <= COLUMN_GAP;
        let (path, label_x, label_y) = if adjacent || x2 <= x1 {
            let bend = x2.saturating_sub(x1) / 2;
            (
                format!(
                    "M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}",
                    x1 + bend,
                    x2.saturating_sub(bend)
                ),
                x1 + (x2.saturating_sub(x1)) / 2,
                (y1 + y2) / 2,
            )
        } else {
            // Across a column: down the gap after the source's column,
            // along the gap between rows just above the target, and in,
            // so the edge never runs under a node.
            let channel = ty.saturating_sub(ROW_GAP / 2);
            let (gx1, gx2) = (x1 + COLUMN_GAP / 3, x2.saturating_sub(COLUMN_GAP / 3));
            (
                format!("M{x1},{y1} H{gx1} V{channel} H{gx2} V{y2} H{x2}"),
                gx1 + (gx2.saturating_sub(gx1)) / 2,
                channel,
            )
        };
        out.edges.push(PlacedEdge {
            label: label.to_string(),
            path,
            label_x,
            label_y,
            show_label: adjacent,
        });
    }
    Some(out)
}

/// One bar of the fleet's step funnel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelBar {
    pub label: String,
    /// `12 of 20`.
    pub count: String,
    pub y: u32,
    pub width: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Funnel {
    pub width: u32,
    pub height: u32,
    /// Where bars start (after the labels) and their full length.
    pub bar_x: u32,
    pub bar_max: u32,
    pub bar_height: u32,
    pub bars: Vec<FunnelBar>,
}

/// Bars of `(label, count)` out of `total`, for the funnel chart: each
/// label above its bar, so the chart stays narrow enough for a phone.
pub fn funnel(rows: &[(String, usize)], total: usize) -> Funnel {
    let (bar_max, bar_height, row) = (420u32, 18u32, 50u32);
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, n))| FunnelBar {
            label: label.clone(),
            count: format!("{n} of {total}"),
            y: MARGIN + i as u32 * row,
            width: (*n as u64 * u64::from(bar_max))
                .checked_div(total as u64)
                .unwrap_or(0) as u32,
        })
        .collect::<Vec<_>>();
    Funnel {
        width: bar_max + 90,
        height: MARGIN + bars.len() as u32 * row,
        bar_x: 0,
        bar_max,
        bar_height,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::view::{ViewEdge, ViewNode};

    fn node(id: &str, kind: NodeKind) -> ViewNode {
        ViewNode {
            id: id.into(),
            kind,
            label: id.into(),
            file: "f".into(),
            line: 1,
        }
    }

    fn edge(from: &str, to: &str) -> ViewEdge {
        ViewEdge {
            from: from.into(),
            to: to.into(),
            label: "x".into(),
        }
    }

    #[test]
    fn layers_left_to_right_and_orders_by_neighbours() {
        let view = GraphView {
            nodes: vec![
                node("c0", NodeKind::Service),
                node("c1", NodeKind::Service),
                node("i0", NodeKind::ImageDefinition),
                node("i1", NodeKind::ImageDefinition),
                node("j0_0", NodeKind::DeployJob),
            ],
            // c0 builds i1 and c1 builds i0: the images swap places.
            edges: vec![edge("c0", "i1"), edge("c1", "i0"), edge("c1", "j0_0")],
            port_chains: Vec::new(),
        };
        let l = layout(&view).unwrap();
        let at = |id: &str| {
            let n = l.nodes.iter().find(|n| n.id == id).unwrap();
            (n.x, n.y)
        };
        assert!(at("c0").0 < at("i0").0 && at("i0").0 < at("j0_0").0);
        assert!(at("i1").1 < at("i0").1, "{l:?}");
        assert_eq!(l.columns.len(), 3, "the empty build column is dropped");
        assert_eq!(l.edges.len(), 3);
        assert!(l.width > 3 * NODE_WIDTH && l.height >= NODE_HEIGHT * 2);
    }

    #[test]
    fn long_labels_are_cut_and_big_graphs_are_not_drawn() {
        assert_eq!(cut("short"), "short");
        assert_eq!(cut(&"a".repeat(40)).chars().count(), MAX_LABEL);
        let view = GraphView {
            nodes: (0..=MAX_NODES)
                .map(|i| node(&format!("c{i}"), NodeKind::Service))
                .collect(),
            edges: vec![],
            port_chains: Vec::new(),
        };
        assert!(layout(&view).is_none());
    }
}
