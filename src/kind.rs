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

/// Decided before the graph: a documentation site or a template, whose
/// own project (the site's `package.json`) is then no service. Returns
/// the kind, its evidence and the service paths that are the site itself.
pub fn site_or_template(
    facts: &Facts,
    services: &[Service],
) -> Option<(RepositoryKind, Vec<Evidence>, Vec<String>)> {
    let files = facts.listing.files();
    if let Some(marker) = TEMPLATE_MARKERS.iter().find(|m| facts.listing.has_file(m)) {
        // A starter that is itself a runnable app is an application.
        if services.is_empty() {
            return Some((
                RepositoryKind::Template,
                vec![Evidence::new(
                    *marker,
                    1,
                    "a project generator: its files are templates",
                )],
                Vec::new(),
            ));
        }
    }
    if services.is_empty()
        && files
            .iter()
            .any(|f| f.path.split('/').next().is_some_and(|s| s.contains("{{")))
        && !facts.compose.iter().any(|c| !c.file.contains("{{"))
    {
        let first = files
            .iter()
            .find(|f| f.path.contains("{{"))
            .map(|f| f.path.clone())
            .unwrap_or_default();
        return Some((
            RepositoryKind::Template,
            vec![Evidence::new(
                first,
                1,
                "templated folder names (`{{...}}`): a project generator",
            )],
            Vec::new(),
        ));
    }
    // A documentation site: markdown outnumbers code, a site generator
    // builds it, and nothing else runs.
    let outside_docs = |file: &str| !crate::inventory::is_example_path(paths::parent(file));
    if facts.compose.iter().any(|c| outside_docs(&c.file))
        || facts
            .orchestration
            .objects
            .iter()
            .any(|o| outside_docs(&o.file))
    {
        return None;
    }
    let (mut pages, mut code) = (0usize, 0usize);
    for f in files {
        let ext = f.path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "md" | "mdx" | "rst" | "adoc" => pages += 1,
            e if CODE_EXTENSIONS.contains(&e) => code += 1,
            _ => {}
        }
    }
    if pages < 30 || pages < code.saturating_mul(2) {
        return None;
    }
    let is_site = |frameworks: &[String]| {
        frameworks
            .iter()
            .any(|f| SITE_FRAMEWORKS.contains(&f.as_str()))
    };
    let site_services: Vec<&Service> = services.iter().filter(|s| is_site(&s.frameworks)).collect();
    // The site's own project, whether or not it was judged a service (a
    // static export is not one).
    let site_project = facts.projects.iter().find(|p| {
        // The manifest scan names a static export it left out of the
        // services in its reason (TODO: a fact of its own).
        (is_site(&p.frameworks) || p.reason.contains("static site"))
            && !crate::inventory::is_example_path(&p.dir)
    });
    let config = SITE_CONFIGS.iter().find(|c| facts.listing.has_file(c));
    if site_services.len() != services.len()
        || (site_services.is_empty() && config.is_none() && site_project.is_none())
    {
        return None;
    }
    let counts = format!("{pages} documentation pages against {code} code files");
    let mut evidence = Vec::new();
    if let Some(c) = config {
        evidence.push(Evidence::new(
            *c,
            1,
            format!("a documentation site generator's config; {counts}"),
        ));
    }
    if let (true, Some(p)) = (site_services.is_empty(), site_project) {
        evidence.push(Evidence::new(
            &p.manifest,
            p.line,
            format!(
                "a static site built with {}; {counts}",
                p.frameworks.join(", ")
            ),
        ));
    }
    for s in &site_services {
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
        site_services.iter().map(|s| s.path.clone()).collect(),
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
    const LONG_RUNNING: &[&str] = &["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet"];
    let o = &facts.orchestration;
    for s in clis {
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
    }
    None
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
