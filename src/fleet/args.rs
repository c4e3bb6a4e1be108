//! The flags of `kubeready fleet`.

use crate::checklist::StepId;
use clap::{ArgGroup, Args, ValueEnum};
use std::path::PathBuf;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FleetFormat {
    /// A table for the terminal.
    Table,
    /// The fleet JSON (see `kubeready schema --fleet`).
    Json,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FleetFailOn {
    Error,
    Never,
}

/// `FORMAT=PATH` for `--output`.
#[derive(Clone, Debug)]
pub struct FleetOutput {
    pub format: FleetFormat,
    pub path: PathBuf,
}

fn parse_output(s: &str) -> Result<FleetOutput, String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH, got `{s}`"))?;
    let format = FleetFormat::from_str(format, true)
        .map_err(|_| format!("unknown format `{format}` (table, json, markdown, html)"))?;
    if path.is_empty() {
        return Err("the output path is empty".into());
    }
    Ok(FleetOutput {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("input").required(true).multiple(true).args(["dirs", "list", "reports"])))]
pub struct FleetArgs {
    /// Checkouts, or folders whose subfolders are checkouts (a folder with
    /// `.git` or a file kubeready reads at its top is a checkout).
    pub dirs: Vec<PathBuf>,
    /// Read the repositories' paths from FILE (one a line, `#` comments).
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// Roll up the `audit --format json` reports (`*.json`) in DIR instead
    /// of auditing.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["dirs", "list"])]
    pub reports: Option<PathBuf>,
    /// Output format on standard output.
    #[arg(long, short = 'f', value_enum, default_value_t = FleetFormat::Table)]
    pub format: FleetFormat,
    /// Also write FORMAT to PATH (repeatable). With `html=PATH`, each
    /// repository's own HTML report is written to `<PATH stem>-repos/`.
    #[arg(long, short = 'o', value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub output: Vec<FleetOutput>,
    /// A previous `fleet --format json`: show what moved since.
    #[arg(long, value_name = "OLD.json")]
    pub compare: Option<PathBuf>,
    /// Fail (exit 1) when a repository's score is below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub fail_under: Option<u8>,
    /// Fail (exit 1) unless every repository has each step done or
    /// not-applicable (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',', value_parser = crate::cli::parse_step)]
    pub require_step: Vec<StepId>,
    /// Fail (exit 1) when a repository has an error finding.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FleetFailOn::Never)]
    pub fail_on: FleetFailOn,
    /// No progress bar and no log lines on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
