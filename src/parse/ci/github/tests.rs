use super::super::common::testing::{builds, fixture, job, meanings, parse};
use super::super::{StepBody, TriggerKind};
use crate::parse::ProblemKind;
use kubeready_shell::Meaning;

fn kinds(t: &[super::Trigger]) -> Vec<TriggerKind> {
    t.iter().map(|t| t.kind.clone()).collect()
}

fn wf(body: &str) -> Vec<super::Pipeline> {
    parse(&[(".github/workflows/ci.yml", body)]).0
}

#[test]
fn triggers_in_every_shape() {
    let p = wf("on: push\njobs: {}\n");
    assert_eq!(
        kinds(&p[0].triggers),
        vec![TriggerKind::Push, TriggerKind::Tag]
    );
    let p = wf("on: [pull_request, workflow_dispatch]\njobs: {}\n");
    assert_eq!(
        kinds(&p[0].triggers),
        vec![TriggerKind::PullRequest, TriggerKind::Manual]
    );
    let p = wf(concat!(
        "on:\n",
        "  push:\n    tags: ['v*']\n",
        "  pull_request_target:\n    branches: [main]\n",
        "  schedule:\n    - cron: '0 0 * * *'\n",
        "  release:\n    types: [published]\n",
        "  workflow_run:\n    workflows: [CI]\n    branches: [main]\n",
        "  repository_dispatch:\n",
        "jobs: {}\n",
    ));
    let t = &p[0].triggers;
    assert_eq!(
        kinds(t),
        vec![
            TriggerKind::Tag,
            TriggerKind::PullRequest,
            TriggerKind::Schedule,
            TriggerKind::Release,
            TriggerKind::WorkflowRun,
            TriggerKind::Other("repository_dispatch".into()),
        ]
    );
    assert_eq!(t[0].branches, vec!["v*"]);
    assert_eq!(t[0].line, 2);
    assert_eq!(t[1].branches, vec!["main"]);
    assert!(!p[0].reusable);
    let p = wf("on:\n  push:\n    branches: [main]\n    tags: [v*]\njobs: {}\n");
    assert_eq!(
        kinds(&p[0].triggers),
        vec![TriggerKind::Push, TriggerKind::Tag]
    );
    assert_eq!(p[0].triggers[0].branches, vec!["main"]);
    let p = wf("on:\n  workflow_call:\n    inputs: {}\njobs: {}\n");
    assert!(p[0].reusable);
}

#[test]
fn job_if_narrows_triggers() {
    let p = wf(concat!(
        "on: [push, pull_request, workflow_dispatch]\n",
        "jobs:\n",
        "  a:\n    if: github.event_name == 'push'\n    runs-on: x\n    steps: []\n",
        "  b:\n    if: ${{ github.event_name != 'pull_request' }}\n    runs-on: x\n    steps: []\n",
        "  c:\n    if: startsWith(github.ref, 'refs/tags/')\n    steps: []\n",
        "  d:\n    if: github.event_name == 'workflow_dispatch'\n    steps: []\n",
        "  e:\n    if: contains(github.event.head_commit.message, 'deploy')\n    steps: []\n",
        "  f:\n    steps: []\n",
    ));
    let t = |id: &str| job(&p, id).triggers.as_ref().map(|t| kinds(t));
    assert_eq!(t("a"), Some(vec![TriggerKind::Push, TriggerKind::Tag]));
    assert_eq!(
        t("b"),
        Some(vec![
            TriggerKind::Push,
            TriggerKind::Tag,
            TriggerKind::Manual
        ])
    );
    // A manual run may be on a tag.
    assert_eq!(t("c"), Some(vec![TriggerKind::Tag, TriggerKind::Manual]));
    assert_eq!(t("d"), Some(vec![TriggerKind::Manual]));
    assert_eq!(t("e"), None);
    assert_eq!(t("f"), None);
}

#[test]
fn jobs_needs_environment_container_services() {
    let p = wf(concat!(
        "on: push\n",
        "jobs:\n",
        "  test:\n",
        "    name: Unit tests\n",
        "    container: node:20\n",
        "    services:\n",
        "      db:\n        image: postgres:16\n",
        "      cache:\n        image: redis:7\n",
        "    steps: []\n",
        "  deploy:\n",
        "    needs: [test]\n",
        "    environment:\n      name: staging\n      url: https://x\n",
        "    container:\n      image: ghcr.io/acme/tools:1\n",
        "    steps: []\n",
        "  other:\n",
        "    needs: deploy\n",
        "    environment: production\n",
        "    steps: []\n",
    ));
    let t = job(&p, "test");
    assert_eq!(t.name, "Unit tests");
    assert_eq!(t.line, 3);
    let c = t.container.as_ref().unwrap();
    assert_eq!((c.image.as_str(), c.line), ("node:20", 5));
    let s: Vec<_> = t.services.iter().map(|s| s.image.as_str()).collect();
    assert_eq!(s, vec!["postgres:16", "redis:7"]);
    let d = job(&p, "deploy");
    assert_eq!(d.needs, vec!["test"]);
    assert_eq!(d.environment.as_ref().unwrap().name, "staging");
    assert_eq!(d.environment.as_ref().unwrap().line, 15);
    assert_eq!(d.container.as_ref().unwrap().image, "ghcr.io/acme/tools:1");
    let o = job(&p, "other");
    assert_eq!(o.needs, vec!["deploy"]);
    assert_eq!(o.environment.as_ref().unwrap().name, "production");
    assert_eq!(o.name, "other");
}

#[test]
fn matrix_expands_with_include_and_exclude() {
    let p = wf(concat!(
        "on: push\n",
        "jobs:\n",
        "  images:\n",
        "    strategy:\n",
        "      matrix:\n",
        "        service: [catalog, frontend, admin]\n",
        "        arch: [amd64]\n",
        "        exclude:\n          - service: admin\n",
        "        include:\n",
        "          - service: catalog\n            dockerfile: catalog/Dockerfile.prod\n",
        "          - service: extra\n            arch: arm64\n",
        "    steps:\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n",
        "          context: ${{ matrix.service }}\n",
        "          file: ${{ matrix.dockerfile }}\n",
        "          tags: acme/${{ matrix.service }}:${{ matrix.arch }}\n",
        "      - run: echo ${{ matrix.service }}\n",
    ));
    let ids: Vec<_> = p[0].jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "images (catalog, amd64)",
            "images (frontend, amd64)",
            "images (extra, arm64)"
        ]
    );
    let b = builds(job(&p, "images (catalog, amd64)"));
    assert_eq!(b[0].context.as_deref(), Some("catalog"));
    assert_eq!(b[0].dockerfile.as_deref(), Some("catalog/Dockerfile.prod"));
    assert_eq!(b[0].tags, vec!["acme/catalog:amd64"]);
    let f = job(&p, "images (frontend, amd64)");
    assert_eq!(
        builds(f)[0].dockerfile.as_deref(),
        Some("${{ matrix.dockerfile }}")
    );
    match &f.steps[1].body {
        StepBody::Script(s) => assert_eq!(s, "echo frontend"),
        b => panic!("{b:?}"),
    }
}

#[test]
fn include_only_matrix_is_one_job_per_entry() {
    let p = wf(concat!(
        "on: push\n",
        "jobs:\n",
        "  images:\n",
        "    strategy:\n",
        "      matrix:\n",
        "        include:\n",
        "          - project: api\n            base: ./src\n",
        "          - project: admin\n            base: ./src\n",
        "          - project: sso\n            base: ./ee\n",
        "    steps:\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n",
        "          file: ${{ matrix.base }}/${{ matrix.project }}/Dockerfile\n",
    ));
    let files: Vec<_> = p[0]
        .jobs
        .iter()
        .map(|j| builds(j)[0].dockerfile.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        files,
        vec![
            "./src/api/Dockerfile",
            "./src/admin/Dockerfile",
            "./ee/sso/Dockerfile"
        ]
    );
}

#[test]
fn matrix_is_capped() {
    let p = parse(&[(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        a: [1,2,3,4,5,6,7,8,9]\n        b: [1,2,3,4,5,6,7,8,9]\n        c: [1,2,3,4]\n    steps: []\n",
    )]);
    assert_eq!(p.0[0].jobs.len(), super::MAX_MATRIX);
    assert!(p.1.iter().any(|x| x.message.contains("matrix")));
    // A matrix computed at run time is one job, unexpanded.
    let p = wf("on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        svc: ${{ fromJSON(needs.a.outputs.s) }}\n    steps: []\n");
    assert_eq!(p[0].jobs.len(), 1);
    assert_eq!(p[0].jobs[0].id, "t");
}

#[test]
fn build_push_action_meanings() {
    let p = wf(concat!(
        "on: [push, pull_request]\n",
        "jobs:\n",
        "  b:\n",
        "    steps:\n",
        "      - uses: docker/login-action@v3\n",
        "        with:\n          registry: ghcr.io\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n",
        "          file: api/Dockerfile\n",
        "          push: ${{ github.event_name != 'pull_request' }}\n",
        "          target: runtime\n",
        "          tags: |\n",
        "            ghcr.io/acme/api:${{ github.sha }}\n",
        "            ghcr.io/acme/api:latest, acme/api:edge\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n          context: web\n          push: false\n          load: true\n",
        "      - uses: docker/build-push-action@v6\n",
    ));
    let j = job(&p, "b");
    let m = meanings(j);
    assert!(matches!(&m[0].2, Meaning::RegistryLogin { registry: Some(r), .. } if r == "ghcr.io"));
    assert_eq!(m[0].1, 5);
    let b = builds(j);
    assert_eq!(b.len(), 3);
    assert_eq!(b[0].context.as_deref(), Some("."));
    assert_eq!(b[0].dockerfile.as_deref(), Some("api/Dockerfile"));
    assert_eq!(
        b[0].tags,
        vec![
            "ghcr.io/acme/api:${{ github.sha }}",
            "ghcr.io/acme/api:latest",
            "acme/api:edge"
        ]
    );
    assert!(b[0].push);
    assert_eq!(b[0].target.as_deref(), Some("runtime"));
    assert_eq!(m[1].1, 8);
    assert_eq!(b[1].context.as_deref(), Some("web"));
    assert!(!b[1].push);
    assert!(b[1].load);
    assert!(!b[2].push);
}

#[test]
fn other_known_actions() {
    let p = wf(concat!(
        "on: push\n",
        "env:\n  IMAGE: ghcr.io/acme/api\n",
        "jobs:\n",
        "  d:\n",
        "    environment: staging\n",
        "    steps:\n",
        "      - uses: google-github-actions/deploy-cloudrun@v2\n",
        "        with:\n          service: api\n          image: ${{ env.IMAGE }}:${{ github.sha }}\n",
        "      - uses: azure/k8s-deploy@v5\n",
        "        with:\n          manifests: |\n            k8s/deploy.yaml\n            k8s/svc.yaml\n          images: ghcr.io/acme/api:${{ github.sha }}\n",
        "      - uses: aws-actions/amazon-ecs-render-task-definition@v1\n",
        "        with:\n          image: 1234.dkr.ecr.eu-west-1.amazonaws.com/api:${{ github.sha }}\n",
        "      - uses: aws-actions/amazon-ecs-deploy-task-definition@v2\n",
        "        with:\n          task-definition: task.json\n          service: api\n",
        "      - uses: appleboy/ssh-action@v1\n",
        "        with:\n",
        "          host: staging.example.com\n",
        "          script: |\n",
        "            cd /srv/app\n",
        "            docker compose pull\n",
        "            docker compose up -d\n",
        "      - uses: docker://alpine:3.20\n",
        "        with:\n          args: echo hi\n",
        "      - uses: redhat-actions/buildah-build@v2\n",
        "        with:\n          image: api\n          tags: v1 ${{ github.sha }}\n          containerfiles: ./Containerfile\n",
        "      - uses: redhat-actions/push-to-registry@v2\n",
        "        with:\n          image: api\n          tags: v1\n          registry: quay.io/acme\n",
        "      - uses: actions/checkout@v4\n",
    ));
    let m = meanings(job(&p, "d"));
    let deploys: Vec<_> = m
        .iter()
        .filter_map(|(_, l, m)| match m {
            Meaning::Deploy(d) => Some((*l, d.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(deploys[0].1.tool, "gcloud-run");
    assert_eq!(
        deploys[0].1.images,
        vec!["ghcr.io/acme/api:${{ github.sha }}"]
    );
    assert_eq!(deploys[1].1.tool, "kubectl");
    assert_eq!(deploys[1].1.files, vec!["k8s/deploy.yaml", "k8s/svc.yaml"]);
    assert_eq!(deploys[2].1.tool, "aws-ecs");
    assert_eq!(deploys[2].1.images.len(), 1);
    let compose: Vec<_> = m
        .iter()
        .filter_map(|(_, l, m)| match m {
            Meaning::Compose(c) => Some((*l, c.clone())),
            _ => None,
        })
        .collect();
    let up = compose.iter().find(|(_, c)| c.subcommand == "up").unwrap();
    assert_eq!(up.0, 31);
    assert_eq!(up.1.remote.as_deref(), Some("ssh://staging.example.com"));
    assert!(m
        .iter()
        .any(|(_, _, m)| matches!(m, Meaning::ImageRun { image, .. } if image == "alpine:3.20")));
    let b = builds(job(&p, "d"));
    assert_eq!(b[0].tool, "buildah");
    assert_eq!(b[0].tags, vec!["api:v1", "api:${{ github.sha }}"]);
    assert_eq!(b[0].dockerfile.as_deref(), Some("./Containerfile"));
    assert!(m.iter().any(|(_, _, m)| matches!(
        m,
        Meaning::ImagePush { images, .. } if images.contains(&"quay.io/acme/api:v1".to_string())
    )));
}

#[test]
fn run_steps_lines_env_and_working_directory() {
    let p = wf(concat!(
        "on: push\n",
        "env:\n  IMAGE: ghcr.io/acme/web\n",
        "defaults:\n  run:\n    working-directory: ./services\n",
        "jobs:\n",
        "  b:\n",
        "    defaults:\n      run:\n        working-directory: web/\n",
        "    steps:\n",
        "      - run: docker build -t $IMAGE:${{ github.sha }} .\n",
        "      - name: push\n",
        "        working-directory: api\n",
        "        run: |\n",
        "          echo building\n",
        "          docker build -t api .\n",
        "          docker push api\n",
        "  c:\n",
        "    steps:\n",
        "      - run: docker build .\n",
    ));
    let j = job(&p, "b");
    assert_eq!(j.steps[0].workdir, "web");
    assert_eq!(j.steps[0].line, 13);
    let m = meanings(j);
    assert_eq!(m[0].1, 13);
    match &m[0].2 {
        Meaning::ImageBuild(b) => assert_eq!(b.tags, vec!["ghcr.io/acme/web:${{ github.sha }}"]),
        m => panic!("{m:?}"),
    }
    assert_eq!(j.steps[1].workdir, "api");
    assert_eq!(j.steps[1].name.as_deref(), Some("push"));
    assert_eq!(m[1].1, 18);
    assert_eq!(m[2].1, 19);
    assert_eq!(job(&p, "c").steps[0].workdir, "services");
}

#[test]
fn step_if_that_never_holds_is_skipped() {
    let p = wf(concat!(
        "on: pull_request\n",
        "jobs:\n  b:\n    steps:\n",
        "      - run: docker build -t a .\n",
        "      - if: github.event_name == 'push'\n        run: docker push a\n",
    ));
    let j = job(&p, "b");
    assert_eq!(j.steps.len(), 1);
}

#[test]
fn composite_action_is_inlined() {
    let (p, problems) = parse(&[
        (
            ".github/workflows/ci.yml",
            concat!(
                "on: push\njobs:\n  b:\n    steps:\n",
                "      - uses: ./.github/actions/build\n",
                "        with:\n          service: api\n",
            ),
        ),
        (
            ".github/actions/build/action.yml",
            concat!(
                "name: build\n",
                "inputs:\n  service: {required: true}\n  registry: {default: ghcr.io/acme}\n",
                "runs:\n",
                "  using: composite\n",
                "  steps:\n",
                "    - shell: bash\n",
                "      run: docker build -t ${{ inputs.registry }}/${{ inputs.service }} ${{ inputs.service }}\n",
                "    - uses: ./.github/actions/push\n",
            ),
        ),
        (
            ".github/actions/push/action.yaml",
            "runs:\n  using: composite\n  steps:\n    - uses: docker/build-push-action@v6\n      with:\n        push: true\n",
        ),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let m = meanings(job(&p, "b"));
    assert_eq!(m.len(), 2, "{m:?}");
    assert_eq!(m[0].0, ".github/actions/build/action.yml");
    assert_eq!(m[0].1, 9);
    match &m[0].2 {
        Meaning::ImageBuild(b) => {
            assert_eq!(b.tags, vec!["ghcr.io/acme/api"]);
            assert_eq!(b.context.as_deref(), Some("api"));
        }
        m => panic!("{m:?}"),
    }
    assert_eq!(m[1].0, ".github/actions/push/action.yaml");
}

#[test]
fn local_reusable_workflow_is_inlined() {
    let (p, _) = parse(&[
        (
            ".github/workflows/ci.yml",
            concat!(
                "on:\n  push:\n    branches: [main]\n  pull_request:\n",
                "jobs:\n",
                "  deploy:\n",
                "    if: github.event_name == 'push'\n",
                "    uses: ./.github/workflows/deploy.yml\n",
                "    with:\n      environment: staging\n      image: ghcr.io/acme/api:${{ github.sha }}\n",
            ),
        ),
        (
            ".github/workflows/deploy.yml",
            concat!(
                "on:\n  workflow_call:\n    inputs:\n      environment: {type: string}\n      namespace: {type: string, default: apps}\n",
                "jobs:\n",
                "  rollout:\n",
                "    environment: ${{ inputs.environment }}\n",
                "    steps:\n",
                "      - run: kubectl set image deploy/api api=${{ inputs.image }} -n ${{ inputs.namespace }}\n",
            ),
        ),
    ]);
    let caller = p
        .iter()
        .find(|p| p.file == ".github/workflows/ci.yml")
        .unwrap();
    let called = p
        .iter()
        .find(|p| p.file == ".github/workflows/deploy.yml")
        .unwrap();
    assert!(called.reusable);
    assert!(!caller.reusable);
    let c = job(std::slice::from_ref(caller), "deploy");
    assert_eq!(
        c.calls.as_ref().unwrap().target,
        "./.github/workflows/deploy.yml"
    );
    let j = job(std::slice::from_ref(caller), "deploy / rollout");
    assert_eq!(j.file, ".github/workflows/deploy.yml");
    assert_eq!(j.environment.as_ref().unwrap().name, "staging");
    assert_eq!(kinds(j.effective_triggers(caller)), vec![TriggerKind::Push]);
    let m = meanings(j);
    match &m[0].2 {
        Meaning::Deploy(d) => {
            assert_eq!(d.images, vec!["ghcr.io/acme/api:${{ github.sha }}"]);
            assert_eq!(d.namespace.as_deref(), Some("apps"));
        }
        m => panic!("{m:?}"),
    }
    assert_eq!(m[0].0, ".github/workflows/deploy.yml");
    assert_eq!(m[0].1, 10);
}

#[test]
fn remote_reusable_workflow() {
    let p = wf(concat!(
        "on: push\njobs:\n",
        "  image:\n    uses: acme/ci/.github/workflows/docker-build.yml@v1\n    with:\n      context: api\n      image: acme/api\n",
        "  lint:\n    uses: acme/ci/.github/workflows/lint.yml@v1\n",
    ));
    let j = job(&p, "image");
    assert_eq!(
        j.calls.as_ref().unwrap().inputs[0],
        ("context".into(), "api".into())
    );
    let b = builds(j);
    assert_eq!(b.len(), 1);
    assert!(b[0].push);
    assert_eq!(b[0].context.as_deref(), Some("api"));
    assert_eq!(b[0].tags, vec!["acme/api"]);
    let l = job(&p, "lint");
    assert!(l.calls.is_some());
    assert!(builds(l).is_empty());
}

#[test]
fn follows_make_targets_and_scripts() {
    let (p, _) = parse(&[
        (
            ".github/workflows/ci.yml",
            concat!(
                "on: push\njobs:\n  b:\n    steps:\n",
                "      - run: make -C api image\n",
                "      - run: ./scripts/release.sh\n",
                "      - run: cd web && docker build -t web .\n",
            ),
        ),
        (
            "api/Makefile",
            "IMAGE ?= ghcr.io/acme/api\n\nimage: build push\n\nbuild:\n\tdocker build -t $(IMAGE) .\npush:\n\tdocker push $(IMAGE)\n",
        ),
        (
            "scripts/release.sh",
            "#!/bin/sh\nset -e\nbash scripts/lib.sh\n",
        ),
        ("scripts/lib.sh", "docker compose -f deploy/compose.yml build\nsh scripts/release.sh\n"),
    ]);
    let m = meanings(job(&p, "b"));
    let at: Vec<_> = m.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
    assert_eq!(
        at,
        vec![
            ("api/Makefile", 6),
            ("api/Makefile", 8),
            ("scripts/lib.sh", 1),
            (".github/workflows/ci.yml", 7),
        ]
    );
    match &m[0].2 {
        Meaning::ImageBuild(b) => {
            assert_eq!(b.tags, vec!["ghcr.io/acme/api"]);
            assert_eq!(b.context.as_deref(), Some("api"));
        }
        m => panic!("{m:?}"),
    }
    match &m[3].2 {
        Meaning::ImageBuild(b) => assert_eq!(b.context.as_deref(), Some("web")),
        m => panic!("{m:?}"),
    }
}

#[test]
fn problems_for_duplicates_and_wrong_shapes() {
    let (_, problems) = parse(&[(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  a:\n    steps: []\n  a:\n    steps: []\n",
    )]);
    assert!(problems
        .iter()
        .any(|p| p.kind == ProblemKind::Partial && p.line == 5 && p.message.contains("duplicate")));
    let (p, problems) = parse(&[(".github/workflows/ci.yml", "on: push\njobs: [a]\n")]);
    assert!(p[0].jobs.is_empty());
    assert_eq!(problems.len(), 1);
    let (_, problems) = parse(&[(".github/workflows/ci.yml", "on: push\njobs:\n  a: [\n")]);
    assert!(problems.iter().any(|p| p.kind == ProblemKind::Syntax));
}

#[test]
fn fixture_tests_in_image() {
    let (p, problems) = fixture("tests-in-image");
    assert!(problems.is_empty(), "{problems:?}");
    let i = job(&p, "image");
    assert_eq!(i.triggers, None);
    let b = builds(i);
    assert_eq!(b[0].tags, vec!["ghcr.io/acme/notes:${{ github.sha }}"]);
    assert!(b[0].push);
    let t = job(&p, "test");
    assert_eq!(t.needs, vec!["image"]);
    let m = meanings(t);
    assert!(
        matches!(&m[0].2, Meaning::ImageRun { image, .. } if image == "ghcr.io/acme/notes:${{ github.sha }}")
    );
    assert_eq!(m[0].1, 32);
}

#[test]
fn fixture_full_pipeline_matrix() {
    let (p, problems) = fixture("full-pipeline");
    assert!(problems.is_empty(), "{problems:?}");
    let ids: Vec<_> = p[0].jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "images (catalog)",
            "images (frontend)",
            "e2e",
            "deploy-staging"
        ]
    );
    let b = builds(job(&p, "images (frontend)"));
    assert_eq!(b[0].context.as_deref(), Some("frontend"));
    assert_eq!(b[0].tags, vec!["ghcr.io/acme/frontend:${{ github.sha }}"]);
    let d = job(&p, "deploy-staging");
    assert_eq!(d.environment.as_ref().unwrap().name, "staging");
    let lines: Vec<u32> = meanings(d).iter().map(|m| m.1).collect();
    assert_eq!(lines, vec![39, 40]);
    let e = meanings(job(&p, "e2e"));
    assert!(e
        .iter()
        .any(|m| matches!(&m.2, Meaning::Compose(c) if c.subcommand == "run")));
}

#[test]
fn fixture_build_without_push() {
    let (p, _) = fixture("ci-build-no-push");
    let b = builds(job(&p, "build"));
    assert_eq!(b.len(), 1);
    assert!(!b[0].push);
    assert_eq!(b[0].tags, vec!["notes-app:ci"]);
}

#[test]
fn pushes_by_outputs_bake_sets_forks_and_wrappers() {
    let p = wf(concat!(
        "on: push\n",
        "jobs:\n",
        "  b:\n",
        "    steps:\n",
        "      - uses: docker/bake-action@v5\n",
        "        with:\n",
        "          targets: api\n",
        "          set: |\n",
        "            *.tags=ghcr.io/acme/api:1,ghcr.io/acme/api:edge\n",
        "            *.output=type=image,name=ghcr.io/acme/api,push=true\n",
        "      - uses: docker/bake-action@v5\n",
        "        with:\n          set: '*.output=type=docker'\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n",
        "          outputs: type=image,name=ghcr.io/acme/web,push-by-digest=true,name-canonical=true,push=true\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n          outputs: type=image,name=ghcr.io/acme/web,push=false\n",
        "      - uses: acme-forks/build-push-action@v6\n",
        "        with:\n          context: web\n          push: true\n",
        "      - uses: acme/actions/docker-build-push@v2\n",
        "        with:\n          image: ghcr.io/acme/worker\n          context: worker\n",
        "      - uses: acme/build-push@v1\n",
        "        with:\n          dockerfile: cli/Dockerfile\n          push: false\n",
        "      - uses: acme/build-and-push-report@v1\n",
        "        with:\n          report: coverage.xml\n",
    ));
    let b = builds(job(&p, "b"));
    let summary: Vec<(&str, Option<&str>, bool)> = b
        .iter()
        .map(|b| (b.tool.as_str(), b.context.as_deref(), b.push))
        .collect();
    assert_eq!(
        summary,
        [
            ("docker-buildx-bake", Some("."), true),
            ("docker-buildx-bake", Some("."), false),
            ("docker/build-push-action", Some("."), true),
            ("docker/build-push-action", Some("."), false),
            ("docker/build-push-action", Some("web"), true),
            ("build-push-wrapper", Some("worker"), true),
            ("build-push-wrapper", Some("."), false),
        ]
    );
    assert_eq!(b[0].tags, ["ghcr.io/acme/api:1", "ghcr.io/acme/api:edge"]);
    // Pushed by digest: the name is in `outputs:`.
    assert_eq!(b[2].tags, ["ghcr.io/acme/web"]);
    assert_eq!(b[5].tags, ["ghcr.io/acme/worker"]);
    assert_eq!(b[6].dockerfile.as_deref(), Some("cli/Dockerfile"));
}

#[test]
fn an_output_push_written_as_an_expression_pushes_like_the_push_input() {
    let p = wf(concat!(
        "on: push\n",
        "jobs:\n",
        "  b:\n",
        "    steps:\n",
        "      - id: check\n",
        "        run: echo push=true >> $GITHUB_OUTPUT\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n",
        "          outputs: type=image,name=ghcr.io/acme/docs,push-by-digest=true,push=${{ steps.check.outputs.push }}\n",
        "      - uses: docker/build-push-action@v6\n",
        "        with:\n",
        "          outputs: type=image,name=ghcr.io/acme/docs,push-by-digest=true\n",
    ));
    let b = builds(job(&p, "b"));
    let push: Vec<bool> = b.iter().map(|b| b.push).collect();
    assert_eq!(push, [true, false]);
}
