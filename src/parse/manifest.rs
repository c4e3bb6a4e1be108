//! Facts from language manifests: where the project roots of the repository
//! are, in which language, and what each manifest says about being a
//! runnable program (a service) rather than a library.
//!
//! One [`Project`] per folder that holds a manifest. When a folder holds the
//! manifests of several languages (a `package.json` for assets beside a
//! Django `manage.py`), the most specific service signal wins. Work is
//! bounded: manifests are read whole (they are small and size-capped by the
//! walk), other source files only by a short prefix and at most
//! [`MAX_SNIFFED_FILES`] per project.

use crate::parse::{ParseProblem, ProblemKind};
use crate::paths::relative_to as rel;
use crate::walk::{FileKind, ReadProblem, Tree};
use std::collections::{BTreeMap, BTreeSet};

mod model;
pub use model::*;

// The scan over all folders, and what every language scanner shares (the
// language modules below take all of it with `use super::*`).
mod scan;
pub use scan::{guess_language, scan_projects};
use scan::{new_project, role_rank, Cand};
mod support;
use support::*;
mod jvm_config;
use jvm_config::jvm_app_config;

// ---------------------------------------------------------------------------
// A tiny, lenient XML reader for pom.xml and *.csproj: elements, attributes,
// text and start lines. No DTDs, no namespaces (prefixes are dropped).

mod xml;

// ---------------------------------------------------------------------------
// Node.js (and Deno)

mod node;
pub use node::strip_scope;

// ---------------------------------------------------------------------------
// Python

mod python;

// ---------------------------------------------------------------------------
// Go

mod golang;

// ---------------------------------------------------------------------------
// Rust

mod rust;

// ---------------------------------------------------------------------------
// Java / Kotlin: Maven and Gradle

mod java;

// ---------------------------------------------------------------------------
// .NET

mod dotnet;

// ---------------------------------------------------------------------------
// Ruby

mod ruby;

// ---------------------------------------------------------------------------
// PHP

mod php;

// ---------------------------------------------------------------------------
// Elixir

mod elixir;

// ---------------------------------------------------------------------------
// Procfile

mod procfile;

// ---------------------------------------------------------------------------
// Image builders configured outside the language manifests

mod builders;

#[cfg(test)]
mod tests;
