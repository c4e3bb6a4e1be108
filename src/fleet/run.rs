//! `kubeready fleet`: find the repositories, audit them in parallel (or
//! read their reports), roll up, render, gate.

use super::args::{FleetArgs, FleetFailOn, FleetFormat};
use super::discover::{self, Target};
use super::model::{gate_line, parse_report, FleetGate, FleetReport, RepoInput};
use crate::audit::{Audit, AuditOptions};
use crate::config;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Where per-repository HTML reports go: a folder beside the fleet page.
struct HtmlOut {
    /// The folder on disk.
    dir: PathBuf,
    /// The folder as the fleet page links to it.
    href: String,
    /// The fleet page's name, for the link back.
    back: String,
}

/// Runs the command; `Ok(exit code)` or a usage/configuration error
/// (exit 2).
pub fn run(args: FleetArgs) -> Result<u8, String> {
    let old = match &args.compare {
        Some(p) => Some(read_fleet(p)?),
        None => None,
    };
    let html_page = args
        .output
        .iter()
        .rev()
        .find(|o| o.format == FleetFormat::Html)
        .map(|o| o.path.clone());
    let progress = Progress::new(args.quiet);
    let mut inputs = match &args.reports {
        Some(dir) => read_reports(dir, html_page.as_deref())?,
        None => {
            let mut dirs = args.dirs.clone();
            let mut listed = Vec::new();
            if let Some(list) = &args.list {
                listed = discover::read_list(list)?;
            }
            dirs.retain(|d| !d.as_os_str().is_empty());
            let mut targets = discover::expand(&dirs);
            targets.extend(listed.into_iter().map(|p| {
                Target {
                    name: p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| p.display().to_string()),
                    path: p,
                }
            }));
            let targets = discover::unique_names(targets);
            let html = match &html_page {
                Some(page) => Some(html_dir(page)?),
                None => None,
            };
            audit_all(&targets, html.as_ref(), &progress)
        }
    };
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    let mut report = FleetReport::new(inputs);
    if let Some(old) = &old {
        report.comparison = Some(report.compare(old));
    }
    for o in &args.output {
        let text = render(&report, o.format)?;
        std::fs::write(&o.path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", o.path.display()))?;
    }
    let text = render(&report, args.format)?;
    out(&text)?;
    let gate = FleetGate {
        fail_under: args.fail_under,
        require_steps: args.require_step.clone(),
        fail_on_error: args.fail_on == FleetFailOn::Error,
    };
    let failures = gate.failures(&report);
    if !failures.is_empty() {
        eprintln!(
            "kubeready: {}",
            gate_line(&failures, report.repositories.len())
        );
        return Ok(1);
    }
    Ok(0)
}

fn render(report: &FleetReport, format: FleetFormat) -> Result<String, String> {
    Ok(match format {
        FleetFormat::Table => super::render::table(report),
        FleetFormat::Markdown => super::render::markdown(report),
        FleetFormat::Html => crate::report::html::fleet::render(report),
        FleetFormat::Json => serde_json::to_string_pretty(report)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())?,
    })
}

fn out(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

/// Reads a previous fleet JSON for `--compare`.
fn read_fleet(path: &Path) -> Result<FleetReport, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not JSON: {e}", path.display()))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(super::model::FLEET_SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "`{}` has fleet schema_version {v}, this kubeready reads {}",
                path.display(),
                super::model::FLEET_SCHEMA_VERSION
            ))
        }
        None => {
            return Err(format!(
                "`{}` is not a `kubeready fleet --format json` report",
                path.display()
            ))
        }
    }
    serde_json::from_value(value).map_err(|e| {
        format!(
            "`{}` is not a `kubeready fleet --format json` report: {e}",
            path.display()
        )
    })
}

/// `fleet.html` → `fleet-repos/` beside it.
fn html_dir(page: &Path) -> Result<HtmlOut, String> {
    let stem = page
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "fleet".into());
    let href = format!("{}-repos", safe_file_name(&stem));
    let dir = page.parent().unwrap_or(Path::new("")).join(&href);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let back = page
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(HtmlOut { dir, href, back })
}

/// A name safe as a file name and in a URL.
fn safe_file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() {
        "repo".into()
    } else {
        s
    }
}

/// `--reports DIR`: every `*.json` in it, named by file stem.
fn read_reports(dir: &Path, html_page: Option<&Path>) -> Result<Vec<RepoInput>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read reports folder `{}`: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
        .collect();
    files.sort();
    let page_dir = html_page.map(|p| p.parent().unwrap_or(Path::new("")).to_path_buf());
    Ok(files
        .into_iter()
        .map(|file| {
            let outcome = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read report: {e}"))
                .and_then(|text| {
                    serde_json::from_str::<serde_json::Value>(&text)
                        .map_err(|e| format!("not JSON: {e}"))
                })
                .and_then(parse_report);
            RepoInput {
                name: file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: file.display().to_string(),
                report_link: Some(link_to(&file, page_dir.as_deref())),
                outcome,
            }
        })
        .collect())
}

/// A link to `file` from a page in `page_dir`: relative when the file is
/// under that folder, else the absolute path.
fn link_to(file: &Path, page_dir: Option<&Path>) -> String {
    let Some(page_dir) = page_dir else {
        return file.display().to_string();
    };
    let abs = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
    };
    let (file_abs, dir_abs) = (abs(file), abs(page_dir));
    match file_abs.strip_prefix(&dir_abs) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => file_abs.display().to_string(),
    }
}

fn audit_one(t: &Target, html: Option<&HtmlOut>) -> RepoInput {
    let label = t.path.display().to_string();
    let mut link = None;
    let outcome = (|| {
        let meta = std::fs::metadata(&t.path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "path does not exist".to_string(),
            _ => format!("cannot read: {e}"),
        })?;
        if meta.is_dir() {
            std::fs::read_dir(&t.path).map_err(|e| format!("cannot read: {e}"))?;
        }
        let config = config::load_for(&t.path, None).map_err(|e| format!("invalid config: {e}"))?;
        let mut options = AuditOptions {
            root_label: Some(label.clone()),
            ..Default::default()
        };
        config.apply(&mut options);
        let audit = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Audit::run(&t.path, &options)
        }))
        .map_err(|_| "the audit stopped on an internal error (please report it)".to_string())?;
        if let Some(h) = html {
            let file = format!("{}.html", safe_file_name(&t.name));
            let page = crate::report::html::audit::render_page(
                &crate::report::html::model::AuditPage::new(&audit.report),
                Some(&format!("../{}", h.back)),
            );
            if std::fs::write(h.dir.join(&file), page).is_ok() {
                link = Some(format!("{}/{file}", h.href));
            }
        }
        let value = serde_json::to_value(&audit.report).map_err(|e| e.to_string())?;
        parse_report(value)
    })();
    RepoInput {
        name: t.name.clone(),
        path: label,
        outcome,
        report_link: link,
    }
}

enum Event {
    Started(usize),
    Done(usize, Box<RepoInput>),
}

/// Audits every target on all cores, reporting progress on stderr.
fn audit_all(targets: &[Target], html: Option<&HtmlOut>, progress: &Progress) -> Vec<RepoInput> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(targets.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<RepoInput>> = targets.iter().map(|_| None).collect();
    let (tx, rx) = mpsc::channel::<Event>();
    let work = |tx: mpsc::Sender<Event>| loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(t) = targets.get(i) else { break };
        let _ = tx.send(Event::Started(i));
        let input = audit_one(t, html);
        let _ = tx.send(Event::Done(i, Box::new(input)));
    };
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for _ in 0..threads {
            let tx = tx.clone();
            if std::thread::Builder::new()
                .spawn_scoped(scope, || work(tx))
                .is_ok()
            {
                spawned += 1;
            }
        }
        if spawned == 0 {
            work(tx.clone());
        }
        drop(tx);
        let started = Instant::now();
        let mut running: Vec<usize> = Vec::new();
        let mut done = 0;
        let mut drawn: Option<Instant> = None;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(Event::Started(i)) => running.push(i),
                Ok(Event::Done(i, input)) => {
                    running.retain(|r| *r != i);
                    done += 1;
                    progress.finished(done, targets.len(), &input, started.elapsed());
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(*input);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            // At most ten frames a second.
            if drawn.is_some_and(|at| at.elapsed() < Duration::from_millis(100)) {
                continue;
            }
            drawn = Some(Instant::now());
            let current = running
                .iter()
                .min()
                .and_then(|i| targets.get(*i))
                .map(|t| t.name.as_str());
            progress.draw(done, targets.len(), current, started.elapsed());
        }
        progress.clear();
    });
    results.into_iter().flatten().collect()
}

/// A progress bar on a terminal; one log line per repository otherwise.
struct Progress {
    mode: ProgressMode,
}

#[derive(PartialEq, Eq)]
enum ProgressMode {
    Quiet,
    Bar { width: usize },
    Lines,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        let mode = if quiet {
            ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bar {
                width: terminal_size::terminal_size()
                    .map(|(w, _)| w.0 as usize)
                    .unwrap_or(80),
            }
        } else {
            ProgressMode::Lines
        };
        Progress { mode }
    }

    fn draw(&self, done: usize, total: usize, current: Option<&str>, elapsed: Duration) {
        let ProgressMode::Bar { width } = self.mode else {
            return;
        };
        let slots = 24;
        let filled = (done * slots).checked_div(total).unwrap_or(slots);
        let secs = elapsed.as_secs();
        let mut line = format!(
            "[{}{}] {done}/{total} {:02}:{:02}",
            "#".repeat(filled),
            "-".repeat(slots - filled),
            secs / 60,
            secs % 60
        );
        if let Some(name) = current {
            line.push_str("  ");
            line.push_str(name);
        }
        let line: String = line.chars().take(width.saturating_sub(1)).collect();
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
    }

    fn finished(&self, done: usize, total: usize, input: &RepoInput, elapsed: Duration) {
        if self.mode != ProgressMode::Lines {
            return;
        }
        let what = match &input.outcome {
            Ok(r) => format!(
                "{}/{} steps, score {}",
                r.summary.done, r.summary.total, r.summary.score
            ),
            Err(reason) => format!("cannot be audited: {reason}"),
        };
        eprintln!(
            "kubeready: [{done}/{total}] {}: {what} ({:.1}s)",
            input.name,
            elapsed.as_secs_f64()
        );
    }

    fn clear(&self) {
        if matches!(self.mode, ProgressMode::Bar { .. }) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(safe_file_name("api"), "api");
        assert_eq!(safe_file_name("../<x>"), "__x_");
        assert_eq!(safe_file_name("..."), "repo");
    }
}
