//! Classifier: what a container-related command means.
//!
//! Parsing never judges: these are facts about a command ("this builds an
//! image tagged X and pushes it"), not verdicts about the repository.

mod build;
mod deploy;
mod docker;
mod gitops;
mod testcmd;

use crate::parser::{basename, parse_into, Connector, SimpleCommand, MAX_DEPTH};

pub use testcmd::test_tool;

/// What a command means for containerization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    /// An image build (`docker build`, `buildah bud`, `pack build`, ...).
    ImageBuild(ImageBuild),
    /// `docker push` and its kin.
    ImagePush {
        /// The program that pushes.
        tool: String,
        /// The image references pushed, as written.
        images: Vec<String>,
    },
    /// `docker login` and its kin.
    RegistryLogin {
        /// The program that logs in.
        tool: String,
        /// The registry host, when named.
        registry: Option<String>,
    },
    /// `docker tag SOURCE TARGET`.
    ImageTag {
        /// The local image being tagged.
        source: String,
        /// The new name.
        target: String,
    },
    /// `docker run`/`podman run`; `command` is what follows the image.
    ImageRun {
        /// The program that runs the container.
        tool: String,
        /// The image reference, as written.
        image: String,
        /// The arguments after the image.
        command: Vec<String>,
    },
    /// A Compose CLI call.
    Compose(ComposeInvocation),
    /// A deployment (or a step of one).
    Deploy(Deploy),
    /// A step that rewrites the image reference in manifests.
    GitOpsBump {
        /// The program that rewrites (kustomize, yq, sed, ...).
        tool: String,
        /// The image reference written, when known.
        image: Option<String>,
        /// The manifest rewritten, when named.
        file: Option<String>,
    },
    /// container-structure-test, goss/dgoss.
    ContainerTest {
        /// The test program.
        tool: String,
    },
    /// A test runner on the host (or inside an `ImageRun`'s command).
    TestCommand {
        /// The test runner (pytest, go test, npm test, ...).
        tool: String,
    },
    /// A throwaway local cluster (kind, k3d, minikube, ctlptl, k3s or
    /// microk8s on the runner): created (`curl https://get.k3s.io | sh -`
    /// installs k3s), or given images (`kind load docker-image X`, `k3d
    /// image import X`, `minikube image load X`, `k3s ctr images import`).
    LocalCluster {
        /// kind, k3d, minikube, ctlptl, k3s or microk8s.
        tool: String,
        /// The images loaded into the cluster.
        images: Vec<String>,
    },
}

/// An image build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageBuild {
    /// docker, docker-buildx, docker-buildx-bake, podman, nerdctl, buildah,
    /// kaniko, buildctl, img, pack, ko, jib, spring-boot, nixpacks, skaffold,
    /// s2i, earthly, werf, gcloud-builds, az-acr, heroku, fly, kamal.
    pub tool: String,
    /// The Dockerfile named with `-f`/`--file`, as written.
    pub dockerfile: Option<String>,
    /// The build context, as written (`-` for stdin).
    pub context: Option<String>,
    /// The image references given with `-t`/`--tag`.
    pub tags: Vec<String>,
    /// The stage built with `--target`.
    pub target: Option<String>,
    /// The build pushes to a registry itself (`--push`, `-o type=registry`,
    /// kaniko without `--no-push`, `jib:build`, `pack --publish`, ...).
    pub push: bool,
    /// `--build-arg` values, as written.
    pub build_args: Vec<String>,
    /// `--platform` values.
    pub platforms: Vec<String>,
    /// Build definition files other than the Dockerfile: bake files,
    /// `skaffold.yaml`, `pom.xml` (`mvn -f`), ko/werf config, Cloud Build
    /// config.
    pub files: Vec<String>,
    /// Named build units: bake targets, skaffold artifacts/modules, ko import
    /// paths, Maven `-pl` modules, Gradle projects, earthly targets, Heroku
    /// process types.
    pub targets: Vec<String>,
    /// `--load` (buildx): the result goes to the local image store.
    pub load: bool,
}

/// A Compose CLI call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComposeInvocation {
    /// "docker compose" | "docker-compose" | "podman compose" | "podman-compose" | "nerdctl compose"
    pub tool: String,
    /// Compose files named with `-f`/`--file`.
    pub files: Vec<String>,
    /// `--project-directory`.
    pub project_dir: Option<String>,
    /// `--profile` values.
    pub profiles: Vec<String>,
    /// up, run, build, push, exec, down, ... ("" when absent).
    pub subcommand: String,
    /// Services named on the command line (for `run`/`exec`: the service).
    pub services: Vec<String>,
    /// Remote engine: `DOCKER_HOST` (not local/dind), `--context X`, `-H`,
    /// `ssh host docker compose ...` (as `ssh://host`).
    pub remote: Option<String>,
    /// `-d`/`--detach`.
    pub detach: bool,
    /// `-p/--project-name`.
    pub project_name: Option<String>,
    /// For `run`/`exec`: the command after the service.
    pub command: Vec<String>,
}

/// A deployment (or a step of one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deploy {
    /// kubectl, oc, helm, helmfile, kustomize, skaffold, ko, docker-stack,
    /// docker-service, docker-remote, compose-remote, gcloud-run,
    /// gcloud-deploy, aws-ecs, aws-lambda, fly, heroku, az-containerapp,
    /// az-webapp, nomad, argocd, flux, kubectl-argo-rollouts, werf, kapp,
    /// kamal, devspace, garden, copilot, okteto.
    pub tool: String,
    /// apply, create, replace, set-image, rollout, patch, run, upgrade,
    /// install, rollback, deploy, sync, set, reconcile, converge, update, ...
    pub action: String,
    /// Image references as written; for Helm/Argo CD parameters and Nomad
    /// variables, the image-related `key=value` assignments as written
    /// (`image.tag=$CI_COMMIT_SHA`).
    pub images: Vec<String>,
    /// Manifests, kustomization dirs (`-k`), values files, compose files,
    /// job files.
    pub files: Vec<String>,
    /// `-n`/`--namespace`.
    pub namespace: Option<String>,
    /// Kube context, Docker context/host, environment or target name.
    pub context: Option<String>,
    /// Release, service, app, stack or workload name.
    pub release: Option<String>,
    /// Helm chart (path or reference).
    pub chart: Option<String>,
}

/// Script-level state that changes what later commands mean.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ctx {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    /// Commands run on this host through `ssh`.
    pub ssh_host: Option<String>,
    pub depth: usize,
}

impl Ctx {
    fn with_env(&self, cmd: &SimpleCommand) -> Ctx {
        let mut c = self.clone();
        for (k, v) in cmd.env() {
            apply_var(&mut c, &k, Some(v));
        }
        c
    }

    /// The remote Docker engine these commands talk to, if any.
    pub fn remote(&self, host_flag: Option<&str>, context_flag: Option<&str>) -> Option<String> {
        if let Some(h) = host_flag.filter(|h| is_remote_host(h)) {
            return Some(h.to_string());
        }
        if let Some(c) = context_flag.filter(|c| is_remote_context(c)) {
            return Some(c.to_string());
        }
        if let Some(h) = self.ssh_host.as_deref() {
            return Some(format!("ssh://{h}"));
        }
        if let Some(h) = self.docker_host.as_deref().filter(|h| is_remote_host(h)) {
            return Some(h.to_string());
        }
        self.docker_context
            .as_deref()
            .filter(|c| is_remote_context(c))
            .map(str::to_string)
    }
}

fn apply_var(c: &mut Ctx, k: &str, v: Option<String>) {
    let v = v.filter(|v| !v.is_empty());
    match k {
        "DOCKER_HOST" => c.docker_host = v,
        "DOCKER_CONTEXT" => c.docker_context = v,
        _ => {}
    }
}

fn is_remote_context(c: &str) -> bool {
    !matches!(
        c,
        "" | "default" | "desktop-linux" | "desktop-windows" | "colima" | "rootless" | "orbstack"
    )
}

/// `ssh://...` always; `tcp://host` unless the host is local or the usual
/// CI docker-in-docker service name; `unix://` never.
pub(crate) fn is_remote_host(h: &str) -> bool {
    let h = h.trim();
    if h.is_empty() {
        return false;
    }
    if h.starts_with("ssh://") || h.starts_with('$') {
        return true;
    }
    if h.starts_with("unix://") || h.starts_with("npipe://") || h.starts_with("fd://") {
        return false;
    }
    let rest = h
        .strip_prefix("tcp://")
        .or_else(|| h.strip_prefix("https://"))
        .or_else(|| h.strip_prefix("http://"))
        .unwrap_or(h);
    let host = rest.split([':', '/']).next().unwrap_or(rest);
    !matches!(
        host,
        "" | "docker" | "dind" | "docker-dind" | "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]"
    )
}

pub(crate) fn s(x: &str) -> String {
    x.to_string()
}

/// Split comma-separated lists (`--platform linux/amd64,linux/arm64`).
pub(crate) fn split_commas(v: &[String]) -> Vec<String> {
    v.iter()
        .flat_map(|x| x.split(','))
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// `kind create cluster`, `kind load docker-image X...`, `k3d cluster
/// create`, `k3d image import X...`, `minikube start`, `minikube image
/// load X`, `ctlptl create cluster kind`.
fn local_cluster(tool: &str, args: &[String]) -> Vec<Meaning> {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let images = |skip: usize| -> Vec<String> {
        // Image arguments: the words after the subcommand that are not
        // flag values (flags with values are written `--name=x` or come
        // before the images in practice; `--name x` leaves `x` as a word,
        // which a later lookup simply does not find).
        let mut out = Vec::new();
        let mut it = args.iter().peekable();
        let mut seen = 0;
        while let Some(a) = it.next() {
            if a.starts_with('-') {
                if !a.contains('=')
                    && matches!(
                        a.as_str(),
                        "--name" | "-n" | "--cluster" | "-c" | "-p" | "--profile" | "--nodes"
                    )
                {
                    it.next();
                }
                continue;
            }
            seen += 1;
            if seen > skip {
                out.push(a.clone());
            }
        }
        out
    };
    let created = match tool {
        "kind" => words.starts_with(&["create", "cluster"]),
        "k3d" => words.starts_with(&["cluster", "create"]),
        "minikube" => words.first() == Some(&"start"),
        "ctlptl" => words.starts_with(&["create", "cluster"]) || words.first() == Some(&"apply"),
        _ => false,
    };
    if created {
        return vec![Meaning::LocalCluster {
            tool: s(tool),
            images: Vec::new(),
        }];
    }
    let loaded = match tool {
        "kind" if words.starts_with(&["load", "docker-image"]) => images(2),
        "k3d" if words.starts_with(&["image", "import"]) => images(2),
        "minikube" if words.starts_with(&["image", "load"]) => images(2),
        _ => return Vec::new(),
    };
    vec![Meaning::LocalCluster {
        tool: s(tool),
        images: loaded,
    }]
}

/// Whether a URL is the k3s install script (`https://get.k3s.io`).
fn is_k3s_installer(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest == "get.k3s.io" || rest.starts_with("get.k3s.io/")
}

/// What one command means. Usually zero or one meaning; a few commands mean
/// several things (`skaffold run` builds and deploys; `mvn verify jib:build`
/// tests and builds; a remote `docker compose up` is Compose and a deploy).
pub fn classify(cmd: &SimpleCommand) -> Vec<Meaning> {
    classify_in(cmd, &Ctx::default())
}

pub(crate) fn classify_in(cmd: &SimpleCommand, ctx: &Ctx) -> Vec<Meaning> {
    let ctx = ctx.with_env(cmd);
    let argv = cmd.argv();
    let mut out = classify_argv(argv, &ctx);
    if let Some(tool) = test_tool(argv) {
        out.push(Meaning::TestCommand { tool });
    }
    out
}

/// Classify words that are already split (wrappers not skipped).
pub(crate) fn classify_argv(argv: &[String], ctx: &Ctx) -> Vec<Meaning> {
    let Some(prog) = argv.first() else {
        return Vec::new();
    };
    // Makefile recipe prefixes (`@docker build`, `-docker rm`).
    let name = basename(prog).trim_start_matches(['@', '-', '+']);
    let args = argv.get(1..).unwrap_or(&[]);
    match name {
        "docker" | "podman" | "nerdctl" | "finch" => docker::docker_cli(name, args, ctx),
        "docker-compose" | "podman-compose" => docker::compose(name, args, ctx, None),
        "buildah" => docker::buildah(args),
        "img" => docker::img(args),
        "crane" | "gcrane" => docker::crane(args),
        "skopeo" => docker::skopeo(args),
        "regctl" => docker::regctl(args),
        "executor" | "kaniko" | "kaniko-executor" => build::kaniko(prog, args),
        "buildctl" | "buildctl-daemonless.sh" => build::buildctl(args),
        "pack" => build::pack(args),
        "ko" => build::ko(args),
        "mvn" | "mvnw" | "mvnd" => build::maven(args),
        "gradle" | "gradlew" => build::gradle(args),
        "nixpacks" => build::nixpacks(args),
        "s2i" => build::s2i(args),
        "earthly" => build::earthly(args),
        "skaffold" => build::skaffold(args),
        "werf" => build::werf(args),
        "kubectl" | "oc" | "kubecolor" => deploy::kubectl(name, args),
        "kind" | "k3d" | "ctlptl" => local_cluster(name, args),
        "minikube" if !matches!(args.first().map(String::as_str), Some("kubectl")) => {
            local_cluster(name, args)
        }
        "microk8s" | "k3s" | "minikube" => match args.first().map(String::as_str) {
            Some("kubectl" | "microk8s.kubectl") => {
                let rest = args.get(1..).unwrap_or(&[]);
                let rest = if rest.first().map(String::as_str) == Some("--") {
                    rest.get(1..).unwrap_or(&[])
                } else {
                    rest
                };
                deploy::kubectl("kubectl", rest)
            }
            // `k3s ctr images import x.tar`: images loaded into the
            // runner's own single-node cluster.
            Some("ctr") if name != "minikube" => {
                let words: Vec<&str> = args
                    .iter()
                    .skip(1)
                    .map(String::as_str)
                    .filter(|w| !w.starts_with('-'))
                    .collect();
                if matches!(words.as_slice(), ["images" | "image", "import", ..]) {
                    vec![Meaning::LocalCluster {
                        tool: s(name),
                        images: Vec::new(),
                    }]
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        },
        // `curl -sfL https://get.k3s.io | sh -`: k3s installed on the
        // runner, a throwaway single-node cluster.
        "curl" | "wget" if args.iter().any(|a| is_k3s_installer(a)) => {
            vec![Meaning::LocalCluster {
                tool: s("k3s"),
                images: Vec::new(),
            }]
        }
        "kubectl-argo-rollouts" => deploy::argo_rollouts(args),
        "kustomize" => gitops::kustomize(args),
        "helm" | "helm3" => deploy::helm(args),
        "helmfile" => deploy::helmfile(args),
        "gcloud" => deploy::gcloud(args),
        "aws" => deploy::aws(args),
        "ecs-deploy" => deploy::ecs_deploy(args),
        "ecs" => deploy::fabfuel_ecs(args),
        "fly" | "flyctl" => deploy::fly(args),
        "heroku" => deploy::heroku(args),
        "az" => deploy::az(args),
        "nomad" => deploy::nomad(args),
        "argocd" => deploy::argocd(args),
        "flux" => deploy::flux(args),
        "kapp" | "kamal" | "mrsk" | "devspace" | "garden" | "copilot" | "okteto" => {
            deploy::simple_deploy(name, args)
        }
        // FastAPI Cloud's CLI: `fastapi deploy` uploads the source.
        "fastapi" if args.first().map(String::as_str) == Some("deploy") => {
            deploy::simple_deploy(name, args)
        }
        // A Python project runner: `uv run fastapi deploy` runs the tool.
        "uv" | "poetry" | "pipenv" | "pdm" | "rye"
            if args.first().map(String::as_str) == Some("run") =>
        {
            let rest = args.get(1..).unwrap_or(&[]);
            let start = rest
                .iter()
                .position(|a| !a.starts_with('-'))
                .unwrap_or(rest.len());
            let rest = rest.get(start..).unwrap_or(&[]);
            if rest.is_empty() {
                Vec::new()
            } else {
                classify_argv(rest, ctx)
            }
        }
        "doctl" => deploy::doctl(args),
        "ssh" => ssh(args, ctx),
        "sshpass" => sshpass(args, ctx),
        "yq" => gitops::yq(args),
        "sed" | "gsed" => gitops::sed(args),
        "container-structure-test" => match args.first().map(String::as_str) {
            Some("test") | None => vec![Meaning::ContainerTest {
                tool: s("container-structure-test"),
            }],
            _ => Vec::new(),
        },
        "dgoss" | "dcgoss" | "kgoss" => match args.first().map(String::as_str) {
            Some("run" | "edit") => vec![Meaning::ContainerTest { tool: s(name) }],
            _ => Vec::new(),
        },
        "goss" => {
            let p = crate::args::parse(
                args,
                &crate::args::Spec {
                    short_val: "g",
                    long_val: &[
                        "gossfile",
                        "vars",
                        "vars-inline",
                        "package",
                        "format",
                        "sleep",
                    ],
                    ..Default::default()
                },
            );
            let sub = p.pos_at(0);
            match sub {
                Some("validate" | "v") => vec![Meaning::ContainerTest { tool: s("goss") }],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Classify the commands of a script given as text, run with `ctx`
/// (used for `ssh host '...'`).
fn classify_text(src: &str, ctx: &Ctx) -> Vec<Meaning> {
    if ctx.depth >= MAX_DEPTH {
        return Vec::new();
    }
    let mut cmds = Vec::new();
    parse_into(src, 0, ctx.depth + 1, true, &mut cmds);
    let mut inner = ctx.clone();
    inner.depth += 1;
    let mut out = Vec::new();
    for c in &cmds {
        update_ctx(&mut inner, c);
        out.extend(classify_in(c, &inner));
    }
    out
}

fn ssh(args: &[String], ctx: &Ctx) -> Vec<Meaning> {
    let spec = crate::args::Spec {
        short_val: "BbcDEeFIiJLlmOopQRSWw",
        stop_at_pos: true,
        ..Default::default()
    };
    let p = crate::args::parse(args, &spec);
    let Some(host) = p.pos.first() else {
        return Vec::new();
    };
    if p.rest.is_empty() {
        return Vec::new();
    }
    let user = p.value(&["l"]);
    let host = match user {
        Some(u) if !host.contains('@') => format!("{u}@{host}"),
        _ => host.clone(),
    };
    let mut inner = ctx.clone();
    inner.ssh_host = Some(host);
    classify_text(&p.rest.join(" "), &inner)
}

fn sshpass(args: &[String], ctx: &Ctx) -> Vec<Meaning> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-p" | "-f" | "-d" | "-P" => i += 2,
            _ if a.starts_with('-') => i += 1,
            _ => break,
        }
    }
    classify_argv(args.get(i..).unwrap_or(&[]), ctx)
}

/// Track `DOCKER_HOST`/`DOCKER_CONTEXT` assignments, `export`, `unset` and
/// `docker context use`.
pub(crate) fn update_ctx(ctx: &mut Ctx, cmd: &SimpleCommand) {
    if cmd.words.is_empty() {
        for (k, v) in &cmd.assignments {
            apply_var(ctx, k, Some(v.clone()));
        }
        return;
    }
    let argv = cmd.argv();
    let Some(name) = argv.first().map(|p| basename(p)) else {
        return;
    };
    let args = argv.get(1..).unwrap_or(&[]);
    match name {
        "export" | "declare" | "typeset" | "readonly" => {
            for a in args {
                if let Some((k, v)) = crate::parser::split_assignment(a) {
                    apply_var(ctx, k, Some(v.to_string()));
                }
            }
        }
        "unset" => {
            for a in args {
                apply_var(ctx, a, None);
            }
        }
        "docker" => {
            let pos: Vec<&str> = args
                .iter()
                .map(String::as_str)
                .filter(|a| !a.starts_with('-'))
                .collect();
            if let [.., "context", "use", c] = pos.as_slice() {
                ctx.docker_context = Some((*c).to_string());
            }
        }
        _ => {}
    }
}

/// The Dockerfile a command feeding a pipe names (`cat Dockerfile`,
/// `pack-context -- api/Dockerfile`): an argument named like one.
fn piped_dockerfile(cmd: &SimpleCommand) -> Option<String> {
    let argv = cmd.argv();
    argv.get(1..)?
        .iter()
        .filter(|a| !a.starts_with('-') && !a.contains('$'))
        .find(|a| {
            let n = basename(a);
            n == "Dockerfile"
                || n == "Containerfile"
                || n.starts_with("Dockerfile.")
                || n.ends_with(".Dockerfile")
                || n.ends_with(".dockerfile")
        })
        .cloned()
}

/// Commands whose output is manifests (for `... | kubectl apply -f -`).
fn renderer(cmd: &SimpleCommand) -> Option<(String, Option<String>)> {
    let argv = cmd.argv();
    let name = basename(argv.first()?);
    let args = argv.get(1..).unwrap_or(&[]);
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match name {
        "kustomize" if pos.first().map(|s| s.as_str()) == Some("build") => {
            Some((s("kustomize"), pos.get(1).map(|s| s.to_string())))
        }
        "kubectl" | "oc" if pos.first().map(|s| s.as_str()) == Some("kustomize") => {
            Some((s("kustomize"), pos.get(1).map(|s| s.to_string())))
        }
        "helm" if pos.first().map(|s| s.as_str()) == Some("template") => {
            Some((s("helm"), pos.get(2).or(pos.get(1)).map(|s| s.to_string())))
        }
        "ko" if pos.first().map(|s| s.as_str()) == Some("resolve") => Some((s("ko"), None)),
        _ => None,
    }
}

/// Parse and classify a whole script. Each meaning carries the 0-based line
/// of its command. Understands script-level state: `export DOCKER_HOST=...`,
/// `docker context use X`, and `kustomize build dir | kubectl apply -f -`
/// (reported as a `kustomize` deploy of `dir`).
pub fn classify_script(src: &str) -> Vec<(u32, Meaning)> {
    let script = crate::parser::parse_script(src);
    let mut ctx = Ctx::default();
    let mut out = Vec::new();
    for (i, cmd) in script.commands.iter().enumerate() {
        update_ctx(&mut ctx, cmd);
        let mut ms = classify_in(cmd, &ctx);
        if cmd.connector == Connector::Pipe {
            let prev = script
                .commands
                .get(..i)
                .unwrap_or(&[])
                .iter()
                .rev()
                .find(|c| c.nested == cmd.nested);
            // `tool ... path/Dockerfile | docker build -`: the build reads
            // its Dockerfile (or a context holding it) from the pipe.
            if let Some(file) = prev.and_then(piped_dockerfile) {
                for m in &mut ms {
                    if let Meaning::ImageBuild(b) = m {
                        if b.context.as_deref() == Some("-") && b.dockerfile.is_none() {
                            b.dockerfile = Some(file.clone());
                        }
                    }
                }
            }
            if let Some((tool, src_path)) = prev.and_then(renderer) {
                for m in &mut ms {
                    if let Meaning::Deploy(d) = m {
                        if matches!(d.tool.as_str(), "kubectl" | "oc")
                            && d.files.iter().any(|f| f == "-")
                        {
                            d.tool = tool.clone();
                            d.files.retain(|f| f != "-");
                            if let Some(p) = &src_path {
                                d.files.insert(0, p.clone());
                            }
                        }
                    }
                }
            }
        }
        out.extend(ms.into_iter().map(|m| (cmd.line, m)));
    }
    out
}

#[cfg(test)]
mod tests;
