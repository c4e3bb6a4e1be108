//! Kubernetes manifests, Helm charts (templates as text), Kustomize.

pub mod model;

pub use model::*;

use super::ParseProblem;
use crate::walk::Tree;

/// Reads Kubernetes manifests, Helm charts and Kustomize files.
pub fn parse_orchestration(_tree: &Tree, _problems: &mut Vec<ParseProblem>) -> OrchestrationFacts {
    OrchestrationFacts::default()
}
