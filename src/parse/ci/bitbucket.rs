//! Bitbucket Pipelines: `pipelines.default` (Push), `branches.<glob>`
//! (Push on those branches), `tags.<glob>` (Tag), `pull-requests` (PR),
//! `custom` (Manual); each `step` (also inside `parallel` and `stage`) is
//! a job with its image, services (through `definitions.services`),
//! script lines and pipes, `deployment` environment and `trigger: manual`
//! (a manual step pauses the pipeline: the steps after it are Manual too).

use super::known::{self, action_step, deploy, pairs, tagged, text, trigger, with_value};
use super::{common, Environment, ImageUse, Job, Meaning, Pipeline, Step, Trigger, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, Tree};
use kubeready_yaml::Node;

pub fn parse(
    tree: &Tree,
    path: &str,
    text_: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    let Some(root) = common::load_yaml(path, text_, problems) else {
        return Vec::new();
    };
    let Some(pipelines) = root.get("pipelines").filter(|p| p.is_map()) else {
        if !root.is_null() {
            problems.push(ParseProblem::new(
                path,
                root.line,
                ProblemKind::Partial,
                "no `pipelines:` mapping",
            ));
        }
        return Vec::new();
    };
    let cx = Cx {
        tree,
        file: path,
        root: &root,
    };
    let mut jobs = Vec::new();
    for section in pipelines.as_map().unwrap_or(&[]) {
        let Some(key) = section.key_str() else {
            continue;
        };
        let line = section.key.line;
        match key {
            "default" => cx.sequence(
                &section.value,
                "default",
                trigger(TriggerKind::Push, line, Vec::new()),
                &mut jobs,
            ),
            "branches" | "tags" | "pull-requests" | "custom" => {
                for e in section.value.as_map().unwrap_or(&[]) {
                    let Some(pattern) = e.key_str() else { continue };
                    let t = match key {
                        "branches" => {
                            trigger(TriggerKind::Push, e.key.line, vec![pattern.to_string()])
                        }
                        "tags" => trigger(TriggerKind::Tag, e.key.line, vec![pattern.to_string()]),
                        "pull-requests" => trigger(
                            TriggerKind::PullRequest,
                            e.key.line,
                            vec![pattern.to_string()],
                        ),
                        _ => trigger(TriggerKind::Manual, e.key.line, Vec::new()),
                    };
                    cx.sequence(&e.value, &format!("{key}.{pattern}"), t, &mut jobs);
                }
            }
            _ => {}
        }
    }
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::BitbucketPipelines),
        name: path.to_string(),
        triggers: Vec::new(),
        jobs,
        reusable: false,
        env: Vec::new(),
    }]
}

struct Cx<'a> {
    tree: &'a Tree,
    file: &'a str,
    root: &'a Node,
}

impl Cx<'_> {
    /// One pipeline's items, in order; a manual step gates the rest.
    fn sequence(&self, items: &Node, section: &str, base: Trigger, jobs: &mut Vec<Job>) {
        let mut gate: Option<Trigger> = None;
        for item in items.as_seq().unwrap_or(&[]) {
            let mut group: Vec<(&Node, Option<&Node>, u32)> = Vec::new();
            if let Some(e) = item.entry("step") {
                group.push((&e.value, None, e.key.line));
            } else if let Some(par) = item.get("parallel") {
                let list = par.get("steps").unwrap_or(par);
                for p in list.as_seq().unwrap_or(&[]) {
                    if let Some(e) = p.entry("step") {
                        group.push((&e.value, None, e.key.line));
                    }
                }
            } else if let Some(stage) = item.get("stage") {
                for p in stage.get("steps").and_then(Node::as_seq).unwrap_or(&[]) {
                    if let Some(e) = p.entry("step") {
                        group.push((&e.value, Some(stage), e.key.line));
                    }
                }
            }
            let mut gated_here = None;
            for (step, stage, line) in group {
                let manual = [Some(step), stage]
                    .into_iter()
                    .flatten()
                    .find(|n| n.get("trigger").and_then(Node::as_str) == Some("manual"))
                    .map(|n| {
                        trigger(
                            TriggerKind::Manual,
                            n.get("trigger").map_or(n.line, |t| t.line),
                            Vec::new(),
                        )
                    });
                let t = match (&gate, &manual) {
                    (Some(g), _) => g.clone(),
                    (None, Some(m)) => m.clone(),
                    (None, None) => base.clone(),
                };
                if manual.is_some() && gated_here.is_none() {
                    gated_here = manual;
                }
                let n = jobs.len() + 1;
                jobs.push(self.step(step, stage, section, n, line, t));
            }
            if gate.is_none() {
                gate = gated_here;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &self,
        step: &Node,
        stage: Option<&Node>,
        section: &str,
        n: usize,
        line: u32,
        t: Trigger,
    ) -> Job {
        let name = text(step.get("name")).unwrap_or_else(|| format!("step {n}"));
        let image = step.get("image").or_else(|| self.root.get("image"));
        let container = image.and_then(image_use);
        let services = known::strings(step.get("services"))
            .iter()
            .filter_map(|s| {
                let def = self.root.get("definitions")?.get("services")?.get(s)?;
                def.get("image").and_then(image_use)
            })
            .collect();
        let environment = [Some(step), stage].into_iter().flatten().find_map(|n| {
            let d = n.get("deployment")?;
            Some(Environment {
                name: d.as_str()?.to_string(),
                line: d.line,
            })
        });
        let mut steps = Vec::new();
        for key in ["script", "after-script"] {
            for item in step.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                if item.as_str().is_some() {
                    steps.extend(known::script_node_step(
                        self.tree, self.file, item, None, "",
                    ));
                } else if let Some(pipe) = item.get("pipe") {
                    steps.push(self.pipe(pipe, item.get("variables")));
                }
            }
        }
        Job {
            id: format!("{section}: {name}"),
            name,
            file: self.file.to_string(),
            line,
            triggers: Some(vec![t]),
            environment,
            container,
            services,
            steps,
            ..Default::default()
        }
    }

    fn pipe(&self, pipe: &Node, vars: Option<&Node>) -> Step {
        let uses = pipe.as_str().unwrap_or_default();
        let with = pairs(vars);
        let meanings = pipe_meanings(uses, &with);
        action_step(self.file, pipe.line, None, uses, with, "", meanings)
    }
}

/// `image: x` or `image: {name: x}`.
fn image_use(n: &Node) -> Option<ImageUse> {
    let s = n
        .as_str()
        .or_else(|| n.get("name").and_then(Node::as_str))?;
    Some(ImageUse {
        image: s.to_string(),
        line: n.line,
    })
}

/// What a pipe means, from its name and variables.
fn pipe_meanings(uses: &str, with: &[(String, String)]) -> Vec<Meaning> {
    let name = uses
        .split(':')
        .next()
        .unwrap_or(uses)
        .rsplit('/')
        .next()
        .unwrap_or(uses);
    let get = |k: &str| with_value(with, k);
    let list = |k: &str| known::list_values_str(get(k).unwrap_or(""));
    if name.ends_with("push-image") || name == "docker-hub-push" {
        // aws-ecr-push-image, gcp-gcr-push-image, azure-acr-push-image
        let tags = known::list_values_str(&get("TAGS").unwrap_or("").replace(' ', ","));
        let image = get("IMAGE_NAME").or_else(|| get("IMAGE")).unwrap_or("");
        return vec![Meaning::ImagePush {
            tool: name.to_string(),
            images: tagged(image, &tags),
        }];
    }
    if name.contains("helm") {
        let images = list("SET")
            .into_iter()
            .filter(|v| v.contains("image") || v.contains("tag"))
            .collect();
        let mut d = deploy("helm", "upgrade", images, list("VALUES"));
        d.release = get("RELEASE_NAME").map(str::to_string);
        d.namespace = get("NAMESPACE").map(str::to_string);
        return vec![Meaning::Deploy(d)];
    }
    if name.contains("kubectl") || name.contains("aks-deploy") || name.contains("eks-kubectl") {
        let cmd = get("KUBECTL_COMMAND").unwrap_or("apply");
        let action = cmd.split_whitespace().next().unwrap_or("apply");
        let action = if cmd.starts_with("set image") {
            "set-image"
        } else {
            action
        };
        let images: Vec<String> = cmd
            .split_whitespace()
            .filter_map(|w| w.split_once('=').map(|(_, i)| i.to_string()))
            .filter(|_| action == "set-image")
            .collect();
        let files = list("RESOURCE_PATH");
        let mut d = deploy("kubectl", action, images, files);
        d.namespace = get("NAMESPACE").map(str::to_string);
        return vec![Meaning::Deploy(d)];
    }
    if name.contains("ecs-deploy") {
        let mut d = deploy("aws-ecs", "update", Vec::new(), list("TASK_DEFINITION"));
        d.release = get("ECS_SERVICE_NAME").map(str::to_string);
        return vec![Meaning::Deploy(d)];
    }
    if name.contains("cloud-run-deploy") || name.contains("google-cloud-run") {
        let mut d = deploy("gcloud-run", "deploy", list("IMAGE"), Vec::new());
        d.release = get("SERVICE").map(str::to_string);
        return vec![Meaning::Deploy(d)];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::known::testing;
    use crate::parse::ci::{Meaning, TriggerKind};

    const YAML: &str = r#"image: node:20
definitions:
  services:
    db:
      image: postgres:16
pipelines:
  default:
    - step:
        name: Test
        services: [db, docker]
        script:
          - npm test
  branches:
    main:
      - parallel:
          - step:
              name: Build
              image: {name: docker:27}
              script:
                - docker build -t acme/app:$BITBUCKET_COMMIT .
                - pipe: atlassian/aws-ecr-push-image:2.4.0
                  variables:
                    IMAGE_NAME: acme/app
                    TAGS: "$BITBUCKET_COMMIT latest"
          - step: {name: Lint, script: [make lint]}
      - step:
          name: Deploy staging
          deployment: staging
          script:
            - pipe: atlassian/kubectl-run:3.1.0
              variables: {KUBECTL_COMMAND: apply, RESOURCE_PATH: k8s/}
      - step:
          name: Deploy prod
          deployment: production
          trigger: manual
          script: [helm upgrade app ./chart]
      - step: {name: After, script: [echo done]}
  tags:
    'v*':
      - stage:
          name: Release
          deployment: production
          steps:
            - step: {name: Ship, script: [make ship]}
  pull-requests:
    '**':
      - step: {name: PR, script: [make test]}
  custom:
    redeploy:
      - step: {name: Redeploy, script: [make deploy]}
"#;

    #[test]
    fn sections_steps_pipes_and_gates() {
        let (p, problems) = testing::parse(&[("bitbucket-pipelines.yml", YAML)]);
        assert!(problems.is_empty(), "{problems:?}");
        let p = &p[0];
        let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "default: Test",
                "branches.main: Build",
                "branches.main: Lint",
                "branches.main: Deploy staging",
                "branches.main: Deploy prod",
                "branches.main: After",
                "tags.v*: Ship",
                "pull-requests.**: PR",
                "custom.redeploy: Redeploy"
            ]
        );
        let k = |i: usize| p.jobs[i].triggers.as_ref().unwrap()[0].kind.clone();
        assert_eq!(
            (0..9).map(k).collect::<Vec<_>>(),
            [
                TriggerKind::Push,
                TriggerKind::Push,
                TriggerKind::Push,
                TriggerKind::Push,
                TriggerKind::Manual,
                TriggerKind::Manual,
                TriggerKind::Tag,
                TriggerKind::PullRequest,
                TriggerKind::Manual
            ]
        );
        assert_eq!(p.jobs[1].triggers.as_ref().unwrap()[0].branches, ["main"]);
        let test = &p.jobs[0];
        assert_eq!(test.container.as_ref().unwrap().image, "node:20");
        assert_eq!(test.services.len(), 1);
        assert_eq!(test.services[0].image, "postgres:16");
        assert_eq!(test.steps[0].line, 12);
        let build = &p.jobs[1];
        assert_eq!(build.container.as_ref().unwrap().image, "docker:27");
        assert_eq!(build.line, 16);
        match &build.steps[1].meanings[0].meaning {
            Meaning::ImagePush { images, .. } => {
                assert_eq!(images, &["acme/app:$BITBUCKET_COMMIT", "acme/app:latest"])
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(build.steps[1].line, 21);
        let staging = &p.jobs[3];
        assert_eq!(staging.environment.as_ref().unwrap().name, "staging");
        assert!(
            matches!(&staging.steps[0].meanings[0].meaning, Meaning::Deploy(d) if d.tool == "kubectl" && d.files == ["k8s/"])
        );
        assert_eq!(p.jobs[6].environment.as_ref().unwrap().name, "production");
    }

    #[test]
    fn bad_shapes() {
        for y in [
            "[]",
            "pipelines: 3",
            "pipelines: {default: 3, branches: [1]}",
            "pipelines: {default: [{step: 1}, {parallel: 2}, {stage: {steps: 3}}]}",
        ] {
            let _ = testing::parse(&[("bitbucket-pipelines.yml", y)]);
        }
        let (_, problems) = testing::parse(&[("bitbucket-pipelines.yml", "image: x\n")]);
        assert_eq!(problems.len(), 1);
    }
}
