//! Docker-compatible CLIs (docker, podman, nerdctl), Compose, buildah, img,
//! crane, skopeo, regctl.

use super::{build, s, split_commas, ComposeInvocation, Ctx, Deploy, ImageBuild, Meaning};
use crate::args::{parse, Parsed, Spec};

const GLOBAL: Spec = Spec {
    short_val: "cHl",
    long_val: &[
        "context",
        "host",
        "config",
        "log-level",
        "tlscacert",
        "tlscert",
        "tlskey",
        "url",
        "connection",
        "root",
        "runroot",
        "storage-driver",
        "storage-opt",
        "cgroup-manager",
        "events-backend",
        "identity",
        "tmpdir",
        "module",
        "network-cmd-path",
        "network-config-dir",
        "runtime",
        "hooks-dir",
        "volumepath",
        "imagestore",
        "conmon",
        "namespace",
        "address",
        "snapshotter",
        "cni-path",
        "data-root",
        "cgroup-manager",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: true,
    single_dash_long: false,
};

pub(crate) const BUILD: Spec = Spec {
    short_val: "tfomcv",
    long_val: &[
        "tag",
        "file",
        "target",
        "build-arg",
        "platform",
        "label",
        "cache-from",
        "cache-to",
        "output",
        "secret",
        "ssh",
        "network",
        "progress",
        "iidfile",
        "metadata-file",
        "build-context",
        "add-host",
        "ulimit",
        "shm-size",
        "memory",
        "memory-swap",
        "cpu-shares",
        "cpu-period",
        "cpu-quota",
        "cpuset-cpus",
        "cpuset-mems",
        "cgroup-parent",
        "isolation",
        "allow",
        "attest",
        "annotation",
        "builder",
        "call",
        "no-cache-filter",
        "security-opt",
        "sbom",
        "provenance",
        "manifest",
        "format",
        "authfile",
        "creds",
        "arch",
        "os",
        "variant",
        "jobs",
        "sign-by",
        "timestamp",
        "volume",
        "env",
        "userns",
        "userns-uid-map",
        "userns-gid-map",
        "cap-add",
        "cap-drop",
        "cert-dir",
        "decryption-key",
        "device",
        "dns",
        "dns-option",
        "dns-search",
        "from",
        "ipc",
        "pid",
        "uts",
        "runtime",
        "layers",
        "squash-all",
        "unsetenv",
        "unsetlabel",
        "retry",
        "retry-delay",
        "secret",
        "hooks-dir",
        "cache-ttl",
        "iidfile",
        "os-version",
        "os-feature",
        "group-add",
        "logfile",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: false,
    single_dash_long: false,
};

const RUN: Spec = Spec {
    short_val: "acehlmpuvw",
    long_val: &[
        "add-host",
        "annotation",
        "attach",
        "blkio-weight",
        "blkio-weight-device",
        "cap-add",
        "cap-drop",
        "cgroup-parent",
        "cgroupns",
        "cidfile",
        "cpu-period",
        "cpu-quota",
        "cpu-rt-period",
        "cpu-rt-runtime",
        "cpu-shares",
        "cpus",
        "cpuset-cpus",
        "cpuset-mems",
        "device",
        "device-cgroup-rule",
        "device-read-bps",
        "device-read-iops",
        "device-write-bps",
        "device-write-iops",
        "dns",
        "dns-option",
        "dns-opt",
        "dns-search",
        "domainname",
        "entrypoint",
        "env",
        "env-file",
        "expose",
        "gpus",
        "group-add",
        "health-cmd",
        "health-interval",
        "health-retries",
        "health-start-period",
        "health-start-interval",
        "health-timeout",
        "hostname",
        "ip",
        "ip6",
        "ipc",
        "isolation",
        "kernel-memory",
        "label",
        "label-file",
        "link",
        "link-local-ip",
        "log-driver",
        "log-opt",
        "mac-address",
        "memory",
        "memory-reservation",
        "memory-swap",
        "memory-swappiness",
        "mount",
        "name",
        "network",
        "net",
        "network-alias",
        "net-alias",
        "oom-score-adj",
        "pid",
        "pids-limit",
        "platform",
        "publish",
        "pull",
        "restart",
        "runtime",
        "security-opt",
        "shm-size",
        "stop-signal",
        "stop-timeout",
        "storage-opt",
        "sysctl",
        "tmpfs",
        "ulimit",
        "user",
        "userns",
        "uts",
        "volume",
        "volume-driver",
        "volumes-from",
        "workdir",
        "detach-keys",
        "pod",
        "secret",
        "arch",
        "os",
        "variant",
        "authfile",
        "creds",
        "cgroups",
        "hooks-dir",
        "passwd-entry",
        "group-entry",
        "pidfile",
        "preserve-fds",
        "requires",
        "sdnotify",
        "seccomp-policy",
        "systemd",
        "timeout",
        "tz",
        "umask",
        "uidmap",
        "gidmap",
        "subuidname",
        "subgidname",
        "image-volume",
        "chrootdirs",
        "personality",
        "retry",
        "retry-delay",
        "decryption-key",
        "unsetenv",
        "cpu-count",
        "cpu-percent",
        "io-maxbandwidth",
        "io-maxiops",
        "cap-add",
        "init-path",
        "pod-id-file",
        "conmon-pidfile",
        "log-level",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: true,
    single_dash_long: false,
};

/// The first one or two subcommand words and the rest.
fn sub_rest(p: &Parsed) -> (Option<&str>, &[String]) {
    (p.pos.first().map(String::as_str), p.rest.as_slice())
}

pub(crate) fn is_registry_output(o: &str) -> bool {
    let l = o.to_ascii_lowercase();
    l.contains("type=registry") || (l.contains("type=image") && l.contains("push=true"))
}

pub(crate) fn docker_build(tool: &str, args: &[String]) -> ImageBuild {
    let p = parse(args, &BUILD);
    let outputs = p.values(&["o", "output"]);
    let push_flag = p.flag(&["push"]);
    let push = push_flag.unwrap_or(false) || outputs.iter().any(|o| is_registry_output(o));
    // `--output type=image,name=acme/app,push=true` names the image too.
    let mut tags = p.values(&["t", "tag"]);
    for o in &outputs {
        for n in o
            .split(',')
            .filter_map(|f| f.trim().trim_matches('"').strip_prefix("name="))
        {
            if !n.is_empty() && !tags.iter().any(|t| t == n) {
                tags.push(n.to_string());
            }
        }
    }
    ImageBuild {
        tool: s(tool),
        dockerfile: p.value(&["f", "file"]),
        context: p.pos.first().cloned(),
        tags,
        target: p.value(&["target"]),
        push,
        build_args: p.values(&["build-arg"]),
        platforms: split_commas(&p.values(&["platform"])),
        files: Vec::new(),
        targets: Vec::new(),
        load: p.has(&["load"])
            || outputs
                .iter()
                .any(|o| o.to_ascii_lowercase().contains("type=docker")),
    }
}

fn bake(args: &[String]) -> ImageBuild {
    let spec = Spec {
        short_val: "f",
        long_val: &[
            "file",
            "set",
            "progress",
            "builder",
            "metadata-file",
            "provenance",
            "sbom",
            "allow",
            "call",
            "var",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    let mut b = ImageBuild {
        tool: s("docker-buildx-bake"),
        files: p.values(&["f", "file"]),
        targets: p.pos.clone(),
        push: p.has(&["push"]),
        load: p.has(&["load"]),
        ..ImageBuild::default()
    };
    for set in p.values(&["set"]) {
        let Some((k, v)) = set.split_once('=') else {
            continue;
        };
        let key = k.rsplit('.').next().unwrap_or(k);
        if k.contains(".args.") {
            let arg = k.rsplit(".args.").next().unwrap_or(k);
            b.build_args.push(format!("{arg}={v}"));
            continue;
        }
        match key {
            "tags" => b.tags.push(v.to_string()),
            "platform" => b.platforms.extend(split_commas(&[v.to_string()])),
            "output" if is_registry_output(v) => b.push = true,
            "push" if v == "true" => b.push = true,
            "target" => b.target = Some(v.to_string()),
            "dockerfile" => b.dockerfile = Some(v.to_string()),
            "context" => b.context = Some(v.to_string()),
            _ => {}
        }
    }
    b
}

fn push(tool: &str, args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        long_val: &[
            "platform",
            "authfile",
            "creds",
            "cert-dir",
            "digestfile",
            "format",
            "sign-by",
            "compression-format",
            "compression-level",
            "encryption-key",
            "retry",
            "retry-delay",
        ],
        short_val: "f",
        ..Spec::default()
    };
    let p = parse(args, &spec);
    if p.pos.is_empty() {
        return Vec::new();
    }
    vec![Meaning::ImagePush {
        tool: s(tool),
        images: p.pos,
    }]
}

fn tag(args: &[String]) -> Vec<Meaning> {
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(src) = pos.first() else {
        return Vec::new();
    };
    pos.iter()
        .skip(1)
        .map(|t| Meaning::ImageTag {
            source: src.to_string(),
            target: t.to_string(),
        })
        .collect()
}

fn login(tool: &str, args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "up",
        long_val: &["username", "password", "authfile", "cert-dir", "secret"],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    vec![Meaning::RegistryLogin {
        tool: s(tool),
        registry: p.pos.first().cloned(),
    }]
}

fn run(tool: &str, args: &[String], ctx: &Ctx, remote: Option<String>) -> Vec<Meaning> {
    let p = parse(args, &RUN);
    let Some(image) = p.pos.first() else {
        return Vec::new();
    };
    let mut out = vec![Meaning::ImageRun {
        tool: s(tool),
        image: image.clone(),
        command: p.rest.clone(),
    }];
    if image.contains("kaniko-project/executor") || image.contains("kaniko/executor") {
        out.extend(build::kaniko("/kaniko/executor", &p.rest));
    }
    if let Some(r) = remote.or_else(|| ctx.remote(None, None)) {
        if p.has(&["d", "detach"]) {
            out.push(Meaning::Deploy(Deploy {
                tool: s("docker-remote"),
                action: s("run"),
                images: vec![image.clone()],
                context: Some(r),
                release: p.value(&["name"]),
                ..Deploy::default()
            }));
        }
    }
    out
}

fn stack(args: &[String], remote: Option<String>) -> Vec<Meaning> {
    let (sub, rest) = (
        args.first().map(String::as_str),
        args.get(1..).unwrap_or(&[]),
    );
    match sub {
        Some("deploy" | "up") => {}
        _ => return Vec::new(),
    }
    let spec = Spec {
        short_val: "c",
        long_val: &["compose-file", "resolve-image", "orchestrator", "namespace"],
        ..Spec::default()
    };
    let p = parse(rest, &spec);
    vec![Meaning::Deploy(Deploy {
        tool: s("docker-stack"),
        action: s("deploy"),
        files: p.values(&["c", "compose-file"]),
        release: p.pos.first().cloned(),
        context: remote,
        ..Deploy::default()
    })]
}

fn service(args: &[String], remote: Option<String>) -> Vec<Meaning> {
    if args.first().map(String::as_str) != Some("update") {
        return Vec::new();
    }
    let rest = args.get(1..).unwrap_or(&[]);
    let p = parse(
        rest,
        &Spec {
            long_default_val: true,
            long_bool: &[
                "force",
                "detach",
                "quiet",
                "rollback",
                "with-registry-auth",
                "no-resolve-image",
                "read-only",
                "init",
                "no-healthcheck",
                "tty",
            ],
            short_val: "elpu",
            ..Spec::default()
        },
    );
    let images = p.values(&["image"]);
    if images.is_empty() && !p.has(&["force"]) {
        return Vec::new();
    }
    vec![Meaning::Deploy(Deploy {
        tool: s("docker-service"),
        action: s(if images.is_empty() {
            "update"
        } else {
            "set-image"
        }),
        images,
        release: rest.last().filter(|a| !a.starts_with('-')).cloned(),
        context: remote,
        ..Deploy::default()
    })]
}

/// docker/podman/nerdctl with global options, then the subcommand.
pub(crate) fn docker_cli(tool: &str, args: &[String], ctx: &Ctx) -> Vec<Meaning> {
    let g = parse(args, &GLOBAL);
    let host = g.value(&["H", "host", "url"]);
    let context = g.value(&["c", "context", "connection"]);
    let remote = ctx.remote(host.as_deref(), context.as_deref());
    let (sub, rest) = sub_rest(&g);
    let Some(sub) = sub else {
        return Vec::new();
    };
    let next = rest.first().map(String::as_str);
    let after = rest.get(1..).unwrap_or(&[]);
    let buildx_tool = if tool == "docker" {
        s("docker-buildx")
    } else {
        s(tool)
    };
    match (sub, next) {
        ("build", _) => {
            vec![Meaning::ImageBuild(docker_build(tool, rest))]
        }
        ("image" | "builder", Some("build")) => {
            vec![Meaning::ImageBuild(docker_build(tool, after))]
        }
        ("buildx", _) => {
            // `docker buildx [--builder x] build|bake|imagetools ...`
            let bx = parse(
                rest,
                &Spec {
                    long_val: &["builder"],
                    stop_at_pos: true,
                    ..Spec::default()
                },
            );
            match bx.pos.first().map(String::as_str) {
                Some("build" | "b") => {
                    vec![Meaning::ImageBuild(docker_build(&buildx_tool, &bx.rest))]
                }
                Some("bake") => vec![Meaning::ImageBuild(bake(&bx.rest))],
                Some("imagetools") if bx.rest.first().map(String::as_str) == Some("create") => {
                    let p = parse(
                        bx.rest.get(1..).unwrap_or(&[]),
                        &Spec {
                            short_val: "tf",
                            long_val: &["tag", "file", "annotation", "progress", "builder"],
                            ..Spec::default()
                        },
                    );
                    let images = p.values(&["t", "tag"]);
                    if images.is_empty() || p.has(&["dry-run"]) {
                        Vec::new()
                    } else {
                        vec![Meaning::ImagePush {
                            tool: buildx_tool,
                            images,
                        }]
                    }
                }
                _ => Vec::new(),
            }
        }
        ("bake", _) => vec![Meaning::ImageBuild(bake(rest))],
        ("push", _) => push(tool, rest),
        ("image", Some("push")) => push(tool, after),
        ("manifest", Some("push")) => push(tool, after),
        ("tag", _) => tag(rest),
        ("image", Some("tag")) => tag(after),
        ("login", _) => login(tool, rest),
        ("run", _) => run(tool, rest, ctx, remote),
        ("container", Some("run")) => run(tool, after, ctx, remote),
        ("compose", _) => compose(&format!("{tool} compose"), rest, ctx, remote),
        ("stack", _) => stack(rest, remote),
        ("service", _) => service(rest, remote),
        _ => Vec::new(),
    }
}

const COMPOSE_GLOBAL: Spec = Spec {
    short_val: "fpHc",
    long_val: &[
        "file",
        "project-name",
        "project-directory",
        "profile",
        "env-file",
        "ansi",
        "progress",
        "parallel",
        "host",
        "context",
        "tlscacert",
        "tlscert",
        "tlskey",
        "log-level",
        "podman-path",
        "podman-args",
        "podman-run-args",
        "podman-build-args",
        "podman-push-args",
        "in-pod",
        "pod-args",
        "env",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: true,
    single_dash_long: false,
};

/// `docker compose ...`, `docker-compose ...`, `podman-compose ...`.
/// `remote` comes from the outer docker CLI (`docker --context x compose`).
pub(crate) fn compose(
    tool: &str,
    args: &[String],
    ctx: &Ctx,
    remote: Option<String>,
) -> Vec<Meaning> {
    let g = parse(args, &COMPOSE_GLOBAL);
    let host = g.value(&["H", "host"]);
    let context = g.value(&["c", "context"]);
    let remote = remote.or_else(|| ctx.remote(host.as_deref(), context.as_deref()));
    let sub = g.pos.first().cloned().unwrap_or_default();
    let (sub_spec_short, sub_long, stop): (&str, &[&str], bool) = match sub.as_str() {
        "run" => (
            "eluvwpn",
            &[
                "env",
                "label",
                "user",
                "volume",
                "workdir",
                "publish",
                "name",
                "entrypoint",
                "cap-add",
                "cap-drop",
                "pull",
                "env-from-file",
            ],
            true,
        ),
        "exec" => ("euw", &["env", "user", "workdir", "index"], true),
        "up" => (
            "t",
            &[
                "scale",
                "timeout",
                "exit-code-from",
                "attach",
                "no-attach",
                "pull",
                "wait-timeout",
            ],
            false,
        ),
        "build" => (
            "m",
            &["build-arg", "progress", "memory", "ssh", "builder"],
            false,
        ),
        _ => (
            "tsn",
            &[
                "rmi", "timeout", "tail", "since", "until", "signal", "index", "format", "policy",
            ],
            false,
        ),
    };
    let p = parse(
        &g.rest,
        &Spec {
            short_val: sub_spec_short,
            long_val: sub_long,
            stop_at_pos: stop,
            ..Spec::default()
        },
    );
    let detach = p.has(&["d", "detach"]) || (sub == "up" && p.has(&["wait"]));
    let inv = ComposeInvocation {
        tool: s(tool),
        files: g.values(&["f", "file"]),
        project_dir: g.value(&["project-directory"]),
        profiles: g.values(&["profile"]),
        subcommand: sub.clone(),
        services: p.pos.clone(),
        remote: remote.clone(),
        detach,
        project_name: g.value(&["p", "project-name"]),
        command: p.rest.clone(),
    };
    let mut out = Vec::new();
    if let Some(r) = remote {
        if matches!(sub.as_str(), "up" | "start" | "restart" | "create") {
            out.push(Meaning::Deploy(Deploy {
                tool: s("compose-remote"),
                action: sub.clone(),
                files: inv.files.clone(),
                context: Some(r),
                release: inv.project_name.clone(),
                ..Deploy::default()
            }));
        }
    }
    out.insert(0, Meaning::Compose(inv));
    out
}

pub(crate) fn buildah(args: &[String]) -> Vec<Meaning> {
    let g = parse(args, &GLOBAL);
    let (Some(sub), rest) = sub_rest(&g) else {
        return Vec::new();
    };
    match sub {
        "bud" | "build" | "build-using-dockerfile" => {
            vec![Meaning::ImageBuild(docker_build("buildah", rest))]
        }
        "push" => push("buildah", rest),
        "tag" => tag(rest),
        "login" => login("buildah", rest),
        "commit" => {
            let p = parse(
                rest,
                &Spec {
                    long_val: &[
                        "format",
                        "authfile",
                        "cert-dir",
                        "creds",
                        "iidfile",
                        "sign-by",
                        "timestamp",
                        "manifest",
                        "encryption-key",
                        "change",
                    ],
                    short_val: "fc",
                    ..Spec::default()
                },
            );
            vec![Meaning::ImageBuild(ImageBuild {
                tool: s("buildah"),
                tags: p.pos.get(1).cloned().into_iter().collect(),
                ..ImageBuild::default()
            })]
        }
        "manifest" if rest.first().map(String::as_str) == Some("push") => {
            push("buildah", rest.get(1..).unwrap_or(&[]))
        }
        _ => Vec::new(),
    }
}

pub(crate) fn img(args: &[String]) -> Vec<Meaning> {
    let g = parse(
        args,
        &Spec {
            short_val: "bs",
            long_val: &["backend", "state"],
            stop_at_pos: true,
            ..Spec::default()
        },
    );
    let (Some(sub), rest) = sub_rest(&g) else {
        return Vec::new();
    };
    match sub {
        "build" => vec![Meaning::ImageBuild(docker_build("img", rest))],
        "push" => push("img", rest),
        "tag" => tag(rest),
        "login" => login("img", rest),
        _ => Vec::new(),
    }
}

pub(crate) fn crane(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            long_val: &["platform", "index", "image-refs", "tag", "jobs"],
            short_val: "tj",
            ..Spec::default()
        },
    );
    match p.pos_at(0) {
        Some("push") => match p.pos.get(2) {
            Some(img) => vec![Meaning::ImagePush {
                tool: s("crane"),
                images: vec![img.clone()],
            }],
            None => Vec::new(),
        },
        Some("copy" | "cp") => match p.pos.get(2) {
            Some(img) => vec![Meaning::ImagePush {
                tool: s("crane"),
                images: vec![img.clone()],
            }],
            None => Vec::new(),
        },
        Some("tag") => match (p.pos.get(1), p.pos.get(2)) {
            (Some(src), Some(t)) => {
                let target = match src.rsplit_once(':') {
                    Some((repo, _)) if !repo.ends_with('/') && !src.contains('@') => {
                        format!("{repo}:{t}")
                    }
                    _ => format!("{src}:{t}"),
                };
                vec![Meaning::ImageTag {
                    source: src.clone(),
                    target,
                }]
            }
            _ => Vec::new(),
        },
        Some("auth") if p.pos_at(1) == Some("login") => vec![Meaning::RegistryLogin {
            tool: s("crane"),
            registry: p.pos.get(2).cloned(),
        }],
        _ => Vec::new(),
    }
}

pub(crate) fn skopeo(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            long_val: &[
                "src-creds",
                "dest-creds",
                "authfile",
                "src-authfile",
                "dest-authfile",
                "format",
                "additional-tag",
                "sign-by",
                "src-cert-dir",
                "dest-cert-dir",
                "retry-times",
                "multi-arch",
                "digestfile",
                "src-registry-token",
                "dest-registry-token",
                "override-arch",
                "override-os",
                "override-variant",
                "command-timeout",
                "registries-conf",
                "policy",
                "username",
                "password",
                "encryption-key",
                "decryption-key",
                "dest-compress-format",
                "dest-compress-level",
                "image-parallel-copies",
            ],
            short_val: "fup",
            ..Spec::default()
        },
    );
    match p.pos_at(0) {
        Some("copy") => match p.pos.get(2) {
            Some(dst) => {
                let img = dst.strip_prefix("docker://").unwrap_or(dst);
                vec![Meaning::ImagePush {
                    tool: s("skopeo"),
                    images: vec![img.to_string()],
                }]
            }
            None => Vec::new(),
        },
        Some("login") => vec![Meaning::RegistryLogin {
            tool: s("skopeo"),
            registry: p.pos.get(1).cloned(),
        }],
        _ => Vec::new(),
    }
}

pub(crate) fn regctl(args: &[String]) -> Vec<Meaning> {
    let pos: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match pos.as_slice() {
        ["image", "copy" | "cp", _, dst, ..] => vec![Meaning::ImagePush {
            tool: s("regctl"),
            images: vec![(*dst).to_string()],
        }],
        ["registry", "login", reg, ..] => vec![Meaning::RegistryLogin {
            tool: s("regctl"),
            registry: Some((*reg).to_string()),
        }],
        _ => Vec::new(),
    }
}
