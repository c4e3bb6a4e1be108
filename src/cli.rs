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
    Rules,
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
    /// Print the man page (roff).
    Man,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
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
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Disable colours (also when NO_COLOR is set, or output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
    /// Print only the verdict, the progress bar and the finding counts.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Fail (exit 1) when a finding of this severity or worse exists.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Files larger than this many bytes are not parsed.
    #[arg(long, default_value_t = crate::walk::DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    pub max_file_size: u64,
}
