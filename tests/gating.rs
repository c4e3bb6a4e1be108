//! End to end: the CI gate's exit codes (0 pass, 1 gate failed, 2 usage or
//! config error) for every gate flag, baselines and their stability under
//! line shifts, and the one-line verdict on stderr.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use predicates::prelude::*;
use std::path::Path;

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `kubeready audit --format json <args> <path>`; returns (exit code, stderr).
fn gate(path: &Path, args: &[&str]) -> (i32, String) {
    let out = kubeready()
        .args(["audit", "--format", "json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    (out.status.code().unwrap(), stderr_of(&out))
}

#[test]
fn fail_on_each_severity() {
    // all-services: warnings, no errors; hostile: one error (its Compose
    // file does not parse, SPEC 1.2), warnings and infos.
    assert_eq!(
        gate(&fixture("all-services"), &[]).0,
        0,
        "default is --fail-on error"
    );
    let root = fixture("hostile");
    assert_eq!(
        gate(&root, &[]).0,
        1,
        "a Compose file that does not parse fails the default gate"
    );
    assert_eq!(gate(&root, &["--fail-on", "error"]).0, 1);
    let (code, err) = gate(&root, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
    // The verdict counts the findings and names the first, in report order.
    let report = audit_json("hostile");
    let findings: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    let first = findings[0];
    assert_eq!(
        err.trim_end(),
        format!(
            "kubeready: gate failed: {} findings at or above warning (--fail-on), first {} at {}:{}",
            findings.len(),
            first["code"].as_str().unwrap(),
            first["file"].as_str().unwrap(),
            first["line"]
        )
    );
    assert_eq!(gate(&root, &["--fail-on", "info"]).0, 1);
    assert_eq!(gate(&root, &["--fail-on", "never"]).0, 0);
    assert_eq!(gate(&root, &["--fail-on", "sometimes"]).0, 2);
}

#[test]
fn fail_under_passes_at_the_score_and_fails_above_it() {
    // one-dockerfile scores 21.
    let root = fixture("one-dockerfile");
    assert_eq!(gate(&root, &["--fail-under", "21"]).0, 0);
    assert_eq!(gate(&root, &["--fail-under", "0"]).0, 0);
    let (code, err) = gate(&root, &["--fail-under", "60"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "kubeready: gate failed: score 21 < 60 (--fail-under)"
    );
}

#[test]
fn bad_scores_are_usage_errors() {
    let root = fixture("one-dockerfile");
    for bad in ["101", "-1", "sixty", "50.5", ""] {
        let (code, err) = gate(&root, &["--fail-under", bad]);
        assert_eq!(code, 2, "--fail-under {bad:?}: {err}");
    }
}

#[test]
fn require_step_repeatable_and_comma_separated() {
    // one-dockerfile: dockerfile done, all-services partial, compose missing.
    let root = fixture("one-dockerfile");
    assert_eq!(gate(&root, &["--require-step", "dockerfile"]).0, 0);
    let (code, err) = gate(&root, &["--require-step", "compose"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "kubeready: gate failed: step compose is missing (--require-step)"
    );
    let (code, err) = gate(
        &root,
        &["--require-step", "dockerfile,all-services,compose"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("step all-services is partial (--require-step); step compose is missing (--require-step)"),
        "{err}"
    );
    let (code, err) = gate(
        &root,
        &["--require-step", "dockerfile", "--require-step", "compose"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("step compose is missing"), "{err}");
}

#[test]
fn not_applicable_satisfies_require_step() {
    let root = fixture("one-dockerfile");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("k.yaml");
    std::fs::write(
        &config,
        "steps:\n  compose:\n    not-applicable: one process, no dependencies\n",
    )
    .unwrap();
    let (code, err) = gate(
        &root,
        &[
            "--require-step",
            "compose",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn unknown_step_is_a_usage_error_with_a_suggestion() {
    let (code, err) = gate(&fixture("one-dockerfile"), &["--require-step", "compse"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown step `compse` (did you mean `compose`?)"),
        "{err}"
    );
}

#[test]
fn several_failures_make_one_verdict_line() {
    let (code, err) = gate(
        &fixture("one-dockerfile"),
        &["--fail-under", "60", "--require-step", "compose"],
    );
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        err.trim_end(),
        "kubeready: gate failed: score 21 < 60 (--fail-under); step compose is missing (--require-step)"
    );
}

const BROKEN_DOCKERFILE: &str = "FROM alpine:3.20\nRUN <<EOF\necho never closed\n";

#[test]
fn baseline_survives_shifted_lines_and_catches_new_findings() {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    write(r, "api/Dockerfile", BROKEN_DOCKERFILE);
    let b = tempfile::tempdir().unwrap();
    let baseline = b.path().join("baseline.json");
    let bl = baseline.to_str().unwrap();
    // Without a baseline the warning fails the gate.
    assert_eq!(gate(r, &["--fail-on", "warning"]).0, 1);
    // Writing a baseline does not change the verdict.
    assert_eq!(
        gate(r, &["--fail-on", "warning", "--write-baseline", bl]).0,
        1
    );
    assert_eq!(gate(r, &["--fail-on", "warning", "--baseline", bl]).0, 0);

    // Insert blank lines at the top: the finding moves, the baseline holds.
    write(
        r,
        "api/Dockerfile",
        &format!("\n\n\n# a comment\n\n{BROKEN_DOCKERFILE}"),
    );
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(r)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kr903 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "KR903")
        .unwrap();
    assert_eq!(kr903["line"], 7, "the line did move");
    let (code, err) = gate(r, &["--fail-on", "warning", "--baseline", bl]);
    assert_eq!(code, 0, "{err}");

    // A new broken file is new: the gate fails on it alone.
    write(r, "worker/Dockerfile", BROKEN_DOCKERFILE);
    let (code, err) = gate(r, &["--fail-on", "warning", "--baseline", bl]);
    assert_eq!(code, 1);
    // Only the new file's findings count, and the verdict names the first.
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(r)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let new: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "worker/Dockerfile" && f["severity"] != "info")
        .collect();
    let noun = if new.len() == 1 {
        "new finding"
    } else {
        "new findings"
    };
    assert_eq!(
        err.trim_end(),
        format!(
            "kubeready: gate failed: {} {noun} at or above warning (--fail-on), first {} at worker/Dockerfile:{}",
            new.len(),
            new[0]["code"].as_str().unwrap(),
            new[0]["line"]
        )
    );
}

#[test]
fn baseline_counts_repeated_findings() {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    write(r, "a/Dockerfile", BROKEN_DOCKERFILE);
    let b = tempfile::tempdir().unwrap();
    let bl = b.path().join("b.json");
    gate(
        r,
        &[
            "--fail-on",
            "never",
            "--write-baseline",
            bl.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&bl).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let kr903 = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "KR903")
        .unwrap();
    assert_eq!(kr903["count"], 1);
    assert_eq!(kr903["subject"], "a/Dockerfile");
}

#[test]
fn baseline_gates_only_regressed_steps_and_score() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    let b = tempfile::tempdir().unwrap();
    let baseline = b.path().join("baseline.json");
    let bl = baseline.to_str().unwrap();
    gate(r, &["--write-baseline", bl]);

    // compose was missing before: not introduced by this change.
    assert_eq!(gate(r, &["--require-step", "compose"]).0, 1);
    assert_eq!(
        gate(r, &["--require-step", "compose", "--baseline", bl]).0,
        0
    );
    // The score was already under 60: it did not go down.
    assert_eq!(gate(r, &["--fail-under", "60", "--baseline", bl]).0, 0);

    // Remove the only Dockerfile: step 1 regresses, the score drops.
    std::fs::remove_file(r.join("api/Dockerfile")).unwrap();
    let (code, err) = gate(
        r,
        &[
            "--require-step",
            "dockerfile,compose",
            "--fail-under",
            "60",
            "--baseline",
            bl,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "kubeready: gate failed: score 0 < 60 and down from 21 in the baseline (--fail-under); step dockerfile regressed from done to missing (--require-step)"
    );
}

#[test]
fn baseline_catches_a_lower_score_at_the_same_status() {
    // all-services is partial (5/10) with one of two services containerized.
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    let b = tempfile::tempdir().unwrap();
    let bl = b.path().join("baseline.json");
    let bl = bl.to_str().unwrap();
    // Add a third service with a Dockerfile: 2 of 3 containerized.
    write(
        r,
        "billing/package.json",
        "{\"name\": \"billing\", \"scripts\": {\"start\": \"node index.js\"}, \"dependencies\": {\"express\": \"4\"}}\n",
    );
    write(r, "billing/index.js", "require('express')().listen(3000)\n");
    write(
        r,
        "billing/Dockerfile",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
    );
    let before = audit_json_at(r);
    let before_score = step(&before, "all-services")["score"].as_u64().unwrap();
    gate(r, &["--write-baseline", bl]);
    std::fs::remove_file(r.join("billing/Dockerfile")).unwrap();
    let after = audit_json_at(r);
    let after_score = step(&after, "all-services")["score"].as_u64().unwrap();
    assert_eq!(step(&after, "all-services")["status"], "partial");
    assert!(
        after_score < before_score,
        "{before_score} -> {after_score}"
    );
    let (code, err) = gate(r, &["--require-step", "all-services", "--baseline", bl]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "step all-services is partial, score {after_score} down from {before_score} in the baseline (--require-step)"
        )),
        "{err}"
    );
}

fn audit_json_at(path: &Path) -> serde_json::Value {
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(path)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn write_baseline_is_deterministic_sorted_and_lineless() {
    let b = tempfile::tempdir().unwrap();
    let one = b.path().join("one.json");
    let two = b.path().join("two.json");
    for p in [&one, &two] {
        gate(
            &fixture("hostile"),
            &[
                "--fail-on",
                "never",
                "--write-baseline",
                p.to_str().unwrap(),
            ],
        );
    }
    let a = std::fs::read_to_string(&one).unwrap();
    assert_eq!(a, std::fs::read_to_string(&two).unwrap());
    let json: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(json["version"], 1);
    let report = audit_json("hostile");
    assert_eq!(json["score"], report["summary"]["score"]);
    let findings = json["findings"].as_array().unwrap();
    let mut subjects: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
                f["subject"].as_str().unwrap().into(),
            )
        })
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(findings.len(), subjects.len());
    let keys: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            assert!(f.get("line").is_none(), "{f}");
            (
                f["file"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
                f["subject"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let steps = json["steps"].as_array().unwrap();
    // The seven steps and the after-checklist sections.
    assert_eq!(
        steps.len(),
        7 + report["sections"].as_array().unwrap().len()
    );
    assert!(steps
        .iter()
        .any(|s| s["id"] == "compose" && s["status"] == "partial"));
    // The hostile fixture's own baseline makes its warnings pass.
    assert_eq!(
        gate(
            &fixture("hostile"),
            &["--fail-on", "warning", "--baseline", one.to_str().unwrap()]
        )
        .0,
        0
    );
}

#[test]
fn missing_or_invalid_baseline_is_a_usage_error() {
    let root = fixture("one-dockerfile");
    let (code, err) = gate(&root, &["--baseline", "/no/such/baseline.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read baseline `/no/such/baseline.json`"),
        "{err}"
    );
    let b = tempfile::tempdir().unwrap();
    let bad = b.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"version\": 1,\n  oops\n}\n").unwrap();
    let (code, err) = gate(&root, &["--baseline", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid baseline") && err.contains("line 3"),
        "{err}"
    );
    std::fs::write(
        &bad,
        "{\"version\": 2, \"score\": 0, \"steps\": [], \"findings\": []}",
    )
    .unwrap();
    let (code, err) = gate(&root, &["--baseline", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("unsupported baseline version 2"), "{err}");
}

#[test]
fn invalid_config_is_exit_2_with_file_and_line() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    write(
        r,
        ".kubeready.yaml",
        "# kubeready config\nignore:\n  - legacy/\n\nrulez:\n  KR903: off\n",
    );
    let (code, err) = gate(r, &[]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    let shown = r.join(".kubeready.yaml").display().to_string();
    assert_eq!(
        err.trim_end(),
        format!("kubeready: {shown}:5:1: unknown key `rulez` (did you mean `rules`?)")
    );
    write(r, ".kubeready.yaml", "rules:\n  KR903: [off\n");
    let (code, err) = gate(r, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{shown}:")) && err.contains("invalid YAML"),
        "{err}"
    );
}

#[test]
fn gate_defaults_come_from_the_config_and_flags_win() {
    let repo = copy_fixture("one-dockerfile");
    let r = repo.path();
    write(
        r,
        ".kubeready.yaml",
        "gate:\n  fail-under: 60\n  require-steps: [compose]\n",
    );
    let (code, err) = gate(r, &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("score 21 < 60") && err.contains("step compose is missing"),
        "{err}"
    );
    let (code, err) = gate(r, &["--fail-under", "10", "--require-step", "dockerfile"]);
    assert_eq!(code, 0, "{err}");

    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    write(r, "Dockerfile", BROKEN_DOCKERFILE);
    write(r, ".kubeready.yaml", "gate:\n  fail-on: warning\n");
    assert_eq!(gate(r, &[]).0, 1);
    assert_eq!(gate(r, &["--fail-on", "error"]).0, 0);
}

#[test]
fn a_missing_config_file_is_a_usage_error() {
    kubeready()
        .args(["audit", "--config", "/no/such/kubeready.yaml"])
        .arg(fixture("one-dockerfile"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "kubeready: /no/such/kubeready.yaml: config file does not exist",
        ));
}

/// Runs the `Audit` step of `action.yml` with bash, as the runner would.
fn run_action_audit_step(env: &[(&str, &str)]) -> (i32, String, String, tempfile::TempDir) {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let action = kubeready_yaml::load_one(&text).unwrap();
    let steps = action.get("runs").unwrap().get("steps").unwrap();
    let audit = steps
        .as_seq()
        .unwrap()
        .iter()
        .find(|s| s.get("id").and_then(|i| i.as_str()) == Some("audit"))
        .unwrap();
    let script = audit.get("run").unwrap().as_str().unwrap().to_string();
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let bin = assert_cmd::cargo::cargo_bin("kubeready");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c")
        .arg(&script)
        .current_dir(w)
        .env("PATH", path)
        .env("RUNNER_TEMP", w)
        .env("GITHUB_OUTPUT", w.join("output"))
        .env("GITHUB_STEP_SUMMARY", w.join("summary.md"));
    for key in [
        "KR_CONFIG",
        "KR_FAIL_ON",
        "KR_FAIL_UNDER",
        "KR_REQUIRE_STEPS",
        "KR_BASELINE",
        "KR_ARGS",
    ] {
        cmd.env(key, "");
    }
    cmd.env("KR_ANNOTATIONS", "true")
        .env("KR_SUMMARY", "true")
        .env("KR_SARIF", "false")
        .env("KR_SARIF_FILE", w.join("kubeready.sarif"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let outputs = std::fs::read_to_string(w.join("output")).unwrap_or_default();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs,
        work,
    )
}

#[test]
fn the_github_action_audit_step_runs_and_gates() {
    let hostile = fixture("hostile");
    let hostile = hostile.to_str().unwrap();
    let (code, stdout, outputs, work) = run_action_audit_step(&[
        ("KR_PATH", hostile),
        ("KR_FAIL_ON", "warning"),
        ("KR_SARIF", "true"),
    ]);
    assert_eq!(code, 0, "a failed gate fails the last step, not this one");
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(outputs.contains("sarif-file="), "{outputs}");
    // Files are named from the working directory: here the absolute path
    // audited (the step runs in a temporary folder, not above the fixture).
    assert!(
        stdout.contains(&format!("::error file={hostile}/compose.yaml,line=")),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(work.path().join("summary.md")).unwrap();
    assert!(
        summary.starts_with('#') && summary.contains("| # | Step |"),
        "{summary}"
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(work.path().join("kubeready.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    let one = fixture("one-dockerfile");
    let (code, _, outputs, _work) = run_action_audit_step(&[
        ("KR_PATH", one.to_str().unwrap()),
        ("KR_REQUIRE_STEPS", "dockerfile"),
        ("KR_FAIL_UNDER", "20"),
        ("KR_ARGS", "--max-file-size 100000"),
    ]);
    assert_eq!(code, 0);
    assert!(outputs.contains("exit-code=0\n"), "{outputs}");

    // A config error (exit 2) fails the step itself.
    let (code, _, _, _work) = run_action_audit_step(&[
        ("KR_PATH", one.to_str().unwrap()),
        ("KR_REQUIRE_STEPS", "compse"),
    ]);
    assert_eq!(code, 2);
}
