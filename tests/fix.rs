//! `kubeready fix`: scaffolds and autofixes, proven by kubeready's own
//! audit of what it wrote.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

const LANGUAGES: &[&str] = &[
    "node",
    "node-build",
    "python",
    "go",
    "rust",
    "java",
    "dotnet",
    "ruby",
    "php",
    "elixir",
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A temp copy of `fixtures/fix/NAME`.
fn temp_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("fix").join(name), dir.path());
    dir
}

/// Every file under `root` with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn fix(root: &Path, extra: &[&str]) -> String {
    let out = kubeready()
        .arg("fix")
        .arg(root)
        .args(extra)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn audit_json(root: &Path) -> serde_json::Value {
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(root)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn step_status(report: &serde_json::Value, id: &str) -> String {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn serious(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .map(|f| format!("{} {}:{} {}", f["code"], f["file"], f["line"], f["message"]))
        .collect()
}

#[test]
fn every_language_scaffold_passes_its_own_audit_and_is_idempotent() {
    for lang in LANGUAGES {
        let dir = temp_copy(lang);
        let before = audit_json(dir.path());
        assert_eq!(step_status(&before, "dockerfile"), "missing", "{lang}");

        // Dry run: a diff, nothing written.
        let files = snapshot(dir.path());
        let dry = fix(dir.path(), &[]);
        assert!(dry.contains("+++ b/Dockerfile"), "{lang}: {dry}");
        assert!(dry.contains("+++ b/.dockerignore"), "{lang}: {dry}");
        assert!(dry.contains("USER 10001"), "{lang}: {dry}");
        assert_eq!(snapshot(dir.path()), files, "{lang}: the dry run wrote");

        let written = fix(dir.path(), &["--write"]);
        assert!(written.contains("Wrote 2 file(s)"), "{lang}: {written}");
        let after = snapshot(dir.path());
        for (path, bytes) in &files {
            assert_eq!(after.get(path), Some(bytes), "{lang}: {path} changed");
        }
        let dockerfile = String::from_utf8(after["Dockerfile"].clone()).unwrap();
        assert!(
            dockerfile
                .lines()
                .any(|l| l.starts_with("CMD [") || l.starts_with("ENTRYPOINT [")),
            "{lang}: no exec-form start\n{dockerfile}"
        );

        let report = audit_json(dir.path());
        assert_eq!(step_status(&report, "dockerfile"), "done", "{lang}");
        assert_eq!(step_status(&report, "all-services"), "done", "{lang}");
        assert_eq!(
            serious(&report),
            Vec::<String>::new(),
            "{lang}\n{dockerfile}"
        );

        // Second run: nothing to do.
        let again = fix(dir.path(), &[]);
        assert!(!again.contains("+++"), "{lang}: {again}");
        assert!(again.contains("Nothing to fix."), "{lang}: {again}");
    }
}

#[test]
fn detected_port_is_exposed() {
    // The ruby fixture has a `config.ru`: rackup on 9292 unless a port
    // was detected; the scaffold exposes the port its command binds.
    let dir = temp_copy("ruby");
    let dry = fix(dir.path(), &[]);
    assert!(dry.contains("+EXPOSE 9292"), "{dry}");
    assert!(dry.contains("\"--port\", \"9292\""), "{dry}");
}

#[test]
fn autofixes_are_surgical_and_idempotent() {
    let dir = temp_copy("autofix");
    let before = snapshot(dir.path());
    let dry = fix(dir.path(), &[]);
    assert!(
        dry.contains("-ADD app.py /app/app.py\n+COPY app.py /app/app.py"),
        "{dry}"
    );
    assert!(
        dry.contains("+LABEL maintainer=\"Jane Doe <jane@example.org>\""),
        "{dry}"
    );
    assert!(
        dry.contains("+ && apt-get install --no-install-recommends -y"),
        "{dry}"
    );
    assert!(dry.contains("+.git\n"), "{dry}");
    assert!(dry.contains("+CMD [\"python3\", \"/app/app.py\"]"), "{dry}");
    // A service with a Dockerfile gets no scaffold.
    assert!(!dry.contains("/dev/null"), "{dry}");
    assert_eq!(snapshot(dir.path()), before);

    fix(dir.path(), &["--write"]);
    let old = String::from_utf8(before["Dockerfile"].clone()).unwrap();
    let new = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    let changed: Vec<usize> = old
        .lines()
        .zip(new.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(changed, vec![3, 5, 7, 10], "{new}");
    assert_eq!(old.lines().count(), new.lines().count());
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap(),
        "*.md\n.git\n"
    );
    let report = audit_json(dir.path());
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in ["DL3020", "DL4000", "DL3015", "DL3025", "KR109"] {
        assert!(!codes.contains(&code), "{code} left: {codes:?}");
    }
    let again = fix(dir.path(), &[]);
    assert!(again.contains("Nothing to fix."), "{again}");
}

#[test]
fn rule_and_step_narrow_the_fix() {
    let dir = temp_copy("autofix");
    let only = fix(dir.path(), &["--rule", "add-instead-of-copy"]);
    assert!(only.contains("+COPY app.py"), "{only}");
    assert!(!only.contains("LABEL"), "{only}");
    assert!(!only.contains(".dockerignore"), "{only}");

    let dir = temp_copy("python");
    let none = fix(dir.path(), &["--rule", "DL4000"]);
    assert!(none.contains("Nothing to fix."), "{none}");
    let step = fix(dir.path(), &["--step", "dockerfile"]);
    assert!(step.contains("+++ b/Dockerfile"), "{step}");
}

#[test]
fn unknown_step_or_rule_is_a_usage_error() {
    let dir = temp_copy("python");
    kubeready()
        .arg("fix")
        .arg(dir.path())
        .args(["--step", "compose"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fix can scaffold only the steps"));
    kubeready()
        .arg("fix")
        .arg(dir.path())
        .args(["--rule", "DL3007"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fix can fix only the rules"));
    kubeready()
        .args(["fix", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
}

#[cfg(unix)]
#[test]
fn read_only_tree_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_copy("python");
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions: nothing to prove there.
    if std::fs::write(root.join("probe"), "x").is_ok() {
        std::fs::remove_file(root.join("probe")).unwrap();
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let out = kubeready()
        .arg("fix")
        .arg(root)
        .arg("--write")
        .assert()
        .code(2)
        .get_output()
        .clone();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
}

#[test]
fn library_gets_no_scaffold() {
    let out = fix(&fixture("library"), &[]);
    assert!(!out.contains("+++"), "{out}");
}

#[test]
fn rules_and_explain_say_what_is_fixable() {
    let out = kubeready()
        .arg("rules")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(out).unwrap();
    for code in ["DL3015", "DL3020", "DL3025", "DL4000", "KR109"] {
        let line = table.lines().find(|l| l.starts_with(code)).unwrap();
        assert!(line.ends_with("(fixable)"), "{line}");
    }
    let line = table.lines().find(|l| l.starts_with("DL3007")).unwrap();
    assert!(!line.contains("fixable"), "{line}");

    let out = kubeready()
        .args(["rules", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rules: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let fixable: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["fixable"] == true)
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        fixable,
        vec!["DL3015", "DL3020", "DL3025", "DL4000", "KR109"]
    );

    kubeready()
        .args(["explain", "DL3020"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kubeready fix --rule DL3020"));
    kubeready()
        .args(["explain", "DL3007"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kubeready fix").not());
}

#[test]
fn shell_form_cmd_is_left_alone_when_an_entrypoint_takes_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM python:3.12.8-slim\nENTRYPOINT [\"python3\"]\nCMD app.py\n",
    )
    .unwrap();
    let out = fix(dir.path(), &["--rule", "DL3025"]);
    assert!(!out.contains("+++"), "{out}");
    assert!(out.contains("DL3025 line 3 not fixed"), "{out}");
}

#[test]
fn a_build_gets_a_build_stage() {
    let with_build = fix(&fixture("fix").join("node-build"), &[]);
    assert!(
        with_build.contains("+FROM node:22.12.0-bookworm-slim AS build"),
        "{with_build}"
    );
    assert!(
        with_build.contains("+CMD [\"node\", \"dist/server.js\"]"),
        "{with_build}"
    );
    let without = fix(&fixture("fix").join("node"), &[]);
    assert!(!without.contains("AS build"), "{without}");
    for compiled in ["go", "rust", "java", "dotnet", "elixir"] {
        let out = fix(&fixture("fix").join(compiled), &[]);
        assert!(out.contains(" AS build"), "{compiled}: {out}");
    }
}

#[cfg(unix)]
#[test]
fn a_linked_file_is_never_edited() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("ignore"), "*.md\n").unwrap();
    let dir = temp_copy("autofix");
    std::fs::remove_file(dir.path().join(".dockerignore")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("ignore"),
        dir.path().join(".dockerignore"),
    )
    .unwrap();
    fix(dir.path(), &["--write"]);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("ignore")).unwrap(),
        "*.md\n"
    );
}

#[test]
fn step_one_is_one_service_step_two_the_others() {
    let dir = temp_copy("monorepo");
    let one = fix(dir.path(), &["--step", "dockerfile"]);
    assert!(one.contains("+++ b/services/a/Dockerfile"), "{one}");
    assert!(!one.contains("services/b"), "{one}");
    let all = fix(dir.path(), &[]);
    assert!(
        all.contains("services/a/Dockerfile (new): step 1 dockerfile"),
        "{all}"
    );
    assert!(
        all.contains("services/b/Dockerfile (new): step 2 all-services"),
        "{all}"
    );
    fix(dir.path(), &["--write"]);
    let report = audit_json(dir.path());
    assert_eq!(step_status(&report, "all-services"), "done");
    assert_eq!(serious(&report), Vec::<String>::new());
}

#[test]
fn rust_scaffold_builds_the_declared_binary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"svc-server\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"server\"\npath = \"src/main.rs\"\n\n[dependencies]\naxum = \"0.7\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    let out = fix(dir.path(), &[]);
    assert!(out.contains("cargo build --release --bin server "), "{out}");
    assert!(
        out.contains("+ENTRYPOINT [\"/usr/local/bin/server\"]"),
        "{out}"
    );
}
