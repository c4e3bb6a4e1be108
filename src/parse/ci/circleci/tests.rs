use crate::parse::ci::known::testing;
use crate::parse::ci::{Meaning, Pipeline, StepBody, TriggerKind};

fn one(yaml: &str) -> Pipeline {
    let (mut p, problems) = testing::parse(&[(".circleci/config.yml", yaml)]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(p.len(), 1);
    p.remove(0)
}

fn kinds(p: &Pipeline, id: &str) -> Vec<TriggerKind> {
    let j = p.jobs.iter().find(|j| j.id == id).unwrap();
    j.effective_triggers(p)
        .iter()
        .map(|t| t.kind.clone())
        .collect()
}

#[test]
fn fixture_manual_deploy() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/manual-deploy/.circleci/config.yml"
    ))
    .unwrap();
    let p = one(&text);
    let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["image", "smoke", "deploy-staging"]);
    let image = &p.jobs[0];
    let t = image.triggers.as_ref().unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].kind, TriggerKind::Push);
    assert_eq!(t[0].branches, ["main"]);
    assert_eq!(image.line, 4);
    assert_eq!(image.container.as_ref().unwrap().image, "cimg/base:2024.06");
    let run = image
        .steps
        .iter()
        .find(|s| s.name.as_deref() == Some("Build and push"))
        .unwrap();
    assert_eq!(run.line, 13, "a block scalar's text starts after `|`");
    assert!(matches!(&run.body, StepBody::Script(s) if s.contains("docker push")));
    // smoke requires image: it runs when image does (on main).
    assert_eq!(p.jobs[1].triggers.as_ref().unwrap()[0].branches, ["main"]);
    assert_eq!(kinds(&p, "deploy-staging"), [TriggerKind::Manual]);
    assert_eq!(p.jobs[2].needs, ["hold"]);
    assert_eq!(p.jobs[2].steps[0].line, 26);
    // With the shell classifier: build + push in `image`, run in `smoke`,
    // helm in `deploy-staging`, each at its script line.
    let m = |i: usize| -> Vec<(u32, &Meaning)> {
        p.jobs[i].meanings().map(|m| (m.line, &m.meaning)).collect()
    };
    assert!(m(0).iter().any(|(l, x)| *l == 14
        && matches!(x, Meaning::ImageBuild(b) if b.tags == ["acme/ledger:$CIRCLE_SHA1"])));
    assert!(m(0)
        .iter()
        .any(|(l, x)| *l == 15 && matches!(x, Meaning::ImagePush { .. })));
    assert!(m(1)
        .iter()
        .any(|(_, x)| matches!(x, Meaning::ImageRun { .. })));
    assert!(m(2)
        .iter()
        .any(|(l, x)| *l == 26 && matches!(x, Meaning::Deploy(d) if d.tool == "helm")));
}

#[test]
fn orbs_executors_services_and_commands() {
    let p = one(r#"
version: 2.1
orbs:
  docker: circleci/docker@2.4.0
  ecr: circleci/aws-ecr@9.0
  k8s: circleci/kubernetes@1.3
  helm: circleci/helm@3.0
executors:
  db:
    docker:
      - image: cimg/python:3.12
      - image: postgres:16
commands:
  build-it:
    parameters:
      dir: {type: string, default: api}
    steps:
      - run:
          command: docker build -t acme/<< parameters.dir >> .
          working_directory: ~/project/<< parameters.dir >>
jobs:
  test:
    executor: db
    steps:
      - checkout
      - build-it
      - docker/build:
          image: acme/api
          tag: $CIRCLE_SHA1,latest
      - docker/push:
          image: acme/api
          tag: $CIRCLE_SHA1
  deploy:
    machine: true
    steps:
      - k8s/create-or-update-resource:
          resource-file-path: k8s/app.yaml
      - helm/upgrade-helm-chart:
          chart: ./chart
          release-name: app
          values-to-override: image.tag=$CIRCLE_SHA1,replicas=2
workflows:
  main:
    jobs:
      - test
      - ecr/build-and-push-image:
          repo: api
          tag: $CIRCLE_SHA1
          filters: {branches: {ignore: /.*/}, tags: {only: /^v.*/}}
      - deploy:
          name: deploy-qa
          requires: [test]
  nightly:
    triggers:
      - schedule: {cron: "0 0 * * *", filters: {branches: {only: [main]}}}
    jobs: [test]
"#);
    let test = p.jobs.iter().find(|j| j.id == "test").unwrap();
    assert_eq!(test.container.as_ref().unwrap().image, "cimg/python:3.12");
    assert_eq!(test.services[0].image, "postgres:16");
    let built = &test.steps[1];
    assert_eq!(built.workdir, "api");
    assert!(matches!(&built.body, StepBody::Script(s) if s == "docker build -t acme/api ."));
    match &built.meanings[..] {
        [m] => assert!(matches!(&m.meaning, Meaning::ImageBuild(b) if b.tags == ["acme/api"])),
        other => panic!("{other:?}"),
    }
    let m: Vec<&Meaning> = test.steps[2..]
        .iter()
        .flat_map(|s| &s.meanings)
        .map(|m| &m.meaning)
        .collect();
    match m.as_slice() {
        [Meaning::ImageBuild(b), Meaning::ImagePush { images, .. }] => {
            assert_eq!(b.tags, ["acme/api:$CIRCLE_SHA1", "acme/api:latest"]);
            assert!(!b.push);
            assert_eq!(b.dockerfile.as_deref(), Some("Dockerfile"));
            assert_eq!(images, &["acme/api:$CIRCLE_SHA1"]);
        }
        other => panic!("{other:?}"),
    }
    // Push from `main`, plus the nightly schedule.
    assert_eq!(
        kinds(&p, "test"),
        [TriggerKind::Push, TriggerKind::Schedule]
    );
    let ecr = p
        .jobs
        .iter()
        .find(|j| j.id == "ecr/build-and-push-image")
        .unwrap();
    assert_eq!(kinds(&p, "ecr/build-and-push-image"), [TriggerKind::Tag]);
    match &ecr.steps[0].meanings[0].meaning {
        Meaning::ImageBuild(b) => {
            assert!(b.push);
            assert_eq!(b.tags, ["api:$CIRCLE_SHA1"]);
        }
        other => panic!("{other:?}"),
    }
    let qa = p.jobs.iter().find(|j| j.id == "deploy-qa").unwrap();
    assert!(qa.container.is_none());
    let d: Vec<&Meaning> = qa.meanings().map(|m| &m.meaning).collect();
    match d.as_slice() {
        [Meaning::Deploy(k), Meaning::Deploy(h)] => {
            assert_eq!(
                (k.tool.as_str(), k.files.as_slice()),
                ("kubectl", &["k8s/app.yaml".to_string()][..])
            );
            assert_eq!(h.tool, "helm");
            assert_eq!(h.images, ["image.tag=$CIRCLE_SHA1"]);
            assert_eq!(h.release.as_deref(), Some("app"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(kinds(&p, "deploy-qa"), [TriggerKind::Push]);
}

#[test]
fn without_workflows_every_job_runs_on_push() {
    let p = one("version: 2\njobs:\n  build:\n    docker: [{image: node:20}]\n    steps: [checkout, {run: npm test}]\n");
    assert_eq!(p.jobs.len(), 1);
    assert!(p.jobs[0].triggers.is_none());
    assert_eq!(p.triggers[0].kind, TriggerKind::Push);
    assert_eq!(p.jobs[0].steps.len(), 2);
    assert_eq!(p.jobs[0].steps[1].line, 5);
}

#[test]
fn wrong_shapes_never_panic() {
    for y in [
        "[]",
        "jobs: 3",
        "workflows: {a: {jobs: [{x: 1}, 2, {y: {requires: 3}}]}}",
        "jobs: {a: {steps: [{run: {}}, {run: [1]}]}}",
        "workflows: {w: {jobs: [{a: {requires: [a]}}]}}\njobs: {a: {steps: []}}",
    ] {
        let (_p, _problems) = testing::parse(&[(".circleci/config.yml", y)]);
    }
    let (_, problems) =
        testing::parse(&[(".circleci/config.yml", "workflows: {w: {jobs: [missing]}}")]);
    assert_eq!(problems.len(), 1);
}

/// The repo-relative folder of each step that runs a script, by job.
fn workdirs(p: &Pipeline, id: &str) -> Vec<String> {
    let j = p.jobs.iter().find(|j| j.id == id).unwrap();
    j.steps
        .iter()
        .filter(|s| matches!(s.body, StepBody::Script(_)))
        .map(|s| s.workdir.clone())
        .collect()
}

#[test]
fn job_working_directory_is_the_checkout_root() {
    let p = one(r#"
version: 2.1
jobs:
  tilde:
    docker: [{image: cimg/base:2024.06}]
    working_directory: ~/repo
    steps:
      - checkout
      - run: docker build .
      - run: {command: docker build ., working_directory: api}
      - run: {command: docker build ., working_directory: ~/repo/web/}
      - run: {command: docker build ., working_directory: $CIRCLE_WORKING_DIRECTORY/cli}
      - run: {command: docker build ., working_directory: /tmp/elsewhere}
      - run: {command: docker build ., working_directory: ../up}
  absolute:
    docker: [{image: cimg/base:2024.06}]
    working_directory: /home/circleci/project
    steps:
      - checkout
      - run: docker build .
      - run: {command: docker build ., working_directory: ~/project/api}
  variable:
    docker: [{image: cimg/base:2024.06}]
    working_directory: $CIRCLE_WORKING_DIRECTORY
    steps:
      - run: docker build .
  default:
    docker: [{image: cimg/base:2024.06}]
    steps:
      - run: {command: docker build ., working_directory: ~/project/api}
  below:
    docker: [{image: cimg/base:2024.06}]
    working_directory: ~/project/services/api
    steps:
      - checkout: {path: ~/project}
      - run: docker build .
      - run: {command: docker build ., working_directory: ..}
  attached:
    docker: [{image: cimg/base:2024.06}]
    working_directory: ~/project/api
    steps:
      - attach_workspace: {at: ~/project}
      - run: docker build .
workflows:
  main:
    jobs: [tilde, absolute, variable, default, below, attached]
"#);
    assert_eq!(workdirs(&p, "attached"), ["api"]);
    assert_eq!(workdirs(&p, "tilde"), ["", "api", "web", "cli", "", ""]);
    assert_eq!(workdirs(&p, "absolute"), ["", "api"]);
    assert_eq!(workdirs(&p, "variable"), [""]);
    assert_eq!(workdirs(&p, "default"), ["api"]);
    assert_eq!(workdirs(&p, "below"), ["services/api", "services"]);
}

#[test]
fn matrix_parameters_expand_to_one_job_each() {
    let p = one(r#"
version: 2.1
jobs:
  image:
    parameters:
      service: {type: string}
      arch: {type: string, default: amd64}
    docker: [{image: cimg/base:2024.06}]
    steps:
      - checkout
      - setup_remote_docker
      - run: |
          docker build -t acme/<< parameters.service >>:$CIRCLE_SHA1-<< parameters.arch >> services/<< parameters.service >>
          docker push acme/<< parameters.service >>:$CIRCLE_SHA1-<< parameters.arch >>
workflows:
  main:
    jobs:
      - image:
          matrix:
            parameters:
              service: [api, web]
              arch: [amd64, arm64]
            exclude:
              - {service: web, arch: arm64}
"#);
    let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        ["image-api-amd64", "image-api-arm64", "image-web-amd64"]
    );
    let j = p.jobs.iter().find(|j| j.id == "image-api-arm64").unwrap();
    let b: Vec<_> = j
        .meanings()
        .filter_map(|m| match &m.meaning {
            Meaning::ImageBuild(b) => Some(b),
            _ => None,
        })
        .collect();
    assert_eq!(b[0].context.as_deref(), Some("services/api"));
    assert_eq!(b[0].tags, ["acme/api:$CIRCLE_SHA1-arm64"]);
}
