//! Rust crates and workspaces.

use super::*;

#[test]
fn rust_binary_library_and_workspace() {
    let ps = projects(&[
        ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
        (
            "crates/server/Cargo.toml",
            "[package]\nname = \"server\"\n\n[dependencies]\naxum = \"0.7\"\n",
        ),
        ("crates/server/src/main.rs", "fn main() {}\n"),
        ("crates/core/Cargo.toml", "[package]\nname = \"core\"\n"),
        ("crates/core/src/lib.rs", ""),
        (
            "crates/tool/Cargo.toml",
            "[package]\nname = \"tool\"\n\n[[bin]]\nname = \"tool\"\npath = \"cli.rs\"\n",
        ),
        ("crates/multi/Cargo.toml", "[package]\nname = \"multi\"\n"),
        ("crates/multi/src/bin/worker.rs", "fn main() {}\n"),
        ("xtask/Cargo.toml", "[package]\nname = \"xtask\"\n"),
        ("xtask/src/main.rs", "fn main() {}\n"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
    let s = at(&ps, "crates/server");
    assert_eq!(s.role, ProjectRole::Service);
    assert_eq!(s.reason, "Rust binary target (src/main.rs)");
    assert_eq!(s.frameworks, vec!["axum"]);
    assert!(s.web);
    assert_eq!(at(&ps, "crates/core").role, ProjectRole::Library);
    assert_eq!(at(&ps, "crates/core").reason, "library: no binary target");
    assert_eq!(at(&ps, "crates/tool").role, ProjectRole::Service);
    assert_eq!(at(&ps, "crates/tool").line, 4);
    assert_eq!(
        at(&ps, "crates/multi").reason,
        "Rust binary target (src/bin/worker.rs)"
    );
    assert_eq!(at(&ps, "xtask").role, ProjectRole::Library);
}

#[test]
fn malformed_cargo_toml_is_a_problem() {
    let (ps, problems) = scan(&[("Cargo.toml", "[package]\nname = \"x\"\nversion = \n")]);
    assert!(ps.is_empty());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3);
}
