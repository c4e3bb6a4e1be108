//! End to end: `kubeready fleet` over the fixtures folder (each fixture a
//! checkout), missing paths as rows, `--list`, `--compare`, `--reports`,
//! the gates' exit codes and the fleet JSON against its schema.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn fleet(args: &[&str]) -> (i32, Value, String) {
    let out = kubeready()
        .args(["fleet", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), json, stderr)
}

fn row<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

fn fixtures_dir() -> String {
    fixture("")
        .to_str()
        .unwrap()
        .trim_end_matches('/')
        .to_string()
}

#[test]
fn the_fixtures_folder_is_a_fleet_of_checkouts() {
    let missing = fixture("no-such-repo");
    let (code, report, stderr) = fleet(&[&fixtures_dir(), missing.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // Folders only: `fixtures/INDEX.md` describes them and is no checkout.
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.push("no-such-repo".into());
    names.sort();
    let got: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, names);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["summary"]["repositories"], names.len());
    assert_eq!(report["summary"]["failed"], 1);
    // A missing path is a row with its reason, not a crash.
    let gone = row(&report, "no-such-repo");
    assert_eq!(gone["status"], "failed");
    assert_eq!(gone["reason"], "path does not exist");
    // Each row says what `audit` says about the same checkout.
    for name in ["full-pipeline", "monorepo", "no-dockerfile"] {
        let audit = audit_json(name);
        let r = row(&report, name);
        assert_eq!(r["score"], audit["summary"]["score"], "{name}");
        assert_eq!(r["steps_done"], audit["summary"]["done"], "{name}");
        assert_eq!(r["kind"], audit["repository"]["kind"], "{name}");
    }
    assert_eq!(
        row(&report, "full-pipeline")["first_unfinished"],
        Value::Null
    );
    assert_eq!(
        row(&report, "monorepo")["first_unfinished"]["id"],
        "all-services"
    );
    // The funnel adds up: every audited repository stands at one step or
    // has finished them all.
    let at: u64 = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["at"].as_u64().unwrap())
        .sum();
    assert_eq!(
        at + report["summary"]["complete"].as_u64().unwrap(),
        report["summary"]["audited"].as_u64().unwrap()
    );
    // Not on a terminal: one log line per repository on stderr.
    assert!(stderr.contains(&format!("[1/{}]", names.len())), "{stderr}");
    assert!(
        stderr.contains("no-such-repo: cannot be audited: path does not exist"),
        "{stderr}"
    );
}

#[test]
fn output_is_deterministic_and_matches_its_schema() {
    let dir = fixtures_dir();
    let (_, a, _) = fleet(&[&dir, "--quiet"]);
    let (_, b, stderr) = fleet(&[&dir, "--quiet"]);
    assert_eq!(a, b);
    assert!(stderr.is_empty(), "--quiet: {stderr}");
    let out = kubeready().args(["schema", "--fleet"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&a).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn list_files_name_the_repositories() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("repos.txt");
    std::fs::write(
        &list,
        format!(
            "# the fleet\n{}\n\n{}  # no Dockerfile yet\n",
            fixture("compose").display(),
            fixture("no-dockerfile").display()
        ),
    )
    .unwrap();
    let (code, report, _) = fleet(&["--list", list.to_str().unwrap()]);
    assert_eq!(code, 0);
    let names: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["compose", "no-dockerfile"]);
    let (code, _, stderr) = fleet(&["--list", "/no/such/list.txt"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("kubeready: cannot read list"),
        "{stderr}"
    );
}

#[test]
fn gates_fail_naming_the_repositories() {
    let good = fixture("full-pipeline");
    let bad = fixture("no-dockerfile");
    let missing = fixture("no-such-repo");
    let (good, bad, missing) = (
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    assert_eq!(fleet(&[good, bad]).0, 0, "no gate set");
    let (code, _, stderr) = fleet(&["--quiet", good, bad, "--fail-under", "50"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim_end(),
        "kubeready: gate failed for 1 of 2 repositories: no-dockerfile (score 0 < 50)"
    );
    let (code, _, stderr) = fleet(&["--quiet", good, bad, "--require-step", "dockerfile,compose"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no-dockerfile (step dockerfile is missing, step compose is missing)"),
        "{stderr}"
    );
    assert!(!stderr.contains("full-pipeline"), "{stderr}");
    assert_eq!(fleet(&[good, "--require-step", "dockerfile"]).0, 0);
    // A repository that cannot be audited fails any gate.
    let (code, _, stderr) = fleet(&["--quiet", good, missing, "--fail-under", "0"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no-such-repo (cannot be audited)"),
        "{stderr}"
    );
    // Bad flags: exit 2 with one line.
    let (code, _, stderr) = fleet(&[good, "--require-step", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown step `nope`"), "{stderr}");
    assert_eq!(fleet(&[good, "--fail-under", "101"]).0, 2);
    assert_eq!(fleet(&[]).0, 2, "no repositories given");
}

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn compare_shows_what_moved() {
    let dir = tempfile::tempdir().unwrap();
    let fleet_dir = dir.path().join("fleet");
    // api: a Dockerfile with an error (ADD of a local file); web: nothing.
    write(
        &fleet_dir,
        "api/go.mod",
        "module example.com/api\n\ngo 1.22\n",
    );
    write(
        &fleet_dir,
        "api/main.go",
        "package main\n\nfunc main() {}\n",
    );
    write(
        &fleet_dir,
        "api/Dockerfile",
        "FROM golang:1.22-alpine\nWORKDIR /src\nADD main.go /src/\nRUN go build -o /app .\nUSER 10001\nCMD [\"/app\"]\n",
    );
    write(
        &fleet_dir,
        "web/go.mod",
        "module example.com/web\n\ngo 1.22\n",
    );
    write(
        &fleet_dir,
        "web/main.go",
        "package main\n\nfunc main() {}\n",
    );
    let old = dir.path().join("old.json");
    let (code, before, _) = fleet(&[
        fleet_dir.to_str().unwrap(),
        "-o",
        &format!("json={}", old.display()),
    ]);
    assert_eq!(code, 0);
    assert_eq!(row(&before, "api")["errors"], 1, "{before}");
    assert_eq!(row(&before, "api")["blocking"][0]["code"], "DL3020");
    assert_eq!(before["blocking_findings"][0]["code"], "DL3020");
    // api fixes its ADD; web gets a Dockerfile (advances); a new repo joins.
    write(
        &fleet_dir,
        "api/Dockerfile",
        "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY main.go /src/\nRUN go build -o /app .\nUSER 10001\nCMD [\"/app\"]\n",
    );
    write(
        &fleet_dir,
        "web/Dockerfile",
        "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY main.go /src/\nRUN go build -o /app .\nUSER 10001\nCMD [\"/app\"]\n",
    );
    write(&fleet_dir, "docs/Dockerfile", "FROM nginx:1.27\n");
    let (code, after, _) = fleet(&[
        fleet_dir.to_str().unwrap(),
        "--compare",
        old.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let c = &after["comparison"];
    let web = c["advanced"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "web")
        .unwrap_or_else(|| panic!("{c}"));
    assert_eq!(web["from_step"], 1);
    assert_eq!(c["regressed"], Value::Array(vec![]));
    assert_eq!(c["fixed_blocking"][0]["code"], "DL3020");
    assert_eq!(c["fixed_blocking"][0]["name"], "api");
    assert_eq!(c["new_blocking"], Value::Array(vec![]));
    assert_eq!(c["added"][0], "docs");
    // The table and Markdown say it too.
    let out = kubeready()
        .args(["fleet", "--quiet", "--format", "markdown", "--compare"])
        .arg(&old)
        .arg(&fleet_dir)
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("### Since the previous run"), "{md}");
    assert!(md.contains("- web advanced: step 1 →"), "{md}");
    assert!(md.contains("- api: fixed DL3020 in Dockerfile"), "{md}");
    // A --compare file that is not a fleet report is a usage error.
    let not_fleet = dir.path().join("other.json");
    std::fs::write(&not_fleet, "{}").unwrap();
    let (code, _, stderr) = fleet(&[
        fleet_dir.to_str().unwrap(),
        "--compare",
        not_fleet.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not a `kubeready fleet --format json` report"),
        "{stderr}"
    );
    let (code, _, stderr) = fleet(&[
        fleet_dir.to_str().unwrap(),
        "--compare",
        fleet_dir.join("web/go.mod").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not JSON"), "{stderr}");
}

#[test]
fn reports_are_rolled_up_without_auditing() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["compose", "full-pipeline"] {
        let out = kubeready()
            .args(["audit", "--format", "json", "--fail-on", "never"])
            .arg(fixture(name))
            .output()
            .unwrap();
        std::fs::write(dir.path().join(format!("{name}.json")), out.stdout).unwrap();
    }
    std::fs::write(dir.path().join("broken.json"), "{ not json").unwrap();
    std::fs::write(
        dir.path().join("future.json"),
        "{\"schema_version\": 99, \"summary\": {}}",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a report").unwrap();
    let (code, report, _) = fleet(&["--reports", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["repositories"], 4);
    assert_eq!(
        row(&report, "compose")["score"],
        audit_json("compose")["summary"]["score"]
    );
    assert_eq!(row(&report, "full-pipeline")["status"], "audited");
    let broken = row(&report, "broken");
    assert_eq!(broken["status"], "failed");
    assert!(
        broken["reason"].as_str().unwrap().starts_with("not JSON"),
        "{broken}"
    );
    assert_eq!(
        row(&report, "future")["reason"],
        "schema_version 99, this kubeready reads 1"
    );
    // Each row links to the report it was read from.
    assert!(row(&report, "compose")["report"]
        .as_str()
        .unwrap()
        .ends_with("compose.json"));
    // --reports and paths do not mix; a missing folder is a usage error.
    assert_eq!(fleet(&["--reports", "x", "y"]).0, 2);
    assert_eq!(fleet(&["--reports", "/no/such/dir"]).0, 2);
}
