//! End to end: exit codes, usage errors, formats, output hygiene.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use predicates::prelude::*;

#[test]
fn missing_path_is_a_usage_error() {
    kubeready()
        .args(["audit", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn bad_flag_is_a_usage_error() {
    kubeready().args(["audit", "--frobnicate"]).assert().code(2);
    kubeready()
        .args(["audit", "--format", "yaml", "."])
        .assert()
        .code(2);
}

#[test]
fn fail_on_gates_by_severity() {
    // all-services has warnings but no errors.
    kubeready()
        .arg("audit")
        .arg(fixture("all-services"))
        .assert()
        .code(0);
    kubeready()
        .args(["audit", "--fail-on", "warning"])
        .arg(fixture("all-services"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gate failed"));
    // hostile's Compose file does not parse: an error (SPEC 1.2), so the
    // default gate fails; `never` still passes.
    kubeready()
        .arg("audit")
        .arg(fixture("hostile"))
        .assert()
        .code(1);
    kubeready()
        .args(["audit", "--fail-on", "never"])
        .arg(fixture("hostile"))
        .assert()
        .code(0);
}

#[test]
fn table_output_has_no_colour_when_piped_and_fits_80_columns() {
    let out = kubeready()
        .arg("audit")
        .arg(fixture("full-pipeline"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "escape codes in piped output");
    assert!(text.contains("Checklist"));
    assert!(text.contains("Next steps") || text.contains("steps done"));
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
}

#[test]
fn json_contract_fields() {
    let r = audit_json("one-dockerfile");
    assert_eq!(r["schema_version"], 1);
    assert!(r["root"].as_str().unwrap().ends_with("one-dockerfile"));
    for key in ["done", "total", "score"] {
        assert!(r["summary"][key].is_u64(), "{key}");
    }
    let s = &r["steps"][0];
    for key in ["id", "number", "status", "score", "evidence", "next_steps"] {
        assert!(!s[key].is_null(), "{key}");
    }
    assert_eq!(s["id"], "dockerfile");
    assert_eq!(s["number"], 1);
    let svc = &r["services"][0];
    for key in ["path", "name", "language", "manifest", "containerized"] {
        assert!(!svc[key].is_null(), "{key}");
    }
    assert!(r["sections"].is_array());
    assert!(r["next_steps"].is_array());
    assert!(r["findings"].is_array());
}

#[test]
fn output_is_deterministic() {
    let a = kubeready()
        .args(["audit", "--format", "json"])
        .arg(fixture("monorepo"))
        .output()
        .unwrap()
        .stdout;
    let b = kubeready()
        .args(["audit", "--format", "json"])
        .arg(fixture("monorepo"))
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn rules_and_explain() {
    kubeready()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("KR901"));
    kubeready()
        .args(["explain", "KR903"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Why is this bad?")
                .and(predicate::str::contains("Use instead")),
        );
    kubeready()
        .args(["explain", "compose"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Step 3"));
    kubeready().args(["explain", "NOPE123"]).assert().code(2);
}

#[test]
fn completions_and_man() {
    kubeready()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kubeready"));
    kubeready()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH"));
}

#[test]
fn a_file_as_root_is_audited() {
    kubeready()
        .arg("audit")
        .arg(fixture("one-dockerfile").join("api/Dockerfile"))
        .assert()
        .code(0);
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_unchanged() {
    let plain = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(fixture("full-pipeline"))
        .output()
        .unwrap();
    assert!(plain.stderr.is_empty(), "no timings unless asked");
    let timed = kubeready()
        .env("KUBEREADY_TIMINGS", "all")
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(fixture("full-pipeline"))
        .output()
        .unwrap();
    assert_eq!(timed.stdout, plain.stdout);
    let stderr = String::from_utf8(timed.stderr).unwrap();
    for stage in [
        "walk",
        "parse: compose",
        "graph",
        "rules",
        "step 1",
        "render",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("timing {stage} "))),
            "{stage} missing: {stderr}"
        );
    }
    // `all` lists every enabled rule, even the ones under a millisecond.
    assert!(stderr.contains("timing rule DL3006"), "{stderr}");
}
