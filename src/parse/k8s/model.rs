//! Kubernetes and friends: objects from manifests, Helm charts, Kustomize,
//! skaffold, Argo CD and Flux, with the images they reference.

#[derive(Clone, Debug, Default)]
pub struct K8sObject {
    pub file: String,
    pub line: u32,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Vec<(String, String)>,
    /// For Services: `spec.selector`; for workloads: the pod template labels.
    pub selector: Vec<(String, String)>,
    pub pod_labels: Vec<(String, String)>,
    pub containers: Vec<Container>,
    /// Service ports (`port`, `targetPort`) for Services.
    pub service_ports: Vec<ServicePort>,
    /// Service `type` (ClusterIP, ExternalName, ...) and `externalName`.
    pub service_type: Option<String>,
    pub external_name: Option<String>,
    /// Pod-level `securityContext.runAsNonRoot`.
    pub pod_run_as_non_root: Option<bool>,
    pub host_network: bool,
    pub host_path_volumes: Vec<(String, u32)>,
}

impl K8sObject {
    pub fn is_workload(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "Deployment"
                | "StatefulSet"
                | "DaemonSet"
                | "ReplicaSet"
                | "Job"
                | "CronJob"
                | "Pod"
                | "Rollout"
                | "DeploymentConfig"
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub line: u32,
    pub init: bool,
    pub ports: Vec<(u32, u32)>,
    pub readiness_probe: bool,
    pub liveness_probe: bool,
    pub requests: bool,
    pub limits: bool,
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
    pub privileged: bool,
    pub env: Vec<(String, Option<String>, u32)>,
}

#[derive(Clone, Debug, Default)]
pub struct ServicePort {
    pub port: u32,
    pub target_port: Option<String>,
    pub line: u32,
}

/// An image reference found in a Helm chart, Kustomize `images:`, skaffold
/// or a template read as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageMention {
    pub file: String,
    pub line: u32,
    pub image: String,
    pub source: MentionSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionSource {
    HelmValues,
    HelmTemplate,
    Kustomize,
    Skaffold,
    Tilt,
    Other,
}

/// Deployment tooling artefacts found in the tree.
#[derive(Clone, Debug, Default)]
pub struct OrchestrationFacts {
    pub objects: Vec<K8sObject>,
    pub helm_charts: Vec<(String, u32)>,
    pub kustomizations: Vec<(String, u32)>,
    pub mentions: Vec<ImageMention>,
}
