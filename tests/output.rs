//! Output that lands where people look: annotation paths from the working
//! directory, `--format concise`, colour and width, Markdown that fits a PR
//! comment with the gate first, capped GitHub annotations, rule selection,
//! config discovery, the man pages, empty repositories, one finding per
//! fact, and every config example of docs/config.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs kubeready in `cwd`; (exit code, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = kubeready().current_dir(cwd).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn annotations_name_files_from_the_working_directory() {
    let r = repo();
    // A sub-folder audited from the repository root.
    let (_, gh, _) = run_in(
        &r,
        &[
            "audit",
            "fixtures/hostile",
            "--format",
            "github",
            "--fail-on",
            "never",
        ],
    );
    assert!(
        gh.lines()
            .any(|l| l.starts_with("::error file=fixtures/hostile/compose.yaml,line=")),
        "{gh}"
    );
    let (_, sarif, _) = run_in(
        &r,
        &[
            "audit",
            "./fixtures/hostile/",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ],
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty());
    assert!(
        uris.iter().all(|u| u.starts_with("fixtures/hostile/")),
        "{uris:?}"
    );
    let (_, gl, _) = run_in(
        &r,
        &[
            "audit",
            "fixtures/hostile",
            "--format",
            "gitlab",
            "--fail-on",
            "never",
        ],
    );
    let gl: serde_json::Value = serde_json::from_str(&gl).unwrap();
    assert!(gl.as_array().unwrap().iter().all(|i| i["location"]["path"]
        .as_str()
        .unwrap()
        .starts_with("fixtures/hostile/")));
    // An absolute path under the working directory is made relative.
    let abs = fixture("hostile");
    let (_, concise, _) = run_in(
        &r,
        &[
            "audit",
            abs.to_str().unwrap(),
            "--format",
            "concise",
            "--fail-on",
            "never",
        ],
    );
    assert!(
        concise.lines().all(|l| l.starts_with("fixtures/hostile/")),
        "{concise}"
    );
    // The root itself: paths as they are.
    let (_, gh, _) = run_in(
        &fixture("hostile"),
        &["audit", ".", "--format", "github", "--fail-on", "never"],
    );
    assert!(
        gh.lines()
            .any(|l| l.starts_with("::error file=compose.yaml,line=")),
        "{gh}"
    );
}

#[test]
fn markdown_title_never_shows_an_absolute_runner_path() {
    let elsewhere = tempfile::tempdir().unwrap();
    let abs = fixture("one-dockerfile");
    let (_, md, _) = run_in(
        elsewhere.path(),
        &["audit", abs.to_str().unwrap(), "--format", "markdown"],
    );
    let title = md.lines().next().unwrap();
    assert_eq!(title, "## kubeready: `one-dockerfile`");
    let (_, md, _) = run_in(
        &repo(),
        &["audit", abs.to_str().unwrap(), "--format", "markdown"],
    );
    assert_eq!(
        md.lines().next().unwrap(),
        "## kubeready: `fixtures/one-dockerfile`"
    );
}

#[test]
fn concise_is_one_line_per_finding() {
    let (_, json, _) = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hostile",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (code, text, _) = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hostile",
            "--format",
            "concise",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(code, 0);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), json["findings"].as_array().unwrap().len());
    for (line, f) in lines.iter().zip(json["findings"].as_array().unwrap()) {
        let expected = format!(
            "fixtures/hostile/{}:{}:{}: {} {} ",
            f["file"].as_str().unwrap(),
            f["line"],
            f.get("column").and_then(|c| c.as_u64()).unwrap_or(1),
            f["severity"].as_str().unwrap(),
            f["code"].as_str().unwrap()
        );
        assert!(line.starts_with(&expected), "{line} / {expected}");
    }
}

#[test]
fn table_width_follows_columns_and_color_is_chosen() {
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap();
    let out = kubeready()
        .env("COLUMNS", "120")
        .args(["audit", "--color", "never"])
        .arg(fixture("full-pipeline"))
        .output()
        .unwrap();
    let wide = String::from_utf8(out.stdout).unwrap();
    assert!(
        widest(&wide) > 80 && widest(&wide) <= 120,
        "{}",
        widest(&wide)
    );
    let out = kubeready()
        .env_remove("COLUMNS")
        .args(["audit"])
        .arg(fixture("full-pipeline"))
        .output()
        .unwrap();
    assert!(widest(&String::from_utf8(out.stdout).unwrap()) <= 80);
    let esc = |args: &[&str], no_color_env: bool| {
        let mut c = kubeready();
        if no_color_env {
            c.env("NO_COLOR", "1");
        }
        let out = c
            .args(args)
            .arg(fixture("one-dockerfile"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().contains('\u{1b}')
    };
    assert!(esc(&["audit", "--color", "always"], false));
    assert!(!esc(&["audit", "--color", "auto"], false), "not a terminal");
    assert!(!esc(&["audit", "--color", "always", "--no-color"], false));
    assert!(!esc(&["audit", "--color", "never"], false));
    assert!(!esc(&["audit"], true));
    kubeready()
        .args(["audit", "--color", "sometimes"])
        .arg(fixture("one-dockerfile"))
        .assert()
        .code(2);
}

/// A repository with many findings: `n` services, each with a Dockerfile
/// full of problems.
fn noisy_repo(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        write(
            dir.path(),
            &format!("svc{i:03}/Dockerfile"),
            "FROM ubuntu\nMAINTAINER me\nRUN sudo apt-get install curl\nADD app.tar /app\nWORKDIR app\nCMD node server.js\n",
        );
        write(
            dir.path(),
            &format!("svc{i:03}/package.json"),
            "{\"name\": \"s\"}\n",
        );
    }
    dir
}

#[test]
fn markdown_fits_a_pr_comment_with_the_gate_first() {
    let dir = noisy_repo(300);
    let (code, md, _) = run_in(
        dir.path(),
        &["audit", ".", "--format", "markdown", "--fail-on", "error"],
    );
    assert_eq!(code, 1);
    assert!(
        md.chars().count() < 65_536,
        "{} characters",
        md.chars().count()
    );
    let lines: Vec<&str> = md.lines().collect();
    assert!(
        lines[2].starts_with("**Gate: ❌ failed**: "),
        "{}",
        lines[2]
    );
    // The findings that failed the gate are in the open, before the
    // checklist, not in a collapsed block.
    let failed_at = md.find("Findings that failed the gate").unwrap();
    assert!(failed_at < md.find("### Checklist").unwrap());
    assert!(!md[..failed_at].contains("<details>"));
    assert!(md.contains("not shown here, to stay under GitHub's 65,536-character limit"));
    assert!(
        md.contains("`svc000/Dockerfile:3` | `DL3004`"),
        "{}",
        &md[..3000]
    );

    // Few findings: no trimming, the gate line and correct plurals.
    let one = tempfile::tempdir().unwrap();
    write(
        one.path(),
        "Dockerfile",
        "FROM alpine:3.20\nWORKDIR app\nCMD [\"x\"]\n",
    );
    let (code, md, _) = run_in(one.path(), &["audit", ".", "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(
        md.contains("**Gate: ❌ failed**: 1 finding at or above error"),
        "{md}"
    );
    assert!(md.contains("#### The finding that failed the gate"), "{md}");
    assert!(md.contains("1 error · "), "{md}");
    assert!(!md.contains("not shown here"));
    let (_, md, _) = run_in(
        one.path(),
        &["audit", ".", "--format", "markdown", "--fail-on", "never"],
    );
    assert!(md.contains("**Gate: ✅ passed**"), "{md}");
}

#[test]
fn github_annotations_are_capped_with_a_summary_line() {
    let dir = noisy_repo(30);
    let (_, gh, _) = run_in(
        dir.path(),
        &["audit", ".", "--format", "github", "--fail-on", "never"],
    );
    let count = |kind: &str| gh.lines().filter(|l| l.starts_with(kind)).count();
    assert_eq!(count("::error file="), 10);
    assert_eq!(count("::warning file="), 10);
    assert!(count("::notice file=") <= 8);
    let more = gh
        .lines()
        .find(|l| l.contains("more findings are not annotated"))
        .unwrap();
    assert!(more.starts_with("::notice title=kubeready::"), "{more}");
    assert!(gh
        .lines()
        .last()
        .unwrap()
        .starts_with("::notice title=kubeready::"));
}

fn codes(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["audit", ".", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let (code, out, err) = run_in(dir, &args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn select_and_ignore_rules_on_the_command_line() {
    let dir = noisy_repo(1);
    let all = codes(dir.path(), &[]);
    assert!(all.iter().any(|c| c == "DL3004") && all.iter().any(|c| c.starts_with("KR")));
    let only = codes(dir.path(), &["--select", "DL3004,maintainer-deprecated"]);
    let mut uniq = only.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq, ["DL3004", "DL4000"]);
    let dl = codes(dir.path(), &["--select", "dl", "--ignore", "DL4000"]);
    assert!(!dl.is_empty() && dl.iter().all(|c| c.starts_with("DL") && c != "DL4000"));
    let no_kr1 = codes(dir.path(), &["--ignore", "KR1"]);
    assert!(!no_kr1.iter().any(|c| c.starts_with("KR1")));
    // Off by default, run when selected by code.
    assert!(!all.iter().any(|c| c == "DL3057"));
    assert!(codes(dir.path(), &["--select", "DL3057"])
        .iter()
        .any(|c| c == "DL3057"));
    // ... also when the config sets other rules, and with its severity.
    write(dir.path(), ".kubeready.yaml", "rules:\n  KR903: error\n");
    assert!(codes(dir.path(), &["--select", "DL3057"])
        .iter()
        .any(|c| c == "DL3057"));
    write(dir.path(), ".kubeready.yaml", "rules:\n  DL3057: error\n");
    let (_, out, _) = run_in(
        dir.path(),
        &[
            "audit",
            ".",
            "--select",
            "DL3057",
            "--format",
            "concise",
            "--fail-on",
            "never",
        ],
    );
    assert!(out.contains(": error DL3057 "), "{out}");
    std::fs::remove_file(dir.path().join(".kubeready.yaml")).unwrap();
    // Retired names are aliases.
    let alias = codes(dir.path(), &["--select", "shell-form-signals"]);
    assert_eq!(alias, ["DL3025"]);
    let (code, _, err) = run_in(dir.path(), &["audit", ".", "--select", "DL3OO8"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown rule `DL3OO8` (did you mean `DL3008`?)"),
        "{err}"
    );
    let (code, _, err) = run_in(dir.path(), &["audit", ".", "--ignore", "sudo-in-rn"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `sudo-in-run`?"), "{err}");
}

#[test]
fn one_shell_form_cmd_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM node:20\nUSER 1000\nCMD node server.js\n",
    );
    let on_cmd: Vec<String> = {
        let (_, out, _) = run_in(
            dir.path(),
            &["audit", ".", "--format", "json", "--fail-on", "never"],
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == "Dockerfile" && f["line"] == 3)
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(on_cmd, ["DL3025"]);
    let (_, rules, _) = run_in(dir.path(), &["rules"]);
    assert!(!rules.contains("KR103"));
    // The retired code still silences it, inline and in the config.
    write(
        dir.path(),
        "Dockerfile",
        "FROM node:20\nUSER 1000\n# kubeready ignore=KR103 -- tini is not needed here\nCMD node server.js\n",
    );
    assert!(!codes(dir.path(), &[]).iter().any(|c| c == "DL3025"));
    write(
        dir.path(),
        "Dockerfile",
        "FROM node:20\nUSER 1000\nCMD node server.js\n",
    );
    write(dir.path(), ".kubeready.yaml", "rules:\n  KR103: off\n");
    assert!(!codes(dir.path(), &[]).iter().any(|c| c == "DL3025"));
    let (code, out, _) = run_in(dir.path(), &["explain", "KR103"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("`KR103` is a retired name: DL3025 (shell-form-cmd)"),
        "{out}"
    );
}

#[test]
fn the_config_is_found_up_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "services/shop/Dockerfile",
        "FROM node:20\nUSER 1000\nCMD node server.js\n",
    );
    write(d, ".kubeready.yaml", "rules:\n  DL3025: off\n");
    // Not a repository: only the audited folder is looked at.
    assert!(codes(&d.join("services/shop"), &[])
        .iter()
        .any(|c| c == "DL3025"));
    std::fs::create_dir_all(d.join(".git")).unwrap();
    assert!(!codes(&d.join("services/shop"), &[])
        .iter()
        .any(|c| c == "DL3025"));
    let (code, out, _) = run_in(
        d,
        &[
            "audit",
            "services/shop",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(code, 0);
    assert!(!out.contains("\"DL3025\""));
    // A nearer config wins.
    write(d, "services/.kubeready.yaml", "rules:\n  DL3025: error\n");
    let (code, _, err) = run_in(d, &["audit", "services/shop"]);
    assert_eq!(code, 1, "{err}");
    // A broken config above is still a config error.
    std::fs::remove_file(d.join("services/.kubeready.yaml")).unwrap();
    write(d, ".kubeready.yaml", "rulez: {}\n");
    let (code, _, err) = run_in(d, &["audit", "services/shop"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `rules`?"), "{err}");
}

#[test]
fn max_file_size_takes_units_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM alpine:3.20\n#{}\n", "x".repeat(3000)),
    );
    assert!(codes(dir.path(), &["--max-file-size", "2KB"])
        .iter()
        .any(|c| c == "KR902"));
    assert!(!codes(dir.path(), &["--max-file-size", "2MB"])
        .iter()
        .any(|c| c == "KR902"));
    assert!(!codes(dir.path(), &["--max-file-size", "4096"])
        .iter()
        .any(|c| c == "KR902"));
    for bad in ["2XB", "0", "-1", ""] {
        let (code, _, err) = run_in(dir.path(), &["audit", ".", "--max-file-size", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
    }
}

#[test]
fn man_pages_cover_every_subcommand() {
    let (code, main, _) = run_in(&repo(), &["man"]);
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(&repo(), &["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // Every page the main page refers to exists and documents its options.
    let referred: Vec<String> = main
        .lines()
        .filter_map(|l| l.strip_prefix("kubeready\\-"))
        .filter_map(|l| l.strip_suffix("(1)"))
        .map(str::to_string)
        .collect();
    assert!(referred.len() >= 7, "{referred:?}");
    for sub in &referred {
        let page = std::fs::read_to_string(dir.path().join(format!("kubeready-{sub}.1"))).unwrap();
        assert!(page.contains(&format!(".TH kubeready-{sub} 1")), "{sub}");
        let (code, printed, _) = run_in(&repo(), &["man", sub]);
        assert_eq!(code, 0);
        assert_eq!(printed, page);
    }
    let audit = std::fs::read_to_string(dir.path().join("kubeready-audit.1")).unwrap();
    for flag in ["\\-\\-select", "\\-\\-fail\\-under", "\\-\\-color"] {
        assert!(audit.contains(flag), "{flag}");
    }
    let (code, _, err) = run_in(&repo(), &["man", "aduit"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `audit`?"), "{err}");
}

#[test]
fn an_empty_repository_has_nothing_to_containerize() {
    let empty = tempfile::tempdir().unwrap();
    let docs_only = tempfile::tempdir().unwrap();
    write(docs_only.path(), "README.md", "# notes\n");
    for dir in [empty.path(), docs_only.path()] {
        let (code, out, err) = run_in(dir, &["audit", ".", "--fail-under", "80"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Nothing to containerize"), "{out}");
        let (code, out, _) = run_in(
            dir,
            &["audit", ".", "--format", "json", "--fail-under", "80"],
        );
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["summary"]["total"], 0);
    }
    // With something to containerize, the score gate still applies.
    let (code, _, _) = run_in(
        &repo(),
        &["audit", "fixtures/one-dockerfile", "--fail-under", "80"],
    );
    assert_eq!(code, 1);
}

/// Every YAML example of docs/config.md is a valid config.
#[test]
fn config_doc_examples_are_valid_configs() {
    let text = std::fs::read_to_string(repo().join("docs/config.md")).unwrap();
    let blocks: Vec<&str> = text
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 5);
    let dir = tempfile::tempdir().unwrap();
    for (i, block) in blocks.iter().enumerate() {
        let cfg = dir.path().join(format!("example{i}.yaml"));
        std::fs::write(&cfg, block).unwrap();
        let (code, _, err) = run_in(
            &repo(),
            &[
                "audit",
                "fixtures/full-pipeline",
                "--quiet",
                "--config",
                cfg.to_str().unwrap(),
            ],
        );
        assert!(
            code == 0 || code == 1,
            "example {i} exits {code}: {err}\n{block}"
        );
    }
    // The error lines the page shows are the ones kubeready prints.
    for (config, line) in [
        ("rulez: {}\n", "unknown key `rulez` (did you mean `rules`?)"),
        (
            "rules:\n  KR9O3: off\n",
            "unknown rule `KR9O3` (did you mean `KR903`?)",
        ),
    ] {
        assert!(text.contains(line), "{line}");
        let cfg = dir.path().join("bad.yaml");
        std::fs::write(&cfg, config).unwrap();
        let (code, _, err) = run_in(
            &repo(),
            &[
                "audit",
                "fixtures/one-dockerfile",
                "--config",
                cfg.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 2);
        assert!(err.contains(line), "{err}");
    }
}

/// Every `kubeready audit` command of docs/ci.md (shell, workflow and
/// GitLab snippets, in page order) runs in a copy of a fixture: no usage
/// error, and the gate decides the exit code.
#[test]
fn ci_doc_commands_run() {
    let text = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut commands = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if !t.starts_with("kubeready audit") {
            i += 1;
            continue;
        }
        let mut cmd = t.trim_end_matches('\\').trim_end().to_string();
        let mut cont = t.ends_with('\\');
        i += 1;
        while i < lines.len() {
            let next = lines[i].trim();
            if !(cont || next.starts_with("--")) || next.is_empty() {
                break;
            }
            cont = next.ends_with('\\');
            cmd.push(' ');
            cmd.push_str(next.trim_end_matches('\\').trim_end());
            i += 1;
        }
        commands.push(cmd);
    }
    assert!(commands.len() >= 7, "{commands:?}");
    let project = copy_fixture("full-pipeline");
    let base = copy_fixture("full-pipeline");
    let tmp = tempfile::tempdir().unwrap();
    // `$RUNNER_TEMP/base`: the base branch's checkout.
    std::fs::create_dir_all(tmp.path().join("base")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("kubeready");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for cmd in &commands {
        let cmd = cmd
            .replace("/tmp/kubeready-base", &base.path().display().to_string())
            .replace(
                "/tmp/base.json",
                &tmp.path().join("base.json").display().to_string(),
            );
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&cmd)
            .current_dir(project.path())
            .env("PATH", &path)
            .env("RUNNER_TEMP", tmp.path())
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{cmd}: exit {:?}: {err}",
            out.status.code()
        );
        assert!(!err.contains("error:"), "{cmd}: {err}");
    }
}

/// A config found above the audited folder is written from its own folder:
/// its paths into the audited folder apply there.
#[test]
fn a_repository_config_applies_its_paths_inside_an_audited_sub_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    let shell_cmd = "FROM node:20\nUSER 1000\nCMD node server.js\n";
    write(d, "services/shop/Dockerfile", shell_cmd);
    write(d, "services/shop/legacy/Dockerfile", shell_cmd);
    write(d, "services/shop/old/Dockerfile", shell_cmd);
    write(
        d,
        ".kubeready.yaml",
        "ignore: [services/shop/old/]\noverrides:\n  - paths: [services/shop/legacy]\n    rules: {DL3025: off}\n",
    );
    let files = |cwd: &Path, path: &str| -> Vec<String> {
        let (code, out, err) = run_in(
            cwd,
            &[
                "audit",
                path,
                "--format",
                "json",
                "--fail-on",
                "never",
                "--select",
                "DL3025",
            ],
        );
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(files(d, "."), ["services/shop/Dockerfile"]);
    assert_eq!(files(d, "services/shop"), ["Dockerfile"]);
    assert_eq!(files(&d.join("services/shop"), "."), ["Dockerfile"]);
    assert_eq!(
        files(&d.join("services/shop/legacy"), "../"),
        ["Dockerfile"]
    );
}
