//! `--format markdown`: GitHub-flavoured Markdown that fits a PR comment or
//! `$GITHUB_STEP_SUMMARY` and reads as a wiki page: the verdict, the
//! checklist with status marks and scores, next steps, services, findings
//! grouped by file in `<details>` blocks, and the pipeline as Mermaid.

use super::AuditReport;
use crate::checklist::{Status, StepResult};
use crate::finding::Finding;
use crate::graph::view::to_mermaid;

fn mark(s: Status) -> &'static str {
    match s {
        Status::Done => "✅",
        Status::Partial => "🟡",
        Status::Missing => "❌",
        Status::NotApplicable => "➖",
    }
}

/// Escapes text for a table cell or inline position.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

/// Escapes text for HTML inside `<summary>`.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn score(r: &StepResult) -> String {
    if r.status == Status::NotApplicable {
        "n/a".into()
    } else {
        format!("{}/10", r.score)
    }
}

fn steps_table(out: &mut String, rows: &[StepResult], numbered: bool) {
    if numbered {
        out.push_str("| # | Step | Status | Score | Summary |\n|---:|---|---|---:|---|\n");
    } else {
        out.push_str("| Section | Status | Score | Summary |\n|---|---|---:|---|\n");
    }
    for r in rows {
        let summary = match (&r.reason, r.status) {
            (Some(reason), Status::NotApplicable) => format!("not applicable: {reason}"),
            _ => r.summary.clone(),
        };
        if numbered {
            out.push_str(&format!(
                "| {} | {} | {} {} | {} | {} |\n",
                r.number,
                cell(r.title),
                mark(r.status),
                r.status.as_str(),
                score(r),
                cell(&summary)
            ));
        } else {
            out.push_str(&format!(
                "| {} | {} {} | {} | {} |\n",
                cell(r.title),
                mark(r.status),
                r.status.as_str(),
                score(r),
                cell(&summary)
            ));
        }
    }
}

fn evidence(out: &mut String, rows: &[StepResult]) {
    let with: Vec<&StepResult> = rows.iter().filter(|r| !r.evidence.is_empty()).collect();
    if with.is_empty() {
        return;
    }
    out.push_str("<details><summary>Evidence</summary>\n\n");
    for r in with {
        out.push_str(&format!("**{}. {}**\n\n", r.number, cell(r.title)));
        for e in &r.evidence {
            out.push_str(&format!("- `{}:{}` {}\n", e.file, e.line, cell(&e.message)));
        }
        out.push('\n');
    }
    out.push_str("</details>\n\n");
}

/// GitHub refuses comments over 65,536 characters; the report stays below
/// with room to spare (byte length, which is at least the character count).
pub const MAX_LEN: usize = 65_000;
/// The comment lists the first next steps and services; the rest are
/// counted (the terminal and JSON reports have them all).
const MAX_NEXT_STEPS: usize = super::SHOWN_NEXT_STEPS;
const MAX_SERVICES: usize = 50;

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn finding_row(f: &Finding, with_file: Option<&str>) -> String {
    match with_file {
        Some(file) => format!(
            "| `{}:{}` | `{}` {} | {} | {} |\n",
            cell(file),
            f.location.line,
            f.code,
            f.name,
            f.severity.as_str(),
            cell(&f.message)
        ),
        None => format!(
            "| {} | `{}` {} | {} | {} |\n",
            f.location.line,
            f.code,
            f.name,
            f.severity.as_str(),
            cell(&f.message)
        ),
    }
}

/// The gate's result and reason, then the findings that failed it, listed
/// openly. Returns how many of those did not fit in `budget`.
fn gate(out: &mut String, report: &AuditReport, budget: usize) -> usize {
    let Some(g) = &report.display.gate else {
        return 0;
    };
    if g.passed {
        out.push_str("**Gate: ✅ passed**\n\n");
        return 0;
    }
    let reason = g.line.strip_prefix("gate failed: ").unwrap_or(&g.line);
    out.push_str(&format!("**Gate: ❌ failed**: {}\n\n", cell(reason)));
    if g.failing.is_empty() {
        return 0;
    }
    out.push_str(&format!(
        "#### {} that failed the gate\n\n| Where | Code | Severity | Message |\n|---|---|---|---|\n",
        if g.failing.len() == 1 { "The finding" } else { "Findings" }
    ));
    let mut left_out = 0;
    for &i in &g.failing {
        let Some(f) = report.findings.get(i) else {
            continue;
        };
        let row = finding_row(f, Some(&f.location.file));
        if left_out > 0 || out.len() + row.len() > budget {
            left_out += 1;
        } else {
            out.push_str(&row);
        }
    }
    out.push('\n');
    left_out
}

/// Findings grouped by file in `<details>` blocks, while they fit in
/// `budget`; returns how many did not.
fn findings(out: &mut String, report: &AuditReport, budget: usize) -> usize {
    let c = &report.finding_counts;
    let suppressed = if c.suppressed > 0 {
        format!(" · {} suppressed", c.suppressed)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "### Findings\n\n{} · {} · {} info{suppressed}\n\n",
        plural(c.error, "error"),
        plural(c.warning, "warning"),
        c.info
    ));
    let mut files: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.location.file.as_str())
        .collect();
    files.dedup();
    let mut left_out = 0;
    let mut start = 0;
    for file in files {
        let n = report.findings[start..]
            .iter()
            .take_while(|f| f.location.file == file)
            .count();
        let in_file = &report.findings[start..start + n];
        start += n;
        if left_out > 0 {
            left_out += in_file.len();
            continue;
        }
        let mut block = format!(
            "<details><summary><code>{}</code> ({})</summary>\n\n| Line | Code | Severity | Message |\n|---:|---|---|---|\n",
            html(file),
            in_file.len()
        );
        let close = "\n</details>\n\n";
        let mut shown = 0;
        for f in in_file {
            let row = finding_row(f, None);
            if out.len() + block.len() + row.len() + close.len() > budget {
                break;
            }
            block.push_str(&row);
            shown += 1;
        }
        if shown == 0 {
            left_out += in_file.len();
            continue;
        }
        left_out += in_file.len() - shown;
        block.push_str(close);
        out.push_str(&block);
    }
    left_out
}

fn not_shown(out: &mut String, n: usize, one: &str, many: &str) {
    if n > 0 {
        let what = if n == 1 {
            format!("1 {one} is")
        } else {
            format!("{n} {many} are")
        };
        out.push_str(&format!(
            "_{what} not shown here, to stay under GitHub's 65,536-character limit for a comment: see the full report (the JSON or SARIF artefact of this run, `kubeready audit --format json`, or the terminal report)._\n\n"
        ));
    }
}

fn head(report: &AuditReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("## kubeready: `{}`\n\n", cell(report.title())));
    out
}

pub fn render(report: &AuditReport) -> String {
    render_within(report, MAX_LEN)
}

/// The report, at most `max` bytes long: findings beyond what fits are
/// counted with a pointer to the full report; the graph is dropped before
/// any finding the gate failed on.
pub fn render_within(report: &AuditReport, max: usize) -> String {
    let mut out = head(report);
    let mut gate_left_out = 0;
    // The gate first; its failing findings get up to half the room.
    let gate_budget = max / 2;
    gate_left_out += gate(&mut out, report, gate_budget);
    not_shown(
        &mut out,
        gate_left_out,
        "more finding that failed the gate",
        "more findings that failed the gate",
    );
    out.push_str(&format!("**{}**\n\n", cell(&report.summary.verdict)));
    out.push_str("### Checklist\n\n");
    steps_table(&mut out, &report.steps, true);
    out.push('\n');
    evidence(&mut out, &report.steps);
    if !report.next_steps.is_empty() {
        out.push_str("### Next steps\n\n");
        for (i, s) in report.next_steps.iter().take(MAX_NEXT_STEPS).enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, s.replace('\n', " ")));
        }
        out.push('\n');
        let more = report.next_steps.len().saturating_sub(MAX_NEXT_STEPS);
        if more > 0 {
            out.push_str(&format!(
                "_{} in the full report (`kubeready audit`, or the JSON `next_steps`)._\n\n",
                plural(more, "more next step")
            ));
        }
    }
    if !report.sections.is_empty() {
        out.push_str("### After the checklist\n\n");
        steps_table(&mut out, &report.sections, false);
        out.push('\n');
    }
    if !report.services.is_empty() {
        out.push_str("### Services\n\n| Path | Language | Containerized | Image definitions |\n|---|---|---|---|\n");
        for s in report.services.iter().take(MAX_SERVICES) {
            let defs = if s.image_definitions.is_empty() {
                "–".to_string()
            } else {
                s.image_definitions
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                cell(&s.path),
                s.language,
                if s.containerized { "✅ yes" } else { "❌ no" },
                defs
            ));
        }
        out.push('\n');
        let more = report.services.len().saturating_sub(MAX_SERVICES);
        if more > 0 {
            out.push_str(&format!(
                "_{} in the full report (the JSON `services`)._\n\n",
                plural(more, "more service")
            ));
        }
    }
    if !report.graph.port_chains.is_empty() {
        out.push_str("### Port chains\n\n");
        for c in report.graph.port_chains.iter().take(MAX_SERVICES) {
            out.push_str(&format!("- {}\n", cell(&crate::graph::view::chain_line(c))));
        }
        out.push('\n');
    }
    if !report.image_only_components.is_empty() {
        out.push_str("### Image-only components\n\n| Path | Image definitions |\n|---|---|\n");
        for c in report.image_only_components.iter().take(MAX_SERVICES) {
            out.push_str(&format!(
                "| `{}` | {} |\n",
                cell(&c.path),
                c.image_definitions
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push('\n');
        let more = report
            .image_only_components
            .len()
            .saturating_sub(MAX_SERVICES);
        if more > 0 {
            out.push_str(&format!(
                "_{} in the full report (the JSON `image_only_components`)._\n\n",
                plural(more, "more component")
            ));
        }
    }
    // What comes after the findings, kept when it fits.
    let mut suppressed = String::new();
    if !report.suppressed.is_empty() {
        suppressed.push_str(&format!(
            "<details><summary>Suppressed findings ({})</summary>\n\n",
            report.suppressed.len()
        ));
        suppressed.push_str("| File | Line | Code | Suppressed by |\n|---|---:|---|---|\n");
        for s in &report.suppressed {
            let f = &s.finding;
            suppressed.push_str(&format!(
                "| `{}` | {} | `{}` | {} |\n",
                cell(&f.location.file),
                f.location.line,
                f.code,
                cell(&s.suppressed_by)
            ));
        }
        suppressed.push_str("\n</details>\n\n");
    }
    let mut graph = String::new();
    if !report.graph.nodes.is_empty() {
        graph.push_str("### Pipeline graph\n\n```mermaid\n");
        graph.push_str(&to_mermaid(&report.graph));
        graph.push_str("```\n");
    }
    // Room for the "not shown" notes.
    const NOTE: usize = 400;
    let findings_budget =
        max.saturating_sub(NOTE * 3 + suppressed.len().min(max / 8) + graph.len().min(max / 8));
    let left_out = findings(&mut out, report, findings_budget);
    not_shown(&mut out, left_out, "finding", "findings");
    if out.len() + suppressed.len() + NOTE < max {
        out.push_str(&suppressed);
    } else if !report.suppressed.is_empty() {
        out.push_str(&format!(
            "_{} not listed here (see the full report)._\n\n",
            plural(report.suppressed.len(), "suppressed finding")
        ));
    }
    if out.len() + graph.len() < max {
        out.push_str(&graph);
    } else if !graph.is_empty() {
        out.push_str(
            "_The pipeline graph is too large for a comment: `kubeready graph` prints it._\n",
        );
    }
    if out.len() > max {
        // Evidence, next steps or services alone were too long: cut at a
        // line and say so.
        let mut cut = max.saturating_sub(NOTE);
        while cut > 0 && !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = out[..cut].rfind('\n').map_or(0, |i| i + 1);
        out.truncate(cut);
        out.push_str(
            "\n_The report was cut here to fit GitHub's comment limit: see the full report._\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped() {
        assert_eq!(cell("a|b<c>\nd"), "a\\|b&lt;c&gt; d");
        assert_eq!(html("<x&y>"), "&lt;x&amp;y&gt;");
    }
}
