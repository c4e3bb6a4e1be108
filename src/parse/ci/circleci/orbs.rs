//! Meanings of well-known CircleCI orb jobs and commands (docker, aws-ecr,
//! gcp-gcr, kubernetes, helm, aws-eks, gcp-gke, aws-ecs), from their
//! parameters.

use super::super::known::text;
use super::super::known::{build, deploy, list_values_str, tagged, with_registry, with_value};
use super::super::Meaning;
use kubeready_yaml::Node;
use std::collections::HashMap;

pub type Params = HashMap<String, String>;

/// What `orb/cmd` with parameters `with` means. `orb` is the orb's name
/// (`docker` for `circleci/docker@2`), `cmd` the job or command.
pub fn meanings(orb: &str, cmd: &str, with: &[(String, String)]) -> Vec<Meaning> {
    let cmd = cmd.replace('_', "-");
    let get = |k: &str| with_value(with, k).or_else(|| with_value(with, &k.replace('-', "_")));
    let tags = |default: &str| {
        let t = list_values_str(get("tag").unwrap_or(default));
        if t.is_empty() {
            vec![default.to_string()]
        } else {
            t
        }
    };
    match (orb, cmd.as_str()) {
        ("docker", "publish" | "build" | "build-and-push") => {
            let image = with_registry(get("registry"), get("image").unwrap_or(""));
            let path = get("path").unwrap_or(".");
            let dockerfile = crate::paths::join(path, get("dockerfile").unwrap_or("Dockerfile"));
            let context = get("docker-context").unwrap_or(path).to_string();
            let push = cmd != "build" && get("deploy") != Some("false");
            let mut b = build(
                "docker",
                dockerfile,
                Some(context),
                tagged(&image, &tags("latest")),
                push,
            );
            b.build_args = list_values_str(get("extra_build_args").unwrap_or(""));
            vec![Meaning::ImageBuild(b)]
        }
        ("docker", "push") => {
            let image = with_registry(get("registry"), get("image").unwrap_or(""));
            vec![Meaning::ImagePush {
                tool: "docker".into(),
                images: tagged(&image, &tags("latest")),
            }]
        }
        ("aws-ecr", "build-and-push-image" | "build-image" | "push-image") => {
            let repo = get("repo").unwrap_or("");
            let registry = get("account-url").or_else(|| get("registry-id"));
            let image = match registry {
                Some(r) if !r.starts_with('$') || r.contains("URL") || r.contains("url") => {
                    with_registry(Some(r), repo)
                }
                _ => repo.to_string(),
            };
            let images = tagged(&image, &tags("latest"));
            if cmd == "push-image" {
                return vec![Meaning::ImagePush {
                    tool: "aws-ecr".into(),
                    images,
                }];
            }
            let path = get("path").unwrap_or(".");
            let dockerfile = crate::paths::join(path, get("dockerfile").unwrap_or("Dockerfile"));
            let context = get("build-path").unwrap_or(path).to_string();
            let push = cmd != "build-image" && get("push-image") != Some("false");
            vec![Meaning::ImageBuild(build(
                "docker",
                dockerfile,
                Some(context),
                images,
                push,
            ))]
        }
        ("gcp-gcr", "build-and-push-image" | "build-image" | "push-image") => {
            let registry = get("registry-url").unwrap_or("gcr.io");
            let project = get("google-project-id").unwrap_or("$GOOGLE_PROJECT_ID");
            let image = format!("{registry}/{project}/{}", get("image").unwrap_or(""));
            let images = tagged(&image, &tags("latest"));
            if cmd == "push-image" {
                return vec![Meaning::ImagePush {
                    tool: "gcp-gcr".into(),
                    images,
                }];
            }
            let path = get("path").unwrap_or(".");
            let dockerfile = crate::paths::join(path, get("dockerfile").unwrap_or("Dockerfile"));
            let context = get("docker-context").unwrap_or(path).to_string();
            vec![Meaning::ImageBuild(build(
                "docker",
                dockerfile,
                Some(context),
                images,
                cmd != "build-image",
            ))]
        }
        (
            "kubernetes" | "aws-eks" | "azure-aks" | "gcp-gke",
            "create-or-update-resource" | "apply" | "deploy",
        ) => {
            let files = list_values_str(get("resource-file-path").unwrap_or(""));
            let mut d = deploy("kubectl", "apply", Vec::new(), files);
            d.namespace = get("namespace").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        (
            "kubernetes" | "aws-eks" | "azure-aks" | "gcp-gke",
            "update-container-image" | "rollout-image" | "publish-and-rollout-image",
        ) => {
            // `container-image-updates: "app=acme/app:tag other=..."`, or
            // gcp-gke's `image` + `tag`.
            let mut images: Vec<String> = get("container-image-updates")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|u| u.split_once('=').map(|(_, i)| i.to_string()))
                .collect();
            if let Some(i) = get("image") {
                images.extend(tagged(i, &tags("latest")));
            }
            let mut d = deploy("kubectl", "set-image", images, Vec::new());
            d.namespace = get("namespace").map(str::to_string);
            d.release = get("resource-name")
                .or_else(|| get("deployment"))
                .map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        ("helm", "upgrade-helm-chart" | "install-helm-chart") => {
            let action = if cmd.starts_with("upgrade") {
                "upgrade"
            } else {
                "install"
            };
            let images = get("values-to-override")
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|v| v.contains("image") || v.contains("tag"))
                .map(str::to_string)
                .collect();
            let mut d = deploy(
                "helm",
                action,
                images,
                list_values_str(get("values").unwrap_or("")),
            );
            d.namespace = get("namespace").map(str::to_string);
            d.release = get("release-name").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        ("aws-ecs", "deploy-service-update" | "deploy-update-service" | "update-service") => {
            // `container-image-name-updates: "container=app,tag=x"` or
            // `container=app,image-and-tag=acme/app:x`.
            let images = get("container-image-name-updates")
                .unwrap_or("")
                .split(',')
                .filter_map(|kv| kv.trim().strip_prefix("image-and-tag="))
                .map(str::to_string)
                .collect();
            let mut d = deploy("aws-ecs", "update", images, Vec::new());
            d.release = get("service-name").map(str::to_string);
            vec![Meaning::Deploy(d)]
        }
        _ => Vec::new(),
    }
}

/// `circleci/docker@2.4.0` → `docker`.
pub fn orb_name(reference: &str) -> String {
    let r = reference.split('@').next().unwrap_or(reference);
    r.rsplit('/').next().unwrap_or(r).to_string()
}

/// A workflow job's orb parameters (its own keys dropped).
pub fn pairs_of(entries: &[kubeready_yaml::Entry]) -> Vec<(String, String)> {
    entries
        .iter()
        .filter(|e| {
            !matches!(
                e.key_str(),
                Some("requires" | "filters" | "name" | "context" | "type" | "matrix")
            )
        })
        .filter_map(|e| {
            Some((
                e.key_str()?.to_string(),
                super::super::known::render(&e.value),
            ))
        })
        .collect()
}

/// Invocation parameters over the definition's defaults.
pub fn with_defaults(def: &Node, invocation: &Params) -> Params {
    let mut p: Params = def
        .get("parameters")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key_str()?.to_string(), text(e.value.get("default"))?)))
        .collect();
    for (k, v) in invocation {
        p.insert(k.clone(), v.clone());
    }
    p
}

/// Replaces `<< parameters.x >>` with its value.
pub fn subst(s: &str, params: &Params) -> String {
    if !s.contains("<<") {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("<<") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find(">>") else {
            out.push_str(&rest[i..]);
            return out;
        };
        let key = after[..j].trim();
        match key.strip_prefix("parameters.").and_then(|k| params.get(k)) {
            Some(v) => out.push_str(v),
            None if key == "pipeline.git.revision" => out.push_str("$CIRCLE_SHA1"),
            None if key == "pipeline.number" => out.push_str("$CIRCLE_BUILD_NUM"),
            None => {
                out.push_str("<<");
                out.push_str(&after[..j]);
                out.push_str(">>");
            }
        }
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    out
}
