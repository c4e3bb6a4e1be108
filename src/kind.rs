//! The repository's kind (SPEC 1.2): an application, a command-line tool,
//! a library, an infrastructure repository, a documentation site or a
//! template. The kind decides which steps and sections can apply, so that
//! no advice asks for what the kind makes meaningless.
//!
//! Judgement over facts (the listing, the projects, the graph); it reads
//! no files.

use crate::checklist::{Evidence, StepId};
use crate::graph::{Graph, ImageRole};
use crate::inventory::Service;
use crate::parse::manifest::{Program, ProjectRole};
use crate::parse::Facts;
use crate::paths;
use serde::Serialize;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum RepositoryKind {
    /// At least one service that runs as a server or worker.
    Application,
    /// Ships a command-line binary; an image is a distribution channel.
    CliTool,
    /// Packages and SDKs: nothing that runs on its own.
    Library,
    /// Manifests, charts and infrastructure as code only.
    Infrastructure,
    /// A documentation site.
    Documentation,
    /// A generator whose files are templated (cookiecutter, copier).
    Template,
}

impl RepositoryKind {
    pub const ALL: [RepositoryKind; 6] = [
        RepositoryKind::Application,
        RepositoryKind::CliTool,
        RepositoryKind::Library,
        RepositoryKind::Infrastructure,
        RepositoryKind::Documentation,
        RepositoryKind::Template,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RepositoryKind::Application => "application",
            RepositoryKind::CliTool => "cli-tool",
            RepositoryKind::Library => "library",
            RepositoryKind::Infrastructure => "infrastructure",
            RepositoryKind::Documentation => "documentation",
            RepositoryKind::Template => "template",
        }
    }

    pub fn from_id(s: &str) -> Option<RepositoryKind> {
        RepositoryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// "a command-line tool", for reasons and messages.
    pub fn described(self) -> &'static str {
        match self {
            RepositoryKind::Application => "an application",
            RepositoryKind::CliTool => "a command-line tool",
            RepositoryKind::Library => "a library",
            RepositoryKind::Infrastructure => "an infrastructure repository",
            RepositoryKind::Documentation => "a documentation site",
            RepositoryKind::Template => "a template",
        }
    }

    /// Why a step cannot apply to this kind, or `None` when it can.
    pub fn step_not_applicable(self, step: StepId) -> Option<String> {
        match self {
            RepositoryKind::Application => None,
            RepositoryKind::CliTool => match step {
                StepId::Compose | StepId::DevEnv | StepId::CdStaging => Some(
                    "a command-line tool: its image is a distribution channel, not an app to compose or deploy"
                        .into(),
                ),
                _ => None,
            },
            RepositoryKind::Infrastructure => Some(
                "an infrastructure repository: it builds no image; its sections judge it".into(),
            ),
            other => Some(format!("{}: nothing to containerize", other.described())),
        }
    }

    /// Why a section (by id) cannot apply to this kind, or `None`.
    pub fn section_not_applicable(self, section: &str) -> Option<String> {
        let running_app_sections = [
            "orchestration",
            "stateful-services",
            "deployment-tooling",
            "federation",
        ];
        match self {
            RepositoryKind::Application | RepositoryKind::Infrastructure => None,
            RepositoryKind::CliTool if running_app_sections.contains(&section) => {
                Some("a command-line tool is not deployed as a running app".into())
            }
            RepositoryKind::CliTool => None,
            _ if section == "developer-experience" => None,
            other => Some(format!("{}: nothing is deployed", other.described())),
        }
    }
}

/// The kind with the facts it rests on.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Repository {
    pub kind: RepositoryKind,
    /// Set when `.kubeready.yaml` says the kind (`kind: application`).
    pub declared: bool,
    pub evidence: Vec<Evidence>,
}

/// Code files that say a tree is more than a docs site.
const CODE_EXTENSIONS: &[&str] = &[
    "js", "mjs", "cjs", "ts", "tsx", "jsx", "py", "go", "rs", "java", "kt", "cs", "rb", "php",
    "ex", "exs", "vue", "svelte", "tf", "hcl",
];

/// Static-site generators a docs site is built with (Node frameworks as
/// the manifest scan names them, and config files of the others).
const SITE_FRAMEWORKS: &[&str] = &[
    "next",
    "docusaurus",
    "gatsby",
    "astro",
    "vitepress",
    "vuepress",
    "nuxt",
    "eleventy",
    "hexo",
];
const SITE_CONFIGS: &[&str] = &[
    "mkdocs.yml",
    "mkdocs.yaml",
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "book.toml",
    "antora-playbook.yml",
    "antora.yml",
    "hugo.toml",
    "hugo.yaml",
    "_config.yml",
    "conf.py",
    ".vitepress/config.ts",
    ".vitepress/config.js",
    "mint.json",
    "docs.json",
];
const TEMPLATE_MARKERS: &[&str] = &[
    "cookiecutter.json",
    "copier.yml",
    "copier.yaml",
    "copier.json",
];

/// What the tree shows about being a documentation site or a template,
/// gathered by [`SiteFacts::collect`] and judged by [`site_or_template`].
struct SiteFacts<'a> {
    /// A project generator's marker file (`cookiecutter.json`, ...).
    template_marker: Option<&'static str>,
    /// A top-level folder whose name is templated (`{{...}}`).
    templated_folder: bool,
    /// The first path holding `{{` (the evidence of a templated folder).
    first_templated_path: String,
    /// A Compose file outside the templated folders.
    compose_outside_templates: bool,
    /// A Compose file or a Kubernetes object outside docs and examples:
    /// something runs, so no docs site.
    runs_outside_docs: bool,
    /// Documentation pages (`.md`, `.mdx`, `.rst`, `.adoc`).
    pages: usize,
    /// Code files ([`CODE_EXTENSIONS`]).
    code: usize,
    /// A site generator's config file at the root.
    site_config: Option<&'static str>,
    /// The services that are site generators' projects.
    site_services: Vec<&'a Service>,
    /// The site's own project, whether or not it was judged a service (a
    /// static export is not one), outside examples.
    site_project: Option<&'a crate::parse::manifest::Project>,
}

fn is_site(frameworks: &[String]) -> bool {
    frameworks
        .iter()
        .any(|f| SITE_FRAMEWORKS.contains(&f.as_str()))
}

impl<'a> SiteFacts<'a> {
    fn collect(facts: &'a Facts, services: &'a [Service]) -> SiteFacts<'a> {
        let files = facts.listing.files();
        let outside_docs = |file: &str| !crate::inventory::is_example_path(paths::parent(file));
        let (mut pages, mut code) = (0usize, 0usize);
        // Once per file of the tree: no allocation, no substring searcher.
        for f in files {
            let ext = f.path.rsplit('.').next().unwrap_or("");
            let is = |e: &&str| ext.eq_ignore_ascii_case(e);
            if ["md", "mdx", "rst", "adoc"].iter().any(is) {
                pages += 1;
            } else if CODE_EXTENSIONS.iter().any(is) {
                code += 1;
            }
        }
        let templated = |s: &str| s.as_bytes().windows(2).any(|w| w == b"{{");
        SiteFacts {
            template_marker: TEMPLATE_MARKERS
                .iter()
                .copied()
                .find(|m| facts.listing.has_file(m)),
            templated_folder: files
                .iter()
                .any(|f| f.path.split('/').next().is_some_and(templated)),
            first_templated_path: files
                .iter()
                .find(|f| templated(&f.path))
                .map(|f| f.path.clone())
                .unwrap_or_default(),
            compose_outside_templates: facts.compose.iter().any(|c| !c.file.contains("{{")),
            runs_outside_docs: facts.compose.iter().any(|c| outside_docs(&c.file))
                || facts
                    .orchestration
                    .objects
                    .iter()
                    .any(|o| outside_docs(&o.file)),
            pages,
            code,
            site_config: SITE_CONFIGS
                .iter()
                .copied()
                .find(|c| facts.listing.has_file(c)),
            site_services: services.iter().filter(|s| is_site(&s.frameworks)).collect(),
            site_project: facts.projects.iter().find(|p| {
                // The manifest scan names a static export it left out of
                // the services in its reason (TODO: a field of `Project`,
                // set by `parse/manifest/node.rs`).
                (is_site(&p.frameworks) || p.reason.contains("static site"))
                    && !crate::inventory::is_example_path(&p.dir)
            }),
        }
    }
}

/// Decided before the graph: a documentation site or a template, whose
/// own project (the site's `package.json`) is then no service. Returns
/// the kind, its evidence and the service paths that are the site itself.
pub fn site_or_template(
    facts: &Facts,
    services: &[Service],
) -> Option<(RepositoryKind, Vec<Evidence>, Vec<String>)> {
    judge_site(&SiteFacts::collect(facts, services), services.len())
}

fn judge_site(
    site: &SiteFacts<'_>,
    services: usize,
) -> Option<(RepositoryKind, Vec<Evidence>, Vec<String>)> {
    if let Some(marker) = site.template_marker {
        // A starter that is itself a runnable app is an application.
        if services == 0 {
            return Some((
                RepositoryKind::Template,
                vec![Evidence::new(
                    marker,
                    1,
                    "a project generator: its files are templates",
                )],
                Vec::new(),
            ));
        }
    }
    if services == 0 && site.templated_folder && !site.compose_outside_templates {
        return Some((
            RepositoryKind::Template,
            vec![Evidence::new(
                site.first_templated_path.clone(),
                1,
                "templated folder names (`{{...}}`): a project generator",
            )],
            Vec::new(),
        ));
    }
    // A documentation site: markdown outnumbers code, a site generator
    // builds it, and nothing else runs.
    let (pages, code) = (site.pages, site.code);
    if site.runs_outside_docs || pages < 30 || pages < code.saturating_mul(2) {
        return None;
    }
    if site.site_services.len() != services
        || (site.site_services.is_empty()
            && site.site_config.is_none()
            && site.site_project.is_none())
    {
        return None;
    }
    let counts = format!("{pages} documentation pages against {code} code files");
    let mut evidence = Vec::new();
    if let Some(c) = site.site_config {
        evidence.push(Evidence::new(
            c,
            1,
            format!("a documentation site generator's config; {counts}"),
        ));
    }
    if let (true, Some(p)) = (site.site_services.is_empty(), site.site_project) {
        evidence.push(Evidence::new(
            &p.manifest,
            p.line,
            format!(
                "a static site built with {}; {counts}",
                p.frameworks.join(", ")
            ),
        ));
    }
    for s in &site.site_services {
        evidence.push(Evidence::new(
            &s.manifest,
            s.line,
            format!(
                "`{}` is the site itself ({}); {counts}",
                paths::display(&s.path),
                s.frameworks.join(", ")
            ),
        ));
    }
    Some((
        RepositoryKind::Documentation,
        evidence,
        site.site_services.iter().map(|s| s.path.clone()).collect(),
    ))
}

/// The kind of the repository, from the graph (after [`site_or_template`]
/// had its say, passed as `early`) or from the config.
pub fn detect(
    facts: &Facts,
    graph: &Graph,
    early: Option<(RepositoryKind, Vec<Evidence>)>,
    declared: Option<RepositoryKind>,
) -> Repository {
    if let Some(kind) = declared {
        return Repository {
            kind,
            declared: true,
            evidence: vec![Evidence::new(
                ".kubeready.yaml",
                1,
                format!("`kind: {}` in the config", kind.as_str()),
            )],
        };
    }
    if let Some((kind, evidence)) = early {
        return Repository {
            kind,
            declared: false,
            evidence,
        };
    }
    let (kind, evidence) = judge(facts, graph);
    Repository {
        kind,
        declared: false,
        evidence,
    }
}

fn judge(facts: &Facts, graph: &Graph) -> (RepositoryKind, Vec<Evidence>) {
    let mut evidence = Vec::new();
    let runs: Vec<&Service> = graph
        .services
        .iter()
        .filter(|s| matches!(s.program, Program::Server | Program::Worker))
        .collect();
    let clis: Vec<&Service> = graph
        .services
        .iter()
        .filter(|s| s.program == Program::Cli)
        .collect();
    let service_evidence = |s: &Service, what: &str| {
        Evidence::new(
            &s.manifest,
            s.line,
            format!(
                "`{}` {what}{}",
                paths::display(&s.path),
                s.program_evidence
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
        )
    };
    if !runs.is_empty() {
        if let Some(evidence) = distributed_tool(facts, graph, &runs) {
            return (RepositoryKind::CliTool, evidence);
        }
        for s in &runs {
            let what = if s.program == Program::Server {
                "runs as a server"
            } else {
                "runs as a worker"
            };
            evidence.push(service_evidence(s, what));
        }
        return (RepositoryKind::Application, evidence);
    }
    // Something of the repo runs as an app: Compose runs its images, or a
    // workload deploys them, or an app image exposes a port.
    let app_signal = app_signal(facts, graph).or_else(|| workload_runs_cli(facts, &clis));
    if !clis.is_empty() && app_signal.is_none() {
        for s in &clis {
            evidence.push(service_evidence(s, "ships a command-line binary"));
        }
        return (RepositoryKind::CliTool, evidence);
    }
    let counted_images = graph
        .image_defs
        .iter()
        .filter(|d| matches!(d.role(), ImageRole::Service | ImageRole::Component))
        .count();
    if !graph.services.is_empty() || counted_images > 0 {
        if let Some(e) = app_signal {
            evidence.push(e);
        }
        if let Some(s) = graph.services.first() {
            evidence.push(Evidence::new(
                &s.manifest,
                s.line,
                format!("`{}`: {}", paths::display(&s.path), s.reason),
            ));
        } else if let Some(d) = graph
            .image_defs
            .iter()
            .find(|d| d.role() == ImageRole::Component)
        {
            evidence.push(Evidence::new(&d.file, d.line, "an image of the app"));
        }
        return (RepositoryKind::Application, evidence);
    }
    // Nothing that runs: manifests and charts, or packages.
    let o = &facts.orchestration;
    if let Some(first) = o.objects.first() {
        evidence.push(Evidence::new(
            &first.file,
            first.line,
            format!(
                "{} Kubernetes objects and no buildable service",
                o.objects.len()
            ),
        ));
    }
    if let Some(chart) = o.charts.first() {
        evidence.push(Evidence::new(&chart.file, 1, "a Helm chart"));
    }
    if let Some((file, line)) = o.kustomizations.first() {
        evidence.push(Evidence::new(file, *line, "a Kustomize configuration"));
    }
    if let Some(tf) = facts.listing.files().iter().find(|f| {
        f.path.ends_with(".tf") && !crate::inventory::is_example_path(paths::parent(&f.path))
    }) {
        evidence.push(Evidence::new(&tf.path, 1, "Terraform configuration"));
    }
    let libraries: Vec<_> = facts
        .projects
        .iter()
        .filter(|p| {
            matches!(p.role, ProjectRole::Library | ProjectRole::WorkspaceRoot)
                && !crate::inventory::is_example_path(&p.dir)
        })
        .collect();
    if !evidence.is_empty() && libraries.is_empty() {
        return (RepositoryKind::Infrastructure, evidence);
    }
    if let Some(p) = libraries.first() {
        return (
            RepositoryKind::Library,
            vec![Evidence::new(
                &p.manifest,
                p.line,
                format!("`{}`: {}", paths::display(&p.dir), p.reason),
            )],
        );
    }
    if !evidence.is_empty() {
        return (RepositoryKind::Infrastructure, evidence);
    }
    (RepositoryKind::Application, Vec::new())
}

/// A tool with a server subcommand (SPEC 1.2: `cli-tool`, its image a
/// distribution channel): every server verdict rests on a framework the
/// manifest requires while the entry point parses a command line, the
/// repository publishes the binary to end-user package managers, and
/// nothing in the repository runs it as an app (no Compose service runs
/// its image, no CI job deploys it). A chart or image it ships for users
/// is distribution too. The evidence, or `None` when it is an application.
fn distributed_tool(facts: &Facts, graph: &Graph, runs: &[&Service]) -> Option<Vec<Evidence>> {
    let channel = facts.distribution.first()?;
    if runs_as_app(graph).is_some() {
        return None;
    }
    let mut evidence = Vec::new();
    for s in runs {
        let entry = facts
            .projects
            .iter()
            .find(|p| p.dir == s.path)
            .and_then(|p| p.entry_cli.as_ref())
            .filter(|_| s.program == Program::Server)?;
        evidence.push(Evidence::new(
            &s.manifest,
            s.line,
            format!(
                "`{}` is a command line ({entry}); it requires {} but its entry point starts no server: a subcommand at most",
                paths::display(&s.path),
                s.frameworks.join(", ")
            ),
        ));
    }
    evidence.push(Evidence::new(
        &channel.file,
        channel.line,
        format!("published to end users: {}", channel.what),
    ));
    Some(evidence)
}

/// A Helm chart of the repository runs a command-line service's binary as
/// a long-running workload (an operator or agent configured by flags):
/// the binary is a worker, not a tool people type.
fn workload_runs_cli(facts: &Facts, clis: &[&Service]) -> Option<Evidence> {
    clis.iter().find_map(|s| chart_runs_binary(facts, s))
}

/// A Helm chart of the repository runs this service's binary in a
/// long-running workload (a Deployment, DaemonSet...): the evidence.
fn chart_runs_binary(facts: &Facts, s: &Service) -> Option<Evidence> {
    const LONG_RUNNING: &[&str] = &["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet"];
    let o = &facts.orchestration;
    let names = [s.name.as_str(), paths::file_name(&s.path)];
    for c in &o.template_commands {
        let program = paths::file_name(&c.program);
        if program.is_empty() || !names.contains(&program) {
            continue;
        }
        let Some(kind) = o
            .template_kinds
            .iter()
            .find(|k| k.file == c.file && LONG_RUNNING.contains(&k.kind.as_str()))
        else {
            continue;
        };
        return Some(Evidence::new(
            &c.file,
            c.line,
            format!(
                "the chart runs `{}`, the binary of `{}`, in a {}: a long-running workload",
                c.program,
                paths::display(&s.path),
                kind.kind
            ),
        ));
    }
    None
}

/// The containerized components that run as part of the app, each with
/// the name advice gives it: its name, or its path when another of them
/// has the same name (image-only components are named after their folder:
/// two `docker/` folders). A command-line helper shipped beside the server
/// (a service whose program is a CLI, such as a migration tool) is run by
/// hand, not as a workload, and is left out, unless something runs it
/// long-lived (a Compose service, a workload, a chart's Deployment) or
/// every component is one (then they are the app).
pub fn running_components(facts: &Facts, graph: &Graph) -> Vec<(usize, String)> {
    use crate::graph::consumers::ConsumerKind;
    let all: Vec<(usize, &crate::graph::Component)> = graph.containerized().collect();
    let tool = |c: &crate::graph::Component| {
        let Some(s) = c.service.and_then(|s| graph.services.get(s)) else {
            return false;
        };
        let run_long = c.image_defs.iter().any(|&d| {
            graph.consumers_of(d).iter().any(|u| {
                matches!(
                    u.kind,
                    ConsumerKind::ComposeService | ConsumerKind::Workload
                )
            })
        });
        s.program == Program::Cli && !run_long && chart_runs_binary(facts, s).is_none()
    };
    let running: Vec<(usize, &crate::graph::Component)> = if all.iter().all(|(_, c)| tool(c)) {
        all
    } else {
        all.into_iter().filter(|(_, c)| !tool(c)).collect()
    };
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for (_, c) in &running {
        *counts.entry(c.name.as_str()).or_default() += 1;
    }
    running
        .iter()
        .map(|(i, c)| {
            let shared = counts.get(c.name.as_str()).copied().unwrap_or(0) > 1;
            let name = if shared && !c.path.is_empty() {
                c.path.clone()
            } else {
                c.name.clone()
            };
            (*i, name)
        })
        .collect()
}

/// The repository itself runs its images as an app: a Compose service
/// runs one, or CI deploys one.
fn runs_as_app(graph: &Graph) -> Option<Evidence> {
    if let Some(link) = graph
        .compose_links
        .iter()
        .find(|l| !l.components.is_empty())
    {
        return Some(Evidence::new(
            &link.file,
            link.line,
            format!(
                "Compose runs the repo's image as service `{}`",
                link.service
            ),
        ));
    }
    if let Some(d) = graph.deploys.iter().find(|d| !d.components.is_empty()) {
        return Some(Evidence::new(
            &d.file,
            d.line,
            format!("CI deploys the repo's images with `{}`", d.tool),
        ));
    }
    None
}

/// A fact that something of the repo runs as an app (not a CLI).
fn app_signal(facts: &Facts, graph: &Graph) -> Option<Evidence> {
    if let Some(e) = runs_as_app(graph) {
        return Some(e);
    }
    // Kubernetes workloads or charts that run an image the repo builds.
    if let Some(m) = facts
        .orchestration
        .mentions
        .iter()
        .find(|m| !graph.components_for_image(&m.image).is_empty())
    {
        return Some(Evidence::new(
            &m.file,
            m.line,
            format!("Kubernetes runs the repo's image `{}`", m.image),
        ));
    }
    for def in graph
        .image_defs
        .iter()
        .filter(|d| d.role() == ImageRole::Service)
    {
        let Some(df) = facts.dockerfile(&def.file) else {
            continue;
        };
        if let Some(ins) = df
            .dockerfile
            .instructions
            .iter()
            .find(|i| i.keyword == crate::parse::dockerfile::Keyword::Expose)
        {
            return Some(Evidence::new(
                &def.file,
                ins.line,
                "the image exposes a port: it serves",
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CLI helper beside a server is no running component; a CLI binary
    /// that a chart runs in a DaemonSet is one (an agent configured by
    /// flags).
    #[test]
    fn running_components_leave_out_helpers_nothing_runs() {
        #![allow(clippy::unwrap_used)]
        let server = "[package]\nname = \"srv\"\n[dependencies]\naxum = \"0.7\"\n";
        let cli =
            |name: &str| format!("[package]\nname = \"{name}\"\n[dependencies]\nclap = \"4\"\n");
        let (tool, agent) = (cli("tool"), cli("agent"));
        let df = "FROM rust:1.79\nCOPY . .\nRUN cargo build --release -p srv -p tool -p agent\nEXPOSE 80\nCMD [\"srv\"]\n";
        let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: \"{{ .Values.image }}\"\n          command: [\"/bin/agent\"]\n";
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"srv\", \"tool\", \"agent\"]\n",
            ),
            ("srv/Cargo.toml", server),
            ("srv/src/main.rs", "fn main() {}\n"),
            ("tool/Cargo.toml", tool.as_str()),
            ("tool/src/main.rs", "fn main() {}\n"),
            ("agent/Cargo.toml", agent.as_str()),
            ("agent/src/main.rs", "fn main() {}\n"),
            ("Dockerfile", df),
            (
                "chart/Chart.yaml",
                "apiVersion: v2\nname: agent\nversion: 0.1.0\n",
            ),
            ("chart/templates/ds.yaml", ds),
        ];
        let run = crate::sections::testing::run(&files);
        let names: Vec<String> = running_components(&run.audit.facts, &run.audit.graph)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(names, ["agent", "srv"], "{:?}", run.audit.graph.services);
    }

    /// Facts of a tree with `pages` documentation pages, `code` code files
    /// and an MkDocs config, nothing templated and nothing running.
    fn docs(pages: usize, code: usize) -> SiteFacts<'static> {
        SiteFacts {
            template_marker: None,
            templated_folder: false,
            first_templated_path: String::new(),
            compose_outside_templates: false,
            runs_outside_docs: false,
            pages,
            code,
            site_config: Some("mkdocs.yml"),
            site_services: Vec::new(),
            site_project: None,
        }
    }

    #[test]
    fn a_site_needs_pages_to_outnumber_code_and_nothing_running() {
        let (kind, evidence, _) = judge_site(&docs(40, 10), 0).unwrap();
        assert_eq!(kind, RepositoryKind::Documentation);
        assert!(evidence[0]
            .message
            .ends_with("40 documentation pages against 10 code files"));
        assert!(judge_site(&docs(29, 0), 0).is_none());
        assert!(judge_site(&docs(40, 21), 0).is_none());
        let running = SiteFacts {
            runs_outside_docs: true,
            ..docs(40, 0)
        };
        assert!(judge_site(&running, 0).is_none());
        let no_generator = SiteFacts {
            site_config: None,
            ..docs(40, 0)
        };
        assert!(judge_site(&no_generator, 0).is_none());
        // A service that is not the site: an application with docs.
        assert!(judge_site(&docs(40, 0), 1).is_none());
    }

    #[test]
    fn a_generator_marker_makes_a_template_unless_it_runs_as_an_app() {
        let marked = SiteFacts {
            template_marker: Some("cookiecutter.json"),
            ..docs(0, 5)
        };
        let (kind, evidence, _) = judge_site(&marked, 0).unwrap();
        assert_eq!(kind, RepositoryKind::Template);
        assert_eq!(evidence[0].file, "cookiecutter.json");
        assert!(judge_site(&marked, 1).is_none());
        let templated = SiteFacts {
            templated_folder: true,
            first_templated_path: "{{cookiecutter.slug}}/app.py".into(),
            ..docs(0, 5)
        };
        assert_eq!(
            judge_site(&templated, 0).map(|(k, _, _)| k),
            Some(RepositoryKind::Template)
        );
        let with_compose = SiteFacts {
            compose_outside_templates: true,
            ..templated
        };
        assert!(judge_site(&with_compose, 0).is_none());
    }
}
