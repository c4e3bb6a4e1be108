use crate::parse::ci::known::testing;
use crate::parse::ci::{Job, Meaning, Pipeline, StepBody, TriggerKind};

fn one(text: &str) -> Pipeline {
    let (mut p, problems) = testing::parse(&[("Jenkinsfile", text)]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(p.len(), 1);
    p.remove(0)
}

fn job<'a>(p: &'a Pipeline, id: &str) -> &'a Job {
    p.jobs.iter().find(|j| j.id == id).unwrap_or_else(|| {
        panic!(
            "no job {id} in {:?}",
            p.jobs.iter().map(|j| &j.id).collect::<Vec<_>>()
        )
    })
}

fn kinds(p: &Pipeline, id: &str) -> Vec<TriggerKind> {
    job(p, id)
        .effective_triggers(p)
        .iter()
        .map(|t| t.kind.clone())
        .collect()
}

fn scripts(j: &Job) -> Vec<(u32, String)> {
    j.steps
        .iter()
        .filter_map(|s| match &s.body {
            StepBody::Script(x) => Some((s.line, x.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn fixture_monorepo() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/monorepo/Jenkinsfile"
    ))
    .unwrap();
    let p = one(&text);
    assert_eq!(p.jobs.len(), 1);
    let j = &p.jobs[0];
    assert_eq!((j.id.as_str(), j.line), ("Images", 4));
    let t = j.triggers.as_ref().unwrap();
    assert_eq!(
        (t[0].kind.clone(), t[0].branches.clone()),
        (TriggerKind::Push, vec!["main".to_string()])
    );
    let s = scripts(j);
    assert_eq!(s.len(), 3);
    assert_eq!(
        s[0],
        (
            7,
            "docker build -t registry.acme.internal/search:${GIT_COMMIT} services/search"
                .to_string()
        )
    );
    assert_eq!(s[2].0, 9);
    let m: Vec<(u32, &Meaning)> = j.meanings().map(|m| (m.line, &m.meaning)).collect();
    assert!(m.iter().any(|(l, x)| *l == 7
        && matches!(x, Meaning::ImageBuild(b) if b.context.as_deref() == Some("services/search"))));
    assert!(m
        .iter()
        .any(|(l, x)| *l == 8 && matches!(x, Meaning::ImagePush { .. })));
    assert!(
        m.iter()
            .any(|(l, x)| *l == 9
                && matches!(x, Meaning::ImageBuild(b) if b.tool == "jib" && b.push)),
        "{m:?}"
    );
}

#[test]
fn declarative_with_gates_agents_and_docker_steps() {
    let p = one(r#"
// A comment with a { brace and a stage('fake') { }
pipeline {
  agent { docker { image 'node:20' } }
  triggers { cron('H 2 * * *') }
  stages {
    stage('Build') {
      steps {
        /* block comment } */
        sh '''
          npm ci
          docker build -t acme/web:${GIT_COMMIT} .
        '''
        sh(script: "echo \"}\" && make test", returnStdout: true)
        dir('api') { sh "docker build -t acme/api ." }
        script {
          def img = docker.build("acme/worker:${env.BUILD_ID}", "-f worker/Dockerfile worker")
          docker.withRegistry('https://registry.acme.io', 'creds') {
            img.push()
            img.push('latest')
          }
        }
      }
    }
    stage('Test') {
      agent { docker 'python:3.12' }
      when { changeRequest() }
      steps { script { docker.image('acme/web:latest').inside { sh 'pytest' } } }
    }
    stage('Release') {
      when { tag 'v*' }
      steps { sh 'make release' }
    }
    stage('Deploy to staging') {
      input { message 'Ship it?' }
      steps { kubernetesDeploy(configs: 'k8s/app.yaml, k8s/svc.yaml') }
    }
    stage('Smoke') { steps { sh 'curl staging' } }
  }
}
"#);
    assert_eq!(
        p.triggers
            .iter()
            .map(|t| t.kind.clone())
            .collect::<Vec<_>>(),
        [TriggerKind::Push, TriggerKind::Schedule]
    );
    let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        ["Build", "Test", "Release", "Deploy to staging", "Smoke"]
    );
    let b = job(&p, "Build");
    assert_eq!(b.container.as_ref().unwrap().image, "node:20");
    assert!(b.triggers.is_none());
    let s = scripts(b);
    assert_eq!(s[0].0, 10);
    assert!(s[0].1.contains("docker build -t acme/web:${GIT_COMMIT} ."));
    assert_eq!(s[1], (14, "echo \"}\" && make test".to_string()));
    let api = b.steps.iter().find(|s| s.workdir == "api").unwrap();
    assert_eq!(api.line, 15);
    let build = b.meanings().find_map(|m| match &m.meaning {
        Meaning::ImageBuild(x) if x.tags[0].starts_with("acme/worker") => Some((m.line, x)),
        _ => None,
    });
    let (line, build) = build.unwrap();
    assert_eq!(line, 17);
    assert_eq!(build.tags, ["acme/worker:${env.BUILD_ID}"]);
    assert_eq!(build.dockerfile.as_deref(), Some("worker/Dockerfile"));
    assert_eq!(build.context.as_deref(), Some("worker"));
    assert!(build.push);
    let pushes: Vec<&Vec<String>> = b
        .meanings()
        .filter_map(|m| match &m.meaning {
            Meaning::ImagePush { images, .. } => Some(images),
            _ => None,
        })
        .collect();
    assert_eq!(pushes[1], &vec!["acme/worker:latest".to_string()]);

    let t = job(&p, "Test");
    assert_eq!(kinds(&p, "Test"), [TriggerKind::PullRequest]);
    assert_eq!(
        t.container.as_ref().unwrap().image,
        "acme/web:latest",
        "inside() wins over the agent"
    );
    assert_eq!(kinds(&p, "Release"), [TriggerKind::Tag]);
    let d = job(&p, "Deploy to staging");
    assert_eq!(kinds(&p, "Deploy to staging"), [TriggerKind::Manual]);
    assert_eq!(d.environment.as_ref().unwrap().name, "Deploy to staging");
    match &d.steps[0].meanings[0].meaning {
        Meaning::Deploy(x) => assert_eq!(x.files, ["k8s/app.yaml", "k8s/svc.yaml"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        kinds(&p, "Smoke"),
        [TriggerKind::Manual],
        "after an input gate"
    );
}

#[test]
fn scripted_pipeline_and_parallel_stages() {
    let p = one(r#"
node('linux') {
  checkout scm
  sh "make deps"
  stage('Build') {
    docker.build('acme/app').push()
  }
  stage 'Old style'
  sh 'echo old'
  stage('Checks') {
    parallel {
      stage('Lint') { input message: 'lint?' ; sh 'make lint' }
      stage('Unit') { sh 'make unit' }
    }
  }
}
"#);
    let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["(no stage)", "Build", "Old style", "Lint", "Unit"]);
    assert_eq!(scripts(&p.jobs[0]), [(4, "make deps".to_string())]);
    match &p.jobs[1].steps[0].meanings[0].meaning {
        Meaning::ImageBuild(b) => assert!(b.push && b.tags == ["acme/app"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(scripts(&p.jobs[2]), [(9, "echo old".to_string())]);
    assert_eq!(kinds(&p, "Lint"), [TriggerKind::Manual]);
    assert_eq!(
        kinds(&p, "Unit"),
        [TriggerKind::Push],
        "parallel siblings are not gated"
    );
}

#[test]
fn hostile_text_never_hangs_or_panics() {
    for t in [
        "pipeline { stages { stage('a') { steps { sh 'x' ",
        "}}}}}} stage( stage('",
        "sh",
        "sh(",
        "docker.",
        "docker.build(",
        "docker.image('x').",
        "stage('a') { when { branch } input agent { docker } }",
        "'''",
        "\"\"\"unterminated",
        "/*",
        "a.push(",
        "x = docker.build(\"a\"",
        "stage('x') { dir( { sh 'a' } }",
        "\u{0}\u{feff}{[(",
    ] {
        let (_p, _problems) = testing::parse(&[("Jenkinsfile", t)]);
    }
    let deep = "stage('a') {".repeat(5000);
    let (p, _) = testing::parse(&[("Jenkinsfile", &deep)]);
    assert!(!p.is_empty());
}

#[test]
fn shared_library_build_and_publish_steps() {
    let p = one(concat!(
        "@Library('pipeline-library') _\n",
        "buildDockerAndPublishImage('api', [dockerfile: 'Dockerfile', imageDir: 'services/api'])\n",
        "buildDockerAndPublishImage 'tools'\n",
        "buildPlugin()\n",
        "publishReports(['junit.xml'])\n",
        "publishImageBuildReport('api')\n",
    ));
    let b: Vec<_> = p
        .jobs
        .iter()
        .flat_map(|j| j.meanings())
        .filter_map(|m| match &m.meaning {
            Meaning::ImageBuild(b) => Some((m.line, b)),
            _ => None,
        })
        .collect();
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!(b[0].0, 2);
    assert_eq!(
        b[0].1.dockerfile.as_deref(),
        Some("services/api/Dockerfile")
    );
    assert_eq!(b[0].1.context.as_deref(), Some("services/api"));
    assert_eq!(b[0].1.tags, ["api"]);
    assert!(b[0].1.push && b[1].1.push);
    assert_eq!(b[1].1.context.as_deref(), Some("."));
}
