//! One file per step.

mod all_services;
mod cd_staging;
mod ci_images;
mod compose;
mod dev_env;
mod dockerfile;
mod image_builds;

pub use cd_staging::apply_command;

use super::{StepContext, StepId, StepResult};
use crate::inventory::Service;
use crate::paths;

pub fn evaluate(id: StepId, cx: &StepContext<'_>) -> StepResult {
    let mut r = match id {
        StepId::Dockerfile => dockerfile::evaluate(cx),
        StepId::AllServices => all_services::evaluate(cx),
        StepId::Compose => compose::evaluate(cx),
        StepId::DevEnv => dev_env::evaluate(cx),
        StepId::ImageBuilds => image_builds::evaluate(cx),
        StepId::CiImages => ci_images::evaluate(cx),
        StepId::CdStaging => cd_staging::evaluate(cx),
    };
    r.evidence.sort();
    r.evidence.dedup();
    r
}

/// "`services/api` (Go module, `services/api/go.mod`)".
pub fn describe_service(s: &Service) -> String {
    format!(
        "`{}` ({}, `{}`)",
        paths::display(&s.path),
        s.language,
        s.manifest
    )
}

/// A component's display name: its path, or its name at the root.
pub fn component_label(cx: &StepContext<'_>, c: usize) -> String {
    match cx.graph.components.get(c) {
        Some(comp) if comp.path.is_empty() => format!("`{}`", comp.name),
        Some(comp) => format!("`{}`", comp.path),
        None => "?".into(),
    }
}

/// The first image definition file of a component, for messages.
pub fn component_def_file(cx: &StepContext<'_>, c: usize) -> Option<String> {
    let comp = cx.graph.components.get(c)?;
    comp.image_defs
        .first()
        .and_then(|d| cx.graph.image_defs.get(*d))
        .map(|d| d.file.clone())
}

/// The CI system the repo already uses, for suggestions: next steps speak
/// the repository's own CI (SPEC 1); a GitHub Actions workflow only when
/// the repository is on GitHub Actions or has no CI at all.
pub fn ci_hint(cx: &StepContext<'_>) -> String {
    use crate::walk::CiSystem;
    let systems: Vec<CiSystem> = cx.facts.pipelines.iter().filter_map(|p| p.system).collect();
    // The system that already builds images leads; else the first found.
    let building = cx
        .graph
        .builds
        .iter()
        .filter_map(|b| cx.facts.pipelines.get(b.pipeline).and_then(|p| p.system))
        .next();
    building
        .or_else(|| systems.first().copied())
        .unwrap_or(CiSystem::GithubActions)
        .info()
        .next_step_job
        .to_string()
}

/// The text of `kubeready explain <step>`.
pub fn explain_text(id: StepId) -> &'static str {
    match id {
        StepId::Dockerfile => dockerfile::EXPLAIN,
        StepId::AllServices => all_services::EXPLAIN,
        StepId::Compose => compose::EXPLAIN,
        StepId::DevEnv => dev_env::EXPLAIN,
        StepId::ImageBuilds => image_builds::EXPLAIN,
        StepId::CiImages => ci_images::EXPLAIN,
        StepId::CdStaging => cd_staging::EXPLAIN,
    }
}
