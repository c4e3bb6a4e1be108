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

fn findings(out: &mut String, report: &AuditReport) {
    let c = &report.finding_counts;
    let suppressed = if c.suppressed > 0 {
        format!(" · {} suppressed", c.suppressed)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "### Findings\n\n{} errors · {} warnings · {} info{suppressed}\n\n",
        c.error, c.warning, c.info
    ));
    let mut files: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.location.file.as_str())
        .collect();
    files.dedup();
    for file in files {
        let in_file: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.location.file == file)
            .collect();
        out.push_str(&format!(
            "<details><summary><code>{}</code> ({})</summary>\n\n",
            html(file),
            in_file.len()
        ));
        out.push_str("| Line | Code | Severity | Message |\n|---:|---|---|---|\n");
        for f in in_file {
            out.push_str(&format!(
                "| {} | `{}` {} | {} | {} |\n",
                f.location.line,
                f.code,
                f.name,
                f.severity.as_str(),
                cell(&f.message)
            ));
        }
        out.push_str("\n</details>\n\n");
    }
}

pub fn render(report: &AuditReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("## kubeready: `{}`\n\n", cell(&report.root)));
    out.push_str(&format!("**{}**\n\n", cell(&report.summary.verdict)));
    out.push_str("### Checklist\n\n");
    steps_table(&mut out, &report.steps, true);
    out.push('\n');
    evidence(&mut out, &report.steps);
    if !report.next_steps.is_empty() {
        out.push_str("### Next steps\n\n");
        for (i, s) in report
            .next_steps
            .iter()
            .take(super::SHOWN_NEXT_STEPS)
            .enumerate()
        {
            out.push_str(&format!("{}. {}\n", i + 1, s.replace('\n', " ")));
        }
        if let Some(more) = super::more_next_steps(report.next_steps.len()) {
            out.push_str(&format!("\n{more}\n"));
        }
        out.push('\n');
    }
    if !report.sections.is_empty() {
        out.push_str("### After the checklist\n\n");
        steps_table(&mut out, &report.sections, false);
        out.push('\n');
    }
    if !report.services.is_empty() {
        out.push_str("### Services\n\n| Path | Language | Containerized | Image definitions |\n|---|---|---|---|\n");
        for s in &report.services {
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
    }
    if !report.image_only_components.is_empty() {
        out.push_str("### Image-only components\n\n| Path | Image definitions |\n|---|---|\n");
        for c in &report.image_only_components {
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
    }
    findings(&mut out, report);
    if !report.suppressed.is_empty() {
        out.push_str(&format!(
            "<details><summary>Suppressed findings ({})</summary>\n\n",
            report.suppressed.len()
        ));
        out.push_str("| File | Line | Code | Suppressed by |\n|---|---:|---|---|\n");
        for s in &report.suppressed {
            let f = &s.finding;
            out.push_str(&format!(
                "| `{}` | {} | `{}` | {} |\n",
                cell(&f.location.file),
                f.location.line,
                f.code,
                cell(&s.suppressed_by)
            ));
        }
        out.push_str("\n</details>\n\n");
    }
    if !report.graph.nodes.is_empty() {
        out.push_str("### Pipeline graph\n\n```mermaid\n");
        out.push_str(&to_mermaid(&report.graph));
        out.push_str("```\n");
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
