//! STUB: to be written.

use super::Pipeline;
use crate::parse::ParseProblem;
use crate::walk::Tree;

pub fn parse(
    _tree: &Tree,
    _path: &str,
    _text: &str,
    _problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    Vec::new()
}
