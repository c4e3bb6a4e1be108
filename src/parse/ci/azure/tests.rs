use crate::parse::ci::known::testing;
use crate::parse::ci::{Job, Meaning, Pipeline, StepBody, TriggerKind};

fn parse(files: &[(&str, &str)]) -> Vec<Pipeline> {
    let (p, problems) = testing::parse(files);
    assert!(problems.is_empty(), "{problems:?}");
    p
}

fn job<'a>(p: &'a Pipeline, id: &str) -> &'a Job {
    p.jobs.iter().find(|j| j.id == id).unwrap()
}

fn kinds(p: &Pipeline, j: &Job) -> Vec<TriggerKind> {
    j.effective_triggers(p)
        .iter()
        .map(|t| t.kind.clone())
        .collect()
}

const PIPELINE: &str = r#"trigger:
  branches:
    include: [refs/heads/main]
  tags:
    include: ['v*']
pr: none
schedules:
  - cron: "0 3 * * *"
    branches: {include: [main]}
resources:
  containers:
    - container: builder
      image: mcr.microsoft.com/dotnet/sdk:8.0
    - container: pg
      image: postgres:16
stages:
  - stage: Build
    jobs:
      - job: image
        displayName: Build image
        container: builder
        services:
          db: pg
        steps:
          - checkout: self
          - script: |
              docker build -t acme/api:$(Build.BuildId) api
            displayName: Build
          - task: Docker@2
            inputs:
              command: buildAndPush
              repository: acme/web
              Dockerfile: $(Build.SourcesDirectory)/web/Dockerfile
              tags: |
                $(Build.BuildId)
                latest
          - template: templates/test-steps.yml
  - stage: Staging
    condition: and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))
    jobs:
      - deployment: deploy
        environment: staging.acme-ns
        strategy:
          runOnce:
            deploy:
              steps:
                - task: KubernetesManifest@1
                  inputs:
                    action: deploy
                    manifests: |
                      k8s/deployment.yaml
                    containers: acme/web:$(Build.BuildId)
                - task: HelmDeploy@0
                  inputs:
                    command: upgrade
                    chartPath: chart
                    releaseName: web
                    overrideValues: image.tag=$(Build.BuildId),replicas=1
  - template: templates/prod.yml
"#;

#[test]
fn stages_jobs_tasks_templates_and_triggers() {
    let files = [
        ("azure-pipelines.yml", PIPELINE),
        (
            "templates/test-steps.yml",
            "steps:\n  - bash: docker run --rm acme/api:$(Build.BuildId) pytest\n    workingDirectory: $(Build.SourcesDirectory)/api\n",
        ),
        (
            "templates/prod.yml",
            "stages:\n  - stage: Prod\n    jobs:\n      - deployment: prod\n        environment: {name: production}\n        strategy: {runOnce: {deploy: {steps: [{task: AzureContainerApps@1, inputs: {containerAppName: web, imageToDeploy: acme/web:1}}]}}}\n",
        ),
    ];
    let p = parse(&files);
    assert_eq!(p.len(), 1);
    let p = &p[0];
    let t: Vec<(TriggerKind, Vec<String>)> = p
        .triggers
        .iter()
        .map(|t| (t.kind.clone(), t.branches.clone()))
        .collect();
    assert_eq!(
        t,
        [
            (TriggerKind::Push, vec!["main".to_string()]),
            (TriggerKind::Tag, vec!["v*".to_string()]),
            (TriggerKind::Schedule, vec!["main".to_string()]),
        ]
    );
    let image = job(p, "image");
    assert_eq!(image.name, "Build image");
    assert_eq!(image.line, 19);
    assert_eq!(
        image.container.as_ref().unwrap().image,
        "mcr.microsoft.com/dotnet/sdk:8.0"
    );
    assert_eq!(image.services[0].image, "postgres:16");
    assert!(image.triggers.is_none());
    let script = &image.steps[1];
    assert_eq!(script.line, 27);
    assert!(matches!(&script.body, StepBody::Script(s) if s.starts_with("docker build")));
    match &image.steps[2].meanings[0].meaning {
        Meaning::ImageBuild(b) => {
            assert!(b.push);
            assert_eq!(b.tags, ["acme/web:$(Build.BuildId)", "acme/web:latest"]);
            assert_eq!(b.dockerfile.as_deref(), Some("web/Dockerfile"));
            assert_eq!(b.context.as_deref(), Some("web"));
        }
        other => panic!("{other:?}"),
    }
    let tmpl = &image.steps[3];
    assert_eq!(
        (tmpl.file.as_str(), tmpl.line, tmpl.workdir.as_str()),
        ("templates/test-steps.yml", 2, "api")
    );

    let deploy = job(p, "deploy");
    assert_eq!(deploy.environment.as_ref().unwrap().name, "staging");
    let t = deploy.triggers.as_ref().unwrap();
    assert_eq!(
        (t[0].kind.clone(), t[0].branches.clone()),
        (TriggerKind::Push, vec!["main".to_string()])
    );
    let m: Vec<&Meaning> = deploy.meanings().map(|m| &m.meaning).collect();
    match m.as_slice() {
        [Meaning::Deploy(k), Meaning::Deploy(h)] => {
            assert_eq!(k.images, ["acme/web:$(Build.BuildId)"]);
            assert_eq!(k.files, ["k8s/deployment.yaml"]);
            assert_eq!(
                (h.tool.as_str(), h.images.as_slice()),
                ("helm", &["image.tag=$(Build.BuildId)".to_string()][..])
            );
        }
        other => panic!("{other:?}"),
    }
    let prod = job(p, "prod");
    assert_eq!(prod.file, "templates/prod.yml");
    assert_eq!(prod.environment.as_ref().unwrap().name, "production");
    assert!(
        matches!(&prod.steps[0].meanings[0].meaning, Meaning::Deploy(d) if d.tool == "az-containerapp")
    );
}

#[test]
fn flat_pipelines_defaults_and_manual() {
    let p = parse(&[(
        "azure-pipelines.yml",
        "pool: {vmImage: ubuntu-latest}\nsteps:\n  - task: Docker@2\n    inputs: {command: build, repository: acme/app}\n  - task: Docker@2\n    inputs: {command: push, repository: acme/app}\n",
    )]);
    let p = &p[0];
    assert_eq!(
        kinds(p, &p.jobs[0]),
        [TriggerKind::Push, TriggerKind::PullRequest]
    );
    let m: Vec<&Meaning> = p.jobs[0].meanings().map(|m| &m.meaning).collect();
    assert!(
        matches!(m[0], Meaning::ImageBuild(b) if !b.push && b.tags == ["acme/app:$(Build.BuildId)"] && b.dockerfile.is_none())
    );
    assert!(
        matches!(m[1], Meaning::ImagePush { images, .. } if images == &["acme/app:$(Build.BuildId)"])
    );

    let p = parse(&[(
        "azure-pipelines.yml",
        "trigger: none\njobs:\n  - deployment: ship\n    environment: qa\n    strategy: {runOnce: {deploy: {steps: [{script: kubectl apply -f k8s/}]}}}\n",
    )]);
    let p = &p[0];
    assert_eq!(kinds(p, &p.jobs[0]), [TriggerKind::Manual]);
    assert_eq!(p.jobs[0].steps[0].line, 5);
}

#[test]
fn reusable_templates_and_bad_shapes() {
    let (p, problems) = testing::parse(&[
        (
            ".azure-pipelines/build.yml",
            "parameters:\n  - name: x\nsteps:\n  - script: make\n",
        ),
        (
            "azure-pipelines.yml",
            "steps:\n  - template: nope.yml\n  - template: x.yml@other\n  - 3\n  - task: 7\n",
        ),
    ]);
    assert_eq!(p.len(), 2);
    assert!(p[0].reusable);
    assert_eq!(problems.len(), 1, "{problems:?}");
    for y in [
        "[]",
        "stages: 3",
        "jobs: [{job: {}}, {deployment: x, strategy: 1}]",
        "steps: {a: 1}",
        "extends: {template: azure-pipelines.yml}",
    ] {
        let _ = testing::parse(&[("azure-pipelines.yml", y)]);
    }
}

#[test]
fn template_parameters_and_each_are_resolved() {
    let p = parse(&[
        (
            "azure-pipelines.yml",
            concat!(
                "trigger: [main]\n",
                "parameters:\n",
                "  - name: tag\n    default: $(Build.BuildId)\n",
                "jobs:\n",
                "  - job: images\n",
                "    steps:\n",
                "      - template: ci/build.yml\n",
                "        parameters:\n",
                "          services: [api, web]\n",
                "          tag: ${{ parameters.tag }}\n",
            ),
        ),
        (
            "ci/build.yml",
            concat!(
                "parameters:\n",
                "  - name: services\n    type: object\n    default: []\n",
                "  - name: tag\n    default: latest\n",
                "  - name: registry\n    default: acme.azurecr.io\n",
                "steps:\n",
                "  - ${{ each svc in parameters.services }}:\n",
                "    - task: Docker@2\n",
                "      inputs:\n",
                "        command: buildAndPush\n",
                "        repository: ${{ svc }}\n",
                "        containerRegistry: acr\n",
                "        Dockerfile: services/${{ svc }}/Dockerfile\n",
                "        buildContext: services/${{ svc }}\n",
                "        tags: ${{ parameters.tag }}\n",
            ),
        ),
    ]);
    let pl = p.iter().find(|x| x.file == "azure-pipelines.yml").unwrap();
    let b: Vec<_> = job(pl, "images")
        .meanings()
        .filter_map(|m| match &m.meaning {
            Meaning::ImageBuild(b) => Some(b),
            _ => None,
        })
        .collect();
    let got: Vec<(Option<&str>, Option<&str>)> = b
        .iter()
        .map(|b| (b.dockerfile.as_deref(), b.context.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Some("services/api/Dockerfile"), Some("services/api")),
            (Some("services/web/Dockerfile"), Some("services/web")),
        ]
    );
    assert!(
        b[0].tags.iter().all(|t| t.contains("$(Build.BuildId)")),
        "{:?}",
        b[0].tags
    );
}
