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
    "node-yarn",
    "node-pnpm",
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

const STEPS: &[&str] = &[
    "dockerfile",
    "all-services",
    "compose",
    "dev-env",
    "image-builds",
    "ci-images",
    "cd-staging",
];

/// hadolint's findings of `warning` or worse on every Dockerfile under
/// `root`; `None` (with a notice) when hadolint is not installed.
fn hadolint(root: &Path) -> Option<Vec<String>> {
    let probe = std::process::Command::new("hadolint")
        .arg("--version")
        .output();
    if probe.is_err() {
        eprintln!("notice: hadolint is not installed; its check of the scaffolds is skipped");
        return None;
    }
    let mut out = Vec::new();
    for path in snapshot(root).keys().filter(|p| p.ends_with("Dockerfile")) {
        let run = std::process::Command::new("hadolint")
            .args(["--no-color", "--failure-threshold", "warning"])
            .arg(root.join(path))
            .output()
            .unwrap();
        if !run.status.success() {
            out.push(format!("{path}: {}", String::from_utf8_lossy(&run.stdout)));
        }
    }
    Some(out)
}

/// Every step `done` and no `error`/`warning` finding, or what is not.
fn assert_all_done(root: &Path, what: &str) {
    let report = audit_json(root);
    for id in STEPS {
        assert_eq!(
            step_status(&report, id),
            "done",
            "{what}: step {id}\n{report:#}"
        );
    }
    assert_eq!(serious(&report), Vec::<String>::new(), "{what}");
    if let Some(problems) = hadolint(root) {
        assert_eq!(problems, Vec::<String>::new(), "{what}: hadolint");
    }
}

/// The bytes of every file that existed before are unchanged, except
/// the files listed (surgically edited).
fn assert_untouched(before: &BTreeMap<String, Vec<u8>>, root: &Path, edited: &[&str], what: &str) {
    let after = snapshot(root);
    for (path, bytes) in before {
        if !edited.contains(&path.as_str()) {
            assert_eq!(after.get(path), Some(bytes), "{what}: {path} changed");
        }
    }
}

/// The lines of `old` appear in `new` in the same order (an edit that
/// only inserted lines).
fn only_inserted(old: &str, new: &str) -> bool {
    let mut new_lines = new.lines();
    old.lines().all(|l| new_lines.any(|n| n == l))
}

#[test]
fn every_language_from_step_zero_to_all_steps_done() {
    for lang in LANGUAGES {
        let dir = temp_copy(lang);
        let before = audit_json(dir.path());
        assert_eq!(step_status(&before, "dockerfile"), "missing", "{lang}");

        // Dry run: a diff, nothing written.
        let files = snapshot(dir.path());
        let dry = fix(dir.path(), &[]);
        for new in [
            "Dockerfile",
            ".dockerignore",
            "compose.yaml",
            ".env.example",
            "README.md",
            ".github/workflows/containers.yml",
        ] {
            assert!(
                dry.contains(&format!("+++ b/{new}\n")),
                "{lang}: {new}\n{dry}"
            );
        }
        assert!(dry.contains("USER 10001"), "{lang}: {dry}");
        assert_eq!(snapshot(dir.path()), files, "{lang}: the dry run wrote");

        let written = fix(dir.path(), &["--write"]);
        assert!(written.contains("Wrote 6 file(s)"), "{lang}: {written}");
        assert_untouched(&files, dir.path(), &[], lang);
        let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
        assert!(
            dockerfile
                .lines()
                .any(|l| l.starts_with("CMD [") || l.starts_with("ENTRYPOINT [")),
            "{lang}: no exec-form start\n{dockerfile}"
        );
        assert_all_done(dir.path(), lang);

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
    // A service with a Dockerfile gets no Dockerfile scaffold.
    assert!(!dry.contains("/dev/null\n+++ b/Dockerfile"), "{dry}");
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
    // What the narrowed fix leaves fails the gate (tested on its own).
    let only = fix(
        dir.path(),
        &["--rule", "add-instead-of-copy", "--fail-on", "never"],
    );
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
        .args(["--step", "orchestration"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fix can scaffold only the steps"));
    kubeready()
        .arg("fix")
        .arg(dir.path())
        .args(["--rule", "DL3008"])
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
    // `fix` checks the permission bits before writing anything, so this
    // holds even for root (who could write anyway).
    let before = snapshot(root);
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
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(snapshot(root), before, "nothing written");
}

#[test]
fn library_gets_no_scaffold() {
    let out = fix(&fixture("library"), &[]);
    assert!(!out.contains("+++"), "{out}");
}

const FIXABLE: &[&str] = &[
    "DL3007", "DL3015", "DL3020", "DL3025", "DL4000", "KR108", "KR109", "KR201", "KR401",
];

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
    for code in FIXABLE {
        let line = table.lines().find(|l| l.starts_with(code)).unwrap();
        assert!(line.ends_with("(fixable)"), "{line}");
    }
    let line = table.lines().find(|l| l.starts_with("DL3008")).unwrap();
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
    assert_eq!(fixable, FIXABLE);

    kubeready()
        .args(["explain", "DL3020"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kubeready fix --rule DL3020"));
    kubeready()
        .args(["explain", "DL3008"])
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

#[test]
fn backing_services_get_healthchecks_and_healthy_dependencies() {
    let dir = temp_copy("node-yarn");
    fix(dir.path(), &["--write"]);
    let compose = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    for want in [
        "  postgres:\n    image: postgres:17.2-bookworm\n",
        "  redis:\n    image: redis:7.4.1-bookworm\n",
        "      postgres:\n        condition: service_healthy\n",
        "      redis:\n        condition: service_healthy\n",
        "      - \"3000:3000\"\n",
        "        - action: rebuild\n",
    ] {
        assert!(compose.contains(want), "{want}\n{compose}");
    }
    assert_eq!(
        compose.matches("    healthcheck:\n").count(),
        2,
        "{compose}"
    );
    let env = std::fs::read_to_string(dir.path().join(".env.example")).unwrap();
    assert!(
        env.contains("\nDATABASE_URL=postgres://app:app@postgres:5432/app\n"),
        "{env}"
    );
    assert!(env.contains("\nPOSTGRES_PASSWORD=app\n"), "{env}");
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(readme.contains("## Running it in containers"), "{readme}");
    assert!(
        readme.contains("- `orders`: http://localhost:3000"),
        "{readme}"
    );
    let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("COPY package.json yarn.lock ./"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("http://127.0.0.1:3000/healthz"),
        "{dockerfile}"
    );

    let dir = temp_copy("node-pnpm");
    let dry = fix(dir.path(), &[]);
    for engine in ["mongodb", "rabbitmq", "kafka"] {
        assert!(dry.contains(&format!("+  {engine}:\n")), "{engine}\n{dry}");
    }
    assert!(
        dry.contains("+RUN corepack enable && pnpm install --frozen-lockfile\n"),
        "{dry}"
    );
    // No health route in the code: a TCP probe of the known port, never
    // a guessed route.
    assert!(dry.contains("+HEALTHCHECK "), "{dry}");
    assert!(dry.contains("require('net').connect("), "{dry}");
    assert!(!dry.contains("/healthz"), "{dry}");
}

#[test]
fn github_workflow_builds_tests_pushes_by_sha_and_holds_a_staging_job() {
    let dir = temp_copy("go");
    fix(dir.path(), &["--write"]);
    let wf = std::fs::read_to_string(dir.path().join(".github/workflows/containers.yml")).unwrap();
    for want in [
        "docker build --tag \"$IMAGE_PREFIX/api:${{ github.sha }}\" --file Dockerfile .",
        "docker run --rm \"$IMAGE_PREFIX/api:${{ github.sha }}-build\" go test ./...",
        "        if: github.event_name == 'push'\n        run: docker push \"$IMAGE_PREFIX/api:${{ github.sha }}\"",
        "    environment: staging\n",
        "CHANGE-ME",
        "compose --file compose.yaml up --detach --no-build",
    ] {
        assert!(wf.contains(want), "{want}\n{wf}");
    }
    assert!(!wf.contains("latest"), "{wf}");
}

#[test]
fn helm_repository_gets_a_helm_staging_deploy() {
    let dir = temp_copy("helm");
    fix(dir.path(), &["--write"]);
    let wf = std::fs::read_to_string(dir.path().join(".github/workflows/containers.yml")).unwrap();
    assert!(
        wf.contains("helm upgrade --install shop ./charts/shop --namespace staging --create-namespace --set image.tag=\"$IMAGE_TAG\""),
        "{wf}"
    );
    assert_all_done(dir.path(), "helm");
}

#[test]
fn gitlab_jobs_are_included_into_the_existing_pipeline() {
    let dir = temp_copy("gitlab");
    let before = snapshot(dir.path());
    fix(dir.path(), &["--write"]);
    assert_untouched(&before, dir.path(), &[".gitlab-ci.yml"], "gitlab");
    let old = String::from_utf8(before[".gitlab-ci.yml"].clone()).unwrap();
    let new = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    assert!(new.starts_with(&old), "{new}");
    assert!(
        new.ends_with("include:\n  - local: .gitlab/ci/containers.yml\n"),
        "{new}"
    );
    let jobs = std::fs::read_to_string(dir.path().join(".gitlab/ci/containers.yml")).unwrap();
    assert!(jobs.contains("python -m pytest"), "{jobs}");
    assert!(jobs.contains("$CI_REGISTRY_IMAGE/"), "{jobs}");
    assert!(jobs.contains(":$CI_COMMIT_SHA"), "{jobs}");
    assert!(jobs.contains("deploy-staging:\n"), "{jobs}");
    assert!(!jobs.contains("stages:"), "{jobs}");
    assert_all_done(dir.path(), "gitlab");
    assert!(fix(dir.path(), &[]).contains("Nothing to fix."));
}

#[test]
fn missing_services_are_added_to_an_existing_compose_file() {
    let dir = temp_copy("existing-compose");
    let before = snapshot(dir.path());
    let dry = fix(dir.path(), &[]);
    assert!(
        dry.contains("compose.yaml (edit): step 3 compose: add `worker`"),
        "{dry}"
    );
    fix(dir.path(), &["--write"]);
    assert_untouched(&before, dir.path(), &["compose.yaml"], "existing-compose");
    let old = String::from_utf8(before["compose.yaml"].clone()).unwrap();
    let new = std::fs::read_to_string(dir.path().join("compose.yaml")).unwrap();
    assert!(only_inserted(&old, &new), "{new}");
    // Inserted at the end of `services:`, in the file's own indentation,
    // before the comment that belongs to `volumes:`.
    assert!(
        new.contains("    worker:\n      # The name CI pushes it as"),
        "{new}"
    );
    assert!(
        new.contains("    redis:\n      image: redis:7.4.1-bookworm\n"),
        "{new}"
    );
    assert!(
        new.contains("retries: 10\n\n# Named volumes.\nvolumes:\n"),
        "{new}"
    );
    assert_all_done(dir.path(), "existing-compose");
    assert!(fix(dir.path(), &[]).contains("Nothing to fix."));
}

#[test]
fn unsupported_ci_system_is_named() {
    let dir = temp_copy("jenkins");
    let out = fix(dir.path(), &["--write"]);
    assert!(
        out.contains("skipped: no CI workflow: Jenkins is not supported yet by `kubeready fix`"),
        "{out}"
    );
    assert!(!dir.path().join(".github").exists());
    let report = audit_json(dir.path());
    for id in ["dockerfile", "all-services", "compose", "dev-env"] {
        assert_eq!(step_status(&report, id), "done", "{id}");
    }
}

#[test]
fn latest_takes_the_tag_the_repository_already_uses() {
    let dir = temp_copy("latest");
    let before = snapshot(dir.path());
    let dry = fix(
        dir.path(),
        &["--rule", "DL3007", "--rule", "KR108", "--rule", "KR109"],
    );
    assert!(
        dry.contains("-FROM node:latest\n+FROM node:22.12.0-bookworm-slim\n"),
        "{dry}"
    );
    assert!(dry.contains("+++ b/web/.dockerignore"), "{dry}");
    assert!(dry.contains(" .git\n+node_modules\n"), "{dry}");
    fix(dir.path(), &["--write"]);
    assert_untouched(
        &before,
        dir.path(),
        &["web/Dockerfile", "api/.dockerignore"],
        "latest",
    );
    assert_all_done(dir.path(), "latest");
}

#[test]
fn a_service_it_cannot_containerize_is_named_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("svc")).unwrap();
    std::fs::write(
        dir.path().join("svc/Program.cs"),
        "var app = WebApplication.Create();\napp.Run();\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".kubeready.yaml"),
        "services:\n  - path: svc\n    language: dotnet\n",
    )
    .unwrap();
    let out = fix(dir.path(), &["--write"]);
    assert!(
        out.contains(
            "skipped: no Dockerfile for `svc`: cannot containerize it without its project file"
        ),
        "{out}"
    );
    assert!(
        out.contains("skipped: no Compose scaffold: no service has a Dockerfile yet"),
        "{out}"
    );
    assert!(!dir.path().join("svc/Dockerfile").exists());
}

#[test]
fn kustomize_and_kubectl_repositories_get_their_own_staging_deploy() {
    for (name, want) in [
        (
            "kustomize",
            "          cd deploy/overlays/staging\n          kustomize edit set image ghcr.io/acme/shop/api=$IMAGE_PREFIX/api:\"$IMAGE_TAG\"\n          kubectl apply --kustomize .\n",
        ),
        (
            "kubectl",
            "kubectl --namespace staging set image deployment/shop-api server=$IMAGE_PREFIX/api:\"$IMAGE_TAG\"\n",
        ),
    ] {
        let dir = temp_copy(name);
        fix(dir.path(), &["--write"]);
        let wf =
            std::fs::read_to_string(dir.path().join(".github/workflows/containers.yml")).unwrap();
        assert!(wf.contains(want), "{name}\n{wf}");
        assert_all_done(dir.path(), name);
    }
}

/// `fix` with these flags: its exit code, stdout and stderr.
fn fix_status(root: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = kubeready()
        .arg("fix")
        .arg(root)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn exit_codes_are_the_gate_of_the_tree_as_the_fix_leaves_it() {
    // Jenkins: steps 5-7 stay undone; the dry run gates on the tree as if
    // the diff were applied, `--write` on the tree re-audited: both alike.
    let dir = temp_copy("jenkins");
    let before = snapshot(dir.path());
    let (code, _, err) = fix_status(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    // Step 1 is missing now but done with the fix applied.
    let (code, _, err) = fix_status(dir.path(), &["--require-step", "dockerfile"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = fix_status(dir.path(), &["--require-step", "image-builds"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("with the fix applied, gate failed: step image-builds is missing"),
        "{err}"
    );
    assert!(out.contains("+++ b/Dockerfile"), "{out}");
    assert_eq!(snapshot(dir.path()), before, "the dry run wrote");
    // The config's gate defaults hold as for `audit`; the flags win.
    std::fs::write(
        dir.path().join(".kubeready.yaml"),
        "gate:\n  require-steps: [image-builds]\n",
    )
    .unwrap();
    let (code, _, _) = fix_status(dir.path(), &[]);
    assert_eq!(code, 1);
    let (code, _, err) = fix_status(dir.path(), &["--require-step", "compose"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = fix_status(dir.path(), &["--write"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("after the fix, gate failed: step image-builds"),
        "{err}"
    );
    assert!(out.contains("Wrote "), "{out}");
    // A second run writes nothing and still fails the same gate.
    let (code, out, _) = fix_status(dir.path(), &["--write"]);
    assert_eq!(code, 1);
    assert!(out.contains("Nothing to fix."), "{out}");

    // A finding the fix leaves (only DL3020 fixed) fails `--fail-on`.
    let dir = temp_copy("autofix");
    let (code, _, err) = fix_status(dir.path(), &["--rule", "DL3020", "--fail-on", "warning"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("(--fail-on)"), "{err}");
    let (code, _, err) = fix_status(dir.path(), &["--rule", "DL3020", "--fail-on", "never"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = fix_status(dir.path(), &["--fail-under", "101"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn every_scaffold_has_a_healthcheck_or_says_why_not() {
    for lang in LANGUAGES {
        let dir = temp_copy(lang);
        fix(dir.path(), &["--write", "--step", "dockerfile"]);
        let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
        let exposed = dockerfile.lines().any(|l| l.starts_with("EXPOSE "));
        let check = dockerfile.lines().any(|l| l.starts_with("HEALTHCHECK "));
        let why = dockerfile
            .lines()
            .any(|l| l.starts_with("# No HEALTHCHECK: "));
        assert!(check != why, "{lang}: one of the two\n{dockerfile}");
        // With a known port there is a probe, except on the Go image
        // without a health route (busybox has no TCP probe it can trust).
        if exposed && *lang != "go" {
            assert!(check, "{lang}\n{dockerfile}");
        }
        // Never a tool the runtime image lacks.
        assert!(!dockerfile.contains("curl"), "{lang}\n{dockerfile}");
    }
    // The Go fixture with a health route gets busybox wget.
    let dir = temp_copy("go");
    std::fs::write(
        dir.path().join("main.go"),
        "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
    )
    .unwrap();
    let dry = fix(dir.path(), &["--step", "dockerfile"]);
    assert!(
        dry.contains("CMD [\"wget\", \"-q\", \"-O\", \"/dev/null\", \"-T\", \"3\", \"http://127.0.0.1:8080/healthz\"]"),
        "{dry}"
    );
}

#[test]
fn gitlab_stages_and_includes_are_extended_surgically() {
    // A top-level `include:` and a block `stages:` list with comments.
    let dir = temp_copy("gitlab-include");
    let before = snapshot(dir.path());
    let out = fix(dir.path(), &["--write"]);
    assert!(!out.contains("skipped: no GitLab jobs"), "{out}");
    assert_untouched(&before, dir.path(), &[".gitlab-ci.yml"], "gitlab-include");
    let old = String::from_utf8(before[".gitlab-ci.yml"].clone()).unwrap();
    let new = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    assert!(only_inserted(&old, &new), "{new}");
    assert!(
        new.contains("stages:\n  # Lint first, then the tests.\n  - lint\n  - build\n  - test   # unit tests run here\n  - deploy\n"),
        "{new}"
    );
    assert_eq!(new.matches("\ninclude:").count(), 1, "{new}");
    assert!(new.contains("\n.kubeready-docker:\n"), "{new}");
    assert!(
        new.contains("\nimage-app:\n") || new.contains("\nimage-"),
        "{new}"
    );
    assert!(new.contains("\ndeploy-staging:\n"), "{new}");
    assert!(!dir.path().join(".gitlab/ci/containers.yml").exists());
    assert_all_done(dir.path(), "gitlab-include");
    let again = fix(dir.path(), &[]);
    assert!(again.contains("Nothing to fix."), "{again}");

    // A one-line flow `stages:`: extended in place, the jobs included.
    let dir = temp_copy("gitlab-stages");
    let before = snapshot(dir.path());
    fix(dir.path(), &["--write"]);
    assert_untouched(&before, dir.path(), &[".gitlab-ci.yml"], "gitlab-stages");
    let new = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    assert!(
        new.starts_with("# The existing pipeline: a flow list of stages without build or deploy.\nstages: [lint, build, test, deploy]  # kept short\n"),
        "{new}"
    );
    assert!(
        new.ends_with("include:\n  - local: .gitlab/ci/containers.yml\n"),
        "{new}"
    );
    let jobs = std::fs::read_to_string(dir.path().join(".gitlab/ci/containers.yml")).unwrap();
    assert!(!jobs.contains("stages:"), "{jobs}");
    assert_all_done(dir.path(), "gitlab-stages");
    assert!(fix(dir.path(), &[]).contains("Nothing to fix."));
}

#[test]
fn existing_image_builds_get_only_the_missing_jobs() {
    for (name, file, want) in [
        (
            "github-builds",
            ".github/workflows/build.yml",
            [
                "-image:\n      # Added by `kubeready fix`: builds ",
                "docker build --tag \"ghcr.io/acme/shop:${{ github.sha }}\" --file Dockerfile .",
                "docker run --rm \"ghcr.io/acme/shop:${{ github.sha }}\" python -m pytest",
                "\n    deploy-staging:\n      needs: build\n",
                "IMAGE_TAG: ${{ github.sha }}",
                "set image deployment/shop web=\"ghcr.io/acme/shop:${{ github.sha }}\"",
            ],
        ),
        (
            "gitlab-builds",
            ".gitlab-ci.yml",
            [
                "-image:\n  stage: test\n",
                "- docker build --tag \"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\" --file Dockerfile .",
                "docker run --rm \"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\" python -m pytest",
                "\ndeploy-staging:\n  stage: deploy\n  needs:\n    - job: image-build\n      optional: true\n",
                "IMAGE_TAG: $CI_COMMIT_SHA",
                // `$CI_REGISTRY_IMAGE` joins no Deployment's image: the
                // names are the service's, marked CHANGE-ME.
                "=\"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\"\n",
            ],
        ),
    ] {
        let dir = temp_copy(name);
        let before = snapshot(dir.path());
        let dry = fix(dir.path(), &["--step", "ci-images", "--step", "cd-staging"]);
        assert!(!dry.contains("/dev/null\n+++ b/.github/workflows/containers.yml"), "{name}: {dry}");
        fix(dir.path(), &["--write"]);
        assert_untouched(&before, dir.path(), &[file], name);
        assert!(!dir.path().join(".github/workflows/containers.yml").exists(), "{name}");
        assert!(!dir.path().join(".gitlab/ci/containers.yml").exists(), "{name}");
        let old = String::from_utf8(before[file].clone()).unwrap();
        let new = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(only_inserted(&old, &new), "{name}\n{new}");
        for w in want {
            assert!(new.contains(w), "{name}: {w}\n{new}");
        }
        // The build job itself is left as it was: one build, one push.
        assert_eq!(new.matches("docker push").count(), 1, "{name}\n{new}");
        if name == "gitlab-builds" {
            assert!(
                new.contains("stages:\n  - build   # the only stage so far\n  - test\n  - deploy\n"),
                "{new}"
            );
        }
        assert_all_done(dir.path(), name);
        let again = fix(dir.path(), &[]);
        assert!(again.contains("Nothing to fix."), "{name}: {again}");
    }
}

#[test]
fn no_test_job_for_an_image_built_from_what_earlier_steps_make() {
    // Seen on real repositories (a release Dockerfile that copies what
    // goreleaser or a build step made): a job of its own could not build
    // it, so none is added.
    let dir = temp_copy("github-builds");
    let wf = dir.path().join(".github/workflows/build.yml");
    let text = std::fs::read_to_string(&wf).unwrap().replace(
        "docker build --tag ghcr.io/acme/shop:${{ github.sha }} .",
        "docker build --tag ghcr.io/acme/shop:${{ github.sha }} --file Dockerfile.release .",
    );
    std::fs::write(&wf, text).unwrap();
    std::fs::write(
        dir.path().join("Dockerfile.release"),
        "FROM python:3.12.8-slim-bookworm\nWORKDIR /app\nCOPY dist/app.pyz ./\nUSER 10001\nCMD [\"python\", \"app.pyz\"]\n",
    )
    .unwrap();
    let (_, out, _) = fix_status(dir.path(), &["--step", "ci-images"]);
    assert!(!out.contains("+++ b/.github"), "{out}");
    assert!(
        out.contains("copies files that are not in the repository (KR504/KR505)"),
        "{out}"
    );
}

/// Every line `fix --write` added to `path` (`old` → now) is in the dry
/// run's diff as an added line: the dry run shows what the write writes.
fn assert_dry_run_shows(dry: &str, root: &Path, path: &str, old: &str) {
    let new = std::fs::read_to_string(root.join(path)).unwrap();
    assert!(only_inserted(old, &new), "{path}\n{new}");
    assert!(dry.contains(&format!("+++ b/{path}\n")), "{path}: {dry}");
    let mut old_lines: Vec<&str> = old.lines().collect();
    for line in new.lines() {
        match old_lines.first() {
            Some(first) if *first == line => {
                old_lines.remove(0);
            }
            _ => assert!(
                dry.contains(&format!("\n+{line}\n")),
                "{path}: `{line}` not in\n{dry}"
            ),
        }
    }
}

#[test]
fn gitlab_stages_declared_in_a_local_include_get_the_new_stages() {
    let dir = temp_copy("gitlab-included-stages");
    let before = snapshot(dir.path());
    let dry = fix(dir.path(), &[]);
    assert_eq!(snapshot(dir.path()), before, "the dry run wrote");
    assert!(
        dry.contains("--- a/ci/stages.yml\n+++ b/ci/stages.yml\n@@ -2,3 +2,5 @@\n stages:\n   - lint   # nothing runs here yet\n   - build\n+  - test\n+  - deploy\n"),
        "{dry}"
    );
    assert!(
        dry.contains("  ci/stages.yml (edit): stages test, deploy added\n"),
        "{dry}"
    );
    assert!(!dry.contains("+stages:"), "{dry}");
    assert!(!dry.contains("skipped"), "{dry}");

    fix(dir.path(), &["--write"]);
    let edited = [".gitlab-ci.yml", "ci/stages.yml"];
    assert_untouched(&before, dir.path(), &edited, "gitlab-included-stages");
    for path in edited {
        let old = String::from_utf8(before[path].clone()).unwrap();
        assert_dry_run_shows(&dry, dir.path(), path, &old);
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ci/stages.yml")).unwrap(),
        "# The stages of this pipeline, in the order they run.\nstages:\n  - lint   # nothing runs here yet\n  - build\n  - test\n  - deploy\n"
    );
    let main = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    // No `stages:` of its own: it would override the included list.
    assert!(!main.lines().any(|l| l.starts_with("stages")), "{main}");
    assert_eq!(main.matches("\ninclude:").count(), 1, "{main}");
    assert!(main.contains("-image:\n  stage: test\n"), "{main}");
    assert!(
        main.contains("\ndeploy-staging:\n  stage: deploy\n  needs:\n    - job: image-build\n      optional: true\n"),
        "{main}"
    );
    assert_all_done(dir.path(), "gitlab-included-stages");
    let again = fix(dir.path(), &[]);
    assert!(again.contains("Nothing to fix."), "{again}");

    // No image build yet: the whole set of jobs is appended to the
    // pipeline (it has an `include:`), the stages still go to the
    // included list.
    let dir = temp_copy("gitlab-included-stages");
    let ci = dir.path().join(".gitlab-ci.yml");
    let text = std::fs::read_to_string(&ci).unwrap();
    let head = text.split("\nimage-build:").next().unwrap().to_string();
    std::fs::write(&ci, &head).unwrap();
    let before = snapshot(dir.path());
    let dry = fix(dir.path(), &[]);
    fix(dir.path(), &["--write"]);
    assert_untouched(
        &before,
        dir.path(),
        &edited,
        "gitlab-included-stages without a build",
    );
    for path in edited {
        let old = String::from_utf8(before[path].clone()).unwrap();
        assert_dry_run_shows(&dry, dir.path(), path, &old);
    }
    assert!(std::fs::read_to_string(dir.path().join("ci/stages.yml"))
        .unwrap()
        .ends_with("  - lint   # nothing runs here yet\n  - build\n  - test\n  - deploy\n"));
    let main = std::fs::read_to_string(&ci).unwrap();
    assert!(!main.lines().any(|l| l.starts_with("stages")), "{main}");
    assert!(!dir.path().join(".gitlab/ci/containers.yml").exists());
    assert_all_done(dir.path(), "gitlab-included-stages without a build");
    assert!(fix(dir.path(), &[]).contains("Nothing to fix."));
}

#[test]
fn gitlab_stages_that_cannot_be_known_are_not_guessed() {
    // A remote include after the local one may declare other stages.
    let dir = temp_copy("gitlab-included-stages");
    let ci = dir.path().join(".gitlab-ci.yml");
    let text = std::fs::read_to_string(&ci).unwrap().replace(
        "  - local: ci/stages.yml\n",
        "  - local: ci/stages.yml\n  - remote: https://ci.example.com/acme/stages.yml\n",
    );
    std::fs::write(&ci, text).unwrap();
    let dry = fix(dir.path(), &["--step", "ci-images", "--step", "cd-staging"]);
    assert!(
        dry.contains("skipped: no CI jobs added: `.gitlab-ci.yml` includes the remote `https://ci.example.com/acme/stages.yml`, which kubeready does not read: the stages the pipeline declares are unknown; add the stages test, deploy and the jobs by hand"),
        "{dry}"
    );
    assert!(!dry.contains("+++ b/.gitlab-ci.yml"), "{dry}");
    assert!(!dry.contains("+++ b/ci/stages.yml"), "{dry}");
}

#[test]
fn staging_job_is_added_when_no_test_job_can_be() {
    let dir = temp_copy("github-prebuilt");
    let file = ".github/workflows/build.yml";
    let before = snapshot(dir.path());
    let reason = "skipped: no test job for `";
    let why = "`Dockerfile` copies files that are not in the repository (KR504/KR505), made by earlier CI steps; step 6 ci-images by hand";
    let dry = fix(dir.path(), &[]);
    assert_eq!(snapshot(dir.path()), before, "the dry run wrote");
    assert!(dry.contains(reason) && dry.contains(why), "{dry}");
    assert!(
        dry.contains("\n+  deploy-staging:\n+    needs: build\n"),
        "{dry}"
    );
    assert!(!dry.contains("-image:"), "{dry}");
    fix(dir.path(), &["--write"]);
    assert_untouched(&before, dir.path(), &[file], "github-prebuilt");
    let old = String::from_utf8(before[file].clone()).unwrap();
    assert_dry_run_shows(&dry, dir.path(), file, &old);
    let new = std::fs::read_to_string(dir.path().join(file)).unwrap();
    assert!(
        new.contains("set image deployment/shop web=\"ghcr.io/acme/shop:${{ github.sha }}\""),
        "{new}"
    );
    assert_eq!(new.matches("docker build").count(), 1, "{new}");
    // The re-audit: step 7 done, step 6 still missing (said why above).
    let report = audit_json(dir.path());
    for id in STEPS {
        let want = if *id == "ci-images" {
            "missing"
        } else {
            "done"
        };
        assert_eq!(step_status(&report, id), want, "step {id}\n{report:#}");
    }
    assert_eq!(serious(&report), Vec::<String>::new());
    let again = fix(dir.path(), &[]);
    assert!(again.contains("Nothing to fix."), "{again}");
    assert!(again.contains(why), "{again}");
    // The same on GitLab: only the `deploy` stage is added (no job runs
    // in `test`), the deploy job needs the build job.
    let dir = temp_copy("gitlab-builds");
    let dockerfile = dir.path().join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile)
        .unwrap()
        .replace("COPY . .\n", "COPY dist/shop.pyz ./\n");
    std::fs::write(&dockerfile, text).unwrap();
    let before = snapshot(dir.path());
    let dry = fix(dir.path(), &["--step", "ci-images", "--step", "cd-staging"]);
    assert!(dry.contains(reason) && dry.contains(why), "{dry}");
    fix(
        dir.path(),
        &["--step", "ci-images", "--step", "cd-staging", "--write"],
    );
    let old = String::from_utf8(before[".gitlab-ci.yml"].clone()).unwrap();
    assert_dry_run_shows(&dry, dir.path(), ".gitlab-ci.yml", &old);
    let new = std::fs::read_to_string(dir.path().join(".gitlab-ci.yml")).unwrap();
    assert!(
        new.contains("stages:\n  - build   # the only stage so far\n  - deploy\n"),
        "{new}"
    );
    assert!(
        new.contains("\ndeploy-staging:\n  stage: deploy\n  needs:\n    - job: image-build\n      optional: true\n"),
        "{new}"
    );
    assert!(!new.contains("-image:\n"), "{new}");
    let report = audit_json(dir.path());
    assert_eq!(step_status(&report, "cd-staging"), "done", "{report:#}");
    // GitLab jobs run in a container: the deploy job's counts as partial.
    assert_eq!(step_status(&report, "ci-images"), "partial", "{report:#}");
    assert!(
        fix(dir.path(), &["--step", "ci-images", "--step", "cd-staging"])
            .contains("Nothing to fix.")
    );
    // Step 7 asked alone: the staging job, without the step 6 reason.
    let dir = temp_copy("github-prebuilt");
    let only = fix(dir.path(), &["--step", "cd-staging"]);
    assert!(only.contains("+  deploy-staging:"), "{only}");
    assert!(!only.contains(reason), "{only}");
}
