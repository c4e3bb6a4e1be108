//! End to end: the real binary over each fixture repo, asserting every
//! step's status, the service list and key evidence.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

const D: &str = "done";
const P: &str = "partial";
const M: &str = "missing";
const NA: &str = "not-applicable";

fn svc(path: &str, lang: &str, containerized: bool) -> (String, String, bool) {
    (path.to_string(), lang.to_string(), containerized)
}

#[test]
fn library_has_nothing_to_containerize() {
    let r = audit_json("library");
    assert_statuses(&r, [NA, NA, NA, NA, NA, NA, NA]);
    assert!(services(&r).is_empty());
    assert!(r["summary"]["verdict"]
        .as_str()
        .unwrap()
        .contains("Nothing to containerize"));
    assert!(next_steps(&r).iter().any(|s| s.contains(".kubeready.yaml")));
}

#[test]
fn no_dockerfile_starts_at_step_one() {
    let r = audit_json("no-dockerfile");
    assert_statuses(&r, [M, M, M, M, M, M, M]);
    assert_eq!(services(&r), vec![svc(".", "python", false)]);
    assert!(
        next_steps(&r)[0].contains("Write a Dockerfile for `.`"),
        "{:?}",
        next_steps(&r)
    );
    assert_eq!(r["summary"]["score"], 0);
}

#[test]
fn one_dockerfile_of_two_services() {
    let r = audit_json("one-dockerfile");
    assert_statuses(&r, [D, P, M, M, M, M, M]);
    assert_eq!(
        services(&r),
        vec![svc("api", "node", true), svc("worker", "python", false)]
    );
    assert_eq!(step(&r, "all-services")["score"], 5);
    assert!(has_evidence(&r, "dockerfile", "api/Dockerfile", "CMD"));
    assert!(
        next_steps(&r)[0].contains("`worker`") && next_steps(&r)[0].contains("pyproject.toml"),
        "{:?}",
        next_steps(&r)
    );
}

#[test]
fn all_services_without_compose() {
    let r = audit_json("all-services");
    assert_statuses(&r, [D, D, M, M, M, M, M]);
    assert_eq!(
        services(&r),
        vec![svc("api", "go", true), svc("web", "node", true)]
    );
    assert!(next_steps(&r)[0].contains("compose.yaml"));
}

#[test]
fn compose_covers_every_service() {
    let r = audit_json("compose");
    assert_statuses(&r, [D, D, D, P, M, M, M]);
    assert!(has_evidence(&r, "compose", "compose.yaml", "`api`"));
    assert!(has_evidence(&r, "compose", "compose.yaml", "`web`"));
    // Compose needs no variables: environment bootstrap is earned.
    assert!(has_evidence(
        &r,
        "dev-env",
        "compose.yaml",
        "environment bootstrap"
    ));
}

#[test]
fn dev_env_earns_all_five_kinds() {
    let r = audit_json("dev-env");
    assert_statuses(&r, [D, D, D, D, M, M, M]);
    assert_eq!(step(&r, "dev-env")["score"], 10);
    assert!(has_evidence(
        &r,
        "dev-env",
        "README.md",
        "documented container start"
    ));
    assert!(has_evidence(&r, "dev-env", "Makefile", "one-command start"));
    assert!(has_evidence(
        &r,
        "dev-env",
        "compose.override.yaml",
        "bind-mounts"
    ));
    assert!(has_evidence(
        &r,
        "dev-env",
        ".env.example",
        "environment bootstrap"
    ));
    assert!(has_evidence(
        &r,
        "dev-env",
        "api/.dockerignore",
        ".dockerignore"
    ));
}

#[test]
fn ci_build_without_push_is_partial() {
    let r = audit_json("ci-build-no-push");
    assert_statuses(&r, [D, D, D, D, P, M, M]);
    assert!(has_evidence(
        &r,
        "image-builds",
        ".github/workflows/ci.yml",
        "never pushed"
    ));
}

#[test]
fn gitlab_builds_and_pushes_on_the_default_branch() {
    let r = audit_json("ci-push");
    assert_statuses(&r, [D, D, D, P, D, P, M]);
    assert_eq!(
        services(&r),
        vec![svc("billing", "php", true), svc("store", "ruby", true)]
    );
    assert!(has_evidence(
        &r,
        "image-builds",
        ".gitlab-ci.yml",
        "pushed automatically"
    ));
    // Only public images run in CI (ruby job image, dind service).
    assert_eq!(step(&r, "ci-images")["score"], 2);
}

#[test]
fn tests_run_inside_the_built_image() {
    let r = audit_json("tests-in-image");
    assert_statuses(&r, [D, D, D, P, D, D, M]);
    assert!(has_evidence(
        &r,
        "ci-images",
        ".github/workflows/ci.yml",
        "runs"
    ));
}

#[test]
fn full_pipeline_is_done() {
    let r = audit_json("full-pipeline");
    assert_statuses(&r, [D, D, D, D, D, D, D]);
    assert_eq!(r["summary"]["score"], 100);
    assert_eq!(r["summary"]["done"], 7);
    assert!(has_evidence(
        &r,
        "cd-staging",
        ".github/workflows/delivery.yml",
        "staging"
    ));
    assert_eq!(
        services(&r),
        vec![svc("catalog", "java", true), svc("frontend", "node", true)]
    );
}

#[test]
fn manual_deploy_is_partial() {
    let r = audit_json("manual-deploy");
    assert_statuses(&r, [D, D, D, P, D, D, P]);
    assert!(has_evidence(
        &r,
        "cd-staging",
        ".circleci/config.yml",
        "manual"
    ));
    assert!(next_steps(&r).iter().any(|s| s.contains("automatically")));
}

#[test]
fn monorepo_skips_libraries_workspace_roots_and_examples() {
    let r = audit_json("monorepo");
    assert_eq!(
        services(&r),
        vec![
            svc("apps/storefront", "node", true),
            svc("java/inventory", "java", true),
            svc("services/payments", "go", false),
            svc("services/search", "rust", true),
        ]
    );
    assert_eq!(step(&r, "all-services")["status"], P);
    assert_eq!(step(&r, "image-builds")["status"], P);
    assert!(has_evidence(
        &r,
        "image-builds",
        "Jenkinsfile",
        "pushed automatically"
    ));
}

#[test]
fn hostile_inputs_become_findings_and_the_audit_goes_on() {
    let r = audit_json("hostile");
    let codes = finding_codes(&r);
    let has = |code: &str, file: &str| codes.iter().any(|(c, f, _)| c == code && f == file);
    assert!(has("KR903", "compose.yaml"), "{codes:?}");
    assert!(has("KR903", "api/package.json"), "{codes:?}");
    assert!(has("KR903", "api/Dockerfile"), "{codes:?}");
    assert!(has("KR901", "web/Dockerfile"), "{codes:?}");
    assert!(has("KR901", "docs/latin1.md"), "{codes:?}");
    assert!(has("KR908", ".github/workflows/ci.yml"), "{codes:?}");
    for (_, _, line) in &codes {
        assert!(*line >= 1);
    }
}

#[test]
fn next_steps_are_never_repeated() {
    for name in [
        "no-dockerfile",
        "one-dockerfile",
        "all-services",
        "compose",
        "monorepo",
        "hostile",
        "manual-deploy",
    ] {
        let r = audit_json(name);
        let steps = next_steps(&r);
        let mut unique = steps.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), steps.len(), "{name}: {steps:?}");
    }
}
