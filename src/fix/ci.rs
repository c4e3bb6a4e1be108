//! Steps 5-7: a CI workflow for the repository's CI system (GitHub
//! Actions or GitLab CI) that builds every image, runs the tests inside
//! it, pushes it tagged with the commit SHA on the default branch, and
//! holds a staging deploy job for the deploy tool the repository uses.

use super::gitlab_edit;
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
/// GitLab's pipeline file.
pub(super) const GITLAB_MAIN: &str = ".gitlab-ci.yml";
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
    let system = ci_system(root, audit);
    // CI builds the images already: only the missing jobs are added to
    // the file that builds them (a second workflow would build twice).
    let builds_done = audit
        .report
        .steps
        .iter()
        .any(|s| s.id == "image-builds" && s.status == Status::Done);
    if builds_done && matches!(system, CiSystem::GithubActions | CiSystem::GitlabCi) {
        super::ci_extend::plan(root, audit, &all, deploy, &open, system, plan);
        return;
    }
    match system {
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
pub(super) fn test_lines(root: &Path, audit: &Audit, u: &Unit, image: &str) -> Vec<String> {
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

pub(super) fn image_lines(lines: &[String], indent: &str, list: bool) -> String {
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
    let tool = staging_deploy(audit, all, deploy);
    let deploy_job = tool
        .as_ref()
        .map(|(name, script)| {
            github_deploy_job(
                name,
                script,
                "images",
                "${{ github.sha }}",
                "          IMAGE_PREFIX=\"ghcr.io/${GITHUB_REPOSITORY,,}\"",
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

/// The staging deploy script of a new workflow, for the deploy tool the
/// repository uses, run on the images the workflow pushes
/// (`$IMAGE_PREFIX/<unit>:$IMAGE_TAG`); `None` when no deploy is asked for
/// or no tool is known.
fn staging_deploy(audit: &Audit, all: &[Unit], deploy: bool) -> Option<(String, String)> {
    if !deploy {
        return None;
    }
    super::deploy::script(audit, all, &|u| {
        format!("$IMAGE_PREFIX/{}:\"$IMAGE_TAG\"", u.name)
    })
}

/// The GitHub `deploy-staging` job (a `jobs:` entry) after the job
/// `needs`, deploying the tag `tag`.
pub(super) fn github_deploy_job(
    tool: &str,
    script: &str,
    needs: &str,
    tag: &str,
    prefix_line: &str,
) -> String {
    render(
        GITHUB_DEPLOY,
        &[
            ("TOOL", tool.to_string()),
            ("NEEDS", needs.to_string()),
            ("IMAGE_TAG", tag.to_string()),
            ("PREFIX_LINE", prefix_line.to_string()),
            ("DEPLOY", image_lines(&lines(script), "          ", false)),
        ],
    )
}

/// The GitLab `deploy-staging` job; `needs` is its whole `needs:` entry
/// (`""` for none).
pub(super) fn gitlab_deploy_job(
    tool: &str,
    script: &str,
    needs: &str,
    tag: &str,
    prefix_var: &str,
) -> String {
    let (comments, commands): (Vec<String>, Vec<String>) =
        lines(script).into_iter().partition(|l| l.starts_with('#'));
    let image = match tool {
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
        &[
            ("DEPLOY_IMAGE", image.into()),
            ("NEEDS", needs.to_string()),
            ("IMAGE_TAG", tag.to_string()),
            ("PREFIX_VAR", prefix_var.to_string()),
            ("DEPLOY", body),
        ],
    )
}

fn lines(script: &str) -> Vec<String> {
    script.lines().map(str::to_string).collect()
}

fn gitlab(root: &Path, audit: &Audit, all: &[Unit], deploy: bool, open: &[&str], plan: &mut Plan) {
    let main = GITLAB_MAIN;
    let existing = std::fs::read_to_string(root.join(main)).ok();
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
    let tool = staging_deploy(audit, all, deploy);
    let deploy_job = tool
        .as_ref()
        .map(|(name, script)| {
            gitlab_deploy_job(
                name,
                script,
                "",
                "$CI_COMMIT_SHA",
                "    IMAGE_PREFIX: $CI_REGISTRY_IMAGE",
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
            (
                "DEPLOY_JOB",
                // A blank line between it and the last image job.
                if deploy_job.is_empty() {
                    String::new()
                } else {
                    format!("\n{}", deploy_job.trim_end())
                },
            ),
        ],
    );
    let reasons = reasons(open, tool.as_ref().map(|(n, _)| n.as_str()));
    let Some(old) = existing else {
        plan.changes.push(Change {
            path: main.into(),
            old: None,
            new: text,
            reasons,
        });
        return;
    };
    // The jobs this adds, by name: a pipeline that has one already is
    // left alone (a second key of the same name is not valid YAML, and
    // an included job of the same name would be merged into it).
    let mut ours: Vec<String> = vec![".kubeready-docker".into()];
    for u in all {
        ours.push(format!("test-{}", u.name));
        ours.push(format!("image-{}", u.name));
    }
    if tool.is_some() {
        ours.push("deploy-staging".into());
    }
    let keys = gitlab_edit::top_level_keys(&old);
    if let Some(clash) = ours.iter().find(|j| keys.contains(j)) {
        if clash != ".kubeready-docker" {
            plan.skipped.push(format!(
                "no GitLab jobs: `{main}` already has a job `{clash}`; add the image jobs by hand"
            ));
        }
        return;
    }
    // The stages the new jobs run in, added to the `stages:` list the
    // pipeline declares, in whichever file declares it (GitLab rejects a
    // job whose stage is not in it).
    let mut used = vec!["build", "test"];
    if tool.is_some() {
        used.push("deploy");
    }
    let mut new = old.clone();
    let mut changes = Vec::new();
    if gitlab_edit::top_level_key(&old, "include").is_some() {
        // A second `include:` would be a duplicate key: the jobs are
        // appended to the pipeline itself.
        append(&mut new, &text.replacen("# Written by", "# Added by", 1));
        changes.push(Change {
            path: main.into(),
            old: Some(old),
            new,
            reasons,
        });
    } else {
        append(
            &mut new,
            &format!(
                "# Added by `kubeready fix`: image builds, tests in the images, staging deploy.\ninclude:\n  - local: {GITLAB_INCLUDED}\n"
            ),
        );
        changes.push(Change {
            path: main.into(),
            old: Some(old),
            new,
            reasons: vec![format!("include `{GITLAB_INCLUDED}`")],
        });
        changes.push(Change {
            path: GITLAB_INCLUDED.into(),
            old: None,
            new: text,
            reasons,
        });
    }
    if let Err(why) = super::gitlab_stages::add_needed(root, &used, &mut changes) {
        plan.skipped.push(format!(
            "no GitLab jobs: {why}; add the stages {} and the image jobs by hand",
            used.join(", ")
        ));
        return;
    }
    plan.changes.extend(changes);
}

/// Appends `block` (`\n` line ends) after a blank line, in the file's own
/// line ends.
pub(super) fn append(out: &mut String, block: &str) {
    let eol = if out.contains("\r\n") { "\r\n" } else { "\n" };
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(eol);
    for line in block.lines() {
        out.push_str(line);
        out.push_str(eol);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn appended_blocks_follow_the_file_line_ends() {
        let mut s = "build:\n  script: [make]".to_string();
        append(&mut s, "include:\n  - local: x.yml\n");
        assert_eq!(
            s,
            "build:\n  script: [make]\n\ninclude:\n  - local: x.yml\n"
        );
        let mut s = "a: 1\r\n".to_string();
        append(&mut s, "b: 2\n");
        assert_eq!(s, "a: 1\r\n\r\nb: 2\r\n");
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
