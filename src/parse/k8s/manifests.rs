//! Kubernetes manifests: every YAML document with `apiVersion` and `kind`
//! (and the items of `kind: List`) becomes a [`K8sObject`].

use super::model::{
    ImageMention, IngressBackend, K8sObject, OrchestrationFacts, PortRef, ServicePort,
};
use super::util::{
    at, duplicate_problem, key_line, load_yaml, seq_at, str_at, string_at, string_map,
    syntax_problem,
};
use super::{gitops, workload};
use crate::parse::ParseProblem;
use kubeready_yaml::Node;

/// Lists nest rarely; this bounds the recursion on hostile input.
const MAX_LIST_DEPTH: usize = 8;

/// Whether a YAML text may hold a manifest at all (cheap pre-filter).
pub fn may_be_manifest(text: &str) -> bool {
    text.contains("apiVersion")
}

/// Whether a YAML text looks like a manifest, so that its syntax errors
/// are ours to report.
pub fn looks_like_manifest(text: &str) -> bool {
    text.contains("apiVersion:") && text.contains("kind:")
}

/// Reads the objects of one YAML file. Syntax errors are reported only
/// when the text looks like a manifest; duplicate keys only inside
/// documents that are Kubernetes objects.
pub fn parse_file(
    file: &str,
    text: &str,
    facts: &mut OrchestrationFacts,
    problems: &mut Vec<ParseProblem>,
) {
    let loaded = load_yaml(file, text, false, problems);
    if let Some(e) = &loaded.error {
        if looks_like_manifest(text) {
            problems.push(syntax_problem(file, e));
        }
    }
    let mut is_object = Vec::with_capacity(loaded.documents.len());
    for doc in &loaded.documents {
        is_object.push(collect(
            file,
            doc,
            &mut facts.objects,
            &mut facts.mentions,
            0,
        ));
    }
    report_duplicates(file, &loaded, &is_object, problems);
}

/// Reports the duplicate keys that lie in documents flagged in `is_object`.
pub fn report_duplicates(
    file: &str,
    loaded: &kubeready_yaml::Loaded,
    is_object: &[bool],
    problems: &mut Vec<ParseProblem>,
) {
    for d in &loaded.duplicates {
        // The document holding the duplicate: the last one starting at or before it.
        let idx = loaded
            .documents
            .iter()
            .rposition(|doc| doc.line <= d.line)
            .unwrap_or(0);
        if is_object.get(idx).copied().unwrap_or(false) {
            problems.push(duplicate_problem(file, d));
        }
    }
}

/// Adds the object(s) of one document; `false` when it is not a Kubernetes
/// object (no `apiVersion` and `kind`).
pub fn collect(
    file: &str,
    doc: &Node,
    out: &mut Vec<K8sObject>,
    mentions: &mut Vec<ImageMention>,
    depth: usize,
) -> bool {
    let (Some(api_version), Some(kind)) = (str_at(doc, &["apiVersion"]), str_at(doc, &["kind"]))
    else {
        return false;
    };
    if let Some(items) = doc.get("items").and_then(Node::as_seq) {
        if kind == "List" || kind.ends_with("List") {
            if depth < MAX_LIST_DEPTH {
                for item in items {
                    collect(file, item, out, mentions, depth + 1);
                }
            }
            return true;
        }
    }
    out.push(object(file, doc, api_version, kind, mentions));
    // An OpenShift Template holds its objects in `objects:`.
    if kind == "Template"
        && (api_version.starts_with("template.openshift.io") || api_version == "v1")
        && depth < MAX_LIST_DEPTH
    {
        for item in seq_at(doc, &["objects"]) {
            collect(file, item, out, mentions, depth + 1);
        }
    }
    true
}

/// One object from its document node.
pub fn object(
    file: &str,
    doc: &Node,
    api_version: &str,
    kind: &str,
    mentions: &mut Vec<ImageMention>,
) -> K8sObject {
    let mut obj = K8sObject {
        file: file.to_string(),
        line: key_line(doc, "kind"),
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name: string_at(doc, &["metadata", "name"])
            .or_else(|| string_at(doc, &["metadata", "generateName"]))
            .unwrap_or_default(),
        namespace: string_at(doc, &["metadata", "namespace"]),
        labels: string_map(at(doc, &["metadata", "labels"])),
        annotations: string_map(at(doc, &["metadata", "annotations"])),
        ..K8sObject::default()
    };
    let spec = doc.get("spec");
    if kind == "Service" && api_version == "v1" {
        if let Some(spec) = spec {
            service(&mut obj, spec);
        }
        return obj;
    }
    if kind == "Ingress" {
        if let Some(spec) = spec {
            obj.ingress_backends = ingress_backends(spec);
        }
        return obj;
    }
    if let Some(template) = pod_template(doc, kind) {
        workload::apply_pod_template(&mut obj, template);
        if let Some(spec) = spec {
            obj.replicas = spec.get("replicas").and_then(Node::as_i64);
            obj.selector = selector(spec.get("selector"));
        }
    }
    gitops::summarize(&mut obj, doc, mentions);
    obj
}

/// The pod template (a node with `metadata` and `spec.containers`) of a
/// workload; the object itself for a Pod. Any kind with a
/// `spec.template.spec.containers` counts (Rollouts, DeploymentConfigs,
/// Knative Services and other CRDs embed pod templates too).
fn pod_template<'a>(doc: &'a Node, kind: &str) -> Option<&'a Node> {
    let has_containers = |t: &Node| at(t, &["spec", "containers"]).is_some_and(Node::is_seq);
    match kind {
        "Pod" => Some(doc),
        "CronJob" => at(doc, &["spec", "jobTemplate", "spec", "template"]),
        _ => at(doc, &["spec", "template"]).filter(|t| has_containers(t)),
    }
}

/// `matchLabels` of a label selector, or a plain label map (ReplicationController,
/// DeploymentConfig).
fn selector(node: Option<&Node>) -> Vec<(String, String)> {
    let Some(node) = node else { return Vec::new() };
    match node.get("matchLabels") {
        Some(m) => string_map(Some(m)),
        None if node.get("matchExpressions").is_some() => Vec::new(),
        None => string_map(Some(node)),
    }
}

/// The backends of an Ingress: `defaultBackend` (`backend` before v1)
/// and every rule path's.
fn ingress_backends(spec: &Node) -> Vec<IngressBackend> {
    let mut nodes: Vec<&Node> = ["defaultBackend", "backend"]
        .iter()
        .filter_map(|k| spec.get(k))
        .collect();
    for rule in seq_at(spec, &["rules"]) {
        for path in seq_at(rule, &["http", "paths"]) {
            nodes.extend(path.get("backend"));
        }
    }
    nodes
        .into_iter()
        .filter_map(|b| {
            // networking.k8s.io/v1: `service: {name, port: {number|name}}`.
            if let Some(svc) = b.get("service") {
                let port = svc.get("port")?;
                let (text, key) = match port.get("number") {
                    Some(n) => (n.as_str(), "number"),
                    None => (port.get("name").and_then(Node::as_str), "name"),
                };
                return Some(IngressBackend {
                    service: string_at(svc, &["name"])?,
                    port: PortRef::of(text),
                    line: key_line(port, key),
                });
            }
            // extensions/v1beta1: `serviceName`, `servicePort`.
            Some(IngressBackend {
                service: string_at(b, &["serviceName"])?,
                port: PortRef::of(b.get("servicePort").and_then(Node::as_str)),
                line: key_line(b, "servicePort"),
            })
        })
        .filter(|b| b.port != PortRef::Unset)
        .collect()
}

fn service(obj: &mut K8sObject, spec: &Node) {
    obj.selector = string_map(spec.get("selector"));
    obj.service_type = string_at(spec, &["type"]);
    obj.external_name = string_at(spec, &["externalName"]);
    for p in seq_at(spec, &["ports"]) {
        let Some(port) = p
            .get("port")
            .and_then(Node::as_i64)
            .and_then(|n| u32::try_from(n).ok())
        else {
            continue;
        };
        obj.service_ports.push(ServicePort {
            port,
            name: string_at(p, &["name"]),
            target_port: p
                .get("targetPort")
                .and_then(Node::as_str)
                .map(str::to_string),
            line: p.line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (OrchestrationFacts, Vec<ParseProblem>) {
        let mut facts = OrchestrationFacts::default();
        let mut problems = Vec::new();
        parse_file("k.yaml", text, &mut facts, &mut problems);
        (facts, problems)
    }

    #[test]
    fn list_items_and_nested_lists() {
        let (f, p) = parse(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ServiceList\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: s}\n    spec: {type: ExternalName, externalName: db.example.com}\n",
        );
        assert!(p.is_empty());
        let kinds: Vec<_> = f
            .objects
            .iter()
            .map(|o| (o.kind.as_str(), o.name.as_str(), o.line))
            .collect();
        assert_eq!(kinds, vec![("ConfigMap", "a", 5), ("Service", "s", 11)]);
        assert_eq!(f.objects[1].service_type.as_deref(), Some("ExternalName"));
        assert_eq!(
            f.objects[1].external_name.as_deref(),
            Some("db.example.com")
        );
    }

    #[test]
    fn openshift_template_objects() {
        let (f, _) = parse("apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: t}\nobjects:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers: [{name: c, image: \"${IMAGE}\"}]\n");
        let kinds: Vec<_> = f
            .objects
            .iter()
            .map(|o| (o.kind.as_str(), o.line))
            .collect();
        assert_eq!(kinds, vec![("Template", 2), ("Pod", 6)]);
        assert_eq!(f.objects[1].containers[0].image, "${IMAGE}");
    }

    #[test]
    fn duplicates_only_in_objects() {
        let (f, p) = parse(
            "a: 1\na: 2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n",
        );
        assert_eq!(f.objects.len(), 1);
        assert_eq!(f.objects[0].name, "y");
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].line, p[0].kind),
            (8, crate::parse::ProblemKind::Partial)
        );
    }

    #[test]
    fn errors_only_for_manifest_looking_text() {
        let (_, p) = parse("foo: [1, 2\n");
        assert!(p.is_empty());
        let (f, p) = parse(
            "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\ndata: [1, 2\n",
        );
        assert_eq!(f.objects.len(), 1);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, crate::parse::ProblemKind::Syntax);
        assert!(p[0].column.is_some());
    }

    #[test]
    fn workload_selector_and_replicas() {
        let (f, _) = parse(
            "apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: dc}\nspec:\n  replicas: 2\n  selector: {app: dc}\n  template:\n    metadata: {labels: {app: dc}}\n    spec:\n      containers:\n      - name: c\n        image: quay.io/x/dc:1\n",
        );
        let o = &f.objects[0];
        assert!(o.is_workload());
        assert_eq!(o.replicas, Some(2));
        assert_eq!(o.selector, vec![("app".to_string(), "dc".to_string())]);
        assert_eq!(o.pod_labels, o.selector);
        assert_eq!(
            (o.containers[0].image.as_str(), o.containers[0].line),
            ("quay.io/x/dc:1", 12)
        );
    }

    #[test]
    fn ingress_backends_both_api_versions() {
        let (f, _) = parse(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  defaultBackend:\n    service: {name: api, port: {name: http}}\n  rules:\n  - http:\n      paths:\n      - path: /\n        backend:\n          service:\n            name: api\n            port:\n              number: 80\n      - backend: {service: {name: x, port: {number: \"{{ .Values.port }}\"}}}\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec:\n  backend: {serviceName: api, servicePort: 8080}\n",
        );
        let b: Vec<(&str, &PortRef, u32)> = f
            .objects
            .iter()
            .flat_map(|o| o.ingress_backends.iter())
            .map(|b| (b.service.as_str(), &b.port, b.line))
            .collect();
        assert_eq!(
            b,
            vec![
                ("api", &PortRef::Name("http".into()), 6),
                ("api", &PortRef::Number(80), 15),
                ("api", &PortRef::Number(8080), 22),
            ]
        );
    }
}
