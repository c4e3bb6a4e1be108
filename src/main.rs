//! The `kubeready` binary: parse flags, run, map outcomes to exit codes
//! (0 passed, 1 gate failed, 2 usage or configuration error).

use clap::{CommandFactory, Parser};
use kubeready::audit::{Audit, AuditOptions, RuleSelection};
use kubeready::baseline::Baseline;
use kubeready::cli::{
    AuditArgs, Cli, ColorChoice, Command, FailOn, Format, GraphFormat, RulesFormat,
};
use kubeready::config;
use kubeready::finding::Severity;
use kubeready::gate::{self, GateSpec};
use kubeready::report;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

// The audit allocates many small strings and trees on several threads;
// with glibc's allocator, malloc/free were about a fifth of a 1,000-service
// audit's samples (docs/benchmark.md has the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's `mi_option_purge_delay` (the position of `purge_delay` in
// `mi_option_e`, mimalloc v3 `include/mimalloc.h`).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    fn mi_option_set_default(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// mimalloc gives freed memory back to the system only a second after it
/// was freed (v3's default `purge_delay`), longer than a whole audit: the
/// parse stage's YAML trees and file texts, freed before the rules run,
/// stayed resident, and the rules' memory came on top (peak RSS 75 against
/// 54 MB on a 3,000-document Kubernetes file; docs/benchmark.md, "Memory").
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn release_freed_memory_promptly() {
    // SAFETY: sets one option in mimalloc's option table (a plain store);
    // 15 is `mi_option_purge_delay` in the mimalloc this crate links.
    unsafe { mi_option_set_default(MI_OPTION_PURGE_DELAY, 2) };
}

fn main() -> ExitCode {
    release_freed_memory_promptly();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("kubeready: {message}");
            ExitCode::from(2)
        }
    }
}

fn out(text: &str) -> Result<(), String> {
    out_with(|stdout| stdout.write_all(text.as_bytes()))
}

/// Writes to stdout through a buffer (stdout is line-buffered, and a
/// report is thousands of lines).
fn out_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut stdout).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Audit(args) => audit(args),
        Command::Rules { format } => {
            match format {
                RulesFormat::Table => out(&kubeready::explain::rules_table())?,
                RulesFormat::Json => out(&rules_json()?)?,
                RulesFormat::Markdown => out(&kubeready::explain::rules_markdown())?,
            }
            Ok(0)
        }
        Command::Fleet(args) => kubeready::fleet::run(args),
        Command::Fix(args) => {
            let config = config::load_for(&args.path, args.config.as_deref())?;
            let mut options = AuditOptions {
                root_label: Some(args.path.display().to_string()),
                ..Default::default()
            };
            config.apply(&mut options);
            let outcome = kubeready::fix::run(&args, &options)?;
            out(&outcome.text)?;
            let spec = gate_spec(
                args.fail_on,
                args.fail_under,
                &args.require_step,
                &config,
                None,
            );
            let verdict = gate::evaluate(&outcome.after, &spec);
            if !verdict.passed() {
                let when = if args.write {
                    "after the fix"
                } else {
                    "with the fix applied"
                };
                eprintln!("kubeready: {when}, {}", verdict.line());
                return Ok(1);
            }
            Ok(0)
        }
        Command::Schema { fleet } => {
            let schema = if fleet {
                schemars::schema_for!(kubeready::fleet::FleetReport)
            } else {
                schemars::schema_for!(kubeready::report::AuditReport)
            };
            let text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?;
            out(&(text + "\n"))?;
            Ok(0)
        }
        Command::Explain { key } => match kubeready::explain::explain(&key) {
            Some(text) => {
                out(&text)?;
                Ok(0)
            }
            None => {
                let docs: Vec<_> = kubeready::rules::all_rules()
                    .into_iter()
                    .map(|r| r.doc())
                    .collect();
                let candidates = docs
                    .iter()
                    .flat_map(|d| [d.code, d.name])
                    .chain(kubeready::checklist::StepId::ALL.iter().map(|s| s.id()));
                Err(format!(
                    "no rule or step named `{key}`{} (try `kubeready rules`)",
                    config::did_you_mean(&key, candidates)
                ))
            }
        },
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kubeready", &mut buf);
            out(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Graph {
            path,
            format,
            config,
        } => {
            if !path.exists() {
                return Err(format!("path `{}` does not exist", path.display()));
            }
            let config = config::load_for(&path, config.as_deref())?;
            let mut options = AuditOptions {
                root_label: Some(path.display().to_string()),
                ..Default::default()
            };
            config.apply(&mut options);
            let audit = Audit::run(&path, &options);
            let text = match format {
                GraphFormat::Mermaid => kubeready::graph::view::to_mermaid(&audit.report.graph),
                GraphFormat::Dot => kubeready::graph::view::to_dot(&audit.report.graph),
                GraphFormat::Json => serde_json::to_string_pretty(&audit.report.graph)
                    .map(|s| s + "\n")
                    .map_err(|e| e.to_string())?,
            };
            out(&text)?;
            Ok(0)
        }
        Command::Man { subcommand, dir } => {
            let pages = man_pages()?;
            if let Some(dir) = dir {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
                for (name, page) in &pages {
                    let path = dir.join(name);
                    std::fs::write(&path, page)
                        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
                }
                return Ok(0);
            }
            let wanted = match &subcommand {
                Some(sub) => format!("kubeready-{sub}.1"),
                None => "kubeready.1".to_string(),
            };
            match pages.iter().find(|(name, _)| *name == wanted) {
                Some((_, page)) => out(&String::from_utf8_lossy(page))?,
                None => {
                    let subs: Vec<&str> = pages
                        .iter()
                        .filter_map(|(n, _)| n.strip_prefix("kubeready-")?.strip_suffix(".1"))
                        .collect();
                    let sub = subcommand.unwrap_or_default();
                    return Err(format!(
                        "no subcommand `{sub}`{} (subcommands: {})",
                        config::did_you_mean(&sub, subs.iter().copied()),
                        subs.join(", ")
                    ));
                }
            }
            Ok(0)
        }
    }
}

/// `kubeready.1` and one page per subcommand (`kubeready-audit.1`, ...),
/// which the main page's SUBCOMMANDS section refers to.
fn man_pages() -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut cmd = Cli::command();
    cmd.build();
    let render = |c: clap::Command| -> Result<Vec<u8>, String> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c)
            .render(&mut buf)
            .map_err(|e| e.to_string())?;
        Ok(buf)
    };
    let mut pages = vec![("kubeready.1".to_string(), render(cmd.clone())?)];
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() {
            continue;
        }
        let name = format!("kubeready-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .version(env!("CARGO_PKG_VERSION"));
        pages.push((format!("{name}.1"), render(page)?));
    }
    Ok(pages)
}

fn rules_json() -> Result<String, String> {
    let rules: Vec<serde_json::Value> = kubeready::rules::all_rules()
        .into_iter()
        .map(|r| {
            let d = r.doc();
            serde_json::json!({
                "code": d.code,
                "name": d.name,
                "severity": d.severity,
                "enabled_by_default": d.enabled_by_default,
                "fixable": d.fixable(),
                "summary": d.summary,
                "what": d.what,
                "why": d.why,
                "bad": d.bad,
                "good": d.good,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rules)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// Colour for the table: `--color`, `--no-color` and `NO_COLOR`.
fn use_color(args: &AuditArgs) -> bool {
    if args.no_color {
        return false;
    }
    match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// The table's width: the terminal's, else `$COLUMNS`, else 80.
fn table_width() -> usize {
    let terminal = terminal_size::terminal_size()
        .map(|(w, _)| w.0 as usize)
        .filter(|_| std::io::stdout().is_terminal());
    terminal
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
                .filter(|w| (20..=1000).contains(w))
        })
        .unwrap_or(80)
}

/// The gate from the flags, falling back on the config's `gate:` defaults.
fn gate_spec<'a>(
    fail_on: Option<FailOn>,
    fail_under: Option<u8>,
    require_step: &[kubeready::checklist::StepId],
    config: &config::Config,
    baseline: Option<&'a Baseline>,
) -> GateSpec<'a> {
    let fail_on = fail_on.or(config.gate.fail_on).unwrap_or(FailOn::Error);
    GateSpec {
        fail_on: match fail_on {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        },
        fail_under: fail_under.or(config.gate.fail_under),
        require_steps: if require_step.is_empty() {
            config.gate.require_steps.clone()
        } else {
            require_step.to_vec()
        },
        baseline,
    }
}

fn audit(args: AuditArgs) -> Result<u8, String> {
    if !args.path.exists() {
        return Err(format!("path `{}` does not exist", args.path.display()));
    }
    let config = config::load_for(&args.path, args.config.as_deref())?;
    let baseline = match &args.baseline {
        Some(p) => Some(Baseline::read(p)?),
        None => None,
    };
    let mut options = AuditOptions {
        root_label: Some(args.path.display().to_string()),
        ..Default::default()
    };
    config.apply(&mut options);
    if let Some(size) = args.max_file_size {
        options.max_file_size = size;
    }
    options.selection = RuleSelection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    if args.shellcheck {
        if !kubeready::shellcheck::available() {
            return Err(
                "--shellcheck needs `shellcheck` on PATH (e.g. `apt-get install shellcheck`)"
                    .into(),
            );
        }
        options.shellcheck = true;
    }
    let mut audit = kubeready::timings::time("audit", || Audit::run(&args.path, &options));
    for n in &audit.notices {
        eprintln!("kubeready: {n}");
    }
    let spec = gate_spec(
        args.fail_on,
        args.fail_under,
        &args.require_step,
        &config,
        baseline.as_ref(),
    );
    let verdict = gate::evaluate(&audit.report, &spec);
    let cwd = std::env::current_dir().ok();
    // A single file audited: its folder is the root files are relative to.
    let root_dir = if args.path.is_file() {
        args.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    } else {
        args.path.clone()
    };
    audit.report.display = report::Display {
        file_prefix: report::file_prefix(&root_dir, cwd.as_deref()),
        title: report::title(&args.path, cwd.as_deref()),
        gate: Some(report::GateDisplay {
            passed: verdict.passed(),
            line: verdict.line(),
            failing: verdict.failing.clone(),
        }),
    };
    let color = use_color(&args);
    let width = table_width();
    let render = |format: Format, color: bool, to: &mut dyn Write| match format {
        Format::Json => report::json::write(&audit.report, to),
        Format::Markdown => to.write_all(report::markdown::render(&audit.report).as_bytes()),
        Format::Sarif => to.write_all(report::sarif::render(&audit.report).as_bytes()),
        Format::Github => to.write_all(report::github::render(&audit.report).as_bytes()),
        Format::Gitlab => to.write_all(report::gitlab::render(&audit.report).as_bytes()),
        Format::Html => to.write_all(report::html::render(&audit.report).as_bytes()),
        Format::Concise => to.write_all(report::concise::render(&audit.report).as_bytes()),
        Format::Table => to.write_all(
            report::table::render(
                &audit.report,
                &report::table::TableOptions {
                    color,
                    width,
                    quiet: args.quiet,
                },
            )
            .as_bytes(),
        ),
    };
    for spec in &args.output {
        let written = std::fs::File::create(&spec.path).and_then(|file| {
            let mut file = std::io::BufWriter::new(file);
            render(spec.format, false, &mut file)?;
            file.flush()
        });
        written.map_err(|e| format!("cannot write `{}`: {e}", spec.path.display()))?;
    }
    if let Some(p) = &args.write_baseline {
        Baseline::from_report(&audit.report).write(p)?;
    }
    kubeready::timings::time("render", || {
        out_with(|stdout| render(args.format, color, stdout))
    })?;
    kubeready::timings::print();
    // The process is about to exit: freeing every tree and string of a big
    // audit one by one only costs time.
    std::mem::forget(audit);
    if !verdict.passed() {
        eprintln!("kubeready: {}", verdict.line());
        return Ok(1);
    }
    Ok(0)
}
