//! Steps 6-7 when step 5 is done: CI already builds the images, so the
//! missing jobs (the tests inside each built image, the staging deploy)
//! are added to the workflow or pipeline file that builds them, under
//! the image names and tags it already uses. Nothing else in that file
//! changes: the jobs are inserted at the end of GitHub's `jobs:` mapping
//! or appended to the GitLab file, and GitLab's `stages:` list gets only
//! the stages they need.

use super::ci::{github_deploy_job, gitlab_deploy_job, quoted, test_lines};
use super::gitlab_edit;
use super::units::Unit;
use super::{render, Change, Plan};
use crate::audit::Audit;
use crate::graph::Build;
use crate::walk::CiSystem;
use std::path::Path;

const GITHUB_TEST: &str = include_str!("../../templates/ci/github-actions-test.yml.tmpl");
const GITLAB_TEST: &str = include_str!("../../templates/ci/gitlab-ci-test.yml.tmpl");

/// A unit and the CI build that makes its image.
struct Built<'a> {
    unit: &'a Unit,
    build: &'a Build,
    /// The build's tag, as written, when another job can name it too.
    image: Option<String>,
    /// Whether a job of its own can repeat the build (`docker build` of
    /// the unit's Dockerfile), so test inside the image.
    testable: bool,
}

/// Plans the added jobs; `open` holds `ci-images` and/or `cd-staging`.
pub(super) fn plan(
    root: &Path,
    audit: &Audit,
    all: &[Unit],
    deploy: bool,
    open: &[&str],
    system: CiSystem,
    plan: &mut Plan,
) {
    let g = &audit.graph;
    let builds_of = |c: usize| {
        g.builds.iter().filter(move |b| {
            b.image_defs.iter().any(|d| {
                g.image_defs
                    .get(*d)
                    .is_some_and(|d| d.components.contains(&c))
            })
        })
    };
    // Only a build straight from the unit's own Dockerfile can be
    // repeated with `docker build` (goreleaser, ko, Jib... build
    // otherwise; another Dockerfile may copy what earlier steps made).
    let repeatable = |b: &Build, u: &Unit| {
        from_dockerfile(&b.tool) && b.dockerfile.as_deref().is_none_or(|d| d == u.dockerfile)
    };
    // Why a unit gets no test job (only said when step 6 is asked for).
    let mut no_test = |why: String| {
        if open.contains(&"ci-images") {
            plan.skipped.push(why);
        }
    };
    for u in all {
        let Some(c) = u.component else { continue };
        if builds_of(c).next().is_some() && copies_artifacts(audit, &u.dockerfile) {
            no_test(format!(
                "no test job for `{}`: `{}` copies files that are not in the repository (KR504/KR505), made by earlier CI steps; step 6 ci-images by hand",
                u.name, u.dockerfile
            ));
            continue;
        }
        if builds_of(c).next().is_some() && !builds_of(c).any(|b| repeatable(b, u)) {
            let mut how: Vec<String> = builds_of(c)
                .map(|b| match &b.dockerfile {
                    Some(d) if from_dockerfile(&b.tool) => format!("`{d}`"),
                    _ => b.tool.clone(),
                })
                .collect();
            how.sort();
            how.dedup();
            no_test(format!(
                "no test job for `{}`: CI builds its image with {}, not from `{}` alone; step 6 ci-images by hand",
                u.name,
                how.join(", "),
                u.dockerfile
            ));
        }
    }
    // Every unit CI builds, by the build a test job can repeat when there
    // is one, else by one whose pushed tag other jobs can name (the
    // staging deploy needs only that).
    let built: Vec<Built<'_>> = all
        .iter()
        .filter_map(|u| {
            let c = u.component?;
            let repeated = if copies_artifacts(audit, &u.dockerfile) {
                None
            } else {
                builds_of(c).find(|b| repeatable(b, u))
            };
            let build = repeated
                .or_else(|| builds_of(c).find(|b| b.tags.iter().any(|t| reusable(t, system))))
                .or_else(|| builds_of(c).next())?;
            let image = build.tags.iter().find(|t| reusable(t, system)).cloned();
            Some(Built {
                unit: u,
                build,
                image,
                testable: repeated.is_some(),
            })
        })
        .collect();
    let Some(first) = built.iter().find(|b| b.testable).or(built.first()) else {
        plan.skipped.push(format!(
            "no CI jobs added: the build of the images was not found in a file `kubeready fix` can extend; {} by hand",
            open.join(", ")
        ));
        return;
    };
    // The jobs go into the file that defines the build job (the build
    // step itself may sit in a script or Makefile the job runs).
    let pipeline = audit.facts.pipelines.get(first.build.pipeline);
    let build_job = pipeline
        .filter(|p| p.system == Some(system))
        .and_then(|p| p.jobs.get(first.build.job));
    let Some((file, job)) = build_job.map(|j| (j.file.clone(), job_key(&j.id, system))) else {
        plan.skipped.push(format!(
            "no CI jobs added: the images are built outside {}'s own files; {} by hand",
            system.display_name(),
            open.join(", ")
        ));
        return;
    };
    let Ok(old) = std::fs::read_to_string(root.join(&file)) else {
        plan.skipped.push(format!(
            "no CI jobs added: `{file}` could not be read; {} by hand",
            open.join(", ")
        ));
        return;
    };
    let covered: Vec<usize> = g.runs.iter().flat_map(|r| r.components.clone()).collect();
    let mut jobs: Vec<(String, String)> = Vec::new();
    let mut reasons = Vec::new();
    if open.contains(&"ci-images") {
        for b in built
            .iter()
            .filter(|b| b.testable)
            .filter(|b| b.unit.component.is_some_and(|c| !covered.contains(&c)))
        {
            jobs.push((
                format!("test-{}-image", b.unit.name),
                test_job(root, audit, b, &job, system),
            ));
        }
        if !jobs.is_empty() {
            reasons.push(format!(
                "step 6 ci-images: tests run inside the images `{job}` builds"
            ));
        }
    }
    if open.contains(&"cd-staging") && deploy {
        match deploy_job(audit, all, &built, &job, system) {
            Ok((tool, text)) => {
                jobs.push(("deploy-staging".into(), text));
                reasons.push(format!(
                    "step 7 cd-staging: staging deploy with {tool} of the images `{job}` pushes (fill in the CHANGE-ME placeholders)"
                ));
            }
            Err(why) => plan.skipped.push(format!("no staging deploy job: {why}")),
        }
    }
    // A job of the same name already there: added before (idempotence)
    // or the team's own; either way it is not written twice.
    let keys = match system {
        CiSystem::GithubActions => github_job_ids(&old),
        _ => gitlab_edit::top_level_keys(&old),
    };
    jobs.retain(|(name, _)| !keys.contains(name));
    if jobs.is_empty() {
        return;
    }
    let names: Vec<String> = jobs.iter().map(|(name, _)| name.clone()).collect();
    let blocks: Vec<String> = jobs.into_iter().map(|(_, text)| text).collect();
    let new = match system {
        CiSystem::GithubActions => match insert_github_jobs(&old, &blocks) {
            Some(new) => new,
            None => {
                plan.skipped.push(format!(
                    "no CI jobs added: `{file}` has no `jobs:` mapping kubeready can extend"
                ));
                return;
            }
        },
        _ => {
            let mut new = old.clone();
            super::ci::append(&mut new, blocks.join("\n").trim_end());
            new
        }
    };
    let mut changes = vec![Change {
        path: file,
        old: Some(old),
        new,
        reasons,
    }];
    if system == CiSystem::GitlabCi {
        let mut used = Vec::new();
        if names.iter().any(|n| n.starts_with("test-")) {
            used.push("test");
        }
        if names.iter().any(|n| n == "deploy-staging") {
            used.push("deploy");
        }
        if let Err(why) = super::gitlab_stages::add_needed(root, &used, &mut changes) {
            plan.skipped.push(format!(
                "no CI jobs added: {why}; add the stages {} and the jobs by hand",
                used.join(", ")
            ));
            return;
        }
    }
    plan.changes.extend(changes);
}

/// Whether the Dockerfile copies a source the repository does not hold
/// (a build output an earlier CI step makes): a job of its own could not
/// build it.
fn copies_artifacts(audit: &Audit, dockerfile: &str) -> bool {
    audit
        .report
        .findings
        .iter()
        .any(|f| matches!(f.code, "KR504" | "KR505") && f.location.file == dockerfile)
}

/// Whether a CI build tool builds straight from the Dockerfile (so that
/// `docker build` makes the same image).
fn from_dockerfile(tool: &str) -> bool {
    matches!(
        tool,
        "docker"
            | "docker-buildx"
            | "buildx"
            | "docker-buildx-bake"
            | "docker/build-push-action"
            | "docker compose"
            | "podman"
            | "nerdctl"
            | "buildah"
            | "kaniko"
            | "buildctl"
            | "img"
    )
}

/// Whether another job can name this tag as written: only expressions
/// and variables every job has (GitHub's `github.*` and `vars.*`,
/// GitLab's `CI_*`), none a step of the build job set.
fn reusable(tag: &str, system: CiSystem) -> bool {
    match system {
        CiSystem::GithubActions => {
            let mut rest = tag;
            while let Some(at) = rest.find('$') {
                let after = &rest[at..];
                let Some(expr) = after.strip_prefix("${{") else {
                    return false;
                };
                let Some(end) = expr.find("}}") else {
                    return false;
                };
                let inner = expr[..end].trim();
                if !(inner.starts_with("github.") || inner.starts_with("vars.")) {
                    return false;
                }
                rest = &expr[end + 2..];
            }
            plain_ref(&strip_github_exprs(tag))
        }
        _ => {
            let mut rest = tag;
            while let Some(at) = rest.find('$') {
                let name = rest[at + 1..].trim_start_matches('{');
                if !name.starts_with("CI_") {
                    return false;
                }
                rest = &rest[at + 1..];
            }
            plain_ref(&tag.replace(['$', '{', '}'], ""))
        }
    }
}

/// Only the characters of an image reference (no template syntax such
/// as goreleaser's `{{ .Tag }}`), once the allowed expressions are out.
fn plain_ref(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:@-".contains(c))
}

/// `tag` with each `${{ ... }}` expression replaced by `x`.
fn strip_github_exprs(tag: &str) -> String {
    let mut out = String::new();
    let mut rest = tag;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        out.push('x');
        match rest[at..].find("}}") {
            Some(end) => rest = &rest[at + end + 2..],
            None => return String::new(),
        }
    }
    out.push_str(rest);
    out
}

/// The key the job has in its file: the parsed id without the caller of
/// a reusable workflow or include (`caller / `) nor the matrix values
/// (GitHub's ` (a, b)`, GitLab's `: [a, b]`).
fn job_key(id: &str, system: CiSystem) -> String {
    let local = id.rsplit(" / ").next().unwrap_or(id);
    let cut = match system {
        CiSystem::GithubActions => local.find(" ("),
        _ => local.find(": ["),
    };
    local[..cut.unwrap_or(local.len())].to_string()
}

/// A job name as a YAML scalar (quoted unless plain is safe).
fn yaml_name(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        name.to_string()
    } else {
        serde_json::to_string(name).unwrap_or_else(|_| format!("'{name}'"))
    }
}

/// `repo:tag` → (`repo`, `tag`); no tag → `latest`.
fn split_tag(image: &str) -> (&str, &str) {
    match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag),
        _ => (image, "latest"),
    }
}

fn test_job(root: &Path, audit: &Audit, b: &Built<'_>, job: &str, system: CiSystem) -> String {
    let u = b.unit;
    let image = b
        .image
        .clone()
        .unwrap_or_else(|| format!("{}:test", u.name));
    let tests = test_lines(root, audit, u, &image);
    let (template, test) = match system {
        CiSystem::GithubActions => (
            GITHUB_TEST,
            super::ci::image_lines(&tests, "          ", false),
        ),
        _ => (GITLAB_TEST, super::ci::image_lines(&tests, "    ", true)),
    };
    render(
        template,
        &[
            ("NAME", u.name.clone()),
            ("BUILD_JOB", job.to_string()),
            ("IMAGE", image),
            ("DOCKERFILE", quoted(&u.dockerfile)),
            ("CONTEXT", quoted(&u.context)),
            ("TEST", test),
        ],
    )
}

/// The staging deploy of the pushed images, after the build job.
fn deploy_job(
    audit: &Audit,
    all: &[Unit],
    built: &[Built<'_>],
    job: &str,
    system: CiSystem,
) -> Result<(String, String), String> {
    // Every image under the name and the pipeline-computed tag its build
    // pushes.
    let mut refs: Vec<(String, String)> = Vec::new();
    for u in all {
        let pushed = built
            .iter()
            .find(|b| b.unit == u)
            .and_then(|b| b.image.clone())
            .filter(|i| crate::graph::references_pipeline_tag(split_tag(i).1));
        match pushed {
            Some(i) => refs.push((u.name.clone(), i)),
            None => {
                return Err(format!(
                    "CI pushes `{}` under no tag of the commit that another job can name; add the deploy by hand",
                    u.name
                ))
            }
        }
    }
    let image = |u: &Unit| -> String {
        refs.iter()
            .find(|(n, _)| *n == u.name)
            .map(|(_, i)| format!("\"{i}\""))
            .unwrap_or_default()
    };
    let tag = refs
        .first()
        .map(|(_, i)| split_tag(i).1.to_string())
        .unwrap_or_default();
    let Some((tool, script)) = super::deploy::script(audit, all, &image) else {
        return Err("no deploy tool found".into());
    };
    let text = match system {
        CiSystem::GithubActions => {
            let block = github_deploy_job(&tool, &script, job, &tag, "");
            format!(
                "  # Added by `kubeready fix`: deploys the images `{job}` pushes to staging.\n{}",
                block.trim_start_matches('\n')
            )
        }
        _ => {
            let needs = format!(
                "  needs:\n    - job: {}\n      optional: true",
                yaml_name(job)
            );
            let block = gitlab_deploy_job(&tool, &script, &needs, &tag, "");
            format!(
                "# Added by `kubeready fix`: deploys the images `{job}` pushes to staging.\n{block}"
            )
        }
    };
    Ok((tool, text))
}

/// The job ids of a GitHub workflow (the keys under `jobs:`).
fn github_job_ids(text: &str) -> Vec<String> {
    let Some((start, end, indent)) = jobs_block(text) else {
        return Vec::new();
    };
    text.lines()
        .skip(start + 1)
        .take(end - start - 1)
        .filter(|l| {
            let t = l.trim_start();
            l.len() - t.len() == indent && !t.starts_with('#') && !t.is_empty()
        })
        .filter_map(|l| l.trim().split_once(':').map(|(k, _)| k.trim().to_string()))
        .collect()
}

/// The `jobs:` line, the line after its last job line (the next
/// top-level key, or the end), and the jobs' indentation.
fn jobs_block(text: &str) -> Option<(usize, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("jobs:") && l[5..].trim().is_empty())?;
    let next = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| !l.is_empty() && !l.starts_with([' ', '\t', '#']))
        .map_or(lines.len(), |(i, _)| i);
    // Comments and blank lines before the next key belong to it.
    let mut end = next;
    while end > start + 1 && {
        let t = lines[end - 1].trim();
        t.is_empty() || t.starts_with('#')
    } {
        end -= 1;
    }
    let indent = lines[start + 1..end]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.len() - l.trim_start().len())?;
    Some((start, end, indent))
}

/// The workflow with the job blocks (written with jobs at two spaces)
/// inserted after its last job, at its jobs' indentation.
fn insert_github_jobs(old: &str, blocks: &[String]) -> Option<String> {
    let (_, end, indent) = jobs_block(old)?;
    let eol = if old.contains("\r\n") { "\r\n" } else { "\n" };
    let pad = " ".repeat(indent.saturating_sub(2));
    let mut added = String::new();
    for block in blocks {
        added.push_str(eol);
        for line in block.trim_matches('\n').lines() {
            if !line.is_empty() {
                added.push_str(&pad);
            }
            added.push_str(line);
            added.push_str(eol);
        }
    }
    let mut out = String::new();
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    for (i, l) in lines.iter().enumerate() {
        if i == end {
            out.push_str(&added);
        }
        out.push_str(l);
        if i + 1 == lines.len() && !l.ends_with('\n') && end == lines.len() {
            out.push_str(eol);
        }
    }
    if end >= lines.len() {
        out.push_str(&added);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn tags_other_jobs_can_name() {
        let gh = CiSystem::GithubActions;
        assert!(reusable("ghcr.io/acme/api:${{ github.sha }}", gh));
        assert!(reusable("${{ vars.REGISTRY }}/api:1.0", gh));
        assert!(!reusable("${{ steps.meta.outputs.tags }}", gh));
        assert!(!reusable("$IMAGE_PREFIX/api:${{ github.sha }}", gh));
        let gl = CiSystem::GitlabCi;
        assert!(reusable("$CI_REGISTRY_IMAGE/api:$CI_COMMIT_SHA", gl));
        assert!(reusable("${CI_REGISTRY_IMAGE}:${CI_COMMIT_SHORT_SHA}", gl));
        assert!(!reusable("$IMAGE:$CI_COMMIT_SHA", gl));
        assert!(!reusable("registry.gitlab.com/a/cli:{{ .Tag }}-amd64", gl));
        assert!(!reusable("ghcr.io/a/cli:{{ .Tag }}", gh));
        assert!(from_dockerfile("docker") && !from_dockerfile("goreleaser"));
        assert_eq!(
            split_tag("ghcr.io/a/b:${{ github.sha }}").1,
            "${{ github.sha }}"
        );
        assert_eq!(
            split_tag("localhost:5000/b"),
            ("localhost:5000/b", "latest")
        );
    }

    #[test]
    fn github_jobs_go_after_the_last_job_at_its_indentation() {
        let old = "on: push\njobs:\n    build:\n        runs-on: x\n\n# trailing\nenv:\n  A: 1\n";
        let new = insert_github_jobs(old, &["  test:\n    runs-on: y\n".into()]).unwrap();
        assert_eq!(
            new,
            "on: push\njobs:\n    build:\n        runs-on: x\n\n    test:\n      runs-on: y\n\n# trailing\nenv:\n  A: 1\n"
        );
        assert_eq!(github_job_ids(&new), ["build", "test"]);
        let at_end =
            insert_github_jobs("jobs:\n  a:\n    x: 1", &["  b:\n    y: 2\n".into()]).unwrap();
        assert_eq!(at_end, "jobs:\n  a:\n    x: 1\n\n  b:\n    y: 2\n");
        assert!(insert_github_jobs("on: push\n", &[]).is_none());
    }
}
