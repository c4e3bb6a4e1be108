//! The `kubeready` binary: parse flags, run, map outcomes to exit codes
//! (0 passed, 1 gate failed, 2 usage or configuration error).

use clap::{CommandFactory, Parser};
use kubeready::audit::{Audit, AuditOptions};
use kubeready::cli::{AuditArgs, Cli, Command, FailOn, Format, GraphFormat};
use kubeready::finding::Severity;
use kubeready::report;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

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
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Audit(args) => audit(args),
        Command::Rules => {
            out(&kubeready::explain::rules_table())?;
            Ok(0)
        }
        Command::Explain { key } => match kubeready::explain::explain(&key) {
            Some(text) => {
                out(&text)?;
                Ok(0)
            }
            None => Err(format!(
                "no rule or step named `{key}` (try `kubeready rules`)"
            )),
        },
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kubeready", &mut buf);
            out(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Graph { path, format } => {
            if !path.exists() {
                return Err(format!("path `{}` does not exist", path.display()));
            }
            let audit = Audit::run(
                &path,
                &AuditOptions {
                    root_label: Some(path.display().to_string()),
                    ..Default::default()
                },
            );
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

fn audit(args: AuditArgs) -> Result<u8, String> {
    if !args.path.exists() {
        return Err(format!("path `{}` does not exist", args.path.display()));
    }
    let options = AuditOptions {
        max_file_size: args.max_file_size,
        root_label: Some(args.path.display().to_string()),
        ..Default::default()
    };
    let audit = Audit::run(&args.path, &options);
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let width = terminal_size::terminal_size()
        .map(|(w, _)| w.0 as usize)
        .filter(|_| std::io::stdout().is_terminal())
        .unwrap_or(80);
    let render = |format: Format, color: bool| match format {
        Format::Json => report::json::render(&audit.report),
        Format::Markdown => report::markdown::render(&audit.report),
        Format::Sarif => report::sarif::render(&audit.report),
        Format::Github => report::github::render(&audit.report),
        Format::Table => report::table::render(
            &audit.report,
            &report::table::TableOptions {
                color,
                width,
                quiet: args.quiet,
            },
        ),
    };
    for spec in &args.output {
        std::fs::write(&spec.path, render(spec.format, false))
            .map_err(|e| format!("cannot write `{}`: {e}", spec.path.display()))?;
    }
    let text = render(args.format, color);
    out(&text)?;
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failing = threshold
        .map(|t| audit.findings.iter().filter(|f| f.severity >= t).count())
        .unwrap_or(0);
    if failing > 0 {
        eprintln!(
            "kubeready: gate failed: {failing} finding(s) at or above `{}` severity",
            threshold.map(|t| t.as_str()).unwrap_or("never")
        );
        return Ok(1);
    }
    Ok(0)
}
