//! What the CI parsers share: YAML loading with problems recorded, turning
//! a script into located meanings (following Makefile targets and scripts
//! in the repo that it calls, see [`super::follow`]), and small helpers for
//! YAML shapes, paths and triggers.

use super::{Step, StepBody, Trigger, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::Tree;
use kubeready_yaml::{Node, ScalarStyle};

/// Loads a YAML CI file; syntax errors and duplicate keys become problems.
/// Returns the first document (CI files have one), if any.
pub fn load_yaml(
    path: &str,
    text: &str,
    problems: &mut Vec<ParseProblem>,
) -> Option<kubeready_yaml::Node> {
    load_all(path, text, problems).into_iter().next()
}

/// Every document of a YAML stream (Drone files hold several pipelines).
pub use crate::parse::yaml_documents as load_all;

/// Loads a YAML file that CI refers to (a composite action, a called
/// workflow, a GitLab include): problems are recorded once even when the
/// file is reached several times.
pub(crate) fn load_followed_yaml(
    tree: &Tree,
    path: &str,
    problems: &mut Vec<ParseProblem>,
) -> Option<Node> {
    let text = tree.read_text(path).ok()?;
    let mut local = Vec::new();
    let doc = load_yaml(path, &text, &mut local);
    for p in local {
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    doc
}

/// A script step: its meanings, located at `line + offset` in `file`,
/// plus the meanings of the Makefile targets, justfile recipes, npm
/// scripts and shell scripts of the repo that it calls (located where they
/// are written). `cd dir` in the script moves the commands after it.
pub fn script_step(
    tree: &Tree,
    file: &str,
    line: u32,
    name: Option<String>,
    script: &str,
    workdir: &str,
) -> Step {
    script_step_cwd(tree, file, line, name, script, workdir).0
}

/// [`script_step`], also returning the working directory the script ends
/// in (for systems whose script items share one shell, such as GitLab).
pub(crate) fn script_step_cwd(
    tree: &Tree,
    file: &str,
    line: u32,
    name: Option<String>,
    script: &str,
    workdir: &str,
) -> (Step, String) {
    let (meanings, cwd) = super::follow::script_meanings(tree, file, line, script, workdir);
    (
        Step {
            name,
            file: file.to_string(),
            line,
            body: StepBody::Script(script.to_string()),
            workdir: workdir.to_string(),
            meanings,
        },
        cwd,
    )
}

/// The line where a scalar's text starts: the line after the `|`/`>`
/// header for block scalars, the node's own line otherwise.
pub fn text_line(node: &Node) -> u32 {
    match node.as_scalar().map(|s| s.style) {
        Some(ScalarStyle::Literal) | Some(ScalarStyle::Folded) => node.line + 1,
        _ => node.line,
    }
}

/// A scalar's text as an owned string.
pub fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(|n| n.as_str()).map(str::to_string)
}

/// A "string or `{name: ...}`" field (environments, images, services).
pub fn name_or_map<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    if node.as_scalar().is_some() {
        Some(node)
    } else {
        node.get(key).filter(|n| n.as_scalar().is_some())
    }
}

/// Scalar items of a "string or list" field.
pub fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(|n| {
        n.str_or_seq()
            .into_iter()
            .filter_map(|x| x.as_str())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

/// A working directory as written (`./api/`, `api`) as a repo path,
/// relative to `base`.
pub fn workdir(base: &str, dir: &str) -> String {
    let dir = dir.trim();
    if dir.is_empty() || dir.contains("${{") || dir.starts_with('$') {
        return base.to_string();
    }
    crate::paths::join(base, dir.trim_start_matches('/'))
        .map(|p| p.trim_start_matches('/').to_string())
        .unwrap_or_else(|| base.to_string())
}

/// Replaces `$NAME`/`${NAME}` in a script with the values CI sets
/// (GitHub `env:`, GitLab `variables:`), except for names the script
/// assigns itself and multi-line values.
pub fn subst_vars(script: &str, vars: &[(String, String)]) -> String {
    let mut s = script.to_string();
    for (name, value) in vars {
        if value.contains('\n') || name.is_empty() {
            continue;
        }
        let braced = format!("${{{name}}}");
        let plain = format!("${name}");
        if !s.contains(&plain) && !s.contains(&braced) {
            continue;
        }
        if s.contains(&format!("{name}=")) || value.contains(&plain) || value.contains(&braced) {
            continue;
        }
        s = s.replace(&braced, value);
        // `$NAME` not followed by a name character.
        let mut out = String::with_capacity(s.len());
        let mut rest = s.as_str();
        while let Some(i) = rest.find(&plain) {
            let after = &rest[i + plain.len()..];
            out.push_str(&rest[..i]);
            if after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                out.push_str(&plain);
            } else {
                out.push_str(value);
            }
            rest = after;
        }
        out.push_str(rest);
        s = out;
    }
    s
}

/// A trigger.
pub fn trigger(kind: TriggerKind, line: u32, branches: Vec<String>) -> Trigger {
    Trigger {
        kind,
        line,
        branches,
    }
}

/// Records a problem once.
pub(crate) fn problem(problems: &mut Vec<ParseProblem>, file: &str, line: u32, message: String) {
    let p = ParseProblem::new(file, line, ProblemKind::Partial, message);
    if !problems.contains(&p) {
        problems.push(p);
    }
}

/// Test helpers: a tree from `(path, text)` pairs, parsed.
/// Most combinations one CI matrix expands to (GitHub's own limit); the
/// rest are not read, which keeps the expansion linear in the file.
pub const MAX_COMBINATIONS: usize = 256;

/// One matrix combination: (variable, value) pairs.
pub type Combination = Vec<(String, String)>;

/// The product of `axes` (a variable and its values), at most
/// [`MAX_COMBINATIONS`]; the second value says whether it was cut.
pub fn combinations(axes: &[(String, Vec<String>)]) -> (Vec<Combination>, bool) {
    let mut out: Vec<Combination> = vec![Vec::new()];
    let mut cut = false;
    for (name, values) in axes {
        if values.is_empty() {
            continue;
        }
        let mut next = Vec::new();
        'outer: for c in &out {
            for v in values {
                if next.len() >= MAX_COMBINATIONS {
                    cut = true;
                    break 'outer;
                }
                let mut c = c.clone();
                c.push((name.clone(), v.clone()));
                next.push(c);
            }
        }
        out = next;
    }
    (out, cut)
}

/// The axes of a matrix entry: a mapping of variable → value or list of
/// values (GitLab `parallel: matrix:` items, CircleCI `matrix:
/// parameters:`).
pub fn matrix_axes(node: &Node) -> Vec<(String, Vec<String>)> {
    node.as_map()
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            let k = e.key_str()?.to_string();
            let values: Vec<String> = match e.value.as_seq() {
                Some(items) => items
                    .iter()
                    .filter_map(|i| i.as_scalar().map(|s| s.text.clone()))
                    .collect(),
                None => vec![e.value.as_scalar()?.text.clone()],
            };
            Some((k, values))
        })
        .collect()
}

/// `a || b` in the three-valued logic of CI conditions (`None`: cannot be
/// known without running the pipeline): true as soon as one side is.
pub(crate) fn either(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// `a && b` in the same logic: false as soon as one side is.
pub(crate) fn both(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::super::{parse_pipelines, Job, Pipeline};
    use crate::parse::ParseProblem;
    use crate::walk::{Tree, WalkOptions};
    use kubeready_shell::Meaning;

    pub fn parse(files: &[(&str, &str)]) -> (Vec<Pipeline>, Vec<ParseProblem>) {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        let mut problems = Vec::new();
        let p = parse_pipelines(&tree, &mut problems);
        (p, problems)
    }

    pub fn fixture(name: &str) -> (Vec<Pipeline>, Vec<ParseProblem>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name);
        let tree = Tree::walk(&root, &WalkOptions::default());
        let mut problems = Vec::new();
        let p = parse_pipelines(&tree, &mut problems);
        (p, problems)
    }

    pub fn job<'a>(p: &'a [Pipeline], id: &str) -> &'a Job {
        p.iter()
            .flat_map(|p| &p.jobs)
            .find(|j| j.id == id)
            .unwrap_or_else(|| {
                let ids: Vec<_> = p.iter().flat_map(|p| &p.jobs).map(|j| &j.id).collect();
                panic!("no job {id}: {ids:?}")
            })
    }

    /// The job's meanings as `(file, line, meaning)`.
    pub fn meanings(j: &Job) -> Vec<(String, u32, Meaning)> {
        j.meanings()
            .map(|m| (m.file.clone(), m.line, m.meaning.clone()))
            .collect()
    }

    pub fn builds(j: &Job) -> Vec<kubeready_shell::ImageBuild> {
        j.meanings()
            .filter_map(|m| match &m.meaning {
                Meaning::ImageBuild(b) => Some(b.clone()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod three_valued_tests {
    use super::{both, either};

    #[test]
    fn unknown_decides_only_when_the_known_side_cannot() {
        let (t, f, u) = (Some(true), Some(false), None);
        assert_eq!(either(t, u), t);
        assert_eq!(either(u, t), t);
        assert_eq!(either(f, f), f);
        assert_eq!(either(f, u), u);
        assert_eq!(both(f, u), f);
        assert_eq!(both(u, f), f);
        assert_eq!(both(t, t), t);
        assert_eq!(both(t, u), u);
    }
}
