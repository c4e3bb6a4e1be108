//! Step 3: a Compose file for the whole app.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use super::{component_def_file, component_label};
use crate::checklist::{scaled, Evidence, Status, StepContext, StepId, StepResult};
use crate::finding::Severity;
use crate::paths;

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 3: a Compose file for the whole app.

Measured against containerized components (services with an image
definition, and image-only components). score = ⌊10 × covered / total⌋,
capped at 7 while an error-severity finding sits in a Compose file;
done when every component has a Compose service (by `build:` or by an
`image:` that CI builds) and no such error exists; partial when a
Compose file exists but misses components or has errors.";

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::Compose;
    let projects = &cx.facts.compose;
    if projects.is_empty() {
        let mut r = StepResult::new(id, Status::Missing, 0, "no Compose file found");
        // A command-line helper shipped beside the server is no Compose
        // service (SPEC 1.2: advice fits each component's role).
        let comps: Vec<String> = crate::kind::running_components(cx.facts, cx.graph)
            .into_iter()
            .map(|(c, _)| component_label(cx, c))
            .collect();
        if comps.is_empty() {
            r.next_steps.push("Write `compose.yaml` at the repo root with a service per component once they have Dockerfiles.".into());
        } else {
            r.next_steps.push(format!(
                "Write `compose.yaml` at the repo root with a service for each of: {}.",
                comps.join(", ")
            ));
        }
        return r;
    }
    let compose_files: Vec<&String> = projects.iter().flat_map(|p| p.files.iter()).collect();
    let errors: Vec<_> = cx
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && compose_files.contains(&&f.location.file))
        .collect();
    let containerized: Vec<usize> = cx.graph.containerized().map(|(c, _)| c).collect();
    let total = containerized.len();
    let main = projects.iter().find(|p| !p.variant).or(projects.first());
    // The first link of each component, found once (a scan of the links
    // per component was quadratic in a Compose file of 1,000 services).
    let mut first_link: crate::fast_hash::FastMap<usize, &crate::graph::ComposeLink> =
        Default::default();
    for l in &cx.graph.compose_links {
        for &c in &l.components {
            first_link.entry(c).or_insert(l);
        }
    }
    let mut covered = Vec::new();
    let mut covered_set: crate::fast_hash::FastSet<usize> = Default::default();
    let mut r_evidence = Vec::new();
    for &c in &containerized {
        if let Some(link) = first_link.get(&c) {
            covered_set.insert(c);
            covered.push(c);
            r_evidence.push(Evidence::new(
                &link.file,
                link.line,
                format!("service `{}` runs {}", link.service, component_label(cx, c)),
            ));
        }
    }
    let n = covered.len();
    let mut score = if total == 0 { 5 } else { scaled(n, total) };
    if !errors.is_empty() {
        score = score.min(7);
    }
    let status = if total > 0 && n == total && errors.is_empty() {
        Status::Done
    } else {
        Status::Partial
    };
    let summary = if total == 0 {
        "a Compose file exists; no containerized component yet".to_string()
    } else {
        format!("{n}/{total} containerized components have a Compose service")
    };
    let mut r = StepResult::new(id, status, score, summary);
    r.evidence = r_evidence;
    if let Some(p) = main {
        r.evidence.push(Evidence::new(
            &p.file,
            1,
            format!("Compose project with {} service(s)", p.services.len()),
        ));
    }
    let target = main
        .map(|p| p.file.clone())
        .unwrap_or_else(|| "compose.yaml".into());
    for &c in &containerized {
        if covered_set.contains(&c) {
            continue;
        }
        let hint = match (component_def_file(cx, c), cx.graph.components.get(c)) {
            (Some(f), Some(comp))
                if f.ends_with("Dockerfile") && paths::parent(&f) == comp.path =>
            {
                format!(" (`build: ./{}`)", paths::display(&comp.path))
            }
            (Some(f), Some(comp)) => format!(
                " (`build: {{context: ./{}, dockerfile: {}}}`)",
                paths::display(&comp.path),
                f
            ),
            _ => String::new(),
        };
        r.next_steps.push(format!(
            "Add a service for {} to `{}`{}.",
            component_label(cx, c),
            target,
            hint
        ));
    }
    for e in &errors {
        r.evidence.push(Evidence::new(
            &e.location.file,
            e.location.line,
            format!("{}: {}", e.code, e.message),
        ));
    }
    if !errors.is_empty() {
        r.next_steps.push(format!(
            "Fix the {} error-severity finding(s) in the Compose files.",
            errors.len()
        ));
    }
    r
}
