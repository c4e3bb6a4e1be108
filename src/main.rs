//! The `kubeready` binary: parse flags, run, map outcomes to exit codes
//! (0 passed, 1 gate failed, 2 usage or configuration error).

use clap::{CommandFactory, Parser};
use kubeready::audit::{Audit, AuditOptions};
use kubeready::baseline::Baseline;
use kubeready::cli::{AuditArgs, Cli, Command, FailOn, Format, GraphFormat, RulesFormat};
use kubeready::config::{self, Config};
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

fn main() -> ExitCode {
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
            let config = load_config(&path, config.as_deref())?;
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
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| e.to_string())?;
            out(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
    }
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

/// `--config FILE`, else `.kubeready.yaml` at the root, else defaults.
fn load_config(root: &Path, explicit: Option<&Path>) -> Result<Config, String> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => config::discover(root),
    };
    match path {
        Some(p) => config::load_file(&p).map_err(|e| e.to_string()),
        None => Ok(Config::default()),
    }
}

fn audit(args: AuditArgs) -> Result<u8, String> {
    if !args.path.exists() {
        return Err(format!("path `{}` does not exist", args.path.display()));
    }
    let config = load_config(&args.path, args.config.as_deref())?;
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
    if args.shellcheck {
        if !kubeready::shellcheck::available() {
            return Err(
                "--shellcheck needs `shellcheck` on PATH (e.g. `apt-get install shellcheck`)"
                    .into(),
            );
        }
        options.shellcheck = true;
    }
    let audit = kubeready::timings::time("audit", || Audit::run(&args.path, &options));
    for n in &audit.notices {
        eprintln!("kubeready: {n}");
    }
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let width = terminal_size::terminal_size()
        .map(|(w, _)| w.0 as usize)
        .filter(|_| std::io::stdout().is_terminal())
        .unwrap_or(80);
    let render = |format: Format, color: bool, to: &mut dyn Write| match format {
        Format::Json => report::json::write(&audit.report, to),
        Format::Markdown => to.write_all(report::markdown::render(&audit.report).as_bytes()),
        Format::Sarif => to.write_all(report::sarif::render(&audit.report).as_bytes()),
        Format::Github => to.write_all(report::github::render(&audit.report).as_bytes()),
        Format::Gitlab => to.write_all(report::gitlab::render(&audit.report).as_bytes()),
        Format::Html => to.write_all(report::html::render(&audit.report).as_bytes()),
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
    let fail_on = args
        .fail_on
        .or(config.gate.fail_on)
        .unwrap_or(FailOn::Error);
    let spec = GateSpec {
        fail_on: match fail_on {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        },
        fail_under: args.fail_under.or(config.gate.fail_under),
        require_steps: if args.require_step.is_empty() {
            config.gate.require_steps.clone()
        } else {
            args.require_step.clone()
        },
        baseline: baseline.as_ref(),
    };
    let verdict = gate::evaluate(&audit.report, &spec);
    // The process is about to exit: freeing every tree and string of a big
    // audit one by one only costs time.
    std::mem::forget(audit);
    if !verdict.passed() {
        eprintln!("kubeready: {}", verdict.line());
        return Ok(1);
    }
    Ok(0)
}
