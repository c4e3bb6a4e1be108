//! Steps 5-7: a CI workflow for the repository's CI system (GitHub
//! Actions or GitLab CI) that builds every image, runs the tests inside
//! it, pushes it tagged with the commit SHA on the default branch, and
//! holds a staging deploy job for the deploy tool the repository uses.

use super::units::{units, Unit};
use super::{render, Change, Plan, Selection};
use crate::audit::Audit;
use crate::checklist::Status;
use crate::inventory::Service;
use crate::kind::RepositoryKind;
use crate::parse::manifest::Language;
use crate::walk::CiSystem;
use std::path::Path;

const GITHUB: &str = include_str!("../../templates/ci/github-actions.yml.tmpl");
const GITHUB_IMAGE: &str = include_str!("../../templates/ci/github-actions-image.yml.tmpl");
const GITHUB_DEPLOY: &str = include_str!("../../templates/ci/github-actions-deploy.yml.tmpl");
const GITLAB: &str = include_str!("../../templates/ci/gitlab-ci.yml.tmpl");
const GITLAB_IMAGE: &str = include_str!("../../templates/ci/gitlab-ci-image.yml.tmpl");
const GITLAB_DEPLOY: &str = include_str!("../../templates/ci/gitlab-ci-deploy.yml.tmpl");

/// Where the GitHub workflow is written.
pub(super) const GITHUB_FILE: &str = ".github/workflows/containers.yml";
/// Where the GitLab jobs are written when `.gitlab-ci.yml` exists.
pub(super) const GITLAB_INCLUDED: &str = ".gitlab/ci/containers.yml";

const STEPS: &[&str] = &["image-builds", "ci-images", "cd-staging"];

pub(super) fn plan(root: &Path, audit: &Audit, selection: &Selection, plan: &mut Plan) {
    let kind = audit.report.repository.kind;
    if !matches!(kind, RepositoryKind::Application | RepositoryKind::CliTool) {
        return;
    }
    let open: Vec<&str> =
        STEPS
            .iter()
            .copied()
            .filter(|id| selection.step(id))
            .filter(|id| {
                audit.report.steps.iter().any(|s| {
                    s.id == *id && !matches!(s.status, Status::Done | Status::NotApplicable)
                })
            })
            .collect();
    if open.is_empty() {
        return;
    }
    let all = units(root, audit, plan);
    if all.is_empty() {
        return;
    }
    let deploy = kind == RepositoryKind::Application;
    match ci_system(root, audit) {
        CiSystem::GithubActions => github(root, audit, &all, deploy, &open, plan),
        CiSystem::GitlabCi => gitlab(root, audit, &all, deploy, &open, plan),
        other => plan.skipped.push(format!(
            "no CI workflow: {} is not supported yet by `kubeready fix` (GitHub Actions and GitLab CI are); {} by hand",
            other.display_name(),
            open.join(", ")
        )),
    }
}

/// The CI system the repository uses; without one, GitLab CI when the
/// git remote is on a GitLab host, else GitHub Actions.
fn ci_system(root: &Path, audit: &Audit) -> CiSystem {
    let mut systems: Vec<CiSystem> = audit
        .facts
        .pipelines
        .iter()
        .filter_map(|p| p.system)
        .collect();
    systems.dedup();
    if let Some(first) = systems.first() {
        return *first;
    }
    let remote = std::fs::read_to_string(root.join(".git/config")).unwrap_or_default();
    if remote
        .lines()
        .any(|l| l.trim_start().starts_with("url") && l.contains("gitlab"))
    {
        CiSystem::GitlabCi
    } else {
        CiSystem::GithubActions
    }
}

pub(super) fn quoted(s: &str) -> String {
    let p = if s.is_empty() { "." } else { s };
    if p.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    {
        p.to_string()
    } else {
        format!("'{}'", p.replace('\'', "'\\''"))
    }
}

/// The shell lines that run a unit's tests inside its image (the build
/// stage's when it has one: the toolchain and sources are there).
fn test_lines(root: &Path, audit: &Audit, u: &Unit, image: &str) -> Vec<String> {
    let service = u.service.and_then(|i| audit.graph.services.get(i));
    let command = service.and_then(|s| test_command(root, s, u.build_stage));
    match command {
        Some((cmd, true)) => vec![
            format!(
                "docker build --target build --tag \"{image}-build\" --file {} {}",
                quoted(&u.dockerfile),
                quoted(&u.context)
            ),
            format!("docker run --rm \"{image}-build\" {cmd}"),
        ],
        Some((cmd, false)) => vec![format!("docker run --rm \"{image}\" {cmd}")],
        // No test command known: a smoke test (the container starts and
        // is still running a few seconds later).
        None => vec![
            format!("cid=$(docker run --detach \"{image}\")"),
            "sleep 5".into(),
            "docker logs \"$cid\"".into(),
            "test \"$(docker inspect --format '{{.State.Running}}' \"$cid\")\" = true".into(),
            "docker rm --force \"$cid\"".into(),
        ],
    }
}

/// The test command, and whether it runs in the build stage.
fn test_command(root: &Path, s: &Service, build_stage: bool) -> Option<(String, bool)> {
    let dir = root.join(&s.path);
    let text = |f: &str| super::start::read(&dir, f).to_ascii_lowercase();
    match s.language {
        Language::Go if build_stage => Some(("go test ./...".into(), true)),
        Language::Rust if build_stage => Some(("cargo test --release".into(), true)),
        Language::Java if build_stage && super::start::has(&dir, "pom.xml") => {
            Some(("mvn --batch-mode test".into(), true))
        }
        Language::Java if build_stage => Some(("gradle test --no-daemon".into(), true)),
        Language::Dotnet if build_stage => Some(("dotnet test".into(), true)),
        Language::Node if build_stage => {
            let script = super::start::node_script(&dir, "test")?;
            (!script.contains("no test specified")).then(|| ("npm test".into(), true))
        }
        Language::Python => {
            let deps = text("requirements.txt");
            deps.lines()
                .any(|l| l.trim_start().starts_with("pytest"))
                .then(|| ("python -m pytest".into(), false))
        }
        _ => None,
    }
}

fn image_lines(lines: &[String], indent: &str, list: bool) -> String {
    lines
        .iter()
        .map(|l| {
            if list {
                format!("{indent}- {}", yaml_item(l))
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A shell line as a YAML list item: single-quoted when YAML would read
/// it otherwise.
fn yaml_item(l: &str) -> String {
    let plain = !l.starts_with([
        '"', '\'', '{', '[', '&', '*', '!', '|', '>', '%', '@', '`', '#',
    ]) && !l.contains(": ")
        && !l.contains(" #");
    if plain {
        l.to_string()
    } else {
        format!("'{}'", l.replace('\'', "''"))
    }
}

fn default_branch(root: &Path) -> String {
    let head = std::fs::read_to_string(root.join(".git/HEAD")).unwrap_or_default();
    head.trim()
        .strip_prefix("ref: refs/heads/")
        .filter(|b| {
            b.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
        })
        .map(str::to_string)
        .unwrap_or_else(|| "main".into())
}

fn reasons(open: &[&str], deploy: Option<&str>) -> Vec<String> {
    open.iter()
        .map(|id| match *id {
            "image-builds" => "step 5 image-builds: build and push every image (commit SHA tag)".into(),
            "ci-images" => "step 6 ci-images: tests run inside the built images".into(),
            _ => match deploy {
                Some(tool) => format!("step 7 cd-staging: staging deploy with {tool} (fill in the CHANGE-ME placeholders)"),
                None => "step 7 cd-staging: no deploy job (not for this kind)".into(),
            },
        })
        .collect()
}

fn github(root: &Path, audit: &Audit, all: &[Unit], deploy: bool, open: &[&str], plan: &mut Plan) {
    if root.join(GITHUB_FILE).exists() {
        plan.skipped
            .push(format!("`{GITHUB_FILE}` exists; not overwritten"));
        return;
    }
    let images: Vec<String> = all
        .iter()
        .map(|u| {
            let image = format!("$IMAGE_PREFIX/{}:${{{{ github.sha }}}}", u.name);
            render(
                GITHUB_IMAGE,
                &[
                    ("NAME", u.name.clone()),
                    ("DOCKERFILE", quoted(&u.dockerfile)),
                    ("CONTEXT", quoted(&u.context)),
                    (
                        "TEST",
                        image_lines(&test_lines(root, audit, u, &image), "          ", false),
                    ),
                ],
            )
        })
        .collect();
    let tool = deploy
        .then(|| super::deploy::script(audit, all, "$IMAGE_PREFIX"))
        .flatten();
    let deploy_job = tool
        .as_ref()
        .map(|(name, script)| {
            render(
                GITHUB_DEPLOY,
                &[
                    ("TOOL", name.clone()),
                    ("DEPLOY", image_lines(&lines(script), "          ", false)),
                ],
            )
        })
        .unwrap_or_default();
    let text = render(
        GITHUB,
        &[
            ("BRANCH", default_branch(root)),
            ("IMAGES", images.concat().trim_end().to_string()),
            ("DEPLOY_JOB", deploy_job.trim_end().to_string()),
        ],
    );
    plan.changes.push(Change {
        path: GITHUB_FILE.into(),
        old: None,
        new: text,
        reasons: reasons(open, tool.as_ref().map(|(n, _)| n.as_str())),
    });
}

fn lines(script: &str) -> Vec<String> {
    script.lines().map(str::to_string).collect()
}

fn gitlab(root: &Path, audit: &Audit, all: &[Unit], deploy: bool, open: &[&str], plan: &mut Plan) {
    let main = ".gitlab-ci.yml";
    let existing = std::fs::read_to_string(root.join(main)).ok();
    let target = if existing.is_some() {
        GITLAB_INCLUDED
    } else {
        main
    };
    if existing.is_some() && root.join(GITLAB_INCLUDED).exists() {
        return;
    }
    let images: Vec<String> = all
        .iter()
        .map(|u| {
            let image = format!("$CI_REGISTRY_IMAGE/{}:$CI_COMMIT_SHA", u.name);
            let tests: Vec<String> = test_lines(root, audit, u, &image)
                .into_iter()
                .filter(|l| !l.starts_with('#'))
                .collect();
            render(
                GITLAB_IMAGE,
                &[
                    ("NAME", u.name.clone()),
                    ("DOCKERFILE", quoted(&u.dockerfile)),
                    ("CONTEXT", quoted(&u.context)),
                    ("TEST", image_lines(&tests, "    ", true)),
                ],
            )
        })
        .collect();
    let tool = deploy
        .then(|| super::deploy::script(audit, all, "$IMAGE_PREFIX"))
        .flatten();
    let deploy_job = tool
        .as_ref()
        .map(|(name, script)| {
            let (comments, commands): (Vec<String>, Vec<String>) =
                lines(script).into_iter().partition(|l| l.starts_with('#'));
            let image = match name.as_str() {
                "Helm" => "alpine/helm:3.16.3",
                "Compose over SSH" => "docker:27.4.1",
                _ => "bitnami/kubectl:1.31.4",
            };
            let body = format!(
                "{}\n{}",
                image_lines(&comments, "    ", false),
                image_lines(&commands, "    ", true)
            );
            render(
                GITLAB_DEPLOY,
                &[("DEPLOY_IMAGE", image.into()), ("DEPLOY", body)],
            )
        })
        .unwrap_or_default();
    let stages = if existing.is_none() {
        "stages: [build, test, deploy]\n".to_string()
    } else {
        String::new()
    };
    let text = render(
        GITLAB,
        &[
            ("STAGES", stages),
            ("IMAGES", images.concat().trim_end().to_string()),
            ("DEPLOY_JOB", deploy_job.trim_end().to_string()),
        ],
    );
    let reasons = reasons(open, tool.as_ref().map(|(n, _)| n.as_str()));
    if let Some(old) = existing {
        let Some(new) = include_local(&old) else {
            plan.skipped.push(format!(
                "no GitLab jobs: `{main}` already has a top-level `include:` or `stages:`; add the jobs by hand"
            ));
            return;
        };
        plan.changes.push(Change {
            path: main.into(),
            old: Some(old),
            new,
            reasons: vec![format!("include `{GITLAB_INCLUDED}`")],
        });
    }
    plan.changes.push(Change {
        path: target.into(),
        old: None,
        new: text,
        reasons,
    });
}

/// `.gitlab-ci.yml` with an `include: local:` of the new jobs appended;
/// `None` when it already has a top-level `include:` (a second would be a
/// duplicate key) or `stages:` (the new jobs' stages may not be in it).
fn include_local(old: &str) -> Option<String> {
    let top = |key: &str| {
        old.lines()
            .any(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
    };
    if top("include") || top("stages") {
        return None;
    }
    let eol = if old.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = old.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&format!(
        "{eol}# Added by `kubeready fix`: image builds, tests in the images, staging deploy.{eol}include:{eol}  - local: {GITLAB_INCLUDED}{eol}"
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn gitlab_include_is_appended_only_when_safe() {
        let new = include_local("build:\n  script: [make]\n").unwrap();
        assert!(new.starts_with("build:\n  script: [make]\n\n# Added"));
        assert!(new.ends_with("include:\n  - local: .gitlab/ci/containers.yml\n"));
        assert!(include_local("include:\n  - local: a.yml\n").is_none());
        assert!(include_local("stages: [a]\n").is_none());
    }

    #[test]
    fn yaml_items_are_quoted_when_needed() {
        assert_eq!(yaml_item("docker push x"), "docker push x");
        assert_eq!(yaml_item("\"a\" b"), "'\"a\" b'");
        assert_eq!(yaml_item("echo a: b"), "'echo a: b'");
        assert_eq!(quoted("services/api"), "services/api");
        assert_eq!(quoted(""), ".");
        assert_eq!(quoted("my dir"), "'my dir'");
    }
}
