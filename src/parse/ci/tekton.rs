//! Tekton Pipelines-as-Code (`.tekton/*.yaml`): a `PipelineRun` whose
//! `pipelinesascode.tekton.dev/on-event` (or `on-cel-expression`) says
//! when it runs (push events are automatic, narrowed by
//! `on-target-branch`), with one job per pipeline task: image-building
//! tasks (buildah, kaniko, docker-build) are pushed builds of their
//! `IMAGE`, `DOCKERFILE` and `CONTEXT`; inline `taskSpec` steps are
//! scripts. `pipelineRef` to a `Pipeline` in the same folder is followed.

use super::known::{action_step, trigger};
use super::{common, ImageUse, Job, Pipeline, Step, Trigger, TriggerKind};
use crate::parse::ParseProblem;
use crate::walk::{CiSystem, Tree};
use kubeready_shell::{ImageBuild, Meaning};
use kubeready_yaml::Node;

const ANNOTATION: &str = "pipelinesascode.tekton.dev/";

pub fn parse(
    tree: &Tree,
    path: &str,
    text: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let docs = common::load_all(path, text, problems);
    let mut out = Vec::new();
    for doc in &docs {
        if doc.get("kind").and_then(Node::as_str) != Some("PipelineRun") {
            continue;
        }
        let meta = doc.get("metadata");
        let name = meta
            .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
            .and_then(Node::as_str)
            .unwrap_or("PipelineRun")
            .to_string();
        let annotations = meta.and_then(|m| m.get("annotations"));
        let triggers = triggers(annotations, doc.line);
        let spec = doc.get("spec");
        let params = run_params(spec);
        let pipeline_spec = spec
            .and_then(|s| s.get("pipelineSpec"))
            .cloned()
            .or_else(|| {
                let wanted = spec?.get("pipelineRef")?.get("name")?.as_str()?;
                find_pipeline(tree, path, &docs, wanted)
            });
        let Some(ps) = pipeline_spec else {
            out.push(Pipeline {
                file: path.to_string(),
                system: Some(CiSystem::Tekton),
                name,
                triggers,
                ..Default::default()
            });
            continue;
        };
        let mut params = params;
        for d in ps.get("params").and_then(Node::as_seq).unwrap_or(&[]) {
            let (Some(n), Some(v)) = (
                d.get("name").and_then(Node::as_str),
                d.get("default").and_then(Node::as_str),
            ) else {
                continue;
            };
            if !params.iter().any(|(k, _)| k == n) {
                params.push((n.to_string(), v.to_string()));
            }
        }
        let mut jobs = Vec::new();
        for key in ["tasks", "finally"] {
            for t in ps.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                jobs.extend(task_job(tree, path, t, &params));
            }
        }
        out.push(Pipeline {
            file: path.to_string(),
            system: Some(CiSystem::Tekton),
            name,
            triggers,
            jobs,
            ..Default::default()
        });
    }
    out
}

/// A `Pipeline` named `wanted` in this file or another `.tekton` file.
fn find_pipeline(tree: &Tree, path: &str, docs: &[Node], wanted: &str) -> Option<Node> {
    let is_it = |d: &Node| {
        d.get("kind").and_then(Node::as_str) == Some("Pipeline")
            && d.get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Node::as_str)
                == Some(wanted)
    };
    if let Some(d) = docs.iter().find(|d| is_it(d)) {
        return d.get("spec").cloned();
    }
    let dir = crate::paths::parent(path);
    for f in tree.files() {
        if crate::paths::parent(&f.path) != dir || f.path == path {
            continue;
        }
        let Ok(text) = tree.read_text(&f.path) else {
            continue;
        };
        let loaded = kubeready_yaml::load(&text, &kubeready_yaml::Limits::default());
        if let Some(d) = loaded.documents.iter().find(|d| is_it(d)) {
            return d.get("spec").cloned();
        }
    }
    None
}

/// `spec.params` of the run: name → value (scalars).
fn run_params(spec: Option<&Node>) -> Vec<(String, String)> {
    spec.and_then(|s| s.get("params"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            Some((
                p.get("name")?.as_str()?.to_string(),
                p.get("value")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

/// `$(params.x)` replaced by the run's values (repeatedly, for values that
/// refer to other parameters).
fn subst(s: &str, params: &[(String, String)]) -> String {
    let mut out = s.to_string();
    for _ in 0..4 {
        if !out.contains("$(params.") {
            break;
        }
        for (k, v) in params {
            out = out.replace(&format!("$(params.{k})"), v);
        }
    }
    out
}

/// A path in the source workspace as a repo path.
fn repo_path(p: &str) -> String {
    let mut t = p.trim();
    if t.starts_with("$(workspaces.") {
        t = match t.find(".path)") {
            Some(i) => &t[i + ".path)".len()..],
            None => t,
        };
    }
    let t = t.trim_start_matches('/');
    if t.is_empty() {
        ".".to_string()
    } else {
        t.to_string()
    }
}

/// `[push]`, `[main, release-*]`, `push`: the listed values.
fn list(v: &str) -> Vec<String> {
    v.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|x| x.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

fn triggers(annotations: Option<&Node>, line: u32) -> Vec<Trigger> {
    let get = |k: &str| {
        annotations
            .and_then(|a| a.get(&format!("{ANNOTATION}{k}")))
            .and_then(Node::as_str)
    };
    let branches: Vec<String> = get("on-target-branch").map(list).unwrap_or_default();
    let mut events = get("on-event").map(list).unwrap_or_default();
    if let Some(cel) = get("on-cel-expression") {
        for (needle, ev) in [
            ("\"push\"", "push"),
            ("'push'", "push"),
            ("\"pull_request\"", "pull_request"),
            ("'pull_request'", "pull_request"),
        ] {
            if cel.contains(needle) && !events.iter().any(|e| e == ev) {
                events.push(ev.to_string());
            }
        }
    }
    let mut out = Vec::new();
    for e in events {
        match e.as_str() {
            "push" => {
                let (tags, heads): (Vec<String>, Vec<String>) = branches
                    .iter()
                    .cloned()
                    .partition(|b| b.starts_with("refs/tags/"));
                if !heads.is_empty() || tags.is_empty() {
                    let heads = heads.iter().map(|b| super::known::branch_name(b)).collect();
                    out.push(trigger(TriggerKind::Push, line, heads));
                }
                if !tags.is_empty() {
                    let tags = tags.iter().map(|b| super::known::branch_name(b)).collect();
                    out.push(trigger(TriggerKind::Tag, line, tags));
                }
            }
            "pull_request" => out.push(trigger(TriggerKind::PullRequest, line, branches.clone())),
            "incoming" => out.push(trigger(TriggerKind::Manual, line, Vec::new())),
            other => out.push(trigger(
                TriggerKind::Other(other.to_string()),
                line,
                Vec::new(),
            )),
        }
    }
    out
}

/// Whether a referenced task builds and pushes an image.
fn builds_image(task: &str) -> Option<&'static str> {
    let t = task.to_ascii_lowercase();
    if t.contains("buildah") {
        Some("buildah")
    } else if t.contains("kaniko") {
        Some("kaniko")
    } else if t.contains("docker-build") || (t.contains("build") && t.contains("image")) {
        Some("docker")
    } else {
        None
    }
}

/// One pipeline task as a job.
fn task_job(tree: &Tree, file: &str, t: &Node, params: &[(String, String)]) -> Option<Job> {
    let name = t.get("name").and_then(Node::as_str)?.to_string();
    let line = t.line;
    let mut job = Job {
        id: name.clone(),
        name: name.clone(),
        file: file.to_string(),
        line,
        needs: super::known::strings(t.get("runAfter")),
        ..Default::default()
    };
    let task_params: Vec<(String, String)> = t
        .get("params")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            Some((
                p.get("name")?.as_str()?.to_string(),
                subst(p.get("value")?.as_str()?, params),
            ))
        })
        .collect();
    let get = |k: &str| {
        task_params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    };
    if let Some(task_ref) = t.get("taskRef") {
        let ref_name = task_ref
            .get("name")
            .and_then(Node::as_str)
            .map(str::to_string)
            .or_else(|| {
                // Resolvers: `params: [{name: name, value: buildah}]`.
                task_ref
                    .get("params")
                    .and_then(Node::as_seq)?
                    .iter()
                    .find(|p| p.get("name").and_then(Node::as_str) == Some("name"))?
                    .get("value")?
                    .as_str()
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let mut meanings = Vec::new();
        if let Some(tool) = builds_image(&ref_name) {
            let skip_push = get("SKIP_PUSH").is_some_and(|v| v.eq_ignore_ascii_case("true"));
            meanings.push(Meaning::ImageBuild(ImageBuild {
                tool: tool.to_string(),
                dockerfile: get("DOCKERFILE").map(|d| repo_path(&d)),
                context: Some(
                    get("CONTEXT")
                        .map(|c| repo_path(&c))
                        .unwrap_or_else(|| ".".into()),
                ),
                tags: get("IMAGE").into_iter().collect(),
                push: !skip_push,
                ..Default::default()
            }));
        }
        job.steps.push(action_step(
            file,
            task_ref.line,
            Some(name),
            &ref_name,
            task_params.clone(),
            "",
            meanings,
        ));
        return Some(job);
    }
    for s in t
        .get("taskSpec")
        .and_then(|ts| ts.get("steps"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let step_name = s.get("name").and_then(Node::as_str).map(str::to_string);
        if job.container.is_none() {
            job.container = s.get("image").and_then(|i| {
                Some(ImageUse {
                    image: subst(i.as_str()?, params),
                    line: i.line,
                })
            });
        }
        let Some(script) = s.get("script") else {
            continue;
        };
        let Some(text) = script.as_str() else {
            continue;
        };
        let step: Step = common::script_step(
            tree,
            file,
            super::known::script_line(script),
            step_name,
            &subst(text, &task_params),
            "",
        );
        job.steps.push(step);
    }
    Some(job)
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::known::testing;
    use crate::parse::ci::{Meaning, TriggerKind};

    #[test]
    fn pipelines_as_code_push_run_with_buildah() {
        let (p, problems) = testing::parse(&[(
            ".tekton/push.yaml",
            concat!(
                "apiVersion: tekton.dev/v1\n",
                "kind: PipelineRun\n",
                "metadata:\n",
                "  name: api-on-push\n",
                "  annotations:\n",
                "    pipelinesascode.tekton.dev/on-event: \"[push]\"\n",
                "    pipelinesascode.tekton.dev/on-target-branch: \"[main]\"\n",
                "spec:\n",
                "  params:\n",
                "    - {name: output-image, value: 'quay.io/acme/api:{{revision}}'}\n",
                "    - {name: path-context, value: services/api}\n",
                "  pipelineSpec:\n",
                "    params:\n",
                "      - {name: dockerfile, default: services/api/Dockerfile}\n",
                "    tasks:\n",
                "      - name: unit\n",
                "        taskSpec:\n",
                "          steps:\n",
                "            - name: test\n",
                "              image: golang:1.22\n",
                "              script: |\n",
                "                go test ./...\n",
                "      - name: image\n",
                "        runAfter: [unit]\n",
                "        taskRef:\n",
                "          resolver: bundles\n",
                "          params:\n",
                "            - {name: name, value: buildah}\n",
                "        params:\n",
                "          - {name: IMAGE, value: $(params.output-image)}\n",
                "          - {name: DOCKERFILE, value: $(params.dockerfile)}\n",
                "          - {name: CONTEXT, value: $(params.path-context)}\n",
            ),
        )]);
        assert!(problems.is_empty(), "{problems:?}");
        let pl = &p[0];
        assert_eq!(pl.triggers[0].kind, TriggerKind::Push);
        assert_eq!(pl.triggers[0].branches, ["main"]);
        let ids: Vec<&str> = pl.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["unit", "image"]);
        assert_eq!(pl.jobs[0].container.as_ref().unwrap().image, "golang:1.22");
        let b: Vec<_> = pl.jobs[1]
            .meanings()
            .filter_map(|m| match &m.meaning {
                Meaning::ImageBuild(b) => Some(b),
                _ => None,
            })
            .collect();
        assert_eq!(b[0].tool, "buildah");
        assert_eq!(b[0].dockerfile.as_deref(), Some("services/api/Dockerfile"));
        assert_eq!(b[0].context.as_deref(), Some("services/api"));
        assert_eq!(b[0].tags, ["quay.io/acme/api:{{revision}}"]);
        assert!(b[0].push);
    }
}
