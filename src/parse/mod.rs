//! The parse stage: each file kind into a typed model with line numbers.
//! Parsers record facts and problems; they never judge.

pub mod build_contexts;
pub mod ci;
pub mod compose;
pub mod devenv;
pub mod distribution;
pub mod dockerfile;
pub mod dockerignore;
pub mod k8s;
pub mod manifest;
pub mod pragmas;
pub mod runtime;

use crate::walk::{FileKind, Listing, ReadProblem, Tree};

/// Everything the parse stage learned: raw facts, no judgement.
#[derive(Debug, Default)]
pub struct Facts {
    /// The walk's listing (paths only; rules may ask whether a file exists).
    pub listing: Listing,
    pub dockerfiles: Vec<dockerfile::DockerfileFile>,
    pub dockerignores: Vec<dockerignore::DockerIgnore>,
    pub compose: Vec<compose::ComposeProject>,
    pub orchestration: k8s::OrchestrationFacts,
    pub pipelines: Vec<ci::Pipeline>,
    pub projects: Vec<manifest::Project>,
    pub devenv: devenv::DevEnvFacts,
    pub problems: Vec<ParseProblem>,
    /// Named build contexts declared anywhere (`--build-context`, bake,
    /// Compose `additional_contexts`): `COPY --from=` may use them.
    pub named_contexts: std::collections::BTreeSet<String>,
    /// Inline `# kubeready ignore=` pragmas of YAML files.
    pub yaml_pragmas: Vec<pragmas::FilePragmas>,
    /// What the services' own code and config say about running in a
    /// container (binds, logs, state, ports, signals).
    pub runtime: runtime::RuntimeFacts,
    /// Release channels to end users (package managers, OS packages).
    pub distribution: Vec<distribution::Channel>,
}

impl Facts {
    pub fn dockerfile(&self, path: &str) -> Option<&dockerfile::DockerfileFile> {
        // Sorted by path (see `parse_docker_files`).
        self.dockerfiles
            .binary_search_by(|d| d.path.as_str().cmp(path))
            .ok()
            .and_then(|i| self.dockerfiles.get(i))
    }

    /// The `.dockerignore` that applies to a build of `dockerfile` with
    /// `context`: `<Dockerfile>.dockerignore` beside the Dockerfile first,
    /// then `<context>/.dockerignore`.
    pub fn dockerignore_for(
        &self,
        dockerfile: &str,
        context: &str,
    ) -> Option<&dockerignore::DockerIgnore> {
        // `dockerignores` is sorted by file (see `parse_docker_files`).
        let find = |file: &str| {
            self.dockerignores
                .binary_search_by(|d| d.file.as_str().cmp(file))
                .ok()
                .and_then(|i| self.dockerignores.get(i))
        };
        let specific = format!("{dockerfile}.dockerignore");
        let general = crate::paths::join(context, ".dockerignore").unwrap_or_default();
        find(&specific).or_else(|| find(&general))
    }
}

/// Reads a listed file, turning read failures into problems. Files over
/// the size cap were already reported by the walk.
pub fn read(tree: &Tree, path: &str, problems: &mut Vec<ParseProblem>) -> Option<String> {
    match tree.read_text(path) {
        Ok(t) => Some(t),
        Err(ReadProblem::TooLarge { .. }) | Err(ReadProblem::NotInTree) => None,
        Err(e) => {
            let line = match e {
                ReadProblem::InvalidUtf8 { line } => line,
                _ => 1,
            };
            problems.push(ParseProblem::new(
                path,
                line,
                ProblemKind::Unreadable,
                e.to_string(),
            ));
            None
        }
    }
}

/// Every document of a YAML stream; syntax errors and duplicate keys
/// become problems of `path` (Compose and CI files alike).
pub fn yaml_documents(
    path: &str,
    text: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<kubeready_yaml::Node> {
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
    loaded.documents
}

/// Runs every parser over the tree. The parsers are independent (each
/// reads its own files and records its own problems), so they run on
/// their own threads; problems are sorted at the end, so the result does
/// not depend on scheduling. What needs another parser's result runs on
/// that parser's thread right after it (the runtime scan after the
/// manifest scan, release channels after the CI scan), not after all of
/// them.
pub fn parse_tree(tree: Tree) -> Facts {
    let t = &tree;
    let (
        (dockerfiles, dockerignores, docker_problems),
        (named_contexts, mut yaml_pragmas),
        (compose, compose_problems),
        (orchestration, k8s_pragmas, k8s_problems),
        (pipelines, devenv, distribution, ci_problems),
        (projects, runtime, manifest_problems),
    ) = std::thread::scope(|scope| {
        use crate::timings::time;
        let manifests = crate::par::spawn_or_run(scope, move || {
            let (projects, problems) = time("parse: manifests", || manifest::scan_projects(t));
            let runtime = time("parse: runtime", || runtime::scan(t, &projects));
            (projects, runtime, problems)
        });
        let compose = crate::par::spawn_or_run(scope, move || {
            time("parse: compose", || {
                let mut problems = Vec::new();
                (compose::parse_projects(t, &mut problems), problems)
            })
        });
        let k8s = crate::par::spawn_or_run(scope, move || {
            time("parse: k8s", || {
                let mut problems = Vec::new();
                let (facts, pragmas) = k8s::parse_with_pragmas(t, &mut problems);
                (facts, pragmas, problems)
            })
        });
        let ci = crate::par::spawn_or_run(scope, move || {
            time("parse: ci", || {
                let mut problems = Vec::new();
                let pipelines = ci::parse_pipelines(t, &mut problems);
                let devenv = devenv::parse_devenv(t, &mut problems);
                let distribution = distribution::channels(t, &devenv.tasks);
                (pipelines, devenv, distribution, problems)
            })
        });
        let docker = time("parse: dockerfiles", || parse_docker_files(t));
        // Cheap text scans over a few config files each.
        let small = (
            build_contexts::named_contexts(t),
            pragmas::collect_but_k8s(t),
        );
        (
            docker,
            small,
            compose.get(),
            k8s.get(),
            ci.get(),
            manifests.get(),
        )
    });
    // In file order, as one pass over the tree would give them.
    yaml_pragmas.extend(k8s_pragmas);
    yaml_pragmas.sort_by(|a, b| a.file.cmp(&b.file));
    let mut problems = docker_problems;
    problems.extend(compose_problems);
    problems.extend(k8s_problems);
    problems.extend(ci_problems);
    problems.extend(manifest_problems);
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    problems.dedup();
    Facts {
        listing: tree.into_listing(),
        dockerfiles,
        dockerignores,
        compose,
        orchestration,
        pipelines,
        projects,
        devenv,
        named_contexts,
        yaml_pragmas,
        runtime,
        distribution,
        problems,
    }
}

/// Dockerfiles and `.dockerignore` files, in tree order.
fn parse_docker_files(
    tree: &Tree,
) -> (
    Vec<dockerfile::DockerfileFile>,
    Vec<dockerignore::DockerIgnore>,
    Vec<ParseProblem>,
) {
    let mut problems = Vec::new();
    let mut dockerfiles = Vec::new();
    let mut dockerignores = Vec::new();
    for f in tree.files() {
        match f.kind {
            FileKind::Dockerfile => {
                if let Some(text) = read(tree, &f.path, &mut problems) {
                    dockerfiles.push(dockerfile::parse(&f.path, &text, &mut problems));
                }
            }
            FileKind::DockerIgnore => {
                if let Some(text) = read(tree, &f.path, &mut problems) {
                    dockerignores.push(dockerignore::parse(&f.path, &text));
                }
            }
            _ => {}
        }
    }
    // Sorted so `Facts::dockerfile` and `Facts::dockerignore_for` can
    // binary-search them.
    dockerfiles.sort_by(|a, b| a.path.cmp(&b.path));
    dockerignores.sort_by(|a, b| a.file.cmp(&b.file));
    (dockerfiles, dockerignores, problems)
}

/// A file that could not be read or parsed (fully or in part). Rules turn
/// these into `KR9xx` findings; the audit goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseProblem {
    pub file: String,
    pub line: u32,
    pub column: Option<u32>,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// Cannot be read: binary, bad encoding, too large, I/O error.
    Unreadable,
    /// Read but not parsable (syntax error).
    Syntax,
    /// Parsed, but a part of it is not understood (e.g. duplicate keys).
    Partial,
}

impl ParseProblem {
    pub fn new(
        file: &str,
        line: u32,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> ParseProblem {
        ParseProblem {
            file: file.to_string(),
            line: line.max(1),
            column: None,
            kind,
            message: message.into(),
        }
    }
}
