//! Times each parser alone, single-threaded, over a tree (the audit runs
//! them side by side, which hides which one is slow):
//! `cargo run --release --example stage-bench -- /tmp/mono1000 [runs]`.

use kubeready::parse;
use kubeready::walk::{Tree, WalkOptions};
use std::time::{Duration, Instant};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: stage-bench <repo> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    // An optional stage name runs only that stage (for a profiler).
    let only = args.next();
    let on = |name: &str| only.as_deref().is_none_or(|o| name.starts_with(o));
    let root = std::path::PathBuf::from(root);
    let options = WalkOptions::default();
    let walk = if on("walk") {
        best(runs, || Tree::walk(&root, &options))
    } else {
        Duration::ZERO
    };
    let tree = Tree::walk(&root, &options);
    let mut problems = Vec::new();
    let rows: Vec<(&str, Duration)> = vec![
        ("walk (parallel)", walk),
        (
            "compose",
            if on("compose") {
                best(runs, || {
                    parse::compose::parse_projects(&tree, &mut problems)
                })
            } else {
                Duration::ZERO
            },
        ),
        (
            "k8s",
            if on("k8s") {
                best(runs, || {
                    parse::k8s::parse_orchestration(&tree, &mut problems)
                })
            } else {
                Duration::ZERO
            },
        ),
        (
            "ci",
            if on("ci") {
                best(runs, || parse::ci::parse_pipelines(&tree, &mut problems))
            } else {
                Duration::ZERO
            },
        ),
        (
            "devenv",
            if on("devenv") {
                best(runs, || parse::devenv::parse_devenv(&tree, &mut problems))
            } else {
                Duration::ZERO
            },
        ),
        (
            "manifests",
            if on("manifests") {
                best(runs, || parse::manifest::scan_projects(&tree))
            } else {
                Duration::ZERO
            },
        ),
    ];
    for (name, took) in rows {
        println!("{name:<18} {:>8.1} ms", took.as_secs_f64() * 1e3);
    }
}
