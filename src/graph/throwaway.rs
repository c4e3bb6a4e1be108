//! Runs of the built images in a throwaway cluster (SPEC §1 step 6: "a
//! deploy of the built images to a throwaway cluster (kind, k3d,
//! minikube, a skaffold run to a test context) followed by tests or smoke
//! checks against it"). A local cluster is throwaway; so is a namespace
//! a CI run makes for itself on a shared cluster (`kubectl create
//! namespace "pr-$PR_NUMBER"`, then `skaffold run --namespace=...`):
//! nothing else is served from it. A deploy to a fixed namespace
//! (`staging`) is a deploy (step 7), not a test run.

use super::{Graph, Run, RunKind};
use crate::parse::ci::{Job, Meaning, StepBody};

/// Words of a script that check a deployment (smoke tests).
const SMOKE_CHECKS: &[&str] = &[
    "kubectl wait",
    "rollout status",
    "helm test",
    "chainsaw test",
    "kuttl test",
    "curl ",
    "wget ",
    "make e2e",
    "test-e2e",
    "e2e-test",
    "test:e2e",
    "e2e.sh",
    "smoke",
];

/// Variables that identify one CI run or one pull request: a namespace
/// named from them belongs to that run.
const RUN_IDENTITY: &[&str] = &[
    "pr_number",
    "pull_request",
    "pr_id",
    "run_id",
    "run_number",
    "github.event.number",
    "github.sha",
    "github_sha",
    "short_sha",
    "commit_sha",
    "build_id",
    "build_number",
    "buildid",
    "buildnumber",
    "pipeline_id",
    "ci_job_id",
    "merge_request_iid",
];

/// A job that deploys its images to a throwaway cluster (kind, k3d,
/// minikube, or a namespace made for the run) and then tests or
/// smoke-checks them runs the images: one run for the components its
/// deploys use and the images it loads into the cluster. A cluster with
/// no deploy or load, or nothing that checks after it, is not a run.
pub(super) fn throwaway_cluster_run(
    g: &mut Graph,
    first_deploy: usize,
    pi: usize,
    ji: usize,
    j: &Job,
) {
    // The first step whose script creates a namespace, found once.
    let creates_at = j.steps.iter().position(|s| match &s.body {
        StepBody::Script(t) => creates_namespace(t),
        StepBody::Action { .. } => false,
    });
    let mut names: std::collections::HashMap<String, bool> = Default::default();
    let Some((first, tool, file, line)) = j.steps.iter().enumerate().find_map(|(i, s)| {
        s.meanings.iter().find_map(|m| match &m.meaning {
            Meaning::LocalCluster { tool, .. } => Some((i, tool.clone(), m.file.clone(), m.line)),
            // A deploy to a local cluster's kube context (`skaffold run
            // --kube-context kind-ci`, `kubectl --context minikube`).
            Meaning::Deploy(d) => d
                .context
                .as_deref()
                .and_then(local_cluster_context)
                .map(str::to_string)
                .or_else(|| {
                    let ns = d.namespace.as_deref()?;
                    // Made by a script of the job up to the deploy.
                    let made = creates_at.is_some_and(|c| c <= i);
                    // One look at the job's scripts per namespace.
                    let per_run = made
                        && *names
                            .entry(ns.to_string())
                            .or_insert_with(|| per_run_name(j, ns));
                    per_run.then(|| "per-run namespace".to_string())
                })
                .map(|t| (i, t, m.file.clone(), m.line)),
            _ => None,
        })
    }) else {
        return;
    };
    let after = j.steps.get(first..).unwrap_or(&[]);
    let loaded: Vec<&String> = after
        .iter()
        .flat_map(|s| s.meanings.iter())
        .filter_map(|m| match &m.meaning {
            Meaning::LocalCluster { images, .. } => Some(images.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    let deploys: Vec<usize> = g
        .deploys
        .iter()
        .enumerate()
        .skip(first_deploy)
        .filter(|(_, d)| d.pipeline == pi && d.job == ji)
        .map(|(i, _)| i)
        .collect();
    if loaded.is_empty() && deploys.is_empty() {
        return;
    }
    let later = j.steps.get(first + 1..).unwrap_or(&[]);
    let checked = after.iter().any(|s| {
        s.meanings.iter().any(|m| {
            matches!(
                m.meaning,
                Meaning::TestCommand { .. } | Meaning::ContainerTest { .. }
            )
        })
    }) || later.iter().any(|s| match &s.body {
        StepBody::Script(t) => SMOKE_CHECKS.iter().any(|w| t.contains(w)),
        StepBody::Action { uses, .. } => {
            let u = uses.to_ascii_lowercase();
            u.contains("test") || u.contains("e2e")
        }
    });
    if !checked {
        return;
    }
    let mut comps: Vec<usize> = deploys
        .iter()
        .filter_map(|&d| g.deploys.get(d))
        .flat_map(|d| d.components.iter().copied())
        .collect();
    for img in loaded {
        comps.extend(g.components_for_image(img));
    }
    comps.sort_unstable();
    comps.dedup();
    g.runs.push(Run {
        pipeline: pi,
        job: ji,
        file,
        line,
        kind: RunKind::ThrowawayCluster,
        image: format!("{tool} cluster"),
        components: comps,
    });
}

/// The local-cluster tool a kube context names (`kind-ci`, `k3d-ci`,
/// `minikube`).
pub(super) fn local_cluster_context(context: &str) -> Option<&'static str> {
    let c = context.trim();
    if c.starts_with("kind-") {
        Some("kind")
    } else if c.starts_with("k3d-") {
        Some("k3d")
    } else if c == "minikube" {
        Some("minikube")
    } else {
        None
    }
}

/// Whether the namespace `ns` is named from the run's or the pull
/// request's identity, directly or through the variable it is written
/// from, as the job's scripts assign it (the first assignment).
fn per_run_name(j: &Job, ns: &str) -> bool {
    let Some(var) = variable_name(ns) else {
        // A literal namespace is a fixed, shared one.
        return false;
    };
    let assigned = j.steps.iter().find_map(|s| match &s.body {
        StepBody::Script(t) => assigned_value(t, var),
        StepBody::Action { .. } => None,
    });
    let name = format!("{ns} {}", assigned.unwrap_or_default()).to_ascii_lowercase();
    RUN_IDENTITY.iter().any(|w| name.contains(w))
}

/// The variable a value is written from (`$NAMESPACE`, `${NS}`,
/// `pr-$PR_NUMBER` → `PR_NUMBER`), `None` for a literal.
fn variable_name(value: &str) -> Option<&str> {
    let at = value.find('$')?;
    let rest = value.get(at + 1..)?;
    let rest = rest.strip_prefix('{').unwrap_or(rest);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    rest.get(..end).filter(|v| !v.is_empty())
}

/// The value a script assigns to `var` (`NAMESPACE="pr${PR_NUMBER}"`,
/// `export NS=...`), quotes removed; the first assignment.
fn assigned_value(script: &str, var: &str) -> Option<String> {
    script.lines().find_map(|l| {
        let l = l.trim_start();
        let l = l.strip_prefix("export ").unwrap_or(l).trim_start();
        let v = l.strip_prefix(var)?.strip_prefix('=')?;
        Some(v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// Whether a script creates a namespace: `kubectl create namespace|ns`,
/// or a `kind: Namespace` manifest applied from the script.
fn creates_namespace(script: &str) -> bool {
    let s = script.to_ascii_lowercase();
    s.contains("create namespace")
        || s.contains("create ns ")
        || (s.contains("kind: namespace")
            && (s.contains("kubectl apply") || s.contains("kubectl create")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_variables() {
        assert_eq!(variable_name("$NAMESPACE"), Some("NAMESPACE"));
        assert_eq!(variable_name("pr-${PR_NUMBER}"), Some("PR_NUMBER"));
        assert_eq!(variable_name("staging"), None);
        assert_eq!(
            assigned_value("set -x\n  NAMESPACE=\"pr${PR_NUMBER}\"\n", "NAMESPACE").as_deref(),
            Some("pr${PR_NUMBER}")
        );
        assert_eq!(assigned_value("NAMESPACES=x", "NAMESPACE"), None);
        assert!(creates_namespace("kubectl create namespace \"$NS\""));
        assert!(creates_namespace(
            "cat <<EOF | kubectl apply -f -\nkind: Namespace\nEOF"
        ));
        assert!(!creates_namespace("kubectl apply -f k8s/"));
    }
}
