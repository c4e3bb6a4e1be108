//! Nx targets CI runs (`nx run-many -t container --push true`, `nx run
//! api:docker`, `nx container api`): the projects' `project.json` targets,
//! merged over `nx.json` `targetDefaults`. A `@nx-tools/nx-container:build`
//! target is an image build of its context; a `nx:run-commands` target is
//! shell commands the follower reads like any script.

use crate::paths;
use crate::walk::Tree;
use kubeready_shell::ImageBuild;
use kubeready_yaml::Node;

/// An `nx` command line: which target of which projects, with which
/// overriding options.
#[derive(Debug, Default, PartialEq)]
pub struct NxRun {
    pub target: String,
    /// Project names; empty means every project with the target.
    pub projects: Vec<String>,
    /// `tag:x` selectors of `--projects`.
    pub project_tags: Vec<String>,
    pub configuration: Option<String>,
    /// `--push`, `--push true`.
    pub push: bool,
    /// `--tags a,b` overriding the target's tags.
    pub tags: Vec<String>,
}

/// What an Nx target does.
pub enum NxAction {
    /// An image build, located at the target's definition.
    Build {
        file: String,
        line: u32,
        build: ImageBuild,
    },
    /// Shell commands run in `cwd` (a repo folder).
    Commands {
        file: String,
        line: u32,
        script: String,
        cwd: String,
    },
}

/// The arguments of `nx ...` (after the program name).
pub fn parse_args(args: &[String]) -> Option<NxRun> {
    let mut run = NxRun::default();
    let mut pos: Vec<&str> = Vec::new();
    let mut i = 0;
    let value = |i: &mut usize, a: &str, name: &str| -> Option<String> {
        if let Some(v) = a.strip_prefix(&format!("{name}=")) {
            return Some(v.to_string());
        }
        (a == name).then(|| {
            *i += 1;
            args.get(*i).cloned().unwrap_or_default()
        })
    };
    while let Some(a) = args.get(i) {
        let a = a.as_str();
        if let Some(v) = value(&mut i, a, "--target")
            .or_else(|| value(&mut i, a, "--targets"))
            .or_else(|| value(&mut i, a, "-t"))
        {
            run.target = v.split(',').next().unwrap_or("").to_string();
        } else if let Some(v) = value(&mut i, a, "--projects").or_else(|| value(&mut i, a, "-p")) {
            for p in v.split(',') {
                match p.strip_prefix("tag:") {
                    Some(t) => run.project_tags.push(t.to_string()),
                    None => run.projects.push(p.to_string()),
                }
            }
        } else if let Some(v) =
            value(&mut i, a, "--configuration").or_else(|| value(&mut i, a, "-c"))
        {
            run.configuration = Some(v);
        } else if let Some(v) = value(&mut i, a, "--tags") {
            run.tags.extend(v.split(',').map(str::to_string));
        } else if a == "--push" || a == "--push=true" {
            run.push = true;
            if args.get(i + 1).is_some_and(|n| n == "true" || n == "false") {
                i += 1;
                run.push = args.get(i).is_some_and(|n| n == "true");
            }
        } else if !a.starts_with('-') {
            pos.push(a);
        }
        i += 1;
    }
    match pos.as_slice() {
        ["run-many" | "affected", ..] => {}
        ["run", spec, ..] => {
            let mut parts = spec.split(':');
            run.projects = vec![parts.next()?.to_string()];
            run.target = parts.next()?.to_string();
            run.configuration = parts.next().map(str::to_string).or(run.configuration);
        }
        [target, project, ..] => {
            run.target = target.to_string();
            run.projects = vec![project.to_string()];
        }
        _ => return None,
    }
    (!run.target.is_empty()).then_some(run)
}

/// A project: its name, root folder, tags and `project.json`.
struct Project<'a> {
    name: String,
    root: &'a str,
    tags: Vec<String>,
    file: &'a str,
    doc: Node,
}

fn load(text: &str) -> Option<Node> {
    kubeready_yaml::load(text, &kubeready_yaml::Limits::default())
        .documents
        .into_iter()
        .next()
}

fn strings(n: Option<&Node>) -> Vec<String> {
    super::common::strings(n)
}

/// What `run` does in the workspace whose `nx.json` is `nx_json`.
pub fn actions(tree: &Tree, nx_json: &str, run: &NxRun) -> Vec<NxAction> {
    let workspace = paths::parent(nx_json);
    let defaults = tree.read_text(nx_json).ok().and_then(|t| load(&t));
    let default_target = defaults
        .as_ref()
        .and_then(|d| d.get("targetDefaults"))
        .and_then(|t| t.get(&run.target));
    let mut out = Vec::new();
    for f in tree.files_under(workspace) {
        if paths::file_name(&f.path) != "project.json" {
            continue;
        }
        let Some(doc) = tree.read_text(&f.path).ok().and_then(|t| load(&t)) else {
            continue;
        };
        let root = paths::parent(&f.path);
        let project = Project {
            name: doc
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or_else(|| paths::file_name(root))
                .to_string(),
            root,
            tags: strings(doc.get("tags")),
            file: &f.path,
            doc,
        };
        let selected = if run.projects.is_empty() && run.project_tags.is_empty() {
            true
        } else {
            run.projects.contains(&project.name)
                || project.tags.iter().any(|t| run.project_tags.contains(t))
        };
        if selected {
            target_actions(&project, default_target, nx_json, run, &mut out);
        }
    }
    out
}

fn target_actions(
    p: &Project,
    default: Option<&Node>,
    nx_json: &str,
    run: &NxRun,
    out: &mut Vec<NxAction>,
) {
    let own = p.doc.get("targets").and_then(|t| t.get(&run.target));
    let (file, line) = match (own, default) {
        (Some(n), _) => (p.file, n.line),
        (None, Some(d)) if run.projects.contains(&p.name) || !run.project_tags.is_empty() => {
            (nx_json, d.line)
        }
        _ => return,
    };
    // An option from the project's target, else from the defaults; a
    // chosen configuration's options win over both.
    let option = |key: &str| -> Option<&Node> {
        let conf = run.configuration.as_deref();
        [own, default].into_iter().flatten().find_map(|t| {
            conf.and_then(|c| t.get("configurations")?.get(c)?.get(key))
                .or_else(|| t.get("options")?.get(key))
        })
    };
    let subst = |s: &str| {
        s.replace("{projectRoot}", p.root)
            .replace("{projectName}", &p.name)
            .replace("{workspaceRoot}", ".")
    };
    let executor = [own, default]
        .into_iter()
        .flatten()
        .find_map(|t| t.get("executor").and_then(Node::as_str))
        .unwrap_or("");
    if executor.starts_with("@nx-tools/nx-container") {
        let context = option("context")
            .and_then(Node::as_str)
            .map(subst)
            .unwrap_or_else(|| ".".to_string());
        let tags = if run.tags.is_empty() {
            strings(option("tags"))
        } else {
            run.tags.clone()
        };
        out.push(NxAction::Build {
            file: file.to_string(),
            line,
            build: ImageBuild {
                tool: "nx-container".into(),
                dockerfile: option("file").and_then(Node::as_str).map(subst),
                context: Some(context),
                tags: tags.iter().map(|t| subst(t)).collect(),
                push: run.push || option("push").and_then(Node::as_str) == Some("true"),
                ..Default::default()
            },
        });
    } else if executor == "nx:run-commands" {
        let cwd = option("cwd")
            .and_then(Node::as_str)
            .map(subst)
            .unwrap_or_else(|| ".".to_string());
        let mut commands = strings(option("command"));
        for c in option("commands").and_then(Node::as_seq).unwrap_or(&[]) {
            commands.extend(
                c.as_str()
                    .or_else(|| c.get("command")?.as_str())
                    .map(str::to_string),
            );
        }
        for c in commands {
            out.push(NxAction::Commands {
                file: file.to_string(),
                line,
                script: subst(&c),
                cwd: cwd.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn nx_command_lines() {
        let r = parse_args(&w(
            "run-many -t container --push true --projects=tag:service",
        ))
        .unwrap_or_else(|| unreachable!());
        assert_eq!(r.target, "container");
        assert_eq!(r.project_tags, vec!["service"]);
        assert!(r.push);
        let r = parse_args(&w("container load-gen --tags x/y:1")).unwrap_or_else(|| unreachable!());
        assert_eq!(
            (r.target.as_str(), r.projects.clone()),
            ("container", vec!["load-gen".to_string()])
        );
        assert_eq!(r.tags, vec!["x/y:1"]);
        assert!(!r.push);
        let r = parse_args(&w("run api:docker:publish")).unwrap_or_else(|| unreachable!());
        assert_eq!(r.configuration.as_deref(), Some("publish"));
        assert!(parse_args(&w("graph")).is_none());
    }
}
