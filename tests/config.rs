//! End to end: every `.kubeready.yaml` key changes what the audit reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn run_format(root: &Path, format: &str, extra: &[&str]) -> String {
    let out = kubeready()
        .args(["audit", "--fail-on", "never", "--format", format])
        .args(extra)
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(root: &Path) -> Value {
    serde_json::from_str(&run_format(root, "json", &[])).unwrap()
}

/// `(code, file, severity)` of every KR903 finding: the fixture's broken
/// Dockerfiles make KR903 the rule these tests configure.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "KR903")
        .map(|f| {
            (
                f["code"].as_str().unwrap().into(),
                f["file"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn t(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

const BROKEN_DOCKERFILE: &str = "FROM alpine:3.20\nRUN <<EOF\necho never closed\n";

/// Two broken Dockerfiles (KR903 warnings), one under `legacy/`.
fn two_broken() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/Dockerfile", BROKEN_DOCKERFILE);
    write(dir.path(), "legacy/old/Dockerfile", BROKEN_DOCKERFILE);
    dir
}

#[test]
fn ignore_drops_a_dockerfile() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    assert_eq!(step(&json(r), "dockerfile")["status"], "done");
    write(r, ".kubeready.yaml", "ignore:\n  - api/Dockerfile\n");
    let report = json(r);
    assert_eq!(step(&report, "dockerfile")["status"], "missing");
    assert!(services(&report)
        .iter()
        .all(|(_, _, containerized)| !containerized));
}

#[test]
fn a_rule_turned_off_by_code_or_name_drops_its_findings() {
    let repo = two_broken();
    let r = repo.path();
    assert_eq!(findings(&json(r)).len(), 2);
    write(r, ".kubeready.yaml", "rules:\n  KR903: off\n");
    assert_eq!(findings(&json(r)), vec![]);
    write(r, ".kubeready.yml", "rules:\n  syntax-error: off\n");
    std::fs::remove_file(r.join(".kubeready.yaml")).unwrap();
    assert_eq!(findings(&json(r)), vec![], ".kubeready.yml is found too");
}

#[test]
fn a_severity_override_changes_severity_and_the_gate() {
    let repo = two_broken();
    let r = repo.path();
    kubeready().arg("audit").arg(r).assert().code(0);
    write(r, ".kubeready.yaml", "rules:\n  KR903: error\n");
    assert_eq!(
        findings(&json(r)),
        vec![
            t("KR903", "api/Dockerfile", "error"),
            t("KR903", "legacy/old/Dockerfile", "error")
        ]
    );
    let report = json(r);
    assert_eq!(report["finding_counts"]["error"], 2);
    kubeready().arg("audit").arg(r).assert().code(1);
}

#[test]
fn per_path_overrides_apply_in_order() {
    let repo = two_broken();
    let r = repo.path();
    write(
        r,
        ".kubeready.yaml",
        "rules:\n  KR903: error\noverrides:\n  - paths: [legacy]\n    rules: {KR903: off}\n",
    );
    assert_eq!(
        findings(&json(r)),
        vec![t("KR903", "api/Dockerfile", "error")]
    );
    // A later override wins over an earlier one.
    write(
        r,
        ".kubeready.yaml",
        "overrides:\n  - paths: [legacy/**]\n    rules: {KR903: off}\n  - paths: ['**/Dockerfile']\n    rules: {KR903: info}\n",
    );
    assert_eq!(
        findings(&json(r)),
        vec![
            t("KR903", "api/Dockerfile", "info"),
            t("KR903", "legacy/old/Dockerfile", "info")
        ]
    );
}

#[test]
fn declared_and_excluded_services_change_the_services_list() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    let before: Vec<String> = services(&json(r)).into_iter().map(|s| s.0).collect();
    assert_eq!(before, vec!["api", "worker"]);
    write(r, "tools/cli/main.sh", "echo hi\n");
    write(
        r,
        ".kubeready.yaml",
        "services:\n  declare:\n    - {path: tools/cli, name: toolbox, language: go}\n  exclude: [worker]\n",
    );
    let report = json(r);
    assert_eq!(
        services(&report),
        vec![
            ("api".to_string(), "node".to_string(), true),
            ("tools/cli".to_string(), "go".to_string(), false)
        ]
    );
    let names: Vec<&str> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"toolbox"), "{names:?}");
}

#[test]
fn a_not_applicable_step_shows_its_reason_in_json_and_markdown() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    write(
        r,
        ".kubeready.yaml",
        "steps:\n  cd-staging:\n    not-applicable: \"the platform team deploys from the registry\"\n",
    );
    let report = json(r);
    let s = step(&report, "cd-staging");
    assert_eq!(s["status"], "not-applicable");
    assert_eq!(s["reason"], "the platform team deploys from the registry");
    assert_eq!(report["summary"]["total"], 6);
    let md = run_format(r, "markdown", &[]);
    assert!(
        md.contains("not applicable: the platform team deploys from the registry"),
        "{md}"
    );
}

#[test]
fn max_file_size_from_the_config_and_the_flag_wins() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    write(r, ".kubeready.yaml", "max-file-size: 10\n");
    let codes = |report: &Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let all = codes(&json(r));
    assert!(all.iter().any(|c| c == "KR902"), "{all:?}");
    let out = run_format(r, "json", &["--max-file-size", "1000000"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(codes(&report).iter().all(|c| c != "KR902"));
}

#[test]
fn explicit_config_replaces_the_one_at_the_root() {
    let repo = two_broken();
    let r = repo.path();
    write(r, ".kubeready.yaml", "rules:\n  KR903: off\n");
    let other = tempfile::tempdir().unwrap();
    let cfg = other.path().join("ci.yaml");
    std::fs::write(&cfg, "ignore: [legacy/]\n").unwrap();
    let out = run_format(r, "json", &["--config", cfg.to_str().unwrap()]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        findings(&report),
        vec![t("KR903", "api/Dockerfile", "warning")]
    );
}

#[test]
fn trusted_registries_and_forbid_inline_ignores_are_accepted() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    write(
        r,
        ".kubeready.yaml",
        "trusted-registries: [ghcr.io/acme, registry.example.com]\nforbid-inline-ignores: true\n",
    );
    // node:20 comes from Docker Hub, which is not trusted: DL3026 (error).
    kubeready()
        .arg("audit")
        .arg(r)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("DL3026"));
    write(
        r,
        ".kubeready.yaml",
        "trusted-registries: [docker.io, ghcr.io/acme]\nforbid-inline-ignores: true\n",
    );
    kubeready().arg("audit").arg(r).assert().code(0);
    write(r, ".kubeready.yaml", "trusted-registries: {a: b}\n");
    kubeready()
        .arg("audit")
        .arg(r)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            ":1:21: `trusted-registries` must be a list of strings, found a mapping",
        ));
}

#[test]
fn the_graph_command_reads_the_config_too() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    write(r, ".kubeready.yaml", "ignore: [api/Dockerfile]\n");
    let out = kubeready()
        .args(["graph", "--format", "json"])
        .arg(r)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let g: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] != "image-definition"));
    write(r, ".kubeready.yaml", "ignroe: []\n");
    kubeready()
        .arg("graph")
        .arg(r)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("(did you mean `ignore`?)"));
}
