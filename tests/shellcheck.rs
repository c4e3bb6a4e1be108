//! End to end: `--shellcheck` runs ShellCheck over RUN bodies, or says
//! clearly that it is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use predicates::prelude::*;

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN echo $1 && \\\n    cd /tmp\nRUN <<EOF\nset -e\ncd /x\necho $HOME\nEOF\nCMD [\"sh\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn without_shellcheck_on_path_the_flag_is_a_usage_error() {
    let dir = repo();
    let empty = tempfile::tempdir().unwrap();
    kubeready()
        .env("PATH", empty.path())
        .args(["audit", "--shellcheck"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--shellcheck needs `shellcheck` on PATH",
        ));
}

#[test]
fn shellcheck_findings_land_on_the_dockerfile_lines() {
    if !kubeready::shellcheck::available() {
        // .ci/run installs shellcheck; a developer machine may not have it.
        eprintln!("shellcheck not installed: skipping");
        return;
    }
    let dir = repo();
    let out = kubeready()
        .args([
            "audit",
            "--shellcheck",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sc: Vec<(String, u64, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("SC"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(sc.contains(&("SC2086".into(), 2, "info".into())), "{sc:?}");
    assert!(
        sc.contains(&("SC2164".into(), 2, "warning".into())),
        "{sc:?}"
    );
    // Inside the heredoc: the body's third line is the file's line 7.
    assert!(sc.contains(&("SC2086".into(), 7, "info".into())), "{sc:?}");
    // Off by default.
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"].as_str().unwrap().starts_with("SC")));
}
