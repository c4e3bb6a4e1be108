//! `KR3xx`: CI/CD pipelines: what they build, push and deploy, and how.
//!
//! The rules read [`crate::parse::ci::Pipeline`]s (jobs, steps and the
//! meanings the CI parsers found in them) and the graph's builds and
//! deploys. Subjects are `file:job` plus the image or action concerned,
//! never a line.

mod kr301_push_latest_only;
mod kr302_push_without_login;
mod kr303_push_from_pull_request;
mod kr304_production_without_staging;
mod kr305_deploy_tag_not_built;
mod kr306_job_image_unpinned;
mod kr307_credential_action_not_pinned;
mod kr308_deploy_on_pull_request;
mod kr309_password_on_command_line;
mod kr310_curl_pipe_shell;
mod kr311_deploy_latest;
mod kr312_hardcoded_secret;
#[cfg(test)]
pub(crate) mod test_support;

use super::Rule;
use crate::image_ref::ImageRef;
use crate::parse::ci::{Job, Pipeline, Step, StepBody, Trigger, TriggerKind};
use crate::parse::Facts;

pub static RULES: &[&dyn Rule] = &[
    &kr301_push_latest_only::Rule,
    &kr302_push_without_login::Rule,
    &kr303_push_from_pull_request::Rule,
    &kr304_production_without_staging::Rule,
    &kr305_deploy_tag_not_built::Rule,
    &kr306_job_image_unpinned::Rule,
    &kr307_credential_action_not_pinned::Rule,
    &kr308_deploy_on_pull_request::Rule,
    &kr309_password_on_command_line::Rule,
    &kr310_curl_pipe_shell::Rule,
    &kr311_deploy_latest::Rule,
    &kr312_hardcoded_secret::Rule,
];

/// Every job of every pipeline, with their indices (as the graph keeps them).
pub(crate) fn jobs(facts: &Facts) -> impl Iterator<Item = (usize, &Pipeline, usize, &Job)> {
    facts
        .pipelines
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| p.jobs.iter().enumerate().map(move |(ji, j)| (pi, p, ji, j)))
}

/// The file a job is defined in.
pub(crate) fn job_file<'a>(p: &'a Pipeline, j: &'a Job) -> &'a str {
    if j.file.is_empty() {
        &p.file
    } else {
        &j.file
    }
}

/// `file:job`, a job's stable subject.
pub(crate) fn job_key(p: &Pipeline, j: &Job) -> String {
    format!("{}:{}", job_file(p, j), j.id)
}

/// "job `build` of `.github/workflows/ci.yml`"
pub(crate) fn describe_job(p: &Pipeline, j: &Job) -> String {
    format!("job `{}` of `{}`", j.id, job_file(p, j))
}

/// A pull/merge request trigger (`pull_request_target` included).
pub(crate) fn is_pr_trigger(t: &Trigger) -> bool {
    match &t.kind {
        TriggerKind::PullRequest => true,
        TriggerKind::Other(s) => {
            let s = s.to_ascii_lowercase();
            s.contains("pull_request") || s.contains("merge_request")
        }
        _ => false,
    }
}

/// Whether the job can run for a pull request.
pub(crate) fn runs_on_pr(p: &Pipeline, j: &Job) -> bool {
    j.effective_triggers(p).iter().any(is_pr_trigger)
}

/// Whether the job runs only for pull requests (or by hand).
pub(crate) fn pr_only(p: &Pipeline, j: &Job) -> bool {
    let t = j.effective_triggers(p);
    t.iter().any(is_pr_trigger)
        && t.iter()
            .all(|t| is_pr_trigger(t) || t.kind == TriggerKind::Manual)
}

/// Whether conditions below the job level may hide from the model: GitHub
/// step `if:` is not kept per step, so a step of a job that also runs on
/// other events may be guarded against pull requests.
pub(crate) fn step_guards_unseen(p: &Pipeline) -> bool {
    p.system.is_some_and(|s| s.info().step_conditions_unseen)
}

/// An explicit `:latest`, or no tag on a literal name. References built
/// from variables without a visible tag are unknown (`$IMAGE` may carry one).
pub(crate) fn is_latest_ref(image: &str) -> bool {
    let r = ImageRef::parse(image);
    if r.repository.is_empty() || r.digest.is_some() {
        return false;
    }
    match r.tag.as_deref() {
        Some(t) => t == "latest",
        None => !(image.contains('$') || image.contains("{{")),
    }
}

/// The `uses:` of an action step, without its `@ref`.
pub(crate) fn action_name(step: &Step) -> Option<&str> {
    match &step.body {
        StepBody::Action { uses, .. } => Some(uses.split('@').next().unwrap_or(uses)),
        StepBody::Script(_) => None,
    }
}

/// An action input's value.
pub(crate) fn action_input<'a>(step: &'a Step, key: &str) -> Option<&'a str> {
    match &step.body {
        StepBody::Action { with, .. } => {
            with.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
        }
        StepBody::Script(_) => None,
    }
}

/// The 1-based line of command `offset` lines into a script step (the
/// same convention as the meanings' lines).
pub(crate) fn script_line(step: &Step, offset: u32) -> u32 {
    step.line.saturating_add(offset)
}

#[cfg(test)]
mod tests {
    #[test]
    fn latest_refs() {
        assert!(super::is_latest_ref("acme/api"));
        assert!(super::is_latest_ref("ghcr.io/acme/api:latest"));
        assert!(super::is_latest_ref("$REGISTRY/api:latest"));
        assert!(!super::is_latest_ref("$IMAGE"));
        assert!(!super::is_latest_ref("acme/api:${{ github.sha }}"));
        assert!(!super::is_latest_ref("acme/api@sha256:abc"));
    }
}
