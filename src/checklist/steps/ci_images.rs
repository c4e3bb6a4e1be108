//! Step 6: CI uses the images.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use super::component_label;
use crate::checklist::{scaled, Evidence, Status, StepContext, StepId, StepResult};

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 6: CI uses the images.

covered = containerized components whose built image CI runs (`docker
run`, Compose `up`/`run`, a job container, a `--target test` build,
container-structure-test, a deploy to a throwaway kind/k3d/minikube
cluster followed by tests). score = ⌊10 × covered / total⌋ (at most 9 until
done), or 2 when CI
runs only other containers (service containers, public job images);
done when every component is covered, missing when CI runs no container.";

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::CiImages;
    let g = cx.graph;
    let comps: Vec<usize> = g.containerized().map(|(c, _)| c).collect();
    let mut evidence = Vec::new();
    let mut covered = Vec::new();
    for run in &g.runs {
        let ours: Vec<usize> = run
            .components
            .iter()
            .copied()
            .filter(|c| comps.contains(c))
            .collect();
        if ours.is_empty() {
            evidence.push(Evidence::new(
                &run.file,
                run.line,
                format!(
                    "{} `{}` (not an image the repo builds)",
                    run.kind.describe(),
                    run.image
                ),
            ));
        } else {
            let names: Vec<String> = ours.iter().map(|c| component_label(cx, *c)).collect();
            evidence.push(Evidence::new(
                &run.file,
                run.line,
                format!("{} {}", run.kind.describe(), names.join(", ")),
            ));
            covered.extend(ours);
        }
    }
    covered.sort_unstable();
    covered.dedup();
    let n = covered.len();
    let total = comps.len();
    let (status, score) = if total > 0 && n == total {
        (Status::Done, 10)
    } else if n > 0 {
        (Status::Partial, scaled(n, total).min(9))
    } else if !g.runs.is_empty() {
        (Status::Partial, 2)
    } else {
        (Status::Missing, 0)
    };
    let summary = if total == 0 {
        "no image to run yet".to_string()
    } else {
        format!("CI runs {n}/{total} of the repo's images")
    };
    let mut r = StepResult::new(id, status, score, summary);
    r.evidence = evidence;
    for &c in &comps {
        if !covered.contains(&c) {
            r.next_steps.push(format!(
                "Run the tests of {} inside its built image in CI (e.g. `docker run <image> <test command>`, `docker compose run`, or a `--target test` build).",
                component_label(cx, c)
            ));
        }
    }
    r
}
