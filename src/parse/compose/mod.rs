//! Compose files: parsed, merged with their overrides and includes.

pub mod model;

pub use model::*;

use super::ParseProblem;
use crate::walk::Tree;

/// Finds the Compose files of the tree, parses them and merges each main
/// file with its overrides and includes into a project.
pub fn parse_projects(_tree: &Tree, _problems: &mut Vec<ParseProblem>) -> Vec<ComposeProject> {
    Vec::new()
}
