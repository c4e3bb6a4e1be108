//! The Compose model: what a Compose project declares, with lines.

/// A value with the line it was written on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Located<T> {
    pub value: T,
    pub file: String,
    pub line: u32,
}

/// One Compose project: a main file with its override files merged, and
/// `include:`d files folded in. `files` lists every file that contributed.
#[derive(Clone, Debug, Default)]
pub struct ComposeProject {
    /// The main file (e.g. `compose.yaml`), relative to the root.
    pub file: String,
    /// The project directory (relative paths resolve against it).
    pub dir: String,
    /// Every file merged into this project, main first.
    pub files: Vec<String>,
    /// Whether this project is an override/variant that was not merged
    /// into a main file (e.g. `docker-compose.prod.yml` on its own).
    pub variant: bool,
    pub name: Option<String>,
    /// Obsolete top-level `version:`.
    pub version: Option<Located<String>>,
    pub services: Vec<ComposeService>,
    pub networks: Vec<Located<String>>,
    pub volumes: Vec<Located<String>>,
    pub secrets: Vec<Located<String>>,
    pub configs: Vec<Located<String>>,
    /// Every `${VAR}` reference, with whether it has a default, sorted by
    /// file and line (rules look references up by line).
    pub variables: Vec<VariableRef>,
    pub includes: Vec<Located<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VariableRef {
    pub name: String,
    /// `${X:-d}`, `${X-d}`, `${X:?err}` (required) or plain. `${X:+alt}`
    /// and `${X+alt}` count as defaulted (an unset `X` is expected there).
    pub has_default: bool,
    pub required: bool,
    /// The value interpolated is the default written in the file (`${X:-d}`
    /// with `X` not set in `.env`): committed text, not the environment's.
    pub default_used: bool,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, Default)]
pub struct ComposeService {
    pub name: String,
    pub file: String,
    pub line: u32,
    pub build: Option<ComposeBuild>,
    pub image: Option<Located<String>>,
    pub ports: Vec<PortMapping>,
    pub expose: Vec<Located<String>>,
    pub volumes: Vec<VolumeMount>,
    pub depends_on: Vec<Dependency>,
    pub healthcheck: Option<Healthcheck>,
    pub profiles: Vec<String>,
    pub env_files: Vec<EnvFileRef>,
    pub environment: Vec<EnvVar>,
    pub networks: Vec<Located<String>>,
    pub network_mode: Option<Located<String>>,
    pub privileged: Option<Located<bool>>,
    pub container_name: Option<Located<String>>,
    pub secrets: Vec<Located<String>>,
    pub configs: Vec<Located<String>>,
    /// `extends:`: the base service's name, where `extends` is written.
    pub extends: Option<Located<String>>,
    /// The file `extends.file` names, resolved (`None`: the same file).
    pub extends_file: Option<String>,
    /// `develop.watch` present.
    pub develop_watch: Option<u32>,
    pub command: Option<Located<String>>,
    pub user: Option<Located<String>>,
    pub restart: Option<Located<String>>,
    pub scale: Option<Located<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComposeBuild {
    pub file: String,
    pub line: u32,
    /// The context as written, interpolated, resolved against the project
    /// directory and normalised (`""` = the root). A remote context (git
    /// URL) keeps its text and sets `remote`.
    pub context: String,
    pub remote: bool,
    /// The Dockerfile, resolved against the context, normalised (an
    /// absolute path, or any path of a remote context, as written). `None`
    /// when not written: Compose then uses `<context>/Dockerfile`.
    pub dockerfile: Option<String>,
    pub dockerfile_inline: bool,
    pub target: Option<String>,
    pub args: Vec<(String, String)>,
}

impl ComposeBuild {
    /// The Dockerfile this build uses: `dockerfile:`, else
    /// `<context>/Dockerfile` as Compose defaults it.
    pub fn dockerfile_path(&self) -> String {
        self.dockerfile
            .clone()
            .unwrap_or_else(|| crate::paths::join(&self.context, "Dockerfile").unwrap_or_default())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortMapping {
    pub file: String,
    pub line: u32,
    pub host_ip: Option<String>,
    pub host: Option<String>,
    pub container: String,
    pub protocol: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeMount {
    pub file: String,
    pub line: u32,
    pub kind: MountKind,
    /// Bind sources are resolved against the project dir and normalised
    /// when relative; absolute host paths are kept as written.
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub service: String,
    /// `service_started`, `service_healthy`, `service_completed_successfully`.
    pub condition: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    pub file: String,
    pub line: u32,
    pub disabled: bool,
    /// The `test` command as one string (the words of a list joined with
    /// spaces, `CMD`/`CMD-SHELL` left out), with the line of `test`.
    pub test: Option<(String, u32)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFileRef {
    /// Resolved against the project dir, normalised.
    pub path: String,
    pub required: bool,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub key: String,
    pub value: Option<String>,
    pub file: String,
    pub line: u32,
}
