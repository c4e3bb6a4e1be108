//! End to end: CI misjudgements of issue #12, each over a fixture repo
//! (see the fixture's README for what it reproduces).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

const D: &str = "done";
const P: &str = "partial";
const M: &str = "missing";

/// Codes of the findings above `info`.
fn problems(r: &serde_json::Value) -> Vec<(String, String, u64)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        // The fixtures' servers are stubs: their runtime fitness (KR6xx) is
        // not what these tests are about.
        .filter(|f| !f["code"].as_str().unwrap_or("").starts_with("KR6"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn circleci_working_directory_is_the_checkout_root() {
    let r = audit_json("ci-circleci-workdir");
    assert_statuses(&r, [D, D, M, P, D, P, M]);
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
    assert!(has_evidence(
        &r,
        "image-builds",
        ".circleci/config.yml",
        "pushed automatically"
    ));
}

#[test]
fn pushes_behind_goreleaser_forks_and_wrappers_are_seen() {
    let r = audit_json("ci-hidden-pushes");
    assert_statuses(&r, [D, D, M, P, D, P, M]);
    for (file, who) in [
        (
            ".gitlab-ci.yml",
            "`api`: built and pushed automatically (goreleaser)",
        ),
        (
            ".github/workflows/images.yml",
            "`web`: built and pushed automatically",
        ),
        (
            ".github/workflows/images.yml",
            "`worker`: built and pushed automatically",
        ),
    ] {
        assert!(has_evidence(&r, "image-builds", file, who), "{who}");
    }
    // The Dockerfile only GoReleaser builds copies the binary GoReleaser
    // stages next to it: not a missing source.
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
}

#[test]
fn compose_of_backing_services_only_builds_and_runs_nothing_of_the_app() {
    let r = audit_json("ci-compose-deps-only");
    assert_statuses(&r, [D, D, D, D, M, P, M]);
    let builds = step(&r, "image-builds")["evidence"].to_string();
    assert!(!builds.contains("never pushed"), "{builds}");
    assert!(has_evidence(
        &r,
        "ci-images",
        ".github/workflows/ci.yml",
        "not an image the repo builds"
    ));
}

#[test]
fn a_deploy_to_a_throwaway_cluster_followed_by_checks_runs_the_image() {
    let r = audit_json("ci-throwaway-cluster");
    assert_eq!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
    assert!(has_evidence(
        &r,
        "ci-images",
        ".github/workflows/ci.yml",
        "deploys to a throwaway cluster and tests `api`"
    ));
    // The same deploy is a test, not an environment: step 7 has no
    // deploy, and nothing applies the manifests as CD.
    assert_eq!(
        step(&r, "cd-staging")["status"],
        M,
        "{}",
        step(&r, "cd-staging")
    );
    assert!(has_evidence(
        &r,
        "cd-staging",
        ".github/workflows/ci.yml",
        "into a throwaway test cluster"
    ));
    let tooling = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "deployment-tooling")
        .unwrap();
    assert_eq!(tooling["status"], "partial", "{tooling}");
    assert!(
        !tooling["summary"].as_str().unwrap().contains("`kind`"),
        "{tooling}"
    );
}

#[test]
fn gitlab_matrix_builds_link_to_compose_images() {
    let r = audit_json("ci-matrix");
    assert_statuses(&r, [D, D, D, P, D, P, M]);
    for svc in ["services/api", "services/web"] {
        assert!(has_evidence(
            &r,
            "image-builds",
            ".gitlab-ci.yml",
            &format!("`{svc}`: built and pushed automatically")
        ));
        assert!(has_evidence(
            &r,
            "dev-env",
            &format!("{svc}/.dockerignore"),
            ".dockerignore for build context"
        ));
    }
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
}

#[test]
fn bake_targets_behind_a_make_target_link_to_their_dockerfiles() {
    let r = audit_json("ci-bake-make");
    assert_statuses(&r, [D, D, M, P, D, M, M]);
    for svc in ["services/api", "web"] {
        assert!(has_evidence(
            &r,
            "image-builds",
            "Makefile",
            &format!("`{svc}`: built and pushed automatically (docker-buildx-bake)")
        ));
    }
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
}

#[test]
fn tekton_pipelines_as_code_push_run_builds_and_pushes() {
    let r = audit_json("ci-tekton-pac");
    assert_statuses(&r, [D, D, M, P, D, P, M]);
    assert!(has_evidence(
        &r,
        "image-builds",
        ".tekton/push.yaml",
        "`api`: built and pushed automatically (buildah)"
    ));
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
}

/// `kubeready audit <dir> --format json`.
fn audit_dir(dir: &std::path::Path) -> serde_json::Value {
    let out = kubeready()
        .args(["audit", "--format", "json", "--fail-on", "never"])
        .arg(dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn a_skaffold_run_to_a_kind_context_followed_by_tests_runs_the_image() {
    let dir = copy_fixture("ci-throwaway-cluster");
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        concat!(
            "on:\n  push:\n    branches: [main]\n",
            "jobs:\n",
            "  e2e:\n",
            "    runs-on: ubuntu-latest\n",
            "    steps:\n",
            "      - uses: actions/checkout@v4\n",
            "      - run: skaffold run --kube-context kind-ci --default-repo ghcr.io/acme\n",
            "      - run: go test ./e2e/...\n",
        ),
    );
    write(
        dir.path(),
        "skaffold.yaml",
        "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: ghcr.io/acme/api\n      context: .\nmanifests:\n  rawYaml: [k8s/deployment.yaml]\n",
    );
    let r = audit_dir(dir.path());
    assert_eq!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
    // Without the checks after it, the deploy alone is not a run.
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n      - run: skaffold run --kube-context kind-ci\n",
    );
    let r = audit_dir(dir.path());
    assert_eq!(
        step(&r, "ci-images")["status"],
        M,
        "{}",
        step(&r, "ci-images")
    );
}

#[test]
fn make_variables_make_the_one_command_start_and_config_files_are_no_dev_loop() {
    let r = audit_json("dev-env-make-variables");
    let dev = step(&r, "dev-env");
    assert!(has_evidence(&r, "dev-env", "Makefile", "make"), "{dev}");
    assert!(
        has_evidence(&r, "dev-env", "README.md", "`make run`"),
        "{dev}"
    );
    assert!(
        !has_evidence(&r, "dev-env", "docker-compose.yml", "`db` bind-mounts"),
        "{dev}"
    );
}

#[test]
fn builds_behind_make_patterns_taskfiles_nx_stdin_contexts_and_remote_templates_are_seen() {
    let r = audit_json("ci-followed-tools");
    assert_statuses(&r, [D, D, M, P, D, P, M]);
    for (file, who) in [
        ("Makefile", "`services/api`: built and pushed automatically"),
        (
            "Taskfile.yml",
            "`services/worker`: built and pushed automatically",
        ),
        (
            "services/web/package.json",
            "`services/web`: built and pushed automatically",
        ),
        (
            "nx.json",
            "`services/admin`: built and pushed automatically",
        ),
        (
            ".github/workflows/release.yml",
            "`services/sso`: built and pushed automatically",
        ),
        (
            ".github/workflows/release.yml",
            "`services/notify`: built and pushed automatically",
        ),
        (
            "azure-pipelines.yml",
            "`services/billing`: built and pushed automatically",
        ),
    ] {
        assert!(has_evidence(&r, "image-builds", file, who), "{file}: {who}");
    }
    // `make docker-test` runs the image the pattern rule built.
    assert!(has_evidence(
        &r,
        "ci-images",
        "Makefile",
        "runs `services/api`"
    ));
    // A context piped on stdin is no folder: no COPY is judged against one,
    // and a pushed `docker tag` alias is the published name.
    let p = problems(&r);
    assert!(!p.iter().any(|(c, _, _)| c == "KR504"), "{p:?}");
    assert!(
        !p.iter()
            .any(|(c, f, _)| c == "KR301" && (f == "Makefile" || f.ends_with("package.json"))),
        "{p:?}"
    );
}

#[test]
fn a_reusable_workflow_step_gated_by_an_input_runs_only_for_callers_that_set_it() {
    let r = audit_json("ci-reusable-inputs");
    assert_statuses(&r, [D, D, M, P, D, P, M]);
    let ci = step(&r, "ci-images");
    assert!(
        has_evidence(&r, "ci-images", ".github/workflows/image.yml", "runs `api`"),
        "{ci}"
    );
    // `web.yml` leaves `smoke_test` at its default `false`: the step is skipped.
    assert!(
        !has_evidence(&r, "ci-images", ".github/workflows/image.yml", "runs `web`"),
        "{ci}"
    );
    assert_eq!(problems(&r), Vec::new());
}

/// k3s installed on the runner (`curl https://get.k3s.io | sh -`, `k3s ctr
/// images import`) is a throwaway cluster like kind (apache/shenyu).
#[test]
fn k3s_on_the_runner_is_a_throwaway_cluster() {
    let r = audit_json("ci-k3s-cluster");
    assert_eq!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
    assert_eq!(
        step(&r, "cd-staging")["status"],
        M,
        "{}",
        step(&r, "cd-staging")
    );
    assert!(has_evidence(
        &r,
        "cd-staging",
        ".github/workflows/k8s.yml",
        "into a throwaway test cluster"
    ));
}

/// `uv run fastapi deploy` deploys to FastAPI Cloud on pushes: a deploy,
/// automatic, of the source rather than the built image (fastapi's
/// full-stack template).
#[test]
fn a_fastapi_cloud_deploy_is_a_deploy_that_does_not_use_the_built_image() {
    let dir = copy_fixture("ci-k3s-cluster");
    write(
        dir.path(),
        ".github/workflows/deploy.yml",
        concat!(
            "name: Deploy\n",
            "on:\n  push:\n    branches: [main]\n",
            "jobs:\n",
            "  deploy:\n",
            "    runs-on: ubuntu-latest\n",
            "    steps:\n",
            "      - uses: actions/checkout@v4\n",
            "      - uses: astral-sh/setup-uv@v6\n",
            "      - run: uv run fastapi deploy\n",
            "        env:\n",
            "          FASTAPI_CLOUD_TOKEN: ${{ secrets.FASTAPI_CLOUD_TOKEN }}\n",
        ),
    );
    let r = audit_dir(dir.path());
    let cd = step(&r, "cd-staging");
    assert_eq!(cd["status"], P, "{cd}");
    assert!(has_evidence(
        &r,
        "cd-staging",
        ".github/workflows/deploy.yml",
        "does not use the built images"
    ));
}

/// `$PWD:$PWD` and `$PATH` come from the shell Compose runs in: the project
/// is bind-mounted, and no variable needs a `.env` entry (jenkins-infra/uplink).
#[test]
fn a_pwd_bind_mount_is_a_dev_loop_and_shell_variables_need_no_env_file() {
    let r = audit_json("dev-env-pwd-mount");
    let dev = step(&r, "dev-env");
    assert_eq!(dev["status"], D, "{dev}");
    assert!(has_evidence(
        &r,
        "dev-env",
        "compose.yaml",
        "dev loop: `app` bind-mounts `.`"
    ));
    assert!(has_evidence(
        &r,
        "dev-env",
        "compose.yaml",
        "environment bootstrap: Compose needs no variables"
    ));
}

#[test]
fn builds_written_from_the_checkout_root_variable_name_repo_paths() {
    let r = audit_json("ci-checkout-root-context");
    assert_eq!(
        step(&r, "image-builds")["status"],
        D,
        "{}",
        step(&r, "image-builds")
    );
    assert!(has_evidence(
        &r,
        "image-builds",
        "azure-pipelines.yml",
        "`src/api`: built and pushed automatically"
    ));
    assert!(problems(&r).is_empty(), "{:?}", problems(&r));
}

#[test]
fn a_skaffold_run_into_a_namespace_made_for_the_run_then_checked_runs_the_images() {
    let r = audit_json("ci-per-run-namespace");
    assert_eq!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
    assert!(has_evidence(
        &r,
        "ci-images",
        ".github/workflows/ci.yml",
        "deploys to a throwaway cluster and tests `api`"
    ));
    // The same deploy to a fixed, shared namespace is not a test run.
    let dir = copy_fixture("ci-per-run-namespace");
    let ci = std::fs::read_to_string(dir.path().join(".github/workflows/ci.yml")).unwrap();
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        &ci.replace("--namespace=$NAMESPACE", "--namespace=staging"),
    );
    let r = audit_dir(dir.path());
    assert_eq!(
        step(&r, "ci-images")["status"],
        M,
        "{}",
        step(&r, "ci-images")
    );
    // Nor is a namespace the run does not create (it may be shared).
    let ci = ci.replace("kind: Namespace", "kind: ConfigMap");
    write(dir.path(), ".github/workflows/ci.yml", &ci);
    let r = audit_dir(dir.path());
    assert_eq!(
        step(&r, "ci-images")["status"],
        M,
        "{}",
        step(&r, "ci-images")
    );
}

#[test]
fn a_buildkite_matrix_calling_a_build_script_with_arguments_builds_pushes_and_runs() {
    let r = audit_json("ci-buildkite-matrix-script");
    assert_eq!(
        step(&r, "image-builds")["status"],
        D,
        "{}",
        step(&r, "image-builds")
    );
    assert!(has_evidence(
        &r,
        "image-builds",
        ".buildkite/steps/build-image.sh",
        "`api`: built and pushed automatically"
    ));
    assert_eq!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
    assert!(has_evidence(
        &r,
        "ci-images",
        ".buildkite/steps/test-image.sh",
        "runs `api`"
    ));
    // A run of another variable's image is not the build's.
    let dir = copy_fixture("ci-buildkite-matrix-script");
    let test = std::fs::read_to_string(dir.path().join(".buildkite/steps/test-image.sh")).unwrap();
    write(
        dir.path(),
        ".buildkite/steps/test-image.sh",
        &test.replace(
            "docker run --rm \"$image_tag\"",
            "docker run --rm \"$base_image\"",
        ),
    );
    let r = audit_dir(dir.path());
    assert_ne!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
}

#[test]
fn an_image_pushed_by_digest_is_named_by_its_outputs() {
    let r = audit_json("ci-push-by-digest");
    for id in ["compose", "image-builds"] {
        assert_eq!(step(&r, id)["status"], D, "{}", step(&r, id));
    }
    // Without the name in `outputs:`, nothing links the Compose image.
    let dir = copy_fixture("ci-push-by-digest");
    let wf = std::fs::read_to_string(dir.path().join(".github/workflows/image.yml")).unwrap();
    write(
        dir.path(),
        ".github/workflows/image.yml",
        &wf.replace("name=ghcr.io/acme/api,", ""),
    );
    let r = audit_dir(dir.path());
    assert_eq!(step(&r, "compose")["status"], P, "{}", step(&r, "compose"));
    // `push=` is an expression (seen on a real repository); only a literal
    // `false` says the build is not pushed.
    write(
        dir.path(),
        ".github/workflows/image.yml",
        &wf.replace("push=${{ steps.check.outputs.push }}", "push=false"),
    );
    let r = audit_dir(dir.path());
    assert_eq!(
        step(&r, "image-builds")["status"],
        P,
        "{}",
        step(&r, "image-builds")
    );
}

#[test]
fn a_bare_shell_build_environment_is_a_dev_image_not_a_component() {
    let r = audit_json("image-role-shell-toolbox");
    let toolbox = r["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["definition"] == "docker/Dockerfile.make")
        .expect("the toolbox image is listed");
    assert_eq!(toolbox["role"], "dev", "{toolbox}");
    assert!(
        toolbox["evidence"]
            .as_str()
            .unwrap()
            .starts_with("docker/Dockerfile.make:7"),
        "{toolbox}"
    );
    assert_eq!(
        step(&r, "image-builds")["status"],
        D,
        "{}",
        step(&r, "image-builds")
    );
}

#[test]
fn a_script_running_its_build_through_copies_and_function_arguments_runs_the_image() {
    let r = audit_json("ci-smoke-script-aliases");
    assert!(
        !problems(&r).iter().any(|(code, _, _)| code == "KR503"),
        "{:?}",
        problems(&r)
    );
    assert_eq!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
    assert!(has_evidence(
        &r,
        "ci-images",
        "scripts/smoke_test.sh",
        "runs `"
    ));
    // A copy of another variable: the run is not the build's.
    let dir = copy_fixture("ci-smoke-script-aliases");
    let script = std::fs::read_to_string(dir.path().join("scripts/smoke_test.sh")).unwrap();
    write(
        dir.path(),
        "scripts/smoke_test.sh",
        &script.replace(
            "candidate_image=\"$image_tag\"",
            "candidate_image=\"$released_image\"",
        ),
    );
    let r = audit_dir(dir.path());
    assert_ne!(
        step(&r, "ci-images")["status"],
        D,
        "{}",
        step(&r, "ci-images")
    );
}

#[test]
fn a_test_harness_build_context_needs_no_dockerignore_for_the_dev_environment() {
    let asks = |r: &serde_json::Value, context: &str| {
        step(r, "dev-env")["next_steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| {
                n.as_str()
                    .unwrap()
                    .contains(&format!("build context `{context}`"))
            })
    };
    let dir = copy_fixture("ci-smoke-script-aliases");
    write(
        dir.path(),
        "e2e/Dockerfile",
        "FROM cypress/included:13.6.0\nWORKDIR /e2e\nCOPY . .\n",
    );
    let r = audit_dir(dir.path());
    assert!(!asks(&r, "e2e"), "{}", step(&r, "dev-env"));
    // The same image as part of the app is asked for one.
    write(
        dir.path(),
        "web/Dockerfile",
        "FROM nginx:1.27-alpine\nCOPY . /usr/share/nginx/html\n",
    );
    let r = audit_dir(dir.path());
    assert!(asks(&r, "web"), "{}", step(&r, "dev-env"));
}
