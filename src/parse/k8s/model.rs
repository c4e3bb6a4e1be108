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
    /// For Services: `spec.selector`; for workloads: `spec.selector.matchLabels`
    /// (or a plain label map, as in DeploymentConfigs).
    pub selector: Vec<(String, String)>,
    /// For workloads: the pod template's labels (a Pod's own labels).
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
    /// `metadata.annotations` (Argo CD Image Updater and friends live here).
    pub annotations: Vec<(String, String)>,
    /// `spec.replicas` of workloads.
    pub replicas: Option<i64>,
    /// Pod-level `securityContext.runAsUser`.
    pub pod_run_as_user: Option<i64>,
    /// A few key facts of GitOps and federation objects, as `(key, value)`
    /// pairs in source order: Argo CD `destination.server`/`destination.name`,
    /// `source.repoURL`/`source.path`/`source.chart`; ApplicationSet
    /// `generator` (one per generator kind, `clusters` included); Flux
    /// `path`, `sourceRef`, `chart`; Karmada `cluster`. Empty for other kinds.
    pub spec_summary: Vec<(String, String)>,
    /// For Ingresses: every backend (`defaultBackend`, each rule path).
    pub ingress_backends: Vec<IngressBackend>,
}

/// An Ingress backend: the Service it sends to and the Service port, by
/// number or by name (`service.port.number`/`name` in
/// `networking.k8s.io/v1`, `serviceName`/`servicePort` before).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngressBackend {
    pub service: String,
    pub port: PortRef,
    pub line: u32,
}

/// A port named by number or by name (a probe's `port`, a Service's
/// `targetPort`, an Ingress backend's service port).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PortRef {
    #[default]
    Unset,
    Number(u32),
    Name(String),
}

impl PortRef {
    /// A YAML value as a port: a number, or a name (an IANA service
    /// name: letters, digits and dashes). Template expressions and
    /// anything else are `Unset`.
    pub fn of(text: Option<&str>) -> PortRef {
        let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return PortRef::Unset;
        };
        if let Ok(n) = t.parse::<u32>() {
            return PortRef::Number(n);
        }
        if t.len() <= 15
            && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && t.chars().any(|c| c.is_ascii_alphabetic())
        {
            return PortRef::Name(t.to_string());
        }
        PortRef::Unset
    }
}

/// A container probe that names a port (`httpGet`, `tcpSocket`, `grpc`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// `liveness`, `readiness` or `startup`.
    pub kind: &'static str,
    /// `httpGet`, `tcpSocket` or `grpc`.
    pub handler: &'static str,
    pub port: PortRef,
    /// The line of `port`.
    pub line: u32,
}

impl K8sObject {
    /// Argo CD objects (`argoproj.io` Application, ApplicationSet,
    /// AppProject).
    pub fn is_argo(&self) -> bool {
        self.api_version.starts_with("argoproj.io/")
            && matches!(
                self.kind.as_str(),
                "Application" | "ApplicationSet" | "AppProject"
            )
    }

    /// Flux objects (`*.toolkit.fluxcd.io`).
    pub fn is_flux(&self) -> bool {
        self.api_version
            .split('/')
            .next()
            .is_some_and(|g| g.ends_with("toolkit.fluxcd.io"))
    }

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
    pub startup_probe: bool,
    pub requests: bool,
    pub limits: bool,
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
    pub privileged: bool,
    pub env: Vec<(String, Option<String>, u32)>,
    /// `imagePullPolicy`, when set.
    pub image_pull_policy: Option<String>,
    /// Named `ports` (`name`, `containerPort`).
    pub named_ports: Vec<(String, u32)>,
    /// Probes that name a port.
    pub probes: Vec<Probe>,
    /// `volumeMounts[].mountPath`, with the line.
    pub volume_mounts: Vec<(String, u32)>,
}

#[derive(Clone, Debug, Default)]
pub struct ServicePort {
    pub port: u32,
    /// The port's `name`, when set.
    pub name: Option<String>,
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
    /// Chart folders (`""` for the root), line 1; details in `charts`.
    pub helm_charts: Vec<(String, u32)>,
    pub kustomizations: Vec<(String, u32)>,
    pub mentions: Vec<ImageMention>,
    /// Chart.yaml metadata, one per chart (same order as `helm_charts`).
    pub charts: Vec<HelmChart>,
    /// Top-level `kind:` lines of Helm templates (read as text), so the
    /// chart's workload kinds are known.
    pub template_kinds: Vec<TemplateKind>,
    /// Literal container commands of Helm templates (read as text).
    pub template_commands: Vec<TemplateCommand>,
    /// What each `kustomization.yaml` applies (same order as `kustomizations`).
    pub kustomize_files: Vec<KustomizeFile>,
    /// Image builds configured in skaffold (`build.artifacts`) and Tilt
    /// (`docker_build`, `custom_build`).
    pub artifacts: Vec<BuildArtifact>,
    /// What skaffold and Tilt deploy: raw manifests, Helm charts, Kustomize dirs.
    pub deploys: Vec<DeployRef>,
}

/// A Helm chart (`Chart.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmChart {
    /// The `Chart.yaml` path.
    pub file: String,
    /// The chart folder (`""` for the root).
    pub dir: String,
    pub name: Option<String>,
    pub version: Option<String>,
    pub app_version: Option<String>,
    /// `application` or `library`.
    pub chart_type: Option<String>,
    pub dependencies: Vec<HelmDependency>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmDependency {
    pub name: String,
    pub version: Option<String>,
    pub repository: Option<String>,
    pub line: u32,
}

/// A `kind: X` line at the top level of a Helm template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateKind {
    pub file: String,
    pub line: u32,
    /// As written; may be a template expression.
    pub kind: String,
}

/// The program a Helm template's container runs: the first word of its
/// `command:` (inline list or block list), when written literally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateCommand {
    pub file: String,
    pub line: u32,
    /// `/bin/config-reloader`, as written.
    pub program: String,
}

/// Folders whose sub-folders are environments (`overlays/test`,
/// `envs/prod`, `clusters/staging`): a sub-folder's name there names an
/// environment, not what its files are for.
pub const ENVIRONMENT_FOLDERS: &[&str] = &["overlays", "envs", "environments", "env", "clusters"];

impl OrchestrationFacts {
    /// The folder that says what an orchestration file is for: its own
    /// folder, with environment names under [`ENVIRONMENT_FOLDERS`] left
    /// out (`k8s/overlays/test` speaks as `k8s/overlays`) and, inside a
    /// Helm chart, the chart's `templates/` segment left out (the chart's
    /// templates are the chart's; its `templates/tests/` hooks are tests).
    pub fn purpose_dir(&self, file: &str) -> String {
        let chart = self
            .helm_charts
            .iter()
            .map(|(dir, _)| dir.as_str())
            .filter(|dir| crate::paths::is_within(file, dir))
            .max_by_key(|dir| dir.len());
        let folder = crate::paths::parent(file);
        let dir = match chart {
            Some(chart) => {
                let inner = folder
                    .strip_prefix(chart)
                    .unwrap_or("")
                    .trim_start_matches('/');
                let inner = inner.strip_prefix("templates").unwrap_or(inner);
                format!("{chart}/{inner}")
            }
            None => folder.to_string(),
        };
        let mut kept: Vec<&str> = Vec::new();
        let mut previous = "";
        for seg in dir.split('/').filter(|s| !s.is_empty()) {
            if !ENVIRONMENT_FOLDERS.contains(&previous.to_ascii_lowercase().as_str()) {
                kept.push(seg);
            }
            previous = seg;
        }
        kept.join("/")
    }

    /// These facts without the files whose [`purpose_dir`] `drop` names
    /// (a copy), or `None` when no file would be dropped.
    ///
    /// [`purpose_dir`]: OrchestrationFacts::purpose_dir
    pub fn without(&self, drop: impl Fn(&str) -> bool) -> Option<OrchestrationFacts> {
        let keep = |file: &str| !drop(&self.purpose_dir(file));
        let chart_file = |dir: &str| crate::paths::join(dir, "Chart.yaml").unwrap_or_default();
        let all_kept = self
            .objects
            .iter()
            .map(|x| x.file.as_str())
            .chain(self.kustomizations.iter().map(|(f, _)| f.as_str()))
            .chain(self.mentions.iter().map(|m| m.file.as_str()))
            .chain(self.charts.iter().map(|c| c.file.as_str()))
            .chain(self.template_kinds.iter().map(|t| t.file.as_str()))
            .chain(self.template_commands.iter().map(|t| t.file.as_str()))
            .chain(self.kustomize_files.iter().map(|k| k.file.as_str()))
            .chain(self.artifacts.iter().map(|a| a.file.as_str()))
            .chain(self.deploys.iter().map(|d| d.file.as_str()))
            .all(&keep)
            && self
                .helm_charts
                .iter()
                .all(|(dir, _)| keep(&chart_file(dir)));
        if all_kept {
            return None;
        }
        Some(OrchestrationFacts {
            objects: self
                .objects
                .iter()
                .filter(|x| keep(&x.file))
                .cloned()
                .collect(),
            helm_charts: self
                .helm_charts
                .iter()
                .filter(|(dir, _)| keep(&chart_file(dir)))
                .cloned()
                .collect(),
            kustomizations: self
                .kustomizations
                .iter()
                .filter(|(f, _)| keep(f))
                .cloned()
                .collect(),
            mentions: self
                .mentions
                .iter()
                .filter(|m| keep(&m.file))
                .cloned()
                .collect(),
            charts: self
                .charts
                .iter()
                .filter(|c| keep(&c.file))
                .cloned()
                .collect(),
            template_kinds: self
                .template_kinds
                .iter()
                .filter(|t| keep(&t.file))
                .cloned()
                .collect(),
            template_commands: self
                .template_commands
                .iter()
                .filter(|t| keep(&t.file))
                .cloned()
                .collect(),
            kustomize_files: self
                .kustomize_files
                .iter()
                .filter(|k| keep(&k.file))
                .cloned()
                .collect(),
            artifacts: self
                .artifacts
                .iter()
                .filter(|a| keep(&a.file))
                .cloned()
                .collect(),
            deploys: self
                .deploys
                .iter()
                .filter(|d| keep(&d.file))
                .cloned()
                .collect(),
        })
    }
}

/// A `kustomization.yaml` and the paths it applies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KustomizeFile {
    pub file: String,
    /// The kustomization's folder; its paths are relative to it.
    pub dir: String,
    pub resources: Vec<KustomizeResource>,
    /// `helmCharts[].name`, with the line.
    /// Chart folders (`""` for the root), line 1; details in `charts`.
    pub helm_charts: Vec<(String, u32)>,
}

/// One entry of `resources:`, `bases:` or `components:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KustomizeResource {
    /// As written.
    pub raw: String,
    /// Resolved against the kustomization's folder; `None` for remote
    /// references (URLs, `github.com/...`) and paths escaping the root.
    pub path: Option<String>,
    pub line: u32,
    pub field: KustomizeField,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KustomizeField {
    Resources,
    Bases,
    Components,
}

/// An image build configured outside CI (skaffold artifact, Tilt build).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildArtifact {
    pub file: String,
    pub line: u32,
    /// The image name as configured (no tag for skaffold; tags are set at build time).
    pub image: String,
    /// The build context, resolved against the config's folder (`""` is
    /// the root); `None` when it escapes the root or is not a literal.
    pub context: Option<String>,
    /// The Dockerfile path, resolved (repo-relative), for Docker builds.
    pub dockerfile: Option<String>,
    /// `docker`, `kaniko`, `jib`, `ko`, `buildpacks`, `bazel`, `custom`.
    pub builder: String,
    /// The skaffold profile defining it; `None` for the main config.
    pub profile: Option<String>,
    pub source: MentionSource,
}

/// Something skaffold or Tilt deploys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployRef {
    pub file: String,
    pub line: u32,
    pub tool: DeployTool,
    /// As written (may be a glob, a chart name or a URL).
    pub raw: String,
    /// Resolved against the config's folder, for local paths.
    pub path: Option<String>,
    pub profile: Option<String>,
    pub source: MentionSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeployTool {
    /// Plain manifests applied with kubectl (skaffold `rawYaml`/`kubectl`, Tilt `k8s_yaml`).
    Kubectl,
    Helm,
    Kustomize,
}
