//! Deployment tools.

use super::{s, split_commas, Deploy, ImageBuild, Meaning};
use crate::args::{parse, Spec};

/// `image.tag=x`, `image=x`, `app.image.repository=y`, `tag=z`.
pub(crate) fn is_image_key_assignment(kv: &str) -> bool {
    let Some((k, _)) = kv.split_once('=') else {
        return false;
    };
    let k = k.to_ascii_lowercase();
    k.contains("image") || k == "tag" || k.ends_with(".tag") || k.ends_with("newtag")
}

/// Split Helm-style `a=1,b=2` lists at top-level commas.
fn split_set(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut esc = false;
    for c in v.chars() {
        if esc {
            cur.push(c);
            esc = false;
            continue;
        }
        match c {
            '\\' => {
                esc = true;
                cur.push(c);
            }
            '{' | '[' => {
                depth += 1;
                cur.push(c);
            }
            '}' | ']' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth <= 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().filter(|x| !x.is_empty()).collect()
}

fn image_sets(values: Vec<String>) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| split_set(v))
        .filter(|kv| is_image_key_assignment(kv))
        .collect()
}

/// Values of `"image": "x"` / `image: x` inside a patch or JSON text.
pub(crate) fn extract_image_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (idx, _) in text.match_indices("image") {
        let Some(after) = text.get(idx + "image".len()..) else {
            continue;
        };
        let after = after.strip_prefix('"').unwrap_or(after).trim_start();
        let Some(after) = after.strip_prefix(':') else {
            continue;
        };
        let after = after.trim_start();
        let (quoted, body) = match after.strip_prefix('"') {
            Some(b) => (true, b),
            None => (false, after.strip_prefix('\'').unwrap_or(after)),
        };
        let end = body
            .find(|c: char| {
                if quoted {
                    c == '"'
                } else {
                    c == ',' || c == '}' || c == '\'' || c.is_whitespace() || c == '"'
                }
            })
            .unwrap_or(body.len());
        let v = body.get(..end).unwrap_or("");
        if !v.is_empty() {
            out.push(v.to_string());
        }
    }
    out
}

const KUBECTL: Spec = Spec {
    short_val: "nfklpcsoLv",
    long_val: &[
        "namespace",
        "context",
        "kubeconfig",
        "cluster",
        "user",
        "server",
        "token",
        "as",
        "as-group",
        "as-uid",
        "request-timeout",
        "filename",
        "kustomize",
        "selector",
        "timeout",
        "type",
        "patch",
        "patch-file",
        "field-manager",
        "prune-allowlist",
        "prune-whitelist",
        "output",
        "template",
        "image",
        "revision",
        "to-revision",
        "replicas",
        "port",
        "restart",
        "env",
        "labels",
        "overrides",
        "serviceaccount",
        "cascade",
        "grace-period",
        "for",
        "field-selector",
        "container",
        "chunk-size",
        "certificate-authority",
        "client-certificate",
        "client-key",
        "tls-server-name",
        "cache-dir",
        "subresource",
        "password",
        "username",
        "profile",
        "profile-output",
        "warnings-as-errors",
        "applyset",
        "resource-version",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: false,
    single_dash_long: false,
};

pub(crate) fn kubectl(tool: &str, args: &[String]) -> Vec<Meaning> {
    let p = parse(args, &KUBECTL);
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    let mut files = p.values(&["f", "filename"]);
    files.extend(p.values(&["k", "kustomize"]));
    let base = Deploy {
        tool: s(tool),
        files: files.clone(),
        namespace: p.value(&["n", "namespace"]),
        context: p.value(&["context"]),
        ..Deploy::default()
    };
    let d = |action: &str, images: Vec<String>, release: Option<String>| {
        let mut d = base.clone();
        d.action = s(action);
        d.images = images;
        d.release = release;
        vec![Meaning::Deploy(d)]
    };
    let pos_from = |i: usize| p.pos.get(i..).unwrap_or(&[]).join("/");
    let nonempty = |x: String| if x.is_empty() { None } else { Some(x) };
    match sub {
        "apply" => match p.pos_at(1) {
            Some("view-last-applied" | "edit-last-applied" | "set-last-applied") => Vec::new(),
            _ if files.is_empty() => Vec::new(),
            _ => d("apply", Vec::new(), None),
        },
        "create" | "replace" => {
            let images = p.values(&["image"]);
            if files.is_empty() && images.is_empty() {
                Vec::new()
            } else {
                let release = if files.is_empty() {
                    nonempty(pos_from(1))
                } else {
                    None
                };
                d(sub, images, release)
            }
        }
        "set" if p.pos_at(1) == Some("image") => {
            let mut release = None;
            let mut images = Vec::new();
            for a in p.pos.get(2..).unwrap_or(&[]) {
                match a.split_once('=') {
                    Some((_, img)) => images.push(img.to_string()),
                    None if release.is_none() => release = Some(a.clone()),
                    None => {
                        release = release.map(|r| format!("{r}/{a}"));
                    }
                }
            }
            d("set-image", images, release)
        }
        "rollout" => d("rollout", Vec::new(), nonempty(pos_from(2))),
        "patch" => {
            let mut images = Vec::new();
            for v in p.values(&["p", "patch"]) {
                images.extend(extract_image_values(&v));
            }
            d("patch", images, nonempty(pos_from(1)))
        }
        "run" => d("run", p.values(&["image"]), p.pos.get(1).cloned()),
        "argo" if p.pos_at(1) == Some("rollouts") => {
            // re-parse after `argo rollouts` to keep argument order
            let idx = args
                .iter()
                .position(|a| a == "rollouts")
                .map_or(0, |i| i + 1);
            argo_rollouts(args.get(idx..).unwrap_or(&[]))
        }
        _ => Vec::new(),
    }
}

pub(crate) fn argo_rollouts(args: &[String]) -> Vec<Meaning> {
    let p = parse(args, &KUBECTL);
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    let mut d = Deploy {
        tool: s("kubectl-argo-rollouts"),
        namespace: p.value(&["n", "namespace"]),
        context: p.value(&["context"]),
        ..Deploy::default()
    };
    match sub {
        "set" if p.pos_at(1) == Some("image") => {
            d.action = s("set-image");
            d.release = p.pos.get(2).cloned();
            d.images = p
                .pos
                .get(3..)
                .unwrap_or(&[])
                .iter()
                .filter_map(|a| a.split_once('=').map(|(_, i)| i.to_string()))
                .collect();
        }
        "promote" | "abort" | "retry" | "undo" | "restart" | "pause" => {
            d.action = s(sub);
            d.release = p.pos.get(1).cloned();
        }
        "create" => {
            d.action = s("create");
            d.files = p.values(&["f", "filename"]);
        }
        _ => return Vec::new(),
    }
    vec![Meaning::Deploy(d)]
}

const HELM: Spec = Spec {
    short_val: "nfol",
    long_val: &[
        "set",
        "set-string",
        "set-file",
        "set-json",
        "set-literal",
        "values",
        "namespace",
        "kube-context",
        "kubeconfig",
        "version",
        "timeout",
        "repo",
        "username",
        "password",
        "post-renderer",
        "post-renderer-args",
        "description",
        "history-max",
        "ca-file",
        "cert-file",
        "key-file",
        "keyring",
        "registry-config",
        "repository-cache",
        "repository-config",
        "output",
        "burst-limit",
        "qps",
        "labels",
        "kube-apiserver",
        "kube-as-user",
        "kube-as-group",
        "kube-token",
        "kube-ca-file",
        "kube-tls-server-name",
        "name-template",
        "api-versions",
        "kube-version",
        "show-only",
        "output-dir",
        "release-name",
        "max",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: false,
    single_dash_long: false,
};

pub(crate) fn helm(args: &[String]) -> Vec<Meaning> {
    let p = parse(args, &HELM);
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    let base = Deploy {
        tool: s("helm"),
        images: image_sets(p.values(&["set", "set-string"])),
        files: p.values(&["f", "values"]),
        namespace: p.value(&["n", "namespace"]),
        context: p.value(&["kube-context"]),
        ..Deploy::default()
    };
    let (action, release, chart) = match sub {
        "upgrade" => ("upgrade", p.pos.get(1).cloned(), p.pos.get(2).cloned()),
        "install" | "i" => {
            if p.has(&["generate-name", "g"]) {
                ("install", None, p.pos.get(1).cloned())
            } else {
                ("install", p.pos.get(1).cloned(), p.pos.get(2).cloned())
            }
        }
        "rollback" => ("rollback", p.pos.get(1).cloned(), None),
        "registry" if p.pos_at(1) == Some("login") => {
            return vec![Meaning::RegistryLogin {
                tool: s("helm"),
                registry: p.pos.get(2).cloned(),
            }];
        }
        _ => return Vec::new(),
    };
    let mut d = base;
    d.action = s(action);
    d.release = release;
    d.chart = chart;
    vec![Meaning::Deploy(d)]
}

pub(crate) fn helmfile(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "fenlc",
            long_val: &[
                "file",
                "environment",
                "namespace",
                "kube-context",
                "selector",
                "state-values-set",
                "state-values-file",
                "set",
                "values",
                "args",
                "concurrency",
                "log-level",
                "chart",
                "kubeconfig",
                "helm-binary",
                "context",
                "suppress",
                "output",
                "timeout",
            ],
            ..Spec::default()
        },
    );
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    if !matches!(sub, "apply" | "sync" | "deploy") {
        return Vec::new();
    }
    let mut images = image_sets(p.values(&["state-values-set", "set"]));
    images.dedup();
    vec![Meaning::Deploy(Deploy {
        tool: s("helmfile"),
        action: s(sub),
        images,
        files: p.values(&["f", "file"]),
        namespace: p.value(&["n", "namespace"]),
        context: p
            .value(&["kube-context"])
            .or_else(|| p.value(&["e", "environment"])),
        ..Deploy::default()
    })]
}

const GCLOUD_BOOL: &[&str] = &[
    "allow-unauthenticated",
    "no-allow-unauthenticated",
    "async",
    "no-traffic",
    "quiet",
    "no-cpu-throttling",
    "cpu-throttling",
    "cpu-boost",
    "no-cpu-boost",
    "use-http2",
    "no-use-http2",
    "session-affinity",
    "no-session-affinity",
    "clear-env-vars",
    "clear-labels",
    "clear-secrets",
    "clear-vpc-connector",
    "default-url",
    "no-default-url",
    "no-invoker-iam-check",
    "invoker-iam-check",
    "execute-now",
    "wait",
    "suppress-logs",
    "no-source",
    "disable-download",
    "log-http",
    "user-output-enabled",
    "no-user-output-enabled",
    "verbosity",
    "help",
    "skip-activation-prompt",
    "include-logs-with-status",
];

pub(crate) fn gcloud(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "",
            long_default_val: true,
            long_bool: GCLOUD_BOOL,
            ..Spec::default()
        },
    );
    let pos: Vec<&str> = p.pos.iter().map(String::as_str).collect();
    let images = p.values(&["image"]);
    let run_deploy = |action: &str, name: Option<&&str>| {
        let mut out = Vec::new();
        if let Some(src) = p.value(&["source"]) {
            if images.is_empty() {
                out.push(Meaning::ImageBuild(ImageBuild {
                    tool: s("gcloud-builds"),
                    context: Some(src),
                    push: true,
                    ..ImageBuild::default()
                }));
            }
        }
        out.push(Meaning::Deploy(Deploy {
            tool: s("gcloud-run"),
            action: s(action),
            images: images.clone(),
            release: name.map(|n| n.to_string()),
            context: p.value(&["region"]),
            ..Deploy::default()
        }));
        out
    };
    let pos: &[&str] = match pos.first() {
        Some(&("beta" | "alpha")) => pos.get(1..).unwrap_or(&[]),
        _ => &pos,
    };
    match pos {
        ["run", "deploy", name, ..] => run_deploy("deploy", Some(name)),
        ["run", "deploy"] => run_deploy("deploy", None),
        ["run", "services", "update", name, ..] => run_deploy("update", Some(name)),
        ["run", "services", "replace", file, ..] => vec![Meaning::Deploy(Deploy {
            tool: s("gcloud-run"),
            action: s("replace"),
            files: vec![(*file).to_string()],
            context: p.value(&["region"]),
            ..Deploy::default()
        })],
        ["run", "jobs", action @ ("deploy" | "update" | "create"), name, ..] => {
            run_deploy(action, Some(name))
        }
        ["builds", "submit", rest @ ..] => {
            let tag = p.value(&["tag", "t"]);
            vec![Meaning::ImageBuild(ImageBuild {
                tool: s("gcloud-builds"),
                push: tag.is_some(),
                tags: tag.into_iter().collect(),
                context: rest.first().map(|c| c.to_string()),
                files: p.values(&["config"]),
                ..ImageBuild::default()
            })]
        }
        ["auth", "configure-docker", rest @ ..] => vec![Meaning::RegistryLogin {
            tool: s("gcloud"),
            registry: rest.first().map(|r| r.to_string()),
        }],
        ["deploy", "releases", "create", name, ..] => {
            let imgs = split_commas(&p.values(&["images"]))
                .into_iter()
                .map(|kv| {
                    kv.split_once('=')
                        .map_or(kv.clone(), |(_, v)| v.to_string())
                })
                .collect();
            vec![Meaning::Deploy(Deploy {
                tool: s("gcloud-deploy"),
                action: s("release"),
                images: imgs,
                release: Some((*name).to_string()),
                context: p.value(&["to-target"]),
                ..Deploy::default()
            })]
        }
        _ => Vec::new(),
    }
}

const AWS_BOOL: &[&str] = &[
    "force-new-deployment",
    "no-force-new-deployment",
    "no-cli-pager",
    "debug",
    "no-verify-ssl",
    "no-paginate",
    "no-sign-request",
    "enable-execute-command",
    "disable-execute-command",
    "publish",
    "no-publish",
    "dry-run",
    "no-dry-run",
    "include-email",
    "no-include-email",
    "wait",
];

pub(crate) fn aws(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            long_default_val: true,
            long_bool: AWS_BOOL,
            ..Spec::default()
        },
    );
    let pos: Vec<&str> = p.pos.iter().map(String::as_str).collect();
    match pos.as_slice() {
        ["ecr", "get-login-password" | "get-login" | "get-authorization-token", ..] => {
            vec![Meaning::RegistryLogin {
                tool: s("aws-ecr"),
                registry: None,
            }]
        }
        ["ecr-public", "get-login-password", ..] => vec![Meaning::RegistryLogin {
            tool: s("aws-ecr-public"),
            registry: Some(s("public.ecr.aws")),
        }],
        ["ecs", action @ ("update-service" | "deploy" | "register-task-definition"), ..] => {
            let mut files: Vec<String> = p
                .values(&["cli-input-json", "task-definition"])
                .into_iter()
                .filter(|f| f.starts_with("file://") || f.ends_with(".json"))
                .map(|f| f.strip_prefix("file://").map_or(f.clone(), str::to_string))
                .collect();
            files.dedup();
            vec![Meaning::Deploy(Deploy {
                tool: s("aws-ecs"),
                action: s(action),
                files,
                release: p.value(&["service", "family"]),
                context: p.value(&["cluster"]),
                ..Deploy::default()
            })]
        }
        ["lambda", "update-function-code", ..] => {
            let images = p.values(&["image-uri"]);
            if images.is_empty() {
                return Vec::new();
            }
            vec![Meaning::Deploy(Deploy {
                tool: s("aws-lambda"),
                action: s("update-function-code"),
                images,
                release: p.value(&["function-name"]),
                ..Deploy::default()
            })]
        }
        _ => Vec::new(),
    }
}

/// silinternational/ecs-deploy: `ecs-deploy -c CLUSTER -n SERVICE -i IMAGE`.
pub(crate) fn ecs_deploy(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "cnitrkspameDMdz",
            long_default_val: true,
            long_bool: &[
                "enable-rollback",
                "use-latest-task-def",
                "skip-deployments-check",
                "force-new-deployment",
                "verbose",
                "run-task",
                "wait-for-success",
                "launch-type",
            ],
            ..Spec::default()
        },
    );
    vec![Meaning::Deploy(Deploy {
        tool: s("aws-ecs"),
        action: s("deploy"),
        images: p.values(&["i", "image"]),
        release: p.value(&["n", "service-name"]),
        context: p.value(&["c", "cluster"]),
        ..Deploy::default()
    })]
}

/// fabfuel/ecs-deploy: `ecs deploy CLUSTER SERVICE -i CONTAINER IMAGE`.
pub(crate) fn fabfuel_ecs(args: &[String]) -> Vec<Meaning> {
    if args.first().map(String::as_str) != Some("deploy") {
        return Vec::new();
    }
    let mut pos = Vec::new();
    let mut images = Vec::new();
    let mut i = 1;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-i" | "--image" => {
                if let Some(img) = args.get(i + 2) {
                    images.push(img.clone());
                }
                i += 3;
            }
            "-t"
            | "--tag"
            | "-e"
            | "--env"
            | "-r"
            | "--region"
            | "--profile"
            | "--timeout"
            | "--access-key-id"
            | "--secret-access-key"
            | "--task"
            | "--role" => i += 2,
            _ if a.starts_with('-') => i += 1,
            _ => {
                pos.push(a.clone());
                i += 1;
            }
        }
    }
    vec![Meaning::Deploy(Deploy {
        tool: s("aws-ecs"),
        action: s("deploy"),
        images,
        context: pos.first().cloned(),
        release: pos.get(1).cloned(),
        ..Deploy::default()
    })]
}

pub(crate) fn fly(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "iacer",
            long_val: &[
                "image",
                "app",
                "config",
                "env",
                "region",
                "strategy",
                "build-arg",
                "build-secret",
                "build-target",
                "dockerfile",
                "image-label",
                "label",
                "wait-timeout",
                "release-command-timeout",
                "lease-timeout",
                "primary-region",
                "vm-size",
                "vm-memory",
                "vm-cpus",
                "vm-cpu-kind",
                "ha",
                "file-local",
                "file-literal",
                "file-secret",
                "max-concurrent",
                "process-groups",
                "signal",
                "org",
                "access-token",
                "exclude-regions",
                "only-regions",
                "depot-scope",
                "buildkit-addr",
                "buildkit-image",
            ],
            ..Spec::default()
        },
    );
    if p.pos_at(0) != Some("deploy") {
        return Vec::new();
    }
    let images = p.values(&["i", "image"]);
    let mut out = Vec::new();
    if images.is_empty() {
        out.push(Meaning::ImageBuild(ImageBuild {
            tool: s("fly"),
            dockerfile: p.value(&["dockerfile"]),
            context: p.pos.get(1).cloned(),
            target: p.value(&["build-target"]),
            push: true,
            build_args: p.values(&["build-arg"]),
            files: p.values(&["c", "config"]),
            ..ImageBuild::default()
        }));
    }
    out.push(Meaning::Deploy(Deploy {
        tool: s("fly"),
        action: s("deploy"),
        images,
        files: p.values(&["c", "config"]),
        release: p.value(&["a", "app"]),
        ..Deploy::default()
    }));
    out
}

pub(crate) fn heroku(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "ar",
            long_val: &["app", "remote", "arg", "context-path"],
            ..Spec::default()
        },
    );
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    let procs: Vec<String> = p.pos.get(1..).unwrap_or(&[]).to_vec();
    let deploy = |action: &str| {
        Meaning::Deploy(Deploy {
            tool: s("heroku"),
            action: s(action),
            release: p.value(&["a", "app"]),
            context: p.value(&["r", "remote"]),
            ..Deploy::default()
        })
    };
    match sub {
        "container:push" => vec![
            Meaning::ImageBuild(ImageBuild {
                tool: s("heroku"),
                push: true,
                targets: procs,
                build_args: split_commas(&p.values(&["arg"])),
                context: p.value(&["context-path"]),
                ..ImageBuild::default()
            }),
            deploy("container:push"),
        ],
        "container:release" => vec![deploy("container:release")],
        "container:login" => vec![Meaning::RegistryLogin {
            tool: s("heroku"),
            registry: Some(s("registry.heroku.com")),
        }],
        _ => Vec::new(),
    }
}

pub(crate) fn az(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "ngtrfloupsic",
            long_default_val: true,
            long_bool: &[
                "yes",
                "no-wait",
                "debug",
                "verbose",
                "only-show-errors",
                "no-push",
                "no-logs",
                "no-format",
                "expose-token",
                "admin",
                "overwrite-existing",
                "browse",
                "logs",
            ],
            ..Spec::default()
        },
    );
    let pos: Vec<&str> = p.pos.iter().map(String::as_str).collect();
    match pos.as_slice() {
        ["acr", "login", ..] => vec![Meaning::RegistryLogin {
            tool: s("az-acr"),
            registry: p.value(&["n", "name"]),
        }],
        ["acr", "build", rest @ ..] => vec![Meaning::ImageBuild(ImageBuild {
            tool: s("az-acr"),
            dockerfile: p.value(&["f", "file"]),
            context: rest.first().map(|c| c.to_string()),
            tags: p.values(&["t", "image"]),
            target: p.value(&["target"]),
            push: !p.has(&["no-push"]),
            build_args: p.values(&["build-arg"]),
            platforms: split_commas(&p.values(&["platform"])),
            ..ImageBuild::default()
        })],
        ["containerapp", action @ ("update" | "up" | "create"), ..] => {
            vec![Meaning::Deploy(Deploy {
                tool: s("az-containerapp"),
                action: s(action),
                images: p.values(&["image", "i"]),
                files: p.values(&["yaml"]),
                release: p.value(&["n", "name"]),
                context: p.value(&["g", "resource-group", "environment"]),
                ..Deploy::default()
            })]
        }
        ["webapp", "config", "container", "set", ..] | ["webapp", "create", ..] => {
            let images = p.values(&[
                "container-image-name",
                "docker-custom-image-name",
                "deployment-container-image-name",
                "i",
            ]);
            if images.is_empty() {
                return Vec::new();
            }
            vec![Meaning::Deploy(Deploy {
                tool: s("az-webapp"),
                action: s("set-image"),
                images,
                release: p.value(&["n", "name"]),
                context: p.value(&["g", "resource-group"]),
                ..Deploy::default()
            })]
        }
        _ => Vec::new(),
    }
}

pub(crate) fn nomad(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            long_val: &[
                "var",
                "var-file",
                "address",
                "region",
                "namespace",
                "token",
                "check-index",
                "consul-token",
                "vault-token",
                "vault-namespace",
                "eval-priority",
                "ca-cert",
                "client-cert",
                "client-key",
                "tls-server-name",
                "consul-namespace",
            ],
            single_dash_long: true,
            ..Spec::default()
        },
    );
    let pos: Vec<&str> = p.pos.iter().map(String::as_str).collect();
    let file = match pos.as_slice() {
        ["job", "run", f, ..] | ["run", f, ..] => *f,
        _ => return Vec::new(),
    };
    vec![Meaning::Deploy(Deploy {
        tool: s("nomad"),
        action: s("run"),
        images: p
            .values(&["var"])
            .into_iter()
            .filter(|v| is_image_key_assignment(v))
            .collect(),
        files: vec![file.to_string()],
        namespace: p.value(&["namespace"]),
        context: p.value(&["region"]),
        ..Deploy::default()
    })]
}

pub(crate) fn argocd(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "plNo",
            long_val: &[
                "kustomize-image",
                "parameter",
                "helm-set",
                "helm-set-string",
                "helm-set-file",
                "values",
                "values-literal-file",
                "revision",
                "timeout",
                "dest-namespace",
                "dest-server",
                "dest-name",
                "repo",
                "path",
                "project",
                "sync-policy",
                "label",
                "selector",
                "resource",
                "retry-limit",
                "nameprefix",
                "namesuffix",
                "kustomize-version",
                "kustomize-common-label",
                "directory-include",
                "directory-exclude",
                "config-management-plugin",
                "plugin-env",
                "release-name",
                "revision-history-limit",
                "app-namespace",
                "sync-option",
                "server",
                "auth-token",
                "config",
                "header",
                "port-forward-namespace",
                "loglevel",
                "grpc-web-root-path",
                "kube-context",
                "local",
                "local-repo-root",
                "output",
                "file",
                "strategy",
                "retry-backoff-duration",
                "retry-backoff-max-duration",
                "retry-backoff-factor",
                "source-position",
                "source-name",
                "client-crt",
                "client-crt-key",
                "http-retry-max",
            ],
            ..Spec::default()
        },
    );
    if p.pos_at(0) != Some("app") {
        return Vec::new();
    }
    let Some(action) = p.pos_at(1) else {
        return Vec::new();
    };
    if !matches!(action, "sync" | "set" | "create" | "rollback" | "patch") {
        return Vec::new();
    }
    let mut images = p.values(&["kustomize-image"]);
    images.extend(image_sets(p.values(&[
        "p",
        "parameter",
        "helm-set",
        "helm-set-string",
    ])));
    let mut out = vec![Meaning::Deploy(Deploy {
        tool: s("argocd"),
        action: s(action),
        images: images.clone(),
        namespace: p.value(&["dest-namespace"]),
        context: p.value(&["dest-name", "dest-server"]),
        release: p
            .pos
            .get(2)
            .cloned()
            .or_else(|| p.value(&["l", "selector"])),
        ..Deploy::default()
    })];
    if action == "set" && !images.is_empty() {
        out.push(Meaning::GitOpsBump {
            tool: s("argocd"),
            image: images.first().cloned(),
            file: None,
        });
    }
    out
}

pub(crate) fn flux(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "n",
            long_val: &["namespace", "context", "kubeconfig", "timeout", "kind"],
            ..Spec::default()
        },
    );
    if p.pos_at(0) != Some("reconcile") {
        return Vec::new();
    }
    vec![Meaning::Deploy(Deploy {
        tool: s("flux"),
        action: s("reconcile"),
        namespace: p.value(&["n", "namespace"]),
        context: p.value(&["context"]),
        release: p.pos.last().filter(|_| p.pos.len() >= 3).cloned(),
        ..Deploy::default()
    })]
}

/// kapp, kamal/mrsk, devspace, garden, copilot, okteto: `TOOL [svc] deploy`.
pub(crate) fn simple_deploy(tool: &str, args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            short_val: "afdnpec",
            long_val: &[
                "app",
                "file",
                "destination",
                "namespace",
                "kube-context",
                "profile",
                "env",
                "name",
                "version",
                "config",
                "var",
                "tag",
                "diff-changes",
                "wait-timeout",
                "resource-group",
            ],
            ..Spec::default()
        },
    );
    let pos: Vec<&str> = p.pos.iter().map(String::as_str).collect();
    let action = match (tool, pos.as_slice()) {
        ("copilot", ["svc" | "job" | "app", "deploy", ..]) | (_, ["deploy", ..]) => "deploy",
        ("kamal" | "mrsk", ["redeploy" | "setup" | "rollback", ..]) => {
            pos.first().copied().unwrap_or("deploy")
        }
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    if matches!(tool, "kamal" | "mrsk") && action != "rollback" {
        out.push(Meaning::ImageBuild(ImageBuild {
            tool: s("kamal"),
            push: !p.has(&["skip-push"]),
            files: p.values(&["c", "config"]),
            ..ImageBuild::default()
        }));
    }
    let mut files = p.values(&["f", "file"]);
    files.extend(p.values(&["c", "config"]));
    out.push(Meaning::Deploy(Deploy {
        tool: s(if tool == "mrsk" { "kamal" } else { tool }),
        action: s(action),
        files,
        namespace: p.value(&["n", "namespace"]),
        context: p
            .value(&["kube-context"])
            .or_else(|| p.value(&["d", "destination", "e", "env", "p", "profile"])),
        release: p.value(&["a", "app", "name"]),
        images: p
            .values(&["tag"])
            .into_iter()
            .filter(|_| tool == "okteto")
            .collect(),
        ..Deploy::default()
    }));
    out
}

pub(crate) fn doctl(args: &[String]) -> Vec<Meaning> {
    let pos: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match pos.as_slice() {
        ["registry", "login", ..] => vec![Meaning::RegistryLogin {
            tool: s("doctl"),
            registry: Some(s("registry.digitalocean.com")),
        }],
        _ => Vec::new(),
    }
}
