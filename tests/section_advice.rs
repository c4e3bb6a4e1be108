//! End to end: the sections' advice fits the repository's kind and each
//! component's role (SPEC 1.2), on fixtures reproducing what real
//! repositories got wrong: e2e and example manifests taken for the
//! product's own, a deploy into a throwaway cluster taken for a deploy,
//! command-line helpers asked to become Deployments, and a Terraform
//! module asked for `docker compose up`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{audit_json, step};
use serde_json::Value;

fn section<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no section {id}: {}", report["sections"]))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Every next step and evidence message of the sections, and every next
/// step of the checklist, as one text.
fn all_advice(r: &Value) -> String {
    let mut out = strings(&r["next_steps"]);
    for s in r["sections"].as_array().unwrap() {
        out.extend(strings(&s["next_steps"]));
    }
    out.join("\n")
}

fn finding<'a>(r: &'a Value, code: &str, file: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code && f["file"] == file)
        .unwrap_or_else(|| panic!("no {code} at {file}: {}", r["findings"]))
}

#[test]
fn e2e_and_example_manifests_are_not_the_products_own() {
    let r = audit_json("sections-e2e-manifests");
    assert_eq!(r["repository"]["kind"], "application");
    for id in ["orchestration", "deployment-tooling"] {
        let s = section(&r, id);
        assert_eq!(s["status"], "missing", "{id}: {s}");
        for e in s["evidence"].as_array().unwrap() {
            let file = e["file"].as_str().unwrap();
            assert!(
                !file.starts_with("examples/") && !file.starts_with("shop-e2e/"),
                "{id} cites {e}"
            );
        }
    }
    let advice = all_advice(&r);
    assert!(!advice.contains("shop-e2e"), "{advice}");
    assert!(!advice.contains("examples/"), "{advice}");
    assert!(
        strings(&section(&r, "orchestration")["next_steps"])[0].contains("for `shop`"),
        "{advice}"
    );
    // Step 7 offers no `kubectl apply -f shop-e2e/k8s`.
    let cd = strings(&step(&r, "cd-staging")["next_steps"]).join("\n");
    assert!(!cd.contains("kubectl apply -f"), "{cd}");
    // The suite's images still run in CI: step 6 keeps the k3s run.
    assert_eq!(step(&r, "ci-images")["status"], "done");
    // Hardening findings of those manifests are info; a random-looking
    // secret of the suite is a warning, a known token format an error.
    let root = finding(&r, "KR406", "shop-e2e/k8s/shop.yaml");
    assert_eq!(root["severity"], "info");
    assert!(root["message"]
        .as_str()
        .unwrap()
        .contains("which demonstrates or tests the product"));
    assert_eq!(
        finding(&r, "KR406", "examples/quickstart/shop.yaml")["severity"],
        "info"
    );
    assert_eq!(
        finding(&r, "KR414", "shop-e2e/k8s/shop.yaml")["severity"],
        "warning"
    );
    assert_eq!(
        finding(&r, "KR414", "examples/quickstart/shop.yaml")["severity"],
        "error"
    );
}

#[test]
fn a_deploy_into_a_throwaway_cluster_is_not_a_deploy() {
    let r = audit_json("sections-throwaway-cluster");
    let orchestration = strings(&section(&r, "orchestration")["next_steps"]);
    assert!(
        orchestration[0].starts_with("Orchestration comes after the basics: finish step 2"),
        "{orchestration:?}"
    );
    let advice = all_advice(&r);
    assert!(!advice.contains("CI already deploys"), "{advice}");
    // The chart's `helm test` hook is a test: its busybox is not judged.
    assert_eq!(section(&r, "orchestration")["status"], "done");
    assert!(!advice.contains("busybox"), "{advice}");
    // Deployment tooling calls it a test, and nothing applies `k8s/`.
    let tooling = section(&r, "deployment-tooling");
    assert_eq!(tooling["status"], "partial");
    assert!(tooling["summary"]
        .as_str()
        .unwrap()
        .starts_with("manifests exist but nothing applies them"));
    // Developer experience: the way to production is not the kind run.
    let dx = section(&r, "developer-experience");
    for e in dx["evidence"].as_array().unwrap() {
        assert!(
            !e["message"].as_str().unwrap().contains("CI/CD deploys"),
            "{e}"
        );
    }
}

#[test]
fn command_line_helpers_are_not_asked_to_become_deployments() {
    let r = audit_json("sections-cli-helpers");
    assert_eq!(r["repository"]["kind"], "application");
    // All three binaries are containerized by the one Dockerfile.
    assert_eq!(step(&r, "all-services")["status"], "done");
    let orchestration = strings(&section(&r, "orchestration")["next_steps"]).join("\n");
    assert!(
        orchestration.contains("a Deployment and a Service for `dirserver` ("),
        "{orchestration}"
    );
    let compose = strings(&step(&r, "compose")["next_steps"]).join("\n");
    assert!(
        compose.contains("a service for each of: `server`."),
        "{compose}"
    );
    assert!(section(&r, "deployment-tooling")["summary"]
        .as_str()
        .unwrap()
        .contains("1 component(s)"));
    let advice = all_advice(&r);
    for helper in ["dirserver_migrate", "dirserver_set_password"] {
        assert!(!advice.contains(helper), "{advice}");
    }
}

#[test]
fn a_terraform_module_is_asked_for_nothing_it_cannot_have() {
    let r = audit_json("sections-terraform-module");
    assert_eq!(r["repository"]["kind"], "infrastructure");
    for id in ["orchestration", "deployment-tooling"] {
        let s = section(&r, id);
        assert_eq!(s["status"], "missing", "{id}: {s}");
        assert!(strings(&s["next_steps"]).is_empty(), "{id}: {s}");
    }
    let advice = all_advice(&r);
    for meaningless in [
        "docker compose",
        "Dockerfile",
        "Adding a service",
        "inflate",
    ] {
        assert!(!advice.contains(meaningless), "{meaningless}: {advice}");
    }
    assert_eq!(
        finding(&r, "KR406", "examples/autoscaling/inflate.yaml")["severity"],
        "info"
    );
}
