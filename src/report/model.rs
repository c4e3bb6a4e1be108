//! The audit's result as renderers see it. Built once by [`crate::audit`];
//! every renderer only formats it.

use crate::checklist::{StepResult, Summary};
use crate::finding::Finding;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AuditReport {
    pub schema_version: u32,
    /// The audited path as given on the command line.
    pub root: String,
    /// The repository's kind (SPEC 1.2), with the facts it rests on.
    pub repository: crate::kind::Repository,
    pub summary: Summary,
    pub steps: Vec<StepResult>,
    /// After the checklist: orchestration and beyond (same shape as steps).
    pub sections: Vec<StepResult>,
    pub services: Vec<ServiceEntry>,
    /// Image definitions whose context holds no detected service (custom
    /// nginx, cron images, ...).
    pub image_only_components: Vec<ComponentEntry>,
    /// Every image definition with its role (SPEC 1.2), by definition.
    pub images: Vec<ImageEntry>,
    pub findings: Vec<Finding>,
    pub next_steps: Vec<String>,
    /// Counts by severity, after suppression.
    pub finding_counts: FindingCounts,
    /// Findings silenced by an inline pragma, `.hadolint.yaml` or the
    /// config, each with what silenced it; counted, never dropped.
    pub suppressed: Vec<SuppressedFinding>,
    /// The pipeline graph: services, images, builds, runs, deploys.
    pub graph: crate::graph::view::GraphView,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ServiceEntry {
    /// Relative path; `.` for the root.
    pub path: String,
    pub name: String,
    pub language: String,
    pub manifest: String,
    pub containerized: bool,
    /// Dockerfiles or builder configs that build it.
    pub image_definitions: Vec<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ComponentEntry {
    pub path: String,
    pub name: String,
    pub image_definitions: Vec<String>,
}

/// An image definition and its role.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ImageEntry {
    /// The Dockerfile or builder config, relative to the root.
    pub definition: String,
    pub role: crate::graph::ImageRole,
    /// Why it has that role.
    pub evidence: String,
}

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct FindingCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    /// Findings silenced by suppressions (listed in `suppressed`).
    pub suppressed: usize,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// The pragma (with its reason) or config that silenced it.
    pub suppressed_by: String,
}
