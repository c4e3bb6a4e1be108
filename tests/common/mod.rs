//! Helpers shared by the end-to-end tests: run the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The `shared` folder (schemas, corpora) that is not part of the
/// repository: `$KUBEREADY_SHARED`, else `shared/` beside the repository
/// folder (`../shared` from the repository root, where CI has it).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("KUBEREADY_SHARED").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// `rel` under the shared folder, or `None` after printing a "skipped"
/// notice. The notice goes to stderr directly (the harness captures
/// `eprintln!`) so that it shows in `cargo test`'s output.
pub fn shared_file(rel: &str, test: &str) -> Option<PathBuf> {
    let path = shared_dir().join(rel);
    if path.exists() {
        return Some(path);
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: ../shared/{rel} not found (looked at {}; set KUBEREADY_SHARED to the shared folder)",
        path.display()
    );
    None
}

pub fn kubeready() -> Command {
    let mut c = Command::cargo_bin("kubeready").expect("binary builds");
    c.env_remove("NO_COLOR");
    c
}

/// Runs `kubeready audit <fixture> --format json` and parses the output.
pub fn audit_json(name: &str) -> Value {
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(fixture(name))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

pub fn step<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}"))
}

/// Asserts every step's status, in order.
pub fn assert_statuses(report: &Value, expected: [&str; 7]) {
    let got: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        expected,
        "steps: {}",
        serde_json::to_string_pretty(&report["steps"]).unwrap()
    );
}

/// `(path, language, containerized)` for every service.
pub fn services(report: &Value) -> Vec<(String, String, bool)> {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["language"].as_str().unwrap().to_string(),
                s["containerized"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Whether some evidence of the step cites `file` with a message containing `needle`.
pub fn has_evidence(report: &Value, step_id: &str, file: &str, needle: &str) -> bool {
    step(report, step_id)["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["file"] == file && e["message"].as_str().unwrap().contains(needle))
}

pub fn next_steps(report: &Value) -> Vec<String> {
    report["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

pub fn finding_codes(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A copy of a fixture in a temp dir, to change files in.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}
