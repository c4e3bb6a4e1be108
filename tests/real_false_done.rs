//! End to end: the false `done` verdicts seen on real repositories
//! (`bench/real/`, triaged in `docs/accuracy.md`), each reproduced by a
//! hand-written fixture.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

#[test]
fn a_packaging_builder_image_containerizes_nothing() {
    let r = audit_json("builder-image");
    assert_eq!(r["repository"]["kind"], "cli-tool");
    let images = r["images"].as_array().unwrap();
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0]["definition"], "packaging/linux/Dockerfile");
    assert_eq!(images[0]["role"], "ci-tool");
    assert!(images[0]["evidence"]
        .as_str()
        .unwrap()
        .contains("only moves build output out"));
    assert_eq!(step(&r, "all-services")["status"], "missing");
    assert_eq!(
        services(&r),
        vec![(".".to_string(), "python".to_string(), false)]
    );
}

#[test]
fn starts_of_backing_services_or_test_stacks_are_no_dev_start() {
    let r = audit_json("dev-env-backing-only");
    let dev = step(&r, "dev-env");
    let messages: Vec<&str> = dev["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        !messages
            .iter()
            .any(|m| m.starts_with("documented container start")
                || m.starts_with("one-command start")),
        "{messages:?}"
    );
    assert!(has_evidence(
        &r,
        "dev-env",
        ".devcontainer/devcontainer.json",
        "dev loop"
    ));
    assert_eq!(dev["status"], "partial", "{messages:?}");
    assert_eq!(dev["score"], 6);
}

#[test]
fn a_committed_default_secret_fails_the_compose_step() {
    let r = audit_json("compose-secret-default");
    let kr209: Vec<_> = finding_codes(&r)
        .into_iter()
        .filter(|(code, _, _)| code == "KR209")
        .collect();
    assert_eq!(
        kr209,
        vec![("KR209".to_string(), "compose.yaml".to_string(), 2)]
    );
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("3f9a1c7e5b2d8046"));
    assert_eq!(step(&r, "compose")["status"], "partial");
}
