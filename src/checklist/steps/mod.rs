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

/// One checklist step, described in one place: its id, title, scoring
/// text (printed by `kubeready explain`, repeated by the README's scoring
/// list under a drift test) and the function that judges it. Its number
/// is its place in [`STEPS`].
pub struct StepDescriptor {
    pub id: StepId,
    /// The step's id in reports, configs and `kubeready explain`.
    pub key: &'static str,
    pub title: &'static str,
    /// How the step is judged: the file's `EXPLAIN`, the one copy.
    pub explain: &'static str,
    pub evaluate: fn(&StepContext<'_>) -> StepResult,
    /// Whether the step reads the findings: the others are judged while
    /// the rules run ([`super::evaluate_early`]).
    pub reads_findings: bool,
}

/// The seven steps, in order (the order of [`StepId`]). Adding a step is a
/// file here with its `EXPLAIN` and `evaluate`, a [`StepId`] variant (the
/// kinds decide where it applies, `crate::kind`) and a row here.
pub static STEPS: [StepDescriptor; 7] = [
    StepDescriptor {
        id: StepId::Dockerfile,
        key: "dockerfile",
        title: "Write a Dockerfile for one service",
        explain: dockerfile::EXPLAIN,
        evaluate: dockerfile::evaluate,
        reads_findings: true,
    },
    StepDescriptor {
        id: StepId::AllServices,
        key: "all-services",
        title: "Write Dockerfiles for the other buildable services",
        explain: all_services::EXPLAIN,
        evaluate: all_services::evaluate,
        reads_findings: false,
    },
    StepDescriptor {
        id: StepId::Compose,
        key: "compose",
        title: "Write a Compose file for the whole app",
        explain: compose::EXPLAIN,
        evaluate: compose::evaluate,
        reads_findings: true,
    },
    StepDescriptor {
        id: StepId::DevEnv,
        key: "dev-env",
        title: "Make sure developers can run the app in containers",
        explain: dev_env::EXPLAIN,
        evaluate: dev_env::evaluate,
        reads_findings: false,
    },
    StepDescriptor {
        id: StepId::ImageBuilds,
        key: "image-builds",
        title: "Automated builds of container images from the repo",
        explain: image_builds::EXPLAIN,
        evaluate: image_builds::evaluate,
        reads_findings: false,
    },
    StepDescriptor {
        id: StepId::CiImages,
        key: "ci-images",
        title: "A CI pipeline that uses these images",
        explain: ci_images::EXPLAIN,
        evaluate: ci_images::evaluate,
        reads_findings: false,
    },
    StepDescriptor {
        id: StepId::CdStaging,
        key: "cd-staging",
        title: "A CD pipeline (staging/QA) that uses these images",
        explain: cd_staging::EXPLAIN,
        evaluate: cd_staging::evaluate,
        reads_findings: false,
    },
];

pub fn evaluate(id: StepId, cx: &StepContext<'_>) -> StepResult {
    let mut r = (id.descriptor().evaluate)(cx);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry lists the steps in [`StepId`]'s order, so a step's
    /// number is its place in both.
    #[test]
    fn the_registry_follows_the_step_order() {
        assert_eq!(STEPS.len(), StepId::ALL.len());
        for (i, (d, id)) in STEPS.iter().zip(StepId::ALL).enumerate() {
            assert_eq!(d.id, id);
            assert_eq!(usize::from(id.number()), i + 1);
            // The JSON names a step by the same key.
            assert_eq!(
                serde_json::to_string(&id).unwrap(),
                format!("\"{}\"", d.key)
            );
            assert!(
                d.explain.starts_with(&format!("Step {}:", i + 1)),
                "{}",
                d.key
            );
        }
    }
}
