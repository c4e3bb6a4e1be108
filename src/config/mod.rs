//! `.kubeready.yaml`: the project's configuration. [`load`] reads and
//! validates it (every error names the file, line and column, with a
//! suggestion where one is likely); [`Config::apply`] turns it into
//! [`AuditOptions`]; [`RulePolicy`] applies rule severities, `off` and
//! per-path overrides to findings. Every key is documented in
//! `docs/config.md`.

mod discover;
pub mod hadolint;
mod load;
mod locate;
mod suggest;

pub use discover::{discover, FILE_NAMES};
pub use load::{load_file, load_str, parse_size, ConfigError};
pub use locate::load_for;
pub use suggest::{did_you_mean, suggest};

use crate::audit::AuditOptions;
use crate::checklist::StepId;
use crate::cli::FailOn;
use crate::finding::{Finding, Severity};
use crate::inventory::DeclaredService;
use crate::rules::{find_rule, RuleDoc};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::PathBuf;

/// A rule's level: off, or on at a severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    pub fn parse(s: &str) -> Option<RuleLevel> {
        match s {
            "off" => Some(RuleLevel::Off),
            "error" => Some(RuleLevel::On(Severity::Error)),
            "warning" => Some(RuleLevel::On(Severity::Warning)),
            "info" => Some(RuleLevel::On(Severity::Info)),
            _ => None,
        }
    }

    pub const NAMES: [&'static str; 4] = ["off", "error", "warning", "info"];
}

/// Paths relative to the audited root matched by globs: a pattern matches
/// a file when it matches the file's path or one of its parent folders, so
/// `legacy`, `legacy/` and `legacy/**` all cover everything under
/// `legacy/`. `*` does not cross `/`; `**` does.
#[derive(Clone, Debug)]
pub struct PathMatcher {
    patterns: Vec<String>,
    set: GlobSet,
}

impl PathMatcher {
    pub fn new(patterns: &[String]) -> Result<PathMatcher, String> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(compile_glob(p)?);
        }
        let set = b.build().map_err(|e| e.to_string())?;
        Ok(PathMatcher {
            patterns: patterns.to_vec(),
            set,
        })
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn matches(&self, file: &str) -> bool {
        let file = file.trim_start_matches("./");
        let mut candidate = file;
        loop {
            if self.set.is_match(candidate) {
                return true;
            }
            match candidate.rfind('/') {
                Some(i) => candidate = &candidate[..i],
                None => return false,
            }
        }
    }
}

fn normalize_glob(p: &str) -> String {
    let p = p.trim().trim_start_matches("./");
    let p = p.strip_suffix("/**").unwrap_or(p);
    let p = p.trim_end_matches('/');
    if p.is_empty() {
        "**".to_string()
    } else {
        p.to_string()
    }
}

/// Compiles one path glob, with the message of its error.
pub fn compile_glob(p: &str) -> Result<globset::Glob, String> {
    GlobBuilder::new(&normalize_glob(p))
        .literal_separator(true)
        .build()
        .map_err(|e| match e.kind() {
            globset::ErrorKind::UnclosedClass => "unclosed character class `[`".to_string(),
            globset::ErrorKind::UnclosedAlternates => "unclosed alternates `{`".to_string(),
            k => k.to_string(),
        })
}

/// Rules the config changed, and where.
#[derive(Clone, Debug)]
pub struct PathOverride {
    pub paths: PathMatcher,
    /// Rule codes and their levels for files under `paths`.
    pub rules: Vec<(&'static str, RuleLevel)>,
}

/// Rule levels from `rules:` and `overrides:`. The default policy leaves
/// every rule at its documented default.
#[derive(Clone, Debug, Default)]
pub struct RulePolicy {
    /// Rule codes and their levels everywhere.
    pub rules: Vec<(&'static str, RuleLevel)>,
    /// Later overrides win over earlier ones and over `rules`.
    pub overrides: Vec<PathOverride>,
}

fn level_of(list: &[(&'static str, RuleLevel)], code: &str) -> Option<RuleLevel> {
    list.iter().rev().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

impl RulePolicy {
    fn default_level(&self, doc: &RuleDoc) -> RuleLevel {
        level_of(&self.rules, doc.code).unwrap_or(if doc.enabled_by_default {
            RuleLevel::On(doc.severity)
        } else {
            RuleLevel::Off
        })
    }

    /// Whether the rule must run: on somewhere (globally or in an override).
    pub fn enabled(&self, doc: &RuleDoc) -> bool {
        self.default_level(doc) != RuleLevel::Off
            || self
                .overrides
                .iter()
                .any(|o| matches!(level_of(&o.rules, doc.code), Some(RuleLevel::On(_))))
    }

    /// The level the config itself sets for a rule on one file (top-level
    /// `rules:`, then matching `overrides:`), if it sets one.
    pub fn configured_level_for(&self, code: &str, file: &str) -> Option<RuleLevel> {
        let mut level = level_of(&self.rules, code);
        for o in &self.overrides {
            if let Some(l) = level_of(&o.rules, code) {
                if o.paths.matches(file) {
                    level = Some(l);
                }
            }
        }
        level
    }

    /// The level of a rule for one file.
    pub fn level_for(&self, doc: &RuleDoc, file: &str) -> RuleLevel {
        let mut level = self.default_level(doc);
        for o in &self.overrides {
            if let Some(l) = level_of(&o.rules, doc.code) {
                if o.paths.matches(file) {
                    level = l;
                }
            }
        }
        level
    }

    /// Drops findings whose rule is off for their file and sets the
    /// configured severity on the others.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        if self.rules.is_empty() && self.overrides.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter_map(|mut f| {
                let Some(rule) = find_rule(f.code) else {
                    return Some(f);
                };
                match self.level_for(rule.doc(), &f.location.file) {
                    RuleLevel::Off => None,
                    RuleLevel::On(s) => {
                        f.severity = s;
                        Some(f)
                    }
                }
            })
            .collect()
    }
}

/// Defaults for the gate flags; the flags win.
#[derive(Clone, Debug, Default)]
pub struct GateDefaults {
    pub fail_on: Option<FailOn>,
    pub fail_under: Option<u8>,
    pub require_steps: Vec<StepId>,
}

/// A loaded, validated configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from (`None` for the built-in defaults).
    pub path: Option<PathBuf>,
    /// The repository kind, when detection is wrong (`kind: application`).
    pub kind: Option<crate::kind::RepositoryKind>,
    pub ignore: Vec<String>,
    pub max_file_size: Option<u64>,
    pub policy: RulePolicy,
    pub declare: Vec<DeclaredService>,
    pub exclude: Vec<String>,
    pub not_applicable: Vec<(StepId, String)>,
    pub gate: GateDefaults,
    pub trusted_registries: Vec<String>,
    pub forbid_inline_ignores: bool,
}

/// A pattern written from a config's folder, as seen from the audited
/// folder `prefix` below it: `services/shop/legacy/` is `legacy/` when
/// `services/shop` is audited. Patterns that do not start with the prefix
/// (`*.bak`, `**/testdata/**`, other folders) are kept as they are.
fn rebase_pattern(pattern: &str, prefix: &str) -> String {
    let (slash, body) = match pattern.trim_start_matches("./").strip_prefix('/') {
        Some(rest) => ("/", rest),
        None => ("", pattern.trim_start_matches("./")),
    };
    match body
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        Some(rest) if !rest.is_empty() => format!("{slash}{rest}"),
        _ => pattern.to_string(),
    }
}

impl Config {
    /// For a config found in a folder above the audited one (`prefix` is
    /// the audited folder relative to the config's, `/`-separated): paths
    /// and patterns that name something inside the audited folder from the
    /// config's folder are rewritten to be relative to the audited folder.
    pub fn rebase(&mut self, prefix: &str) -> Result<(), String> {
        let prefix = prefix.trim_matches('/');
        if prefix.is_empty() {
            return Ok(());
        }
        for p in &mut self.ignore {
            *p = rebase_pattern(p, prefix);
        }
        for p in &mut self.exclude {
            *p = rebase_pattern(p, prefix);
        }
        for d in &mut self.declare {
            if d.path.trim_end_matches('/') == prefix {
                d.path = ".".into();
            } else {
                d.path = rebase_pattern(&d.path, prefix);
            }
        }
        for o in &mut self.policy.overrides {
            let patterns: Vec<String> = o
                .paths
                .patterns()
                .iter()
                .map(|p| rebase_pattern(p, prefix))
                .collect();
            o.paths = PathMatcher::new(&patterns)?;
        }
        Ok(())
    }

    /// Sets the options the config controls.
    pub fn apply(&self, options: &mut AuditOptions) {
        if self.kind.is_some() {
            options.kind = self.kind;
        }
        options.ignore_patterns.extend(self.ignore.iter().cloned());
        if let Some(size) = self.max_file_size {
            options.max_file_size = size;
        }
        options.rules = self.policy.clone();
        options
            .declared_services
            .extend(self.declare.iter().cloned());
        options
            .excluded_services
            .extend(self.exclude.iter().cloned());
        options
            .checklist
            .not_applicable
            .extend(self.not_applicable.iter().cloned());
        options
            .trusted_registries
            .extend(self.trusted_registries.iter().cloned());
        options.forbid_inline_ignores |= self.forbid_inline_ignores;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::finding::Location;
    use crate::rules::find_rule;

    #[test]
    fn patterns_are_rebased_onto_the_audited_folder() {
        assert_eq!(
            rebase_pattern("services/shop/legacy/", "services/shop"),
            "legacy/"
        );
        assert_eq!(
            rebase_pattern("/services/shop/old", "services/shop"),
            "/old"
        );
        assert_eq!(
            rebase_pattern("./services/shop/x/**", "services/shop"),
            "x/**"
        );
        assert_eq!(
            rebase_pattern("**/testdata/**", "services/shop"),
            "**/testdata/**"
        );
        assert_eq!(
            rebase_pattern("services/shopping/x", "services/shop"),
            "services/shopping/x"
        );
        assert_eq!(
            rebase_pattern("services/shop", "services/shop"),
            "services/shop"
        );
    }

    #[test]
    fn path_matcher_covers_folders_and_keeps_star_within_one() {
        let m = |p: &str| PathMatcher::new(&[p.to_string()]).unwrap();
        assert!(m("legacy").matches("legacy/a/Dockerfile"));
        assert!(m("legacy/").matches("legacy/Dockerfile"));
        assert!(m("legacy/**").matches("legacy/Dockerfile"));
        assert!(!m("legacy").matches("legacy2/Dockerfile"));
        assert!(m("services/*").matches("services/api/Dockerfile"));
        assert!(m("*.yaml").matches("compose.yaml"));
        assert!(!m("*.yaml").matches("deploy/app.yaml"));
        assert!(m("**/*.yaml").matches("deploy/app.yaml"));
        assert!(m("**/Dockerfile").matches("Dockerfile"));
        assert!(m("./api").matches("api/Dockerfile"));
        assert!(PathMatcher::new(&["[a".to_string()]).is_err());
    }

    fn finding(file: &str) -> Finding {
        let doc = find_rule("KR903").unwrap().doc();
        Finding {
            code: doc.code,
            name: doc.name,
            severity: doc.severity,
            location: Location::new(file, 1),
            message: "m".into(),
            subject: file.into(),
        }
    }

    #[test]
    fn policy_levels_overrides_in_order() {
        let over = |paths: &[&str], level| PathOverride {
            paths: PathMatcher::new(&paths.iter().map(|p| p.to_string()).collect::<Vec<_>>())
                .unwrap(),
            rules: vec![("KR903", level)],
        };
        let policy = RulePolicy {
            rules: vec![("KR903", RuleLevel::Off)],
            overrides: vec![
                over(&["api"], RuleLevel::On(Severity::Error)),
                over(&["api/vendor"], RuleLevel::Off),
            ],
        };
        let doc = find_rule("KR903").unwrap().doc();
        assert!(policy.enabled(doc), "on in an override, so it must run");
        let kept = policy.apply(vec![
            finding("Dockerfile"),
            finding("api/Dockerfile"),
            finding("api/vendor/Dockerfile"),
        ]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].location.file, "api/Dockerfile");
        assert_eq!(kept[0].severity, Severity::Error);
        let off = RulePolicy {
            rules: vec![("KR903", RuleLevel::Off)],
            overrides: vec![],
        };
        assert!(!off.enabled(doc));
        assert!(RulePolicy::default().enabled(doc));
    }

    #[test]
    fn apply_sets_every_option() {
        let c = load_str(
            "ignore: [x/]\nmax-file-size: 5\ntrusted-registries: [r.io]\nforbid-inline-ignores: true\nservices: {exclude: [e], declare: [d]}\nsteps: {compose: {not-applicable: why}}\nrules: {KR903: off}\n",
            "c",
        )
        .unwrap();
        let mut o = AuditOptions::default();
        c.apply(&mut o);
        assert_eq!(o.ignore_patterns, vec!["x/"]);
        assert_eq!(o.max_file_size, 5);
        assert_eq!(o.trusted_registries, vec!["r.io"]);
        assert!(o.forbid_inline_ignores);
        assert_eq!(o.excluded_services, vec!["e"]);
        assert_eq!(o.declared_services[0].path, "d");
        assert_eq!(
            o.checklist.not_applicable,
            vec![(StepId::Compose, "why".to_string())]
        );
        assert_eq!(o.rules.rules, vec![("KR903", RuleLevel::Off)]);
    }
}
