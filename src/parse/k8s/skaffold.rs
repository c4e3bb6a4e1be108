//! `skaffold.yaml`: build artifacts (image builds) and what is deployed
//! (raw manifests, Helm releases, Kustomize dirs), profiles included.

use super::model::{
    BuildArtifact, DeployRef, DeployTool, ImageMention, MentionSource, OrchestrationFacts,
};
use super::util::{duplicate_problem, key_line, load_yaml, resolve, seq_at, str_at, string_at};
use crate::parse::ParseProblem;
use crate::paths;
use kubeready_yaml::Node;

/// Builders skaffold knows, by the key that configures each artifact.
const BUILDERS: &[&str] = &[
    "docker",
    "kaniko",
    "jib",
    "ko",
    "buildpacks",
    "bazel",
    "custom",
];

/// Whether a file name is a skaffold config.
pub fn is_skaffold(path: &str) -> bool {
    matches!(
        paths::file_name(path).to_ascii_lowercase().as_str(),
        "skaffold.yaml" | "skaffold.yml"
    )
}

pub fn parse_skaffold(
    file: &str,
    text: &str,
    facts: &mut OrchestrationFacts,
    problems: &mut Vec<ParseProblem>,
) {
    let loaded = load_yaml(file, text, true, problems);
    problems.extend(loaded.duplicates.iter().map(|d| duplicate_problem(file, d)));
    let mut cx = Ctx {
        file,
        dir: paths::parent(file),
        facts,
        profile: None,
    };
    for doc in &loaded.documents {
        if !doc.is_map() {
            continue;
        }
        cx.profile = None;
        cx.config(doc);
        for p in seq_at(doc, &["profiles"]) {
            cx.profile = string_at(p, &["name"]);
            cx.config(p);
        }
    }
}

struct Ctx<'a> {
    file: &'a str,
    dir: &'a str,
    facts: &'a mut OrchestrationFacts,
    profile: Option<String>,
}

impl Ctx<'_> {
    /// A config or profile: `build.artifacts`, `manifests`, `deploy`.
    fn config(&mut self, node: &Node) {
        for a in seq_at(node, &["build", "artifacts"]) {
            self.artifact(a);
        }
        if let Some(m) = node.get("manifests") {
            self.paths(seq_at(m, &["rawYaml"]), DeployTool::Kubectl);
            self.paths(seq_at(m, &["kustomize", "paths"]), DeployTool::Kustomize);
            self.helm_releases(seq_at(m, &["helm", "releases"]));
        }
        if let Some(d) = node.get("deploy") {
            self.paths(seq_at(d, &["kubectl", "manifests"]), DeployTool::Kubectl);
            if let Some(k) = d.get("kustomize") {
                match (k.get("paths"), k.get("path")) {
                    (Some(p), _) => {
                        self.paths(p.as_seq().unwrap_or_default(), DeployTool::Kustomize)
                    }
                    (None, Some(p)) => self.paths(std::slice::from_ref(p), DeployTool::Kustomize),
                    // `deploy.kustomize: {}` applies the config's own folder.
                    (None, None) => self.deploy(".", k.line, DeployTool::Kustomize),
                }
            }
            self.helm_releases(seq_at(d, &["helm", "releases"]));
        }
    }

    fn artifact(&mut self, a: &Node) {
        let Some(image) = str_at(a, &["image"]) else {
            return;
        };
        let line = key_line(a, "image");
        let context_raw = str_at(a, &["context"]).unwrap_or(".");
        let context = resolve(self.dir, context_raw);
        let builder = BUILDERS
            .iter()
            .find(|b| a.get(b).is_some())
            .copied()
            .unwrap_or("docker");
        let dockerfile = match builder {
            "docker" | "kaniko" => {
                let df = str_at(a, &[builder, "dockerfile"]).unwrap_or("Dockerfile");
                context.as_deref().and_then(|c| resolve(c, df))
            }
            _ => None,
        };
        self.facts.artifacts.push(BuildArtifact {
            file: self.file.to_string(),
            line,
            image: image.to_string(),
            context,
            dockerfile,
            builder: builder.to_string(),
            profile: self.profile.clone(),
            source: MentionSource::Skaffold,
        });
        self.facts.mentions.push(ImageMention {
            file: self.file.to_string(),
            line,
            image: image.to_string(),
            source: MentionSource::Skaffold,
        });
    }

    fn paths(&mut self, items: &[Node], tool: DeployTool) {
        for item in items {
            if let Some(raw) = item.as_str().filter(|s| !s.is_empty()) {
                self.deploy(raw, item.line, tool);
            }
        }
    }

    fn helm_releases(&mut self, releases: &[Node]) {
        for r in releases {
            if let Some(chart) = str_at(r, &["chartPath"]) {
                self.deploy(chart, key_line(r, "chartPath"), DeployTool::Helm);
            } else if let Some(chart) = str_at(r, &["remoteChart"]) {
                self.deploy(chart, key_line(r, "remoteChart"), DeployTool::Helm);
            }
        }
    }

    fn deploy(&mut self, raw: &str, line: u32, tool: DeployTool) {
        self.facts.deploys.push(DeployRef {
            file: self.file.to_string(),
            line,
            tool,
            raw: raw.to_string(),
            path: resolve(self.dir, raw),
            profile: self.profile.clone(),
            source: MentionSource::Skaffold,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_and_deploys() {
        let mut f = OrchestrationFacts::default();
        let mut p = Vec::new();
        parse_skaffold(
            "dev/skaffold.yaml",
            "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - image: acme/api\n    context: ../services/api\n    docker:\n      dockerfile: build/Dockerfile\n  - image: acme/jvm\n    jib: {}\nmanifests:\n  rawYaml:\n  - ../k8s/*.yaml\n  helm:\n    releases:\n    - name: web\n      chartPath: ../charts/web\nprofiles:\n- name: prod\n  build:\n    artifacts:\n    - image: acme/worker\n  deploy:\n    kustomize: {}\n",
            &mut f,
            &mut p,
        );
        assert!(p.is_empty(), "{p:?}");
        let a: Vec<_> = f
            .artifacts
            .iter()
            .map(|a| {
                (
                    a.line,
                    a.image.as_str(),
                    a.context.as_deref(),
                    a.dockerfile.as_deref(),
                    a.builder.as_str(),
                    a.profile.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            a,
            vec![
                (
                    5,
                    "acme/api",
                    Some("services/api"),
                    Some("services/api/build/Dockerfile"),
                    "docker",
                    None
                ),
                (9, "acme/jvm", Some("dev"), None, "jib", None),
                (
                    22,
                    "acme/worker",
                    Some("dev"),
                    Some("dev/Dockerfile"),
                    "docker",
                    Some("prod")
                ),
            ]
        );
        assert_eq!(f.mentions.len(), 3);
        assert!(f
            .mentions
            .iter()
            .all(|m| m.source == MentionSource::Skaffold));
        let d: Vec<_> = f
            .deploys
            .iter()
            .map(|d| (d.line, d.tool, d.raw.as_str(), d.path.as_deref()))
            .collect();
        assert_eq!(
            d,
            vec![
                (13, DeployTool::Kubectl, "../k8s/*.yaml", Some("k8s/*.yaml")),
                (17, DeployTool::Helm, "../charts/web", Some("charts/web")),
                (24, DeployTool::Kustomize, ".", Some("dev")),
            ]
        );
    }
}
