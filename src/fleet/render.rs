//! The fleet roll-up as a terminal table and as Markdown.

use super::model::{Comparison, FleetReport, RepoRow, RowStatus};
use std::fmt::Write as _;

fn mark_for(status: &str) -> &'static str {
    match status {
        "done" => "✔",
        "partial" => "◐",
        "not-applicable" => "–",
        _ => "✘",
    }
}

/// `✔✔◐✘✘✘✘`: each step's mark, in order.
pub fn marks(r: &RepoRow) -> String {
    r.steps.iter().map(|s| mark_for(&s.status)).collect()
}

fn at_step(r: &RepoRow) -> String {
    match (&r.status, &r.first_unfinished) {
        (RowStatus::Failed, _) => format!(
            "cannot be audited: {}",
            r.reason.as_deref().unwrap_or("unknown reason")
        ),
        (_, Some(s)) => format!("{}. {}", s.number, s.id),
        (_, None) => "all done".into(),
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let kept: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// The moves, one a line; `text` prepares names and paths for the format.
fn comparison_lines(c: &Comparison, out: &mut String, bullet: &str, text: fn(&str) -> String) {
    for (moves, verb) in [(&c.advanced, "advanced"), (&c.regressed, "regressed")] {
        for m in moves {
            let _ = writeln!(
                out,
                "{bullet}{} {verb}: step {} → {} (score {} → {})",
                text(&m.name),
                m.from_step,
                m.to_step,
                m.from_score,
                m.to_score
            );
        }
    }
    for (findings, change) in [(&c.new_blocking, "new"), (&c.fixed_blocking, "fixed")] {
        for b in findings {
            let _ = writeln!(
                out,
                "{bullet}{}: {change} {} in {}",
                text(&b.name),
                b.code,
                text(&b.file)
            );
        }
    }
    for n in &c.added {
        let _ = writeln!(out, "{bullet}{} is new in the fleet", text(n));
    }
    for n in &c.removed {
        let _ = writeln!(out, "{bullet}{} left the fleet", text(n));
    }
}

pub fn table(r: &FleetReport) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let _ = writeln!(
        out,
        "{} repositories: {} audited, {} could not be, {} with every step finished; mean score {}\n",
        s.repositories, s.audited, s.failed, s.complete, s.mean_score
    );
    let name_w = r
        .repositories
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(10)
        .clamp(10, 28);
    let _ = writeln!(
        out,
        "{:<name_w$}  {:<10}  {:<7}  {:>5}  {:>6}  AT STEP",
        "REPOSITORY", "KIND", "STEPS", "SCORE", "ERRORS"
    );
    for x in &r.repositories {
        let (steps, score, errors) = if x.status == RowStatus::Failed {
            ("-".to_string(), "-".to_string(), "-".to_string())
        } else {
            (marks(x), x.score.to_string(), x.errors.to_string())
        };
        let _ = writeln!(
            out,
            "{:<name_w$}  {:<10}  {:<7}  {:>5}  {:>6}  {}",
            cut(&one_line(&x.name), name_w),
            cut(&one_line(x.kind.as_deref().unwrap_or("-")), 10),
            steps,
            score,
            errors,
            one_line(&at_step(x))
        );
    }
    out.push_str("\nRepositories at each step (first unfinished step):\n");
    for st in &r.steps {
        let _ = writeln!(
            out,
            "  {}. {:<13} {:>4} at it, {:>4} through it",
            st.number, st.id, st.at, st.through
        );
    }
    let _ = writeln!(out, "  all steps finished: {}", s.complete);
    if !r.blocking_findings.is_empty() {
        out.push_str("\nMost common blocking findings:\n");
        for c in &r.blocking_findings {
            let _ = writeln!(
                out,
                "  {:<7} {:<28} {:>4} repositories, {:>5} findings",
                c.code,
                cut(&c.name, 28),
                c.repositories,
                c.findings
            );
        }
    }
    if !r.next_steps.is_empty() {
        out.push_str("\nMost common next steps:\n");
        for n in &r.next_steps {
            let _ = writeln!(out, "  {:>4} × {}", n.repositories, one_line(&n.next_step));
        }
    }
    if let Some(c) = &r.comparison {
        out.push_str("\nSince the previous run:\n");
        let before = out.len();
        comparison_lines(c, &mut out, "  ", one_line);
        if out.len() == before {
            out.push_str("  nothing moved\n");
        }
    }
    out
}

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    one_line(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn markdown(r: &FleetReport) -> String {
    let mut out = String::from("## kubeready fleet\n\n");
    let s = &r.summary;
    let _ = writeln!(
        out,
        "**{} repositories**: {} audited, {} could not be, {} with every step finished; mean score {}\n",
        s.repositories, s.audited, s.failed, s.complete, s.mean_score
    );
    out.push_str("### Repositories\n\n| Repository | Kind | Steps | Score | First unfinished step | Errors |\n|---|---|---|---:|---|---:|\n");
    for x in &r.repositories {
        let name = match &x.report {
            Some(link) => format!("[{}]({})", cell(&x.name), link.replace(' ', "%20")),
            None => cell(&x.name),
        };
        if x.status == RowStatus::Failed {
            let _ = writeln!(out, "| {name} | - | - | - | ✘ {} | - |", cell(&at_step(x)));
        } else {
            let _ = writeln!(
                out,
                "| {name} | {} | {} {}/{} | {} | {} | {} |",
                cell(x.kind.as_deref().unwrap_or("-")),
                marks(x),
                x.steps_done,
                x.steps_total,
                x.score,
                cell(&at_step(x)),
                x.errors
            );
        }
    }
    out.push_str("\n### Repositories at each step\n\n| # | Step | At it | Through it |\n|---:|---|---:|---:|\n");
    for st in &r.steps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            st.number,
            cell(&st.title),
            st.at,
            st.through
        );
    }
    let _ = writeln!(out, "| | All steps finished | {} | |\n", s.complete);
    if !r.blocking_findings.is_empty() {
        out.push_str("### Most common blocking findings\n\n| Code | Name | Repositories | Findings |\n|---|---|---:|---:|\n");
        for c in &r.blocking_findings {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                cell(&c.code),
                cell(&c.name),
                c.repositories,
                c.findings
            );
        }
        out.push('\n');
    }
    if !r.next_steps.is_empty() {
        out.push_str("### Most common next steps\n\n");
        for n in &r.next_steps {
            let _ = writeln!(out, "- {} × {}", n.repositories, cell(&n.next_step));
        }
        out.push('\n');
    }
    if let Some(c) = &r.comparison {
        out.push_str("### Since the previous run\n\n");
        let before = out.len();
        comparison_lines(c, &mut out, "- ", cell);
        if out.len() == before {
            out.push_str("Nothing moved.\n");
        }
        out.push('\n');
    }
    out
}
