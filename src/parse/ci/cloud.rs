//! Google Cloud Build (`cloudbuild.yaml`/`.json`) and AWS CodeBuild
//! (`buildspec.yml`): one job each.
//!
//! Neither file holds its triggers: Cloud Build triggers and CodeBuild
//! webhooks are configured in the cloud console and, in practice, run on
//! pushes, so both pipelines get a Push trigger.

use super::known::{self, action_step, build, deploy, shell_join, trigger};
use super::{common, Job, Meaning, Pipeline, Step, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, Tree};
use kubeready_yaml::Node;

pub fn parse(
    system: CiSystem,
    tree: &Tree,
    path: &str,
    text: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let Some(root) = common::load_yaml(path, text, problems) else {
        return Vec::new();
    };
    if !root.is_map() {
        if !root.is_null() {
            problems.push(ParseProblem::new(
                path,
                root.line,
                ProblemKind::Partial,
                "the build config must be a mapping",
            ));
        }
        return Vec::new();
    }
    let steps = match system {
        CiSystem::CodeBuild => codebuild_steps(tree, path, &root),
        _ => cloudbuild_steps(tree, path, &root),
    };
    let job = Job {
        id: "build".into(),
        name: crate::paths::file_name(path).to_string(),
        file: path.to_string(),
        line: 1,
        steps,
        ..Default::default()
    };
    vec![Pipeline {
        file: path.to_string(),
        system: Some(system),
        name: path.to_string(),
        // Webhook/console triggers, not in the file: pushes in practice.
        triggers: vec![trigger(TriggerKind::Push, 1, Vec::new())],
        jobs: vec![job],
        reusable: false,
        env: Vec::new(),
    }]
}

/// `phases.<phase>.commands` (and `finally`), each command a step.
fn codebuild_steps(tree: &Tree, path: &str, root: &Node) -> Vec<Step> {
    let mut out = Vec::new();
    for phase in root.get("phases").and_then(Node::as_map).unwrap_or(&[]) {
        let name = phase.key_str().map(str::to_string);
        for key in ["commands", "finally"] {
            out.extend(known::script_steps(
                tree,
                path,
                phase.value.get(key),
                name.as_deref(),
                "",
            ));
        }
    }
    out
}

const SHELLS: &[&str] = &["bash", "sh", "/bin/bash", "/bin/sh"];

/// Programs whose Cloud Build builder image runs them with `args`.
const PROGRAMS: &[&str] = &[
    "docker",
    "kubectl",
    "gcloud",
    "gsutil",
    "helm",
    "kustomize",
    "skaffold",
    "npm",
    "yarn",
    "go",
    "mvn",
    "gradle",
    "git",
    "gke-deploy",
    "pack",
    "ko",
];

fn cloudbuild_steps(tree: &Tree, path: &str, root: &Node) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for s in root.get("steps").and_then(Node::as_seq).unwrap_or(&[]) {
        let Some(builder) = s.get("name").and_then(Node::as_str) else {
            continue;
        };
        let name = known::text(s.get("id")).or_else(|| Some(builder.to_string()));
        let workdir = known::text(s.get("dir"))
            .map(|d| known::repo_relative(&d))
            .unwrap_or_default();
        let args_node = s.get("args");
        let args = known::strings(args_node);
        let entrypoint = known::text(s.get("entrypoint"));
        if let Some(script) = s.get("script") {
            out.extend(known::script_node_step(tree, path, script, name, &workdir));
            continue;
        }
        if entrypoint.as_deref().is_some_and(|e| SHELLS.contains(&e))
            && args.first().map(String::as_str) == Some("-c")
        {
            let script_node = args_node.and_then(Node::as_seq).and_then(|a| a.get(1));
            if let Some(n) = script_node {
                out.extend(known::script_node_step(tree, path, n, name, &workdir));
            }
            continue;
        }
        let image = builder.split(['@']).next().unwrap_or(builder);
        let base = image.rsplit('/').next().unwrap_or(image);
        let base = base.split(':').next().unwrap_or(base);
        let line = s.line;
        if base == "executor" && image.contains("kaniko") {
            out.push(action_step(
                path,
                line,
                name,
                builder,
                Vec::new(),
                &workdir,
                vec![kaniko(&args)],
            ));
            continue;
        }
        if base == "gke-deploy" && entrypoint.is_none() {
            let images = flag_values(&args, &["--image", "-i"]);
            let files = flag_values(&args, &["--filename", "-f"]);
            let action = args.first().cloned().unwrap_or_else(|| "run".into());
            let m = Meaning::Deploy(deploy("gke-deploy", &action, images, files));
            out.push(action_step(
                path,
                line,
                name,
                builder,
                Vec::new(),
                &workdir,
                vec![m],
            ));
            continue;
        }
        let well_known = image.starts_with("gcr.io/cloud-builders/")
            || image.contains("cloudsdktool")
            || PROGRAMS.contains(&base);
        let words: Vec<String> = match &entrypoint {
            Some(e) => std::iter::once(e.clone())
                .chain(args.iter().cloned())
                .collect(),
            None if image.contains("cloudsdktool") => args.clone(),
            None if well_known => std::iter::once(base.to_string())
                .chain(args.iter().cloned())
                .collect(),
            None => args.clone(),
        };
        let mut step = common::script_step(tree, path, line, name, &shell_join(&words), &workdir);
        if !well_known {
            // A step running in an image: maybe one the repo builds.
            step.meanings.push(super::LocatedMeaning {
                file: path.to_string(),
                line,
                meaning: Meaning::ImageRun {
                    tool: "cloudbuild".into(),
                    image: builder.to_string(),
                    command: words,
                },
            });
        }
        out.push(step);
    }
    // `images:` are pushed when the build succeeds.
    if let Some(images) = root.get("images") {
        let list = known::strings(Some(images));
        for step in &mut out {
            for lm in &mut step.meanings {
                if let Meaning::ImageBuild(b) = &mut lm.meaning {
                    if b.tags.iter().any(|t| list.contains(t)) {
                        b.push = true;
                    }
                }
            }
        }
        let m = Meaning::ImagePush {
            tool: "cloudbuild".into(),
            images: list,
        };
        out.push(action_step(
            path,
            images.line,
            Some("images".into()),
            "images",
            Vec::new(),
            "",
            vec![m],
        ));
    }
    out
}

/// `--flag=value` and `--flag value` values.
fn flag_values(args: &[String], flags: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if flags.contains(&a.as_str()) {
            out.extend(it.next().cloned());
        } else if let Some((f, v)) = a.split_once('=') {
            if flags.contains(&f) {
                out.push(v.to_string());
            }
        }
    }
    out
}

fn kaniko(args: &[String]) -> Meaning {
    let one = |f: &str| flag_values(args, &[f]).into_iter().next();
    let mut b = build(
        "kaniko",
        one("--dockerfile").map(|d| known::repo_relative(&d)),
        Some(
            one("--context")
                .map(|c| known::repo_relative(c.trim_start_matches("dir://")))
                .unwrap_or_else(|| ".".into()),
        ),
        flag_values(args, &["--destination", "-d"]),
        !args.iter().any(|a| a == "--no-push"),
    );
    b.target = one("--target");
    Meaning::ImageBuild(b)
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::known::testing;
    use crate::parse::ci::{Meaning, StepBody, TriggerKind};

    #[test]
    fn cloudbuild_steps_and_images() {
        let yaml = r#"steps:
  - name: gcr.io/cloud-builders/docker
    args: [build, -t, gcr.io/$PROJECT_ID/api:$SHORT_SHA, .]
    dir: api
  - name: gcr.io/$PROJECT_ID/api:$SHORT_SHA
    args: [pytest]
  - name: gcr.io/cloud-builders/kubectl
    args: [apply, -f, k8s/]
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: bash
    args:
      - -c
      - |
        gcloud run deploy api --image gcr.io/$PROJECT_ID/api:$SHORT_SHA
  - name: gcr.io/kaniko-project/executor:latest
    args: ["--destination=gcr.io/$PROJECT_ID/web:$SHORT_SHA", --context=dir://web]
  - name: gcr.io/cloud-builders/gke-deploy
    args: [run, --filename=k8s/, --image=gcr.io/$PROJECT_ID/web:$SHORT_SHA]
images: [gcr.io/$PROJECT_ID/api:$SHORT_SHA]
"#;
        let (p, problems) = testing::parse(&[("cloudbuild.yaml", yaml)]);
        assert!(problems.is_empty(), "{problems:?}");
        let p = &p[0];
        assert_eq!(p.triggers[0].kind, TriggerKind::Push);
        let steps = &p.jobs[0].steps;
        assert_eq!(steps.len(), 7);
        assert!(
            matches!(&steps[0].body, StepBody::Script(s) if s == "docker build -t gcr.io/$PROJECT_ID/api:$SHORT_SHA .")
        );
        assert_eq!((steps[0].line, steps[0].workdir.as_str()), (2, "api"));
        assert!(
            matches!(&steps[0].meanings[0].meaning, Meaning::ImageBuild(b) if b.push),
            "pushed by `images:`"
        );
        assert!(steps[1].meanings.iter().any(|m| matches!(&m.meaning, Meaning::ImageRun { image, .. } if image == "gcr.io/$PROJECT_ID/api:$SHORT_SHA")));
        assert!(matches!(&steps[2].body, StepBody::Script(s) if s == "kubectl apply -f k8s/"));
        assert_eq!(steps[3].line, 14);
        assert!(
            matches!(&steps[4].meanings[0].meaning, Meaning::ImageBuild(b) if b.tool == "kaniko" && b.push && b.context.as_deref() == Some("web"))
        );
        assert!(
            matches!(&steps[5].meanings[0].meaning, Meaning::Deploy(d) if d.images == ["gcr.io/$PROJECT_ID/web:$SHORT_SHA"] && d.files == ["k8s/"])
        );
        assert!(
            matches!(&steps[6].meanings[0].meaning, Meaning::ImagePush { images, .. } if images.len() == 1)
        );
    }

    #[test]
    fn codebuild_phases() {
        let yaml = "version: 0.2\nphases:\n  pre_build:\n    commands:\n      - aws ecr get-login-password | docker login --password-stdin $REPO\n  build:\n    commands:\n      - docker build -t $REPO:$CODEBUILD_RESOLVED_SOURCE_VERSION .\n      - |\n        docker push $REPO:$CODEBUILD_RESOLVED_SOURCE_VERSION\n";
        let (p, problems) = testing::parse(&[("buildspec.yml", yaml)]);
        assert!(problems.is_empty(), "{problems:?}");
        let steps = &p[0].jobs[0].steps;
        assert_eq!(steps.iter().map(|s| s.line).collect::<Vec<_>>(), [5, 8, 10]);
        assert_eq!(steps[1].name.as_deref(), Some("build"));
        assert_eq!(p[0].triggers[0].kind, TriggerKind::Push);
    }

    #[test]
    fn json_and_bad_shapes() {
        let (p, _) = testing::parse(&[(
            "cloudbuild.json",
            r#"{"steps": [{"name": "gcr.io/cloud-builders/docker", "args": ["build", "-t", "a", "."]}]}"#,
        )]);
        assert_eq!(p[0].jobs[0].steps.len(), 1);
        for y in [
            "[]",
            "steps: 3",
            "steps: [{name: 3}, {args: [1]}, 4]",
            "phases: [1]",
            "phases: {build: {commands: {a: 1}}}",
        ] {
            let _ = testing::parse(&[("cloudbuild.yaml", y), ("buildspec.yml", y)]);
        }
    }
}
