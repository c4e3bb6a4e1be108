//! One port chain per service (SPEC 3): the port its code listens on
//! (from the framework's own call or config, following `PORT`-style
//! variables to the value the Dockerfile, Compose or Kubernetes gives
//! them), the Dockerfile's `EXPOSE`, Compose `ports`/`expose` and
//! healthchecks that name a local port, and, for the Kubernetes workloads
//! running its image, their `containerPort`s, probes, the `targetPort`s
//! of the Services selecting them and the Ingress backends sending to
//! those Services (named ports resolved to numbers). Each link keeps its
//! file and line. Facts joined, nothing judged: `KR511` judges the chain,
//! `kubeready graph` and the reports show it. Computed once per audit,
//! with the graph ([`super::Graph::port_chains`]).

mod compose;
mod k8s;

use super::{Graph, ImageDefKind};
use crate::parse::dockerfile::{Args, DockerfileFile, Keyword};
use crate::parse::runtime::{server_command, SignalKind};
use crate::parse::Facts;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// The port the code listens on.
    Code,
    /// The image's start command names it (`--port`, `--bind`).
    Command,
    Expose,
    ComposePorts,
    ComposeExpose,
    /// A Compose `healthcheck` that calls a local port.
    ComposeHealthcheck,
    ContainerPort,
    /// A liveness, readiness or startup probe's port.
    Probe,
    TargetPort,
    /// An Ingress backend, followed through its Service to the target port.
    Ingress,
}

impl LinkKind {
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Code => "listens on",
            LinkKind::Command => "start command listens on",
            LinkKind::Expose => "EXPOSE",
            LinkKind::ComposePorts => "Compose ports (container side)",
            LinkKind::ComposeExpose => "Compose expose",
            LinkKind::ComposeHealthcheck => "Compose healthcheck",
            LinkKind::ContainerPort => "containerPort",
            LinkKind::Probe => "probe",
            LinkKind::TargetPort => "Service targetPort",
            LinkKind::Ingress => "Ingress backend",
        }
    }

    /// Links that only check health: they may call a second port of the
    /// application (a management port), so a port they name counts as
    /// listening when another kind of link names it too.
    pub fn checks_health(self) -> bool {
        matches!(self, LinkKind::ComposeHealthcheck | LinkKind::Probe)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PortLink {
    pub kind: LinkKind,
    pub file: String,
    pub line: u32,
    /// The ports this link names (a range is its two ends).
    pub ports: Vec<u16>,
    /// How the port was found, e.g. `PORT=8080 (compose.yaml:7), default 3000`.
    pub how: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PortChain {
    /// The service's folder (`""` for the root).
    pub service: String,
    pub name: String,
    pub links: Vec<PortLink>,
}

impl PortChain {
    /// Ports the application listens on, from the start command when it
    /// names one (it overrides what the code would default to), else
    /// from the code.
    pub fn listening(&self) -> Vec<u16> {
        let of = |k: LinkKind| -> Vec<u16> {
            self.links
                .iter()
                .filter(|l| l.kind == k)
                .flat_map(|l| l.ports.iter().copied())
                .collect()
        };
        let cmd = of(LinkKind::Command);
        if cmd.is_empty() {
            of(LinkKind::Code)
        } else {
            cmd
        }
    }
}

/// A value an environment variable gets, with where.
struct EnvValue {
    value: String,
    at: String,
}

impl EnvValue {
    fn new(value: &str, file: &str, line: u32) -> EnvValue {
        EnvValue {
            value: value.to_string(),
            at: format!("{file}:{line}"),
        }
    }
}

/// The chain of every service that has one listening port and at least
/// one other link.
pub fn chains(facts: &Facts, g: &Graph) -> Vec<PortChain> {
    // Kubernetes indices built once, so the chains stay linear in the
    // number of services, workloads, Services and Ingresses.
    let kube = k8s::Index::new(facts, g);
    // One service's chain reads only facts, graph and indices: the
    // services are shared out over the cores.
    let services: Vec<usize> = (0..g.services.len()).collect();
    crate::par::map(&services, |&si| chain_of(facts, g, &kube, si))
        .into_iter()
        .flatten()
        .collect()
}

/// The chain of service `si`, when it listens and has more than one link.
fn chain_of(facts: &Facts, g: &Graph, kube: &k8s::Index, si: usize) -> Option<PortChain> {
    let svc = g.services.get(si)?;
    let ci = g.component_of_service(si)?;
    let comp = g.components.get(ci)?;
    let mut links: Vec<PortLink> = Vec::new();
    let mut env: Vec<(String, EnvValue)> = Vec::new();
    // Unknown variables: an env file or a workload that may take
    // variables from elsewhere (`envFrom`).
    let mut env_elsewhere = false;
    let mut starts: Vec<(String, u32, Vec<String>)> = Vec::new();
    for d in comp
        .image_defs
        .iter()
        .filter_map(|d| g.image_defs.get(*d))
        .filter(|d| d.kind == ImageDefKind::Dockerfile)
    {
        let Some(df) = facts.dockerfile(&d.file) else {
            continue;
        };
        dockerfile_links(df, &mut links, &mut env, &mut starts);
    }
    if compose::links(facts, g, ci, &mut links, &mut env) {
        env_elsewhere = true;
    }
    if kube.links(facts, g, ci, &mut links, &mut env) {
        env_elsewhere = true;
    }
    // The start command (`gunicorn --bind 0.0.0.0:8000`, ...).
    for (file, line, words) in &starts {
        let sc = server_command(words);
        if let Some(tool) = sc.tool {
            if let Some((p, how)) = resolve(sc.port, sc.port_env.as_deref(), &env, false) {
                links.push(PortLink {
                    kind: LinkKind::Command,
                    file: file.clone(),
                    line: *line,
                    ports: vec![p],
                    how: format!("`{tool}`{how}"),
                });
            }
        }
    }
    for s in facts.runtime.of(&svc.path) {
        if let SignalKind::ListenPort { port, env: var } = &s.kind {
            if let Some((p, how)) = resolve(*port, var.as_deref(), &env, env_elsewhere) {
                links.push(PortLink {
                    kind: LinkKind::Code,
                    file: s.file.clone(),
                    line: s.line,
                    ports: vec![p],
                    how: if how.is_empty() {
                        s.excerpt.clone()
                    } else {
                        how.trim_start_matches(", ").to_string()
                    },
                });
            }
        }
    }
    let keep: Vec<bool> = {
        let mut seen: crate::fast_hash::FastSet<_> = Default::default();
        links
            .iter()
            .map(|l| seen.insert((l.kind, l.file.as_str(), l.line, l.ports.as_slice())))
            .collect()
    };
    let mut keep = keep.into_iter();
    links.retain(|_| keep.next().unwrap_or(true));
    // Code first, then each hop towards the outside (the enum's
    // order), each kind by file and line.
    links.sort_by(|a, b| (a.kind as u8, &a.file, a.line).cmp(&(b.kind as u8, &b.file, b.line)));
    let chain = PortChain {
        service: svc.path.clone(),
        name: svc.name.clone(),
        links,
    };
    (!chain.listening().is_empty() && chain.links.len() > 1).then_some(chain)
}

/// The port a listening link resolves to: the value its variable gets
/// (one value, or several equal ones), else its default when nothing
/// else may set the variable.
fn resolve(
    port: Option<u16>,
    var: Option<&str>,
    env: &[(String, EnvValue)],
    env_elsewhere: bool,
) -> Option<(u16, String)> {
    let Some(var) = var else {
        return port.map(|p| (p, String::new()));
    };
    let values: Vec<&EnvValue> = env
        .iter()
        .filter(|(k, _)| k == var)
        .map(|(_, v)| v)
        .collect();
    if let Some(first) = values.first() {
        let p: u16 = first.value.trim().parse().ok()?;
        if values.iter().any(|v| v.value.trim() != first.value.trim()) {
            return None;
        }
        return Some((p, format!(", {var}={p} ({})", first.at)));
    }
    if env_elsewhere {
        return None;
    }
    port.map(|p| (p, format!(", {var} unset, default {p}")))
}

/// `8080` or `8000-8010` (both ends).
fn range(s: &str) -> Option<Vec<u16>> {
    let s = s.trim();
    match s.split_once('-') {
        Some((a, b)) => Some(vec![a.trim().parse().ok()?, b.trim().parse().ok()?]),
        None => Some(vec![s.parse().ok()?]),
    }
}

/// The final stage (with the stages it is built on): `EXPOSE` links,
/// `ENV`/`ARG` values, and the last `ENTRYPOINT`/`CMD` words.
fn dockerfile_links(
    df: &DockerfileFile,
    links: &mut Vec<PortLink>,
    env: &mut Vec<(String, EnvValue)>,
    starts: &mut Vec<(String, u32, Vec<String>)>,
) {
    let stages = df.dockerfile.stages();
    let Some(mut stage) = stages.last() else {
        return;
    };
    let mut chain = vec![stage];
    for _ in 0..16 {
        let base = stage.base.to_ascii_lowercase();
        match stages[..stage.index]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(base.as_str()))
        {
            Some(s) => {
                chain.push(s);
                stage = s;
            }
            None => break,
        }
    }
    let mut vars: Vec<(String, String)> = df
        .dockerfile
        .global_args()
        .into_iter()
        .filter_map(|(kv, _)| kv.value.map(|v| (kv.key, v)))
        .collect();
    let mut entry: Option<(u32, Vec<String>)> = None;
    let mut cmd: Option<(u32, Vec<String>)> = None;
    for st in chain.iter().rev() {
        for ins in df
            .dockerfile
            .instructions
            .get(st.instructions.clone())
            .unwrap_or_default()
        {
            match (&ins.keyword, &ins.args) {
                (Keyword::Env | Keyword::Arg, Args::KeyValues(kvs)) => {
                    for kv in kvs {
                        if let Some(v) = &kv.value {
                            let v = expand(v, &vars).unwrap_or_default();
                            if ins.keyword == Keyword::Env {
                                env.push((
                                    kv.key.clone(),
                                    EnvValue {
                                        value: v.clone(),
                                        at: format!("{}:{}", df.path, ins.line),
                                    },
                                ));
                            }
                            vars.push((kv.key.clone(), v));
                        }
                    }
                }
                (Keyword::Expose, _) => {
                    let mut ports = Vec::new();
                    for w in ins.words() {
                        let Some(w) = expand(&w, &vars) else {
                            return;
                        };
                        for piece in w.split_whitespace() {
                            let p = piece.split('/').next().unwrap_or(piece);
                            match range(p) {
                                Some(r) => ports.extend(r),
                                None => return,
                            }
                        }
                    }
                    links.push(PortLink {
                        kind: LinkKind::Expose,
                        file: df.path.clone(),
                        line: ins.line,
                        ports,
                        how: String::new(),
                    });
                }
                (Keyword::Entrypoint, _) => entry = Some((ins.line, ins.words())),
                (Keyword::Cmd, _) => cmd = Some((ins.line, ins.words())),
                _ => {}
            }
        }
    }
    for (line, words) in [entry, cmd].into_iter().flatten() {
        // Shell form comes as one string: split it.
        let words: Vec<String> = words
            .iter()
            .flat_map(|w| w.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .map(|w| expand(&w, &vars).unwrap_or(w))
            .collect();
        starts.push((df.path.clone(), line, words));
    }
}

/// `$X`/`${X}` replaced by known values; `None` when one is unknown.
fn expand(s: &str, vars: &[(String, String)]) -> Option<String> {
    if !s.contains('$') {
        return Some(s.to_string());
    }
    let missed = std::cell::Cell::new(false);
    let lookup = |name: &str| match vars.iter().rev().find(|(k, _)| k == name) {
        Some((_, v)) => Some(v.clone()),
        None => {
            missed.set(true);
            None
        }
    };
    let out = kubeready_dockerfile::expand_args(s, &lookup);
    (!missed.get()).then_some(out)
}
