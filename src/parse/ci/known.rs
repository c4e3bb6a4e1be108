//! What the CircleCI, Azure, Bitbucket, Jenkins, Cloud Build, CodeBuild,
//! Travis, Drone, Woodpecker and Buildkite parsers share: building the
//! meanings of known tasks, orbs, pipes and plugins, script steps from YAML
//! nodes, and trigger helpers.

use super::common;
use super::{LocatedMeaning, Meaning, Step, StepBody, Trigger, TriggerKind};
use crate::parse::ParseProblem;
use crate::walk::Tree;
use kubeready_shell::{Deploy, ImageBuild};
use kubeready_yaml::{Node, ScalarStyle};

/// How deep local templates, commands and includes are followed.
pub const MAX_INCLUDE_DEPTH: usize = 6;

/// A trigger.
pub fn trigger(kind: TriggerKind, line: u32, branches: Vec<String>) -> Trigger {
    Trigger {
        kind,
        line,
        branches,
    }
}

/// Every document of a YAML stream, problems recorded.
pub fn load_docs(path: &str, text: &str, problems: &mut Vec<ParseProblem>) -> Vec<Node> {
    super::common::load_all(path, text, problems)
}

/// A scalar's text (numbers and booleans too).
pub fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_str).map(str::to_string)
}

/// A "string or list of strings" field, as strings.
pub fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(|n| {
        n.str_or_seq()
            .into_iter()
            .filter_map(Node::as_str)
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

/// A list written as YAML items, one per line, or comma separated
/// (`tags: "latest,$SHA"`, Azure's multi-line `tags: |`).
pub fn list_values(node: Option<&Node>) -> Vec<String> {
    strings(node)
        .iter()
        .flat_map(|s| s.split(['\n', ',']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// [`list_values`] of a string.
pub fn list_values_str(s: &str) -> Vec<String> {
    s.split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A node rendered as text for an action step's `with` list.
pub fn render(node: &Node) -> String {
    match (node.as_str(), node.as_seq()) {
        (Some(s), _) => s.to_string(),
        (None, Some(items)) => items.iter().map(render).collect::<Vec<_>>().join("\n"),
        _ => String::new(),
    }
}

/// A mapping's scalar-keyed entries as `(key, text)` pairs.
pub fn pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key_str()?.to_string(), render(&e.value))))
        .collect()
}

/// The value of `key` in `with` pairs (case-insensitive).
pub fn with_value<'a>(with: &'a [(String, String)], key: &str) -> Option<&'a str> {
    with.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// The line where a script scalar's text starts: a block scalar's text is
/// on the line after its `|`/`>` header.
pub fn script_line(node: &Node) -> u32 {
    match node.as_scalar().map(|s| s.style) {
        Some(ScalarStyle::Literal) | Some(ScalarStyle::Folded) => node.line + 1,
        _ => node.line,
    }
}

/// A script step from a scalar node.
pub fn script_node_step(
    tree: &Tree,
    file: &str,
    node: &Node,
    name: Option<String>,
    workdir: &str,
) -> Option<Step> {
    let script = node.as_str()?;
    Some(common::script_step(
        tree,
        file,
        script_line(node),
        name,
        script,
        workdir,
    ))
}

/// Script steps from a string or list of strings (one step per item).
pub fn script_steps(
    tree: &Tree,
    file: &str,
    node: Option<&Node>,
    name: Option<&str>,
    workdir: &str,
) -> Vec<Step> {
    let Some(node) = node else {
        return Vec::new();
    };
    node.str_or_seq()
        .into_iter()
        .filter_map(|n| script_node_step(tree, file, n, name.map(str::to_string), workdir))
        .collect()
}

/// A step for a known or unknown action (task, orb command, pipe, plugin)
/// with the meanings the parser built for it, located at the step.
pub fn action_step(
    file: &str,
    line: u32,
    name: Option<String>,
    uses: &str,
    with: Vec<(String, String)>,
    workdir: &str,
    meanings: Vec<Meaning>,
) -> Step {
    Step {
        name,
        file: file.to_string(),
        line,
        body: StepBody::Action {
            uses: uses.to_string(),
            with,
        },
        workdir: workdir.to_string(),
        meanings: meanings
            .into_iter()
            .map(|meaning| LocatedMeaning {
                file: file.to_string(),
                line,
                meaning,
            })
            .collect(),
    }
}

/// An image build.
pub fn build(
    tool: &str,
    dockerfile: Option<String>,
    context: Option<String>,
    tags: Vec<String>,
    push: bool,
) -> ImageBuild {
    ImageBuild {
        tool: tool.to_string(),
        dockerfile,
        context,
        tags,
        push,
        ..Default::default()
    }
}

/// A deploy.
pub fn deploy(tool: &str, action: &str, images: Vec<String>, files: Vec<String>) -> Deploy {
    Deploy {
        tool: tool.to_string(),
        action: action.to_string(),
        images,
        files,
        ..Default::default()
    }
}

/// `image` combined with each tag (`image:tag`), or `image` alone when
/// there is no tag; an image that already has a tag keeps it.
pub fn tagged(image: &str, tags: &[String]) -> Vec<String> {
    let image = image.trim();
    if image.is_empty() {
        return Vec::new();
    }
    let has_tag = image
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains(':') || last.contains('@'));
    if tags.is_empty() || has_tag {
        return vec![image.to_string()];
    }
    tags.iter().map(|t| format!("{image}:{t}")).collect()
}

/// `registry/image` unless the image already starts with the registry or
/// the registry is Docker Hub.
pub fn with_registry(registry: Option<&str>, image: &str) -> String {
    let reg = registry
        .map(|r| {
            r.trim()
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
        })
        .filter(|r| !r.is_empty() && !matches!(*r, "docker.io" | "index.docker.io"));
    match reg {
        Some(r) if !image.starts_with(r) => format!("{r}/{image}"),
        _ => image.to_string(),
    }
}

/// Words of a command line, quoted for a shell where needed, so that a
/// list of arguments (Cloud Build `args`) can be classified as a script.
pub fn shell_join(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let plain = !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,${}".contains(c));
            if plain {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Dockerfile, context, target and build args of `docker build`-style
/// argument text (`-f x --target t ctx`), for tasks and Jenkins's
/// `docker.build(name, args)`.
pub fn build_args_of(words: &[String]) -> (Option<String>, Option<String>, Option<String>) {
    let mut dockerfile = None;
    let mut target = None;
    let mut context = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "-f" | "--file" => dockerfile = it.next().cloned(),
            "--target" => target = it.next().cloned(),
            "-t" | "--tag" | "--build-arg" | "--platform" | "--label" | "--network"
            | "--secret" | "--ssh" | "--cache-from" | "--cache-to" | "-o" | "--output" => {
                it.next();
            }
            s if s.starts_with("--file=") => dockerfile = Some(s["--file=".len()..].to_string()),
            s if s.starts_with("--target=") => target = Some(s["--target=".len()..].to_string()),
            s if s.starts_with('-') => {}
            s => context = Some(s.to_string()),
        }
    }
    (dockerfile, context, target)
}

/// Splits argument text on whitespace, honouring simple quotes.
pub fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Strips a working directory down to a repo-relative path: CI variables
/// for the checkout root (`$(Build.SourcesDirectory)`, `~/project`,
/// `$CODEBUILD_SRC_DIR`, `/workspace`) become the root; other absolute
/// paths are unknown (the root).
pub fn repo_relative(dir: &str) -> String {
    let t = dir.trim();
    if let Some(p) = checkout_root_path(t) {
        return p;
    }
    if t.starts_with('/') {
        return String::new();
    }
    crate::paths::normalize(t).unwrap_or_default()
}

/// Variables and folders that stand for the checkout root.
const CHECKOUT_ROOTS: &[&str] = &[
    "$(Build.SourcesDirectory)",
    "$(System.DefaultWorkingDirectory)",
    "$(Pipeline.Workspace)/s",
    "$(Agent.BuildDirectory)/s",
    "${{ github.workspace }}",
    "$GITHUB_WORKSPACE",
    "${GITHUB_WORKSPACE}",
    "$CI_PROJECT_DIR",
    "${CI_PROJECT_DIR}",
    "$CODEBUILD_SRC_DIR",
    "${CODEBUILD_SRC_DIR}",
    "$BITBUCKET_CLONE_DIR",
    "${BITBUCKET_CLONE_DIR}",
    "$WORKSPACE",
    "${WORKSPACE}",
    "~/project",
    "/workspace",
    "~",
];

/// The repo path a path written from a checkout-root variable names
/// (`$(Build.SourcesDirectory)/web` → `web`), or `None` when it does not
/// start with one (or climbs out of the checkout).
pub fn checkout_root_path(path: &str) -> Option<String> {
    let t = path.trim();
    CHECKOUT_ROOTS.iter().find_map(|root| {
        let rest = t.strip_prefix(root)?;
        (rest.is_empty() || rest.starts_with('/'))
            .then(|| crate::paths::normalize(rest.trim_start_matches('/')))
            .flatten()
    })
}

/// Branch names without the `refs/heads/` prefix.
pub fn branch_name(s: &str) -> String {
    s.trim()
        .trim_start_matches("refs/heads/")
        .trim_start_matches("refs/tags/")
        .to_string()
}

#[cfg(test)]
pub mod testing {
    use crate::parse::ci::Pipeline;
    use crate::parse::ParseProblem;
    use crate::walk::{Tree, WalkOptions};

    /// Writes `files` into a temporary folder and parses its pipelines.
    pub fn parse(files: &[(&str, &str)]) -> (Vec<Pipeline>, Vec<ParseProblem>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        let mut problems = Vec::new();
        let pipelines = crate::parse::ci::parse_pipelines(&tree, &mut problems);
        (pipelines, problems)
    }

    /// The tree of `files`, kept alive with its folder.
    pub fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Tree) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        (dir, tree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_registries() {
        assert_eq!(
            tagged("acme/api", &["1".into(), "latest".into()]),
            vec!["acme/api:1", "acme/api:latest"]
        );
        assert_eq!(
            tagged("localhost:5000/api:1", &["x".into()]),
            vec!["localhost:5000/api:1"]
        );
        assert_eq!(
            with_registry(Some("https://ghcr.io/"), "acme/api"),
            "ghcr.io/acme/api"
        );
        assert_eq!(with_registry(Some("docker.io"), "acme/api"), "acme/api");
    }

    #[test]
    fn joins_and_splits_words() {
        let w: Vec<String> = ["build", "-t", "a b", "it's"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(shell_join(&w), "build -t 'a b' 'it'\\''s'");
        assert_eq!(split_args("-f 'x y' ctx"), vec!["-f", "x y", "ctx"]);
        let (f, c, t) = build_args_of(&split_args("-f docker/Dockerfile --target test ."));
        assert_eq!(
            (f.as_deref(), c.as_deref(), t.as_deref()),
            (Some("docker/Dockerfile"), Some("."), Some("test"))
        );
    }

    #[test]
    fn working_directories() {
        assert_eq!(repo_relative("$(Build.SourcesDirectory)/app"), "app");
        assert_eq!(repo_relative("~/project/api"), "api");
        assert_eq!(repo_relative("api/"), "api");
        assert_eq!(repo_relative("/tmp/x"), "");
        assert_eq!(repo_relative("/workspace/svc"), "svc");
        assert_eq!(
            checkout_root_path("$(Build.SourcesDirectory)"),
            Some(String::new())
        );
        assert_eq!(
            checkout_root_path("$GITHUB_WORKSPACE/web/Dockerfile").as_deref(),
            Some("web/Dockerfile")
        );
        assert_eq!(checkout_root_path("$GITHUB_WORKSPACE_X"), None);
        assert_eq!(checkout_root_path("web"), None);
    }
}
