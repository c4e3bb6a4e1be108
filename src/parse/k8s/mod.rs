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

use super::pragmas::{self, FilePragmas};
use super::{read, ParseProblem};
use crate::walk::{FileKind, RepoFile, Tree};
use std::collections::BTreeSet;

/// Files parsed per work item: the items are shared out among the cores
/// ([`crate::par::map`]); a tree with fewer files stays on the calling
/// thread.
const PARALLEL_CHUNK: usize = 64;

/// Reads Kubernetes manifests, Helm charts and Kustomize files, skaffold
/// configs and Tiltfiles. Files are parsed on a few threads when there are
/// many; everything comes out sorted by file, then line.
pub fn parse_orchestration(tree: &Tree, problems: &mut Vec<ParseProblem>) -> OrchestrationFacts {
    parse_with_pragmas(tree, problems).0
}

/// [`parse_orchestration`], with the `# kubeready` pragmas of the files
/// of the kinds it reads whole ([`pragmas::read_by_k8s`]), sorted by file.
pub fn parse_with_pragmas(
    tree: &Tree,
    problems: &mut Vec<ParseProblem>,
) -> (OrchestrationFacts, Vec<FilePragmas>) {
    let chart_dirs = helm::chart_dirs(tree.files_of(FileKind::HelmChart).map(|f| f.path.as_str()));
    let files: Vec<&RepoFile> = tree.files().iter().filter(|f| wanted(f)).collect();
    let chunks: Vec<&[&RepoFile]> = files.chunks(PARALLEL_CHUNK).collect();
    let parts = crate::par::map(&chunks, |part| {
        let mut found = Found::default();
        for f in *part {
            parse_file(tree, f, &chart_dirs, &mut found);
        }
        found
    });
    let mut facts = OrchestrationFacts::default();
    let mut file_pragmas = Vec::new();
    for part in parts {
        merge(&mut facts, part.facts);
        problems.extend(part.problems);
        file_pragmas.extend(part.pragmas);
    }
    sort(&mut facts);
    file_pragmas.sort_by(|a, b| a.file.cmp(&b.file));
    (facts, file_pragmas)
}

/// What the files of one work item gave.
#[derive(Default)]
struct Found {
    facts: OrchestrationFacts,
    problems: Vec<ParseProblem>,
    pragmas: Vec<FilePragmas>,
}

/// Whether the file may be read by this module at all.
fn wanted(f: &RepoFile) -> bool {
    match f.kind {
        FileKind::HelmChart | FileKind::Yaml | FileKind::HelmTemplate | FileKind::Kustomization => {
            true
        }
        FileKind::BuildConfig => skaffold::is_skaffold(&f.path),
        FileKind::DevEnv => tilt::is_tiltfile(&f.path),
        _ => false,
    }
}

fn parse_file(tree: &Tree, f: &RepoFile, chart_dirs: &BTreeSet<String>, found: &mut Found) {
    let path = f.path.as_str();
    let Found {
        facts,
        problems,
        pragmas: file_pragmas,
    } = found;
    // The pragmas of the kinds read whole, from the text read here.
    let mut pragmas_of = |text: &str| {
        if pragmas::read_by_k8s(f.kind) {
            file_pragmas.extend(pragmas::of_file(path, text));
        }
    };
    match f.kind {
        FileKind::HelmChart => {
            if let Some(text) = read(tree, path, problems) {
                pragmas_of(&text);
                helm::parse_chart(path, &text, facts, problems);
            } else {
                let dir = crate::paths::parent(path).to_string();
                facts.helm_charts.push((dir.clone(), 1));
                facts.charts.push(HelmChart {
                    file: path.to_string(),
                    dir,
                    ..HelmChart::default()
                });
            }
        }
        FileKind::Yaml if helm::is_values_file(path, chart_dirs) => {
            if let Some(text) = read(tree, path, problems) {
                pragmas_of(&text);
                helm::parse_values(path, &text, true, facts, problems);
            }
        }
        FileKind::Yaml => {
            // Not necessarily ours: unreadable files are someone else's to report.
            if let Ok(text) = tree.read_text(path) {
                pragmas_of(&text);
                if manifests::may_be_manifest(&text) {
                    manifests::parse_file(path, &text, facts, problems);
                } else if helm::is_loose_values_file(path) {
                    helm::parse_values(path, &text, false, facts, problems);
                }
            }
        }
        FileKind::HelmTemplate if helm::in_chart(path, chart_dirs) => {
            if let Some(text) = read(tree, path, problems) {
                helm::scan_template(path, &text, facts);
            }
        }
        FileKind::HelmTemplate => {
            if let Ok(text) = tree.read_text(path) {
                if manifests::may_be_manifest(&text) && !text.contains("{{") {
                    manifests::parse_file(path, &text, facts, problems);
                }
            }
        }
        FileKind::Kustomization => {
            if let Some(text) = read(tree, path, problems) {
                pragmas_of(&text);
                kustomize::parse_kustomization(path, &text, facts, problems);
            }
        }
        FileKind::BuildConfig => {
            if let Some(text) = read(tree, path, problems) {
                skaffold::parse_skaffold(path, &text, facts, problems);
            }
        }
        FileKind::DevEnv => {
            if let Some(text) = read(tree, path, problems) {
                tilt::parse_tiltfile(path, &text, facts);
            }
        }
        _ => {}
    }
}

fn merge(into: &mut OrchestrationFacts, from: OrchestrationFacts) {
    into.objects.extend(from.objects);
    into.helm_charts.extend(from.helm_charts);
    into.kustomizations.extend(from.kustomizations);
    into.mentions.extend(from.mentions);
    into.charts.extend(from.charts);
    into.template_kinds.extend(from.template_kinds);
    into.template_commands.extend(from.template_commands);
    into.kustomize_files.extend(from.kustomize_files);
    into.artifacts.extend(from.artifacts);
    into.deploys.extend(from.deploys);
}

/// Deterministic order: by file, then line (stable, so source order breaks ties).
fn sort(f: &mut OrchestrationFacts) {
    f.objects
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.helm_charts.sort();
    f.kustomizations.sort();
    f.mentions
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.charts.sort_by(|a, b| a.dir.cmp(&b.dir));
    f.template_kinds
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.template_commands
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.kustomize_files.sort_by(|a, b| a.file.cmp(&b.file));
    f.artifacts
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    f.deploys
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
}
