use crate::parse::ci::known::testing;
use crate::parse::ci::{Meaning, StepBody, TriggerKind};

#[test]
fn drone_documents_plugins_and_promotions() {
    let yaml = r#"kind: pipeline
type: docker
name: build
trigger:
  event: [push, tag]
  branch: [main]
services:
  - name: db
    image: postgres:16
steps:
  - name: test
    image: python:3.12
    commands:
      - pip install -r requirements.txt
      - pytest
  - name: publish
    image: plugins/docker
    settings:
      repo: acme/app
      tags: [latest, "${DRONE_COMMIT_SHA:0:8}"]
      dockerfile: docker/Dockerfile
    depends_on: [test]
---
kind: pipeline
name: deploy
trigger:
  event: [promote]
  target: [staging]
steps:
  - name: helm
    image: pelotech/drone-helm3
    settings:
      mode: upgrade
      chart: ./chart
      release: app
      values: image.tag=${DRONE_COMMIT_SHA:0:8}
  - name: remote
    image: appleboy/drone-ssh
    settings:
      host: staging.acme.io
      script:
        - docker compose pull
        - docker compose up -d
---
kind: secret
name: token
"#;
    let (p, problems) = testing::parse(&[(".drone.yml", yaml)]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(p.len(), 2);
    let b = p.iter().find(|p| p.name == "build").unwrap();
    let t: Vec<(TriggerKind, Vec<String>)> = b
        .triggers
        .iter()
        .map(|t| (t.kind.clone(), t.branches.clone()))
        .collect();
    assert_eq!(
        t,
        [
            (TriggerKind::Push, vec!["main".to_string()]),
            (TriggerKind::Tag, vec![])
        ]
    );
    let test = &b.jobs[0];
    assert_eq!((test.id.as_str(), test.line), ("test", 11));
    assert_eq!(test.container.as_ref().unwrap().image, "python:3.12");
    assert_eq!(test.services[0].image, "postgres:16");
    assert_eq!(
        test.steps.iter().map(|s| s.line).collect::<Vec<_>>(),
        [14, 15]
    );
    let publish = &b.jobs[1];
    assert!(publish.container.is_none());
    assert_eq!(publish.needs, ["test"]);
    match &publish.steps[0].meanings[0].meaning {
        Meaning::ImageBuild(x) => {
            assert!(x.push);
            assert_eq!(
                x.tags,
                ["acme/app:latest", "acme/app:${DRONE_COMMIT_SHA:0:8}"]
            );
            assert_eq!(x.dockerfile.as_deref(), Some("docker/Dockerfile"));
        }
        other => panic!("{other:?}"),
    }
    let d = p.iter().find(|p| p.name == "deploy").unwrap();
    assert_eq!(d.triggers[0].kind, TriggerKind::Manual);
    assert_eq!(d.jobs[0].environment.as_ref().unwrap().name, "staging");
    assert!(
        matches!(&d.jobs[0].steps[0].meanings[0].meaning, Meaning::Deploy(x) if x.tool == "helm" && x.images == ["image.tag=${DRONE_COMMIT_SHA:0:8}"])
    );
    let remote = &d.jobs[1].steps[0];
    assert!(
        matches!(&remote.body, StepBody::Script(s) if s.starts_with("ssh staging.acme.io 'docker compose pull'"))
    );
    assert!(remote.meanings.iter().any(|m| matches!(&m.meaning, Meaning::Compose(c) if c.subcommand == "up" && c.remote.is_some())), "{:?}", remote.meanings);
}

#[test]
fn woodpecker_map_steps_and_when() {
    let yaml = r#"when:
  - event: push
    branch: main
  - event: pull_request
steps:
  build:
    image: woodpeckerci/plugin-docker-buildx
    settings:
      repo: ghcr.io/acme/app
      tags: ${CI_COMMIT_SHA}
      dry_run: true
  deploy:
    image: alpine/k8s:1.30
    commands: kubectl set image deploy/app app=ghcr.io/acme/app:${CI_COMMIT_SHA}
    when:
      event: deployment
      environment: qa
"#;
    let (p, problems) = testing::parse(&[(".woodpecker/ci.yml", yaml)]);
    assert!(problems.is_empty(), "{problems:?}");
    let p = &p[0];
    let k: Vec<TriggerKind> = p.triggers.iter().map(|t| t.kind.clone()).collect();
    assert_eq!(k, [TriggerKind::Push, TriggerKind::PullRequest]);
    assert!(
        matches!(&p.jobs[0].steps[0].meanings[0].meaning, Meaning::ImageBuild(b) if !b.push && b.tags == ["ghcr.io/acme/app:${CI_COMMIT_SHA}"])
    );
    let deploy = &p.jobs[1];
    assert_eq!(deploy.line, 12);
    assert_eq!(
        deploy.triggers.as_ref().unwrap()[0].kind,
        TriggerKind::Manual
    );
    assert_eq!(deploy.environment.as_ref().unwrap().name, "qa");
    assert_eq!(deploy.container.as_ref().unwrap().image, "alpine/k8s:1.30");
    for y in [
        "[]",
        "steps: 3",
        "steps: [1, {name: x, settings: 3}]",
        "when: 5\nsteps: {a: {when: [1]}}",
    ] {
        let _ = testing::parse(&[(".woodpecker.yml", y), (".drone.yml", y)]);
    }
}
