//! Hostile input, end to end (SPEC section 5, "Reliability"): every input
//! here is generated at run time in a temporary folder. Each case checks
//! that the audit finishes without a panic, exits 0 or 1 (0 with
//! `--fail-on never`), reports a `KR9xx` finding naming the offending file,
//! and that valid files are still read correctly. Also: secrets planted in
//! every place a finding could quote never reach any output format, a
//! symlink's target outside the root is never read, and the audit writes
//! nothing into the audited tree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use kubeready::audit::{Audit, AuditOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const FORMATS: [&str; 5] = ["table", "json", "markdown", "sarif", "github"];

fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

/// Runs `kubeready audit` in every format; returns each format's stdout
/// and stderr. Asserts exit code 0 (`--fail-on never`) and no panic.
fn all_formats(root: &Path) -> Vec<(&'static str, String)> {
    FORMATS
        .iter()
        .map(|format| {
            let out = kubeready()
                .args([
                    "audit",
                    "--fail-on",
                    "never",
                    "--no-color",
                    "--format",
                    format,
                ])
                .arg(root)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{format}: exit {:?}\nstderr: {stderr}",
                out.status.code()
            );
            assert!(!stderr.contains("panicked"), "{format}: {stderr}");
            (*format, format!("{stdout}\n{stderr}"))
        })
        .collect()
}

/// `audit --format json` with the default gate: exit code 0 or 1, JSON out.
fn audit_json_at(root: &Path) -> Value {
    let out = kubeready()
        .args(["audit", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// `(code, file)` of every KR9xx finding.
fn kr9(report: &Value) -> Vec<(String, String)> {
    finding_codes(report)
        .into_iter()
        .filter(|(code, _, _)| code.starts_with("KR9"))
        .map(|(code, file, _)| (code, file))
        .collect()
}

fn has_kr9(report: &Value, code: &str, file: &str) -> bool {
    kr9(report).iter().any(|(c, f)| c == code && f == file)
}

fn library_audit(root: &Path) -> Audit {
    Audit::run(root, &AuditOptions::default())
}

#[test]
fn binary_and_badly_encoded_files_become_kr901() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let mut binary = b"FROM alpine\n".to_vec();
    binary.extend((0u16..4096).map(|i| (i.wrapping_mul(7919) % 256) as u8));
    write(r, "api/Dockerfile", &binary);
    write(r, "compose.yaml", &binary);
    write(
        r,
        "web/Dockerfile",
        b"FROM node:20\nRUN echo \xff\xfe\nCMD [\"node\"]\n",
    );
    write(
        r,
        "docker-compose.yml",
        b"services:\n  a:\n    image: \xc3\x28\n",
    );
    write(r, "ok/Dockerfile", "FROM alpine\nCMD [\"true\"]\n");
    let report = audit_json_at(r);
    for f in [
        "api/Dockerfile",
        "compose.yaml",
        "web/Dockerfile",
        "docker-compose.yml",
    ] {
        assert!(has_kr9(&report, "KR901", f), "{f}: {:?}", kr9(&report));
    }
    assert!(!kr9(&report).iter().any(|(_, f)| f == "ok/Dockerfile"));
    let a = library_audit(r);
    assert!(a.facts.dockerfile("ok/Dockerfile").is_some());
    all_formats(r);
}

#[test]
fn bom_crlf_and_lone_cr_files_are_read_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "crlf/Dockerfile",
        b"\xEF\xBB\xBFFROM alpine:3.20\r\nRUN apk add --no-cache \\\r\n    curl\r\nUSER app\r\nCMD [\"./app\"]\r\n",
    );
    write(
        r,
        "cr/Dockerfile",
        b"FROM alpine:3.20\rUSER app\rCMD [\"./cr\"]\r",
    );
    write(
        r,
        "compose.yaml",
        b"\xEF\xBB\xBFservices:\r\n  web:\r\n    build: ./crlf\r\n  db:\r\n    image: postgres:16\r\n",
    );
    let a = library_audit(r);
    let crlf = a.facts.dockerfile("crlf/Dockerfile").expect("parsed");
    let cmd = crlf
        .dockerfile
        .instructions
        .iter()
        .find(|i| i.keyword.as_str() == "CMD")
        .expect("CMD found");
    assert_eq!(cmd.line, 5);
    assert_eq!(cmd.args_text(), "[\"./app\"]");
    assert_eq!(crlf.dockerfile.instructions[0].args_text(), "alpine:3.20");
    let cr = a.facts.dockerfile("cr/Dockerfile").expect("parsed");
    let cmd = cr
        .dockerfile
        .instructions
        .iter()
        .find(|i| i.keyword.as_str() == "CMD")
        .expect("CMD found in a lone-CR file");
    assert_eq!(cmd.line, 3);
    let services: Vec<&str> = a
        .facts
        .compose
        .iter()
        .flat_map(|p| p.services.iter().map(|s| s.name.as_str()))
        .collect();
    assert_eq!(sorted(&services), vec!["db", "web"]);
    let report = audit_json_at(r);
    assert!(kr9(&report).is_empty(), "{:?}", kr9(&report));
}

fn sorted<'a>(v: &[&'a str]) -> Vec<&'a str> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v
}

#[test]
fn a_100_mb_file_is_skipped_with_kr902() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    // Sparse: 100 MB on paper, nothing written.
    for rel in ["api/Dockerfile", "compose.yaml", ".github/workflows/ci.yml"] {
        let p = r.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let f = fs::File::create(&p).unwrap();
        f.set_len(100 * 1024 * 1024).unwrap();
    }
    write(r, "web/Dockerfile", "FROM nginx\n");
    let report = audit_json_at(r);
    for f in ["api/Dockerfile", "compose.yaml", ".github/workflows/ci.yml"] {
        assert!(has_kr9(&report, "KR902", f), "{f}: {:?}", kr9(&report));
    }
    // The cap is configurable, and a file just under it is parsed.
    let out = kubeready()
        .args(["audit", "--format", "json", "--max-file-size", "11"])
        .arg(r)
        .output()
        .unwrap();
    let small: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(has_kr9(&small, "KR902", "api/Dockerfile"));
    assert!(!has_kr9(&small, "KR902", "web/Dockerfile"));
    all_formats(r);
}

/// A billion-laughs document: ten levels of nine aliases each.
fn alias_bomb(prefix: &str) -> String {
    let mut s = String::from(prefix);
    s.push_str("x-bomb:\n  l0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(",");
        s.push_str(&format!("  l{i}: &l{i} [{refs}]\n"));
    }
    s
}

#[test]
fn yaml_alias_bombs_and_deep_nesting_are_refused_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let compose_head = "services:\n  web:\n    image: nginx\n";
    write(r, "bomb/compose.yaml", alias_bomb(compose_head));
    let depth = 10_000;
    let flow = format!(
        "{compose_head}x-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    write(r, "flow/compose.yaml", flow);
    // Block style: `- - - ...` nests a sequence per dash, on one line.
    let block = format!("{compose_head}x-deep:\n  {}1\n", "- ".repeat(depth));
    write(r, "block/compose.yaml", block);
    let maps = format!(
        "{compose_head}x-deep: {}1{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    write(r, "maps/compose.yaml", maps);
    let wf_head =
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n";
    write(r, ".github/workflows/bomb.yml", alias_bomb(wf_head));
    write(
        r,
        ".github/workflows/deep.yml",
        format!(
            "{wf_head}x-deep: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    write(
        r,
        "k8s/deep.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {}{}\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        ),
    );
    let report = audit_json_at(r);
    for f in [
        "bomb/compose.yaml",
        "flow/compose.yaml",
        "block/compose.yaml",
        "maps/compose.yaml",
        "k8s/deep.yaml",
    ] {
        assert!(has_kr9(&report, "KR903", f), "{f}: {:?}", kr9(&report));
    }
    all_formats(r);
    // The CI parsers use the same loader: it refuses both workflows.
    for f in [".github/workflows/bomb.yml", ".github/workflows/deep.yml"] {
        let text = fs::read_to_string(r.join(f)).unwrap();
        let loaded = kubeready_yaml::load(&text, &kubeready_yaml::Limits::default());
        assert!(loaded.error.is_some(), "{f}");
    }
}

/// Strict version for workflows: the GitHub Actions parser reports them.
#[test]
fn yaml_bombs_in_workflows_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let wf_head =
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n";
    write(r, ".github/workflows/bomb.yml", alias_bomb(wf_head));
    write(
        r,
        ".github/workflows/deep.yml",
        format!(
            "{wf_head}x-deep: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    let report = audit_json_at(r);
    for f in [".github/workflows/bomb.yml", ".github/workflows/deep.yml"] {
        assert!(has_kr9(&report, "KR903", f), "{f}: {:?}", kr9(&report));
    }
}

#[test]
fn a_dockerfile_with_100000_continuation_lines() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let mut text = String::from("FROM alpine:3.20\nRUN echo start \\\n");
    for _ in 0..100_000 {
        text.push_str("  && echo more \\\n");
    }
    text.push_str("  && true\nUSER app\nCMD [\"./app\"]\n");
    write(r, "Dockerfile", &text);
    // Also: 100,000 empty continuation lines (a BuildKit warning each).
    let mut empty = String::from("FROM alpine:3.20\nRUN echo \\\n");
    empty.push_str(&"\\\n\n".repeat(50_000));
    empty.push_str("  done\nCMD [\"x\"]\n");
    write(r, "empty/Dockerfile", &empty);
    let a = library_audit(r);
    let d = a.facts.dockerfile("Dockerfile").expect("parsed");
    let run = &d.dockerfile.instructions[1];
    assert_eq!(run.keyword.as_str(), "RUN");
    assert_eq!((run.line, run.end_line), (2, 100_003));
    let cmd = d.dockerfile.instructions.last().unwrap();
    assert_eq!((cmd.keyword.as_str(), cmd.line), ("CMD", 100_005));
    assert!(a.facts.dockerfile("empty/Dockerfile").is_some());
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(r)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_are_never_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = "OUTSIDE-THE-ROOT-7f3a9c1e";
    write(
        outside.path(),
        "Dockerfile",
        format!("FROM {secret}\nENV TOKEN={secret}\nCMD [\"{secret}\"]\n"),
    );
    write(
        outside.path(),
        "compose.yaml",
        format!("services:\n  {secret}:\n    image: {secret}\n"),
    );
    write(
        outside.path(),
        "package.json",
        format!("{{\"name\": \"{secret}\"}}"),
    );
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "api/main.go", "package main\n");
    symlink(outside.path().join("Dockerfile"), r.join("api/Dockerfile")).unwrap();
    symlink(outside.path().join("compose.yaml"), r.join("compose.yaml")).unwrap();
    symlink(outside.path().join("package.json"), r.join("package.json")).unwrap();
    symlink(outside.path(), r.join("vendored")).unwrap();
    symlink("/etc/passwd", r.join(".env")).unwrap();
    // Loops: a file link pair, a self link and a folder link to its parent.
    symlink(r.join("b/Dockerfile"), r.join("a.Dockerfile")).unwrap();
    fs::create_dir(r.join("b")).unwrap();
    symlink(r.join("a.Dockerfile"), r.join("b/Dockerfile")).unwrap();
    symlink("Containerfile", r.join("Containerfile")).unwrap();
    symlink("..", r.join("b/up")).unwrap();
    symlink(r, r.join("b/root")).unwrap();
    let report = audit_json_at(r);
    assert!(
        has_kr9(&report, "KR904", "api/Dockerfile"),
        "{:?}",
        kr9(&report)
    );
    assert!(
        has_kr9(&report, "KR904", "compose.yaml"),
        "{:?}",
        kr9(&report)
    );
    assert!(
        has_kr9(&report, "KR905", "b/Dockerfile"),
        "{:?}",
        kr9(&report)
    );
    assert!(
        has_kr9(&report, "KR905", "Containerfile"),
        "{:?}",
        kr9(&report)
    );
    for (format, out) in all_formats(r) {
        assert!(
            !out.contains(secret),
            "{format} leaked the link target:\n{out}"
        );
        assert!(!out.contains("root:x:0"), "{format} read /etc/passwd");
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_reported_or_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "locked/Dockerfile", "FROM alpine\nCMD [\"x\"]\n");
    write(r, "open/Dockerfile", "FROM alpine\nCMD [\"x\"]\n");
    write(r, "unreadable-file/Dockerfile", "FROM alpine\n");
    let locked = r.join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let file = r.join("unreadable-file/Dockerfile");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    // As root, permissions do not stop reading.
    let readable = fs::read_dir(&locked).is_ok();
    let report = audit_json_at(r);
    let formats = all_formats(r);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    if readable {
        assert!(kr9(&report).is_empty(), "{:?}", kr9(&report));
    } else {
        assert!(has_kr9(&report, "KR906", "locked"), "{:?}", kr9(&report));
        assert!(
            has_kr9(&report, "KR901", "unreadable-file/Dockerfile"),
            "{:?}",
            kr9(&report)
        );
        for (format, out) in &formats {
            assert!(out.contains("locked"), "{format} does not name the folder");
        }
    }
    let a = library_audit(r);
    assert!(a.facts.dockerfile("open/Dockerfile").is_some());
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_reported_lossily() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let bad_dir = r.join(OsStr::from_bytes(b"svc-\xff\xfe"));
    fs::create_dir(&bad_dir).unwrap();
    fs::write(bad_dir.join("Dockerfile"), "FROM alpine\n").unwrap();
    fs::write(
        r.join(OsStr::from_bytes(b"Dockerfile.\xc3\x28")),
        "FROM alpine\n",
    )
    .unwrap();
    write(r, "ok/Dockerfile", "FROM alpine\n");
    let report = audit_json_at(r);
    let kr907: Vec<String> = kr9(&report)
        .into_iter()
        .filter(|(c, _)| c == "KR907")
        .map(|(_, f)| f)
        .collect();
    assert!(kr907.iter().any(|f| f.starts_with("svc-")), "{kr907:?}");
    assert!(
        kr907.iter().any(|f| f.starts_with("Dockerfile.")),
        "{kr907:?}"
    );
    for (format, out) in all_formats(r) {
        // Shown lossily (U+FFFD), never as raw bytes (the output is UTF-8).
        assert!(out.contains("svc-\u{fffd}"), "{format}:\n{out}");
    }
}

#[test]
fn an_empty_repo() {
    let dir = tempfile::tempdir().unwrap();
    let report = audit_json_at(dir.path());
    assert!(report["findings"].as_array().unwrap().is_empty());
    assert!(report["services"].as_array().unwrap().is_empty());
    assert_eq!(report["summary"]["done"], 0);
    for (format, out) in all_formats(dir.path()) {
        assert!(!out.trim().is_empty(), "{format} printed nothing");
    }
}

#[test]
fn a_file_path_as_the_audit_root() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "svc/Dockerfile",
        "FROM alpine:3.20\nUSER app\nCMD [\"./app\"]\n",
    );
    write(r, "svc/main.go", "package main\n");
    write(r, "bin/Dockerfile", b"\x7fELF\x00\x00\x01");
    let report = audit_json_at(&r.join("svc/Dockerfile"));
    assert!(kr9(&report).is_empty(), "{:?}", kr9(&report));
    let defs = report["image_only_components"]
        .as_array()
        .unwrap()
        .iter()
        .chain(report["services"].as_array().unwrap())
        .flat_map(|c| {
            c["image_definitions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect::<Vec<_>>();
    assert_eq!(defs, vec![Value::from("Dockerfile")]);
    let a = library_audit(&r.join("svc/Dockerfile"));
    let d = a
        .facts
        .dockerfile("Dockerfile")
        .expect("the file is audited");
    assert_eq!(d.dockerfile.instructions.len(), 3);
    let report = audit_json_at(&r.join("bin/Dockerfile"));
    assert!(
        has_kr9(&report, "KR901", "Dockerfile"),
        "{:?}",
        kr9(&report)
    );
    all_formats(&r.join("svc/Dockerfile"));
    all_formats(&r.join("bin/Dockerfile"));
}

/// Distinctive secret values, one of each kind a scanner looks for.
const SECRETS: [&str; 6] = [
    "AKIAZ7HOSTILE3TEST9Q",
    "ghp_Zq7HostileTest0123456789abcdefABCDEF",
    "MIIEowIBAAKCAQEAhostileKeyBody7Qx3Vt9Lm2Np",
    "q8Zr4Tx2Lw9Vb6Nk3Hs7Jd1Fp5Gm0YcXe",
    "changeme-hostile-pw",
    "sk_live_51HostileStripeKey9aZ",
];

fn private_key() -> String {
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
        SECRETS[2]
    )
}

fn plant_secrets(r: &Path) {
    let [aws, gh, _, entropy, pw, stripe] = SECRETS;
    let key = private_key().replace('\n', "\\n");
    write(
        r,
        "api/Dockerfile",
        format!(
            "FROM python:3.12\n\
             ARG GITHUB_TOKEN={gh}\n\
             ARG DB_PASSWORD=\"{pw}\"\n\
             ENV AWS_ACCESS_KEY_ID={aws} AWS_SECRET_ACCESS_KEY={entropy}\n\
             ENV PRIVATE_KEY=\"{key}\"\n\
             ENV STRIPE_KEY {stripe}\n\
             RUN echo {gh} > /root/.token && curl -H \"Authorization: token {gh}\" https://example.com\n\
             RUN --mount=type=secret,id=x AWS_SECRET_ACCESS_KEY={entropy} ./deploy.sh\n\
             LABEL token={gh}\n\
             COPY . /app\n\
             CMD [\"python\", \"app.py\", \"--password={pw}\"]\n"
        ),
    );
    write(r, "api/requirements.txt", "flask\n");
    write(r, "api/app.py", "print('hi')\n");
    write(
        r,
        "compose.yaml",
        format!(
            "services:\n\
             \x20 api:\n\
             \x20   build: ./api\n\
             \x20   environment:\n\
             \x20     AWS_ACCESS_KEY_ID: {aws}\n\
             \x20     AWS_SECRET_ACCESS_KEY: \"{entropy}\"\n\
             \x20     GITHUB_TOKEN: {gh}\n\
             \x20     STRIPE_KEY: {stripe}\n\
             \x20 db:\n\
             \x20   image: postgres:16\n\
             \x20   environment:\n\
             \x20     - POSTGRES_PASSWORD={pw}\n\
             \x20     - PRIVATE_KEY={key}\n\
             \x20   command: [\"postgres\", \"-c\", \"password={pw}\"]\n"
        ),
    );
    write(
        r,
        ".github/workflows/ci.yml",
        format!(
            "on: push\n\
             env:\n\
             \x20 AWS_ACCESS_KEY_ID: {aws}\n\
             jobs:\n\
             \x20 build:\n\
             \x20   runs-on: ubuntu-latest\n\
             \x20   env:\n\
             \x20     GITHUB_TOKEN: {gh}\n\
             \x20     DB_PASSWORD: {pw}\n\
             \x20   steps:\n\
             \x20     - uses: actions/checkout@v4\n\
             \x20     - run: echo {entropy} | docker login -u x --password-stdin ghcr.io\n\
             \x20     - run: docker build -t ghcr.io/acme/api:latest --build-arg TOKEN={gh} ./api\n\
             \x20     - run: docker push ghcr.io/acme/api:latest\n\
             \x20       env:\n\
             \x20         STRIPE_KEY: {stripe}\n"
        ),
    );
    write(
        r,
        ".gitlab-ci.yml",
        format!(
            "variables:\n\
             \x20 AWS_ACCESS_KEY_ID: {aws}\n\
             \x20 DB_PASSWORD: \"{pw}\"\n\
             build:\n\
             \x20 script:\n\
             \x20   - docker login -u x -p {entropy} registry.gitlab.com\n\
             \x20   - docker build -t registry.gitlab.com/acme/api --build-arg T={gh} api\n"
        ),
    );
    write(
        r,
        "k8s/api.yaml",
        format!(
            "apiVersion: apps/v1\n\
             kind: Deployment\n\
             metadata:\n\
             \x20 name: api\n\
             spec:\n\
             \x20 selector:\n\
             \x20   matchLabels: {{app: api}}\n\
             \x20 template:\n\
             \x20   metadata:\n\
             \x20     labels: {{app: api}}\n\
             \x20   spec:\n\
             \x20     containers:\n\
             \x20       - name: api\n\
             \x20         image: ghcr.io/acme/api:latest\n\
             \x20         args: [\"--token={gh}\"]\n\
             \x20         env:\n\
             \x20           - name: AWS_ACCESS_KEY_ID\n\
             \x20             value: {aws}\n\
             \x20           - name: AWS_SECRET_ACCESS_KEY\n\
             \x20             value: \"{entropy}\"\n\
             \x20           - name: DB_PASSWORD\n\
             \x20             value: {pw}\n\
             ---\n\
             apiVersion: v1\n\
             kind: Secret\n\
             metadata:\n\
             \x20 name: creds\n\
             stringData:\n\
             \x20 token: {gh}\n\
             \x20 key: \"{key}\"\n"
        ),
    );
    write(
        r,
        ".env",
        format!(
            "AWS_ACCESS_KEY_ID={aws}\nGITHUB_TOKEN={gh}\nDB_PASSWORD={pw}\nSTRIPE_KEY={stripe}\nKEY=\"{key}\"\n"
        ),
    );
    write(r, "api/.env.production", format!("SECRET={entropy}\n"));
    write(r, "id_rsa", private_key());
    write(
        r,
        "Makefile",
        format!("deploy:\n\tdocker login -p {entropy} reg.example.com\n\tkubectl apply -f k8s/\n"),
    );
}

/// Whether `out` contains `secret` or a long enough piece of it to matter.
fn leaks(out: &str, secret: &str) -> Option<String> {
    let chars: Vec<char> = secret.chars().collect();
    let window = 12.min(chars.len());
    (0..=chars.len() - window)
        .map(|i| chars[i..i + window].iter().collect::<String>())
        .find(|piece| out.contains(piece.as_str()))
}

#[test]
fn planted_secrets_never_reach_any_output_format() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    plant_secrets(r);
    let outputs = all_formats(r);
    let mut leaked = Vec::new();
    for (format, out) in &outputs {
        for secret in SECRETS {
            if let Some(piece) = leaks(out, secret) {
                leaked.push(format!("{format}: {piece:?} (from {secret})"));
            }
        }
        assert!(!out.contains("BEGIN RSA PRIVATE KEY"), "{format}");
    }
    assert!(leaked.is_empty(), "secrets leaked:\n{}", leaked.join("\n"));
    // The graph command shows the same facts.
    for format in ["json", "mermaid", "dot"] {
        let out = kubeready()
            .args(["graph", "--format", format])
            .arg(r)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for secret in SECRETS {
            assert!(
                leaks(&text, secret).is_none(),
                "graph {format} leaked {secret}"
            );
        }
    }
    // The files were really read: the Dockerfile and Compose file are there.
    let a = library_audit(r);
    assert!(a.facts.dockerfile("api/Dockerfile").is_some());
    assert_eq!(a.facts.compose.first().map(|p| p.services.len()), Some(2));
}

/// Path → (content, modification time, permissions) of everything under `root`.
type Snapshot = BTreeMap<PathBuf, (Vec<u8>, Option<std::time::SystemTime>, u32)>;

fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            let meta = fs::symlink_metadata(&p).unwrap();
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = u32::from(meta.permissions().readonly());
            let content = if meta.is_file() {
                fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            out.insert(p.clone(), (content, meta.modified().ok(), mode));
            if meta.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

#[cfg(unix)]
fn set_tree_writable(root: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mut paths = vec![root.to_path_buf()];
    let mut i = 0;
    while i < paths.len() {
        let p = paths[i].clone();
        if fs::symlink_metadata(&p).unwrap().is_dir() {
            for e in fs::read_dir(&p).unwrap() {
                paths.push(e.unwrap().path());
            }
        }
        i += 1;
    }
    for p in paths {
        let meta = fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            continue;
        }
        let mode = meta.permissions().mode();
        let mode = if writable {
            mode | 0o200
        } else {
            mode & !0o222
        };
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn the_audit_writes_nothing_into_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("repo");
    fs::create_dir(&r).unwrap();
    plant_secrets(&r);
    write(&r, ".gitignore", "target/\n");
    write(
        &r,
        "web/package.json",
        "{\"name\": \"web\", \"scripts\": {\"start\": \"node .\"}}",
    );
    write(
        &r,
        "web/Dockerfile",
        "FROM node:20\nCOPY . .\nCMD [\"node\", \".\"]\n",
    );
    write(&r, "web/.dockerignore", "node_modules\n");
    #[cfg(unix)]
    set_tree_writable(&r, false);
    let before = snapshot(&r);
    // Every format, plus a graph; `-o` outputs go outside the tree.
    all_formats(&r);
    let report_file = dir.path().join("out.sarif");
    let out = kubeready()
        .args([
            "audit",
            "--fail-on",
            "never",
            "--format",
            "json",
            "--output",
        ])
        .arg(format!("sarif={}", report_file.display()))
        .arg(&r)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(report_file.exists());
    let _ = kubeready().arg("graph").arg(&r).output().unwrap();
    let after = snapshot(&r);
    #[cfg(unix)]
    set_tree_writable(&r, true);
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(added.is_empty(), "new files in the tree: {added:?}");
    for (path, was) in &before {
        assert_eq!(after.get(path), Some(was), "{} changed", path.display());
    }
}
