//! The whole audit, stage by stage: walk → parse → graph → rules +
//! checklist → report. The CLI and the tests call [`Audit::run`].

use crate::checklist::{self, ChecklistConfig, StepContext, StepResult};
use crate::finding::{sort_findings, Finding, Severity};
use crate::graph::{self, Graph};
use crate::inventory::{self, DeclaredService};
use crate::kind::{self, RepositoryKind};
use crate::parse::{self, Facts};
use crate::paths;
use crate::report::{
    AuditReport, ComponentEntry, FindingCounts, ImageEntry, ServiceEntry, SCHEMA_VERSION,
};
use crate::rules::{self, Context};
use crate::sections::{self, SectionContext};
use crate::timings;
use crate::walk::{Tree, WalkOptions, DEFAULT_MAX_FILE_SIZE};
use std::path::Path;

#[derive(Clone, Debug)]
pub struct AuditOptions {
    pub max_file_size: u64,
    pub ignore_patterns: Vec<String>,
    pub declared_services: Vec<DeclaredService>,
    pub excluded_services: Vec<String>,
    pub checklist: ChecklistConfig,
    /// How the root is shown in reports (the path as given).
    pub root_label: Option<String>,
    /// Rule severities, `off` and per-path overrides from the config.
    pub rules: crate::config::RulePolicy,
    /// Registries the config trusts (for rules such as DL3026).
    pub trusted_registries: Vec<String>,
    /// When set, inline `# kubeready ignore=` / `# hadolint ignore=`
    /// comments are not honoured.
    pub forbid_inline_ignores: bool,
    /// Run ShellCheck over `RUN` bodies (the CLI checks it is installed).
    pub shellcheck: bool,
    /// The repository kind the config declares (`kind:`), instead of the
    /// detected one.
    pub kind: Option<RepositoryKind>,
    /// `--select` / `--ignore` on the command line.
    pub selection: RuleSelection,
}

/// `--select` and `--ignore`: canonical codes or code prefixes (`DL`,
/// `KR5`). A rule runs when it is selected (or nothing is) and not ignored;
/// a rule that is off by default runs when `--select` names its code.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl RuleSelection {
    /// Whether findings with this code are kept.
    pub fn allows(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| code.starts_with(s.as_str())))
            && !self.ignore.iter().any(|s| code.starts_with(s.as_str()))
    }

    /// Whether `--select` names this code itself (not a prefix of it).
    pub fn names(&self, code: &str) -> bool {
        self.select.iter().any(|s| s == code) && self.allows(code)
    }
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            ignore_patterns: Vec::new(),
            declared_services: Vec::new(),
            excluded_services: Vec::new(),
            checklist: ChecklistConfig::default(),
            root_label: None,
            rules: Default::default(),
            trusted_registries: Vec::new(),
            forbid_inline_ignores: false,
            shellcheck: false,
            kind: None,
            selection: RuleSelection::default(),
        }
    }
}

/// Everything an audit produced; `report` is what renderers print.
pub struct Audit {
    pub facts: Facts,
    pub graph: Graph,
    /// Findings silenced by an inline pragma or `.hadolint.yaml`, with the
    /// suppression that silenced them.
    pub suppressed: Vec<(Finding, String)>,
    pub report: AuditReport,
    /// Things the user should know that are not findings (printed on stderr).
    pub notices: Vec<String>,
}

impl Audit {
    pub fn run(root: &Path, options: &AuditOptions) -> Audit {
        Audit::run_with_overlay(root, options, &[])
    }

    /// The audit of `root` as it would be with these root-relative files
    /// holding these contents (what `kubeready fix` would write); nothing
    /// is written.
    pub fn run_with_overlay(
        root: &Path,
        options: &AuditOptions,
        overlay: &[(String, String)],
    ) -> Audit {
        let walk_options = WalkOptions {
            max_file_size: options.max_file_size,
            ignore_patterns: options.ignore_patterns.clone(),
        };
        let tree = timings::time("walk", || {
            let tree = Tree::walk(root, &walk_options);
            if overlay.is_empty() {
                tree
            } else {
                tree.with_overlay(overlay)
            }
        });
        // `.hadolint.yaml` is honoured where the kubeready config says
        // nothing: codes the config sets lose their hadolint ignore and
        // override, and the config's trusted registries replace hadolint's.
        let configured = |code: &str| {
            options.rules.rules.iter().any(|(c, _)| *c == code)
                || options
                    .rules
                    .overrides
                    .iter()
                    .any(|o| o.rules.iter().any(|(c, _)| *c == code))
        };
        let mut hadolint = crate::config::hadolint::read_hadolint_config(&tree);
        if let Some(h) = hadolint.as_mut() {
            h.ignored.retain(|c| !configured(c));
            h.overrides.retain(|(c, _)| !configured(c));
        }
        if !options.trusted_registries.is_empty() {
            hadolint
                .get_or_insert_with(Default::default)
                .trusted_registries = options.trusted_registries.clone();
        }
        let facts = timings::time("parse", || parse::parse_tree(tree));
        let mut services = inventory::services(
            &facts.projects,
            &options.declared_services,
            &options.excluded_services,
        );
        // A documentation site's own project is the site, not a service.
        let early = if options.kind.is_none() {
            kind::site_or_template(&facts, &services).map(|(k, evidence, site)| {
                services.retain(|s| !site.contains(&s.path) || s.declared);
                (k, evidence)
            })
        } else {
            None
        };
        let graph = timings::time("graph", || graph::build_graph(&facts, services));
        let repository = kind::detect(&facts, &graph, early, options.kind);
        let repo_kind = repository.kind;
        let root_label = options
            .root_label
            .clone()
            .unwrap_or_else(|| root.display().to_string());
        // The graph view needs only facts and graph: it is built on its own
        // thread while the rules run.
        let (view, findings, suppressed, checklist, sections, notices) =
            std::thread::scope(|scope| {
                // So do the checklist steps and sections that read neither
                // the findings nor the checklist.
                let early = crate::par::spawn_or_run(scope, || {
                    let view = timings::time("graph view", || graph::view::view(&facts, &graph));
                    let steps = checklist::evaluate_early(&StepContext {
                        facts: &facts,
                        graph: &graph,
                        findings: &[],
                        kind: repo_kind,
                    });
                    let sections = sections::evaluate_early(&SectionContext {
                        facts: &facts,
                        graph: &graph,
                        findings: &[],
                        steps: &[],
                        kind: repo_kind,
                    });
                    (view, steps, sections)
                });
                // A `.hadolint.yaml` severity override turns an off-by-default rule
                // on, as in hadolint.
                let hadolint_on = |code: &str| {
                    hadolint
                        .as_ref()
                        .is_some_and(|h| h.override_for(code).is_some())
                };
                let findings = timings::time("rules", || {
                    let cx = Context::new(&facts, &graph).with_hadolint(hadolint.as_ref());
                    rules::run(&cx, &|doc| {
                        options.selection.names(doc.code)
                            || (options.selection.allows(doc.code)
                                && (options.rules.enabled(doc) || hadolint_on(doc.code)))
                    })
                });
                // Without a `.hadolint.yaml` every finding is the policy's.
                let (by_hadolint, by_policy): (Vec<Finding>, Vec<Finding>) = if hadolint.is_none() {
                    (Vec::new(), findings)
                } else {
                    findings.into_iter().partition(|f| {
                        hadolint_on(f.code)
                            && rules::find_rule(f.code).is_some_and(|r| !r.doc().enabled_by_default)
                    })
                };
                // A rule `--select` names by code runs even when it is off by
                // default; what the config sets for it (a severity, or `off`
                // for some paths) still holds.
                let (named, by_policy): (Vec<Finding>, Vec<Finding>) = by_policy
                    .into_iter()
                    .partition(|f| options.selection.names(f.code));
                let mut findings = options.rules.apply(by_policy);
                findings.extend(named.into_iter().filter_map(|mut f| {
                    match options.rules.configured_level_for(f.code, &f.location.file) {
                        Some(crate::config::RuleLevel::Off) => None,
                        Some(crate::config::RuleLevel::On(s)) => {
                            f.severity = s;
                            Some(f)
                        }
                        None => Some(f),
                    }
                }));
                let mut notices = Vec::new();
                if options.shellcheck {
                    match crate::shellcheck::check(&facts.dockerfiles) {
                        Ok(sc) => findings.extend(sc),
                        Err(e) => notices.push(format!("ShellCheck was not applied: {e}")),
                    }
                }
                findings.extend(by_hadolint);
                findings.retain(|f| options.selection.allows(f.code));
                let (mut findings, mut suppressed) = timings::time("suppress", || {
                    crate::suppress::apply(
                        findings,
                        &facts.dockerfiles,
                        &facts.yaml_pragmas,
                        hadolint.as_ref(),
                        !options.forbid_inline_ignores,
                    )
                });
                sort_findings(&mut findings);
                suppressed.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
                let (view, early_steps, early_sections) = early.get();
                let checklist = timings::time("checklist", || {
                    checklist::evaluate(
                        &StepContext {
                            facts: &facts,
                            graph: &graph,
                            findings: &findings,
                            kind: repo_kind,
                        },
                        &options.checklist,
                        early_steps,
                    )
                });
                let sections = timings::time("sections", || {
                    sections::evaluate(
                        &SectionContext {
                            facts: &facts,
                            graph: &graph,
                            findings: &findings,
                            steps: &checklist.steps,
                            kind: repo_kind,
                        },
                        early_sections,
                    )
                });
                (view, findings, suppressed, checklist, sections, notices)
            });
        let mut report = timings::time("report model", || {
            build_report(
                &graph, repository, findings, checklist, sections, root_label, view,
            )
        });
        report.suppressed = suppressed
            .iter()
            .map(|(f, why)| crate::report::SuppressedFinding {
                finding: f.clone(),
                suppressed_by: why.clone(),
            })
            .collect();
        report.finding_counts.suppressed = report.suppressed.len();
        Audit {
            facts,
            graph,
            suppressed,
            report,
            notices,
        }
    }
}

fn build_report(
    graph: &Graph,
    repository: kind::Repository,
    findings: Vec<Finding>,
    checklist: checklist::Checklist,
    sections: Vec<StepResult>,
    root: String,
    view: graph::view::GraphView,
) -> AuditReport {
    let services = graph
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let defs = graph
                .component_of_service(i)
                .and_then(|c| graph.components.get(c))
                .map(|c| {
                    c.image_defs
                        .iter()
                        .filter_map(|d| graph.image_defs.get(*d))
                        .map(|d| d.file.clone())
                        .collect()
                })
                .unwrap_or_default();
            ServiceEntry {
                path: paths::display(&s.path).to_string(),
                name: s.name.clone(),
                language: format!("{:?}", s.language).to_ascii_lowercase(),
                manifest: s.manifest.clone(),
                containerized: graph.is_service_containerized(i),
                image_definitions: defs,
            }
        })
        .collect();
    let image_only_components = graph
        .components
        .iter()
        .filter(|c| c.service.is_none())
        .map(|c| ComponentEntry {
            path: paths::display(&c.path).to_string(),
            name: c.name.clone(),
            image_definitions: c
                .image_defs
                .iter()
                .filter_map(|d| graph.image_defs.get(*d))
                .map(|d| d.file.clone())
                .collect(),
        })
        .collect();
    let mut images: Vec<ImageEntry> = graph
        .image_defs
        .iter()
        .enumerate()
        .map(|(i, d)| ImageEntry {
            definition: d.file.clone(),
            role: d.role(),
            evidence: d.role_evidence.clone(),
            consumers: graph.consumers_of(i).to_vec(),
        })
        .collect();
    images.sort_by(|a, b| a.definition.cmp(&b.definition));
    images.dedup_by(|a, b| a.definition == b.definition);
    let mut counts = FindingCounts::default();
    for f in &findings {
        match f.severity {
            Severity::Error => counts.error += 1,
            Severity::Warning => counts.warning += 1,
            Severity::Info => counts.info += 1,
        }
    }
    AuditReport {
        schema_version: SCHEMA_VERSION,
        root,
        repository,
        summary: checklist.summary,
        steps: checklist.steps,
        // Section next steps follow the checklist's: they lead only once
        // steps 1–7 are done.
        // The same advice from two steps is given once, where it first applies.
        // The same advice for several subjects is one step listing them.
        next_steps: crate::report::next_steps::group(
            checklist
                .next_steps
                .into_iter()
                .chain(sections.iter().flat_map(|s| s.next_steps.iter().cloned()))
                .collect(),
        ),
        sections,
        services,
        image_only_components,
        images,
        findings,
        finding_counts: counts,
        suppressed: Vec::new(),
        graph: view,
        display: Default::default(),
    }
}
