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

use super::{Graph, ImageDefKind};
use crate::parse::dockerfile::{Args, DockerfileFile, Keyword};
use crate::parse::k8s::{Container, IngressBackend, K8sObject, PortRef, ServicePort};
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

/// The chain of every service that has one listening port and at least
/// one other link.
/// A Kubernetes Service's namespace and one of its selector labels.
type LabelKey<'a> = (Option<&'a str>, &'a (String, String));
/// A namespace and a Service name.
type IngressKey<'a> = (Option<&'a str>, &'a str);
/// An Ingress and one of its backends.
type IngressRef<'a> = (&'a K8sObject, &'a IngressBackend);

pub fn chains(facts: &Facts, g: &Graph) -> Vec<PortChain> {
    let mut out = Vec::new();
    // Indices built once, so the chains stay linear in the number of
    // services, workloads and Kubernetes Services.
    let mut workloads_by_component: std::collections::HashMap<usize, Vec<usize>> =
        Default::default();
    for (i, o) in facts.orchestration.objects.iter().enumerate() {
        if !o.is_workload() {
            continue;
        }
        let mut comps: Vec<usize> = o
            .containers
            .iter()
            .filter(|c| !c.init)
            .flat_map(|c| g.components_for_image(&c.image))
            .collect();
        comps.sort_unstable();
        comps.dedup();
        for c in comps {
            workloads_by_component.entry(c).or_default().push(i);
        }
    }
    // Services with a selector, by namespace and each selector label.
    let mut services_by_label: std::collections::HashMap<LabelKey<'_>, Vec<usize>> =
        Default::default();
    for (i, o) in facts.orchestration.objects.iter().enumerate() {
        if o.kind == "Service" && !o.selector.is_empty() {
            for kv in &o.selector {
                services_by_label
                    .entry((o.namespace.as_deref(), kv))
                    .or_default()
                    .push(i);
            }
        }
    }
    // Ingress backends by namespace and Service name.
    let mut ingresses: std::collections::HashMap<IngressKey<'_>, Vec<IngressRef<'_>>> =
        Default::default();
    for o in facts
        .orchestration
        .objects
        .iter()
        .filter(|o| o.kind == "Ingress")
    {
        for b in &o.ingress_backends {
            ingresses
                .entry((o.namespace.as_deref(), b.service.as_str()))
                .or_default()
                .push((o, b));
        }
    }
    for (si, svc) in g.services.iter().enumerate() {
        let Some(ci) = g.component_of_service(si) else {
            continue;
        };
        let Some(comp) = g.components.get(ci) else {
            continue;
        };
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
        for l in g
            .compose_links_of(ci)
            .iter()
            .filter_map(|&i| g.compose_links.get(i))
        {
            let Some(cs) = facts
                .compose
                .get(l.project)
                .and_then(|p| p.services.get(l.service_index))
            else {
                continue;
            };
            if !cs.env_files.is_empty() {
                env_elsewhere = true;
            }
            for e in &cs.environment {
                if e.value.is_none() {
                    // Passed through from the environment: unknown here.
                    env.push((
                        e.key.clone(),
                        EnvValue {
                            value: String::new(),
                            at: format!("{}:{}", e.file, e.line),
                        },
                    ));
                }
                if let Some(v) = &e.value {
                    env.push((
                        e.key.clone(),
                        EnvValue {
                            value: v.clone(),
                            at: format!("{}:{}", e.file, e.line),
                        },
                    ));
                }
            }
            for p in &cs.ports {
                if let Some(ports) = range(&p.container) {
                    links.push(PortLink {
                        kind: LinkKind::ComposePorts,
                        file: p.file.clone(),
                        line: p.line,
                        ports,
                        how: format!("service `{}`", cs.name),
                    });
                }
            }
            for e in &cs.expose {
                let v = e.value.split('/').next().unwrap_or(&e.value);
                if let Some(ports) = range(v) {
                    links.push(PortLink {
                        kind: LinkKind::ComposeExpose,
                        file: e.file.clone(),
                        line: e.line,
                        ports,
                        how: format!("service `{}`", cs.name),
                    });
                }
            }
            if let Some(h) = cs.healthcheck.as_ref().filter(|h| !h.disabled) {
                if let Some((test, line)) = &h.test {
                    if let Some(p) = healthcheck_port(test) {
                        links.push(PortLink {
                            kind: LinkKind::ComposeHealthcheck,
                            file: h.file.clone(),
                            line: *line,
                            ports: vec![p],
                            how: format!("service `{}`", cs.name),
                        });
                    }
                }
            }
        }
        let workloads: Vec<&K8sObject> = workloads_by_component
            .get(&ci)
            .map(|v| {
                v.iter()
                    .filter_map(|&i| facts.orchestration.objects.get(i))
                    .collect()
            })
            .unwrap_or_default();
        for w in &workloads {
            env_elsewhere = true;
            for c in w
                .containers
                .iter()
                .filter(|c| !c.init && g.components_for_image(&c.image).contains(&ci))
            {
                for (k, v, line) in &c.env {
                    if let Some(v) = v {
                        env.push((
                            k.clone(),
                            EnvValue {
                                value: v.clone(),
                                at: format!("{}:{line}", w.file),
                            },
                        ));
                    }
                }
                let ports: Vec<u16> = c
                    .ports
                    .iter()
                    .filter_map(|(p, _)| u16::try_from(*p).ok())
                    .collect();
                if !ports.is_empty() {
                    links.push(PortLink {
                        kind: LinkKind::ContainerPort,
                        file: w.file.clone(),
                        line: c.line,
                        ports,
                        how: format!("{} `{}`, container `{}`", w.kind, w.name, c.name),
                    });
                }
                for probe in &c.probes {
                    let Some(p) = container_port(&probe.port, &[c]) else {
                        continue;
                    };
                    links.push(PortLink {
                        kind: LinkKind::Probe,
                        file: w.file.clone(),
                        line: probe.line,
                        ports: vec![p],
                        how: format!(
                            "{} `{}`, container `{}`, {} {}{}",
                            w.kind,
                            w.name,
                            c.name,
                            probe.kind,
                            probe.handler,
                            named(&probe.port)
                        ),
                    });
                }
            }
            let pod: Vec<&Container> = w.containers.iter().filter(|c| !c.init).collect();
            // Ports of the pod's other containers (a proxy sidecar): a
            // Service port sent there is not this image's link.
            let sidecar_ports: Vec<u16> = pod
                .iter()
                .filter(|c| !g.components_for_image(&c.image).contains(&ci))
                .flat_map(|c| c.ports.iter())
                .filter_map(|(p, _)| u16::try_from(*p).ok())
                .collect();
            // Services selecting the workload's pods.
            let mut selecting: Vec<usize> = w
                .pod_labels
                .iter()
                .filter_map(|kv| services_by_label.get(&(w.namespace.as_deref(), kv)))
                .flatten()
                .copied()
                .collect();
            selecting.sort_unstable();
            selecting.dedup();
            for s in selecting
                .iter()
                .filter_map(|&i| facts.orchestration.objects.get(i))
                .filter(|o| o.selector.iter().all(|kv| w.pod_labels.contains(kv)))
            {
                for sp in &s.service_ports {
                    let Some((p, how)) = target_port(sp, &pod) else {
                        continue;
                    };
                    if sidecar_ports.contains(&p) {
                        continue;
                    }
                    links.push(PortLink {
                        kind: LinkKind::TargetPort,
                        file: s.file.clone(),
                        line: sp.line,
                        ports: vec![p],
                        how: format!("Service `{}`{how}", s.name),
                    });
                }
                // Ingresses sending to this Service, through one of its
                // ports to the pod.
                for b in ingresses
                    .get(&(s.namespace.as_deref(), s.name.as_str()))
                    .into_iter()
                    .flatten()
                {
                    let (ingress, backend) = *b;
                    let Some(sp) = s.service_ports.iter().find(|sp| match &backend.port {
                        PortRef::Number(n) => sp.port == *n,
                        PortRef::Name(n) => sp.name.as_deref() == Some(n.as_str()),
                        PortRef::Unset => false,
                    }) else {
                        continue;
                    };
                    let Some((p, how)) = target_port(sp, &pod) else {
                        continue;
                    };
                    if sidecar_ports.contains(&p) {
                        continue;
                    }
                    links.push(PortLink {
                        kind: LinkKind::Ingress,
                        file: ingress.file.clone(),
                        line: backend.line,
                        ports: vec![p],
                        how: format!(
                            "Ingress `{}` -> Service `{}` port {}{how}",
                            ingress.name, s.name, sp.port
                        ),
                    });
                }
            }
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
        let mut seen = std::collections::HashSet::new();
        links.retain(|l| seen.insert((l.kind, l.file.clone(), l.line, l.ports.clone())));
        // Code first, then each hop towards the outside (the enum's
        // order), each kind by file and line.
        links.sort_by(|a, b| (a.kind as u8, &a.file, a.line).cmp(&(b.kind as u8, &b.file, b.line)));
        let chain = PortChain {
            service: svc.path.clone(),
            name: svc.name.clone(),
            links,
        };
        if !chain.listening().is_empty() && chain.links.len() > 1 {
            out.push(chain);
        }
    }
    out
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

/// The number a port reference stands for in a pod: a number, or the
/// `containerPort` of that name.
fn container_port(port: &PortRef, pod: &[&Container]) -> Option<u16> {
    match port {
        PortRef::Number(n) => u16::try_from(*n).ok(),
        PortRef::Name(name) => pod
            .iter()
            .flat_map(|c| c.named_ports.iter())
            .find(|(n, _)| n == name)
            .and_then(|(_, p)| u16::try_from(*p).ok()),
        PortRef::Unset => None,
    }
}

/// ` (named `http`)` for a named port.
fn named(port: &PortRef) -> String {
    match port {
        PortRef::Name(n) => format!(" (named `{n}`)"),
        _ => String::new(),
    }
}

/// The pod port a Service port sends to: its `targetPort` (a number, or
/// a named `containerPort` of the pod), else its `port`. `None` when the
/// target is written some other way (a template) or names no port.
fn target_port(sp: &ServicePort, pod: &[&Container]) -> Option<(u16, String)> {
    match sp.target_port.as_deref() {
        None => Some((
            u16::try_from(sp.port).ok()?,
            format!(", no targetPort: port {}", sp.port),
        )),
        Some(t) => {
            let r = PortRef::of(Some(t));
            Some((container_port(&r, pod)?, named(&r)))
        }
    }
}

/// The local port a Compose healthcheck calls (`curl -f
/// http://localhost:8080/health`, `wget -qO- 127.0.0.1:3000`, `nc -z
/// localhost 5432` is not read): the one port when exactly one is named.
fn healthcheck_port(test: &str) -> Option<u16> {
    let re = crate::parse::runtime::re!(
        r"(?:^|[\s/@'\x22])(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d{1,5})\b"
    )?;
    let mut ports: Vec<u16> = re
        .captures_iter(test)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    ports.sort_unstable();
    ports.dedup();
    match ports.as_slice() {
        [p] if *p > 0 => Some(*p),
        _ => None,
    }
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
