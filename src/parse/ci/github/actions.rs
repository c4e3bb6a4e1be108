//! Known GitHub Actions (`uses: owner/repo@ref`) and what they mean for
//! containers: builds, pushes, logins, runs and deploys.

use super::super::{LocatedMeaning, ReusableCall, Step, StepBody};
use super::super::{Trigger, TriggerKind};
use crate::walk::Tree;
use kubeready_shell::{ComposeInvocation, Deploy, ImageBuild, Meaning};

/// One `with:` input, its value, and the line where the value's text starts.
#[derive(Clone, Debug)]
pub struct Input {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// What an action needs to know about its job and repo.
pub struct ActionCtx<'a> {
    pub tree: &'a Tree,
    /// The job's effective triggers.
    pub triggers: &'a [Trigger],
    /// Images rendered into ECS task definitions by earlier steps.
    pub ecs_images: &'a mut Vec<String>,
    /// The step's working directory.
    pub workdir: &'a str,
}

fn get<'a>(with: &'a [Input], key: &str) -> Option<&'a str> {
    with.iter()
        .find(|i| i.key.eq_ignore_ascii_case(key))
        .map(|i| i.value.trim())
        .filter(|v| !v.is_empty())
}

fn line_of(with: &[Input], key: &str) -> Option<u32> {
    with.iter().find(|i| i.key == key).map(|i| i.line)
}

/// A newline- or comma-separated list input.
fn list(with: &[Input], key: &str) -> Vec<String> {
    get(with, key)
        .map(|v| {
            v.split(['\n', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A whitespace- or newline-separated list input (`${{ ... }}` kept whole).
fn words(with: &[Input], key: &str) -> Vec<String> {
    let Some(v) = get(with, key) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_expr = false;
    let chars: Vec<char> = v.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if !in_expr && *c == '$' && chars.get(i + 1) == Some(&'{') && chars.get(i + 2) == Some(&'{')
        {
            in_expr = true;
        } else if in_expr && *c == '}' && i > 0 && chars.get(i - 1) == Some(&'}') {
            in_expr = false;
        }
        if c.is_whitespace() && !in_expr {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(*c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A boolean input: `true`, or an expression (`${{ github.event_name !=
/// 'pull_request' }}`: it pushes on the events it allows), is true; only a
/// literal false (or absence, when `default` is false) is false.
fn flag(with: &[Input], key: &str, default: bool) -> bool {
    match get(with, key) {
        None => default,
        Some(v) => !v.eq_ignore_ascii_case("false"),
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

/// The meanings of a `uses:` step, each with its line (`line` is the
/// `uses:` line).
pub fn action_meanings(
    uses: &str,
    with: &[Input],
    line: u32,
    ctx: &mut ActionCtx<'_>,
) -> Vec<(u32, Meaning)> {
    let name = uses
        .split('@')
        .next()
        .unwrap_or(uses)
        .trim()
        .to_ascii_lowercase();
    let at = |m: Meaning| vec![(line, m)];
    // Forks of the build-push action under other owners take its inputs.
    let fork = name.ends_with("/build-push-action");
    match name.as_str() {
        _ if fork => {
            let outputs = get(with, "outputs").unwrap_or("");
            at(Meaning::ImageBuild(ImageBuild {
                tool: s("docker/build-push-action"),
                dockerfile: get(with, "file").map(s),
                context: Some(get(with, "context").map(s).unwrap_or_else(|| s("."))),
                tags: {
                    let mut tags = list(with, "tags");
                    for n in output_names(outputs) {
                        if !tags.contains(&n) {
                            tags.push(n);
                        }
                    }
                    tags
                },
                target: get(with, "target").map(s),
                push: flag(with, "push", false)
                    || outputs.lines().any(|o| is_registry_output(o.trim())),
                build_args: get(with, "build-args")
                    .map(|v| {
                        v.lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(s)
                            .collect()
                    })
                    .unwrap_or_default(),
                platforms: list(with, "platforms"),
                load: flag(with, "load", false)
                    || outputs.to_ascii_lowercase().contains("type=docker"),
                ..Default::default()
            }))
        }
        "docker/bake-action" => {
            // `set:` holds one `target.key=value` override a line (a value
            // may hold commas: `*.output=type=image,name=x,push=true`).
            let sets: Vec<(&str, &str)> = get(with, "set")
                .unwrap_or("")
                .lines()
                .filter_map(|kv| kv.trim().split_once('='))
                .collect();
            let set_push = sets.iter().any(|(k, v)| {
                (k.ends_with(".output") && is_registry_output(v))
                    || (k.ends_with(".push") && v.trim().eq_ignore_ascii_case("true"))
            });
            at(Meaning::ImageBuild(ImageBuild {
                tool: s("docker-buildx-bake"),
                context: Some(get(with, "workdir").map(s).unwrap_or_else(|| s("."))),
                files: list(with, "files"),
                targets: list(with, "targets"),
                load: flag(with, "load", false),
                tags: sets
                    .iter()
                    .filter(|(k, _)| k.ends_with(".tags"))
                    .flat_map(|(_, v)| v.split(',').map(|t| t.trim().to_string()))
                    .filter(|t| !t.is_empty())
                    .collect(),
                push: flag(with, "push", false) || set_push,
                ..Default::default()
            }))
        }
        "docker/login-action" | "azure/docker-login" => at(Meaning::RegistryLogin {
            tool: name.clone(),
            registry: get(with, "registry")
                .or_else(|| get(with, "login-server"))
                .map(s),
        }),
        "aws-actions/amazon-ecr-login" => at(Meaning::RegistryLogin {
            tool: name.clone(),
            registry: get(with, "registries").map(s),
        }),
        "google-github-actions/deploy-cloudrun"
        | "googlecloudplatform/github-actions/deploy-cloudrun" => at(Meaning::Deploy(Deploy {
            tool: s("gcloud-run"),
            action: s("deploy"),
            images: get(with, "image").map(s).into_iter().collect(),
            files: get(with, "metadata").map(s).into_iter().collect(),
            context: get(with, "region").map(s),
            release: get(with, "service").or_else(|| get(with, "job")).map(s),
            ..Default::default()
        })),
        "azure/k8s-deploy" => at(Meaning::Deploy(Deploy {
            tool: s("kubectl"),
            action: s("apply"),
            images: list(with, "images"),
            files: list(with, "manifests"),
            namespace: get(with, "namespace").map(s),
            ..Default::default()
        })),
        "azure/webapps-deploy" | "azure/functions-container-action" => {
            let images = list(with, "images");
            if images.is_empty() {
                return Vec::new();
            }
            at(Meaning::Deploy(Deploy {
                tool: s("az-webapp"),
                action: s("deploy"),
                images,
                release: get(with, "app-name").map(s),
                ..Default::default()
            }))
        }
        "azure/container-apps-deploy-action" | "azure/aca-review-apps" => {
            at(Meaning::Deploy(Deploy {
                tool: s("az-containerapp"),
                action: s("deploy"),
                images: get(with, "imagetodeploy")
                    .or_else(|| get(with, "image"))
                    .map(s)
                    .into_iter()
                    .collect(),
                release: get(with, "containerappname").map(s),
                ..Default::default()
            }))
        }
        "aws-actions/amazon-ecs-render-task-definition" => {
            if let Some(i) = get(with, "image") {
                ctx.ecs_images.push(s(i));
            }
            Vec::new()
        }
        "aws-actions/amazon-ecs-deploy-task-definition" => at(Meaning::Deploy(Deploy {
            tool: s("aws-ecs"),
            action: s("deploy"),
            images: ctx.ecs_images.clone(),
            files: get(with, "task-definition")
                .filter(|f| !f.contains("${{"))
                .map(s)
                .into_iter()
                .collect(),
            context: get(with, "cluster").map(s),
            release: get(with, "service").map(s),
            ..Default::default()
        })),
        "appleboy/ssh-action" | "garygrossgarten/github-action-ssh" | "d3lm/ssh-action" => {
            let key = if get(with, "script").is_some() {
                "script"
            } else {
                "command"
            };
            let host = get(with, "host").unwrap_or("remote");
            let Some(script) = get(with, key) else {
                return Vec::new();
            };
            let start = line_of(with, key).unwrap_or(line);
            remote_script(script, host)
                .into_iter()
                .map(|(o, m)| (start + o, m))
                .collect()
        }
        "superfly/flyctl-actions" => {
            let args = get(with, "args").unwrap_or("");
            if args.split_whitespace().next() == Some("deploy") {
                at(Meaning::Deploy(Deploy {
                    tool: s("fly"),
                    action: s("deploy"),
                    images: image_flag(args).into_iter().collect(),
                    ..Default::default()
                }))
            } else {
                Vec::new()
            }
        }
        "redhat-actions/buildah-build" => {
            let image = get(with, "image").unwrap_or("");
            let tags = words(with, "tags");
            let tags = if image.is_empty() {
                tags
            } else if tags.is_empty() {
                vec![format!("{image}:latest")]
            } else {
                tags.iter()
                    .map(|t| {
                        if t.contains(':') || t.contains('/') {
                            t.clone()
                        } else {
                            format!("{image}:{t}")
                        }
                    })
                    .collect()
            };
            let files = words(with, "containerfiles");
            let files = if files.is_empty() {
                words(with, "dockerfiles")
            } else {
                files
            };
            at(Meaning::ImageBuild(ImageBuild {
                tool: s("buildah"),
                dockerfile: files.first().cloned(),
                context: Some(get(with, "context").map(s).unwrap_or_else(|| s("."))),
                tags,
                build_args: words(with, "build-args"),
                platforms: list(with, "platforms"),
                ..Default::default()
            }))
        }
        "redhat-actions/push-to-registry" => {
            let image = get(with, "image").unwrap_or("");
            let registry = get(with, "registry").unwrap_or("");
            let mut images = Vec::new();
            let tags = words(with, "tags");
            let tags = if tags.is_empty() {
                vec![s("latest")]
            } else {
                tags
            };
            for t in tags {
                let local = if image.is_empty() {
                    t.clone()
                } else {
                    format!("{image}:{t}")
                };
                if !registry.is_empty() && !local.starts_with(registry) {
                    images.push(format!("{}/{local}", registry.trim_end_matches('/')));
                }
                images.push(local);
            }
            at(Meaning::ImagePush {
                tool: s("buildah"),
                images,
            })
        }
        "goreleaser/goreleaser-action" => goreleaser(with, line, ctx),
        "addnab/docker-run-action" => match get(with, "image") {
            Some(image) => at(Meaning::ImageRun {
                tool: s("docker"),
                image: s(image),
                command: get(with, "run")
                    .map(|r| r.split_whitespace().map(s).collect())
                    .unwrap_or_default(),
            }),
            None => Vec::new(),
        },
        "deliverybot/helm" | "bitovi/github-actions-deploy-eks-helm" => {
            at(Meaning::Deploy(Deploy {
                tool: s("helm"),
                action: s("upgrade"),
                images: list(with, "values")
                    .into_iter()
                    .filter(|v| v.contains("image") || v.contains("tag"))
                    .collect(),
                files: list(with, "value-files"),
                namespace: get(with, "namespace").map(s),
                release: get(with, "release").or_else(|| get(with, "name")).map(s),
                ..Default::default()
            }))
        }
        "wyrihaximus/github-action-helm3"
        | "koslib/helm-eks-action"
        | "actions-hub/kubectl"
        | "steebchen/kubectl"
        | "stefanprodan/kube-tools" => {
            let (key, prefix) = match name.as_str() {
                "wyrihaximus/github-action-helm3" => ("exec", ""),
                "actions-hub/kubectl" => ("args", "kubectl "),
                "stefanprodan/kube-tools" => ("command", ""),
                _ => ("command", ""),
            };
            let Some(cmd) = get(with, key) else {
                return Vec::new();
            };
            let start = line_of(with, key).unwrap_or(line);
            let script = if prefix.is_empty() || cmd.starts_with("kubectl") {
                cmd.to_string()
            } else {
                format!("{prefix}{cmd}")
            };
            kubeready_shell::classify_script(&script)
                .into_iter()
                .map(|(o, m)| (start + o, m))
                .collect()
        }
        "fjogeleit/yaml-update-action" => {
            let path = get(with, "propertypath").unwrap_or("").to_ascii_lowercase();
            if path.contains("image") || path.contains("tag") {
                at(Meaning::GitOpsBump {
                    tool: name.clone(),
                    image: get(with, "value").map(s),
                    file: get(with, "valuefile").map(s),
                })
            } else {
                Vec::new()
            }
        }
        "helm/kind-action" | "container-tools/kind-action" | "engineerd/setup-kind" => {
            at(Meaning::LocalCluster {
                tool: s("kind"),
                images: Vec::new(),
            })
        }
        "absaoss/k3d-action" | "nolar/setup-k3d-k3s" => at(Meaning::LocalCluster {
            tool: s("k3d"),
            images: Vec::new(),
        }),
        "medyagh/setup-minikube" | "manusa/actions-setup-minikube" => at(Meaning::LocalCluster {
            tool: s("minikube"),
            images: Vec::new(),
        }),
        "plexsystems/container-structure-test-action" => at(Meaning::ContainerTest {
            tool: s("container-structure-test"),
        }),
        "akhileshns/heroku-deploy" if flag(with, "usedocker", false) => {
            at(Meaning::Deploy(Deploy {
                tool: s("heroku"),
                action: s("container-release"),
                release: get(with, "heroku_app_name").map(s),
                ..Default::default()
            }))
        }
        _ => build_push_wrapper(&name, with, line),
    }
}

/// The image names of image/registry `outputs:` lines
/// (`type=image,name=acme/app,push-by-digest=true`): a build pushed by
/// digest has no `tags:`, its name is here.
fn output_names(outputs: &str) -> Vec<String> {
    outputs
        .lines()
        .flat_map(|o| o.split(','))
        .filter_map(|f| f.trim().trim_matches('"').strip_prefix("name="))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// An exporter that pushes: `type=registry`, or `type=image` with
/// `push=true` (also the push-by-digest form). `push=` may be an expression (`push=${{ steps.x.outputs.push }}`):
/// like the action's `push:` input, only a literal `false` says no push.
fn is_registry_output(o: &str) -> bool {
    let l = o.to_ascii_lowercase();
    let fields: Vec<&str> = l.split(',').map(str::trim).collect();
    let push = fields
        .iter()
        .filter_map(|f| f.strip_prefix("push="))
        .any(|v| v != "false" && (v == "true" || v.starts_with("${{")));
    fields.contains(&"type=registry") || (fields.contains(&"type=image") && push)
}

/// A team's own action whose name says it builds and pushes an image
/// (`acme/actions/docker-build-push`, `acme/build-and-push-image`): a
/// build of its `context` (or the root) and `dockerfile`, pushed unless a
/// `push` input is literally false. The name must say build, push and
/// what (docker/image/container/oci), or say build and push with an
/// image-like input.
fn build_push_wrapper(name: &str, with: &[Input], line: u32) -> Vec<(u32, Meaning)> {
    // Owner aside: `acme/docker-build-push` or `acme/actions/build-push`.
    let path = name.split_once('/').map_or("", |(_, p)| p);
    let says = |w: &str| path.contains(w);
    let image_input = [
        "image",
        "images",
        "image-name",
        "image_name",
        "tags",
        "dockerfile",
    ]
    .iter()
    .any(|k| get(with, k).is_some());
    let what = ["docker", "image", "container", "oci"]
        .iter()
        .any(|w| says(w));
    let other = ["report", "scan", "test", "lint", "notify", "comment"]
        .iter()
        .any(|w| says(w));
    if !(says("build") && says("push") && (what || image_input)) || other {
        return Vec::new();
    }
    let push = ["push", "pushimage", "push-image", "push_image"]
        .iter()
        .find_map(|k| get(with, k))
        .is_none_or(|p| !p.eq_ignore_ascii_case("false"));
    let mut tags = list(with, "tags");
    if tags.is_empty() {
        tags.extend(
            ["image", "image-name", "image_name", "images"]
                .iter()
                .find_map(|k| get(with, k))
                .map(s),
        );
    }
    vec![(
        line,
        Meaning::ImageBuild(ImageBuild {
            tool: s("build-push-wrapper"),
            dockerfile: ["dockerfile", "file", "dockerfile-path", "dockerfile_path"]
                .iter()
                .find_map(|k| get(with, k))
                .map(s),
            context: Some(
                [
                    "context",
                    "build-context",
                    "docker-context",
                    "directory",
                    "path",
                ]
                .iter()
                .find_map(|k| get(with, k))
                .map(s)
                .unwrap_or_else(|| s(".")),
            ),
            tags,
            push,
            ..Default::default()
        }),
    )]
}

/// `--image X` / `-i X` in an argument string.
fn image_flag(args: &str) -> Option<String> {
    let w: Vec<&str> = args.split_whitespace().collect();
    w.iter()
        .position(|a| *a == "--image" || *a == "-i")
        .and_then(|i| w.get(i + 1))
        .map(|s| s.to_string())
        .or_else(|| {
            w.iter()
                .find_map(|a| a.strip_prefix("--image="))
                .map(str::to_string)
        })
}

/// A script run on a remote host over SSH: Compose there is a remote
/// Compose (a deploy), a detached `docker run` there is a deploy.
pub fn remote_script(script: &str, host: &str) -> Vec<(u32, Meaning)> {
    let remote = if host.contains("://") {
        host.to_string()
    } else {
        format!("ssh://{host}")
    };
    kubeready_shell::classify_script(script)
        .into_iter()
        .filter_map(|(o, m)| {
            let m = match m {
                Meaning::Compose(c) => Meaning::Compose(ComposeInvocation {
                    remote: c.remote.clone().or_else(|| Some(remote.clone())),
                    ..c
                }),
                Meaning::ImageRun { image, .. } => Meaning::Deploy(Deploy {
                    tool: s("docker-remote"),
                    action: s("run"),
                    images: vec![image],
                    context: Some(remote.clone()),
                    ..Default::default()
                }),
                Meaning::TestCommand { .. } => return None,
                m => m,
            };
            Some((o, m))
        })
        .collect()
}

/// GoReleaser builds the images its config declares (`dockers:`,
/// `dockers_v2:`, `kos:`), and publishes them on tag and release runs
/// (not with `--snapshot` or a skipped publish).
fn goreleaser(with: &[Input], line: u32, ctx: &mut ActionCtx<'_>) -> Vec<(u32, Meaning)> {
    let args = get(with, "args").unwrap_or("release");
    let words: Vec<&str> = args.split_whitespace().collect();
    let base = get(with, "workdir")
        .map(|w| super::super::common::workdir(ctx.workdir, w))
        .unwrap_or_else(|| ctx.workdir.to_string());
    let on_tags = ctx
        .triggers
        .iter()
        .any(|t| matches!(t.kind, TriggerKind::Tag | TriggerKind::Release));
    let rel = crate::parse::ci::follow::relative(ctx.workdir, &base);
    let path = |p: &str| crate::parse::ci::follow::rel_join(&rel, p);
    super::super::goreleaser::builds(ctx.tree, &base, &words)
        .into_iter()
        .map(|mut b| {
            b.push = b.push && on_tags;
            b.dockerfile = b.dockerfile.map(|f| path(&f));
            b.context = b.context.map(|c| path(&c));
            (line, Meaning::ImageBuild(b))
        })
        .collect()
}

/// Images named in `docker/metadata-action`'s `images:` (`name=x,enable=...`
/// or plain).
pub fn metadata_images(with: &[Input]) -> Vec<String> {
    let Some(images) = with.iter().find(|i| i.key == "images") else {
        return Vec::new();
    };
    images
        .value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            if l.contains('=') {
                l.split(',')
                    .find_map(|p| p.trim().strip_prefix("name="))
                    .map(str::to_string)
            } else {
                Some(l.to_string())
            }
        })
        .collect()
}

/// A remote reusable workflow counts as an image build (pushed) when its
/// name or inputs show one.
pub fn remote_workflow_step(
    uses: &str,
    inputs: &[Input],
    file: &str,
    call: Option<&ReusableCall>,
) -> Option<Step> {
    let words = ["docker", "image", "build-push", "container", "oci"];
    let mentions = |s: &str| {
        let l = s.to_ascii_lowercase();
        words.iter().any(|w| l.contains(w))
    };
    let target = uses.split('@').next().unwrap_or(uses);
    if !mentions(target)
        && !inputs
            .iter()
            .any(|i| mentions(&i.key) || mentions(&i.value))
    {
        return None;
    }
    let get = |keys: &[&str]| {
        inputs
            .iter()
            .find(|i| keys.iter().any(|k| i.key.eq_ignore_ascii_case(k)))
            .map(|i| i.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut tags: Vec<String> = get(&["tags", "image-tags"])
        .map(|t| {
            t.split(['\n', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if tags.is_empty() {
        tags.extend(get(&["image", "image-name", "image_name", "imagename"]));
    }
    let push = get(&["push"]).is_none_or(|p| !p.eq_ignore_ascii_case("false"));
    let line = call.map(|c| c.line).unwrap_or(1);
    Some(Step {
        name: Some(format!("reusable workflow {target}")),
        file: file.to_string(),
        line,
        body: StepBody::Action {
            uses: uses.to_string(),
            with: inputs
                .iter()
                .map(|i| (i.key.clone(), i.value.clone()))
                .collect(),
        },
        workdir: String::new(),
        meanings: vec![LocatedMeaning {
            file: file.to_string(),
            line,
            meaning: Meaning::ImageBuild(ImageBuild {
                tool: "reusable-workflow".into(),
                dockerfile: get(&[
                    "dockerfile",
                    "file",
                    "docker-file",
                    "dockerfile-path",
                    "dockerfile_path",
                ]),
                context: Some(
                    get(&["context", "build-context", "docker-context", "path"])
                        .unwrap_or_else(|| ".".into()),
                ),
                tags,
                push,
                ..Default::default()
            }),
        }],
    })
}
