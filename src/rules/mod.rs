//! Rules: pure checks over parsed facts and the graph, each a small unit
//! carrying its own code, name, severity and documentation. `kubeready
//! rules`, `kubeready explain` and the README's rule table all read
//! [`all_rules`].

pub mod ci;
pub mod compose;
pub mod cross;
pub mod dockerfile;
pub mod input;
pub mod k8s;
pub mod runtime;
pub mod secrets;

use crate::config::hadolint::HadolintConfig;
use crate::finding::{Finding, Location, Severity};
use crate::graph::Graph;
use crate::parse::Facts;

/// A rule's identity and documentation, in ruff's shape: what it does, why
/// it matters, a failing example and a fixed one.
#[derive(Debug)]
pub struct RuleDoc {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub enabled_by_default: bool,
    /// Production hardening that a CI, test or development image, and a
    /// manifest of an example or a test suite, is not held to beyond
    /// `info` (SPEC 1.2: rules follow each image to where it runs):
    /// pinning, a non-root user, a health check, probes, resources.
    pub hardening: bool,
    /// One line for `kubeready rules`.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    /// A failing example, with the file it belongs in as its first line
    /// comment where it helps.
    pub bad: &'static str,
    pub good: &'static str,
}

impl RuleDoc {
    /// Whether `kubeready fix` fixes this rule's findings (its fix is
    /// mechanical and certain).
    pub fn fixable(&self) -> bool {
        crate::fix::is_fixable(self.code)
    }
}

/// What a rule sees: facts and the graph, never the filesystem.
pub struct Context<'a> {
    pub facts: &'a Facts,
    pub graph: &'a Graph,
    /// The repository's `.hadolint.yaml` as the audit settled it (the
    /// kubeready config's trusted registries replace its own): the
    /// settings of DL3026 (`trustedRegistries`) and the label rules
    /// (`label-schema`, `strict-labels`). `None` without one.
    pub hadolint: Option<&'a HadolintConfig>,
    /// Dockerfile views (stages, variables, parsed `RUN` shells) shared
    /// by the ~90 Dockerfile rules, built once on first use instead of
    /// once per rule.
    dockerfiles: std::sync::OnceLock<Vec<dockerfile::support::Df<'a>>>,
    /// COPY sources judged against their build contexts, shared by
    /// KR504–KR506.
    copy_judgement: std::sync::OnceLock<cross::copy_sources::CopyJudgement<'a>>,
    /// Kubernetes workloads (indices into the objects) by the components
    /// whose images their containers run, built once.
    workloads: std::sync::OnceLock<std::collections::HashMap<usize, Vec<usize>>>,
}

impl<'a> Context<'a> {
    pub fn new(facts: &'a Facts, graph: &'a Graph) -> Context<'a> {
        Context {
            facts,
            graph,
            hadolint: None,
            dockerfiles: std::sync::OnceLock::new(),
            copy_judgement: std::sync::OnceLock::new(),
            workloads: std::sync::OnceLock::new(),
        }
    }

    /// The workloads (indices into `facts.orchestration.objects`) whose
    /// containers run an image of `component`.
    pub(crate) fn workloads_of(&self, component: usize) -> &[usize] {
        self.workloads
            .get_or_init(|| {
                let mut by: std::collections::HashMap<usize, Vec<usize>> = Default::default();
                for (i, o) in self.facts.orchestration.objects.iter().enumerate() {
                    if !o.is_workload() {
                        continue;
                    }
                    let mut comps: Vec<usize> = o
                        .containers
                        .iter()
                        .flat_map(|c| self.graph.components_for_image(&c.image))
                        .collect();
                    comps.sort_unstable();
                    comps.dedup();
                    for c in comps {
                        by.entry(c).or_default().push(i);
                    }
                }
                by
            })
            .get(&component)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The same context with these `.hadolint.yaml` settings.
    pub fn with_hadolint(self, hadolint: Option<&'a HadolintConfig>) -> Context<'a> {
        Context { hadolint, ..self }
    }

    /// Every COPY/ADD source of every (Dockerfile, context) build, judged.
    pub(crate) fn copy_judgement(&self) -> &cross::copy_sources::CopyJudgement<'a> {
        self.copy_judgement
            .get_or_init(|| cross::copy_sources::judge_all(self))
    }

    /// Every Dockerfile of the audit, as the Dockerfile rules see it.
    pub(crate) fn dockerfile_views(&self) -> &[dockerfile::support::Df<'a>] {
        self.dockerfiles.get_or_init(|| {
            self.facts
                .dockerfiles
                .iter()
                .map(dockerfile::support::Df::new)
                .collect()
        })
    }
}

pub trait Rule: Sync {
    fn doc(&self) -> &'static RuleDoc;
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>);
}

/// Collects one rule's findings, filling in its code, name and severity.
pub struct Sink<'a> {
    doc: &'static RuleDoc,
    findings: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    /// Emits with another severity than the rule's default (a syntax error
    /// in a file the audit needs is an error, elsewhere a warning).
    pub fn emit_as(
        &mut self,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
        subject: impl Into<String>,
    ) {
        self.emit(location, message, subject);
        if let Some(f) = self.findings.last_mut() {
            f.severity = severity;
        }
    }

    pub fn emit(
        &mut self,
        location: Location,
        message: impl Into<String>,
        subject: impl Into<String>,
    ) {
        self.findings.push(Finding {
            code: self.doc.code,
            name: self.doc.name,
            severity: self.doc.severity,
            location,
            message: message.into(),
            subject: subject.into(),
        });
    }
}

/// Every rule kubeready has, sorted by code.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    registry().to_vec()
}

/// The rules, collected and sorted once per process (config policies and
/// SARIF look rules up once per finding).
fn registry() -> &'static [&'static dyn Rule] {
    static RULES: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<&'static dyn Rule> = Vec::new();
        rules.extend_from_slice(input::RULES);
        rules.extend_from_slice(compose::RULES);
        rules.extend_from_slice(cross::RULES);
        rules.extend_from_slice(ci::RULES);
        rules.extend_from_slice(k8s::RULES);
        rules.extend_from_slice(dockerfile::RULES);
        rules.extend_from_slice(runtime::RULES);
        rules.sort_by_key(|r| r.doc().code);
        rules
    })
}

/// Looks a rule up by code (any case) or kebab-case name.
/// Rule codes and names that were retired or renamed, and the rule that
/// now reports the same fact. Configs, `--select`/`--ignore`, `explain`
/// and inline pragmas that name the old one keep working.
pub const ALIASES: &[(&str, &str)] = &[
    // KR103 reported the final stage's shell-form start command, a line
    // DL3025 (hadolint's code, which users know) reports too: one fact,
    // one finding.
    ("KR103", "DL3025"),
    ("shell-form-signals", "DL3025"),
    // KR908's first name (docs/config.md still used it).
    ("partly-understood", "KR908"),
];

/// The code `key` (a code or name, current or retired) stands for.
pub fn canonical_code(key: &str) -> Option<&'static str> {
    find_rule(key).map(|r| r.doc().code)
}

pub fn find_rule(key: &str) -> Option<&'static dyn Rule> {
    if let Some((_, code)) = ALIASES
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(key))
    {
        return find_rule_exact(code);
    }
    find_rule_exact(key)
}

fn find_rule_exact(key: &str) -> Option<&'static dyn Rule> {
    let rules = registry();
    let code = key.to_ascii_uppercase();
    match rules.binary_search_by(|r| r.doc().code.cmp(code.as_str())) {
        Ok(i) => rules.get(i).copied(),
        Err(_) => rules.iter().copied().find(|r| r.doc().name == key),
    }
}

/// Runs every enabled rule, on every core ([`crate::par::map`]); the
/// findings come back in rule order whatever the scheduling.
pub fn run(cx: &Context<'_>, enabled: &dyn Fn(&RuleDoc) -> bool) -> Vec<Finding> {
    let rules: Vec<&'static dyn Rule> = all_rules()
        .into_iter()
        .filter(|r| enabled(r.doc()))
        .collect();
    // The shared caches are built first, side by side: built by the first
    // rule that needs them, they would keep the other threads' rules that
    // need them waiting (KR505 waited 11 ms on KR504's judgement).
    let uses = |codes: &[&str]| rules.iter().any(|r| codes.contains(&r.doc().code));
    let mut jobs: Vec<Job> = Vec::new();
    if rules.iter().any(|r| r.doc().code.starts_with("DL")) {
        jobs.push(Job::Warm(|cx| {
            cx.dockerfile_views();
        }));
    }
    if uses(&["KR504", "KR505", "KR506"]) {
        jobs.push(Job::Warm(|cx| {
            cx.copy_judgement();
        }));
    }
    jobs.extend(rules.iter().map(|r| Job::Rule(*r)));
    crate::par::map(&jobs, |job| match job {
        Job::Warm(build) => {
            build(cx);
            Vec::new()
        }
        Job::Rule(rule) => {
            let mut found = run_one(*rule, cx);
            if rule.doc().hardening {
                for f in &mut found {
                    follow_image_role(cx, f);
                }
            }
            found
        }
    })
    .into_iter()
    .flatten()
    .collect()
}

/// A hardening rule's finding in a Dockerfile whose every image is a
/// `ci-tool`, `test` or `dev` image becomes `info` and says which role
/// decided it; so does one in a Kubernetes manifest of an example or a
/// test suite. Done on the rule's thread, as the rule's last step.
fn follow_image_role(cx: &Context<'_>, f: &mut Finding) {
    if f.severity == Severity::Info {
        return;
    }
    if f.code.starts_with("KR4") {
        return follow_manifest_purpose(cx, f);
    }
    let g = cx.graph;
    let defs = g.image_defs_for_file(&f.location.file);
    let roles: Vec<crate::graph::ImageRole> = defs
        .iter()
        .filter_map(|&d| g.image_defs.get(d))
        .map(|d| d.role())
        .collect();
    if let Some(role) = roles.first().filter(|_| roles.iter().all(|r| !r.is_app())) {
        f.severity = Severity::Info;
        let mut consumers: Vec<String> = defs
            .iter()
            .flat_map(|&d| g.consumers_of(d))
            .map(|c| c.describe())
            .collect();
        consumers.sort();
        consumers.dedup();
        let used = match consumers.len() {
            0 => String::new(),
            1..=3 => format!(", used by {}", consumers.join(", ")),
            n => format!(", used by {} and {} more", consumers[..3].join(", "), n - 3),
        };
        let evidence = defs
            .iter()
            .filter_map(|&d| g.image_defs.get(d))
            .map(|d| d.role_evidence.as_str())
            .find(|e| !e.is_empty())
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        f.message = format!(
            "{} (a `{}` image{evidence}{used}: not held to production hardening)",
            f.message,
            role.as_str()
        );
    }
}

/// A hardening finding in a manifest under an example or a test suite's
/// folder ([`crate::inventory::demonstrates_or_tests`]) becomes `info`: an
/// e2e suite's Deployment runs in a throwaway cluster, an example's shows
/// a feature; neither is the product's production manifest.
fn follow_manifest_purpose(cx: &Context<'_>, f: &mut Finding) {
    let dir = cx.facts.orchestration.purpose_dir(&f.location.file);
    if crate::inventory::demonstrates_or_tests(&dir) {
        f.severity = Severity::Info;
        f.message = format!(
            "{} (a manifest under `{dir}/`, which demonstrates or tests the product: not held to production hardening)",
            f.message
        );
    }
}

/// Work for the rule threads.
enum Job {
    /// Builds a shared cache of the [`Context`].
    Warm(fn(&Context<'_>)),
    Rule(&'static dyn Rule),
}

fn run_one(rule: &'static dyn Rule, cx: &Context<'_>) -> Vec<Finding> {
    let doc = rule.doc();
    let mut findings = Vec::new();
    let mut sink = Sink {
        doc,
        findings: &mut findings,
    };
    crate::timings::time_with(
        || format!("rule {}", doc.code),
        || rule.check(cx, &mut sink),
    );
    findings
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for rule tests: build facts from an in-memory tree.
    use super::*;
    use std::path::Path;

    /// Writes `files` into a temp dir, runs walk → parse → graph, and
    /// returns the findings of the one rule `code`.
    pub fn findings_of(code: &str, files: &[(&str, &str)]) -> Vec<Finding> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        findings_in(code, dir.path())
    }

    pub fn findings_in(code: &str, root: &Path) -> Vec<Finding> {
        let audit = crate::audit::Audit::run(root, &crate::audit::AuditOptions::default());
        audit
            .report
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        let rules = all_rules();
        let mut codes: Vec<_> = rules.iter().map(|r| r.doc().code).collect();
        let mut names: Vec<_> = rules.iter().map(|r| r.doc().name).collect();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), rules.len());
        assert_eq!(names.len(), rules.len());
        for r in rules {
            let d = r.doc();
            assert!(
                !d.what.is_empty() && !d.why.is_empty() && !d.bad.is_empty() && !d.good.is_empty(),
                "{}",
                d.code
            );
            assert!(
                d.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                d.name
            );
        }
    }

    /// The image role is known for a Dockerfile's findings and a
    /// manifest's purpose for a Kubernetes rule's: a hardening flag on a
    /// Compose or CI rule would do nothing.
    #[test]
    fn hardening_rules_are_dockerfile_or_kubernetes_rules() {
        let hardening: Vec<&str> = all_rules()
            .iter()
            .map(|r| r.doc())
            .filter(|d| d.hardening)
            .map(|d| d.code)
            .collect();
        assert!(hardening.contains(&"DL3007") && hardening.contains(&"KR101"));
        for code in hardening {
            assert!(
                code.starts_with("DL") || code.starts_with("KR1") || code.starts_with("KR4"),
                "{code} is neither a Dockerfile nor a Kubernetes rule"
            );
        }
    }
}
