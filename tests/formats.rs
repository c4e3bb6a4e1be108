//! End to end: every output format over fixtures, SARIF validated against
//! the SARIF 2.1.0 schema, several formats written in one run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use predicates::prelude::*;

fn run(fixture_name: &str, format: &str) -> String {
    let out = kubeready()
        .args(["audit", "--fail-on", "never", "--format", format])
        .arg(fixture(fixture_name))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

const SARIF_FIXTURES: [&str; 4] = ["hostile", "full-pipeline", "library", "monorepo"];

/// Checks that need no schema file: the output reads back into
/// `serde-sarif`'s 2.1.0 types (required properties, enums such as
/// `level`), every rule has help text and every result a 1-based line.
#[test]
fn sarif_reads_back_into_the_sarif_2_1_0_types() {
    for name in SARIF_FIXTURES {
        let text = run(name, "sarif");
        let typed: serde_sarif::sarif::Sarif =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not SARIF 2.1.0: {e}"));
        assert_eq!(typed.runs.len(), 1, "{name}");
        let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(sarif["version"], "2.1.0");
        assert!(sarif["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("2.1.0")));
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert!(rules
            .iter()
            .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));
    }
    let sarif: serde_json::Value = serde_json::from_str(&run("hostile", "sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
    }
}

/// The full check against the official schema, from the shared folder
/// (skipped with a notice when it is not there).
#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let Some(path) = shared_file(
        "schemas/sarif-schema-2.1.0.json",
        "sarif_is_valid_against_the_2_1_0_schema",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    // The validator must be able to fail.
    assert!(
        !validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]}))
    );
    for name in SARIF_FIXTURES {
        let sarif: serde_json::Value = serde_json::from_str(&run(name, "sarif")).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn github_format_prints_workflow_commands() {
    let text = run("hostile", "github");
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error file=fixtures/hostile/compose.yaml,line=")),
        "{text}"
    );
    assert!(text
        .lines()
        .last()
        .unwrap()
        .starts_with("::notice title=kubeready::"));
}

#[test]
fn markdown_has_checklist_next_steps_findings_and_mermaid() {
    let text = run("full-pipeline", "markdown");
    assert!(text.starts_with("## kubeready"));
    assert!(text.contains("| # | Step | Status | Score | Summary |"));
    assert!(text.contains("```mermaid\nflowchart LR"));
    let text = run("hostile", "markdown");
    assert!(text.contains("<details><summary><code>compose.yaml</code>"));
    let text = run("one-dockerfile", "markdown");
    assert!(text.contains("### Next steps\n\n1. "));
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("k.sarif");
    let md = dir.path().join("k.md");
    kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(fixture("hostile"))
        .arg("--output")
        .arg(format!("sarif={}", sarif.display()))
        .arg("-o")
        .arg(format!("markdown={}", md.display()))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"schema_version\": 1"));
    assert!(std::fs::read_to_string(&sarif)
        .unwrap()
        .contains("\"2.1.0\""));
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .starts_with("## kubeready"));
}

#[test]
fn bad_output_spec_is_a_usage_error() {
    kubeready()
        .args(["audit", "--output", "yaml=x"])
        .arg(fixture("library"))
        .assert()
        .code(2);
    kubeready()
        .args(["audit", "--output", "sarif"])
        .arg(fixture("library"))
        .assert()
        .code(2);
}

#[test]
fn graph_command_formats() {
    kubeready()
        .args(["graph", "--format", "mermaid"])
        .arg(fixture("compose"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("flowchart LR"));
    kubeready()
        .args(["graph", "--format", "dot"])
        .arg(fixture("compose"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("digraph"));
    kubeready()
        .args(["graph", "--format", "json"])
        .arg(fixture("compose"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"nodes\""));
}

#[test]
fn suppressed_findings_are_counted_and_listed_with_reasons() {
    let r = audit_json("suppressed");
    let codes = finding_codes(&r);
    // The pragma above `agent:` silences KR206 there, not on `debug`.
    assert!(
        codes
            .iter()
            .any(|(c, f, l)| c == "KR206" && f == "compose.yaml" && *l == 8),
        "{codes:?}"
    );
    assert!(!codes.iter().any(|(c, _, l)| c == "KR206" && *l == 5));
    assert!(
        !codes.iter().any(|(c, _, _)| c == "KR101" || c == "DL3018"),
        "{codes:?}"
    );
    let suppressed = r["suppressed"].as_array().unwrap();
    let by: Vec<(String, String)> = suppressed
        .iter()
        .map(|s| {
            (
                s["code"].as_str().unwrap().to_string(),
                s["suppressed_by"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        by.iter()
            .any(|(c, why)| c == "KR206" && why.contains("the metrics agent reads host counters")),
        "{by:?}"
    );
    assert!(
        by.iter()
            .any(|(c, why)| c == "KR101" && why.contains("root-owned cron job")),
        "{by:?}"
    );
    assert!(
        by.iter()
            .any(|(c, why)| c == "DL3018" && why.contains("hadolint ignore")),
        "{by:?}"
    );
    assert_eq!(r["finding_counts"]["suppressed"], suppressed.len());
    let md = run("suppressed", "markdown");
    assert!(md.contains("Suppressed findings (3)"), "{md}");
    assert!(md.contains("the metrics agent reads host counters"));
}
