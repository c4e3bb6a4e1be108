//! Step 5: automated image builds.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use super::{ci_hint, component_def_file, component_label};
use crate::checklist::{Evidence, Status, StepContext, StepId, StepResult};
use crate::graph::Build;
use std::collections::HashMap;

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 5: automated image builds.

Per containerized component: 1 when CI builds it automatically (push,
tag, release, schedule, workflow_run) and pushes it; 0.6 when it is
built and either pushed or automatic but not both; 0.3 when it is only
built by hand or on pull requests. score = ⌊10 × mean⌋ (at most 9 until done); done when every
component scores 1; missing when CI builds nothing.";

/// The builds of every component, in build order: one pass over the
/// builds (a scan of every build per component was quadratic).
fn builds_by_component<'a>(cx: &'a StepContext<'_>) -> HashMap<usize, Vec<&'a Build>> {
    let g = cx.graph;
    let mut out: HashMap<usize, Vec<&'a Build>> = HashMap::new();
    let mut comps: Vec<usize> = Vec::new();
    for b in &g.builds {
        comps.clear();
        comps.extend(
            b.image_defs
                .iter()
                .filter_map(|d| g.image_defs.get(*d))
                .flat_map(|def| def.components.iter().copied()),
        );
        comps.sort_unstable();
        comps.dedup();
        for &c in &comps {
            out.entry(c).or_default().push(b);
        }
    }
    out
}

fn build_value(b: &Build) -> f64 {
    let automatic = b.automatic && !b.pull_request_only;
    match (automatic, b.push) {
        (true, true) => 1.0,
        (true, false) | (false, true) => 0.6,
        (false, false) => 0.3,
    }
}

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::ImageBuilds;
    let comps: Vec<usize> = cx.graph.containerized().map(|(c, _)| c).collect();
    if comps.is_empty() {
        let mut r = StepResult::new(id, Status::Missing, 0, "no image definition to build yet");
        r.next_steps.push("Once a Dockerfile exists, build and push its image from CI on every push to the main branch.".into());
        return r;
    }
    let mut total = 0.0;
    let mut full = 0;
    let mut evidence = Vec::new();
    let mut next = Vec::new();
    let by_component = builds_by_component(cx);
    for &c in &comps {
        let builds: &[&Build] = by_component.get(&c).map(Vec::as_slice).unwrap_or(&[]);
        let best = builds
            .iter()
            .copied()
            .max_by(|a, b| build_value(a).total_cmp(&build_value(b)));
        match best {
            Some(b) => {
                let v = build_value(b);
                total += v;
                if v >= 1.0 {
                    full += 1;
                }
                let how = match (b.automatic && !b.pull_request_only, b.push) {
                    (true, true) => "built and pushed automatically",
                    (true, false) => "built automatically but never pushed",
                    (false, true) if b.manual => "built and pushed, but only on a manual trigger",
                    (false, true) => "built and pushed, but only on pull requests",
                    (false, false) if b.manual => "built only on a manual trigger",
                    (false, false) => "built only on pull requests",
                };
                evidence.push(Evidence::new(
                    &b.file,
                    b.line,
                    format!("{}: {how} ({})", component_label(cx, c), b.tool),
                ));
                if v < 1.0 {
                    let fix = if !b.push {
                        "push it to a registry"
                    } else {
                        "run the build on pushes to the main branch or on tags"
                    };
                    next.push(format!(
                        "Make the CI build of {} at `{}:{}` {fix}.",
                        component_label(cx, c),
                        b.file,
                        b.line
                    ));
                }
            }
            None => {
                let def = component_def_file(cx, c)
                    .map(|f| format!(" from `{f}`"))
                    .unwrap_or_default();
                next.push(format!("Add {} that builds and pushes the image of {}{def} on pushes to the main branch.", ci_hint(cx), component_label(cx, c)));
            }
        }
    }
    let any_build = !cx.graph.builds.is_empty();
    let score = ((total * 10.0) / comps.len() as f64)
        .floor()
        .clamp(0.0, 10.0) as u8;
    let status = if full == comps.len() {
        Status::Done
    } else if !any_build || total == 0.0 {
        Status::Missing
    } else {
        Status::Partial
    };
    let summary = format!(
        "{full}/{} components built and pushed automatically",
        comps.len()
    );
    let mut r = StepResult::new(
        id,
        status,
        if status == Status::Done {
            10
        } else {
            score.min(9)
        },
        summary,
    );
    r.evidence = evidence;
    r.next_steps = next;
    r
}
