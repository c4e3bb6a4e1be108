//! The whole audit over a tree where the input is every YAML model at once:
//! the Compose file, a GitHub workflow, `.gitlab-ci.yml` and a Kubernetes
//! manifest (Compose, CI and k8s models, rules, checklist, report).
//! The input bytes are written as they are, so the walk's decoding runs too.
#![no_main]

use kubeready::audit::{Audit, AuditOptions};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const FILES: [&str; 4] = [
    "compose.yaml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "k8s/app.yaml",
];

fn root() -> Option<&'static PathBuf> {
    static ROOT: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = tempfile::tempdir().ok()?;
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join(".github/workflows")).ok()?;
        std::fs::create_dir_all(root.join("k8s")).ok()?;
        std::fs::create_dir_all(root.join("api")).ok()?;
        std::fs::write(root.join("api/Dockerfile"), "FROM alpine\nCMD [\"x\"]\n").ok()?;
        std::fs::write(root.join("api/go.mod"), "module api\n").ok()?;
        Some((dir, root))
    })
    .as_ref()
    .map(|(_, r)| r)
}

fuzz_target!(|data: &[u8]| {
    let Some(root) = root() else { return };
    for f in FILES {
        if std::fs::write(root.join(f), data).is_err() {
            return;
        }
    }
    let audit = Audit::run(root, &AuditOptions::default());
    let r = &audit.report;
    let _ = kubeready::report::json::render(r);
    let _ = kubeready::report::sarif::render(r);
    let _ = kubeready::report::markdown::render(r);
    let _ = kubeready::report::github::render(r);
});
