//! File classification by path alone: which parser, if any, reads a file.
//!
//! Content sniffing (is this YAML a Kubernetes manifest?) happens in the
//! parse stage; here only names and folders count, so the walk stays cheap.

use super::ci_system::CiPath;
pub use super::ci_system::CiSystem;
use serde::Serialize;

/// What a file is, judged from its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Dockerfile,
    DockerIgnore,
    Compose,
    /// A CI pipeline definition of one system.
    Ci(CiSystem),
    /// A GitHub composite action (`action.yml`) in the repo.
    GithubAction,
    /// Other build configs: bake files, GoReleaser, Docker Hub hooks,
    /// `heroku.yml`, `skaffold.yaml`, `fly.toml`.
    BuildConfig,
    /// Any other YAML: Kubernetes manifests, Helm values, Kustomize,
    /// Argo CD/Flux objects, GitLab includes; sniffed at parse time.
    Yaml,
    /// A Helm chart's `Chart.yaml`.
    HelmChart,
    /// A file under a Helm chart's `templates/` (Go templates, not YAML).
    HelmTemplate,
    /// `kustomization.yaml`.
    Kustomization,
    /// devcontainer.json, Tiltfile, devspace, garden.
    DevEnv,
    /// Makefile, justfile, Taskfile: task runners that may wrap Compose.
    TaskRunner,
    /// `.env.example` and friends; `.env` itself.
    EnvFile,
    /// README, CONTRIBUTING and docs pages.
    Doc,
    /// A language manifest or entry point used for service detection.
    Manifest,
    /// A shell script (CI may call it).
    Script,
    /// The kubeready or hadolint configuration.
    ToolConfig,
    /// Everything else: listed (for COPY sources) but never read.
    Other,
}

/// Folders whose names mark vendored or generated trees, skipped even when
/// committed.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "target",
    ".gradle",
    ".idea",
    ".terraform",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".angular",
    ".parcel-cache",
    ".cache",
    ".bundle",
    "_build",
    "deps",
    "Pods",
    "DerivedData",
];

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

pub(super) fn is_yaml(name: &str) -> bool {
    let ends = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends(".yml") || ends(".yaml")
}

/// Extensions after `Dockerfile.` that mark source code, docs or
/// templates rather than a Dockerfile variant (`Dockerfile.dev`).
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "rs",
    "go",
    "py",
    "js",
    "mjs",
    "cjs",
    "ts",
    "tsx",
    "jsx",
    "java",
    "kt",
    "cs",
    "rb",
    "php",
    "ex",
    "exs",
    "c",
    "h",
    "cpp",
    "swift",
    "scala",
    "md",
    "rst",
    "txt",
    "adoc",
    "html",
    "json",
    "yaml",
    "yml",
    "toml",
    "xml",
    "sh",
    "bash",
    "ps1",
    "lock",
    "bak",
    "orig",
    "swp",
    "j2",
    "jinja",
    "jinja2",
    "tpl",
    "tmpl",
    "template",
    "erb",
    "mustache",
    "hbs",
    "in",
    "dockerignore",
    "snap",
    "golden",
    "patch",
    "diff",
];

/// Whether a file name is a Dockerfile in any common naming.
pub fn is_dockerfile_name(name: &str) -> bool {
    is_dockerfile_lower(&lower(name))
}

/// [`is_dockerfile_name`] of a name already lowercased.
fn is_dockerfile_lower(n: &str) -> bool {
    if n.ends_with(".dockerignore") || n.ends_with(".containerignore") {
        return false;
    }
    let variant_ok = |rest: &str| {
        let ext = rest.rsplit('.').next().unwrap_or(rest);
        !NOT_DOCKERFILE_EXTENSIONS.contains(&ext)
    };
    n == "dockerfile"
        || n == "containerfile"
        || n.strip_prefix("dockerfile.").is_some_and(variant_ok)
        || n.strip_prefix("containerfile.").is_some_and(variant_ok)
        || n.ends_with(".dockerfile")
        || n.ends_with(".containerfile")
        || (n.starts_with("dockerfile-") && !n.contains('.'))
        || (n.starts_with("dockerfile_") && !n.contains('.'))
}

/// Whether a file name is a Compose file (main, override or variant).
pub fn is_compose_name(name: &str) -> bool {
    is_compose_lower(&lower(name))
}

/// [`is_compose_name`] of a name already lowercased.
fn is_compose_lower(n: &str) -> bool {
    if !is_yaml(n) {
        return false;
    }
    let stem = n.trim_end_matches(".yaml").trim_end_matches(".yml");
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("compose.")
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.starts_with("compose-")
        || stem.ends_with(".compose")
        || stem.ends_with(".docker-compose")
        || stem.ends_with("-compose")
}

/// Classifies a path (relative, `/`-separated).
pub fn classify(path: &str) -> FileKind {
    let (dir, name) = match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    let n = lower(name);
    // The folder, lowercased only when a check needs it: most files are
    // decided by their name (every file of the tree comes through here).
    let d_cell = std::cell::OnceCell::new();
    let d = || d_cell.get_or_init(|| lower(dir)).as_str();
    let in_dir = |wanted: &str| {
        let d = d();
        d == wanted || d.strip_suffix(wanted).is_some_and(|p| p.ends_with('/'))
    };

    if is_dockerfile_lower(&n) {
        return FileKind::Dockerfile;
    }
    if n == ".dockerignore" || n.ends_with(".dockerignore") || n == ".containerignore" {
        return FileKind::DockerIgnore;
    }
    if n == ".kubeready.yaml"
        || n == ".kubeready.yml"
        || n == ".hadolint.yaml"
        || n == ".hadolint.yml"
    {
        return FileKind::ToolConfig;
    }
    // CI systems, by their well-known locations. A composite action
    // (`action.yml` below the root) is not a pipeline, except under
    // `.github/workflows/` where every YAML file is one.
    if (n == "action.yml" || n == "action.yaml") && !dir.is_empty() && d() != ".github/workflows" {
        return FileKind::GithubAction;
    }
    let ci_path = CiPath {
        name: &n,
        dir,
        dir_lower: &d,
    };
    if let Some(system) = CiSystem::of_path(&ci_path) {
        return FileKind::Ci(system);
    }
    if is_compose_lower(&n) {
        return FileKind::Compose;
    }
    // Other build configurations.
    if n == "docker-bake.hcl"
        || n == "docker-bake.json"
        || n == "docker-bake.override.hcl"
        || n == ".goreleaser.yml"
        || n == ".goreleaser.yaml"
        || n == "goreleaser.yml"
        || n == "goreleaser.yaml"
        || n == "heroku.yml"
        || n == "skaffold.yaml"
        || n == "skaffold.yml"
        || n == "fly.toml"
        || n == "ko.yaml"
        || n == ".ko.yaml"
        || n == "project.toml"
        || n == "nixpacks.toml"
        || ((n == "build" || n == "push" || n == "pre_build" || n == "post_push")
            && in_dir("hooks"))
    {
        return FileKind::BuildConfig;
    }
    if n == "chart.yaml" || n == "chart.yml" {
        return FileKind::HelmChart;
    }
    if (is_yaml(&n) || n.ends_with(".tpl"))
        && (d() == "templates"
            || d().ends_with("/templates")
            || d().contains("/templates/")
            || d().starts_with("templates/"))
    {
        return FileKind::HelmTemplate;
    }
    if n == "kustomization.yaml" || n == "kustomization.yml" || n == "kustomization" {
        return FileKind::Kustomization;
    }
    if n == "devcontainer.json"
        || n == ".devcontainer.json"
        || n == "tiltfile"
        || n == "devspace.yaml"
        || n == "devspace.yml"
        || n == "garden.yml"
        || n == "garden.yaml"
        || n.ends_with(".garden.yml")
        || n.ends_with(".garden.yaml")
        || n == "project.garden.yml"
    {
        return FileKind::DevEnv;
    }
    if n == "makefile"
        || n == "gnumakefile"
        || n.ends_with(".mk")
        || n == "justfile"
        || n == ".justfile"
        || n == "taskfile.yml"
        || n == "taskfile.yaml"
        || n == "taskfile.dist.yml"
    {
        return FileKind::TaskRunner;
    }
    if n == ".env"
        || n.starts_with(".env.")
        || n.ends_with(".env.example")
        || n == "env.example"
        || n == "example.env"
        || n == "sample.env"
    {
        return FileKind::EnvFile;
    }
    if is_doc(d, &n) {
        return FileKind::Doc;
    }
    if is_manifest(&n) {
        return FileKind::Manifest;
    }
    if n.ends_with(".sh") || n.ends_with(".bash") {
        return FileKind::Script;
    }
    if is_yaml(&n) {
        return FileKind::Yaml;
    }
    FileKind::Other
}

/// `dir` is the lowercased folder, asked for only when the name could be
/// a document under `docs/`.
fn is_doc<'d>(dir: impl Fn() -> &'d str, name: &str) -> bool {
    let md = name.ends_with(".md")
        || name.ends_with(".rst")
        || name.ends_with(".adoc")
        || name.ends_with(".txt")
        || !name.contains('.');
    let stem = name.split('.').next().unwrap_or(name);
    let root_doc = matches!(
        stem,
        "readme"
            | "contributing"
            | "development"
            | "developing"
            | "hacking"
            | "getting_started"
            | "getting-started"
            | "install"
            | "setup"
            | "onboarding"
            | "quickstart"
    );
    (root_doc && md)
        || ((name.ends_with(".md") || name.ends_with(".rst") || name.ends_with(".adoc")) && {
            let dir = dir();
            dir == "docs" || dir.starts_with("docs/") || dir == "doc" || dir.starts_with("doc/")
        })
}

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "package.json"
            | "pyproject.toml"
            | "setup.py"
            | "setup.cfg"
            | "pipfile"
            | "manage.py"
            | "go.mod"
            | "cargo.toml"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "settings.gradle"
            | "settings.gradle.kts"
            | "gemfile"
            | "config.ru"
            | "composer.json"
            | "mix.exs"
            | "procfile"
            | "artisan"
            | "deno.json"
            | "bun.lockb"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
        || name.ends_with(".csproj")
        || name.ends_with(".fsproj")
        || name.ends_with(".vbproj")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_namings() {
        for p in [
            "Dockerfile",
            "api/Dockerfile",
            "Dockerfile.dev",
            "web.Dockerfile",
            "x/app.dockerfile",
            "Containerfile",
            "Dockerfile-prod",
        ] {
            assert_eq!(classify(p), FileKind::Dockerfile, "{p}");
        }
        for p in [
            "Dockerfile.dockerignore",
            ".dockerignore",
            "api/.dockerignore",
        ] {
            assert_eq!(classify(p), FileKind::DockerIgnore, "{p}");
        }
        assert_eq!(classify("docs/Dockerfile.md"), FileKind::Doc);
        for p in [
            "src/parse/dockerfile.rs",
            "Dockerfile.j2",
            "tests/dockerfile.py",
            "Dockerfile.template",
        ] {
            assert_ne!(classify(p), FileKind::Dockerfile, "{p}");
        }
    }

    #[test]
    fn compose_namings() {
        for p in [
            "compose.yaml",
            "docker-compose.yml",
            "docker-compose.override.yml",
            "compose.dev.yaml",
            "deploy/docker-compose.prod.yml",
        ] {
            assert_eq!(classify(p), FileKind::Compose, "{p}");
        }
        assert_eq!(classify("composer.json"), FileKind::Manifest);
    }

    #[test]
    fn ci_locations() {
        assert_eq!(
            classify(".github/workflows/ci.yml"),
            FileKind::Ci(CiSystem::GithubActions)
        );
        assert_eq!(
            classify(".github/actions/build/action.yml"),
            FileKind::GithubAction
        );
        assert_eq!(classify(".gitlab-ci.yml"), FileKind::Ci(CiSystem::GitlabCi));
        assert_eq!(
            classify(".circleci/config.yml"),
            FileKind::Ci(CiSystem::Circleci)
        );
        assert_eq!(
            classify("azure-pipelines.yml"),
            FileKind::Ci(CiSystem::AzurePipelines)
        );
        assert_eq!(
            classify("bitbucket-pipelines.yml"),
            FileKind::Ci(CiSystem::BitbucketPipelines)
        );
        assert_eq!(classify("Jenkinsfile"), FileKind::Ci(CiSystem::Jenkins));
        assert_eq!(
            classify("cloudbuild.yaml"),
            FileKind::Ci(CiSystem::CloudBuild)
        );
        assert_eq!(classify("buildspec.yml"), FileKind::Ci(CiSystem::CodeBuild));
        assert_eq!(classify(".travis.yml"), FileKind::Ci(CiSystem::Travis));
    }

    #[test]
    fn kinds_decided_by_the_folder() {
        let cases = [
            (
                ".GitHub/Workflows/CI.YML",
                FileKind::Ci(CiSystem::GithubActions),
            ),
            ("x/.github/workflows/ci.yml", FileKind::Yaml),
            (".CircleCI/config.yml", FileKind::Ci(CiSystem::Circleci)),
            (
                ".azure-pipelines/deploy/main.yaml",
                FileKind::Ci(CiSystem::AzurePipelines),
            ),
            (
                ".azuredevops/ci.yml",
                FileKind::Ci(CiSystem::AzurePipelines),
            ),
            (".woodpecker/build.yaml", FileKind::Ci(CiSystem::Woodpecker)),
            (".tekton/push.yaml", FileKind::Ci(CiSystem::Tekton)),
            ("deploy/.tekton/x/run.yaml", FileKind::Yaml),
            (
                ".buildkite/pipeline.deploy.yml",
                FileKind::Ci(CiSystem::Buildkite),
            ),
            (".buildkite/other.yml", FileKind::Yaml),
            ("ci/Jenkins/build.groovy", FileKind::Ci(CiSystem::Jenkins)),
            ("ci/myjenkins/build.groovy", FileKind::Other),
            ("hooks/build", FileKind::BuildConfig),
            ("app/hooks/post_push", FileKind::BuildConfig),
            ("webhooks/build", FileKind::Other),
            ("chart/templates/_helpers.tpl", FileKind::HelmTemplate),
            ("templates/sub/svc.yaml", FileKind::HelmTemplate),
            ("mytemplates/svc.yaml", FileKind::Yaml),
            ("Docs/Guide.md", FileKind::Doc),
            ("doc/api.rst", FileKind::Doc),
            ("src/docs.md", FileKind::Other),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(path), kind, "{path}");
        }
    }

    #[test]
    fn other_kinds() {
        assert_eq!(classify("charts/api/Chart.yaml"), FileKind::HelmChart);
        assert_eq!(
            classify("charts/api/templates/deployment.yaml"),
            FileKind::HelmTemplate
        );
        assert_eq!(classify("k8s/kustomization.yaml"), FileKind::Kustomization);
        assert_eq!(classify("k8s/deployment.yaml"), FileKind::Yaml);
        assert_eq!(
            classify(".devcontainer/devcontainer.json"),
            FileKind::DevEnv
        );
        assert_eq!(classify("Makefile"), FileKind::TaskRunner);
        assert_eq!(classify("README.md"), FileKind::Doc);
        assert_eq!(classify("docs/setup/dev.md"), FileKind::Doc);
        assert_eq!(classify(".env.example"), FileKind::EnvFile);
        assert_eq!(classify("svc/go.mod"), FileKind::Manifest);
        assert_eq!(classify("svc/App.csproj"), FileKind::Manifest);
        assert_eq!(classify("src/main.rs"), FileKind::Other);
        assert_eq!(classify("skaffold.yaml"), FileKind::BuildConfig);
        assert_eq!(classify("scripts/deploy.sh"), FileKind::Script);
    }
}
