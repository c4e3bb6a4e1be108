//! CI/CD configurations, each system normalised into [`model::Pipeline`].
//! One file per system; `common.rs` holds what they share (turning a
//! script into meanings, following Makefile targets and scripts that CI
//! calls, triggers).

pub mod azure;
pub mod bake;
pub mod bitbucket;
pub mod buildkite;
pub mod circleci;
pub mod cloud;
pub mod common;
pub mod drone;
pub mod env;
pub mod follow;
pub mod follow_dirs;
pub mod follow_make;
pub mod follow_nx;
pub mod follow_task;
pub mod follow_vars;
pub mod github;
pub mod gitlab;
pub mod goreleaser;
pub mod jenkins;
pub mod known;
pub mod model;
pub mod others;
pub mod tekton;

pub use model::*;

use super::ParseProblem;
use crate::walk::ci_system::ConfigFormat;
use crate::walk::{CiSystem, FileKind, Tree};

/// Reads every CI configuration of the tree into pipelines, sorted by file.
pub fn parse_pipelines(tree: &Tree, problems: &mut Vec<ParseProblem>) -> Vec<Pipeline> {
    let mut out = Vec::new();
    for f in tree.files() {
        let FileKind::Ci(system) = f.kind else {
            continue;
        };
        let Some(text) = super::read(tree, &f.path, problems) else {
            continue;
        };
        let pipelines = match system {
            CiSystem::GithubActions => github::parse(tree, &f.path, &text, problems),
            CiSystem::GitlabCi => gitlab::parse(tree, &f.path, &text, problems),
            CiSystem::Circleci => circleci::parse(tree, &f.path, &text, problems),
            CiSystem::AzurePipelines => azure::parse(tree, &f.path, &text, problems),
            CiSystem::BitbucketPipelines => bitbucket::parse(tree, &f.path, &text, problems),
            CiSystem::Jenkins => jenkins::parse(tree, &f.path, &text, problems),
            CiSystem::CloudBuild | CiSystem::CodeBuild => {
                cloud::parse(system, tree, &f.path, &text, problems)
            }
            CiSystem::Tekton => tekton::parse(tree, &f.path, &text, problems),
            CiSystem::Travis | CiSystem::Drone | CiSystem::Woodpecker | CiSystem::Buildkite => {
                others::parse(system, tree, &f.path, &text, problems)
            }
        };
        let mut pipelines = pipelines;
        if system.info().format == ConfigFormat::Yaml {
            if let Some(first) = pipelines.first_mut() {
                first.env = env::literal_vars(&f.path, &text);
            }
        }
        out.extend(pipelines);
    }
    out.sort_by(|a, b| a.file.cmp(&b.file).then_with(|| a.name.cmp(&b.name)));
    expand_bake_builds(tree, &mut out);
    out
}

/// A bake build stands for the targets of its bake file: one build each,
/// with its Dockerfile and context (kept as it is without a bake file).
fn expand_bake_builds(tree: &Tree, pipelines: &mut [Pipeline]) {
    for step in pipelines
        .iter_mut()
        .flat_map(|p| p.jobs.iter_mut())
        .flat_map(|j| j.steps.iter_mut())
    {
        let is_bake = |m: &LocatedMeaning| matches!(&m.meaning, Meaning::ImageBuild(b) if b.tool.contains("bake") && b.dockerfile.is_none());
        if !step.meanings.iter().any(is_bake) {
            continue;
        }
        let mut out = Vec::with_capacity(step.meanings.len());
        for m in std::mem::take(&mut step.meanings) {
            let expanded = match &m.meaning {
                Meaning::ImageBuild(b) if is_bake(&m) => bake::expand(tree, &step.workdir, b),
                _ => None,
            };
            match expanded {
                Some(builds) if !builds.is_empty() => {
                    out.extend(builds.into_iter().map(|b| LocatedMeaning {
                        file: m.file.clone(),
                        line: m.line,
                        meaning: Meaning::ImageBuild(b),
                    }))
                }
                _ => out.push(m),
            }
        }
        step.meanings = out;
    }
}
