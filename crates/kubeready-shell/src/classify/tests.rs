use super::*;
use crate::parser::parse_script;

fn m(src: &str) -> Vec<Meaning> {
    classify_script(src).into_iter().map(|(_, m)| m).collect()
}

fn v(x: &[&str]) -> Vec<String> {
    x.iter().map(|s| s.to_string()).collect()
}

fn build(src: &str) -> ImageBuild {
    m(src)
        .into_iter()
        .find_map(|m| match m {
            Meaning::ImageBuild(b) => Some(b),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no build in {src:?}"))
}

fn deploy(src: &str) -> Deploy {
    m(src)
        .into_iter()
        .find_map(|m| match m {
            Meaning::Deploy(d) => Some(d),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no deploy in {src:?}"))
}

fn compose(src: &str) -> ComposeInvocation {
    m(src)
        .into_iter()
        .find_map(|m| match m {
            Meaning::Compose(c) => Some(c),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no compose in {src:?}"))
}

fn tests_of(src: &str) -> Vec<String> {
    m(src)
        .into_iter()
        .filter_map(|m| match m {
            Meaning::TestCommand { tool } => Some(tool),
            _ => None,
        })
        .collect()
}

// ---------- image builds ----------

#[test]
fn docker_build_full() {
    let b = build(
        "docker build -f docker/Dockerfile.prod -t app:1 --tag app:latest --target runtime \
         --build-arg VERSION=1.2 --build-arg GIT_SHA --platform linux/amd64,linux/arm64 \
         --label a=b -q services/api",
    );
    assert_eq!(b.tool, "docker");
    assert_eq!(b.dockerfile.as_deref(), Some("docker/Dockerfile.prod"));
    assert_eq!(b.context.as_deref(), Some("services/api"));
    assert_eq!(b.tags, v(&["app:1", "app:latest"]));
    assert_eq!(b.target.as_deref(), Some("runtime"));
    assert_eq!(b.build_args, v(&["VERSION=1.2", "GIT_SHA"]));
    assert_eq!(b.platforms, v(&["linux/amd64", "linux/arm64"]));
    assert!(!b.push);
}

#[test]
fn docker_build_variants() {
    assert_eq!(
        build("docker image build -t x .").context.as_deref(),
        Some(".")
    );
    assert_eq!(build("docker builder build -t x .").tool, "docker");
    let b = build("docker --context prod -H unix:///var/run/docker.sock build -t x ctx");
    assert_eq!(b.context.as_deref(), Some("ctx"));
    assert_eq!(
        build("docker build - < Dockerfile").context.as_deref(),
        Some("-")
    );
    let piped = |src: &str| match classify_script(src).into_iter().last() {
        Some((_, Meaning::ImageBuild(b))) => b,
        _ => unreachable!("no build"),
    };
    let b = piped("pnpm ctx -- api/Dockerfile | docker buildx build -t api -");
    assert_eq!(b.dockerfile.as_deref(), Some("api/Dockerfile"));
    assert_eq!(b.context.as_deref(), Some("-"));
    let b = piped("make-ctx x | docker build -t api -");
    assert_eq!(b.dockerfile, None);
    let b = build("docker build -t=x -fDockerfile.dev .");
    assert_eq!(b.tags, v(&["x"]));
    assert_eq!(b.dockerfile.as_deref(), Some("Dockerfile.dev"));
}

#[test]
fn buildx_push_load_outputs() {
    let b = build("docker buildx build --push -t ghcr.io/o/a:${GITHUB_SHA} .");
    assert_eq!(b.tool, "docker-buildx");
    assert!(b.push);
    assert_eq!(b.tags, v(&["ghcr.io/o/a:${GITHUB_SHA}"]));
    assert!(build("docker buildx build -o type=registry -t x .").push);
    let b = build("docker buildx build --output=type=image,name=reg/x,push=true .");
    assert!(b.push);
    assert_eq!(b.tags, v(&["reg/x"]));
    let b = build("docker buildx build --load -t x .");
    assert!(!b.push);
    assert!(b.load);
    assert!(!build("docker buildx build --push=false -t x .").push);
    assert!(!build("docker buildx build -o ./out .").push);
    assert!(build("docker buildx --builder ci build --push .").push);
    assert!(build("docker build --push -t x .").push);
}

#[test]
fn buildx_bake() {
    let b = build(
        "docker buildx bake -f docker-bake.hcl --push api web --set '*.platform=linux/amd64' \
         --set api.tags=reg/api:1 --set '*.args.GO=1.22'",
    );
    assert_eq!(b.tool, "docker-buildx-bake");
    assert!(b.push);
    assert_eq!(b.files, v(&["docker-bake.hcl"]));
    assert_eq!(b.targets, v(&["api", "web"]));
    assert_eq!(b.platforms, v(&["linux/amd64"]));
    assert_eq!(b.tags, v(&["reg/api:1"]));
    assert_eq!(b.build_args, v(&["GO=1.22"]));
    assert!(!build("docker buildx bake").push);
    assert!(build("docker buildx bake --set '*.output=type=registry'").push);
}

#[test]
fn podman_buildah_img_nerdctl() {
    let b = build("podman build -t quay.io/o/a -f Containerfile .");
    assert_eq!(b.tool, "podman");
    assert_eq!(b.dockerfile.as_deref(), Some("Containerfile"));
    for src in [
        "buildah bud -t x .",
        "buildah build -t x .",
        "buildah --storage-driver vfs build-using-dockerfile -t x .",
    ] {
        let b = build(src);
        assert_eq!(b.tool, "buildah", "{src}");
        assert_eq!(b.tags, v(&["x"]));
    }
    assert_eq!(
        build("buildah commit ctr reg/app:1").tags,
        v(&["reg/app:1"])
    );
    assert_eq!(build("img build -t r/a .").tool, "img");
    assert_eq!(build("nerdctl build -t r/a .").tool, "nerdctl");
    assert_eq!(build("nerdctl buildx build -t r/a .").tool, "nerdctl");
}

#[test]
fn kaniko() {
    let b = build(
        "/kaniko/executor --context $CI_PROJECT_DIR --dockerfile $CI_PROJECT_DIR/Dockerfile \
         --destination $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA --destination $CI_REGISTRY_IMAGE:latest \
         --build-arg A=1 --target prod --cache=true",
    );
    assert_eq!(b.tool, "kaniko");
    assert!(b.push);
    assert_eq!(b.context.as_deref(), Some("$CI_PROJECT_DIR"));
    assert_eq!(b.dockerfile.as_deref(), Some("$CI_PROJECT_DIR/Dockerfile"));
    assert_eq!(b.tags.len(), 2);
    assert_eq!(b.target.as_deref(), Some("prod"));
    let b =
        build("executor --dockerfile=Dockerfile --context=dir://. --no-push --tar-path=img.tar");
    assert!(!b.push);
    // `executor` alone is not kaniko
    assert!(m("executor run").is_empty());
    // kaniko run through docker
    let ms = m("docker run -v $PWD:/workspace gcr.io/kaniko-project/executor:latest --dockerfile /workspace/Dockerfile --destination r/a:1");
    assert!(matches!(&ms[0], Meaning::ImageRun { .. }));
    assert!(matches!(&ms[1], Meaning::ImageBuild(b) if b.tool == "kaniko" && b.push));
}

#[test]
fn buildctl() {
    let b = build(
        "buildctl build --frontend dockerfile.v0 --local context=. --local dockerfile=docker \
         --opt filename=Dockerfile.prod --opt target=app --opt build-arg:X=1 \
         --output type=image,name=reg/app:1,push=true",
    );
    assert_eq!(b.tool, "buildctl");
    assert_eq!(b.context.as_deref(), Some("."));
    assert_eq!(b.dockerfile.as_deref(), Some("docker/Dockerfile.prod"));
    assert_eq!(b.target.as_deref(), Some("app"));
    assert_eq!(b.build_args, v(&["X=1"]));
    assert_eq!(b.tags, v(&["reg/app:1"]));
    assert!(b.push);
}

#[test]
fn pack_nixpacks_s2i_earthly() {
    let b = build("pack build reg/app:1 --builder paketobuildpacks/builder:base --path services/app --publish");
    assert_eq!(b.tool, "pack");
    assert_eq!(b.tags, v(&["reg/app:1"]));
    assert_eq!(b.context.as_deref(), Some("services/app"));
    assert!(b.push);
    assert!(!build("pack build app -B heroku/builder:22").push);
    let b = build("nixpacks build ./web --name web:dev --platform linux/amd64");
    assert_eq!(
        (b.tool.as_str(), b.context.as_deref()),
        ("nixpacks", Some("./web"))
    );
    assert_eq!(b.tags, v(&["web:dev"]));
    let b = build("s2i build . centos/python-38-centos7 myapp:latest");
    assert_eq!(b.tags, v(&["myapp:latest"]));
    let b = build("earthly --ci --push +docker --TAG=1");
    assert_eq!(b.tool, "earthly");
    assert!(b.push);
    assert_eq!(b.targets, v(&["+docker"]));
    assert!(m("earthly --version").is_empty());
}

#[test]
fn ko_builds() {
    let b = build("ko build ./cmd/app --bare -t latest,${GITHUB_SHA} --platform=linux/amd64");
    assert_eq!(b.tool, "ko");
    assert!(b.push);
    assert_eq!(b.tags, v(&["latest", "${GITHUB_SHA}"]));
    assert_eq!(b.targets, v(&["./cmd/app"]));
    assert!(!build("ko build -L ./cmd/app").push);
    assert!(!build("ko build --local ./cmd/app").push);
    assert!(!build("ko publish --push=false ./cmd/app").push);
    let ms = m("ko apply -f config/ -n staging");
    assert!(matches!(&ms[0], Meaning::ImageBuild(b) if b.files == v(&["config/"])));
    assert!(
        matches!(&ms[1], Meaning::Deploy(d) if d.tool == "ko" && d.action == "apply" && d.namespace.as_deref() == Some("staging"))
    );
    assert_eq!(
        build("ko resolve -f config/ > release.yaml").files,
        v(&["config/"])
    );
}

#[test]
fn jib_and_spring_boot() {
    let b = build("./mvnw -B -pl api compile jib:build -Dimage=reg/api:${TAG}");
    assert_eq!(b.tool, "jib");
    assert!(b.push);
    assert_eq!(b.tags, v(&["reg/api:${TAG}"]));
    assert_eq!(b.targets, v(&["api"]));
    assert!(!build("mvn compile jib:dockerBuild").push);
    assert!(build("mvn com.google.cloud.tools:jib-maven-plugin:3.4.0:build -Djib.to.image=x").push);
    let b = build("./gradlew :app:jib --image=reg/app:1");
    assert!(b.push);
    assert_eq!(b.tags, v(&["reg/app:1"]));
    assert_eq!(b.targets, v(&["app"]));
    assert!(!build("gradle jibDockerBuild").push);
    let b = build("mvn spring-boot:build-image -Dspring-boot.build-image.imageName=reg/a -Dspring-boot.build-image.publish=true");
    assert_eq!(b.tool, "spring-boot");
    assert!(b.push);
    assert_eq!(b.tags, v(&["reg/a"]));
    assert!(!build("./gradlew bootBuildImage --imageName=reg/a").push);
    assert!(build("./gradlew bootBuildImage --publishImage").push);
    // a plain compile is nothing
    assert!(m("mvn -B package -DskipTests").is_empty());
}

#[test]
fn skaffold() {
    let b = build("skaffold build -p ci --default-repo reg.io -t $SHA --file-output=tags.json");
    assert_eq!(b.tool, "skaffold");
    assert!(b.push);
    assert_eq!(b.tags, v(&["$SHA"]));
    assert!(!build("skaffold build --push=false").push);
    let ms = m("skaffold run -p staging --kube-context gke-staging -n web");
    assert_eq!(ms.len(), 2);
    let d = deploy("skaffold run -p staging -n web");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("skaffold", "run"));
    assert_eq!(d.context.as_deref(), Some("staging"));
    assert_eq!(d.namespace.as_deref(), Some("web"));
    let d = deploy("skaffold deploy --images reg/app:1 --build-artifacts=tags.json");
    assert_eq!(d.images, v(&["reg/app:1", "tags.json"]));
    assert!(!build("skaffold dev").push);
    assert!(m("skaffold render").is_empty());
}

#[test]
fn cloud_builders() {
    let b = build("gcloud builds submit --tag gcr.io/p/app:1 services/app");
    assert_eq!(b.tool, "gcloud-builds");
    assert!(b.push);
    assert_eq!(b.context.as_deref(), Some("services/app"));
    let b = build("gcloud builds submit --config cloudbuild.yaml .");
    assert_eq!(b.files, v(&["cloudbuild.yaml"]));
    assert!(!b.push);
    let b = build("az acr build -r myreg -t app:{{.Run.ID}} -f Dockerfile .");
    assert_eq!((b.tool.as_str(), b.push), ("az-acr", true));
    assert_eq!(b.tags, v(&["app:{{.Run.ID}}"]));
}

// ---------- push, tag, login ----------

#[test]
fn pushes() {
    assert_eq!(
        m("docker push reg/a:1 && docker image push --all-tags reg/b"),
        vec![
            Meaning::ImagePush {
                tool: "docker".into(),
                images: v(&["reg/a:1"])
            },
            Meaning::ImagePush {
                tool: "docker".into(),
                images: v(&["reg/b"])
            },
        ]
    );
    assert!(
        matches!(&m("podman push --authfile a.json loc docker://reg/a")[0],
        Meaning::ImagePush { tool, images } if tool == "podman" && images.len() == 2)
    );
    assert!(
        matches!(&m("buildah push reg/a")[0], Meaning::ImagePush { tool, .. } if tool == "buildah")
    );
    assert!(matches!(&m("crane push img.tar reg/a:1")[0],
        Meaning::ImagePush { tool, images } if tool == "crane" && images == &v(&["reg/a:1"])));
    assert!(matches!(&m("crane copy src/a:1 reg/a:1")[0],
        Meaning::ImagePush { images, .. } if images == &v(&["reg/a:1"])));
    assert!(
        matches!(&m("skopeo copy --dest-creds u:p docker-daemon:a:1 docker://reg/a:1")[0],
        Meaning::ImagePush { tool, images } if tool == "skopeo" && images == &v(&["reg/a:1"]))
    );
    assert!(matches!(
        &m("docker manifest push reg/a:1")[0],
        Meaning::ImagePush { .. }
    ));
    assert!(
        matches!(&m("docker buildx imagetools create -t reg/a:1 reg/a:amd64 reg/a:arm64")[0],
        Meaning::ImagePush { images, .. } if images == &v(&["reg/a:1"]))
    );
    assert!(matches!(&m("img push reg/a")[0], Meaning::ImagePush { tool, .. } if tool == "img"));
    assert!(m("docker push").is_empty());
}

#[test]
fn tags() {
    assert_eq!(
        m("docker tag app:dev reg/app:1"),
        vec![Meaning::ImageTag {
            source: "app:dev".into(),
            target: "reg/app:1".into()
        }]
    );
    assert_eq!(m("docker image tag a b").len(), 1);
    assert_eq!(m("podman tag a b c").len(), 2);
    assert_eq!(
        m("crane tag reg/app:1 stable"),
        vec![Meaning::ImageTag {
            source: "reg/app:1".into(),
            target: "reg/app:stable".into()
        }]
    );
}

#[test]
fn logins() {
    let login = |src: &str| -> Vec<(String, Option<String>)> {
        m(src)
            .into_iter()
            .filter_map(|m| match m {
                Meaning::RegistryLogin { tool, registry } => Some((tool, registry)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        login("echo $PW | docker login -u me --password-stdin ghcr.io"),
        vec![("docker".into(), Some("ghcr.io".into()))]
    );
    assert_eq!(
        login("aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 1.dkr.ecr.eu-west-1.amazonaws.com"),
        vec![
            ("aws-ecr".into(), None),
            ("docker".into(), Some("1.dkr.ecr.eu-west-1.amazonaws.com".into()))
        ]
    );
    assert_eq!(
        login("eval $(aws ecr get-login --no-include-email)")[0].0,
        "aws-ecr"
    );
    assert_eq!(login("docker login")[0], ("docker".into(), None));
    assert_eq!(
        login("podman login -u x -p y quay.io")[0].1.as_deref(),
        Some("quay.io")
    );
    assert_eq!(
        login("crane auth login ghcr.io -u x -p y")[0],
        ("crane".into(), Some("ghcr.io".into()))
    );
    assert_eq!(
        login("gcloud auth configure-docker europe-docker.pkg.dev --quiet")[0],
        ("gcloud".into(), Some("europe-docker.pkg.dev".into()))
    );
    assert_eq!(login("gcloud auth configure-docker")[0].1, None);
    assert_eq!(
        login("az acr login --name myreg")[0],
        ("az-acr".into(), Some("myreg".into()))
    );
    assert_eq!(login("helm registry login ghcr.io")[0].0, "helm");
    assert_eq!(login("heroku container:login")[0].0, "heroku");
    assert_eq!(login("doctl registry login")[0].0, "doctl");
}

// ---------- run ----------

#[test]
fn docker_run_skips_flag_values() {
    let ms = m(
        "docker run --rm -it -e CI=1 -v $PWD:/src -p 8080:80 --name t --network host \
         -w /src --entrypoint sh --env-file .env -u 1000 --mount type=bind,src=a,dst=b \
         reg/app:$SHA npm test -- --ci",
    );
    assert_eq!(
        ms[0],
        Meaning::ImageRun {
            tool: "docker".into(),
            image: "reg/app:$SHA".into(),
            command: v(&["npm", "test", "--", "--ci"]),
        }
    );
    assert_eq!(
        test_tool(&v(&["npm", "test", "--", "--ci"])).as_deref(),
        Some("npm")
    );
    assert!(matches!(&m("docker container run -d nginx")[0],
        Meaning::ImageRun { image, command, .. } if image == "nginx" && command.is_empty()));
    assert!(matches!(&m("podman run --pod p --rm alpine echo hi")[0],
        Meaning::ImageRun { tool, image, .. } if tool == "podman" && image == "alpine"));
    assert!(matches!(&m("docker run -e=X=1 -eY=2 --rm=true img")[0],
        Meaning::ImageRun { image, .. } if image == "img"));
    assert!(m("docker run --rm").is_empty());
    // a local docker run is not a deploy
    assert_eq!(m("docker run -d --name app reg/app:1").len(), 1);
}

// ---------- compose ----------

#[test]
fn compose_invocations() {
    let c = compose("docker compose -f compose.yml -f compose.ci.yml -p ci --profile test run --rm -e X=1 api pytest -q");
    assert_eq!(c.tool, "docker compose");
    assert_eq!(c.files, v(&["compose.yml", "compose.ci.yml"]));
    assert_eq!(c.profiles, v(&["test"]));
    assert_eq!(c.subcommand, "run");
    assert_eq!(c.services, v(&["api"]));
    assert_eq!(c.command, v(&["pytest", "-q"]));
    assert_eq!(c.project_name.as_deref(), Some("ci"));
    assert_eq!(c.remote, None);
    let c = compose("docker-compose up -d --build web worker");
    assert_eq!(c.tool, "docker-compose");
    assert!(c.detach);
    assert_eq!(c.services, v(&["web", "worker"]));
    assert!(compose("docker compose up --wait").detach);
    let c = compose("docker compose --project-directory deploy build --push --build-arg A=1 api");
    assert_eq!(c.project_dir.as_deref(), Some("deploy"));
    assert_eq!(
        (c.subcommand.as_str(), c.services.clone()),
        ("build", v(&["api"]))
    );
    assert_eq!(compose("docker compose push").subcommand, "push");
    assert_eq!(
        compose("docker compose exec -T db psql").services,
        v(&["db"])
    );
    assert_eq!(compose("podman compose up").tool, "podman compose");
    assert_eq!(compose("podman-compose up").tool, "podman-compose");
    assert_eq!(
        compose("docker compose down -v --rmi all").subcommand,
        "down"
    );
    // local compose: no deploy
    assert_eq!(m("docker compose up -d").len(), 1);
    // dind in CI is not remote
    assert_eq!(
        compose("DOCKER_HOST=tcp://docker:2375 docker compose up -d").remote,
        None
    );
}

#[test]
fn remote_compose_is_a_deploy() {
    for (src, remote) in [
        ("docker --context staging compose up -d", "staging"),
        (
            "DOCKER_HOST=ssh://deploy@stage.example.com docker compose -f prod.yml up -d",
            "ssh://deploy@stage.example.com",
        ),
        ("docker -H ssh://x compose up", "ssh://x"),
        ("docker-compose -H ssh://x up -d", "ssh://x"),
        (
            "env DOCKER_HOST=tcp://10.0.0.5:2376 docker compose up -d",
            "tcp://10.0.0.5:2376",
        ),
        (
            "ssh deploy@host 'cd /srv/app && docker compose pull && docker compose up -d'",
            "ssh://deploy@host",
        ),
        ("ssh -i key -p 2222 host docker compose up -d", "ssh://host"),
        (
            "sshpass -p secret ssh -o StrictHostKeyChecking=no u@h \"docker compose up -d\"",
            "ssh://u@h",
        ),
    ] {
        let c = compose(src);
        assert_eq!(c.remote.as_deref(), Some(remote), "{src}");
        let d = deploy(src);
        assert_eq!(d.tool, "compose-remote", "{src}");
        assert_eq!(d.context.as_deref(), Some(remote), "{src}");
    }
    // script-level state
    let d = deploy("export DOCKER_HOST=ssh://me@stage\ndocker compose up -d");
    assert_eq!(d.context.as_deref(), Some("ssh://me@stage"));
    let d = deploy("docker context use staging\ndocker compose up -d");
    assert_eq!(d.context.as_deref(), Some("staging"));
    assert_eq!(
        m("export DOCKER_HOST=ssh://x\nunset DOCKER_HOST\ndocker compose up -d").len(),
        1
    );
}

#[test]
fn remote_docker_run_and_stack() {
    let d =
        deploy("ssh host 'docker pull reg/a:1 && docker rm -f a; docker run -d --name a reg/a:1'");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("docker-remote", "run")
    );
    assert_eq!(d.images, v(&["reg/a:1"]));
    let d = deploy("docker stack deploy -c docker-stack.yml --with-registry-auth app");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("docker-stack", "deploy")
    );
    assert_eq!(d.files, v(&["docker-stack.yml"]));
    assert_eq!(d.release.as_deref(), Some("app"));
    let d = deploy("docker -H ssh://swarm stack deploy --compose-file a.yml s");
    assert_eq!(d.context.as_deref(), Some("ssh://swarm"));
    let d = deploy("docker service update --image reg/a:2 --with-registry-auth app_web");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("docker-service", "set-image")
    );
    assert_eq!(d.release.as_deref(), Some("app_web"));
}

// ---------- kubernetes ----------

#[test]
fn kubectl_commands() {
    let d = deploy("kubectl apply -f k8s/ -f extra.yaml -n staging --context gke_stg");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("kubectl", "apply"));
    assert_eq!(d.files, v(&["k8s/", "extra.yaml"]));
    assert_eq!(d.namespace.as_deref(), Some("staging"));
    assert_eq!(d.context.as_deref(), Some("gke_stg"));
    assert_eq!(
        deploy("kubectl apply -k overlays/staging").files,
        v(&["overlays/staging"])
    );
    assert_eq!(
        deploy("kubectl --namespace=qa apply --filename=a.yaml")
            .namespace
            .as_deref(),
        Some("qa")
    );
    let d = deploy("kubectl set image deployment/web web=reg/web:$SHA sidecar=reg/s:1 -n prod");
    assert_eq!(d.action, "set-image");
    assert_eq!(d.images, v(&["reg/web:$SHA", "reg/s:1"]));
    assert_eq!(d.release.as_deref(), Some("deployment/web"));
    let d = deploy("kubectl rollout restart deployment web");
    assert_eq!(
        (d.action.as_str(), d.release.as_deref()),
        ("rollout", Some("deployment/web"))
    );
    assert_eq!(
        deploy("kubectl rollout status deploy/web --timeout 120s").action,
        "rollout"
    );
    let d = deploy(
        r#"kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"reg/web:2"}]}}}}'"#,
    );
    assert_eq!(
        (d.action.as_str(), d.images.clone()),
        ("patch", v(&["reg/web:2"]))
    );
    assert_eq!(deploy("kubectl create -f job.yaml").action, "create");
    assert_eq!(
        deploy("kubectl create deployment web --image=reg/web:1").images,
        v(&["reg/web:1"])
    );
    assert_eq!(
        deploy("kubectl replace --force -f a.yaml").action,
        "replace"
    );
    assert_eq!(deploy("oc apply -f a.yaml").tool, "oc");
    assert_eq!(deploy("microk8s kubectl apply -f a.yaml").tool, "kubectl");
    assert!(m("kubectl create namespace staging").is_empty());
    assert!(m("kubectl get pods").is_empty());
    assert!(m("kubectl apply").is_empty());
}

#[test]
fn kustomize_and_pipes() {
    let d = deploy("kustomize build overlays/staging | kubectl apply -f -");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("kustomize", "apply"));
    assert_eq!(d.files, v(&["overlays/staging"]));
    let d = deploy("kubectl kustomize overlays/qa | kubectl apply -n qa -f -");
    assert_eq!(d.tool, "kustomize");
    let d = deploy("helm template web ./chart -f values.yaml | kubectl apply -f -");
    assert_eq!(d.tool, "helm");
    assert_eq!(d.files, v(&["./chart"]));
    // no pipe: plain kubectl
    assert_eq!(deploy("kubectl apply -f - < a.yaml").tool, "kubectl");
    let b = m("cd overlays/staging && kustomize edit set image app=reg/app:$SHA other=reg/o:1");
    assert_eq!(
        b,
        vec![
            Meaning::GitOpsBump {
                tool: "kustomize".into(),
                image: Some("app=reg/app:$SHA".into()),
                file: None
            },
            Meaning::GitOpsBump {
                tool: "kustomize".into(),
                image: Some("other=reg/o:1".into()),
                file: None
            },
        ]
    );
    assert!(m("kustomize build .").is_empty());
}

#[test]
fn helm_commands() {
    let d = deploy(
        "helm upgrade --install web ./charts/web -n staging --create-namespace \
         -f values.yaml --values values-staging.yaml --set image.tag=$CI_COMMIT_SHA \
         --set replicas=2,image.repository=reg/web --kube-context stg --wait --atomic",
    );
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("helm", "upgrade"));
    assert_eq!(d.release.as_deref(), Some("web"));
    assert_eq!(d.chart.as_deref(), Some("./charts/web"));
    assert_eq!(d.files, v(&["values.yaml", "values-staging.yaml"]));
    assert_eq!(
        d.images,
        v(&["image.tag=$CI_COMMIT_SHA", "image.repository=reg/web"])
    );
    assert_eq!(d.namespace.as_deref(), Some("staging"));
    assert_eq!(d.context.as_deref(), Some("stg"));
    let d = deploy("helm install my oci://reg/charts/app --version 1.2.3");
    assert_eq!(
        (d.action.as_str(), d.chart.as_deref()),
        ("install", Some("oci://reg/charts/app"))
    );
    let d = deploy("helm install --generate-name ./chart");
    assert_eq!(
        (d.release.clone(), d.chart.as_deref()),
        (None, Some("./chart"))
    );
    assert_eq!(deploy("helm rollback web 3").action, "rollback");
    assert!(m("helm repo add bitnami https://x").is_empty());
    let d = deploy("helmfile -e staging -f helmfile.yaml apply --suppress-secrets");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("helmfile", "apply"));
    assert_eq!(d.context.as_deref(), Some("staging"));
    assert_eq!(deploy("helmfile sync").action, "sync");
    assert!(m("helmfile diff").is_empty());
}

#[test]
fn argo_flux_werf_rollouts() {
    let d = deploy("argocd app sync web-staging --prune --timeout 300");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("argocd", "sync"));
    assert_eq!(d.release.as_deref(), Some("web-staging"));
    let ms = m("argocd app set web --kustomize-image reg/web:$SHA");
    assert!(
        matches!(&ms[0], Meaning::Deploy(d) if d.action == "set" && d.images == v(&["reg/web:$SHA"]))
    );
    assert_eq!(
        ms[1],
        Meaning::GitOpsBump {
            tool: "argocd".into(),
            image: Some("reg/web:$SHA".into()),
            file: None
        }
    );
    let ms = m("argocd app set web -p image.tag=$SHA");
    assert!(matches!(&ms[1], Meaning::GitOpsBump { image: Some(i), .. } if i == "image.tag=$SHA"));
    assert_eq!(m("argocd app set web --revision main").len(), 1);
    assert!(m("argocd login cd.example.com").is_empty());
    let d = deploy("flux reconcile kustomization apps --with-source -n flux-system");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("flux", "reconcile"));
    assert_eq!(d.release.as_deref(), Some("apps"));
    assert_eq!(d.namespace.as_deref(), Some("flux-system"));
    let ms = m("werf converge --repo reg/app --env staging");
    assert!(matches!(&ms[0], Meaning::ImageBuild(b) if b.tool == "werf" && b.push));
    assert!(matches!(&ms[1], Meaning::Deploy(d) if d.context.as_deref() == Some("staging")));
    assert!(build("werf build --repo reg/app").push);
    let d = deploy("kubectl argo rollouts set image web web=reg/web:2 -n prod");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("kubectl-argo-rollouts", "set-image")
    );
    assert_eq!(d.images, v(&["reg/web:2"]));
    assert_eq!(d.release.as_deref(), Some("web"));
    assert_eq!(
        deploy("kubectl-argo-rollouts promote web").action,
        "promote"
    );
}

// ---------- cloud ----------

#[test]
fn cloud_deploys() {
    let d = deploy("gcloud run deploy api --image europe-docker.pkg.dev/p/r/api:$SHA --region europe-west1 --allow-unauthenticated --platform managed");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("gcloud-run", "deploy")
    );
    assert_eq!(d.images, v(&["europe-docker.pkg.dev/p/r/api:$SHA"]));
    assert_eq!(d.release.as_deref(), Some("api"));
    assert_eq!(d.context.as_deref(), Some("europe-west1"));
    let ms = m("gcloud run deploy api --source .");
    assert!(matches!(&ms[0], Meaning::ImageBuild(b) if b.push));
    assert_eq!(
        deploy("gcloud beta run services update api --image=x").action,
        "update"
    );
    let d = deploy("gcloud deploy releases create rel-1 --delivery-pipeline=p --images=app=reg/app:1 --to-target=staging");
    assert_eq!(
        (d.tool.as_str(), d.images.clone()),
        ("gcloud-deploy", v(&["reg/app:1"]))
    );
    let d = deploy("aws ecs update-service --cluster stg --service api --force-new-deployment --region eu-west-1");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("aws-ecs", "update-service")
    );
    assert_eq!(d.release.as_deref(), Some("api"));
    assert_eq!(d.context.as_deref(), Some("stg"));
    let d = deploy("aws ecs register-task-definition --cli-input-json file://task.json");
    assert_eq!(d.files, v(&["task.json"]));
    let d = deploy("ecs-deploy -c stg -n api -i reg/api:$SHA -t 300");
    assert_eq!(
        (d.tool.as_str(), d.images.clone()),
        ("aws-ecs", v(&["reg/api:$SHA"]))
    );
    assert_eq!(d.release.as_deref(), Some("api"));
    let d = deploy("ecs deploy stg api -i web reg/web:2 --timeout 600");
    assert_eq!(d.images, v(&["reg/web:2"]));
    assert_eq!(
        (d.context.as_deref(), d.release.as_deref()),
        (Some("stg"), Some("api"))
    );
    assert_eq!(
        deploy("aws lambda update-function-code --function-name f --image-uri reg/f:1").tool,
        "aws-lambda"
    );
    let d = deploy("flyctl deploy --image reg/app:1 -a app-staging --remote-only");
    assert_eq!(
        (d.tool.as_str(), d.release.as_deref()),
        ("fly", Some("app-staging"))
    );
    assert_eq!(m("flyctl deploy --image reg/app:1").len(), 1);
    let ms = m("fly deploy -c fly.staging.toml");
    assert!(matches!(&ms[0], Meaning::ImageBuild(b) if b.tool == "fly" && b.push));
    let ms = m("heroku container:push web worker -a my-app");
    assert!(matches!(&ms[0], Meaning::ImageBuild(b) if b.targets == v(&["web", "worker"])));
    assert!(matches!(&ms[1], Meaning::Deploy(d) if d.action == "container:push"));
    let d = deploy("heroku container:release web --app my-app-staging");
    assert_eq!(
        (d.action.as_str(), d.release.as_deref()),
        ("container:release", Some("my-app-staging"))
    );
    let d = deploy("az containerapp update -n api -g rg-staging --image reg.azurecr.io/api:$SHA");
    assert_eq!(
        (d.tool.as_str(), d.action.as_str()),
        ("az-containerapp", "update")
    );
    assert_eq!(d.images, v(&["reg.azurecr.io/api:$SHA"]));
    assert_eq!(d.context.as_deref(), Some("rg-staging"));
    assert_eq!(
        deploy("az webapp config container set -n w -g g --container-image-name reg/w:1").tool,
        "az-webapp"
    );
    let d = deploy("nomad job run -var image=reg/a:1 -detach jobs/web.nomad");
    assert_eq!(
        (d.tool.as_str(), d.files.clone()),
        ("nomad", v(&["jobs/web.nomad"]))
    );
    assert_eq!(d.images, v(&["image=reg/a:1"]));
    assert_eq!(deploy("nomad run web.hcl").action, "run");
}

#[test]
fn other_deployers() {
    let ms = m("kamal deploy -d staging");
    assert!(matches!(&ms[0], Meaning::ImageBuild(b) if b.tool == "kamal"));
    assert!(matches!(&ms[1], Meaning::Deploy(d) if d.context.as_deref() == Some("staging")));
    assert_eq!(
        deploy("kapp deploy -a app -f config/ -y")
            .release
            .as_deref(),
        Some("app")
    );
    assert_eq!(deploy("devspace deploy -n dev").tool, "devspace");
    assert_eq!(
        deploy("copilot svc deploy --name api --env test")
            .context
            .as_deref(),
        Some("test")
    );
    assert!(m("kapp inspect -a app").is_empty());
}

// ---------- gitops ----------

#[test]
fn yq_and_sed_bumps() {
    assert_eq!(
        m(r#"yq -i '.spec.template.spec.containers[0].image = "reg/app:abc"' k8s/deploy.yaml"#),
        vec![Meaning::GitOpsBump {
            tool: "yq".into(),
            image: Some("reg/app:abc".into()),
            file: Some("k8s/deploy.yaml".into()),
        }]
    );
    let ms = m(
        r#"yq e -i '(.images[] | select(.name == "app")).newTag = strenv(TAG)' overlays/staging/kustomization.yaml"#,
    );
    assert!(
        matches!(&ms[0], Meaning::GitOpsBump { image: Some(i), file: Some(f), .. }
        if i == "strenv(TAG)" && f == "overlays/staging/kustomization.yaml")
    );
    assert!(matches!(&m("yq w -i values.yaml image.tag $SHA")[0],
        Meaning::GitOpsBump { image: Some(i), .. } if i == "$SHA"));
    assert!(m("yq '.image' values.yaml").is_empty());
    assert!(m("yq -i '.replicas = 3' values.yaml").is_empty());
    assert_eq!(
        m(r#"sed -i "s|image: .*|image: reg/app:${SHA}|" k8s/deployment.yaml"#),
        vec![Meaning::GitOpsBump {
            tool: "sed".into(),
            image: Some("reg/app:${SHA}".into()),
            file: Some("k8s/deployment.yaml".into()),
        }]
    );
    assert!(
        matches!(&m("sed -i '' -e 's/newTag: .*/newTag: abc/' kustomization.yaml")[0],
        Meaning::GitOpsBump { image: Some(i), file: Some(f), .. } if i == "abc" && f == "kustomization.yaml")
    );
    assert!(!m("sed -Ei.bak 's#(image: reg/app:).*#\\1new#' a.yaml").is_empty());
    assert!(m("sed 's/image: .*/image: x/' a.yaml").is_empty());
    assert!(m("sed -i 's/foo/bar/' a.yaml").is_empty());
}

// ---------- container tests ----------

#[test]
fn container_tests() {
    assert_eq!(
        m("container-structure-test test --image reg/app:1 --config cst.yaml"),
        vec![Meaning::ContainerTest {
            tool: "container-structure-test".into()
        }]
    );
    assert_eq!(m("dgoss run -p 80:80 reg/app:1").len(), 1);
    assert_eq!(m("goss -g goss.yaml validate").len(), 1);
    assert!(m("goss add package nginx").is_empty());
}

// ---------- test commands ----------

#[test]
fn test_commands() {
    for (src, tool) in [
        ("npm test", "npm"),
        ("npm run test:unit", "npm"),
        ("npm --prefix web test", "npm"),
        ("npm t", "npm"),
        ("yarn test --coverage", "yarn"),
        ("yarn run test", "yarn"),
        ("yarn workspace api test", "yarn"),
        ("pnpm test", "pnpm"),
        ("pnpm -r --filter web run test", "pnpm"),
        ("bun test", "bun"),
        ("npx jest --ci", "jest"),
        ("pytest -q tests/", "pytest"),
        ("python -m pytest", "pytest"),
        ("python3 -u -m pytest -x", "pytest"),
        ("poetry run pytest", "pytest"),
        ("uv run --with pytest-cov pytest", "pytest"),
        ("python manage.py test", "django"),
        ("tox -e py311", "tox"),
        ("go test ./...", "go"),
        ("cargo test --workspace", "cargo"),
        ("cargo +nightly test", "cargo"),
        ("cargo nextest run", "cargo"),
        ("mvn -B verify", "maven"),
        ("./mvnw test", "maven"),
        ("gradle test", "gradle"),
        ("./gradlew check", "gradle"),
        ("./gradlew :app:test --info", "gradle"),
        ("gradlew.bat integrationTest", "gradle"),
        ("dotnet test Solution.sln", "dotnet"),
        ("bundle exec rspec spec/", "rspec"),
        ("bundle exec rake test", "rake"),
        ("rake spec", "rake"),
        ("bin/rails test", "rails"),
        ("mix test", "mix"),
        ("vendor/bin/phpunit", "phpunit"),
        ("php artisan test", "artisan"),
        ("composer test", "composer"),
        ("make test", "make"),
        ("make -C api -j4 check", "make"),
        ("make test-integration", "make"),
        ("just test", "just"),
        ("task test", "task"),
    ] {
        assert_eq!(tests_of(src), vec![tool.to_string()], "{src}");
    }
    for src in [
        "npm ci",
        "npm run build",
        "yarn install",
        "mvn -B package",
        "mvn verify -DskipTests",
        "./gradlew build -x test",
        "./gradlew test -x test",
        "go build ./...",
        "cargo build",
        "make build",
        "make TEST=1 all",
        "python app.py",
        "python -m pip install -r requirements.txt",
        "rake db:migrate",
    ] {
        assert!(tests_of(src).is_empty(), "{src}");
    }
    // both a test and an image build
    let ms = m("mvn verify jib:build");
    assert_eq!(ms.len(), 2);
}

// ---------- whole scripts ----------

#[test]
fn script_lines_and_nesting() {
    let src = "set -e\n\
               echo \"$PW\" | docker login -u u --password-stdin reg\n\
               docker build \\\n  -t reg/app:$SHA .\n\
               sh -c 'docker push reg/app:$SHA'\n\
               if [ \"$BRANCH\" = main ]; then\n  kubectl set image deploy/app app=reg/app:$SHA\nfi\n\
               cat <<EOF\ndocker push not-a-command\nEOF\n";
    let got: Vec<(u32, &'static str)> = classify_script(src)
        .into_iter()
        .map(|(l, m)| {
            (
                l,
                match m {
                    Meaning::RegistryLogin { .. } => "login",
                    Meaning::ImageBuild(_) => "build",
                    Meaning::ImagePush { .. } => "push",
                    Meaning::Deploy(_) => "deploy",
                    _ => "other",
                },
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(1, "login"), (2, "build"), (4, "push"), (6, "deploy")]
    );
}

#[test]
fn wrappers_are_seen_through() {
    assert_eq!(build("sudo -E docker build -t x .").tool, "docker");
    assert_eq!(
        build("time nohup env DOCKER_BUILDKIT=1 docker build .").tool,
        "docker"
    );
    assert_eq!(build("@docker build -t x .").tool, "docker");
    assert_eq!(build("/usr/local/bin/docker build .").tool, "docker");
    assert_eq!(
        build("timeout 20m docker buildx build --push .").tool,
        "docker-buildx"
    );
    assert_eq!(build("docker.exe build .").tool, "docker");
}

#[test]
fn classify_single_command() {
    let s = parse_script("DOCKER_HOST=ssh://h docker compose up -d");
    let ms = classify(&s.commands[0]);
    assert_eq!(ms.len(), 2);
    let c = SimpleCommand::from_words(["docker", "push", "a"]);
    assert_eq!(classify(&c).len(), 1);
    assert!(classify(&SimpleCommand::from_words(Vec::<String>::new())).is_empty());
}

#[test]
fn unrelated_and_hostile_input() {
    assert!(m("echo docker build -t x .").is_empty());
    assert!(m("ls -la && cd x").is_empty());
    assert!(m("docker").is_empty());
    assert!(m("docker --context").is_empty());
    assert!(m("helm").is_empty());
    assert!(m("kubectl -n").is_empty());
    assert!(m("ssh").is_empty());
    assert!(m("ssh host").is_empty());
    let mut nested = String::from("docker compose up -d");
    for _ in 0..12 {
        nested = format!(
            "ssh h \"{}\"",
            nested.replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    let _ = m(&nested);
    let big = "docker build -t x . && ".repeat(20_000) + "true";
    assert_eq!(m(&big).len(), 20_000);
    let _ = m(&"docker run ".repeat(10_000));
    let _ = m(&"-".repeat(10_000));
}

#[test]
fn pseudo_random_input_never_panics() {
    const ALPHABET: &[&str] = &[
        "docker", " build", " run", " compose", " up", " -d", " -t", " -f", " --push", " sh",
        " -c", " '", "\"", "\\", "\n", "$(", ")", "(", "`", "${", "}", "{", "&&", "||", "|", ";",
        ";;", "&", "<<", "EOF", "<", ">", "2>&1", "#", "=", "X=1 ", "if ", "then ", "fi", "case ",
        " in ", "esac", "for ", "do ", "done", " ssh h", " kubectl", " helm", " apply", " sed -i",
        " yq -i", "é", "日本", "\r", "\t", "--", " -", "=false", "$'", "eval ",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut src = String::new();
        let len = (state % 40) as usize;
        for _ in 0..len {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            src.push_str(ALPHABET[(state >> 33) as usize % ALPHABET.len()]);
        }
        let _ = classify_script(&src);
        let _ = crate::split_words(&src);
    }
}

#[test]
fn throwaway_clusters() {
    let cluster = |src: &str| -> Vec<(String, Vec<String>)> {
        m(src)
            .into_iter()
            .filter_map(|x| match x {
                Meaning::LocalCluster { tool, images } => Some((tool, images)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        cluster("kind create cluster --name e2e --wait 60s"),
        [("kind".to_string(), v(&[]))]
    );
    assert_eq!(
        cluster("kind load docker-image acme/api:ci acme/web:ci --name e2e"),
        [("kind".to_string(), v(&["acme/api:ci", "acme/web:ci"]))]
    );
    assert_eq!(
        cluster("k3d cluster create ci\nk3d image import -c ci acme/api:ci"),
        [
            ("k3d".to_string(), v(&[])),
            ("k3d".to_string(), v(&["acme/api:ci"]))
        ]
    );
    assert_eq!(
        cluster("minikube start --driver=docker\nminikube image load acme/api:ci"),
        [
            ("minikube".to_string(), v(&[])),
            ("minikube".to_string(), v(&["acme/api:ci"]))
        ]
    );
    assert!(
        cluster("kind get clusters\nminikube kubectl -- get pods\nk3d cluster list").is_empty()
    );
    // k3s installed on the runner, images imported into its containerd.
    assert_eq!(
        cluster("curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=v1.29.6+k3s2 sh -"),
        [("k3s".to_string(), v(&[]))]
    );
    assert_eq!(
        cluster("docker save acme/api:ci | sudo k3s ctr images import -"),
        [("k3s".to_string(), v(&[]))]
    );
    assert!(cluster("curl -sfL https://get.k3s.io.example.com/x\nk3s ctr images ls").is_empty());
}

#[test]
fn fastapi_cloud_deploy_through_a_project_runner() {
    let d = deploy("uv run fastapi deploy");
    assert_eq!((d.tool.as_str(), d.action.as_str()), ("fastapi", "deploy"));
    assert_eq!(deploy("fastapi deploy").tool, "fastapi");
    // `uv run` runs whatever follows: a test runner stays a test.
    assert!(m("uv run pytest")
        .iter()
        .any(|x| matches!(x, Meaning::TestCommand { tool } if tool == "pytest")));
    assert!(m("fastapi dev app/main.py\nuv run fastapi run").is_empty());
}
