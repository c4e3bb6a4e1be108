//! Port links from the Kubernetes workloads that run a component: their
//! containers' `containerPort`s and probes, the `targetPort`s of the
//! Services selecting their pods, and the Ingress backends sending to
//! those Services; and the variables the containers' `env` sets. Named
//! ports are resolved to the pod's `containerPort` of that name.

use super::{EnvValue, LinkKind, PortLink};
use crate::graph::Graph;
use crate::parse::k8s::{Container, IngressBackend, K8sObject, PortRef, ServicePort};
use crate::parse::Facts;
use std::collections::HashMap;

/// A Kubernetes Service's namespace and one of its selector labels.
type LabelKey<'a> = (Option<&'a str>, &'a (String, String));
/// A namespace and a Service name.
type IngressKey<'a> = (Option<&'a str>, &'a str);
/// An Ingress and one of its backends.
type IngressRef<'a> = (&'a K8sObject, &'a IngressBackend);

/// The objects a chain looks up, indexed once per audit so the chains
/// stay linear in the number of workloads, Services and Ingresses.
pub(super) struct Index<'f> {
    /// Workloads (indices into the objects) by the components their
    /// containers run.
    workloads: HashMap<usize, Vec<usize>>,
    /// Services with a selector, by namespace and each selector label.
    services: HashMap<LabelKey<'f>, Vec<usize>>,
    /// Ingress backends by namespace and Service name.
    ingresses: HashMap<IngressKey<'f>, Vec<IngressRef<'f>>>,
}

impl<'f> Index<'f> {
    pub(super) fn new(facts: &'f Facts, g: &Graph) -> Index<'f> {
        let mut ix = Index {
            workloads: HashMap::new(),
            services: HashMap::new(),
            ingresses: HashMap::new(),
        };
        for (i, o) in facts.orchestration.objects.iter().enumerate() {
            if o.is_workload() {
                let mut comps: Vec<usize> = o
                    .containers
                    .iter()
                    .filter(|c| !c.init)
                    .flat_map(|c| g.components_for_image(&c.image))
                    .collect();
                comps.sort_unstable();
                comps.dedup();
                for c in comps {
                    ix.workloads.entry(c).or_default().push(i);
                }
            } else if o.kind == "Service" {
                for kv in &o.selector {
                    ix.services
                        .entry((o.namespace.as_deref(), kv))
                        .or_default()
                        .push(i);
                }
            } else if o.kind == "Ingress" {
                for b in &o.ingress_backends {
                    ix.ingresses
                        .entry((o.namespace.as_deref(), b.service.as_str()))
                        .or_default()
                        .push((o, b));
                }
            }
        }
        ix
    }

    /// Adds the links and variables of the workloads running component
    /// `ci`; `true` when there is one (a workload may take variables from
    /// elsewhere: `envFrom`, a ConfigMap).
    pub(super) fn links(
        &self,
        facts: &Facts,
        g: &Graph,
        ci: usize,
        links: &mut Vec<PortLink>,
        env: &mut Vec<(String, EnvValue)>,
    ) -> bool {
        let workloads = self
            .workloads
            .get(&ci)
            .into_iter()
            .flatten()
            .filter_map(|&i| facts.orchestration.objects.get(i));
        let mut any = false;
        for w in workloads {
            any = true;
            let runs_it = |c: &Container| g.components_for_image(&c.image).contains(&ci);
            for c in w.containers.iter().filter(|c| !c.init && runs_it(c)) {
                container_links(w, c, links, env);
            }
            let pod: Vec<&Container> = w.containers.iter().filter(|c| !c.init).collect();
            // Ports of the pod's other containers (a proxy sidecar): a
            // Service port sent there is not this image's link.
            let sidecar_ports: Vec<u16> = pod
                .iter()
                .filter(|c| !runs_it(c))
                .flat_map(|c| c.ports.iter())
                .filter_map(|(p, _)| u16::try_from(*p).ok())
                .collect();
            let mut to_pod =
                |kind: LinkKind, file: &str, line: u32, sp: &ServicePort, how: String| {
                    let Some((p, named)) = target_port(sp, &pod) else {
                        return;
                    };
                    if !sidecar_ports.contains(&p) {
                        links.push(PortLink {
                            kind,
                            file: file.to_string(),
                            line,
                            ports: vec![p],
                            how: format!("{how}{named}"),
                        });
                    }
                };
            for s in self.selecting(facts, w) {
                for sp in &s.service_ports {
                    to_pod(
                        LinkKind::TargetPort,
                        &s.file,
                        sp.line,
                        sp,
                        format!("Service `{}`", s.name),
                    );
                }
                // Ingresses sending to this Service, through one of its
                // ports to the pod.
                let key = (s.namespace.as_deref(), s.name.as_str());
                for (ingress, backend) in self.ingresses.get(&key).into_iter().flatten() {
                    let Some(sp) = s.service_ports.iter().find(|sp| match &backend.port {
                        PortRef::Number(n) => sp.port == *n,
                        PortRef::Name(n) => sp.name.as_deref() == Some(n.as_str()),
                        PortRef::Unset => false,
                    }) else {
                        continue;
                    };
                    to_pod(
                        LinkKind::Ingress,
                        &ingress.file,
                        backend.line,
                        sp,
                        format!(
                            "Ingress `{}` -> Service `{}` port {}",
                            ingress.name, s.name, sp.port
                        ),
                    );
                }
            }
        }
        any
    }

    /// The Services whose selector selects the workload's pods.
    fn selecting<'a>(&'a self, facts: &'f Facts, w: &'a K8sObject) -> Vec<&'f K8sObject> {
        let mut selecting: Vec<usize> = w
            .pod_labels
            .iter()
            .filter_map(|kv| self.services.get(&(w.namespace.as_deref(), kv)))
            .flatten()
            .copied()
            .collect();
        selecting.sort_unstable();
        selecting.dedup();
        selecting
            .iter()
            .filter_map(|&i| facts.orchestration.objects.get(i))
            .filter(|o| o.selector.iter().all(|kv| w.pod_labels.contains(kv)))
            .collect()
    }
}

/// A container's `env` values, `containerPort`s and probes.
fn container_links(
    w: &K8sObject,
    c: &Container,
    links: &mut Vec<PortLink>,
    env: &mut Vec<(String, EnvValue)>,
) {
    for (k, v, line) in &c.env {
        if let Some(v) = v {
            env.push((k.clone(), EnvValue::new(v, &w.file, *line)));
        }
    }
    let at = format!("{} `{}`, container `{}`", w.kind, w.name, c.name);
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
            how: at.clone(),
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
                "{at}, {} {}{}",
                probe.kind,
                probe.handler,
                named(&probe.port)
            ),
        });
    }
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
