//! kubeready's shell layer.
//!
//! * [`parse_script`] splits shell text (Dockerfile `RUN` bodies, CI `run:`
//!   blocks, Makefile recipes, shell scripts) into [`SimpleCommand`]s, with
//!   bounded expansion of nested scripts (`sh -c`, `$(...)`, backticks,
//!   `eval`).
//! * [`classify`] and [`classify_script`] say what container-related commands
//!   mean: image builds, pushes, registry logins, runs, Compose, deploys,
//!   GitOps bumps and test commands.
//!
//! Nothing here executes anything, and no input makes it panic: the lexer is
//! iterative and linear, and nesting stops at [`MAX_DEPTH`].
//!
//! ```
//! use kubeready_shell::{classify_script, parse_script, Meaning};
//!
//! let script = "sudo docker build -t reg/app:$SHA . && \\\n  sh -c 'docker push reg/app:$SHA'";
//! let cmds = parse_script(script).commands;
//! assert_eq!(cmds[0].program(), Some("docker"));
//! assert!(cmds[2].nested); // `docker push` from inside `sh -c`
//!
//! let meanings = classify_script(script);
//! assert!(matches!(&meanings[0], (0, Meaning::ImageBuild(b)) if b.tags == ["reg/app:$SHA"]));
//! assert!(matches!(&meanings[1], (1, Meaning::ImagePush { .. })));
//! ```

// Every public item is documented: this crate's API is read by others.
#![warn(missing_docs)]

mod args;
mod classify;
mod lexer;
mod parser;

pub use classify::{
    classify, classify_script, test_tool, ComposeInvocation, Deploy, ImageBuild, Meaning,
};

pub use parser::{
    basename, parse_script, split_words, Connector, Script, SimpleCommand, MAX_DEPTH,
};
