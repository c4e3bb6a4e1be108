//! Kubernetes manifests, Helm charts (templates as text), Kustomize,
//! skaffold, Tilt, Argo CD and Flux objects.
//!
//! Which files are read:
//! * `FileKind::Yaml`: read quietly (not necessarily ours) and loaded only
//!   when the text mentions `apiVersion`; syntax errors are reported only
//!   when the text looks like a manifest (`apiVersion:` and `kind:`).
//!   Values files of a chart are read as Helm values instead; other
//!   `values*.yaml` files without `apiVersion` too, quietly.
//! * `FileKind::HelmChart`, `Kustomization`, skaffold configs: ours, so
//!   read and syntax errors are reported.
//! * `FileKind::HelmTemplate`: scanned as text inside a chart; outside any
//!   chart (a `templates/` folder of plain YAML) read as manifests unless
//!   they hold template actions.
//! * Tiltfiles: scanned as Starlark text.

pub mod model;

mod gitops;
mod helm;
mod kustomize;
mod manifests;
mod skaffold;
mod tilt;
mod util;
mod workload;

#[cfg(test)]
mod tests;

pub use model::*;

use super::{read, ParseProblem};
use crate::walk::{FileKind, Tree};

/// Reads Kubernetes manifests, Helm charts and Kustomize files, skaffold
/// configs and Tiltfiles. Everything comes out sorted by file, then line.
pub fn parse_orchestration(tree: &Tree, problems: &mut Vec<ParseProblem>) -> OrchestrationFacts {
    let mut facts = OrchestrationFacts::default();
    let chart_dirs = helm::chart_dirs(tree.files_of(FileKind::HelmChart).map(|f| f.path.as_str()));
    for f in tree.files() {
        let path = f.path.as_str();
        match f.kind {
            FileKind::HelmChart => {
                if let Some(text) = read(tree, path, problems) {
                    helm::parse_chart(path, &text, &mut facts, problems);
                } else {
                    let dir = crate::paths::parent(path).to_string();
                    facts.helm_charts.push((dir.clone(), 1));
                    facts.charts.push(HelmChart { file: path.to_string(), dir, ..HelmChart::default() });
                }
            }
            FileKind::Yaml if helm::is_values_file(path, &chart_dirs) => {
                if let Some(text) = read(tree, path, problems) {
                    helm::parse_values(path, &text, true, &mut facts, problems);
                }
            }
            FileKind::Yaml => {
                // Not necessarily ours: unreadable files are someone else's to report.
                if let Ok(text) = tree.read_text(path) {
                    if manifests::may_be_manifest(&text) {
                        manifests::parse_file(path, &text, &mut facts, problems);
                    } else if helm::is_loose_values_file(path) {
                        helm::parse_values(path, &text, false, &mut facts, problems);
                    }
                }
            }
            FileKind::HelmTemplate if helm::in_chart(path, &chart_dirs) => {
                if let Some(text) = read(tree, path, problems) {
                    helm::scan_template(path, &text, &mut facts);
                }
            }
            FileKind::HelmTemplate => {
                if let Ok(text) = tree.read_text(path) {
                    if manifests::may_be_manifest(&text) && !text.contains("{{") {
                        manifests::parse_file(path, &text, &mut facts, problems);
                    }
                }
            }
            FileKind::Kustomization => {
                if let Some(text) = read(tree, path, problems) {
                    kustomize::parse_kustomization(path, &text, &mut facts, problems);
                }
            }
            FileKind::BuildConfig if skaffold::is_skaffold(path) => {
                if let Some(text) = read(tree, path, problems) {
                    skaffold::parse_skaffold(path, &text, &mut facts, problems);
                }
            }
            FileKind::DevEnv if tilt::is_tiltfile(path) => {
                if let Some(text) = read(tree, path, problems) {
                    tilt::parse_tiltfile(path, &text, &mut facts);
                }
            }
            _ => {}
        }
    }
    sort(&mut facts);
    facts
}

/// Deterministic order: by file, then line (stable, so source order breaks ties).
fn sort(f: &mut OrchestrationFacts) {
    f.objects.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.helm_charts.sort();
    f.kustomizations.sort();
    f.mentions.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.charts.sort_by(|a, b| a.dir.cmp(&b.dir));
    f.template_kinds.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.kustomize_files.sort_by(|a, b| a.file.cmp(&b.file));
    f.artifacts.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.deploys.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
}
