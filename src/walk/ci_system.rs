//! The CI/CD systems kubeready reads, each described in one place: its
//! name, where its configuration lives, its file format (hence comment
//! syntax), how registry logins reach a push (KR302), and how next steps
//! name a job of it. Adding a system is a variant here and a row in
//! [`SYSTEMS`]; the parser dispatch in `parse::ci` is an exhaustive match,
//! so a new system cannot be read silently as another.

use serde::Serialize;

/// The CI/CD systems kubeready reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiSystem {
    GithubActions,
    GitlabCi,
    Circleci,
    AzurePipelines,
    BitbucketPipelines,
    Jenkins,
    Travis,
    Drone,
    Woodpecker,
    Buildkite,
    CloudBuild,
    CodeBuild,
    /// Tekton Pipelines-as-Code (`.tekton/*.yaml`).
    Tekton,
}

/// The language a system's configuration files are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    /// YAML (JSON, a subset, included): `#` comments, so `# kubeready:`
    /// pragmas and literal `env:`/`variables:` apply.
    Yaml,
    /// A Groovy pipeline script (Jenkinsfile): `//` comments.
    Groovy,
}

impl ConfigFormat {
    /// What starts a line comment in this format.
    pub fn comment_prefix(self) -> &'static str {
        match self {
            ConfigFormat::Yaml => "#",
            ConfigFormat::Groovy => "//",
        }
    }
}

/// How registry credentials reach a push (KR302).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryLogin {
    /// Each job runs on a fresh runner: only a login in the same job counts.
    EachJob,
    /// Jobs share an agent or workspace: a login in an earlier job of the
    /// pipeline counts too.
    CarriesOver,
    /// The platform's own identity pushes (Cloud Build's service account):
    /// no login step is expected.
    Ambient,
}

/// A CI file's path as [`classify`](super::classify) sees it: the file
/// name lowercased, the folder as given and lowercased on demand (most
/// files never need it).
pub struct CiPath<'a> {
    /// The file name, lowercased.
    pub name: &'a str,
    /// The folder, as given (`""` at the root).
    pub dir: &'a str,
    /// The folder, lowercased.
    pub dir_lower: &'a dyn Fn() -> &'a str,
}

impl CiPath<'_> {
    fn is_yaml(&self) -> bool {
        super::classify::is_yaml(self.name)
    }

    fn dir_is(&self, wanted: &str) -> bool {
        (self.dir_lower)() == wanted
    }

    /// The file sits in a folder named `wanted`, at any depth.
    fn in_dir(&self, wanted: &str) -> bool {
        let d = (self.dir_lower)();
        d == wanted || d.strip_suffix(wanted).is_some_and(|p| p.ends_with('/'))
    }
}

/// Everything kubeready knows about one CI system.
pub struct CiSystemInfo {
    pub system: CiSystem,
    /// The name people use: `GitLab CI`.
    pub name: &'static str,
    /// Where its configuration lives, for people (docs, messages).
    pub config_files: &'static str,
    /// Whether a path is one of its configuration files.
    pub matches: fn(&CiPath<'_>) -> bool,
    pub format: ConfigFormat,
    pub registry_login: RegistryLogin,
    /// Whether a step's own condition (GitHub step `if:`) may guard it
    /// without the model keeping it per step: rules then say less about
    /// what a step does on which event.
    pub step_conditions_unseen: bool,
    /// How a next step names a new job of this system: `a `.gitlab-ci.yml`
    /// job`.
    pub next_step_job: &'static str,
}

/// Every system, in the order [`classify`](super::classify) tries them.
pub static SYSTEMS: &[&CiSystemInfo] = &[
    &GITHUB_ACTIONS,
    &GITLAB_CI,
    &CIRCLECI,
    &AZURE_PIPELINES,
    &BITBUCKET_PIPELINES,
    &JENKINS,
    &TRAVIS,
    &DRONE,
    &WOODPECKER,
    &BUILDKITE,
    &CLOUD_BUILD,
    &CODE_BUILD,
    &TEKTON,
];

const GITHUB_ACTIONS: CiSystemInfo = CiSystemInfo {
    system: CiSystem::GithubActions,
    name: "GitHub Actions",
    config_files: "`.github/workflows/*.yml`",
    matches: |p| p.is_yaml() && p.dir_is(".github/workflows"),
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::EachJob,
    step_conditions_unseen: true,
    next_step_job: "a GitHub Actions workflow (`.github/workflows/`)",
};

const GITLAB_CI: CiSystemInfo = CiSystemInfo {
    system: CiSystem::GitlabCi,
    name: "GitLab CI",
    config_files: "`.gitlab-ci.yml`, `*.gitlab-ci.yml` at the root",
    matches: |p| {
        p.name == ".gitlab-ci.yml"
            || p.name == ".gitlab-ci.yaml"
            || (p.dir.is_empty() && p.name.ends_with(".gitlab-ci.yml"))
    },
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::EachJob,
    step_conditions_unseen: false,
    next_step_job: "a `.gitlab-ci.yml` job",
};

const CIRCLECI: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Circleci,
    name: "CircleCI",
    config_files: "`.circleci/config.yml`",
    matches: |p| (p.name == "config.yml" || p.name == "config.yaml") && p.dir_is(".circleci"),
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::EachJob,
    step_conditions_unseen: false,
    next_step_job: "a CircleCI job",
};

const AZURE_PIPELINES: CiSystemInfo = CiSystemInfo {
    system: CiSystem::AzurePipelines,
    name: "Azure Pipelines",
    config_files: "`azure-pipelines.yml`, `*.azure-pipelines.yml`, YAML under `.azure-pipelines/` or `.azuredevops/`",
    matches: |p| {
        p.name == "azure-pipelines.yml"
            || p.name == "azure-pipelines.yaml"
            || p.name.ends_with(".azure-pipelines.yml")
            || (p.is_yaml()
                && (p.dir_is(".azure-pipelines")
                    || p.dir_is(".azuredevops")
                    || (p.dir_lower)().starts_with(".azure-pipelines/")))
    },
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::EachJob,
    step_conditions_unseen: false,
    next_step_job: "an Azure Pipelines job",
};

const BITBUCKET_PIPELINES: CiSystemInfo = CiSystemInfo {
    system: CiSystem::BitbucketPipelines,
    name: "Bitbucket Pipelines",
    config_files: "`bitbucket-pipelines.yml`",
    matches: |p| p.name == "bitbucket-pipelines.yml" || p.name == "bitbucket-pipelines.yaml",
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::EachJob,
    step_conditions_unseen: false,
    next_step_job: "a Bitbucket Pipelines step",
};

const JENKINS: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Jenkins,
    name: "Jenkins",
    config_files:
        "`Jenkinsfile`, `Jenkinsfile.*`, `*.jenkinsfile`, `*.groovy` under a `jenkins/` folder",
    matches: |p| {
        p.name == "jenkinsfile"
            || p.name.starts_with("jenkinsfile.")
            || p.name.ends_with(".jenkinsfile")
            || p.name.ends_with(".groovy") && p.in_dir("jenkins")
    },
    format: ConfigFormat::Groovy,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "a Jenkinsfile stage",
};

const TRAVIS: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Travis,
    name: "Travis CI",
    config_files: "`.travis.yml`",
    matches: |p| p.name == ".travis.yml" || p.name == ".travis.yaml",
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "a Travis CI step",
};

const DRONE: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Drone,
    name: "Drone",
    config_files: "`.drone.yml`",
    matches: |p| p.name == ".drone.yml" || p.name == ".drone.yaml",
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "a Drone step",
};

const WOODPECKER: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Woodpecker,
    name: "Woodpecker",
    config_files: "`.woodpecker.yml`, YAML under `.woodpecker/`",
    matches: |p| {
        p.name == ".woodpecker.yml"
            || p.name == ".woodpecker.yaml"
            || (p.is_yaml() && p.dir_is(".woodpecker"))
    },
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "a Woodpecker step",
};

const BUILDKITE: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Buildkite,
    name: "Buildkite",
    config_files: "`.buildkite/pipeline*.yml`",
    matches: |p| p.name.starts_with("pipeline") && p.is_yaml() && p.dir_is(".buildkite"),
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "a Buildkite step",
};

const CLOUD_BUILD: CiSystemInfo = CiSystemInfo {
    system: CiSystem::CloudBuild,
    name: "Google Cloud Build",
    config_files: "`cloudbuild*.yaml`, `cloudbuild*.json`",
    matches: |p| p.name.starts_with("cloudbuild") && (p.is_yaml() || p.name.ends_with(".json")),
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::Ambient,
    step_conditions_unseen: false,
    next_step_job: "a Google Cloud Build step",
};

const CODE_BUILD: CiSystemInfo = CiSystemInfo {
    system: CiSystem::CodeBuild,
    name: "AWS CodeBuild",
    config_files: "`buildspec*.yml`",
    matches: |p| p.name.starts_with("buildspec") && p.is_yaml(),
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "an AWS CodeBuild step",
};

const TEKTON: CiSystemInfo = CiSystemInfo {
    system: CiSystem::Tekton,
    name: "Tekton",
    config_files: "YAML under `.tekton/`",
    matches: |p| p.is_yaml() && p.dir_is(".tekton"),
    format: ConfigFormat::Yaml,
    registry_login: RegistryLogin::CarriesOver,
    step_conditions_unseen: false,
    next_step_job: "a Tekton step",
};

impl CiSystem {
    /// This system's descriptor.
    pub fn info(self) -> &'static CiSystemInfo {
        match self {
            CiSystem::GithubActions => &GITHUB_ACTIONS,
            CiSystem::GitlabCi => &GITLAB_CI,
            CiSystem::Circleci => &CIRCLECI,
            CiSystem::AzurePipelines => &AZURE_PIPELINES,
            CiSystem::BitbucketPipelines => &BITBUCKET_PIPELINES,
            CiSystem::Jenkins => &JENKINS,
            CiSystem::Travis => &TRAVIS,
            CiSystem::Drone => &DRONE,
            CiSystem::Woodpecker => &WOODPECKER,
            CiSystem::Buildkite => &BUILDKITE,
            CiSystem::CloudBuild => &CLOUD_BUILD,
            CiSystem::CodeBuild => &CODE_BUILD,
            CiSystem::Tekton => &TEKTON,
        }
    }

    /// The name people use: `GitLab CI`.
    pub fn display_name(self) -> &'static str {
        self.info().name
    }

    /// The system whose configuration files include this path, if any.
    pub fn of_path(path: &CiPath<'_>) -> Option<CiSystem> {
        SYSTEMS.iter().find(|s| (s.matches)(path)).map(|s| s.system)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_system_has_one_row_in_the_classify_order() {
        for (i, s) in SYSTEMS.iter().enumerate() {
            assert_eq!(s.system.info().name, s.name);
            assert!(
                SYSTEMS[..i].iter().all(|o| o.system != s.system),
                "{} listed twice",
                s.name
            );
        }
        // `info` is an exhaustive match: every variant has a descriptor;
        // each descriptor must also be tried by `classify`.
        assert_eq!(SYSTEMS.len(), CiSystem::Tekton as usize + 1);
    }

    #[test]
    fn every_system_speaks_for_itself_in_next_steps() {
        for s in SYSTEMS.iter() {
            let own = s.system == CiSystem::GithubActions;
            assert_eq!(
                s.next_step_job.contains("GitHub"),
                own,
                "{}: {}",
                s.name,
                s.next_step_job
            );
            assert!(!s.config_files.is_empty());
        }
    }

    #[test]
    fn comment_syntax_follows_the_format() {
        assert_eq!(CiSystem::Jenkins.info().format.comment_prefix(), "//");
        assert_eq!(CiSystem::GitlabCi.info().format.comment_prefix(), "#");
    }
}
