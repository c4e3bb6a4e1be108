//! The terminal renderer: a one-screen progress report.
//!
//! Layout, top to bottom:
//!
//! 1. `kubeready · <root>` and the verdict line;
//! 2. the checklist progress bar: one two-column segment per step, in step
//!    order: `██` done, `▒▒` partial, `░░` missing, `··` not-applicable (kept
//!    in place so segment *n* is always step *n*), then `done/total steps
//!    done · score n/100`;
//! 3. the steps table (`#`, mark, step, score, summary) with marks `✔` done,
//!    `◐` partial, `✘` missing, `–` not-applicable (score shown as `n/a`);
//! 4. the sections table (orchestration and beyond), when there are any;
//! 5. services (path, language, containerized, first image definition and
//!    `+N` more), their port chains (one wrapped line each: code, then each
//!    hop towards the outside) and image-only components;
//! 6. the findings counts and the findings, grouped by file, one per line,
//!    messages truncated with `…`;
//! 7. the numbered next steps, wrapped with a hanging indent.
//!
//! With `quiet`, only the verdict, the progress bar and the findings counts.
//!
//! Every line fits `opts.width` display columns (wide characters count two;
//! widths below [`MIN_WIDTH`] are treated as [`MIN_WIDTH`], 0 as 80). Colour
//! (marks, severities, the bar) only when `opts.color`; otherwise the output
//! holds no escape sequence. The renderer formats the report and judges
//! nothing.

mod grid;
mod paint;

#[cfg(test)]
mod tests;

use crate::checklist::{Status, StepResult};
use crate::finding::{Finding, Severity};
use crate::report::{AuditReport, FindingCounts, ServiceEntry};
use grid::{Grid, INDENT};
use paint::{ellipsize, shorten_path, width_of, wrap_words, Paint};

/// The narrowest layout the renderer keeps within bounds.
pub const MIN_WIDTH: usize = 40;

/// How to render for a terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableOptions {
    /// Emit ANSI colours (the CLI decides from TTY, `NO_COLOR`, `--no-color`).
    pub color: bool,
    /// Terminal width in columns; 0 means the default, 80.
    pub width: usize,
    /// Only the verdict, the progress bar and the findings counts.
    pub quiet: bool,
}

impl Default for TableOptions {
    fn default() -> TableOptions {
        TableOptions {
            color: false,
            width: 80,
            quiet: false,
        }
    }
}

/// Renders `report` for a terminal. The result ends with a newline.
pub fn render(report: &AuditReport, opts: &TableOptions) -> String {
    let width = match opts.width {
        0 => 80,
        w => w.max(MIN_WIDTH),
    };
    let paint = Paint { on: opts.color };
    let mut out: Vec<String> = Vec::new();

    if opts.quiet {
        out.extend(wrap_words(&report.summary.verdict, width));
        out.push(progress_line(report, paint, width));
        out.push(counts_line(&report.finding_counts, paint));
        return finish(out);
    }

    out.push(ellipsize(&format!("kubeready · {}", report.root), width));
    out.extend(wrap_words(&report.summary.verdict, width));
    out.push(String::new());
    out.push(progress_line(report, paint, width));
    out.push(String::new());
    steps_table(&report.steps, true, paint).render_into(&mut out, width);

    if !report.sections.is_empty() {
        out.push(String::new());
        out.push("After the checklist".to_string());
        out.push(String::new());
        steps_table(&report.sections, false, paint).render_into(&mut out, width);
    }

    if !report.services.is_empty() {
        out.push(String::new());
        out.push(format!("Services ({})", report.services.len()));
        out.push(String::new());
        services_table(report, paint, width).render_into(&mut out, width);
    }

    if !report.graph.port_chains.is_empty() {
        out.push(String::new());
        out.push(format!("Port chains ({})", report.graph.port_chains.len()));
        out.push(String::new());
        for c in &report.graph.port_chains {
            out.extend(wrap_words(&crate::graph::view::chain_line(c), width));
        }
    }

    if !report.image_only_components.is_empty() {
        out.push(String::new());
        out.push(format!(
            "Image-only components ({})",
            report.image_only_components.len()
        ));
        out.push(String::new());
        components_table(report, width).render_into(&mut out, width);
    }

    out.push(String::new());
    out.push(counts_line(&report.finding_counts, paint));
    for group in findings_tables(&report.findings, paint, width) {
        out.push(String::new());
        group.render_into(&mut out, width);
    }

    if !report.next_steps.is_empty() {
        out.push(String::new());
        out.push("Next steps".to_string());
        out.push(String::new());
        next_steps_table(&report.next_steps).render_into(&mut out, width);
    }

    finish(out)
}

fn finish(lines: Vec<String>) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Done => "✔",
        Status::Partial => "◐",
        Status::Missing => "✘",
        Status::NotApplicable => "–",
    }
}

fn segment(status: Status) -> &'static str {
    match status {
        Status::Done => "██",
        Status::Partial => "▒▒",
        Status::Missing => "░░",
        Status::NotApplicable => "··",
    }
}

/// `Checklist  ██████▒▒░░░░··  3/7 steps done · score 48/100`
fn progress_line(report: &AuditReport, paint: Paint, width: usize) -> String {
    let label = "Checklist  ";
    let bar: String = report
        .steps
        .iter()
        .map(|s| paint.apply(paint.status(s.status), segment(s.status)))
        .collect();
    let bar_width = 2 * report.steps.len();
    let s = &report.summary;
    let long = format!("{}/{} steps done · score {}/100", s.done, s.total, s.score);
    let short = format!("{}/{} · {}/100", s.done, s.total, s.score);
    let used = width_of(label) + bar_width + 2;
    let tail = if used + width_of(&long) <= width {
        long
    } else {
        short
    };
    format!("{label}{bar}  {tail}")
}

/// `Findings   1 error · 3 warnings · 2 info` (or `none`).
fn counts_line(counts: &FindingCounts, paint: Paint) -> String {
    let label = "Findings   ";
    let suppressed = if counts.suppressed > 0 {
        format!(" ({} suppressed)", counts.suppressed)
    } else {
        String::new()
    };
    if counts.error + counts.warning + counts.info == 0 {
        return format!("{label}none{suppressed}");
    }
    let plural = |n: usize, one: &str, many: &str| -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let part = |n: usize, sev: Severity, text: String| -> String {
        if n == 0 {
            text
        } else {
            paint.apply(paint.severity(sev), &text)
        }
    };
    let parts = [
        part(
            counts.error,
            Severity::Error,
            plural(counts.error, "error", "errors"),
        ),
        part(
            counts.warning,
            Severity::Warning,
            plural(counts.warning, "warning", "warnings"),
        ),
        part(counts.info, Severity::Info, format!("{} info", counts.info)),
    ];
    format!("{label}{}{suppressed}", parts.join(" · "))
}

/// Steps (with their number) or sections (without).
fn steps_table(steps: &[StepResult], numbered: bool, paint: Paint) -> Grid {
    let offset = usize::from(numbered);
    let mut grid = Grid::wrapping(&[1 + offset, 3 + offset]);
    if numbered {
        grid.header(["#", "", "Step", "Score", "Summary"]);
        grid.align_right(0);
    } else {
        grid.header(["", "Section", "Score", "Summary"]);
    }
    grid.align_right(2 + offset);
    for step in steps {
        let score = match step.status {
            Status::NotApplicable => "n/a".to_string(),
            _ => format!("{}/10", step.score),
        };
        let summary = match (&step.reason, step.summary.is_empty()) {
            (Some(reason), true) => reason.clone(),
            _ => step.summary.clone(),
        };
        let mut cells = Vec::with_capacity(5);
        if numbered {
            cells.push(step.number.to_string());
        }
        cells.extend([
            mark(step.status).to_string(),
            step.title.to_string(),
            score,
            summary,
        ]);
        grid.row(cells, vec![(offset, paint.status(step.status))]);
    }
    grid
}

/// Room for a path column next to `fixed` columns of other cells.
fn path_budget(width: usize, fixed: usize, paths: usize) -> usize {
    (width.saturating_sub(INDENT + fixed) / paths.max(1)).max(12)
}

/// Widths for a path column and an image-definition column sharing the
/// room left by `fixed` columns: both whole when they fit, else the path
/// keeps what it needs up to half and the definitions get the rest.
fn two_path_budgets(
    width: usize,
    fixed: usize,
    paths: &[&str],
    defs: &[&[String]],
) -> (usize, usize) {
    let avail = width.saturating_sub(INDENT + fixed);
    let path_w = paths.iter().map(|p| width_of(p)).max().unwrap_or(0);
    let def_w = defs
        .iter()
        .map(|d| width_of(&first_and_more(d, usize::MAX)))
        .max()
        .unwrap_or(0);
    if path_w + def_w <= avail {
        return (path_w.max(1), def_w.max(1));
    }
    let path_max = path_w.min((avail / 2).max(avail.saturating_sub(def_w)));
    let def_max = avail.saturating_sub(path_max);
    (path_max.max(12), def_max.max(12))
}

fn first_and_more(defs: &[String], max: usize) -> String {
    match defs {
        [] => "–".to_string(),
        [one] => shorten_path(one, max),
        [first, rest @ ..] => {
            let more = format!(" +{}", rest.len());
            let room = max.saturating_sub(width_of(&more)).max(8);
            format!("{}{more}", shorten_path(first, room))
        }
    }
}

fn services_table(report: &AuditReport, paint: Paint, width: usize) -> Grid {
    let mut grid = Grid::truncating();
    grid.header(["Path", "Language", "Containerized", "Image definition"]);
    let lang_w = report
        .services
        .iter()
        .map(|s| width_of(&s.language))
        .chain([width_of("Language")])
        .max()
        .unwrap_or(8);
    let path_of = |s: &ServiceEntry| -> String {
        if s.path.is_empty() {
            ".".to_string()
        } else {
            s.path.clone()
        }
    };
    let paths: Vec<String> = report.services.iter().map(path_of).collect();
    let path_refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let defs: Vec<&[String]> = report
        .services
        .iter()
        .map(|s| s.image_definitions.as_slice())
        .collect();
    let fixed = lang_w + 2 + width_of("Containerized") + 2 + 2;
    let (path_max, def_max) = two_path_budgets(width, fixed, &path_refs, &defs);
    for (service, path) in report.services.iter().zip(&paths) {
        let yes = if service.containerized { "yes" } else { "no" };
        grid.row(
            vec![
                shorten_path(path, path_max),
                service.language.clone(),
                yes.to_string(),
                first_and_more(&service.image_definitions, def_max),
            ],
            vec![(2, paint.yes_no(service.containerized))],
        );
    }
    grid
}

fn components_table(report: &AuditReport, width: usize) -> Grid {
    let mut grid = Grid::truncating();
    grid.header(["Path", "Name", "Image definition"]);
    let name_w = report
        .image_only_components
        .iter()
        .map(|c| width_of(&c.name))
        .chain([width_of("Name")])
        .max()
        .unwrap_or(4);
    let comps = &report.image_only_components;
    let paths: Vec<&str> = comps.iter().map(|c| c.path.as_str()).collect();
    let defs: Vec<&[String]> = comps
        .iter()
        .map(|c| c.image_definitions.as_slice())
        .collect();
    let (path_max, def_max) = two_path_budgets(width, name_w + 2 + 2, &paths, &defs);
    for c in comps {
        grid.row(
            vec![
                shorten_path(&c.path, path_max),
                c.name.clone(),
                first_and_more(&c.image_definitions, def_max),
            ],
            Vec::new(),
        );
    }
    grid
}

/// One line per finding, `file:line  CODE  severity  message`: one small
/// table per file (files in the report's order, a blank line between them),
/// so a long path elsewhere does not squeeze this file's messages.
fn findings_tables(findings: &[Finding], paint: Paint, width: usize) -> Vec<Grid> {
    let mut files: Vec<&str> = Vec::new();
    for f in findings {
        if !files.contains(&f.location.file.as_str()) {
            files.push(&f.location.file);
        }
    }
    // Codes and severities line up across files; paths only within a file.
    let code_w = findings.iter().map(|f| width_of(f.code)).max().unwrap_or(0);
    let sev_w = findings
        .iter()
        .map(|f| width_of(f.severity.as_str()))
        .max()
        .unwrap_or(0);
    let loc_max = path_budget(width, 0, 2);
    files
        .into_iter()
        .map(|file| {
            let group: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.location.file == file)
                .collect();
            let locs: Vec<String> = group
                .iter()
                .map(|f| shorten_path(&f.location.to_string(), loc_max))
                .collect();
            // Messages wrap rather than lose their end: it often names the fix.
            let mut grid = Grid::wrapping(&[3]);
            for (f, loc) in group.into_iter().zip(locs) {
                grid.row(
                    vec![
                        loc,
                        format!("{:code_w$}", f.code),
                        format!("{:sev_w$}", f.severity.as_str()),
                        f.message.replace('\n', " "),
                    ],
                    vec![(2, paint.severity(f.severity))],
                );
            }
            grid
        })
        .collect()
}

fn next_steps_table(steps: &[String]) -> Grid {
    let mut grid = Grid::wrapping(&[1]);
    grid.align_right(0);
    for (i, step) in steps.iter().take(super::SHOWN_NEXT_STEPS).enumerate() {
        grid.row(vec![format!("{}.", i + 1), step.clone()], Vec::new());
    }
    if let Some(more) = super::more_next_steps(steps.len()) {
        grid.row(vec![String::new(), more], Vec::new());
    }
    grid
}
