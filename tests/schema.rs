//! End to end: `kubeready schema` describes `--format json` (the output of
//! several fixtures validates against it), `--format gitlab` is a GitLab
//! Code Quality report, `kubeready rules --format json` lists every rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::Value;

fn stdout(args: &[&str]) -> String {
    let out = kubeready().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn audit(name: &str, format: &str) -> String {
    let path = fixture(name);
    stdout(&[
        "audit",
        "--fail-on",
        "never",
        "--format",
        format,
        path.to_str().unwrap(),
    ])
}

#[test]
fn json_output_validates_against_kubeready_schema() {
    let schema: Value = serde_json::from_str(&stdout(&["schema"])).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for name in [
        "hostile",
        "full-pipeline",
        "monorepo",
        "library",
        "compose",
        "one-dockerfile",
    ] {
        let report: Value = serde_json::from_str(&audit(name, "json")).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        // The validator can fail: a wrong type and a missing field.
        let mut bad = report.clone();
        bad["summary"]["score"] = Value::String("high".into());
        assert!(!validator.is_valid(&bad), "{name}");
        let mut bad = report.clone();
        bad.as_object_mut().unwrap().remove("steps");
        assert!(!validator.is_valid(&bad), "{name}");
        let mut bad = report;
        if let Some(f) = bad["findings"].as_array_mut().and_then(|f| f.first_mut()) {
            f["severity"] = Value::String("fatal".into());
            assert!(!validator.is_valid(&bad), "{name}");
        }
    }
}

#[test]
fn gitlab_code_quality_report() {
    let text = audit("hostile", "gitlab");
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap();
    // One issue per finding, in report order.
    let report: Value = serde_json::from_str(&audit("hostile", "json")).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(issues.len(), findings.len());
    let kr903 = issues
        .iter()
        // Paths from the working directory (the tests run at the
        // repository root): the audited path joined to the file's.
        .find(|i| {
            i["check_name"] == "KR903" && i["location"]["path"] == "fixtures/hostile/api/Dockerfile"
        })
        .expect("KR903 issue");
    assert_eq!(kr903["location"]["lines"]["begin"], 3);
    assert_eq!(kr903["severity"], "major");
    assert!(kr903["description"]
        .as_str()
        .unwrap()
        .starts_with("KR903 syntax-error: "));
    for (issue, finding) in issues.iter().zip(findings) {
        assert_eq!(issue["check_name"], finding["code"]);
        assert_eq!(
            issue["location"]["path"],
            format!("fixtures/hostile/{}", finding["file"].as_str().unwrap())
        );
        assert_eq!(issue["location"]["lines"]["begin"], finding["line"]);
    }
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| {
            assert!(["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap()));
            i["fingerprint"].as_str().unwrap()
        })
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    assert_eq!(text, audit("hostile", "gitlab"), "deterministic");
    assert_eq!(audit("library", "gitlab").trim(), "[]");
}

#[test]
fn gitlab_fingerprints_ignore_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let df = dir.path().join("Dockerfile");
    std::fs::write(&df, "FROM alpine\nRUN <<EOF\nx\n").unwrap();
    let run = || {
        let out = kubeready()
            .args(["audit", "--fail-on", "never", "--format", "gitlab"])
            .arg(dir.path())
            .output()
            .unwrap();
        let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let issue = v.iter().find(|i| i["check_name"] == "KR903").unwrap();
        (
            issue["fingerprint"].as_str().unwrap().to_string(),
            issue["location"]["lines"]["begin"].as_u64().unwrap(),
        )
    };
    let (a, line_a) = run();
    std::fs::write(&df, "\n\nFROM alpine\nRUN <<EOF\nx\n").unwrap();
    let (b, line_b) = run();
    assert_eq!(a, b);
    assert_eq!(line_b, line_a + 2);
}

#[test]
fn rules_as_json() {
    let rules: Vec<Value> = serde_json::from_str(&stdout(&["rules", "--format", "json"])).unwrap();
    assert!(rules.len() >= 8);
    let kr903 = rules.iter().find(|r| r["code"] == "KR903").unwrap();
    assert_eq!(kr903["name"], "syntax-error");
    assert_eq!(kr903["severity"], "warning");
    assert_eq!(kr903["enabled_by_default"], true);
    assert!(!kr903["why"].as_str().unwrap().is_empty());
}
