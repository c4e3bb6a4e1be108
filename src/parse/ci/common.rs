//! What the CI parsers share: YAML loading with problems recorded, turning
//! a script into located meanings (following Makefile targets and scripts
//! in the repo that it calls), and trigger helpers.

use super::{LocatedMeaning, Step, StepBody};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::Tree;

/// Loads a YAML CI file; syntax errors and duplicate keys become problems.
/// Returns the first document (CI files have one), if any.
pub fn load_yaml(
    path: &str,
    text: &str,
    problems: &mut Vec<ParseProblem>,
) -> Option<kubeready_yaml::Node> {
    let loaded = kubeready_yaml::load(text, &kubeready_yaml::Limits::default());
    if let Some(e) = &loaded.error {
        let mut p = ParseProblem::new(path, e.line, ProblemKind::Syntax, e.message.clone());
        p.column = Some(e.column);
        problems.push(p);
    }
    for d in &loaded.duplicates {
        problems.push(ParseProblem::new(
            path,
            d.line,
            ProblemKind::Partial,
            format!(
                "duplicate key `{}` (first at line {}); the last one is used",
                d.key, d.first_line
            ),
        ));
    }
    loaded.documents.into_iter().next()
}

/// A script step: its meanings, located at `line + offset` in `file`.
/// (STUB of the follow logic: Makefile targets and scripts are followed
/// by the full implementation.)
pub fn script_step(
    _tree: &Tree,
    file: &str,
    line: u32,
    name: Option<String>,
    script: &str,
    workdir: &str,
) -> Step {
    let meanings = kubeready_shell::classify_script(script)
        .into_iter()
        .map(|(offset, meaning)| LocatedMeaning {
            file: file.to_string(),
            line: line + offset,
            meaning,
        })
        .collect();
    Step {
        name,
        file: file.to_string(),
        line,
        body: StepBody::Script(script.to_string()),
        workdir: workdir.to_string(),
        meanings,
    }
}
