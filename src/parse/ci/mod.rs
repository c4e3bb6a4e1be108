//! CI/CD configurations, each system normalised into [`model::Pipeline`].

pub mod model;

pub use model::*;

use super::ParseProblem;
use crate::walk::Tree;

/// Reads every CI configuration of the tree into pipelines.
pub fn parse_pipelines(_tree: &Tree, _problems: &mut Vec<ParseProblem>) -> Vec<Pipeline> {
    Vec::new()
}
