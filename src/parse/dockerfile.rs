//! Dockerfiles as parsed by [`kubeready_dockerfile`], with their place in
//! the tree.

pub use kubeready_dockerfile::{Args, Dockerfile, Instruction, Keyword, Stage};

use super::{ParseProblem, ProblemKind};

#[derive(Clone, Debug)]
pub struct DockerfileFile {
    pub path: String,
    /// The folder holding it (`""` for the root).
    pub dir: String,
    pub dockerfile: Dockerfile,
    /// Inline `# hadolint ignore=` / `# kubeready ignore=` pragmas.
    pub pragmas: Vec<super::pragmas::Pragma>,
}

pub fn parse(path: &str, text: &str, problems: &mut Vec<ParseProblem>) -> DockerfileFile {
    let dockerfile = kubeready_dockerfile::parse(text);
    for e in &dockerfile.errors {
        problems.push(ParseProblem::new(
            path,
            e.line,
            ProblemKind::Syntax,
            e.message.clone(),
        ));
    }
    let pragmas = super::pragmas::dockerfile_pragmas(&dockerfile);
    DockerfileFile {
        path: path.to_string(),
        dir: parent_dir(path).to_string(),
        dockerfile,
        pragmas,
    }
}

/// The folder part of a relative path (`""` at the root).
pub fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}
