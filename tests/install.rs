//! Installing: `scripts/install.sh` against a fake release (a local folder
//! laid out like GitHub's release downloads, with a good and a bad
//! checksum), the GitHub Action's install step, the GitLab CI snippet of
//! docs/ci.md run as GitLab would, `scripts/changelog-section.sh`, and that
//! every place naming the release names the version in Cargo.toml.
//!
//! The scripts need `sh`, `tar` and `sha256sum` (or `shasum`); without
//! them the tests print a notice and pass.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn version() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tools_present(test: &str) -> bool {
    let missing: Vec<&str> = ["sh", "bash", "tar"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    let sha = have("sha256sum") || have("shasum");
    if missing.is_empty() && sha {
        return true;
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: needs sh, bash, tar and sha256sum/shasum (missing {missing:?})"
    );
    false
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi"#)
        .arg("sh")
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

const TARGET: &str = "x86_64-unknown-linux-musl";

/// Writes an executable shell script (the fakes of `curl`, `docker`, ...).
fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    let st = Command::new("chmod").arg("755").arg(path).status().unwrap();
    assert!(st.success());
}

/// A fake release in a temp folder, and the `bin` folder beside it to
/// install into.
struct FakeRelease {
    tmp: tempfile::TempDir,
    /// What `--base-url` names.
    release: PathBuf,
    bin: PathBuf,
}

impl FakeRelease {
    fn new(corrupt: bool) -> FakeRelease {
        let tmp = tempfile::tempdir().unwrap();
        let release = fake_release(tmp.path(), corrupt);
        let bin = tmp.path().join("bin");
        FakeRelease { tmp, release, bin }
    }

    /// `install.sh --target TARGET --base-url <release> --dir <bin>` and
    /// `extra`.
    fn install(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "--target",
            TARGET,
            "--base-url",
            self.release.to_str().unwrap(),
            "--dir",
            self.bin.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        install(&args, &[])
    }
}

/// A release folder `<dir>/<version>/kubeready-<version>-<target>.tar.gz`
/// (+ `.sha256`) whose `kubeready` is a script running the binary under
/// test, so that installed copies can run real audits. With `corrupt`, the
/// checksum file does not match the archive.
fn fake_release(dir: &Path, corrupt: bool) -> PathBuf {
    let v = version();
    let name = format!("kubeready-{v}-{TARGET}");
    let stage = dir.join("stage").join(&name);
    std::fs::create_dir_all(&stage).unwrap();
    let real = assert_cmd::cargo::cargo_bin("kubeready");
    write_script(
        &stage.join("kubeready"),
        &format!("#!/bin/sh\nexec '{}' \"$@\"\n", real.display()),
    );
    let release = dir.join("release");
    let folder = release.join(&v);
    std::fs::create_dir_all(&folder).unwrap();
    let asset = folder.join(format!("{name}.tar.gz"));
    let st = Command::new("tar")
        .arg("-czf")
        .arg(&asset)
        .arg("-C")
        .arg(dir.join("stage"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(st.success());
    let mut hash = sha256(&asset);
    if corrupt {
        hash = hash.replace(|c: char| c != '0', "0");
        hash.replace_range(0..1, "1");
    }
    std::fs::write(
        folder.join(format!("{name}.tar.gz.sha256")),
        format!("{hash}  {name}.tar.gz\n"),
    )
    .unwrap();
    release
}

fn install(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg(repo().join("scripts/install.sh"))
        .args(args)
        .env_remove("KUBEREADY_VERSION")
        .env_remove("KUBEREADY_DIR")
        .env_remove("KUBEREADY_BASE_URL")
        .env_remove("KUBEREADY_TARGET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn install_script_installs_a_verified_binary_and_reuses_it() {
    if !tools_present("install_script_installs_a_verified_binary_and_reuses_it") {
        return;
    }
    let fake = FakeRelease::new(false);
    let (release, bin) = (&fake.release, &fake.bin);
    let out = fake.install(&["--version", &version()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        bin.join("kubeready").display().to_string()
    );
    let run = Command::new(bin.join("kubeready"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        format!("kubeready {}", env!("CARGO_PKG_VERSION"))
    );

    // Installed at this version: the release is not read again.
    std::fs::remove_dir_all(release).unwrap();
    let out = install(
        &["--target", TARGET, "--base-url", release.to_str().unwrap()],
        &[("KUBEREADY_DIR", bin)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("already at"), "{}", stderr(&out));
}

#[test]
fn install_script_takes_file_urls_and_environment_variables() {
    if !tools_present("install_script_takes_file_urls_and_environment_variables") || !have("curl") {
        return;
    }
    let fake = FakeRelease::new(false);
    let url = PathBuf::from(format!("file://{}", fake.release.display()));
    let out = install(
        &["--target", TARGET],
        &[("KUBEREADY_BASE_URL", &url), ("KUBEREADY_DIR", &fake.bin)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fake.bin.join("kubeready").is_file());
}

#[test]
fn install_script_refuses_a_checksum_mismatch() {
    if !tools_present("install_script_refuses_a_checksum_mismatch") {
        return;
    }
    let fake = FakeRelease::new(true);
    let out = fake.install(&[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("checksum mismatch"),
        "{}",
        stderr(&out)
    );
    assert!(!fake.bin.join("kubeready").exists());
}

#[test]
fn install_script_errors() {
    if !tools_present("install_script_errors") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    let bin_s = bin.to_str().unwrap();
    // No such release.
    let out = install(
        &[
            "--target",
            TARGET,
            "--base-url",
            tmp.path().to_str().unwrap(),
            "--dir",
            bin_s,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Usage errors.
    for args in [
        &["--version", "latest", "--dir", bin_s][..],
        &["--dir"][..],
        &["--frobnicate"][..],
    ] {
        let out = install(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(!bin.exists());
}

/// The `run:` of a step of `action.yml`, by id.
fn action_step(id: &str) -> String {
    let text = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let action = kubeready_yaml::load_one(&text).unwrap();
    let steps = action.get("runs").unwrap().get("steps").unwrap();
    let step = steps
        .as_seq()
        .unwrap()
        .iter()
        .find(|s| s.get("id").and_then(|i| i.as_str()) == Some(id))
        .unwrap();
    step.get("run").unwrap().as_str().unwrap().to_string()
}

fn run_action_install(work: &Path, env: &[(&str, &str)], path: &str) -> (i32, String, String) {
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(action_step("install"))
        .current_dir(work)
        .env("PATH", path)
        .env("ACTION_PATH", repo())
        .env("RUNNER_TEMP", work.join("temp"))
        .env("RUNNER_TOOL_CACHE", work.join("toolcache"))
        .env("GITHUB_PATH", work.join("github_path"))
        .env("KR_VERSION", "")
        .env("KR_INSTALL", "auto")
        .env("KR_DOWNLOAD_URL", "");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let github_path = std::fs::read_to_string(work.join("github_path")).unwrap_or_default();
    (
        out.status.code().unwrap(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        github_path,
    )
}

/// PATH for the action: the system tools, no kubeready, no cargo.
const SYSTEM_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

#[test]
fn the_github_action_installs_the_release_binary() {
    if !tools_present("the_github_action_installs_the_release_binary") {
        return;
    }
    let on_system_path = |tool: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("PATH={SYSTEM_PATH} command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if on_system_path("kubeready") || on_system_path("cargo") {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the_github_action_installs_the_release_binary: kubeready or cargo is in {SYSTEM_PATH}"
        );
        return;
    }
    let good = FakeRelease::new(false);
    let work = good.tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let (code, log, github_path) = run_action_install(
        &work,
        &[
            ("KR_INSTALL", "binary"),
            ("KR_DOWNLOAD_URL", good.release.to_str().unwrap()),
        ],
        SYSTEM_PATH,
    );
    assert_eq!(code, 0, "{log}");
    let dir = PathBuf::from(github_path.trim());
    assert!(
        dir.starts_with(work.join("toolcache/kubeready")),
        "{github_path}"
    );
    assert!(dir.join("kubeready").is_file(), "{log}");

    // A bad checksum fails and never falls back to cargo.
    let bad = FakeRelease::new(true);
    let work = bad.tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let (code, log, github_path) = run_action_install(
        &work,
        &[("KR_DOWNLOAD_URL", bad.release.to_str().unwrap())],
        SYSTEM_PATH,
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("does not match its published checksum"),
        "{log}"
    );
    assert!(github_path.is_empty());

    // No release to download and no cargo: a clear error.
    let (code, log, _) = run_action_install(
        &work,
        &[("KR_DOWNLOAD_URL", work.to_str().unwrap())],
        SYSTEM_PATH,
    );
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("cargo is not installed"), "{log}");

    let (code, log, _) = run_action_install(&work, &[("KR_INSTALL", "brew")], SYSTEM_PATH);
    assert_eq!(code, 2, "{log}");
}

/// The first YAML block after `heading` in docs/ci.md.
fn doc_yaml_block(heading: &str) -> kubeready_yaml::Node {
    let text = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let at = text.find(heading).unwrap();
    let rest = &text[at..];
    let start = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + rest[start..].find("\n```").unwrap();
    kubeready_yaml::load_one(&rest[start..end]).unwrap()
}

fn script_of(job: &kubeready_yaml::Node, key: &str) -> String {
    job.get(key)
        .unwrap()
        .as_seq()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_gitlab_snippet_installs_caches_and_audits() {
    if !tools_present("the_gitlab_snippet_installs_caches_and_audits") {
        return;
    }
    let doc = doc_yaml_block("## GitLab CI");
    let job = doc.get("kubeready").unwrap();
    let fake = FakeRelease::new(false);
    let (tmp, release) = (&fake.tmp, &fake.release);
    // The project: a copy of a fixture.
    let project = copy_fixture("full-pipeline");
    let p = project.path();
    // Fake `curl` (serves install.sh from this checkout, at the version the
    // snippet names) and `apt-get`; each call is logged.
    let fakes = tmp.path().join("fakes");
    std::fs::create_dir_all(&fakes).unwrap();
    let log = tmp.path().join("calls.log");
    write_script(
        &fakes.join("curl"),
        &format!(
            "#!/bin/sh\necho \"curl $*\" >> '{log}'\nout=; url=\nwhile [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2;; -*) shift;; *) url=$1; shift;; esac; done\n\
             case $url in https://raw.githubusercontent.com/kubeready/kubeready/{v}/scripts/install.sh) cp '{script}' \"$out\";; *) echo \"unexpected URL $url\" >&2; exit 22;; esac\n",
            log = log.display(),
            v = version(),
            script = repo().join("scripts/install.sh").display(),
        ),
    );
    write_script(
        &fakes.join("apt-get"),
        &format!("#!/bin/sh\necho \"apt-get $*\" >> '{}'\n", log.display()),
    );

    let variables = job.get("variables").unwrap();
    let var = |k: &str| {
        variables
            .get(k)
            .unwrap()
            .as_str()
            .unwrap()
            .replace("$CI_PROJECT_DIR", p.to_str().unwrap())
    };
    assert_eq!(var("KUBEREADY_VERSION"), version());
    let before = script_of(job, "before_script");
    let script = script_of(job, "script");
    let run = |body: &str| {
        Command::new("sh")
            .arg("-euc")
            .arg(body)
            .current_dir(p)
            .env("PATH", format!("{}:{SYSTEM_PATH}", fakes.display()))
            .env("CI_PROJECT_DIR", p)
            .env("KUBEREADY_VERSION", var("KUBEREADY_VERSION"))
            .env("KUBEREADY_DIR", var("KUBEREADY_DIR"))
            // install.sh reads the fake release instead of GitHub.
            .env("KUBEREADY_BASE_URL", release)
            .env("KUBEREADY_TARGET", TARGET)
            .output()
            .unwrap()
    };
    let out = run(&before);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains(&format!("kubeready {}", env!("CARGO_PKG_VERSION"))));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().filter(|l| l.starts_with("curl ")).count(),
        1,
        "{calls}"
    );

    // The next job restores the cached folder: nothing is downloaded.
    let out = run(&before);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().filter(|l| l.starts_with("curl ")).count(),
        1,
        "{calls}"
    );

    // The `script:` runs the audit and writes the reports.
    let out = run(&format!("{before}\n{script}"));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let report = std::fs::read_to_string(p.join("gl-code-quality-report.json")).unwrap();
    assert!(report.trim_start().starts_with('['), "{report}");
    assert!(p.join("kubeready.md").is_file());
}

#[test]
fn changelog_section_extracts_one_version() {
    if !tools_present("changelog_section_extracts_one_version") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("CHANGELOG.md");
    std::fs::write(
        &file,
        "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-01-02\n\n### Added\n\n- a thing\n\n- another\n\n## [1.1.0] - 2025-12-01\n\n- old\n\n[1.2.0]: https://example.com/1.2.0\n[1.1.0]: https://example.com/1.1.0\n",
    )
    .unwrap();
    let section = |v: &str| {
        Command::new("sh")
            .arg(repo().join("scripts/changelog-section.sh"))
            .arg(v)
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = section("v1.2.0");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "### Added\n\n- a thing\n\n- another\n"
    );
    let out = section("1.1.0");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "- old\n");
    // Missing and empty sections fail.
    assert_eq!(section("v9.9.9").status.code(), Some(1));
    assert_eq!(section("Unreleased").status.code(), Some(1));
    // `1.1` is not `1.1.0`.
    assert_eq!(section("1.1").status.code(), Some(1));

    // The repository's own changelog has this version's notes.
    let out = Command::new("sh")
        .arg(repo().join("scripts/changelog-section.sh"))
        .arg(version())
        .arg(repo().join("CHANGELOG.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("### Added"));
}

/// Every place that names the release names this version.
#[test]
fn docs_hooks_action_and_installer_name_this_version() {
    let v = version();
    let bare = env!("CARGO_PKG_VERSION");
    let read = |p: &str| std::fs::read_to_string(repo().join(p)).unwrap();
    assert!(read("scripts/install.sh").contains(&format!("\nDEFAULT_VERSION={v}\n")));
    assert!(read("action.yml").contains(&format!("version=\"${{KR_VERSION:-{v}}}\"")));
    let hooks = read(".pre-commit-hooks.yaml");
    assert!(hooks.contains(&format!("entry: ghcr.io/kubeready/kubeready:{bare} audit")));
    assert!(hooks.contains(&format!("rev: {v}")));
    for doc in ["README.md", "docs/ci.md"] {
        let text = read(doc);
        for (needle, what) in [
            ("kubeready/kubeready@", "the action"),
            ("rev: ", "pre-commit"),
            ("ghcr.io/kubeready/kubeready:", "the image"),
            ("releases/download/", "the binaries"),
        ] {
            for (i, _) in text.match_indices(needle) {
                let after = &text[i + needle.len()..];
                let ok = after.starts_with(&v)
                    || after.starts_with(bare)
                    || (needle == "releases/download/" && !after.starts_with('v'));
                assert!(
                    ok,
                    "{doc}: {what} names `{}`",
                    &after[..after.len().min(12)]
                );
            }
        }
        assert!(!text.contains("OWNER/"), "{doc}");
        assert!(!text.contains("@main"), "{doc}");
    }
    assert!(read("CHANGELOG.md").contains(&format!("## [{bare}]")));
}

/// A fresh clone works anywhere: no path of a particular machine in the
/// repository (skipped outside a git checkout).
#[test]
fn no_machine_specific_absolute_paths_in_the_repository() {
    let out = Command::new("git")
        .args(["grep", "-nE", r#""/(work|root|home)/"#])
        .current_dir(repo())
        .output();
    match out {
        Ok(o) if matches!(o.status.code(), Some(0 | 1)) => {
            // A CI system's documented checkout folder is no machine's path.
            let hits: Vec<&str> = std::str::from_utf8(&o.stdout)
                .unwrap_or("")
                .lines()
                .filter(|l| !l.contains("\"/home/circleci"))
                .collect();
            assert!(hits.is_empty(), "absolute paths:\n{}", hits.join("\n"));
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "skipped: no_machine_specific_absolute_paths_in_the_repository: not a git checkout"
            );
        }
    }
}

/// `install: image` puts a `kubeready` on PATH that runs the release image
/// with docker (a fake `docker` here records its arguments).
#[test]
fn the_github_action_can_run_the_image() {
    if !tools_present("the_github_action_can_run_the_image") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let fakes = tmp.path().join("fakes");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&fakes).unwrap();
    let log = tmp.path().join("docker.log");
    write_script(
        &fakes.join("docker"),
        &format!("#!/bin/sh\necho \"docker $*\" >> '{}'\n", log.display()),
    );
    let path = format!("{}:{SYSTEM_PATH}", fakes.display());
    let (code, out, github_path) = run_action_install(
        &work,
        &[
            ("KR_INSTALL", "image"),
            ("GITHUB_WORKSPACE", work.to_str().unwrap()),
        ],
        &path,
    );
    assert_eq!(code, 0, "{out}");
    let bin = PathBuf::from(github_path.trim()).join("kubeready");
    let image = format!("ghcr.io/kubeready/kubeready:{}", env!("CARGO_PKG_VERSION"));
    assert!(std::fs::read_to_string(&log)
        .unwrap()
        .contains(&format!("docker pull -q {image}")));
    let run = Command::new(&bin)
        .args(["audit", ".", "--format", "github"])
        .current_dir(&work)
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(run.status.success());
    let calls = std::fs::read_to_string(&log).unwrap();
    let last = calls.lines().last().unwrap();
    assert!(last.starts_with("docker run --rm --user "), "{last}");
    assert!(
        last.contains(&format!("-v {w}:{w}", w = work.display())),
        "{last}"
    );
    assert!(
        last.ends_with(&format!("{image} audit . --format github")),
        "{last}"
    );
}
