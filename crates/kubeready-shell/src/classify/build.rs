//! Image builders without a Docker-compatible CLI: kaniko, buildctl, pack,
//! ko, Jib (Maven/Gradle), Spring Boot build-image, nixpacks, s2i, earthly,
//! skaffold, werf.

use super::docker::is_registry_output;
use super::{s, split_commas, Deploy, ImageBuild, Meaning};
use crate::args::{parse, Spec};

pub(crate) fn kaniko(prog: &str, args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "fcdv",
        long_val: &[
            "dockerfile",
            "context",
            "destination",
            "target",
            "build-arg",
            "custom-platform",
            "customPlatform",
            "cache-repo",
            "cache-dir",
            "cache-ttl",
            "tar-path",
            "tarPath",
            "snapshot-mode",
            "snapshotMode",
            "verbosity",
            "label",
            "registry-mirror",
            "digest-file",
            "image-name-with-digest-file",
            "image-name-tag-with-digest-file",
            "oci-layout-path",
            "kaniko-dir",
            "log-format",
            "git",
            "ignore-path",
            "push-retry",
            "image-fs-extract-retry",
            "image-download-retry",
            "registry-certificate",
            "registry-map",
            "insecure-registry",
            "skip-tls-verify-registry",
            "compression",
            "compression-level",
            "context-sub-path",
            "build-context",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    let looks_like_kaniko = prog.contains("kaniko")
        || p.opts.iter().any(|(k, _)| {
            matches!(
                k.as_str(),
                "destination" | "dockerfile" | "no-push" | "context" | "tar-path"
            )
        });
    if !looks_like_kaniko {
        return Vec::new();
    }
    let mut platforms = split_commas(&p.values(&["custom-platform", "customPlatform"]));
    platforms.dedup();
    vec![Meaning::ImageBuild(ImageBuild {
        tool: s("kaniko"),
        dockerfile: p.value(&["f", "dockerfile"]),
        context: p.value(&["c", "context"]),
        tags: p.values(&["d", "destination"]),
        target: p.value(&["target"]),
        push: !p.has(&["no-push"]),
        build_args: p.values(&["build-arg"]),
        platforms,
        ..ImageBuild::default()
    })]
}

pub(crate) fn buildctl(args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "o",
        long_val: &[
            "frontend",
            "local",
            "opt",
            "output",
            "export-cache",
            "import-cache",
            "secret",
            "ssh",
            "progress",
            "trace",
            "metadata-file",
            "allow",
            "addr",
            "tlscacert",
            "tlscert",
            "tlskey",
            "tlsservername",
            "tlsdir",
            "ref-file",
            "source-policy-file",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    if p.pos.first().map(String::as_str) != Some("build") {
        return Vec::new();
    }
    let mut b = ImageBuild {
        tool: s("buildctl"),
        ..ImageBuild::default()
    };
    let mut dockerfile_dir = None;
    let mut filename = None;
    for l in p.values(&["local"]) {
        match l.split_once('=') {
            Some(("context", v)) => b.context = Some(v.to_string()),
            Some(("dockerfile", v)) => dockerfile_dir = Some(v.to_string()),
            _ => {}
        }
    }
    for o in p.values(&["opt"]) {
        let Some((k, v)) = o.split_once('=') else {
            continue;
        };
        if let Some(arg) = k.strip_prefix("build-arg:") {
            b.build_args.push(format!("{arg}={v}"));
            continue;
        }
        match k {
            "filename" => filename = Some(v.to_string()),
            "target" => b.target = Some(v.to_string()),
            "platform" => b.platforms.extend(split_commas(&[v.to_string()])),
            _ => {}
        }
    }
    b.dockerfile = match (dockerfile_dir, filename) {
        (Some(d), Some(f)) => Some(format!("{}/{f}", d.trim_end_matches('/'))),
        (Some(d), None) => Some(format!("{}/Dockerfile", d.trim_end_matches('/'))),
        (None, f) => f,
    };
    for o in p.values(&["o", "output"]) {
        if is_registry_output(&o) {
            b.push = true;
        }
        for part in o.split(',') {
            if let Some(n) = part.trim_matches('"').strip_prefix("name=") {
                b.tags.push(n.to_string());
            }
        }
    }
    vec![Meaning::ImageBuild(b)]
}

pub(crate) fn pack(args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "BpteDrb",
        long_val: &[
            "builder",
            "path",
            "tag",
            "env",
            "env-file",
            "descriptor",
            "run-image",
            "buildpack",
            "cache",
            "cache-image",
            "network",
            "pull-policy",
            "volume",
            "workspace",
            "lifecycle-image",
            "platform",
            "gid",
            "uid",
            "previous-image",
            "report-output-dir",
            "creation-time",
            "sbom-output-dir",
            "extension",
            "post-buildpack",
            "pre-buildpack",
            "docker-host",
            "default-process",
            "cache-dir",
            "buildpack-registry",
            "exec-env",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    if p.pos_at(0) != Some("build") {
        return Vec::new();
    }
    let mut tags: Vec<String> = p.pos.get(1).cloned().into_iter().collect();
    tags.extend(p.values(&["t", "tag"]));
    vec![Meaning::ImageBuild(ImageBuild {
        tool: s("pack"),
        context: p.value(&["p", "path"]),
        tags,
        push: p.has(&["publish"]),
        build_args: p.values(&["e", "env"]),
        platforms: split_commas(&p.values(&["platform"])),
        files: p.values(&["D", "descriptor"]),
        ..ImageBuild::default()
    })]
}

pub(crate) fn ko(args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "tfjlnR",
        long_val: &[
            "tags",
            "tag",
            "platform",
            "image-refs",
            "sbom",
            "sbom-dir",
            "image-label",
            "image-annotation",
            "image-user",
            "jobs",
            "filename",
            "selector",
            "namespace",
            "context",
            "kubeconfig",
            "cluster",
            "user",
            "server",
            "token",
            "insecure-registry",
            "base-import-paths",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    if !matches!(
        sub,
        "build" | "publish" | "resolve" | "apply" | "create" | "run"
    ) {
        return Vec::new();
    }
    let local = p.flag(&["push"]) == Some(false) || p.has(&["L", "local"]);
    let files = p.values(&["f", "filename"]);
    let b = ImageBuild {
        tool: s("ko"),
        tags: split_commas(&p.values(&["t", "tags", "tag"])),
        push: !local,
        platforms: split_commas(&p.values(&["platform"])),
        files: files.clone(),
        targets: p.pos.get(1..).unwrap_or(&[]).to_vec(),
        ..ImageBuild::default()
    };
    let mut out = vec![Meaning::ImageBuild(b)];
    if matches!(sub, "apply" | "create" | "run") {
        out.push(Meaning::Deploy(Deploy {
            tool: s("ko"),
            action: s(sub),
            files,
            namespace: p.value(&["n", "namespace"]),
            context: p.value(&["context"]),
            ..Deploy::default()
        }));
    }
    out
}

/// Maven command line: goals, `-D` properties, `-pl` modules, `-f` file.
pub(crate) struct MavenArgs {
    pub goals: Vec<String>,
    pub props: Vec<(String, String)>,
    pub modules: Vec<String>,
    pub file: Option<String>,
}

impl MavenArgs {
    pub fn prop(&self, k: &str) -> Option<&str> {
        self.props
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    pub fn prop_true(&self, k: &str) -> bool {
        matches!(self.prop(k), Some("" | "true"))
    }
}

pub(crate) fn maven_args(args: &[String]) -> MavenArgs {
    const VAL: &[&str] = &[
        "-f",
        "--file",
        "-pl",
        "--projects",
        "-P",
        "--activate-profiles",
        "-s",
        "--settings",
        "-gs",
        "--global-settings",
        "-T",
        "--threads",
        "-rf",
        "--resume-from",
        "-b",
        "--builder",
        "-l",
        "--log-file",
        "-t",
        "--toolchains",
        "-gt",
        "--global-toolchains",
        "-em",
        "-amd",
    ];
    let mut m = MavenArgs {
        goals: Vec::new(),
        props: Vec::new(),
        modules: Vec::new(),
        file: None,
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let prop = if a == "-D" || a == "--define" {
            i += 1;
            args.get(i - 1).cloned()
        } else {
            a.strip_prefix("-D").map(str::to_string)
        };
        if let Some(pv) = prop {
            let (k, v) = pv.split_once('=').unwrap_or((pv.as_str(), ""));
            m.props.push((k.to_string(), v.to_string()));
            continue;
        }
        if matches!(a.as_str(), "-em" | "-amd") {
            continue;
        }
        if VAL.contains(&a.as_str()) {
            let v = args.get(i).cloned();
            i += 1;
            match a.as_str() {
                "-f" | "--file" => m.file = v,
                "-pl" | "--projects" => m
                    .modules
                    .extend(split_commas(&v.into_iter().collect::<Vec<_>>())),
                _ => {}
            }
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        m.goals.push(a.clone());
    }
    m
}

pub(crate) fn maven(args: &[String]) -> Vec<Meaning> {
    let m = maven_args(args);
    let mut out = Vec::new();
    for g in &m.goals {
        let (tool, push) = if g.contains("jib") && g.ends_with(":build") {
            ("jib", true)
        } else if g.contains("jib") && (g.ends_with(":dockerBuild") || g.ends_with(":buildTar")) {
            ("jib", false)
        } else if g.starts_with("spring-boot:build-image") {
            (
                "spring-boot",
                m.prop_true("spring-boot.build-image.publish"),
            )
        } else {
            continue;
        };
        let mut tags = Vec::new();
        for k in ["image", "jib.to.image", "spring-boot.build-image.imageName"] {
            if let Some(v) = m.prop(k).filter(|v| !v.is_empty()) {
                tags.push(v.to_string());
            }
        }
        if let Some(t) = m.prop("jib.to.tags") {
            tags.extend(split_commas(&[t.to_string()]));
        }
        out.push(Meaning::ImageBuild(ImageBuild {
            tool: s(tool),
            tags,
            push,
            files: m.file.clone().into_iter().collect(),
            targets: m.modules.clone(),
            ..ImageBuild::default()
        }));
        break;
    }
    out
}

/// Gradle command line: tasks, excluded tasks, `-D`/`-P` properties and
/// task options (`--image=x`).
pub(crate) struct GradleArgs {
    pub tasks: Vec<String>,
    pub excluded: Vec<String>,
    pub props: Vec<(String, String)>,
    pub opts: Vec<(String, Option<String>)>,
}

pub(crate) fn gradle_args(args: &[String]) -> GradleArgs {
    const VAL: &[&str] = &[
        "-x",
        "--exclude-task",
        "-p",
        "--project-dir",
        "-b",
        "--build-file",
        "-c",
        "--settings-file",
        "-I",
        "--init-script",
        "-g",
        "--gradle-user-home",
        "--console",
        "--warning-mode",
        "--max-workers",
        "--include-build",
    ];
    let mut g = GradleArgs {
        tasks: Vec::new(),
        excluded: Vec::new(),
        props: Vec::new(),
        opts: Vec::new(),
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if let Some(pv) = a.strip_prefix("-D").or_else(|| a.strip_prefix("-P")) {
            let (k, v) = pv.split_once('=').unwrap_or((pv, ""));
            g.props.push((k.to_string(), v.to_string()));
            continue;
        }
        if VAL.contains(&a.as_str()) {
            let v = args.get(i).cloned();
            i += 1;
            if matches!(a.as_str(), "-x" | "--exclude-task") {
                g.excluded.extend(v);
            }
            continue;
        }
        if let Some(l) = a.strip_prefix("--") {
            match l.split_once('=') {
                Some((k, v)) => g.opts.push((k.to_string(), Some(v.to_string()))),
                None => g.opts.push((l.to_string(), None)),
            }
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        g.tasks.push(a.clone());
    }
    g
}

/// `:app:jibDockerBuild` → (`app`, `jibDockerBuild`).
pub(crate) fn gradle_task_name(t: &str) -> (Option<&str>, &str) {
    match t.rsplit_once(':') {
        Some((proj, name)) => {
            let proj = proj.trim_start_matches(':');
            (if proj.is_empty() { None } else { Some(proj) }, name)
        }
        None => (None, t),
    }
}

pub(crate) fn gradle(args: &[String]) -> Vec<Meaning> {
    let g = gradle_args(args);
    for t in &g.tasks {
        let (proj, name) = gradle_task_name(t);
        let (tool, push) = match name {
            "jib" => ("jib", true),
            "jibDockerBuild" | "jibBuildTar" => ("jib", false),
            "bootBuildImage" => (
                "spring-boot",
                g.opts
                    .iter()
                    .any(|(k, v)| k == "publishImage" && v.as_deref() != Some("false")),
            ),
            _ => continue,
        };
        let mut tags: Vec<String> = g
            .opts
            .iter()
            .filter(|(k, _)| k == "image" || k == "imageName")
            .filter_map(|(_, v)| v.clone())
            .collect();
        for (k, v) in &g.props {
            if (k == "jib.to.image" || k == "image") && !v.is_empty() {
                tags.push(v.clone());
            }
        }
        return vec![Meaning::ImageBuild(ImageBuild {
            tool: s(tool),
            tags,
            push,
            targets: proj.map(str::to_string).into_iter().collect(),
            ..ImageBuild::default()
        })];
    }
    Vec::new()
}

pub(crate) fn nixpacks(args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "ntoebsipcl",
        long_val: &[
            "name",
            "tag",
            "out",
            "platform",
            "env",
            "cache-key",
            "build-cmd",
            "start-cmd",
            "install-cmd",
            "pkgs",
            "apt",
            "libs",
            "config",
            "label",
            "cpu-quota",
            "memory",
            "docker-host",
            "docker-tls-verify",
            "docker-output",
            "docker-cert-path",
            "add-host",
            "cache-from",
            "inline-cache",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    if p.pos_at(0) != Some("build") {
        return Vec::new();
    }
    let mut tags = p.values(&["n", "name"]);
    tags.extend(p.values(&["t", "tag"]));
    vec![Meaning::ImageBuild(ImageBuild {
        tool: s("nixpacks"),
        context: p.pos.get(1).cloned(),
        tags,
        build_args: p.values(&["e", "env"]),
        platforms: split_commas(&p.values(&["platform"])),
        ..ImageBuild::default()
    })]
}

pub(crate) fn s2i(args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "eEcpv",
        long_val: &[
            "env",
            "environment-file",
            "context-dir",
            "pull-policy",
            "runtime-image",
            "runtime-artifact",
            "scripts-url",
            "destination",
            "assemble-user",
            "callback-url",
            "cap-drop",
            "ref",
            "network",
            "volume",
            "image-scripts-url",
            "as-dockerfile",
            "assemble-runtime-user",
            "builder-image",
            "loglevel",
            "add-host",
        ],
        ..Spec::default()
    };
    let p = parse(args, &spec);
    if p.pos_at(0) != Some("build") {
        return Vec::new();
    }
    vec![Meaning::ImageBuild(ImageBuild {
        tool: s("s2i"),
        context: p.pos.get(1).cloned(),
        tags: p.pos.get(3).cloned().into_iter().collect(),
        build_args: p.values(&["e", "env"]),
        ..ImageBuild::default()
    })]
}

pub(crate) fn earthly(args: &[String]) -> Vec<Meaning> {
    let spec = Spec {
        short_val: "s",
        long_val: &[
            "platform",
            "build-arg",
            "secret",
            "secret-file",
            "remote-cache",
            "org",
            "sat",
            "satellite",
            "config",
            "buildkit-host",
            "project",
            "buildkit-image",
            "auto-skip",
        ],
        stop_at_pos: true,
        ..Spec::default()
    };
    let p = parse(args, &spec);
    let Some(target) = p.pos.first().filter(|t| t.contains('+')) else {
        return Vec::new();
    };
    vec![Meaning::ImageBuild(ImageBuild {
        tool: s("earthly"),
        targets: vec![target.clone()],
        push: p.has(&["push"]),
        platforms: split_commas(&p.values(&["platform"])),
        build_args: p
            .rest
            .iter()
            .filter_map(|a| a.strip_prefix("--"))
            .map(str::to_string)
            .chain(p.values(&["build-arg"]))
            .collect(),
        ..ImageBuild::default()
    })]
}

const SKAFFOLD: Spec = Spec {
    short_val: "fpmtdnlbiaocqvw",
    long_val: &[
        "filename",
        "profile",
        "module",
        "tag",
        "default-repo",
        "kube-context",
        "kubeconfig",
        "namespace",
        "platform",
        "file-output",
        "build-image",
        "images",
        "build-artifacts",
        "label",
        "digest-source",
        "port-forward",
        "output",
        "insecure-registry",
        "remote-cache-dir",
        "rpc-port",
        "rpc-http-port",
        "trigger",
        "watch-image",
        "watch-poll-rate",
        "verbosity",
        "cache-file",
        "config",
        "color",
        "event-log-file",
        "last-log-file",
        "detect-minikube",
        "mute-logs",
        "sync-remote-cache",
        "wait-for-deletions-delay",
        "wait-for-deletions-max",
        "minikube-profile",
        "skip-tests",
        "propagate-profiles",
        "status-check",
    ],
    long_default_val: false,
    long_bool: &[],
    stop_at_pos: false,
    single_dash_long: false,
};

pub(crate) fn skaffold(args: &[String]) -> Vec<Meaning> {
    let p = parse(args, &SKAFFOLD);
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    let files = p.values(&["f", "filename"]);
    let mut targets = p.values(&["m", "module"]);
    targets.extend(p.values(&["b", "build-image"]));
    let build = |default_push: bool| {
        Meaning::ImageBuild(ImageBuild {
            tool: s("skaffold"),
            tags: p.values(&["t", "tag"]),
            push: p.flag(&["push"]).unwrap_or(default_push),
            platforms: split_commas(&p.values(&["platform"])),
            files: files.clone(),
            targets: targets.clone(),
            ..ImageBuild::default()
        })
    };
    let profiles = split_commas(&p.values(&["p", "profile"]));
    let deploy = |action: &str| {
        let mut images = p.values(&["i", "images"]);
        images.extend(p.values(&["a", "build-artifacts"]));
        Meaning::Deploy(Deploy {
            tool: s("skaffold"),
            action: s(action),
            images,
            files: files.clone(),
            namespace: p.value(&["n", "namespace"]),
            context: p
                .value(&["kube-context"])
                .or_else(|| profiles.first().cloned()),
            ..Deploy::default()
        })
    };
    match sub {
        "build" => vec![build(true)],
        "run" => vec![build(true), deploy("run")],
        "dev" => vec![build(false), deploy("dev")],
        "deploy" => vec![deploy("deploy")],
        "apply" => {
            let mut d = deploy("apply");
            if let Meaning::Deploy(dd) = &mut d {
                dd.files
                    .extend(p.pos.get(1..).unwrap_or(&[]).iter().cloned());
            }
            vec![d]
        }
        _ => Vec::new(),
    }
}

pub(crate) fn werf(args: &[String]) -> Vec<Meaning> {
    let p = parse(
        args,
        &Spec {
            long_default_val: true,
            long_bool: &[
                "dev",
                "follow",
                "skip-tls-verify-registry",
                "insecure-registry",
                "atomic",
                "require-built-images",
                "debug",
                "loose-giterminism",
                "auto-rollback",
                "final",
                "add-custom-tag",
                "disable-auto-host-cleanup",
                "skip-build",
                "platform-all",
                "save-build-report",
                "introspect-error",
            ],
            short_val: "n",
            ..Spec::default()
        },
    );
    let Some(sub) = p.pos_at(0) else {
        return Vec::new();
    };
    let repo = p.value(&["repo"]);
    let build = ImageBuild {
        tool: s("werf"),
        push: repo.is_some(),
        tags: repo.clone().into_iter().collect(),
        platforms: split_commas(&p.values(&["platform"])),
        files: p.values(&["config"]),
        targets: p.pos.get(1..).unwrap_or(&[]).to_vec(),
        ..ImageBuild::default()
    };
    match sub {
        "build" => vec![Meaning::ImageBuild(build)],
        "converge" => {
            let mut b = build;
            b.push = true;
            b.targets.clear();
            vec![
                Meaning::ImageBuild(b),
                Meaning::Deploy(Deploy {
                    tool: s("werf"),
                    action: s("converge"),
                    files: p.values(&["values"]),
                    namespace: p.value(&["n", "namespace"]),
                    context: p.value(&["kube-context"]).or_else(|| p.value(&["env"])),
                    release: p.value(&["release"]),
                    images: p
                        .values(&["set", "set-string"])
                        .into_iter()
                        .filter(|v| super::deploy::is_image_key_assignment(v))
                        .collect(),
                    ..Deploy::default()
                }),
            ]
        }
        _ => Vec::new(),
    }
}
