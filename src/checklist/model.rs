//! The checklist's results: what renderers print. Judgements only; the
//! facts they rest on are cited as evidence with file and line.

use serde::Serialize;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Done,
    Partial,
    Missing,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Partial => "partial",
            Status::Missing => "missing",
            Status::NotApplicable => "not-applicable",
        }
    }
}

/// The seven steps, in order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum StepId {
    Dockerfile,
    AllServices,
    Compose,
    DevEnv,
    ImageBuilds,
    CiImages,
    CdStaging,
}

impl StepId {
    pub const ALL: [StepId; 7] = [
        StepId::Dockerfile,
        StepId::AllServices,
        StepId::Compose,
        StepId::DevEnv,
        StepId::ImageBuilds,
        StepId::CiImages,
        StepId::CdStaging,
    ];

    pub fn id(self) -> &'static str {
        match self {
            StepId::Dockerfile => "dockerfile",
            StepId::AllServices => "all-services",
            StepId::Compose => "compose",
            StepId::DevEnv => "dev-env",
            StepId::ImageBuilds => "image-builds",
            StepId::CiImages => "ci-images",
            StepId::CdStaging => "cd-staging",
        }
    }

    pub fn number(self) -> u8 {
        match self {
            StepId::Dockerfile => 1,
            StepId::AllServices => 2,
            StepId::Compose => 3,
            StepId::DevEnv => 4,
            StepId::ImageBuilds => 5,
            StepId::CiImages => 6,
            StepId::CdStaging => 7,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            StepId::Dockerfile => "Write a Dockerfile for one service",
            StepId::AllServices => "Write Dockerfiles for the other buildable services",
            StepId::Compose => "Write a Compose file for the whole app",
            StepId::DevEnv => "Make sure developers can run the app in containers",
            StepId::ImageBuilds => "Automated builds of container images from the repo",
            StepId::CiImages => "A CI pipeline that uses these images",
            StepId::CdStaging => "A CD pipeline (staging/QA) that uses these images",
        }
    }

    pub fn from_id(s: &str) -> Option<StepId> {
        StepId::ALL.into_iter().find(|st| st.id() == s)
    }
}

/// One fact a status rests on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl Evidence {
    pub fn new(file: impl Into<String>, line: u32, message: impl Into<String>) -> Evidence {
        Evidence {
            file: file.into(),
            line: line.max(1),
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct StepResult {
    pub id: &'static str,
    pub number: u8,
    pub title: &'static str,
    pub status: Status,
    pub score: u8,
    /// One line for tables: why this status.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    pub next_steps: Vec<String>,
    /// Set when the config marked the step not-applicable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The overall verdict.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub done: usize,
    pub total: usize,
    pub score: u8,
    /// One line: "4/7 steps done; next: write a Compose file".
    pub verdict: String,
}
