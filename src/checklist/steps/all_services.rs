//! Step 2: Dockerfiles (or Dockerfile-less image builds) for every
//! buildable service.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use super::describe_service;
use crate::checklist::{scaled, Evidence, Status, StepContext, StepId, StepResult};
use crate::paths;

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 2: Dockerfiles (or Dockerfile-less image builds) for every
buildable service.

coverage = containerized services / buildable services; score =
⌊10 × coverage⌋; done at 100%, partial above 0, missing at 0. With no
buildable service (only image-only components) the step is
not-applicable.";

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::AllServices;
    let g = cx.graph;
    let total = g.services.len();
    if total == 0 {
        let mut r = StepResult::new(
            id,
            Status::NotApplicable,
            0,
            "no buildable service detected; image-only components count in steps 3 and 5",
        );
        r.reason = Some("no buildable service detected".into());
        return r;
    }
    let covered: Vec<usize> = (0..total)
        .filter(|&i| g.is_service_containerized(i))
        .collect();
    let n = covered.len();
    let status = match n {
        0 => Status::Missing,
        n if n == total => Status::Done,
        _ => Status::Partial,
    };
    let mut r = StepResult::new(
        id,
        status,
        scaled(n, total),
        format!("{n}/{total} buildable services have an image definition"),
    );
    for (i, s) in g.services.iter().enumerate() {
        if covered.contains(&i) {
            let Some(comp) = g.component_of_service(i).and_then(|c| g.components.get(c)) else {
                continue;
            };
            for d in comp.image_defs.iter().filter_map(|d| g.image_defs.get(*d)) {
                r.evidence.push(Evidence::new(
                    &d.file,
                    d.line,
                    format!("builds `{}`: {}", paths::display(&s.path), d.owner_reason),
                ));
            }
        } else {
            r.evidence.push(Evidence::new(
                &s.manifest,
                s.line,
                format!(
                    "`{}` ({}) has no image definition",
                    paths::display(&s.path),
                    s.language
                ),
            ));
            r.next_steps
                .push(format!("Write a Dockerfile for {}.", describe_service(s)));
        }
    }
    r
}
