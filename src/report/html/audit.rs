//! The audit page: verdict and checklist progress, next steps, the
//! pipeline graph as SVG, sections, services and findings by file.

use super::layout::{Layout, NODE_HEIGHT, NODE_WIDTH};
use super::model::{AuditPage, ChainRow, GraphSection, ServiceRow, StepRow};
use super::{esc, page, rich, status};
use crate::report::AuditReport;
use std::fmt::Write as _;

/// The whole page for one report.
pub fn render(report: &AuditReport) -> String {
    render_page(&AuditPage::new(report), None)
}

/// The page, with an optional link back (to the fleet page).
pub fn render_page(p: &AuditPage, back: Option<&str>) -> String {
    let mut b = String::new();
    if let Some(href) = back {
        let _ = writeln!(b, "<p><a href=\"{}\">← fleet</a></p>", esc(href));
    }
    let _ = writeln!(b, "<h1>kubeready: <code>{}</code></h1>", esc(&p.root));
    let _ = writeln!(b, "<p class=\"verdict\">{}</p>", rich(&p.verdict));
    checklist(&mut b, p);
    if !p.next_steps.is_empty() {
        b.push_str("<h2 id=\"next\">Next steps</h2>\n<ol>\n");
        for s in &p.next_steps {
            let _ = writeln!(b, "<li>{}</li>", rich(s));
        }
        b.push_str("</ol>\n");
    }
    graph(&mut b, &p.graph);
    if !p.sections.is_empty() {
        b.push_str("<h2 id=\"sections\">After the checklist</h2>\n");
        steps_table(&mut b, &p.sections, false);
    }
    services(&mut b, "services", "Services", &p.services, true);
    services(
        &mut b,
        "components",
        "Image-only components",
        &p.components,
        false,
    );
    port_chains(&mut b, &p.port_chains);
    findings(&mut b, p);
    page(&format!("kubeready: {}", p.root), &b, false)
}

fn checklist(b: &mut String, p: &AuditPage) {
    b.push_str("<h2 id=\"checklist\">Checklist</h2>\n");
    let _ = writeln!(
        b,
        "<p><strong>{}/{}</strong> steps done · score <strong>{}</strong>/100</p>",
        p.done, p.total, p.score
    );
    let _ = writeln!(
        b,
        "<div class=\"scorebar\" role=\"img\" aria-label=\"score {} of 100\"><span style=\"width:{}%\"></span></div>",
        p.score, p.percent
    );
    b.push_str("<div class=\"progress\">\n");
    for s in &p.steps {
        let _ = writeln!(
            b,
            "<span class=\"seg {}\" title=\"{}. {}: {}\">{} {}</span>",
            s.mark.class,
            s.number,
            esc(&s.title),
            s.mark.word,
            s.number,
            s.mark.symbol
        );
    }
    b.push_str("</div>\n");
    steps_table(b, &p.steps, true);
}

fn steps_table(b: &mut String, rows: &[StepRow], numbered: bool) {
    b.push_str("<div class=\"scroll\"><table class=\"stack\">\n<thead><tr>");
    if numbered {
        b.push_str("<th class=\"num\">#</th><th>Step</th>");
    } else {
        b.push_str("<th>Section</th>");
    }
    b.push_str("<th>Status</th><th class=\"num\">Score</th><th>Why, and what next</th></tr></thead>\n<tbody>\n");
    for r in rows {
        b.push_str("<tr>");
        if numbered {
            let _ = write!(b, "<td class=\"num\" data-label=\"#\">{}</td>", r.number);
        }
        let _ = write!(
            b,
            "<td data-label=\"Step\">{}</td><td data-label=\"Status\">{}</td><td class=\"num\" data-label=\"Score\">{}</td><td data-label=\"Why\">{}",
            esc(&r.title),
            status(r.mark),
            esc(&r.score),
            rich(&r.summary)
        );
        if !r.evidence.is_empty() {
            b.push_str("<ul class=\"evidence\">");
            for (at, message) in &r.evidence {
                let _ = write!(b, "<li><code>{}</code> {}</li>", esc(at), rich(message));
            }
            b.push_str("</ul>");
        }
        if !r.next_steps.is_empty() {
            b.push_str("<ul class=\"evidence\">");
            for s in &r.next_steps {
                let _ = write!(b, "<li>→ {}</li>", rich(s));
            }
            b.push_str("</ul>");
        }
        b.push_str("</td></tr>\n");
    }
    b.push_str("</tbody></table></div>\n");
}

/// The layout as an inline SVG.
pub fn svg(l: &Layout) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<svg class=\"graph\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"graph-title\">",
        w = l.width,
        h = l.height
    );
    b.push_str("<title id=\"graph-title\">Pipeline graph: services, images, builds, runs and deploys</title>\n");
    b.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8c959f\"/></marker></defs>\n");
    for (x, title) in &l.columns {
        let _ = writeln!(
            b,
            "<text class=\"col\" x=\"{x}\" y=\"24\">{}</text>",
            esc(title)
        );
    }
    for e in &l.edges {
        let label = esc(&e.label);
        let _ = writeln!(
            b,
            "<g class=\"edge\"><title>{label}</title><path d=\"{}\" marker-end=\"url(#arrow)\"/>{}</g>",
            esc(&e.path),
            if e.show_label {
                format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{label}</text>",
                    e.label_x,
                    e.label_y.saturating_sub(3)
                )
            } else {
                String::new()
            },
        );
    }
    for n in &l.nodes {
        let _ = writeln!(
            b,
            "<g class=\"node {class}\" id=\"node-{id}\"><title>{label} ({file}:{line})</title><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"{rx}\"/><text x=\"{tx}\" y=\"{ty}\">{short}</text></g>",
            class = n.class,
            id = esc(&n.id),
            label = esc(&n.label),
            file = esc(&n.file),
            line = n.line,
            x = n.x,
            y = n.y,
            rx = if n.class == "service" || n.class == "component" { 18 } else { 4 },
            tx = n.x + 10,
            ty = n.y + NODE_HEIGHT / 2 + 4,
            short = esc(&n.short_label)
        );
    }
    b.push_str("</svg>\n");
    b
}

fn graph(b: &mut String, g: &GraphSection) {
    b.push_str("<h2 id=\"graph\">Pipeline graph</h2>\n");
    match g {
        GraphSection::Empty => {
            b.push_str("<p class=\"muted\">No services, images or pipelines found.</p>\n")
        }
        GraphSection::TooLarge { nodes } => {
            let _ = writeln!(
                b,
                "<p class=\"muted\">The graph has {nodes} nodes, too many to draw here; <code>kubeready graph --format dot</code> prints it.</p>"
            );
        }
        GraphSection::Drawn(l) => {
            b.push_str("<p class=\"legend muted\"><span>rounded: service</span> <span>dashed rounded: image-only component</span> <span>box: image, build, run or deploy</span></p>\n");
            b.push_str("<div class=\"scroll\">\n");
            b.push_str(&svg(l));
            b.push_str("</div>\n");
        }
    }
}

fn services(b: &mut String, id: &str, title: &str, rows: &[ServiceRow], with_language: bool) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(b, "<h2 id=\"{id}\">{title}</h2>");
    b.push_str("<div class=\"scroll\"><table class=\"stack\">\n<thead><tr><th>Path</th>");
    if with_language {
        b.push_str("<th>Language</th><th>Containerized</th>");
    }
    b.push_str("<th>Image definitions</th></tr></thead>\n<tbody>\n");
    for s in rows {
        let _ = write!(
            b,
            "<tr><td data-label=\"Path\"><code>{}</code></td>",
            esc(&s.path)
        );
        if with_language {
            let _ = write!(
                b,
                "<td data-label=\"Language\">{}</td><td data-label=\"Containerized\">{}</td>",
                esc(&s.language),
                if s.containerized {
                    "<span class=\"st done\"><span class=\"mark\" aria-hidden=\"true\">✔</span>yes</span>"
                } else {
                    "<span class=\"st missing\"><span class=\"mark\" aria-hidden=\"true\">✘</span>no</span>"
                }
            );
        }
        let defs: Vec<String> = s
            .image_definitions
            .iter()
            .map(|d| format!("<code>{}</code>", esc(d)))
            .collect();
        let _ = writeln!(
            b,
            "<td data-label=\"Image definitions\">{}</td></tr>",
            if defs.is_empty() {
                "–".to_string()
            } else {
                defs.join(", ")
            }
        );
    }
    b.push_str("</tbody></table></div>\n");
}

/// One list per service: the port from the code to the Ingress, each
/// link with its `file:line`.
fn port_chains(b: &mut String, chains: &[ChainRow]) {
    if chains.is_empty() {
        return;
    }
    b.push_str("<h2 id=\"port-chains\">Port chains</h2>\n");
    for c in chains {
        let _ = writeln!(
            b,
            "<p><code>{}</code></p>\n<ol class=\"chain\">",
            esc(&c.service)
        );
        for (what, at) in &c.links {
            let _ = writeln!(b, "<li>{} (<code>{}</code>)</li>", esc(what), esc(at));
        }
        b.push_str("</ol>\n");
    }
}

fn findings(b: &mut String, p: &AuditPage) {
    b.push_str("<h2 id=\"findings\">Findings</h2>\n<p>");
    let parts: Vec<String> = p
        .counts
        .iter()
        .map(|(sev, n)| format!("<span class=\"sev {sev}\">{n} {sev}</span>"))
        .collect();
    b.push_str(&parts.join(" · "));
    b.push_str("</p>\n");
    for g in &p.files {
        let _ = writeln!(
            b,
            "<h3><code>{}</code> <span class=\"muted\">({})</span></h3>",
            esc(&g.file),
            g.findings.len()
        );
        b.push_str("<div class=\"scroll\"><table class=\"stack\">\n<thead><tr><th class=\"num\">Line</th><th>Rule</th><th>Severity</th><th>Message</th></tr></thead>\n<tbody>\n");
        for f in &g.findings {
            let help = if f.help.is_empty() {
                String::new()
            } else {
                format!(
                    "<div class=\"help\">{} <a href=\"#rule-{}\">more</a></div>",
                    rich(&f.help),
                    esc(&f.code)
                )
            };
            let _ = writeln!(
                b,
                "<tr><td class=\"num\" data-label=\"Line\">{}</td><td data-label=\"Rule\"><code>{}</code> {}</td><td data-label=\"Severity\"><span class=\"sev {sev}\">{sev}</span></td><td data-label=\"Message\">{}{help}</td></tr>",
                f.line,
                esc(&f.code),
                esc(&f.name),
                rich(&f.message),
                sev = f.severity
            );
        }
        b.push_str("</tbody></table></div>\n");
    }
    if !p.suppressed.is_empty() {
        let _ = writeln!(
            b,
            "<h3>Suppressed findings ({})</h3>\n<div class=\"scroll\"><table class=\"stack\"><thead><tr><th>File</th><th class=\"num\">Line</th><th>Code</th><th>Suppressed by</th></tr></thead><tbody>",
            p.suppressed.len()
        );
        for (file, line, code, by) in &p.suppressed {
            let _ = writeln!(
                b,
                "<tr><td data-label=\"File\"><code>{}</code></td><td class=\"num\" data-label=\"Line\">{line}</td><td data-label=\"Code\"><code>{}</code></td><td data-label=\"Suppressed by\">{}</td></tr>",
                esc(file),
                esc(code),
                esc(by)
            );
        }
        b.push_str("</tbody></table></div>\n");
    }
    if !p.rules.is_empty() {
        b.push_str("<h2 id=\"rules\">Rules cited</h2>\n<dl>\n");
        for r in &p.rules {
            let _ = writeln!(
                b,
                "<dt id=\"rule-{code}\"><code>{code}</code> {}</dt><dd>{}<br><span class=\"help\">{}</span></dd>",
                esc(&r.name),
                rich(&r.summary),
                rich(&r.why),
                code = esc(&r.code)
            );
        }
        b.push_str("</dl>\n");
    }
}
