//! `kustomization.yaml`: the paths it applies and its `images:` overrides.

use super::manifests;
use super::model::{
    ImageMention, KustomizeField, KustomizeFile, KustomizeResource, MentionSource,
    OrchestrationFacts,
};
use super::util::{load_yaml, resolve, seq_at, string_at};
use crate::parse::ParseProblem;
use crate::paths;

pub fn parse_kustomization(
    file: &str,
    text: &str,
    facts: &mut OrchestrationFacts,
    problems: &mut Vec<ParseProblem>,
) {
    let dir = paths::parent(file).to_string();
    let loaded = load_yaml(file, text, true, problems);
    // Every document of a kustomization file is ours: report all duplicates.
    manifests::report_duplicates(file, &loaded, &vec![true; loaded.documents.len()], problems);
    facts.kustomizations.push((file.to_string(), 1));
    let mut k = KustomizeFile {
        file: file.to_string(),
        dir: dir.clone(),
        ..KustomizeFile::default()
    };
    for doc in &loaded.documents {
        manifests::collect(file, doc, &mut facts.objects, &mut facts.mentions, 0);
        for (key, field) in [
            ("resources", KustomizeField::Resources),
            ("bases", KustomizeField::Bases),
            ("components", KustomizeField::Components),
        ] {
            for item in seq_at(doc, &[key]) {
                let Some(raw) = item.as_str().filter(|s| !s.is_empty()) else {
                    continue;
                };
                k.resources.push(KustomizeResource {
                    raw: raw.to_string(),
                    path: resolve(&dir, raw),
                    line: item.line,
                    field,
                });
            }
        }
        for chart in seq_at(doc, &["helmCharts"]) {
            if let Some(name) = string_at(chart, &["name"]) {
                k.helm_charts.push((name, chart.line));
            }
        }
        for img in seq_at(doc, &["images"]) {
            if let Some(image) = image_entry(img) {
                facts.mentions.push(ImageMention {
                    file: file.to_string(),
                    line: img.line,
                    image,
                    source: MentionSource::Kustomize,
                });
            }
        }
    }
    k.resources.sort_by_key(|r| r.line);
    facts.kustomize_files.push(k);
}

/// The effective image of an `images:` entry: `newName` (else `name`),
/// then `@digest`, else `:newTag`; the bare name when only the name is
/// given (the manifests' tag stays).
pub fn image_entry(node: &kubeready_yaml::Node) -> Option<String> {
    let name = string_at(node, &["newName"]).or_else(|| string_at(node, &["name"]))?;
    if let Some(digest) = string_at(node, &["digest"]) {
        return Some(format!("{name}@{digest}"));
    }
    Some(match string_at(node, &["newTag"]) {
        Some(tag) => format!("{name}:{tag}"),
        None => name,
    })
}

/// An `images` override written as a string (`kustomize edit set image`,
/// Argo CD `kustomize.images`): `name=newName:tag` or `name:tag`; the
/// effective image is the part after `=`.
pub fn override_string(s: &str) -> Option<String> {
    let s = s.trim();
    let image = s.split_once('=').map_or(s, |(_, new)| new).trim();
    (!image.is_empty()).then(|| image.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kustomization_file() {
        let mut f = OrchestrationFacts::default();
        let mut p = Vec::new();
        parse_kustomization(
            "deploy/overlays/staging/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\n- deployment.yaml\n- https://github.com/acme/x//k8s?ref=v1\ncomponents: [../../components/tls]\nimages:\n- name: acme/api\n  newName: ghcr.io/acme/api\n  newTag: \"1.4\"\n- name: redis\n  digest: sha256:deadbeef\n- name: nginx\nhelmCharts:\n- name: redis\n  repo: https://charts.bitnami.com/bitnami\n",
            &mut f,
            &mut p,
        );
        assert!(p.is_empty());
        assert_eq!(
            f.kustomizations,
            vec![("deploy/overlays/staging/kustomization.yaml".to_string(), 1)]
        );
        assert_eq!(f.objects[0].kind, "Kustomization");
        let k = &f.kustomize_files[0];
        let got: Vec<_> = k
            .resources
            .iter()
            .map(|r| (r.raw.as_str(), r.path.as_deref(), r.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("../../base", Some("deploy/base"), 4),
                (
                    "deployment.yaml",
                    Some("deploy/overlays/staging/deployment.yaml"),
                    5
                ),
                ("https://github.com/acme/x//k8s?ref=v1", None, 6),
                ("../../components/tls", Some("deploy/components/tls"), 7),
            ]
        );
        assert_eq!(k.helm_charts, vec![("redis".to_string(), 16)]);
        let images: Vec<_> = f
            .mentions
            .iter()
            .map(|m| (m.line, m.image.as_str(), m.source))
            .collect();
        assert_eq!(
            images,
            vec![
                (9, "ghcr.io/acme/api:1.4", MentionSource::Kustomize),
                (12, "redis@sha256:deadbeef", MentionSource::Kustomize),
                (14, "nginx", MentionSource::Kustomize),
            ]
        );
        assert_eq!(
            override_string("acme/api=ghcr.io/acme/api:2").as_deref(),
            Some("ghcr.io/acme/api:2")
        );
    }

    #[test]
    fn broken_kustomization_is_reported() {
        let mut f = OrchestrationFacts::default();
        let mut p = Vec::new();
        parse_kustomization(
            "kustomization.yaml",
            "resources: [a.yaml, b\n",
            &mut f,
            &mut p,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, crate::parse::ProblemKind::Syntax);
        assert_eq!(f.kustomizations.len(), 1);
    }
}
