//! One model for every CI/CD system: pipelines → jobs → steps, each step
//! with the container-related meanings found in it.

use crate::walk::CiSystem;
pub use kubeready_shell::Meaning;

/// One CI configuration file (or Jenkinsfile), normalised.
#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    pub file: String,
    pub system: Option<CiSystem>,
    pub name: String,
    /// Pipeline-level triggers (GitHub `on:`, Azure `trigger:`/`pr:`).
    pub triggers: Vec<Trigger>,
    pub jobs: Vec<Job>,
    /// When the file is only a template/include fragment or a reusable
    /// workflow (`on: workflow_call`), its jobs run when called.
    pub reusable: bool,
    /// Literal variables the file sets (`env:`, `variables:`,
    /// `environment:`), on the first pipeline of each file.
    pub env: Vec<super::env::EnvVar>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TriggerKind {
    /// A push to a branch (branch filters in `branches`).
    Push,
    /// A pushed tag.
    Tag,
    PullRequest,
    /// Manual only: `workflow_dispatch`, GitLab `when: manual`, Jenkins `input`.
    Manual,
    Schedule,
    Release,
    /// GitHub `workflow_run`, GitLab pipeline triggers, CircleCI/Azure pipeline completion.
    WorkflowRun,
    /// Called by another workflow.
    WorkflowCall,
    /// API/webhook/other triggers.
    Other(String),
}

impl TriggerKind {
    /// Push, tag, release, schedule and workflow_run are automatic.
    pub fn is_automatic(&self) -> bool {
        matches!(
            self,
            TriggerKind::Push
                | TriggerKind::Tag
                | TriggerKind::Release
                | TriggerKind::Schedule
                | TriggerKind::WorkflowRun
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub kind: TriggerKind,
    pub line: u32,
    /// Branch or tag filters, when given.
    pub branches: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Job {
    pub id: String,
    pub name: String,
    /// The file the job is defined in (an include or a local reusable
    /// workflow may differ from the pipeline's file).
    pub file: String,
    pub line: u32,
    /// Job-level triggers when the job narrows or replaces the pipeline's
    /// (GitLab `rules:`/`only:`/`when: manual`, GitHub `if:` on events,
    /// Jenkins `input`, CircleCI workflow filters). `None` = inherit.
    pub triggers: Option<Vec<Trigger>>,
    pub environment: Option<Environment>,
    /// The image the job's steps run inside (`container:`, GitLab `image:`).
    pub container: Option<ImageUse>,
    /// Sidecar service containers (`services:`).
    pub services: Vec<ImageUse>,
    pub needs: Vec<String>,
    pub steps: Vec<Step>,
    /// GitHub `uses:` of a reusable workflow at job level (remote or local).
    pub calls: Option<ReusableCall>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUse {
    pub image: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReusableCall {
    pub target: String,
    pub line: u32,
    pub inputs: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub name: Option<String>,
    /// File and line of the step (a Makefile target or script followed from
    /// CI keeps the CI step's location; meanings carry their own).
    pub file: String,
    pub line: u32,
    pub body: StepBody,
    /// The working directory relative to the repo root (`working-directory:`,
    /// `cd dir &&` prefixes are the parser's to fold in), `""` for the root.
    pub workdir: String,
    pub meanings: Vec<LocatedMeaning>,
}

#[derive(Clone, Debug)]
pub enum StepBody {
    /// A shell script (`run:`, `script:` item, Jenkins `sh`).
    Script(String),
    /// A known or unknown action/orb/task (`uses:`, `- task:`, orb command).
    Action {
        uses: String,
        with: Vec<(String, String)>,
    },
}

/// A meaning with the place it comes from (the CI step, or a line of a
/// script or Makefile that CI calls).
#[derive(Clone, Debug)]
pub struct LocatedMeaning {
    pub file: String,
    pub line: u32,
    pub meaning: Meaning,
}

impl Job {
    /// Effective triggers: the job's own, else the pipeline's.
    pub fn effective_triggers<'a>(&'a self, pipeline: &'a Pipeline) -> &'a [Trigger] {
        match &self.triggers {
            Some(t) => t,
            None => &pipeline.triggers,
        }
    }

    pub fn meanings(&self) -> impl Iterator<Item = &LocatedMeaning> {
        self.steps.iter().flat_map(|s| s.meanings.iter())
    }
}
