//! STUB (replaced by the real crate on merge): the API contract only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<String>,
    pub line: u32,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
}
pub fn parse_script(_src: &str) -> Script {
    Script { commands: vec![] }
}
pub fn classify_script(_src: &str) -> Vec<(u32, Meaning)> {
    vec![]
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Meaning {
    ImageBuild(ImageBuild),
    ImagePush {
        tool: String,
        images: Vec<String>,
    },
    RegistryLogin {
        tool: String,
        registry: Option<String>,
    },
    ImageTag {
        source: String,
        target: String,
    },
    ImageRun {
        tool: String,
        image: String,
        command: Vec<String>,
    },
    Compose(ComposeInvocation),
    Deploy(Deploy),
    GitOpsBump {
        tool: String,
        image: Option<String>,
        file: Option<String>,
    },
    ContainerTest {
        tool: String,
    },
    TestCommand {
        tool: String,
    },
}
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ImageBuild {
    pub tool: String,
    pub dockerfile: Option<String>,
    pub context: Option<String>,
    pub tags: Vec<String>,
    pub target: Option<String>,
    pub push: bool,
    pub build_args: Vec<String>,
    pub platforms: Vec<String>,
}
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ComposeInvocation {
    pub tool: String,
    pub files: Vec<String>,
    pub project_dir: Option<String>,
    pub profiles: Vec<String>,
    pub subcommand: String,
    pub services: Vec<String>,
    pub remote: Option<String>,
    pub detach: bool,
}
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Deploy {
    pub tool: String,
    pub action: String,
    pub images: Vec<String>,
    pub files: Vec<String>,
    pub namespace: Option<String>,
    pub context: Option<String>,
    pub release: Option<String>,
}
