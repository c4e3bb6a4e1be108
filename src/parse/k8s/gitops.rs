//! Key facts of GitOps and federation objects (Argo CD, Flux, KubeFed,
//! Karmada) into [`K8sObject::spec_summary`], plus the images their
//! inline Helm values and Kustomize overrides mention.

use super::model::{ImageMention, K8sObject, MentionSource};
use super::util::{at, seq_at, str_at};
use super::{helm, kustomize};
use kubeready_yaml::Node;

/// ApplicationSet generators nest (matrix, merge); this bounds it.
const MAX_GENERATOR_DEPTH: usize = 4;

const GENERATOR_KINDS: &[&str] = &[
    "clusters",
    "list",
    "git",
    "matrix",
    "merge",
    "scmProvider",
    "pullRequest",
    "clusterDecisionResource",
    "plugin",
];

pub fn summarize(obj: &mut K8sObject, doc: &Node, mentions: &mut Vec<ImageMention>) {
    let Some(spec) = doc.get("spec") else { return };
    let group = obj
        .api_version
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut s = Summary {
        out: Vec::new(),
        file: &obj.file,
        mentions,
    };
    match (group.as_str(), obj.kind.as_str()) {
        ("argoproj.io", "Application") => s.argo_app(spec),
        ("argoproj.io", "ApplicationSet") => {
            s.generators(seq_at(spec, &["generators"]), 0);
            if let Some(t) = at(spec, &["template", "spec"]) {
                s.argo_app(t);
            }
        }
        ("argoproj.io", "AppProject") => {
            for d in seq_at(spec, &["destinations"]) {
                s.push_at("destination.server", d, &["server"]);
                s.push_at("destination.name", d, &["name"]);
            }
        }
        (g, kind) if g.ends_with("toolkit.fluxcd.io") => s.flux(kind, spec),
        (g, _) if g.ends_with("kubefed.io") => {
            s.push_at("apiEndpoint", spec, &["apiEndpoint"]);
            for c in seq_at(spec, &["placement", "clusters"]) {
                s.push_at("cluster", c, &["name"]);
            }
        }
        (g, kind) if g.ends_with("karmada.io") => {
            if kind == "Cluster" {
                s.out.push(("cluster".into(), obj.name.clone()));
                s.push_at("apiEndpoint", spec, &["apiEndpoint"]);
            }
            for c in seq_at(spec, &["placement", "clusterAffinity", "clusterNames"]) {
                s.push_node("cluster", c);
            }
            for r in seq_at(spec, &["resourceSelectors"]) {
                if let (Some(k), Some(n)) = (str_at(r, &["kind"]), str_at(r, &["name"])) {
                    s.out.push(("resource".into(), format!("{k}/{n}")));
                }
            }
        }
        _ => {}
    }
    obj.spec_summary = s.out;
}

struct Summary<'a> {
    out: Vec<(String, String)>,
    file: &'a str,
    mentions: &'a mut Vec<ImageMention>,
}

impl Summary<'_> {
    fn push_at(&mut self, key: &str, node: &Node, path: &[&str]) {
        if let Some(v) = str_at(node, path) {
            self.out.push((key.to_string(), v.to_string()));
        }
    }

    fn push_node(&mut self, key: &str, node: &Node) {
        if let Some(v) = node.as_str().filter(|v| !v.is_empty()) {
            self.out.push((key.to_string(), v.to_string()));
        }
    }

    /// An Argo CD Application spec (or an ApplicationSet template's).
    fn argo_app(&mut self, spec: &Node) {
        self.push_at("destination.server", spec, &["destination", "server"]);
        self.push_at("destination.name", spec, &["destination", "name"]);
        self.push_at("destination.namespace", spec, &["destination", "namespace"]);
        let sources = spec
            .get("source")
            .into_iter()
            .chain(seq_at(spec, &["sources"]));
        for src in sources {
            self.push_at("source.repoURL", src, &["repoURL"]);
            self.push_at("source.path", src, &["path"]);
            self.push_at("source.chart", src, &["chart"]);
            self.push_at("source.targetRevision", src, &["targetRevision"]);
            for img in seq_at(src, &["kustomize", "images"]) {
                if let Some(image) = img.as_str().and_then(kustomize::override_string) {
                    self.mention(image, img.line, MentionSource::Kustomize);
                }
            }
            if let Some(values) = at(src, &["helm", "valuesObject"]) {
                helm::values_mentions(self.file, values, self.mentions);
            }
        }
    }

    fn generators(&mut self, gens: &[Node], depth: usize) {
        if depth > MAX_GENERATOR_DEPTH {
            return;
        }
        for g in gens {
            for kind in GENERATOR_KINDS {
                let Some(body) = g.get(kind) else { continue };
                self.out.push(("generator".into(), (*kind).to_string()));
                match *kind {
                    "list" => {
                        for e in seq_at(body, &["elements"]) {
                            self.push_at("list.server", e, &["server"]);
                            self.push_at("list.cluster", e, &["cluster"]);
                        }
                    }
                    "matrix" | "merge" => self.generators(seq_at(body, &["generators"]), depth + 1),
                    _ => {}
                }
            }
        }
    }

    fn flux(&mut self, kind: &str, spec: &Node) {
        if let (Some(k), Some(n)) = (
            str_at(spec, &["sourceRef", "kind"]),
            str_at(spec, &["sourceRef", "name"]),
        ) {
            self.out.push(("sourceRef".into(), format!("{k}/{n}")));
        }
        match kind {
            "Kustomization" => {
                self.push_at("path", spec, &["path"]);
                self.push_at("targetNamespace", spec, &["targetNamespace"]);
                for img in seq_at(spec, &["images"]) {
                    if let Some(image) = kustomize::image_entry(img) {
                        self.mention(image, img.line, MentionSource::Kustomize);
                    }
                }
            }
            "HelmRelease" => {
                self.push_at("chart", spec, &["chart", "spec", "chart"]);
                self.push_at("version", spec, &["chart", "spec", "version"]);
                if let (Some(k), Some(n)) = (
                    str_at(spec, &["chartRef", "kind"]),
                    str_at(spec, &["chartRef", "name"]),
                ) {
                    self.out.push(("chartRef".into(), format!("{k}/{n}")));
                }
                self.push_at("targetNamespace", spec, &["targetNamespace"]);
                if let Some(values) = spec.get("values") {
                    helm::values_mentions(self.file, values, self.mentions);
                }
            }
            "ImageRepository" => self.push_at("image", spec, &["image"]),
            "ImagePolicy" => {
                self.push_at("imageRepositoryRef", spec, &["imageRepositoryRef", "name"]);
                self.push_at("semver", spec, &["policy", "semver", "range"]);
            }
            "ImageUpdateAutomation" => {
                self.push_at("update.path", spec, &["update", "path"]);
                self.push_at("push.branch", spec, &["git", "push", "branch"]);
            }
            "GitRepository" | "HelmRepository" | "OCIRepository" | "Bucket" => {
                self.push_at("url", spec, &["url"]);
                self.push_at("branch", spec, &["ref", "branch"]);
            }
            _ => {}
        }
    }

    fn mention(&mut self, image: String, line: u32, source: MentionSource) {
        self.mentions.push(ImageMention {
            file: self.file.to_string(),
            line,
            image,
            source,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::manifests::parse_file;
    use super::super::model::OrchestrationFacts;

    fn summary(text: &str) -> (Vec<(String, String)>, OrchestrationFacts) {
        let mut facts = OrchestrationFacts::default();
        parse_file("g.yaml", text, &mut facts, &mut Vec::new());
        (facts.objects[0].spec_summary.clone(), facts)
    }

    fn has(s: &[(String, String)], k: &str, v: &str) -> bool {
        s.iter().any(|(a, b)| a == k && b == v)
    }

    #[test]
    fn flux_objects() {
        let (s, f) = summary(
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: api}\nspec:\n  chart:\n    spec:\n      chart: ./charts/api\n      sourceRef: {kind: GitRepository, name: flux-system}\n  values:\n    image:\n      repository: ghcr.io/acme/api\n      tag: \"1.2\"\n",
        );
        assert!(has(&s, "chart", "./charts/api"));
        assert_eq!(f.mentions.len(), 1);
        assert_eq!(
            (f.mentions[0].image.as_str(), f.mentions[0].line),
            ("ghcr.io/acme/api:1.2", 10)
        );
        let (s, _) = summary("apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageUpdateAutomation\nmetadata: {name: a}\nspec:\n  sourceRef: {kind: GitRepository, name: repo}\n  git: {push: {branch: main}}\n  update: {path: ./clusters/staging}\n");
        assert!(
            has(&s, "update.path", "./clusters/staging")
                && has(&s, "push.branch", "main")
                && has(&s, "sourceRef", "GitRepository/repo")
        );
    }

    #[test]
    fn karmada_policy() {
        let (s, _) = summary("apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: p}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n  placement:\n    clusterAffinity:\n      clusterNames: [eu-1, us-1]\n");
        assert!(
            has(&s, "cluster", "eu-1")
                && has(&s, "cluster", "us-1")
                && has(&s, "resource", "Deployment/web")
        );
    }
}
