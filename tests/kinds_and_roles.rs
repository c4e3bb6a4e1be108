//! End to end: repository kinds and image roles (SPEC 1.2) on fixtures
//! that reproduce what was seen on real repositories.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::Value;

const D: &str = "done";
const P: &str = "partial";
const M: &str = "missing";
const NA: &str = "not-applicable";

fn kind(r: &Value) -> &str {
    r["repository"]["kind"].as_str().unwrap()
}

fn sections(r: &Value) -> Vec<&str> {
    r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect()
}

fn roles(r: &Value) -> Vec<(String, String)> {
    r["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["definition"].as_str().unwrap().to_string(),
                i["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn infrastructure_repo_has_no_steps_and_is_judged_by_its_sections() {
    let r = audit_json("kind-infrastructure");
    assert_eq!(kind(&r), "infrastructure");
    assert_statuses(&r, [NA; 7]);
    // Orchestration is judged (not not-applicable).
    assert_ne!(sections(&r)[0], NA);
    assert!(r["repository"]["evidence"][0]["file"]
        .as_str()
        .unwrap()
        .starts_with("apps/web/"));
    assert!(r["summary"]["verdict"]
        .as_str()
        .unwrap()
        .contains("infrastructure"));
}

#[test]
fn docs_site_is_documentation_with_nothing_to_containerize() {
    let r = audit_json("kind-docs-site");
    assert_eq!(kind(&r), "documentation");
    assert_statuses(&r, [NA; 7]);
    assert!(r["services"].as_array().unwrap().is_empty());
    assert_eq!(sections(&r), vec![NA, NA, NA, NA, P]);
    assert!(r["summary"]["verdict"]
        .as_str()
        .unwrap()
        .contains("Nothing to containerize"));
    // No advice to write a Dockerfile or deploy anything.
    for s in next_steps(&r) {
        assert!(
            !s.contains("Dockerfile") && !s.contains("Kubernetes"),
            "{s}"
        );
    }
    assert!(next_steps(&r)
        .iter()
        .any(|s| s.contains("kind: application")));
}

#[test]
fn template_repo_is_a_template() {
    let r = audit_json("kind-template");
    assert_eq!(kind(&r), "template");
    assert_statuses(&r, [NA; 7]);
    assert_eq!(sections(&r), vec![NA, NA, NA, NA, P]);
}

#[test]
fn declared_kind_in_the_config_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cookiecutter.json"), "{}").unwrap();
    std::fs::write(dir.path().join(".kubeready.yaml"), "kind: application\n").unwrap();
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(kind(&r), "application");
    assert_eq!(r["repository"]["declared"], true);
}

#[test]
fn an_unknown_kind_in_the_config_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".kubeready.yaml"), "kind: aplication\n").unwrap();
    let out = kubeready().arg("audit").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("application"), "{err}");
}

#[test]
fn every_image_has_a_role_and_only_app_images_count() {
    let r = audit_json("image-roles");
    assert_eq!(kind(&r), "application");
    assert_eq!(
        roles(&r),
        pairs(&[
            (".devcontainer/Dockerfile", "dev"),
            (".github/ci-image/Dockerfile", "ci-tool"),
            (".gitpod.Dockerfile", "dev"),
            ("Dockerfile", "service"),
            ("Dockerfile.dev", "dev"),
            ("heroku.Dockerfile", "variant"),
            ("tests/Dockerfile", "test"),
        ])
    );
    // CI, test and development images are not held to production
    // hardening (root user, pinning) beyond info, and say why.
    for f in r["findings"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        let code = f["code"].as_str().unwrap();
        if matches!(code, "KR101" | "DL3008")
            && (file.starts_with(".github/")
                || file.starts_with(".devcontainer/")
                || file.starts_with("tests/"))
        {
            assert_eq!(f["severity"], "info", "{f}");
            let m = f["message"].as_str().unwrap();
            assert!(m.contains("not held to production hardening"), "{f}");
            // The role, its evidence and the consumers that decided it.
            if file == "tests/Dockerfile" {
                assert!(m.contains("a `test` image ("), "{f}");
                assert!(
                    m.contains("used by Compose service `sut` (docker-compose.test.yml:"),
                    "{f}"
                );
            }
        }
    }
    // Each image lists where it is used.
    let images = r["images"].as_array().unwrap();
    let service = images
        .iter()
        .find(|i| i["definition"] == "Dockerfile")
        .unwrap();
    let kinds: Vec<&str> = service["consumers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"ci-build"), "{service}");
    assert!(kinds.contains(&"compose-service"), "{service}");
    // One component (the service); CI builds and pushes it: step 5 done.
    assert_eq!(step(&r, "image-builds")["status"], D);
    assert!(r["image_only_components"].as_array().unwrap().is_empty());
}

#[test]
fn a_devcontainer_does_not_containerize_the_root_service() {
    let r = audit_json("devcontainer-only");
    assert_eq!(step(&r, "dockerfile")["status"], M);
    assert_eq!(step(&r, "all-services")["status"], M);
    assert_eq!(roles(&r), pairs(&[(".devcontainer/Dockerfile", "dev")]));
    assert!(next_steps(&r)[0].contains("Write a Dockerfile for `.`"));
}

#[test]
fn a_root_context_dockerfile_containerizes_the_service_it_builds() {
    let r = audit_json("root-context-build");
    assert_eq!(step(&r, "all-services")["status"], P);
    let services: Vec<(String, bool)> = r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["containerized"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        services,
        vec![
            ("cmd/api".to_string(), true),
            ("cmd/worker".to_string(), false)
        ]
    );
}

/// Audited on itself (issue: it called its cargo-fuzz crate a service and
/// advised a Deployment, deployment tooling and a Compose dev loop for a
/// command-line tool).
#[test]
fn kubeready_itself_is_a_cli_tool_with_cli_advice() {
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(kind(&r), "cli-tool");
    let paths: Vec<&str> = r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["."]);
    for id in ["compose", "dev-env", "cd-staging"] {
        assert_eq!(step(&r, id)["status"], NA, "{id}");
    }
    assert_eq!(&sections(&r)[..4], &[NA, NA, NA, NA]);
    for s in next_steps(&r) {
        for word in ["Kubernetes", "Deployment", "Compose", "deploy"] {
            assert!(!s.contains(word), "{s}");
        }
    }
}

/// Next steps speak the repository's own CI system (SPEC 1): a repository
/// on Buildkite is never told to add a GitHub Actions workflow.
#[test]
fn next_steps_name_the_repositorys_own_ci_system() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("go.mod"), "module example.com/api\n\ngo 1.22\n").unwrap();
    std::fs::write(
        p.join("main.go"),
        "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
    )
    .unwrap();
    std::fs::write(
        p.join("Dockerfile"),
        "FROM golang:1.22\nCOPY . .\nRUN go build -o /api .\nCMD [\"/api\"]\n",
    )
    .unwrap();
    std::fs::create_dir(p.join(".buildkite")).unwrap();
    std::fs::write(
        p.join(".buildkite/pipeline.yml"),
        "steps:\n  - label: test\n    command: go test ./...\n",
    )
    .unwrap();
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(p)
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = next_steps(&r);
    assert!(steps.iter().any(|s| s.contains("Buildkite")), "{steps:?}");
    assert!(
        !steps.iter().any(|s| s.contains("GitHub Actions")),
        "{steps:?}"
    );
}

/// A Compose file that does not parse cannot be judged: an error finding
/// that fails the default gate, step 3 at best partial with "fix the
/// syntax" as its next step, never "add a service" to a file that exists.
#[test]
fn an_unparsable_compose_file_cannot_be_judged() {
    let r = audit_json("broken-compose");
    let compose = step(&r, "compose");
    assert_eq!(compose["status"], P);
    let next: Vec<&str> = compose["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(next.len(), 1, "{next:?}");
    assert!(
        next[0].starts_with("Cannot judge `compose.yaml`"),
        "{next:?}"
    );
    let kr903 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "KR903")
        .unwrap();
    assert_eq!(kr903["severity"], "error");
    assert_eq!(kr903["file"], "compose.yaml");
    let out = kubeready()
        .arg("audit")
        .arg(fixture("broken-compose"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the default gate fails");
}

#[test]
fn go_library_whose_compose_and_dockerfile_serve_its_tests_is_a_library() {
    let r = audit_json("kind-library-test-compose");
    assert_eq!(kind(&r), "library", "{}", r["repository"]);
    assert_statuses(&r, [NA; 7]);
    // Neither the e2e fault server nor the vet analyzer is a service.
    assert!(r["services"].as_array().unwrap().is_empty());
    assert_eq!(roles(&r), pairs(&[("e2e/cmd/faultd/Dockerfile", "test")]));
}

#[test]
fn root_context_workspace_build_and_load_generator_roles() {
    let r = audit_json("root-context-workspace-build");
    assert_eq!(
        roles(&r),
        pairs(&[
            ("apps/web/Dockerfile.bun", "variant"),
            ("docker/Dockerfile", "service"),
            ("docker/Dockerfile.chromium", "variant"),
            ("tools/load-generator/Dockerfile", "test"),
        ])
    );
    // `turbo prune --scope=@acme/web` names the package it builds.
    let web = &r["services"][0];
    assert_eq!(web["path"], "apps/web");
    assert_eq!(web["containerized"], true);
    // The load generator is no component the Compose file must run.
    assert_eq!(step(&r, "compose")["status"], D);
    assert_eq!(step(&r, "image-builds")["status"], D);
}

fn containerized(r: &Value) -> Vec<(String, bool)> {
    r["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["containerized"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_front_end_built_into_the_servers_image_is_containerized_by_it() {
    let r = audit_json("bundled-front-end");
    assert_eq!(
        containerized(&r),
        vec![(".".to_string(), true), ("web".to_string(), true)]
    );
    assert_eq!(step(&r, "all-services")["status"], D);
    for s in next_steps(&r) {
        assert!(!s.contains("Write a Dockerfile for `web`"), "{s}");
    }
}

#[test]
fn a_root_dockerfile_building_several_packages_containerizes_each() {
    let r = audit_json("workspace-multi-binary");
    assert_eq!(
        containerized(&r),
        vec![
            ("migrate".to_string(), true),
            ("server".to_string(), true),
            ("set-password".to_string(), true)
        ]
    );
    assert_eq!(step(&r, "all-services")["status"], D);
}

/// An image whose final stage installs OS packaging tools (`devscripts`,
/// `debhelper`) builds a `.deb`: a `ci-tool` image, and CI running it is
/// not CI running the app (miniflux, held out from the corpus).
#[test]
fn a_package_builder_image_is_a_ci_tool_and_running_it_runs_nothing_of_the_app() {
    let r = audit_json("package-builder-image");
    assert_eq!(
        roles(&r),
        pairs(&[
            ("packaging/debian/Dockerfile", "ci-tool"),
            ("packaging/docker/Dockerfile", "service"),
        ])
    );
    assert_eq!(step(&r, "image-builds")["status"], "done");
    assert_ne!(
        step(&r, "ci-images")["status"],
        "done",
        "{}",
        step(&r, "ci-images")
    );
}
