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

    /// The step's row in the registry ([`super::steps::STEPS`]).
    pub fn descriptor(self) -> &'static super::steps::StepDescriptor {
        &super::steps::STEPS[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.descriptor().key
    }

    /// 1–7, the step's place in the checklist.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    pub fn title(self) -> &'static str {
        self.descriptor().title
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
