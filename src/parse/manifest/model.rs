//! The facts a manifest scan yields: one [`Project`] per project root, its
//! language, role and how it runs.

use serde::Serialize;
use std::fmt;

/// How much of a source file is read when sniffing it (`package main`,
/// framework imports).
pub const SNIFF_BYTES: usize = 4096;
/// At most this many source files are sniffed per project.
pub const MAX_SNIFFED_FILES: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Node,
    Python,
    Go,
    Rust,
    /// Java and Kotlin (and other JVM languages built by Maven or Gradle).
    Java,
    Dotnet,
    Ruby,
    Php,
    Elixir,
}

impl Language {
    /// The JSON name (`node`, `python`, ..., `dotnet`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Node => "node",
            Language::Python => "python",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Java => "java",
            Language::Dotnet => "dotnet",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::Elixir => "elixir",
        }
    }

    /// The name shown to people (`Node.js`, `Java/Kotlin`, `.NET`, ...).
    pub fn display_name(self) -> &'static str {
        match self {
            Language::Node => "Node.js",
            Language::Python => "Python",
            Language::Go => "Go",
            Language::Rust => "Rust",
            Language::Java => "Java/Kotlin",
            Language::Dotnet => ".NET",
            Language::Ruby => "Ruby",
            Language::Php => "PHP",
            Language::Elixir => "Elixir",
        }
    }

    /// Parses the JSON name or a common alias (`javascript`, `kotlin`,
    /// `csharp`, ...), case-insensitively; for the config file.
    pub fn parse(s: &str) -> Option<Language> {
        let l = s.trim().to_ascii_lowercase();
        Some(match l.as_str() {
            "node" | "nodejs" | "node.js" | "js" | "javascript" | "ts" | "typescript" | "deno"
            | "bun" => Language::Node,
            "python" | "py" => Language::Python,
            "go" | "golang" => Language::Go,
            "rust" | "rs" => Language::Rust,
            "java" | "kotlin" | "jvm" | "java/kotlin" | "scala" | "groovy" => Language::Java,
            "dotnet" | ".net" | "net" | "csharp" | "c#" | "fsharp" | "f#" => Language::Dotnet,
            "ruby" | "rb" => Language::Ruby,
            "php" => Language::Php,
            "elixir" | "ex" => Language::Elixir,
            _ => return None,
        })
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectRole {
    /// A runnable program: server, worker, front-end app, CLI binary.
    Service,
    /// Code used by other projects (or a tool that is not deployed).
    Library,
    /// A workspace/monorepo root (npm/yarn/pnpm workspaces, Cargo
    /// workspace, Elixir umbrella) that is not itself a service.
    WorkspaceRoot,
    /// A build aggregator (Maven `<modules>`, Gradle `settings.gradle`
    /// includes) that is not itself a service.
    Aggregator,
}

impl ProjectRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProjectRole::Service => "service",
            ProjectRole::Library => "library",
            ProjectRole::WorkspaceRoot => "workspace-root",
            ProjectRole::Aggregator => "aggregator",
        }
    }
}

impl fmt::Display for ProjectRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Image builds configured without a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageBuilderTool {
    Jib,
    Ko,
    Buildpacks,
    Nixpacks,
    SpringBootBuildImage,
    Quarkus,
}

impl ImageBuilderTool {
    pub fn as_str(&self) -> &'static str {
        match self {
            ImageBuilderTool::Jib => "jib",
            ImageBuilderTool::Ko => "ko",
            ImageBuilderTool::Buildpacks => "buildpacks",
            ImageBuilderTool::Nixpacks => "nixpacks",
            ImageBuilderTool::SpringBootBuildImage => "spring-boot-build-image",
            ImageBuilderTool::Quarkus => "quarkus-container-image",
        }
    }

    pub fn display_name(&self) -> &'static str {
        match self {
            ImageBuilderTool::Jib => "Jib",
            ImageBuilderTool::Ko => "ko",
            ImageBuilderTool::Buildpacks => "Cloud Native Buildpacks",
            ImageBuilderTool::Nixpacks => "Nixpacks",
            ImageBuilderTool::SpringBootBuildImage => "Spring Boot build-image",
            ImageBuilderTool::Quarkus => "Quarkus container-image",
        }
    }
}

impl fmt::Display for ImageBuilderTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageBuilderConfig {
    pub tool: ImageBuilderTool,
    /// The file that configures it (`pom.xml`, `.ko.yaml`, `project.toml`...).
    pub file: String,
    pub line: u32,
    /// The target image when the configuration names it (Jib `<to><image>`,
    /// Spring Boot `imageName`, `quarkus.container-image.image`).
    pub image: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// `""` for the root (reports show `.`), else e.g. `services/api`.
    pub dir: String,
    /// Package name, module last segment, or folder name.
    pub name: String,
    pub language: Language,
    /// Path of the primary manifest, e.g. `services/api/go.mod`.
    pub manifest: String,
    pub role: ProjectRole,
    /// Why, in a few words: `package.json has a start script`, `Django
    /// (manage.py)`, `library: no binary target`.
    pub reason: String,
    /// `express`, `django`, `fastapi`, `spring-boot`, `rails`, ...
    pub frameworks: Vec<String>,
    /// A server/web framework: it likely listens on a port.
    pub web: bool,
    /// Ports found cheaply (scripts, `server.port`, launch settings).
    pub ports: Vec<u16>,
    pub image_builders: Vec<ImageBuilderConfig>,
    /// Line in the manifest of the decisive fact (1 when the whole file).
    pub line: u32,
    /// How the program runs, as far as cheap signals tell (SPEC 1.2: the
    /// repository kind rests on it).
    pub program: Program,
    /// Why [`Project::program`] is what it is, with a file (and line where
    /// known): `Cargo.toml:12 [[bin]] with clap, no server crate`.
    pub program_evidence: Option<String>,
    /// The packages the manifest requires, with their lines (`go.mod`
    /// direct `require`s, `.csproj` `PackageReference`s; not read yet for the
    /// other languages). Sections ask them which backing services the
    /// code talks to.
    pub dependencies: Vec<(String, u32)>,
    /// Set when the entry point is a command-line program (a CLI framework
    /// parses its arguments) but the manifest also requires a server
    /// framework, so [`Project::program`] rests on that dependency alone
    /// (a server subcommand, or a client library): the kind detector
    /// weighs it against how the repository ships the binary.
    pub entry_cli: Option<String>,
}

/// How a service project runs (SPEC 1.2): a server or worker makes the
/// repository an application; a command-line binary a CLI tool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Program {
    /// Listens for requests (web framework, gRPC server, `listen(...)`).
    Server,
    /// Runs in the background without listening (queue worker, cron).
    Worker,
    /// A command-line binary (`bin` in package.json, console scripts,
    /// gem executables, a Rust/Go binary with no server).
    Cli,
    /// No signal either way.
    #[default]
    Unknown,
}
