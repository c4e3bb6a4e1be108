//! The pipeline graph: service → image definition → CI build → image
//! reference → CI run / Compose service / deploy. Steps 2–7 and the
//! cross-file rules are questions asked of it. Every edge keeps the file
//! and line it rests on.

mod build;
pub mod consumers;
pub mod image;
mod pipeline;
pub mod ports;
pub mod roles;
mod throwaway;
pub mod view;

use crate::inventory::Service;
use kubeready_shell::Meaning;

pub use build::build_graph;
pub use pipeline::references_pipeline_tag;
pub use roles::ImageRole;

/// How an image is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageDefKind {
    Dockerfile,
    /// Jib, ko, buildpacks, Nixpacks...: an image build without a Dockerfile.
    Builder(String),
}

#[derive(Clone, Debug)]
pub struct ImageDef {
    pub kind: ImageDefKind,
    /// The Dockerfile, or the builder's config file.
    pub file: String,
    pub line: u32,
    /// Build contexts used for it (Compose/CI), or its own folder.
    pub contexts: Vec<String>,
    /// Image names it is published or run as (Compose `image:` beside
    /// `build:`, CI tags), as written.
    pub names: Vec<String>,
    /// The components it builds (usually one).
    pub components: Vec<usize>,
    /// Why it belongs to its component, for evidence.
    pub owner_reason: String,
    /// Some CI build builds it (by Dockerfile path).
    pub built_in_ci: bool,
    /// Some CI build of it pushes (by flag, or in a job that pushes).
    pub pushed_in_ci: bool,
    /// Its role (SPEC 1.2); set for every definition once the graph is
    /// built (see [`roles`]).
    pub role: Option<ImageRole>,
    /// Why it has that role.
    pub role_evidence: String,
}

impl ImageDef {
    /// The definition's role (a component until [`roles::assign`] ran).
    pub fn role(&self) -> ImageRole {
        self.role.unwrap_or(ImageRole::Component)
    }
}

/// A containerizable unit: a detected service, or an image-only component
/// (an image definition whose context holds no detected service).
#[derive(Clone, Debug)]
pub struct Component {
    pub name: String,
    pub path: String,
    pub service: Option<usize>,
    pub image_defs: Vec<usize>,
}

/// A CI job step that builds images.
#[derive(Clone, Debug)]
pub struct Build {
    pub pipeline: usize,
    pub job: usize,
    pub file: String,
    pub line: u32,
    pub tool: String,
    /// The Dockerfile path the build names (resolved), existing or not.
    pub dockerfile: Option<String>,
    pub context: Option<String>,
    pub image_defs: Vec<usize>,
    pub tags: Vec<String>,
    pub push: bool,
    pub automatic: bool,
    pub manual: bool,
    pub pull_request_only: bool,
    /// A `--target` stage, when given.
    pub target: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    DockerRun,
    ComposeRun,
    JobContainer,
    ServiceContainer,
    TestStage,
    StructureTest,
    /// The built images deployed to a throwaway cluster (kind, k3d,
    /// minikube) and tested there.
    ThrowawayCluster,
}

impl RunKind {
    pub fn describe(self) -> &'static str {
        match self {
            RunKind::DockerRun => "runs",
            RunKind::ComposeRun => "runs Compose services",
            RunKind::JobContainer => "runs the job inside",
            RunKind::ServiceContainer => "starts a service container",
            RunKind::TestStage => "builds the test stage of",
            RunKind::StructureTest => "runs container-structure-test on",
            RunKind::ThrowawayCluster => "deploys to a throwaway cluster and tests",
        }
    }
}

/// CI running containers.
#[derive(Clone, Debug)]
pub struct Run {
    pub pipeline: usize,
    pub job: usize,
    pub file: String,
    pub line: u32,
    pub kind: RunKind,
    pub image: String,
    /// Components whose built image runs.
    pub components: Vec<usize>,
}

/// A deployment step.
#[derive(Clone, Debug)]
pub struct Deploy {
    pub pipeline: usize,
    pub job: usize,
    pub file: String,
    pub line: u32,
    pub tool: String,
    pub action: String,
    /// The environment or job name that says where it goes.
    pub target: String,
    pub target_line: u32,
    pub non_production: bool,
    pub production: bool,
    pub automatic: bool,
    pub manual: bool,
    /// Components whose built images it deploys, with why.
    pub components: Vec<usize>,
    pub uses_built_reason: Option<String>,
    /// Into a cluster the same job brings up (kind, k3d, minikube) or a
    /// local cluster's kube context: a test of the images (step 6), not a
    /// deploy to an environment.
    pub throwaway_cluster: bool,
}

/// A Compose service linked to what it runs.
#[derive(Clone, Debug)]
pub struct ComposeLink {
    pub project: usize,
    pub service: String,
    /// The service's index in its project's `services`.
    pub service_index: usize,
    pub file: String,
    pub line: u32,
    pub components: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub services: Vec<Service>,
    pub image_defs: Vec<ImageDef>,
    pub components: Vec<Component>,
    pub compose_links: Vec<ComposeLink>,
    pub builds: Vec<Build>,
    pub runs: Vec<Run>,
    pub deploys: Vec<Deploy>,
    /// One port chain per service whose listening port is known, computed
    /// once when the graph is built (the graph view, `KR510` and `KR511`
    /// read it).
    pub port_chains: Vec<ports::PortChain>,
    /// Where each image definition is used (by index into `image_defs`),
    /// computed once when the graph is built.
    pub image_consumers: Vec<Vec<consumers::Consumer>>,
    /// Image names by short name, built on first lookup (see
    /// [`Graph::components_for_image`]); reset whenever builds or image
    /// names change.
    pub(crate) image_index: std::sync::OnceLock<ImageIndex>,
    /// Compose links by component (see [`Graph::compose_links_of`]).
    pub(crate) links_by_component:
        std::sync::OnceLock<std::collections::HashMap<usize, Vec<usize>>>,
    /// The orchestration facts without the manifests, charts and
    /// kustomizations that demonstrate or test the product (under
    /// examples, e2e suites, fixtures: [`crate::inventory::demonstrates_or_tests`]);
    /// `None` when there are none. Read through [`Graph::own_orchestration`].
    pub own_orchestration: Option<crate::parse::k8s::OrchestrationFacts>,
}

/// Every image name the graph knows (image-definition names and CI build
/// tags) with the components it stands for and whether CI builds it.
#[derive(Clone, Debug, Default)]
pub struct ImageIndex {
    names: image::NameIndex<(Vec<usize>, bool)>,
    /// Image definitions by file (Dockerfile or builder config).
    defs_by_file: std::collections::HashMap<String, Vec<usize>>,
    /// Components of the image definitions some build builds.
    built_components: std::collections::HashSet<usize>,
}

impl ImageIndex {
    fn build(g: &Graph) -> ImageIndex {
        let mut names = image::NameIndex::default();
        let built_defs: std::collections::HashSet<usize> = g
            .builds
            .iter()
            .flat_map(|b| b.image_defs.iter().copied())
            .collect();
        let mut defs_by_file: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, def) in g.image_defs.iter().enumerate() {
            defs_by_file.entry(def.file.clone()).or_default().push(i);
            let built = built_defs.contains(&i);
            for n in &def.names {
                names.insert(n, (def.components.clone(), built));
            }
        }
        for b in &g.builds {
            let comps = g.build_components(b);
            for t in &b.tags {
                names.insert(t, (comps.clone(), true));
            }
        }
        let built_components = built_defs
            .iter()
            .filter_map(|&d| g.image_defs.get(d))
            .flat_map(|def| def.components.iter().copied())
            .collect();
        ImageIndex {
            names,
            defs_by_file,
            built_components,
        }
    }
}

impl Graph {
    /// Components that have an image definition of their own
    /// (containerized services and image-only components; an image-only
    /// variant of another component's image is covered by that one).
    /// The product's own orchestration facts: those of `facts` without
    /// the manifests of examples and test suites. The sections and the
    /// checklist's advice read these; the rules and the graph's joins (a
    /// test deploy of an e2e manifest is still a run of the images) read
    /// every manifest.
    pub fn own_orchestration<'a>(
        &'a self,
        facts: &'a crate::parse::Facts,
    ) -> &'a crate::parse::k8s::OrchestrationFacts {
        self.own_orchestration
            .as_ref()
            .unwrap_or(&facts.orchestration)
    }

    pub fn containerized(&self) -> impl Iterator<Item = (usize, &Component)> {
        self.components.iter().enumerate().filter(|(_, c)| {
            c.image_defs.iter().any(|&d| {
                self.image_defs
                    .get(d)
                    .is_some_and(|x| matches!(x.role(), ImageRole::Service | ImageRole::Component))
            })
        })
    }

    /// The consumers of an image definition.
    pub fn consumers_of(&self, def: usize) -> &[consumers::Consumer] {
        self.image_consumers
            .get(def)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether a file defines an image of the app (a service, component
    /// or variant image; not a CI, test or development image).
    pub fn defines_app_image(&self, file: &str) -> bool {
        self.image_defs_for_file(file)
            .iter()
            .any(|&d| self.image_defs.get(d).is_some_and(|x| x.role().is_app()))
    }

    pub fn component_of_service(&self, service: usize) -> Option<usize> {
        // The graph gives every service the component of its own index
        // first (see `build_graph`): a lookup, not a scan per call.
        if self
            .components
            .get(service)
            .is_some_and(|c| c.service == Some(service))
        {
            return Some(service);
        }
        self.components
            .iter()
            .position(|c| c.service == Some(service))
    }

    /// The Compose links that run a component, by index into
    /// `compose_links` (built once, so per-component questions stay
    /// linear in the number of links).
    pub fn compose_links_of(&self, component: usize) -> &[usize] {
        self.links_by_component
            .get_or_init(|| {
                let mut by: std::collections::HashMap<usize, Vec<usize>> = Default::default();
                for (i, l) in self.compose_links.iter().enumerate() {
                    for &c in &l.components {
                        by.entry(c).or_default().push(i);
                    }
                }
                by
            })
            .get(&component)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn is_service_containerized(&self, service: usize) -> bool {
        self.component_of_service(service)
            .and_then(|c| self.components.get(c))
            .is_some_and(|c| !c.image_defs.is_empty())
    }

    /// Every image name the repo's CI builds (tags as written).
    pub fn built_names(&self) -> impl Iterator<Item = &str> {
        self.builds
            .iter()
            .flat_map(|b| b.tags.iter().map(String::as_str))
    }

    /// The components whose image definitions a build builds.
    pub fn build_components(&self, b: &Build) -> Vec<usize> {
        b.image_defs
            .iter()
            .filter_map(|d| self.image_defs.get(*d))
            .flat_map(|d| d.components.iter().copied())
            .collect()
    }

    /// The components built by every build that `pick` selects.
    pub fn built_components(&self, pick: impl Fn(&Build) -> bool) -> Vec<usize> {
        self.builds
            .iter()
            .filter(|b| pick(b))
            .flat_map(|b| self.build_components(b))
            .collect()
    }

    fn index(&self) -> &ImageIndex {
        self.image_index.get_or_init(|| ImageIndex::build(self))
    }

    /// Forgets the image index after builds or image names changed.
    pub(crate) fn reset_image_index(&mut self) {
        self.image_index = std::sync::OnceLock::new();
    }

    /// Components whose images match `image` by name (an image
    /// definition's names, or the tags of a CI build of it).
    pub fn components_for_image(&self, image: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .index()
            .names
            .matches(image)
            .flat_map(|(c, _)| c.iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The image definitions whose file is `path`, in graph order.
    pub fn image_defs_for_file(&self, path: &str) -> &[usize] {
        self.index()
            .defs_by_file
            .get(path)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether some build builds an image definition of this component.
    pub fn builds_component(&self, component: usize) -> bool {
        self.index().built_components.contains(&component)
    }

    /// Whether the repo's CI builds an image of this name.
    pub fn ci_builds_image(&self, image: &str) -> bool {
        self.index().names.matches(image).any(|(_, built)| *built)
    }
}

/// Whether a meaning is about images at all (for evidence lines).
pub fn meaning_label(m: &Meaning) -> String {
    match m {
        Meaning::ImageBuild(b) => format!("{} build", b.tool),
        Meaning::ImagePush { tool, .. } => format!("{tool} push"),
        Meaning::RegistryLogin { tool, .. } => format!("{tool} login"),
        Meaning::ImageTag { .. } => "docker tag".into(),
        Meaning::ImageRun { tool, image, .. } => format!("{tool} run {image}"),
        Meaning::Compose(c) => format!("{} {}", c.tool, c.subcommand),
        Meaning::Deploy(d) => format!("{} {}", d.tool, d.action),
        Meaning::GitOpsBump { tool, .. } => format!("{tool} image bump"),
        Meaning::ContainerTest { tool } => tool.clone(),
        Meaning::TestCommand { tool } => format!("{tool} tests"),
        Meaning::LocalCluster { tool, .. } => format!("{tool} cluster"),
    }
}
