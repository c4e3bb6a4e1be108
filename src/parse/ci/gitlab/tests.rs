use super::super::common::testing::{builds, fixture, job, meanings, parse};
use super::super::{Pipeline, StepBody, TriggerKind};
use kubeready_shell::Meaning;

fn gl(files: &[(&str, &str)]) -> Vec<Pipeline> {
    let (p, problems) = parse(files);
    assert!(problems.is_empty(), "{problems:?}");
    p
}

fn kinds(p: &[Pipeline], id: &str) -> Vec<TriggerKind> {
    let j = job(p, id);
    let pl = p
        .iter()
        .find(|pl| pl.jobs.iter().any(|x| x.id == id))
        .unwrap();
    j.effective_triggers(pl)
        .iter()
        .map(|t| t.kind.clone())
        .collect()
}

fn scripts(p: &[Pipeline], id: &str) -> Vec<(String, u32, String)> {
    job(p, id)
        .steps
        .iter()
        .map(|s| match &s.body {
            StepBody::Script(t) => (s.file.clone(), s.line, t.clone()),
            b => panic!("{b:?}"),
        })
        .collect()
}

#[test]
fn jobs_defaults_and_reserved_keys() {
    let p = gl(&[(
        ".gitlab-ci.yml",
        concat!(
            "stages: [build]\n",
            "image: alpine:3\n",
            "services: [docker:dind]\n",
            "before_script:\n  - echo hi\n",
            "variables:\n  IMAGE: $CI_REGISTRY_IMAGE/api\n",
            ".hidden:\n  script: [echo]\n",
            "build:\n",
            "  stage: build\n",
            "  script:\n",
            "    - docker build -t $IMAGE:$CI_COMMIT_SHA .\n",
            "    - |\n",
            "      docker push $IMAGE:$CI_COMMIT_SHA\n",
            "test:\n",
            "  image:\n    name: $IMAGE:$CI_COMMIT_SHA\n    entrypoint: ['']\n",
            "  services:\n    - name: postgres:16\n      alias: db\n",
            "  inherit:\n    default: false\n",
            "  script: [pytest]\n",
        ),
    )]);
    let ids: Vec<_> = p[0].jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, vec!["build", "test"]);
    assert_eq!(
        p[0].triggers
            .iter()
            .map(|t| t.kind.clone())
            .collect::<Vec<_>>(),
        vec![TriggerKind::Push, TriggerKind::Tag]
    );
    let b = job(&p, "build");
    assert_eq!(b.container.as_ref().unwrap().image, "alpine:3");
    assert_eq!(b.services[0].image, "docker:dind");
    let s = scripts(&p, "build");
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].1, 5);
    assert_eq!(s[1].1, 13);
    assert_eq!(s[2].1, 15);
    let m = meanings(b);
    assert_eq!(m[0].1, 13);
    match &m[0].2 {
        Meaning::ImageBuild(b) => assert_eq!(b.tags, vec!["$CI_REGISTRY_IMAGE/api:$CI_COMMIT_SHA"]),
        m => panic!("{m:?}"),
    }
    assert_eq!(m[1].1, 15);
    assert!(matches!(&m[1].2, Meaning::ImagePush { .. }));
    let t = job(&p, "test");
    assert_eq!(
        t.container.as_ref().unwrap().image,
        "$CI_REGISTRY_IMAGE/api:$CI_COMMIT_SHA"
    );
    assert_eq!(t.container.as_ref().unwrap().line, 18);
    assert_eq!(t.services[0].image, "postgres:16");
    assert_eq!(scripts(&p, "test").len(), 1);
}

#[test]
fn extends_deep_merge_and_cycles() {
    let (p, problems) = parse(&[(
        ".gitlab-ci.yml",
        concat!(
            ".base:\n  image: docker:27\n  variables:\n    A: '1'\n  environment:\n    name: review\n    url: x\n",
            ".push:\n  extends: .base\n  after_script: [docker push a]\n",
            "deploy:\n  extends: [.push]\n  environment:\n    url: y\n  script: [kubectl apply -f k8s]\n",
            "loop1:\n  extends: loop2\n  script: [a]\n",
            "loop2:\n  extends: loop1\n  script: [b]\n",
        ),
    )]);
    let d = job(&p, "deploy");
    assert_eq!(d.container.as_ref().unwrap().image, "docker:27");
    assert_eq!(d.environment.as_ref().unwrap().name, "review");
    assert_eq!(d.steps.len(), 2);
    assert!(
        problems.iter().any(|x| x.message.contains("loops")),
        "{problems:?}"
    );
    assert!(p[0].jobs.iter().any(|j| j.id == "loop1"));
}

#[test]
fn include_local_in_every_shape() {
    let p = gl(&[
        (
            ".gitlab-ci.yml",
            concat!(
                "include:\n",
                "  - local: ci/build.yml\n",
                "  - ci/deploy.yml\n",
                "  - '/ci/templates/*.yml'\n",
                "  - project: acme/ci\n    file: docker.yml\n",
                "  - template: Security/SAST.gitlab-ci.yml\n",
                "test:\n  extends: .tpl\n  script: [make test]\n",
            ),
        ),
        (
            "ci/build.yml",
            "include: {local: ci/nested.yml}\nbuild:\n  script:\n    - docker build -t app .\n",
        ),
        ("ci/nested.yml", "nested:\n  script: [echo nested]\n"),
        (
            "ci/deploy.yml",
            "deploy:\n  script: [helm upgrade --install app chart]\n",
        ),
        ("ci/templates/t.yml", ".tpl:\n  image: python:3.12\n"),
    ]);
    let b = job(&p, "build");
    assert_eq!(b.file, "ci/build.yml");
    assert_eq!(b.line, 2);
    let m = meanings(b);
    assert_eq!((m[0].0.as_str(), m[0].1), ("ci/build.yml", 4));
    assert_eq!(job(&p, "nested").file, "ci/nested.yml");
    assert_eq!(job(&p, "deploy").file, "ci/deploy.yml");
    assert_eq!(
        job(&p, "test").container.as_ref().unwrap().image,
        "python:3.12"
    );
    // Remote includes are recorded as calls; one that shows an image build counts.
    let r = job(&p, "include:project acme/ci:docker.yml");
    assert_eq!(r.calls.as_ref().unwrap().target, "acme/ci:docker.yml");
    assert!(builds(r)[0].push);
    let s = job(&p, "include:template Security/SAST.gitlab-ci.yml");
    assert!(builds(s).is_empty());
}

#[test]
fn references_resolve_across_files() {
    let p = gl(&[
        (
            ".gitlab-ci.yml",
            concat!(
                "include: ci/setup.yml\n",
                "build:\n",
                "  script:\n",
                "    - !reference [.setup, script]\n",
                "    - docker build -t app .\n",
                "  rules:\n    - !reference [.rules, rules]\n",
            ),
        ),
        (
            "ci/setup.yml",
            ".setup:\n  script:\n    - docker login -u x -p y registry.example.com\n.rules:\n  rules:\n    - if: $CI_COMMIT_TAG\n",
        ),
    ]);
    let s = scripts(&p, "build");
    assert_eq!(s[0].0, "ci/setup.yml");
    assert_eq!(s[0].1, 3);
    assert_eq!(s[1].0, ".gitlab-ci.yml");
    assert_eq!(kinds(&p, "build"), vec![TriggerKind::Tag]);
}

#[test]
fn rules_only_except_and_when() {
    let p = gl(&[(
        ".gitlab-ci.yml",
        concat!(
            "main:\n  script: [a]\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
            "named:\n  script: [a]\n  rules:\n    - if: '$CI_COMMIT_BRANCH == \"main\"'\n",
            "tag:\n  script: [a]\n  rules:\n    - if: $CI_COMMIT_TAG\n",
            "mr:\n  script: [a]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n",
            "nightly:\n  script: [a]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n",
            "manual:\n  script: [a]\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n      when: manual\n",
            "never:\n  script: [a]\n  rules:\n    - if: $CI_COMMIT_TAG\n      when: never\n    - when: on_success\n",
            "only_tags:\n  script: [a]\n  only: [tags]\n",
            "only_mr:\n  script: [a]\n  only:\n    refs: [merge_requests]\n",
            "only_main:\n  script: [a]\n  only: [main]\n  except: [tags]\n",
            "except_branches:\n  script: [a]\n  except: [branches]\n",
            "when_manual:\n  script: [a]\n  when: manual\n",
            "plain:\n  script: [a]\n",
        ),
    )]);
    use TriggerKind::*;
    assert_eq!(kinds(&p, "main"), vec![Push]);
    assert_eq!(
        job(&p, "main").triggers.as_ref().unwrap()[0].branches,
        vec!["$CI_DEFAULT_BRANCH"]
    );
    assert_eq!(kinds(&p, "named"), vec![Push]);
    assert_eq!(kinds(&p, "tag"), vec![Tag]);
    assert_eq!(kinds(&p, "mr"), vec![PullRequest]);
    assert_eq!(kinds(&p, "nightly"), vec![Schedule]);
    assert_eq!(kinds(&p, "manual"), vec![Manual]);
    assert_eq!(kinds(&p, "never"), vec![Push]);
    assert_eq!(kinds(&p, "only_tags"), vec![Tag]);
    assert_eq!(kinds(&p, "only_mr"), vec![PullRequest]);
    assert_eq!(kinds(&p, "only_main"), vec![Push]);
    assert_eq!(
        job(&p, "only_main").triggers.as_ref().unwrap()[0].branches,
        vec!["main"]
    );
    assert_eq!(kinds(&p, "except_branches"), vec![Tag]);
    assert_eq!(kinds(&p, "when_manual"), vec![Manual]);
    assert_eq!(
        job(&p, "when_manual").triggers.as_ref().unwrap()[0].line,
        48
    );
    assert_eq!(job(&p, "plain").triggers, None);
    assert_eq!(kinds(&p, "plain"), vec![Push, Tag]);
}

#[test]
fn workflow_rules_narrow_the_pipeline() {
    let p = gl(&[(
        ".gitlab-ci.yml",
        concat!(
            "workflow:\n  rules:\n",
            "    - if: $CI_PIPELINE_SOURCE == 'merge_request_event'\n",
            "    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS\n      when: never\n",
            "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
            "build:\n  script: [a]\n",
            "tagged:\n  script: [a]\n  rules:\n    - if: $CI_COMMIT_TAG\n",
        ),
    )]);
    use TriggerKind::*;
    assert_eq!(kinds(&p, "build"), vec![PullRequest]);
    assert!(kinds(&p, "tagged").is_empty());
}

#[test]
fn environment_needs_and_cd() {
    let p = gl(&[
        (
            ".gitlab-ci.yml",
            concat!(
                "build:\n  script:\n    - cd store\n    - docker build -t s .\n",
                "deploy_staging:\n",
                "  needs: [build, {job: lint, artifacts: false}]\n",
                "  environment:\n    name: staging\n    url: https://staging\n",
                "  script: [./deploy.sh]\n",
                "stop:\n  environment:\n    name: staging\n    action: stop\n  script: [a]\n",
                "prod:\n  environment: production\n  script: [a]\n",
            ),
        ),
        ("deploy.sh", "kubectl apply -f k8s/\n"),
    ]);
    let b = job(&p, "build");
    assert_eq!(b.steps[1].workdir, "store");
    assert_eq!(builds(b)[0].context.as_deref(), Some("."));
    let d = job(&p, "deploy_staging");
    assert_eq!(d.needs, vec!["build", "lint"]);
    assert_eq!(d.environment.as_ref().unwrap().name, "staging");
    let m = meanings(d);
    assert_eq!((m[0].0.as_str(), m[0].1), ("deploy.sh", 1));
    assert!(job(&p, "stop").environment.is_none());
    assert_eq!(
        job(&p, "prod").environment.as_ref().unwrap().name,
        "production"
    );
}

#[test]
fn child_pipeline_is_inlined() {
    let p = gl(&[
        (
            ".gitlab-ci.yml",
            "images:\n  trigger:\n    include: ci/images.yml\n  rules:\n    - if: $CI_COMMIT_TAG\n",
        ),
        (
            "ci/images.yml",
            "api:\n  script: [docker build -t api --push .]\n",
        ),
    ]);
    let c = job(&p, "images / api");
    assert_eq!(c.file, "ci/images.yml");
    assert_eq!(kinds(&p, "images / api"), vec![TriggerKind::Tag]);
    assert!(builds(c)[0].push || meanings(c).len() == 1);
}

#[test]
fn problems_for_duplicates_and_syntax() {
    let (_, problems) = parse(&[(".gitlab-ci.yml", "a:\n  script: [x]\na:\n  script: [y]\n")]);
    assert!(problems
        .iter()
        .any(|p| p.message.contains("duplicate") && p.line == 3));
    let (p, problems) = parse(&[(".gitlab-ci.yml", "a: [\n")]);
    assert!(p.is_empty());
    assert_eq!(problems.len(), 1);
    let (p, _) = parse(&[(".gitlab-ci.yml", "- a\n- b\n")]);
    assert!(p.is_empty());
}

#[test]
fn fixture_ci_push() {
    let (p, problems) = fixture("ci-push");
    assert!(problems.is_empty(), "{problems:?}");
    let ids: Vec<_> = p[0].jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, vec!["build-store", "build-billing", "unit"]);
    let b = job(&p, "build-store");
    assert_eq!(b.container.as_ref().unwrap().image, "docker:27");
    assert_eq!(b.services[0].image, "docker:27-dind");
    assert_eq!(kinds(&p, "build-store"), vec![TriggerKind::Push]);
    let m = meanings(b);
    assert!(matches!(&m[0].2, Meaning::RegistryLogin { .. }));
    assert_eq!(m[0].1, 13);
    match &m[1].2 {
        Meaning::ImageBuild(x) => {
            assert_eq!(x.context.as_deref(), Some("store"));
            assert_eq!(m[1].1, 19);
        }
        m => panic!("{m:?}"),
    }
    assert!(matches!(&m[2].2, Meaning::ImagePush { .. }));
    let u = job(&p, "unit");
    assert_eq!(u.container.as_ref().unwrap().image, "ruby:3.3.1");
    assert!(u.services.is_empty());
}

#[test]
fn parallel_matrix_is_one_job_per_combination() {
    let p = gl(&[(
        ".gitlab-ci.yml",
        concat!(
            "build:\n",
            "  image: docker:27\n",
            "  parallel:\n",
            "    matrix:\n",
            "      - SERVICE: [api, web]\n",
            "        ARCH: amd64\n",
            "      - SERVICE: worker\n",
            "  script:\n",
            "    - docker build -t $CI_REGISTRY_IMAGE/$SERVICE:$CI_COMMIT_SHA services/$SERVICE\n",
            "    - docker push $CI_REGISTRY_IMAGE/$SERVICE:$CI_COMMIT_SHA\n",
        ),
    )]);
    let ids: Vec<&str> = p[0].jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "build: [api, amd64]",
            "build: [web, amd64]",
            "build: [worker]"
        ]
    );
    let b = builds(job(&p, "build: [web, amd64]"));
    assert_eq!(b[0].context.as_deref(), Some("services/web"));
    assert_eq!(b[0].tags, ["$CI_REGISTRY_IMAGE/web:$CI_COMMIT_SHA"]);
}

#[test]
fn huge_parallel_matrix_is_capped() {
    let values: Vec<String> = (0..30).map(|i| format!("v{i}")).collect();
    let yaml = format!(
        "build:\n  parallel:\n    matrix:\n      - A: [{0}]\n        B: [{0}]\n  script: [echo]\n",
        values.join(", ")
    );
    let (p, problems) = parse(&[(".gitlab-ci.yml", yaml.as_str())]);
    assert_eq!(p[0].jobs.len(), crate::parse::ci::common::MAX_COMBINATIONS);
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn goreleaser_in_scripts_and_in_its_image() {
    let goreleaser = concat!(
        "version: 2\n",
        "kos:\n",
        "  - repository: ghcr.io/acme/cli\n",
        "    tags: ['{{ .Version }}']\n",
        "    working_dir: cmd/cli\n",
        "dockers:\n",
        "  - image_templates: ['ghcr.io/acme/server:{{ .Version }}']\n",
        "    dockerfile: build/server.Dockerfile\n",
    );
    let p = gl(&[
        (
            ".gitlab-ci.yml",
            concat!(
                "release:\n",
                "  rules: [{if: $CI_COMMIT_TAG}]\n",
                "  script: [./scripts/release.sh]\n",
                "in-image:\n",
                "  rules: [{if: $CI_COMMIT_TAG}]\n",
                "  script:\n",
                "    - docker run --rm -v $PWD:/src -w /src goreleaser/goreleaser:v2 release --clean\n",
                "snapshot:\n",
                "  script: [goreleaser release --snapshot --clean]\n",
            ),
        ),
        ("scripts/release.sh", "#!/bin/sh\nset -e\ngoreleaser release --clean\n"),
        (".goreleaser.yaml", goreleaser),
    ]);
    let summary = |id: &str| -> Vec<(String, Option<String>, bool)> {
        builds(job(&p, id))
            .iter()
            .map(|b| (b.tool.clone(), b.context.clone(), b.push))
            .collect()
    };
    let pushed = vec![
        ("ko".to_string(), Some("cmd/cli".to_string()), true),
        ("goreleaser".to_string(), Some(".".to_string()), true),
    ];
    let mut got = summary("release");
    got.sort();
    let mut want = pushed.clone();
    want.sort();
    assert_eq!(got, want);
    let mut got = summary("in-image");
    got.sort();
    assert_eq!(got, want);
    assert!(summary("snapshot").iter().all(|(_, _, push)| !push));
    let rel = builds(job(&p, "release"));
    assert!(rel
        .iter()
        .any(|b| b.dockerfile.as_deref() == Some("build/server.Dockerfile")));
}
