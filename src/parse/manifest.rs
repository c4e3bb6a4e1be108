//! STUB (replaced on merge of the service-detection work).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Node,
    Python,
    Go,
    Rust,
    Java,
    Dotnet,
    Ruby,
    Php,
    Elixir,
}
impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectRole {
    Service,
    Library,
    WorkspaceRoot,
    Aggregator,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageBuilderTool {
    Jib,
    Ko,
    Buildpacks,
    Nixpacks,
    SpringBootBuildImage,
    Quarkus,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageBuilderConfig {
    pub tool: ImageBuilderTool,
    pub file: String,
    pub line: u32,
    pub image: Option<String>,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub dir: String,
    pub name: String,
    pub language: Language,
    pub manifest: String,
    pub role: ProjectRole,
    pub reason: String,
    pub frameworks: Vec<String>,
    pub web: bool,
    pub ports: Vec<u16>,
    pub image_builders: Vec<ImageBuilderConfig>,
    pub line: u32,
}
pub fn scan_projects(_tree: &crate::walk::Tree) -> (Vec<Project>, Vec<crate::parse::ParseProblem>) {
    (vec![], vec![])
}
