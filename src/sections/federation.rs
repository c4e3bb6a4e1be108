//! Section `federation`: multi-cluster and multi-region signals, with
//! advice. Advisory only: sections never count in the checklist's score.
//!
//! Signals of several clusters: distinct kube contexts (`--context`,
//! `--kube-context`) in CI deploys, CI deploy targets named after regions
//! or clusters (`us-east-1`, `prod-cluster-b`), distinct Argo CD
//! destinations (`destination.server`/`destination.name` of Applications
//! and AppProjects), Cluster API `Cluster` objects. Federation tooling:
//! KubeFed (`*.kubefed.io`) and Karmada (`*.karmada.io`) objects, Argo CD
//! ApplicationSets with a `clusters` generator or a list generator naming
//! clusters, Multi-Cluster Services (`ServiceExport`/`ServiceImport`).
//!
//! not-applicable (score 0) without any signal or tooling; partial
//! (score 5) when two or more clusters are targeted without federation
//! tooling; done (score 10) with federation tooling.

use super::{deploy_meaning, is_argo, list_some, SectionContext, SectionDescriptor, KUBE_TOOLS};
use crate::checklist::{Evidence, Status, StepResult};

/// This section, as the registry ([`super::SECTIONS`]) lists it.
pub const SECTION: SectionDescriptor = SectionDescriptor {
    id: "federation",
    number: 11,
    title: "Federation: several clusters and regions",
    explain: EXPLAIN,
    evaluate,
    reads_checklist: false,
};

pub const EXPLAIN: &str = "Section `federation` (advisory): multi-cluster and multi-region signals
(several kube contexts or cluster targets in CD, Argo CD destinations,
KubeFed/Karmada objects, ApplicationSets over clusters).

not-applicable without signals; partial (5) when several clusters are
targeted without federation tooling; done (10) with it. etcd's Raft wants
low latency: keep each cluster local to its region and regroup the
clusters in a federation that synchronises and discovers resources.";

/// Whether a target name reads like a region or a cluster.
fn regional(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    if l.contains("cluster") || l.contains("region") {
        return true;
    }
    let words: Vec<&str> = l.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    // us-east-1, eu-west-2, europe-west1, asia-southeast1, ap-south-1.
    let areas = [
        "us",
        "eu",
        "ap",
        "sa",
        "ca",
        "me",
        "af",
        "europe",
        "asia",
        "australia",
        "northamerica",
        "southamerica",
    ];
    let dirs = [
        "east",
        "west",
        "north",
        "south",
        "central",
        "northeast",
        "southeast",
        "northwest",
        "southwest",
    ];
    words
        .windows(2)
        .any(|w| areas.contains(&w[0]) && dirs.iter().any(|d| w[1].starts_with(d)))
}

/// The facts the section judges, gathered by [`collect`].
#[derive(Debug, Default)]
struct Federation {
    /// Distinct clusters targeted (kube contexts, regional deploy targets,
    /// Argo CD destinations, clusters listed by ApplicationSets or Karmada,
    /// Cluster API clusters); no templated names.
    clusters: Vec<String>,
    /// Where clusters are targeted.
    signals: Vec<Evidence>,
    /// Federation tooling (KubeFed, Karmada, ApplicationSets over
    /// clusters, Multi-Cluster Services).
    tooling: Vec<Evidence>,
}

pub fn evaluate(cx: &SectionContext<'_>) -> StepResult {
    judge(collect(cx))
}

/// What the tree shows: the clusters targeted and any federation tooling.
fn collect(cx: &SectionContext<'_>) -> Federation {
    let o = cx.orchestration();
    let mut clusters: Vec<String> = Vec::new();
    let mut signals: Vec<Evidence> = Vec::new();
    let mut tooling: Vec<Evidence> = Vec::new();
    let add = |clusters: &mut Vec<String>, c: &str| {
        // `in-cluster` is Argo CD's name for the local API server.
        let c = if c == "in-cluster" {
            "https://kubernetes.default.svc"
        } else {
            c
        };
        if !c.is_empty()
            && !c.contains("{{")
            && !c.contains('$')
            && !clusters.iter().any(|x| x == c)
        {
            clusters.push(c.to_string());
        }
    };

    for d in &cx.graph.deploys {
        if !KUBE_TOOLS.contains(&d.tool.as_str()) {
            continue;
        }
        if let Some(ctx) = deploy_meaning(cx, d).and_then(|m| m.context.as_deref()) {
            add(&mut clusters, ctx);
            signals.push(Evidence::new(
                &d.file,
                d.line,
                format!("CI deploys to kube context `{ctx}`"),
            ));
        } else if regional(&d.target) {
            add(&mut clusters, &d.target);
            signals.push(Evidence::new(
                &d.file,
                d.line,
                format!(
                    "CI deploys to `{}`, named like a region or cluster",
                    d.target
                ),
            ));
        }
    }
    for x in &o.objects {
        let group = x.api_version.split('/').next().unwrap_or_default();
        if is_argo(x) && x.kind != "ApplicationSet" {
            for (k, v) in &x.spec_summary {
                if k == "destination.server" || k == "destination.name" {
                    add(&mut clusters, v);
                    signals.push(Evidence::new(
                        &x.file,
                        x.line,
                        format!("Argo CD {} `{}` targets cluster `{v}`", x.kind, x.name),
                    ));
                }
            }
        }
        if is_argo(x) && x.kind == "ApplicationSet" {
            let gens: Vec<&str> = x
                .spec_summary
                .iter()
                .filter(|(k, _)| k == "generator")
                .map(|(_, v)| v.as_str())
                .collect();
            let listed: Vec<&str> = x
                .spec_summary
                .iter()
                .filter(|(k, _)| k == "list.server" || k == "list.cluster")
                .map(|(_, v)| v.as_str())
                .collect();
            if gens.contains(&"clusters") || gens.contains(&"clusterDecisionResource") {
                tooling.push(Evidence::new(
                    &x.file,
                    x.line,
                    format!(
                        "Argo CD ApplicationSet `{}` generates an Application per cluster",
                        x.name
                    ),
                ));
            } else if listed.len() >= 2 {
                for c in &listed {
                    add(&mut clusters, c);
                }
                tooling.push(Evidence::new(
                    &x.file,
                    x.line,
                    format!(
                        "Argo CD ApplicationSet `{}` lists clusters {}",
                        x.name,
                        listed.join(", ")
                    ),
                ));
            }
        }
        if group.ends_with("kubefed.io") {
            tooling.push(Evidence::new(
                &x.file,
                x.line,
                format!("KubeFed {} `{}`", x.kind, x.name),
            ));
        }
        if group.ends_with("karmada.io") {
            tooling.push(Evidence::new(
                &x.file,
                x.line,
                format!("Karmada {} `{}`", x.kind, x.name),
            ));
            for (k, v) in &x.spec_summary {
                if k == "cluster" {
                    add(&mut clusters, v);
                }
            }
        }
        if group == "multicluster.x-k8s.io"
            && matches!(x.kind.as_str(), "ServiceExport" | "ServiceImport")
        {
            tooling.push(Evidence::new(
                &x.file,
                x.line,
                format!("Multi-Cluster Services {} `{}`", x.kind, x.name),
            ));
        }
        if group == "cluster.x-k8s.io" && x.kind == "Cluster" {
            add(&mut clusters, &x.name);
            signals.push(Evidence::new(
                &x.file,
                x.line,
                format!("Cluster API Cluster `{}`", x.name),
            ));
        }
    }
    Federation {
        clusters,
        signals,
        tooling,
    }
}

/// The status, score, summary and next steps the facts call for.
fn judge(facts: Federation) -> StepResult {
    let Federation {
        clusters,
        signals,
        tooling,
    } = facts;
    let several = clusters.len() >= 2;
    if tooling.is_empty() && !several {
        let mut r = SECTION.result(
            Status::NotApplicable,
            0,
            "no multi-cluster signal (one cluster or none)",
        );
        r.evidence = signals;
        return r;
    }
    let cl = list_some(
        &clusters
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>(),
        4,
    );
    if tooling.is_empty() {
        let mut r = SECTION.result(
            Status::Partial,
            5,
            format!(
                "{} clusters targeted ({cl}) without federation tooling",
                clusters.len()
            ),
        );
        let at = signals
            .first()
            .map(|e| format!(" (`{}:{}`)", e.file, e.line))
            .unwrap_or_default();
        r.evidence = signals;
        r.next_steps.push(format!(
            "Regroup the clusters you deploy to{at} in a federation: keep each cluster local to its region (etcd's Raft consensus wants low latency between members, so never stretch one cluster across regions) and manage them together with Karmada or an Argo CD ApplicationSet with a `clusters` generator (e.g. `deploy/applicationset.yaml`)."
        ));
        r.next_steps.push(
            "Synchronise and discover resources across the clusters: propagate the same manifests to every cluster from one place, and export Services with the Multi-Cluster Services API (`ServiceExport`/`ServiceImport`) or a multi-cluster mesh.".into(),
        );
        return r;
    }
    let summary = if clusters.is_empty() {
        "federation tooling in place".to_string()
    } else {
        format!(
            "federation tooling over {} cluster(s) ({cl})",
            clusters.len()
        )
    };
    let mut r = SECTION.result(Status::Done, 10, summary);
    r.evidence = signals;
    r.evidence.extend(tooling);
    r
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sections::testing::{run, with, GO_SERVICE};

    #[test]
    fn regions_and_clusters_by_name() {
        assert!(regional("prod-us-east-1"));
        assert!(regional("europe-west1"));
        assert!(regional("cluster-b"));
        assert!(!regional("staging"));
        assert!(!regional("production"));
    }

    #[test]
    fn judges_hand_made_facts() {
        let at = |line| Evidence::new("ci.yml", line, "CI deploys to kube context");
        let r = judge(Federation::default());
        assert_eq!((r.status, r.score), (Status::NotApplicable, 0));
        // One cluster is no federation question; its signal is kept.
        let r = judge(Federation {
            clusters: vec!["prod".into()],
            signals: vec![at(3)],
            ..Federation::default()
        });
        assert_eq!(r.status, Status::NotApplicable);
        assert_eq!(r.evidence.len(), 1);
        // Two clusters without tooling: partial 5, pointed at the first signal.
        let r = judge(Federation {
            clusters: vec!["prod-eu".into(), "prod-us".into()],
            signals: vec![at(9), at(10)],
            ..Federation::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 5));
        assert!(r
            .summary
            .starts_with("2 clusters targeted (`prod-eu`, `prod-us`)"));
        assert!(
            r.next_steps[0].contains("(`ci.yml:9`)"),
            "{:?}",
            r.next_steps
        );
        // Tooling, even without named clusters: done.
        let r = judge(Federation {
            tooling: vec![Evidence::new(
                "fed.yaml",
                1,
                "Karmada PropagationPolicy `x`",
            )],
            ..Federation::default()
        });
        assert_eq!((r.status, r.score), (Status::Done, 10));
        assert_eq!(r.summary, "federation tooling in place");
    }

    #[test]
    fn not_applicable_without_signals() {
        let r = run(GO_SERVICE).section(SECTION.id);
        assert_eq!(r.status, Status::NotApplicable);
        assert!(r.next_steps.is_empty());
    }

    #[test]
    fn partial_with_two_kube_contexts() {
        let ci = "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: kubectl --context prod-eu apply -f k8s/\n      - run: kubectl --context prod-us apply -f k8s/\n";
        let dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n";
        let r = run(&with(
            GO_SERVICE,
            &[(".github/workflows/cd.yml", ci), ("k8s/api.yaml", dep)],
        ))
        .ci_deploy(
            "kubectl",
            "apply",
            "production",
            true,
            &["k8s/"],
            Some("prod-eu"),
        )
        .ci_deploy(
            "kubectl",
            "apply",
            "production",
            true,
            &["k8s/"],
            Some("prod-us"),
        )
        .section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert_eq!(r.score, 5);
        assert!(
            r.next_steps[0].contains("etcd's Raft"),
            "{:?}",
            r.next_steps
        );
        assert!(r.evidence.iter().any(|e| e.message.contains("`prod-us`")));
    }

    #[test]
    fn partial_with_argo_applications_on_two_servers() {
        let app = |name: &str, server: &str| {
            format!("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/acme/api\n    path: k8s\n  destination:\n    server: {server}\n    namespace: api\n")
        };
        let eu = app("api-eu", "https://eu.k8s.acme.internal");
        let us = app("api-us", "https://us.k8s.acme.internal");
        let local = app("api-local", "https://kubernetes.default.svc");
        let files: Vec<(&str, &str)> = GO_SERVICE
            .iter()
            .copied()
            .chain([
                ("argocd/eu.yaml", eu.as_str()),
                ("argocd/us.yaml", us.as_str()),
            ])
            .collect();
        let r = run(&files).section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert!(r.summary.contains("2 clusters"), "{}", r.summary);
        // One cluster only (the local API server under both names): n/a.
        let alias = local
            .replace("https://kubernetes.default.svc", "in-cluster")
            .replace("server:", "name:");
        let files: Vec<(&str, &str)> = GO_SERVICE
            .iter()
            .copied()
            .chain([
                ("argocd/a.yaml", local.as_str()),
                ("argocd/b.yaml", alias.as_str()),
            ])
            .collect();
        assert_eq!(
            run(&files).section(SECTION.id).status,
            Status::NotApplicable
        );
    }

    #[test]
    fn done_with_an_applicationset_over_clusters() {
        let set = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: api\nspec:\n  generators:\n    - clusters: {}\n  template:\n    metadata:\n      name: 'api-{{name}}'\n    spec:\n      project: default\n      source:\n        repoURL: https://github.com/acme/api\n        path: k8s\n      destination:\n        server: '{{server}}'\n        namespace: api\n";
        let r = run(&with(GO_SERVICE, &[("deploy/appset.yaml", set)])).section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert_eq!(r.score, 10);
        assert!(r.evidence.iter().any(|e| e.file == "deploy/appset.yaml"));
    }
}
