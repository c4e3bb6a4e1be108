//! Whole-tree tests: files on disk, walked and classified, then parsed.

use super::*;
use crate::parse::ProblemKind;
use crate::walk::{Tree, WalkOptions};

fn run(files: &[(&str, &str)]) -> (OrchestrationFacts, Vec<ParseProblem>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let tree = Tree::walk(dir.path(), &WalkOptions::default());
    let mut problems = Vec::new();
    let facts = parse_orchestration(&tree, &mut problems);
    (facts, problems)
}

fn obj<'a>(f: &'a OrchestrationFacts, kind: &str, name: &str) -> &'a K8sObject {
    f.objects
        .iter()
        .find(|o| o.kind == kind && o.name == name)
        .unwrap()
}

fn s(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const APP: &str = "\
# the api
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
  labels: {app: api, tier: backend}
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api, version: v1}
    spec:
      securityContext:
        runAsNonRoot: true
      initContainers:
      - name: migrate
        image: ghcr.io/acme/api:1.2.3
        command: [./migrate]
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2.3
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
        livenessProbe:
          httpGet: {path: /live, port: 8080}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
        securityContext:
          runAsUser: 10001
          runAsNonRoot: true
        env:
        - name: DATABASE_HOST
          value: db.prod.svc
      - name: sidecar
        image: envoyproxy/envoy:latest
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
  - port: 80
    targetPort: http
  - port: 443
    targetPort: 8443
";

#[test]
fn multi_document_deployment_and_service() {
    let (f, p) = run(&[("k8s/app.yaml", APP)]);
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(f.objects.len(), 2);
    let d = obj(&f, "Deployment", "api");
    assert_eq!(
        (d.file.as_str(), d.line, d.api_version.as_str()),
        ("k8s/app.yaml", 3, "apps/v1")
    );
    assert_eq!(d.namespace.as_deref(), Some("prod"));
    assert_eq!(d.labels, s(&[("app", "api"), ("tier", "backend")]));
    assert_eq!(d.selector, s(&[("app", "api")]));
    assert_eq!(d.pod_labels, s(&[("app", "api"), ("version", "v1")]));
    assert_eq!(d.replicas, Some(3));
    assert_eq!(d.pod_run_as_non_root, Some(true));
    assert!(d.is_workload() && !d.host_network && d.host_path_volumes.is_empty());
    let c: Vec<_> = d
        .containers
        .iter()
        .map(|c| (c.name.as_str(), c.image.as_str(), c.line, c.init))
        .collect();
    assert_eq!(
        c,
        vec![
            ("migrate", "ghcr.io/acme/api:1.2.3", 20, true),
            ("api", "ghcr.io/acme/api:1.2.3", 24, false),
            ("sidecar", "envoyproxy/envoy:latest", 41, false),
        ]
    );
    let api = &d.containers[1];
    assert_eq!(api.ports, vec![(8080, 0)]);
    assert!(api.readiness_probe && api.liveness_probe && !api.startup_probe);
    assert!(api.requests && api.limits && !api.privileged);
    assert_eq!(
        (api.run_as_user, api.run_as_non_root),
        (Some(10001), Some(true))
    );
    assert_eq!(
        api.env,
        vec![(
            "DATABASE_HOST".to_string(),
            Some("db.prod.svc".to_string()),
            38
        )]
    );
    let side = &d.containers[2];
    assert!(!side.readiness_probe && !side.liveness_probe && !side.requests && !side.limits);
    assert_eq!(side.run_as_non_root, None);

    let svc = obj(&f, "Service", "api");
    assert_eq!(svc.line, 44);
    assert_eq!(svc.selector, s(&[("app", "api")]));
    let ports: Vec<_> = svc
        .service_ports
        .iter()
        .map(|p| (p.port, p.target_port.as_deref(), p.line))
        .collect();
    assert_eq!(ports, vec![(80, Some("http"), 50), (443, Some("8443"), 52)]);
    assert!(svc.containers.is_empty() && !svc.is_workload());
}

#[test]
fn cronjob_list_and_stateful_patterns() {
    let (f, p) = run(&[
        (
            "deploy/cron.yaml",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {job: nightly}}\n        spec:\n          hostNetwork: true\n          containers:\n          - name: report\n            image: acme/report@sha256:0123\n          volumes:\n          - name: sock\n            hostPath: {path: /var/run/docker.sock}\n",
        ),
        (
            "deploy/list.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: db}\n  spec:\n    ports: [{port: 5432}]\n- apiVersion: v1\n  kind: Endpoints\n  metadata: {name: db}\n  subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 5432}]}]\n- apiVersion: discovery.k8s.io/v1\n  kind: EndpointSlice\n  metadata: {name: db-1, labels: {kubernetes.io/service-name: db}}\n- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata: {name: redis}\n  spec:\n    serviceName: redis\n    template:\n      spec:\n        containers: [{name: redis, image: \"redis:7\"}]\n",
        ),
    ]);
    assert!(p.is_empty(), "{p:?}");
    let cron = obj(&f, "CronJob", "nightly");
    assert_eq!(cron.pod_labels, s(&[("job", "nightly")]));
    assert_eq!(
        (cron.containers[0].image.as_str(), cron.containers[0].line),
        ("acme/report@sha256:0123", 14)
    );
    assert!(cron.host_network);
    assert_eq!(
        cron.host_path_volumes,
        vec![("/var/run/docker.sock".to_string(), 17)]
    );
    let kinds: Vec<_> = f
        .objects
        .iter()
        .filter(|o| o.file == "deploy/list.yaml")
        .map(|o| (o.kind.as_str(), o.line))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("Service", 5),
            ("Endpoints", 10),
            ("EndpointSlice", 14),
            ("StatefulSet", 17)
        ]
    );
    let db = obj(&f, "Service", "db");
    assert!(db.selector.is_empty());
    assert_eq!(db.service_ports[0].target_port, None);
    assert_eq!(
        obj(&f, "StatefulSet", "redis").containers[0].image,
        "redis:7"
    );
}

#[test]
fn helm_chart_values_and_templates() {
    let (f, p) = run(&[
        (
            "charts/api/Chart.yaml",
            "apiVersion: v2\nname: api\nversion: 0.1.0\nappVersion: \"1.2.3\"\ndependencies:\n- name: postgresql\n  version: 12.x\n  repository: https://charts.bitnami.com/bitnami\n",
        ),
        ("charts/api/values.yaml", "image:\n  repository: ghcr.io/acme/api\n  tag: \"\"\nworker:\n  image: ghcr.io/acme/worker:2.0\n"),
        ("charts/api/values-prod.yaml", "image:\n  registry: registry.acme.io\n  repository: acme/api\n  tag: 1.2.3\n"),
        (
            "charts/api/templates/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"api.fullname\" . }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\"\n",
        ),
        ("charts/api/templates/_helpers.tpl", "{{- define \"api.fullname\" -}}\n{{ .Release.Name }}\n{{- end }}\n"),
        ("charts/api/templates/service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"),
    ]);
    assert!(p.is_empty(), "{p:?}");
    // Templates are text: no objects come from them.
    assert!(f.objects.is_empty(), "{:?}", f.objects);
    assert_eq!(f.helm_charts, vec![("charts/api".to_string(), 1)]);
    let chart = &f.charts[0];
    assert_eq!(
        (chart.name.as_deref(), chart.app_version.as_deref()),
        (Some("api"), Some("1.2.3"))
    );
    assert_eq!(chart.dependencies[0].name, "postgresql");
    assert_eq!(chart.dependencies[0].line, 6);
    let m: Vec<_> = f
        .mentions
        .iter()
        .map(|m| (m.file.as_str(), m.line, m.image.as_str(), m.source))
        .collect();
    assert_eq!(
        m,
        vec![
            (
                "charts/api/templates/deployment.yaml",
                10,
                "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}",
                MentionSource::HelmTemplate
            ),
            ("charts/api/values-prod.yaml", 1, "registry.acme.io/acme/api:1.2.3", MentionSource::HelmValues),
            ("charts/api/values.yaml", 1, "ghcr.io/acme/api", MentionSource::HelmValues),
            ("charts/api/values.yaml", 5, "ghcr.io/acme/worker:2.0", MentionSource::HelmValues),
        ]
    );
    let kinds: Vec<_> = f
        .template_kinds
        .iter()
        .map(|k| (k.file.as_str(), k.line, k.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("charts/api/templates/deployment.yaml", 2, "Deployment"),
            ("charts/api/templates/service.yaml", 2, "Service")
        ]
    );
}

#[test]
fn values_files_outside_a_chart_are_read_quietly() {
    let (f, p) = run(&[
        (
            "deploy/values-staging.yaml",
            "image:\n  repository: ghcr.io/acme/api\n  tag: sha-123\n",
        ),
        ("deploy/values-broken.yaml", "image: [x\n"),
    ]);
    assert!(p.is_empty(), "{p:?}");
    let m: Vec<_> = f
        .mentions
        .iter()
        .map(|m| (m.file.as_str(), m.image.as_str(), m.source))
        .collect();
    assert_eq!(
        m,
        vec![(
            "deploy/values-staging.yaml",
            "ghcr.io/acme/api:sha-123",
            MentionSource::HelmValues
        )]
    );
}

#[test]
fn templates_folder_outside_a_chart_is_plain_yaml() {
    let (f, _) = run(&[
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\n",
        ),
        (
            "templates/tmpl.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .x }}}\n",
        ),
    ]);
    let names: Vec<_> = f.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, vec!["plain"]);
    assert!(f.template_kinds.is_empty());
}

#[test]
fn kustomize_images_and_resources() {
    let (f, p) = run(&[
        ("k8s/base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: acme/web}]\n"),
        ("k8s/base/kustomization.yaml", "resources:\n- deployment.yaml\n"),
        (
            "k8s/overlays/staging/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbases: [../../base]\nimages:\n- name: acme/web\n  newName: ghcr.io/acme/web\n  newTag: sha-abc123\n",
        ),
    ]);
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(
        f.kustomizations,
        vec![
            ("k8s/base/kustomization.yaml".to_string(), 1),
            ("k8s/overlays/staging/kustomization.yaml".to_string(), 1)
        ]
    );
    let staging = &f.kustomize_files[1];
    assert_eq!(staging.resources[0].path.as_deref(), Some("k8s/base"));
    assert_eq!(staging.resources[0].field, KustomizeField::Bases);
    assert_eq!(
        f.kustomize_files[0].resources[0].path.as_deref(),
        Some("k8s/base/deployment.yaml")
    );
    let m: Vec<_> = f
        .mentions
        .iter()
        .map(|m| (m.file.as_str(), m.line, m.image.as_str(), m.source))
        .collect();
    assert_eq!(
        m,
        vec![(
            "k8s/overlays/staging/kustomization.yaml",
            5,
            "ghcr.io/acme/web:sha-abc123",
            MentionSource::Kustomize
        )]
    );
}

#[test]
fn skaffold_and_tilt() {
    let (f, p) = run(&[
        (
            "skaffold.yaml",
            "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n  - image: acme/api\n    context: services/api\n    docker: {dockerfile: Dockerfile.prod}\nmanifests:\n  kustomize:\n    paths: [k8s/overlays/dev]\n",
        ),
        ("Tiltfile", "docker_build('acme/web', 'web')\nk8s_yaml('k8s/web.yaml')\n"),
    ]);
    assert!(p.is_empty(), "{p:?}");
    let a: Vec<_> = f
        .artifacts
        .iter()
        .map(|a| {
            (
                a.file.as_str(),
                a.line,
                a.image.as_str(),
                a.dockerfile.as_deref(),
                a.source,
            )
        })
        .collect();
    assert_eq!(
        a,
        vec![
            (
                "Tiltfile",
                1,
                "acme/web",
                Some("web/Dockerfile"),
                MentionSource::Tilt
            ),
            (
                "skaffold.yaml",
                5,
                "acme/api",
                Some("services/api/Dockerfile.prod"),
                MentionSource::Skaffold
            ),
        ]
    );
    let m: Vec<_> = f
        .mentions
        .iter()
        .map(|m| (m.file.as_str(), m.line, m.source))
        .collect();
    assert_eq!(
        m,
        vec![
            ("Tiltfile", 1, MentionSource::Tilt),
            ("skaffold.yaml", 5, MentionSource::Skaffold)
        ]
    );
    let d: Vec<_> = f
        .deploys
        .iter()
        .map(|d| (d.file.as_str(), d.tool, d.path.as_deref()))
        .collect();
    assert_eq!(
        d,
        vec![
            ("Tiltfile", DeployTool::Kubectl, Some("k8s/web.yaml")),
            (
                "skaffold.yaml",
                DeployTool::Kustomize,
                Some("k8s/overlays/dev")
            )
        ]
    );
    assert!(
        f.objects.is_empty(),
        "skaffold.yaml is not a Kubernetes object"
    );
}

#[test]
fn argo_cd_application_and_applicationset() {
    let (f, p) = run(&[(
        "argocd/apps.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api-staging\n  annotations:\n    argocd-image-updater.argoproj.io/image-list: api=ghcr.io/acme/api\nspec:\n  source:\n    repoURL: https://github.com/acme/app\n    path: k8s/overlays/staging\n    kustomize:\n      images: [\"ghcr.io/acme/api:sha-1\"]\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: staging\n---\napiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: everywhere}\nspec:\n  generators:\n  - matrix:\n      generators:\n      - clusters: {selector: {matchLabels: {env: prod}}}\n      - list:\n          elements: [{cluster: eu, server: https://eu.example.com}]\n  template:\n    metadata: {name: '{{name}}-api'}\n    spec:\n      source: {repoURL: https://github.com/acme/app, path: k8s}\n      destination: {server: '{{server}}', namespace: api}\n",
    )]);
    assert!(p.is_empty(), "{p:?}");
    let app = obj(&f, "Application", "api-staging");
    assert_eq!(app.line, 2);
    assert!(app.spec_summary.contains(&(
        "destination.server".into(),
        "https://kubernetes.default.svc".into()
    )));
    assert!(app
        .spec_summary
        .contains(&("source.path".into(), "k8s/overlays/staging".into())));
    assert_eq!(
        app.annotations[0].0,
        "argocd-image-updater.argoproj.io/image-list"
    );
    assert_eq!(f.mentions[0].image, "ghcr.io/acme/api:sha-1");
    assert_eq!(
        (f.mentions[0].line, f.mentions[0].source),
        (12, MentionSource::Kustomize)
    );
    let set = obj(&f, "ApplicationSet", "everywhere");
    let gens: Vec<_> = set
        .spec_summary
        .iter()
        .filter(|(k, _)| k == "generator")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(gens, vec!["matrix", "clusters", "list"]);
    assert!(set
        .spec_summary
        .contains(&("list.server".into(), "https://eu.example.com".into())));
    assert!(set
        .spec_summary
        .contains(&("destination.server".into(), "{{server}}".into())));
}

#[test]
fn non_kubernetes_yaml_is_ignored() {
    let (f, p) = run(&[
        ("config/app.yaml", "server:\n  port: 8080\n  kind: http\n"),
        ("openapi.yaml", "openapi: 3.0.0\ninfo: {title: x}\npaths: {}\ncomponents: {schemas: {A: {properties: {apiVersion: {type: string}, kind: {type: string}}}}}\n"),
        ("broken-other.yaml", "a: [1, 2\n"),
        ("mkdocs.yml", "site_name: x\nnav: [\n"),
    ]);
    assert!(f.objects.is_empty());
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn broken_manifest_is_a_problem_with_line() {
    let (f, p) = run(&[(
        "k8s/bad.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\n    labels: x\n",
    )]);
    assert_eq!(f.objects.len(), 1, "the document before the error is kept");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        (p[0].file.as_str(), p[0].kind),
        ("k8s/bad.yaml", ProblemKind::Syntax)
    );
    assert_eq!(p[0].line, 9);
    assert!(p[0].column.is_some());
}

#[test]
fn broken_chart_and_values_are_ours() {
    let (f, p) = run(&[
        ("chart/Chart.yaml", "name: [x\n"),
        ("chart/values.yaml", "image: {repository: a\n"),
    ]);
    assert_eq!(f.helm_charts, vec![("chart".to_string(), 1)]);
    let got: Vec<_> = p.iter().map(|p| (p.file.as_str(), p.kind)).collect();
    assert_eq!(
        got,
        vec![
            ("chart/Chart.yaml", ProblemKind::Syntax),
            ("chart/values.yaml", ProblemKind::Syntax)
        ]
    );
}

#[test]
fn output_is_deterministic() {
    let files = [
        ("b/x.yaml", APP),
        ("a/y.yaml", APP),
        ("a/kustomization.yaml", "images: [{name: a, newTag: '1'}]\n"),
    ];
    let (one, _) = run(&files);
    let (two, _) = run(&files);
    let key = |f: &OrchestrationFacts| {
        f.objects
            .iter()
            .map(|o| (o.file.clone(), o.line))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&one), key(&two));
    assert_eq!(key(&one)[0].0, "a/y.yaml");
    assert_eq!(one.mentions, two.mentions);
}

#[test]
fn hostile_yaml_is_bounded() {
    let mut bomb =
        String::from("apiVersion: v1\nkind: ConfigMap\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    let deep = format!(
        "image:\n{}x: 1\n",
        (1..200)
            .map(|d| format!("{}k:\n", "  ".repeat(d)))
            .collect::<String>()
    );
    let start = std::time::Instant::now();
    let (f, p) = run(&[
        ("k8s/bomb.yaml", &bomb),
        ("chart/Chart.yaml", "name: c\n"),
        ("chart/values.yaml", &deep),
    ]);
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert!(f.objects.is_empty());
    assert!(
        p.iter()
            .any(|p| p.file == "k8s/bomb.yaml" && p.kind == ProblemKind::Syntax),
        "{p:?}"
    );
}

#[test]
fn many_files_parse_in_parallel_deterministically() {
    let texts: Vec<(String, String)> = (0..300)
        .map(|i| (format!("s{i:03}/k8s/app.yaml"), format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers: [{{name: c, image: \"a:{i}\"}}]\n---\nkind: [\n")))
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (f, p) = run(&files);
    assert_eq!(f.objects.len(), 300);
    assert!(f.objects.windows(2).all(|w| w[0].file < w[1].file));
    assert_eq!(f.objects[7].containers[0].image, "a:7");
    assert_eq!(p.len(), 300, "one syntax error per file");
}

/// What an orchestration file is for is read from its chart's folder
/// inside a chart, and environment overlays speak through their parent.
#[test]
fn purpose_dirs_and_the_facts_without_examples() {
    let o = OrchestrationFacts {
        objects: [
            "k8s/api.yaml",
            "examples/demo/a.yaml",
            "k8s/overlays/test/b.yaml",
        ]
        .iter()
        .map(|f| K8sObject {
            file: f.to_string(),
            ..Default::default()
        })
        .collect(),
        helm_charts: vec![("charts/api".into(), 1), ("examples/chart".into(), 1)],
        kustomizations: vec![("k8s/overlays/test/kustomization.yaml".into(), 1)],
        ..Default::default()
    };
    assert_eq!(o.purpose_dir("charts/api/templates/d.yaml"), "charts/api");
    assert_eq!(o.purpose_dir("charts/api/values.yaml"), "charts/api");
    assert_eq!(
        o.purpose_dir("charts/api/templates/tests/test-connection.yaml"),
        "charts/api/tests"
    );
    assert_eq!(o.purpose_dir("k8s/overlays/test/b.yaml"), "k8s/overlays");
    assert_eq!(o.purpose_dir("examples/demo/a.yaml"), "examples/demo");
    assert_eq!(o.purpose_dir("root.yaml"), "");
    let demo = |dir: &str| dir.split('/').any(|s| s == "examples");
    let own = o.without(demo).unwrap();
    let files: Vec<&str> = own.objects.iter().map(|x| x.file.as_str()).collect();
    assert_eq!(files, ["k8s/api.yaml", "k8s/overlays/test/b.yaml"]);
    assert_eq!(own.helm_charts, vec![("charts/api".to_string(), 1)]);
    assert_eq!(own.kustomizations.len(), 1);
    // Nothing to leave out: no copy.
    assert!(own.without(demo).is_none());
}
