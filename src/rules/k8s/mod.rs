//! `KR4xx`: Kubernetes manifests, Helm values and Kustomize overrides.
//!
//! The rules read [`crate::parse::k8s::OrchestrationFacts`]: objects from
//! plain manifests (Helm templates are read as text, so their objects are
//! not judged here), image mentions from Helm values and Kustomize
//! `images:`. Subjects are `Kind/name/container` (plus a key where one
//! object can have several findings), never a line.

mod kr401_image_latest;
mod kr402_no_readiness_probe;
mod kr403_no_liveness_probe;
mod kr404_no_resource_requests;
mod kr405_no_resource_limits;
mod kr406_runs_as_root;
mod kr407_privileged;
mod kr408_host_path;
mod kr409_host_network;
mod kr410_service_selects_nothing;
mod kr411_service_port_not_exposed;
mod kr412_helm_values_latest;
mod kr413_kustomize_latest;
mod kr414_env_credential;
mod kr415_env_placeholder_credential;
mod kr416_secret_manifest;
mod kr417_selector_mismatch;
mod kr418_host_port;
mod secrets;

use super::Rule;
use crate::image_ref::ImageRef;
use crate::parse::k8s::{Container, K8sObject, OrchestrationFacts};

pub static RULES: &[&dyn Rule] = &[
    &kr401_image_latest::Rule,
    &kr402_no_readiness_probe::Rule,
    &kr403_no_liveness_probe::Rule,
    &kr404_no_resource_requests::Rule,
    &kr405_no_resource_limits::Rule,
    &kr406_runs_as_root::Rule,
    &kr407_privileged::Rule,
    &kr408_host_path::Rule,
    &kr409_host_network::Rule,
    &kr410_service_selects_nothing::Rule,
    &kr411_service_port_not_exposed::Rule,
    &kr412_helm_values_latest::Rule,
    &kr413_kustomize_latest::Rule,
    &kr414_env_credential::Rule,
    &kr415_env_placeholder_credential::Rule,
    &kr416_secret_manifest::Rule,
    &kr417_selector_mismatch::Rule,
    &kr418_host_port::Rule,
];

/// Workload kinds whose pods run until replaced (probes matter for them);
/// Jobs, CronJobs and bare Pods run to completion or are one-offs.
pub(crate) fn is_long_running(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Rollout"
            | "DeploymentConfig"
    )
}

/// Every object with a pod template, with each of its containers.
pub(crate) fn containers(
    facts: &OrchestrationFacts,
) -> impl Iterator<Item = (&K8sObject, &Container)> {
    facts
        .objects
        .iter()
        .flat_map(|o| o.containers.iter().map(move |c| (o, c)))
}

/// `Kind/name`, the object part of a subject.
pub(crate) fn object_key(o: &K8sObject) -> String {
    match &o.namespace {
        Some(ns) => format!("{}/{ns}/{}", o.kind, o.name),
        None => format!("{}/{}", o.kind, o.name),
    }
}

/// `Kind/name/container`: a container's stable subject.
pub(crate) fn container_key(o: &K8sObject, c: &Container) -> String {
    format!("{}/{}", object_key(o), c.name)
}

/// "container `app` of Deployment `api`" (or "init container").
pub(crate) fn describe_container(o: &K8sObject, c: &Container) -> String {
    let what = if c.init {
        "init container"
    } else {
        "container"
    };
    format!("{what} `{}` of {} `{}`", c.name, o.kind, o.name)
}

/// Text a tool fills in later: shell/CI variables, Helm/Jinja templates,
/// Kubernetes `$(VAR)` substitution, ko's `ko://` import paths.
pub(crate) fn is_templated(s: &str) -> bool {
    s.contains('$') || s.contains("{{") || s.starts_with("ko://")
}

/// Whether an image reference is untagged or `:latest` (no digest).
pub(crate) fn is_latest(image: &str) -> bool {
    let r = ImageRef::parse(image);
    !r.repository.is_empty() && !r.is_pinned()
}

/// Whether every `selector` pair is among `labels` (an empty selector
/// matches nothing here).
pub(crate) fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    !selector.is_empty() && selector.iter().all(|s| labels.contains(s))
}

/// Two objects may live in the same namespace unless both name different
/// ones (a namespace is often set at apply time by Kustomize or `-n`).
pub(crate) fn same_namespace(a: &K8sObject, b: &K8sObject) -> bool {
    match (&a.namespace, &b.namespace) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Workloads indexed by their pod label pairs, so finding what a Service
/// selects is one lookup plus a few checks, not a scan of every object
/// (a monorepo's manifests have thousands of Services).
pub(crate) struct Workloads<'a> {
    by_label: std::collections::HashMap<(&'a str, &'a str), Vec<&'a K8sObject>>,
}

impl<'a> Workloads<'a> {
    pub fn new(facts: &'a OrchestrationFacts) -> Workloads<'a> {
        let mut by_label: std::collections::HashMap<_, Vec<&K8sObject>> = Default::default();
        for o in facts.objects.iter().filter(|o| o.is_workload()) {
            let mut pairs: Vec<(&str, &str)> = o
                .pod_labels
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            for pair in pairs {
                by_label.entry(pair).or_default().push(o);
            }
        }
        Workloads { by_label }
    }

    /// The workloads a Service selects, in manifest order.
    pub fn selected_by(&self, service: &'a K8sObject) -> impl Iterator<Item = &'a K8sObject> + '_ {
        let candidates = service
            .selector
            .first()
            .and_then(|(k, v)| self.by_label.get(&(k.as_str(), v.as_str())));
        candidates.into_iter().flatten().copied().filter(move |o| {
            same_namespace(o, service) && selects(&service.selector, &o.pod_labels)
        })
    }
}

/// A Service that selects pods (not `ExternalName`, selector given and
/// literal).
pub(crate) fn is_selecting_service(o: &K8sObject) -> bool {
    o.kind == "Service"
        && o.service_type.as_deref() != Some("ExternalName")
        && !o.selector.is_empty()
        && !o
            .selector
            .iter()
            .any(|(k, v)| is_templated(k) || is_templated(v))
}

#[cfg(test)]
pub(crate) mod tests {
    /// A Deployment with one container; `extra` is indented under the
    /// container, `pod` under the pod spec.
    pub fn deployment(name: &str, image: &str, container_extra: &str, pod_extra: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n{pod_extra}      containers:\n      - name: app\n        image: {image}\n{container_extra}"
        )
    }

    /// Container-level fields that make a container pass every KR4xx rule.
    pub const GOOD_CONTAINER: &str = "        ports:\n        - containerPort: 8080\n        readinessProbe:\n          httpGet: {path: /ready, port: 8080}\n        livenessProbe:\n          httpGet: {path: /live, port: 8080}\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n          limits: {memory: 256Mi}\n        securityContext:\n          runAsNonRoot: true\n";

    #[test]
    fn helpers() {
        assert!(super::is_latest("nginx"));
        assert!(super::is_latest("nginx:latest"));
        assert!(!super::is_latest("nginx:1.27"));
        assert!(!super::is_latest("nginx@sha256:abc"));
        assert!(super::is_templated("{{ .Values.image }}"));
        assert!(super::is_templated("ko://github.com/acme/api"));
        let sel = vec![("app".to_string(), "x".to_string())];
        assert!(super::selects(
            &sel,
            &[("app".into(), "x".into()), ("tier".into(), "web".into())]
        ));
        assert!(!super::selects(&[], &sel));
    }
}
