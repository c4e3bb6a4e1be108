//! The fleet page: summary, the step funnel as an SVG chart, the sortable
//! table of repositories (sorted by name without the script), blocking
//! findings, next steps and what moved since the previous run.

use super::layout::{funnel, Funnel};
use super::model::mark_of_status_name;
use super::{esc, page, rich, status};
use crate::fleet::model::{FleetReport, RepoRow, RowStatus};
use std::fmt::Write as _;

pub fn render(r: &FleetReport) -> String {
    let mut b = String::new();
    let s = &r.summary;
    b.push_str("<h1>kubeready fleet</h1>\n");
    let _ = writeln!(
        b,
        "<p class=\"verdict\">{} repositories: {} audited, {} could not be, {} with every step finished; mean score {}</p>",
        s.repositories, s.audited, s.failed, s.complete, s.mean_score
    );
    let rows: Vec<(String, usize)> = r
        .steps
        .iter()
        .map(|st| (format!("{}. {}", st.number, st.title), st.through))
        .collect();
    b.push_str("<h2 id=\"funnel\">How far the repositories got</h2>\n<p class=\"muted\">Repositories that finished each step and every step before it.</p>\n<div class=\"scroll\">\n");
    b.push_str(&funnel_svg(&funnel(&rows, s.audited)));
    b.push_str("</div>\n");
    repositories(&mut b, r);
    steps(&mut b, r);
    blocking(&mut b, r);
    if !r.next_steps.is_empty() {
        b.push_str("<h2 id=\"next\">Most common next steps</h2>\n<ul>\n");
        for n in &r.next_steps {
            let _ = writeln!(
                b,
                "<li><strong>{}</strong> × {}</li>",
                n.repositories,
                rich(&n.next_step)
            );
        }
        b.push_str("</ul>\n");
    }
    comparison(&mut b, r);
    page("kubeready fleet", &b, true)
}

fn funnel_svg(f: &Funnel) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<svg class=\"funnel\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"funnel-title\"><title id=\"funnel-title\">Repositories through each step</title>",
        w = f.width,
        h = f.height
    );
    for bar in &f.bars {
        let label_y = bar.y + 14;
        let y = bar.y + 20;
        let ty = y + f.bar_height / 2 + 5;
        let _ = writeln!(
            b,
            "<g><text x=\"{x}\" y=\"{label_y}\">{}</text><rect class=\"bar-bg\" x=\"{x}\" y=\"{y}\" width=\"{max}\" height=\"{bh}\" rx=\"3\"/><rect class=\"bar\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\" rx=\"3\"/><text class=\"count\" x=\"{cx}\" y=\"{ty}\">{}</text></g>",
            esc(&bar.label),
            esc(&bar.count),
            x = f.bar_x,
            max = f.bar_max,
            bh = f.bar_height,
            w = bar.width,
            cx = f.bar_x + f.bar_max + 8
        );
    }
    b.push_str("</svg>\n");
    b
}

fn marks(r: &RepoRow) -> String {
    r.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = mark_of_status_name(&s.status);
            format!(
                "<span class=\"st {}\" title=\"{}. {}: {}\">{}</span>",
                m.class,
                i + 1,
                esc(&s.id),
                m.word,
                m.symbol
            )
        })
        .collect()
}

fn repositories(b: &mut String, r: &FleetReport) {
    b.push_str("<h2 id=\"repositories\">Repositories</h2>\n<p class=\"muted sort-hint\" hidden>Click a column heading to sort.</p>\n");
    b.push_str("<div class=\"scroll\"><table id=\"repos\" class=\"stack\">\n<thead><tr><th data-sort=\"text\">Repository</th><th data-sort=\"text\">Kind</th><th data-sort=\"num\">Steps</th><th data-sort=\"num\" class=\"num\">Score</th><th data-sort=\"num\">First unfinished step</th><th data-sort=\"num\" class=\"num\">Errors</th></tr></thead>\n<tbody>\n");
    for x in &r.repositories {
        let name = match &x.report {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(href), esc(&x.name)),
            None => esc(&x.name),
        };
        let _ = write!(
            b,
            "<tr><td data-label=\"Repository\" data-value=\"{}\">{name}<div class=\"help\"><code>{}</code></div></td>",
            esc(&x.name),
            esc(&x.path)
        );
        if x.status == RowStatus::Failed {
            let _ = writeln!(
                b,
                "<td data-label=\"Kind\">-</td><td data-label=\"Steps\" data-value=\"-1\">-</td><td class=\"num\" data-label=\"Score\" data-value=\"-1\">-</td><td data-label=\"First unfinished step\" data-value=\"-1\"><span class=\"fail\">✘ cannot be audited:</span> {}</td><td class=\"num\" data-label=\"Errors\" data-value=\"-1\">-</td></tr>",
                esc(x.reason.as_deref().unwrap_or("unknown reason"))
            );
            continue;
        }
        let at = match &x.first_unfinished {
            Some(s) => format!("{}. {}", s.number, esc(&s.title)),
            None => status(mark_of_status_name("done")) + " all steps",
        };
        let _ = writeln!(
            b,
            "<td data-label=\"Kind\">{}</td><td data-label=\"Steps\" data-value=\"{done}\">{} <span class=\"muted\">{done}/{}</span></td><td class=\"num\" data-label=\"Score\" data-value=\"{score}\">{score}</td><td data-label=\"First unfinished step\" data-value=\"{pos}\">{at}</td><td class=\"num\" data-label=\"Errors\" data-value=\"{errors}\">{errors}</td></tr>",
            esc(x.kind.as_deref().unwrap_or("-")),
            marks(x),
            x.steps_total,
            done = x.steps_done,
            score = x.score,
            pos = x.position(),
            errors = x.errors
        );
    }
    b.push_str("</tbody></table></div>\n");
    b.push_str("<p class=\"legend muted\"><span>✔ done</span> <span>◐ partial</span> <span>✘ missing</span> <span>– not applicable</span></p>\n");
}

fn steps(b: &mut String, r: &FleetReport) {
    b.push_str("<h2 id=\"steps\">Repositories at each step</h2>\n<div class=\"scroll\"><table class=\"stack\"><thead><tr><th class=\"num\">#</th><th>Step</th><th class=\"num\">At it (first unfinished)</th><th class=\"num\">Through it</th></tr></thead><tbody>\n");
    for st in &r.steps {
        let _ = writeln!(
            b,
            "<tr><td class=\"num\" data-label=\"#\">{}</td><td data-label=\"Step\">{}</td><td class=\"num\" data-label=\"At it\">{}</td><td class=\"num\" data-label=\"Through it\">{}</td></tr>",
            st.number,
            esc(&st.title),
            st.at,
            st.through
        );
    }
    let _ = writeln!(
        b,
        "<tr><td></td><td data-label=\"Step\">All steps finished</td><td class=\"num\" data-label=\"At it\">{}</td><td></td></tr>",
        r.summary.complete
    );
    b.push_str("</tbody></table></div>\n");
}

fn blocking(b: &mut String, r: &FleetReport) {
    if r.blocking_findings.is_empty() {
        return;
    }
    b.push_str("<h2 id=\"blocking\">Most common blocking findings</h2>\n<div class=\"scroll\"><table class=\"stack\"><thead><tr><th>Rule</th><th class=\"num\">Repositories</th><th class=\"num\">Findings</th></tr></thead><tbody>\n");
    for c in &r.blocking_findings {
        let help = if c.summary.is_empty() {
            String::new()
        } else {
            format!("<div class=\"help\">{}</div>", rich(&c.summary))
        };
        let _ = writeln!(
            b,
            "<tr><td data-label=\"Rule\"><code>{}</code> {}{help}</td><td class=\"num\" data-label=\"Repositories\">{}</td><td class=\"num\" data-label=\"Findings\">{}</td></tr>",
            esc(&c.code),
            esc(&c.name),
            c.repositories,
            c.findings
        );
    }
    b.push_str("</tbody></table></div>\n");
}

fn comparison(b: &mut String, r: &FleetReport) {
    let Some(c) = &r.comparison else { return };
    b.push_str("<h2 id=\"moved\">Since the previous run</h2>\n<ul>\n");
    let mut any = false;
    for (m, word, mark) in c
        .advanced
        .iter()
        .map(|m| (m, "advanced", "▲"))
        .chain(c.regressed.iter().map(|m| (m, "regressed", "▼")))
    {
        any = true;
        let _ = writeln!(
            b,
            "<li>{mark} <strong>{}</strong> {word}: step {} → {} (score {} → {})</li>",
            esc(&m.name),
            m.from_step,
            m.to_step,
            m.from_score,
            m.to_score
        );
    }
    for (x, word) in c
        .new_blocking
        .iter()
        .map(|x| (x, "new"))
        .chain(c.fixed_blocking.iter().map(|x| (x, "fixed")))
    {
        any = true;
        let _ = writeln!(
            b,
            "<li><strong>{}</strong>: {word} <code>{}</code> in <code>{}</code></li>",
            esc(&x.name),
            esc(&x.code),
            esc(&x.file)
        );
    }
    for n in &c.added {
        any = true;
        let _ = writeln!(
            b,
            "<li><strong>{}</strong> is new in the fleet</li>",
            esc(n)
        );
    }
    for n in &c.removed {
        any = true;
        let _ = writeln!(b, "<li><strong>{}</strong> left the fleet</li>", esc(n));
    }
    if !any {
        b.push_str("<li>Nothing moved.</li>\n");
    }
    b.push_str("</ul>\n");
}
