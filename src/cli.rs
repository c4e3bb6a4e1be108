//! Every flag, defined once. Help, the man page and shell completions are
//! generated from this definition.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "kubeready",
    version,
    about = "How far is this repository from running in containers, and what next?",
    long_about = "kubeready walks a repository, understands its Dockerfiles, Compose files, CI/CD configs and \
Kubernetes files, scores it on a seven-step containerization checklist and prints a progress report with \
concrete next steps. It never executes, fetches or writes anything from the audited repository."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Audit a repository and print the checklist, findings and next steps.
    Audit(AuditArgs),
    /// List every rule with its code, name, default severity and summary.
    Rules {
        /// `table` for people, `json` for tools.
        #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Print the JSON Schema of `kubeready audit --format json`.
    Schema {
        /// The schema of `kubeready fleet --format json` instead.
        #[arg(long)]
        fleet: bool,
    },
    /// Audit many repositories (or read their reports) and roll them up.
    Fleet(crate::fleet::FleetArgs),
    /// Explain a rule (by code or name) or a checklist step (by id).
    Explain {
        /// A rule code (DL3007, KR901), rule name (unreadable-file) or step id (compose).
        key: String,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `kubeready(1)`, or one subcommand's
    /// (`kubeready man audit` is `kubeready-audit(1)`); `--dir` writes them all.
    Man {
        /// A subcommand whose page to print, e.g. `audit`.
        subcommand: Option<String>,
        /// Write every page (`kubeready.1`, `kubeready-audit.1`, ...) into DIR
        /// instead of printing one.
        #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
        dir: Option<PathBuf>,
    },
    /// Write what the next steps ask for (Dockerfiles, `.dockerignore`,
    /// Compose, dev loop, CI) and fix mechanical findings; without
    /// `--write`, print the diff only.
    ///
    /// Exit codes as for `audit`, gated on the tree as the fix leaves it
    /// (with `--write`, re-audited after writing; without, audited as if
    /// the diff were applied, so both exit alike): 0 the gate passed, 1 it
    /// failed (something stays undone or wrong; the reason is printed on
    /// stderr), 2 a usage or configuration error, or nothing could be
    /// written (a read-only tree).
    Fix(FixArgs),
    /// Print the pipeline graph: services, images, builds, runs and deploys.
    Graph {
        /// The repository to read.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Read this config instead of `.kubeready.yaml` at PATH.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    /// The Markdown table the README embeds.
    Markdown,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A report for the terminal.
    Table,
    /// The JSON contract (see `kubeready schema`).
    Json,
    /// GitHub-flavoured Markdown for PR comments, job summaries and wikis.
    Markdown,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (PR annotations).
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// One self-contained HTML page (works offline).
    Html,
    /// One line per finding: `path:line:col: severity CODE message`.
    Concise,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Json,
}

/// `FORMAT=PATH` for `--output`.
#[derive(Clone, Debug)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_output(s: &str) -> Result<OutputSpec, String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH, got `{s}`"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}` (table, json, markdown, sarif, github, gitlab, concise, html)")
    })?;
    if path.is_empty() {
        return Err("the output path is empty".into());
    }
    Ok(OutputSpec {
        format,
        path: PathBuf::from(path),
    })
}

fn parse_size_arg(s: &str) -> Result<u64, String> {
    crate::config::parse_size(s)
        .ok_or_else(|| format!("`{s}` is not a size (a number of bytes, or e.g. 2MB, 512KiB, 1GB)"))
}

/// A rule code, name, retired alias, or a code prefix (`DL`, `KR5`), as its
/// canonical code or prefix.
pub fn parse_rule_selector(s: &str) -> Result<String, String> {
    let key = s.trim();
    if let Some(code) = crate::rules::canonical_code(key) {
        return Ok(code.to_string());
    }
    let upper = key.to_ascii_uppercase();
    let is_prefix = !upper.is_empty()
        && crate::rules::all_rules()
            .iter()
            .any(|r| r.doc().code.starts_with(&upper))
        && upper.chars().take(2).all(|c| c.is_ascii_alphabetic());
    if is_prefix {
        return Ok(upper);
    }
    let docs: Vec<_> = crate::rules::all_rules()
        .into_iter()
        .map(|r| r.doc())
        .collect();
    let candidates = docs
        .iter()
        .flat_map(|d| [d.code, d.name])
        .chain(crate::rules::ALIASES.iter().map(|(old, _)| *old));
    Err(format!(
        "unknown rule `{key}`{} (see `kubeready rules`)",
        crate::config::did_you_mean(key, candidates)
    ))
}

/// A `--step` value (also `fleet --step`).
pub(crate) fn parse_step(s: &str) -> Result<crate::checklist::StepId, String> {
    use crate::checklist::StepId;
    StepId::from_id(s.trim()).ok_or_else(|| {
        format!(
            "unknown step `{s}`{} (steps: {})",
            crate::config::did_you_mean(s.trim(), StepId::ALL.iter().map(|st| st.id())),
            StepId::ALL.map(|st| st.id()).join(", ")
        )
    })
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The repository (or a single file) to audit.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format on standard output.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write FORMAT to PATH (repeatable), e.g. `--output sarif=kubeready.sarif`.
    #[arg(long, short = 'o', value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub output: Vec<OutputSpec>,
    /// When to use colours: `auto` (on a terminal, unless NO_COLOR is set),
    /// `always` or `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Disable colours (the same as `--color never`).
    #[arg(long)]
    pub no_color: bool,
    /// Run only these rules (codes or names, repeatable or comma-separated;
    /// a prefix such as `DL` or `KR5` selects a family), on top of the config.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule_selector)]
    pub select: Vec<String>,
    /// Do not run these rules (codes, names or prefixes; wins over --select).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule_selector)]
    pub ignore: Vec<String>,
    /// Print only the verdict, the progress bar and the finding counts.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Read this config instead of `.kubeready.yaml` at the audited root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fail (exit 1) when a finding of this severity or worse exists
    /// [default: error, or `gate.fail-on` from the config].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Fail (exit 1) when the checklist score (0-100) is below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub fail_under: Option<u8>,
    /// Fail (exit 1) unless each step is done or not-applicable (repeatable
    /// or comma-separated), e.g. `--require-step dockerfile,compose`.
    #[arg(long, value_name = "ID", value_delimiter = ',', value_parser = parse_step)]
    pub require_step: Vec<crate::checklist::StepId>,
    /// Gate only on what is new since this baseline: findings not in it, and
    /// required steps or a score that regressed (see docs/ci.md).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the findings and step results of this run as a baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Files larger than this are not parsed: bytes or a size such as
    /// `2MB`, `512KiB` [default: 10 MiB, or `max-file-size` from the config].
    #[arg(long, value_name = "SIZE", value_parser = parse_size_arg)]
    pub max_file_size: Option<u64>,
    /// Also run ShellCheck (must be on PATH) over every shell-form RUN and
    /// report its findings (SCxxxx) at the Dockerfile line.
    #[arg(long)]
    pub shellcheck: bool,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// The repository to fix.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Apply the changes (default: print a unified diff and write nothing).
    #[arg(long)]
    pub write: bool,
    /// Only the scaffolds of these checklist steps (`dockerfile`,
    /// `all-services`, `compose`, `dev-env`, `image-builds`, `ci-images`,
    /// `cd-staging`).
    #[arg(long = "step", value_name = "ID")]
    pub steps: Vec<String>,
    /// Only the autofixes of these rules (e.g. `DL3020`).
    #[arg(long = "rule", value_name = "CODE")]
    pub rules: Vec<String>,
    /// Read this config instead of `.kubeready.yaml` at PATH.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fail (exit 1) when the tree as the fix leaves it (without `--write`:
    /// as it would leave it) has a finding of this severity or worse
    /// [default: error, or `gate.fail-on` from the config].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Fail (exit 1) when the checklist score after the fix is below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub fail_under: Option<u8>,
    /// Fail (exit 1) unless each step is done or not-applicable after the
    /// fix (repeatable or comma-separated).
    #[arg(long, value_name = "ID", value_delimiter = ',', value_parser = parse_step)]
    pub require_step: Vec<crate::checklist::StepId>,
}
