//! Step 7: CD to a staging/QA environment with the built images.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use super::component_label;
use crate::checklist::{Evidence, Status, StepContext, StepId, StepResult};
use crate::graph::Deploy;
use crate::parse::k8s::OrchestrationFacts;
use crate::paths;

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 7: CD to a staging/QA environment with the built images.

Each deploy is judged on three conditions: it targets a non-production
environment, it runs automatically, and it uses an image CI builds.
score = 10 when one deploy meets all three (done), else 3 + 2 per
condition the best deploy meets (partial); missing with no deploy.";

fn conditions(d: &Deploy) -> u8 {
    u8::from(d.non_production) + u8::from(d.automatic) + u8::from(!d.components.is_empty())
}

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::CdStaging;
    // A deploy into a cluster the job brings up for its tests is step 6's
    // evidence, not an environment.
    let (throwaway, deploys): (Vec<&Deploy>, Vec<&Deploy>) =
        cx.graph.deploys.iter().partition(|d| d.throwaway_cluster);
    let Some(best) = deploys
        .iter()
        .copied()
        .max_by_key(|d| (conditions(d), std::cmp::Reverse((d.file.clone(), d.line))))
    else {
        let summary = if throwaway.is_empty() {
            "no deployment found in CI"
        } else {
            "no deployment found in CI (only to throwaway test clusters)"
        };
        let mut r = StepResult::new(id, Status::Missing, 0, summary);
        for d in &throwaway {
            r.evidence.push(Evidence::new(
                &d.file,
                d.line,
                format!(
                    "{} {} into a throwaway test cluster: a test, not an environment",
                    d.tool, d.action
                ),
            ));
        }
        let o = cx.orchestration();
        let gitops = o.objects.iter().any(|x| x.is_argo() || x.is_flux());
        r.next_steps.push(if gitops {
            "Add a CD step that bumps the image tag (the commit SHA) in the manifests Argo CD or Flux syncs for staging, so staging runs the images CI builds.".into()
        } else if has_artefacts(o) {
            format!(
                "Add a CD job that deploys the images built by CI to a staging environment automatically with {} (the image tag set to the commit SHA).",
                apply_command(o)
            )
        } else {
            "Add a CD job that deploys the images built by CI to a staging environment automatically (e.g. `helm upgrade --set image.tag=$SHA` or `kubectl set image`).".into()
        });
        return r;
    };
    let met = conditions(best);
    let (status, score) = if met == 3 {
        (Status::Done, 10)
    } else {
        (Status::Partial, 3 + 2 * met)
    };
    let summary = format!("`{}` to `{}`: {}", best.tool, best.target, describe(best));
    let mut r = StepResult::new(id, status, score, summary);
    for d in deploys {
        let comps: Vec<String> = d
            .components
            .iter()
            .map(|c| component_label(cx, *c))
            .collect();
        let what = if comps.is_empty() {
            String::new()
        } else {
            format!(" deploying {}", comps.join(", "))
        };
        r.evidence.push(Evidence::new(
            &d.file,
            d.line,
            format!(
                "{} {} to `{}`{what}: {}",
                d.tool,
                d.action,
                d.target,
                describe(d)
            ),
        ));
    }
    if met < 3 {
        if !best.non_production {
            r.next_steps.push(format!("Deploy to a staging/QA environment before production (the deploy at `{}:{}` targets `{}`).", best.file, best.line, best.target));
        }
        if !best.automatic {
            r.next_steps.push(format!("Run the staging deploy at `{}:{}` automatically on pushes to the main branch, not only by hand.", best.file, best.line));
        }
        if best.components.is_empty() {
            r.next_steps.push(format!("Make the deploy at `{}:{}` use the images CI builds (same image name, tagged with the commit SHA).", best.file, best.line));
        }
    }
    r
}

/// The command that applies what the repository has, as a next step
/// names it: its first Helm chart, else its first kustomization, else the
/// folder of its first manifest (`kubectl apply` without any).
pub fn apply_command(o: &OrchestrationFacts) -> String {
    let or_root = |dir: &str| if dir.is_empty() { "." } else { dir }.to_string();
    if let Some(c) = o.charts.first() {
        return format!(
            "`helm upgrade --install {} {}`",
            c.name.as_deref().unwrap_or("app"),
            or_root(&c.dir)
        );
    }
    if let Some(k) = o.kustomize_files.first() {
        return format!("`kubectl apply -k {}`", or_root(&k.dir));
    }
    match o.objects.iter().find(|x| !x.is_argo() && !x.is_flux()) {
        Some(m) => {
            let dir = paths::parent(&m.file);
            format!(
                "`kubectl apply -f {}`",
                if dir.is_empty() { m.file.as_str() } else { dir }
            )
        }
        None => "`kubectl apply`".to_string(),
    }
}

/// Whether the repository has anything `kubectl`/`helm` could apply.
fn has_artefacts(o: &OrchestrationFacts) -> bool {
    !o.charts.is_empty()
        || !o.kustomize_files.is_empty()
        || o.objects.iter().any(|x| !x.is_argo() && !x.is_flux())
}

fn describe(d: &Deploy) -> String {
    let mut parts = Vec::new();
    parts.push(if d.non_production {
        "non-production"
    } else if d.production {
        "production"
    } else {
        "unnamed environment"
    });
    parts.push(if d.automatic {
        "automatic"
    } else if d.manual {
        "manual only"
    } else {
        "not triggered automatically"
    });
    parts.push(if d.components.is_empty() {
        "does not use the built images"
    } else {
        "uses the built images"
    });
    parts.join(", ")
}
