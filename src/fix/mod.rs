//! `kubeready fix`: writes what the next steps ask for (a Dockerfile and a
//! `.dockerignore` per uncontainerized service) and fixes the findings
//! whose fix is certain, from the same audit `kubeready audit` runs.
//!
//! It plans first ([`plan`]): every change is a whole new file or a
//! line-level edit of an existing one. Without `--write` the plan is
//! printed as a unified diff; with it, exactly that is applied. New files
//! are created with `create_new` (an existing file is never overwritten)
//! and an edited file is rewritten only when it still holds what was read.

mod autofix;
mod backing;
mod ci;
mod ci_extend;
mod compose;
mod deploy;
mod devenv;
mod gitlab_edit;
mod gitlab_stages;
mod health;
mod pin;
mod scaffold;
mod start;
mod units;

use crate::audit::{Audit, AuditOptions};
use crate::cli::FixArgs;
use crate::report::AuditReport;
use std::path::Path;

pub use autofix::FIXABLE_RULES;

/// The checklist steps `fix` can scaffold for.
pub const FIXABLE_STEPS: &[&str] = &[
    "dockerfile",
    "all-services",
    "compose",
    "dev-env",
    "image-builds",
    "ci-images",
    "cd-staging",
];

/// Whether `kubeready fix` can fix findings of this rule.
pub fn is_fixable(code: &str) -> bool {
    FIXABLE_RULES.contains(&code)
}

/// One file `fix` creates or changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Root-relative, `/`-separated.
    pub path: String,
    /// The current content; `None` for a new file.
    pub old: Option<String>,
    pub new: String,
    /// What it addresses (`step 1 dockerfile: ...`, `DL3020 at line 3`).
    pub reasons: Vec<String>,
}

/// What `fix` would do, and what it leaves alone with why.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub skipped: Vec<String>,
    /// The Dockerfiles this plan scaffolds, for the Compose and CI steps.
    pub images: Vec<PlannedImage>,
}

/// A Dockerfile the plan scaffolds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedImage {
    /// The service's name.
    pub name: String,
    /// Its index in the graph's services.
    pub service: usize,
    /// The build context (the service's folder, `""` for the root).
    pub context: String,
    pub dockerfile: String,
    pub text: String,
}

/// What to fix.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub steps: Vec<String>,
    pub rules: Vec<String>,
}

impl Selection {
    fn step(&self, id: &str) -> bool {
        (self.steps.is_empty() && self.rules.is_empty()) || self.steps.iter().any(|s| s == id)
    }
    fn rule(&self, code: &str) -> bool {
        (self.steps.is_empty() && self.rules.is_empty())
            || self.rules.iter().any(|r| r.eq_ignore_ascii_case(code))
    }

    /// Checks the ids and codes: one line naming what can be fixed.
    pub fn validate(&self) -> Result<(), String> {
        for s in &self.steps {
            if !FIXABLE_STEPS.contains(&s.as_str()) {
                return Err(format!(
                    "`--step {s}`: fix can scaffold only the steps {}",
                    FIXABLE_STEPS.join(", ")
                ));
            }
        }
        for r in &self.rules {
            if !FIXABLE_RULES.iter().any(|c| c.eq_ignore_ascii_case(r)) {
                return Err(format!(
                    "`--rule {r}`: fix can fix only the rules {}",
                    FIXABLE_RULES.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// What `fix` did: the text for stdout, and the audit of the tree as the
/// fix leaves it (with `--write`, the tree re-audited after writing;
/// without, the tree audited as if the plan were applied), which the CLI
/// gates on as `audit` does.
pub struct Outcome {
    pub text: String,
    pub after: AuditReport,
}

/// The CLI entry point: plans, then prints the diff or writes. An `Err`
/// is one line (exit 2).
pub fn run(args: &FixArgs, options: &AuditOptions) -> Result<Outcome, String> {
    // A rule by name (`add-instead-of-copy`) is its code.
    let rules = args
        .rules
        .iter()
        .map(|r| match crate::rules::find_rule(r) {
            Some(rule) => rule.doc().code.to_string(),
            None => r.clone(),
        })
        .collect();
    let selection = Selection {
        steps: args.steps.clone(),
        rules,
    };
    selection.validate()?;
    let root = &args.path;
    if !root.is_dir() {
        return Err(format!("path `{}` is not a folder", root.display()));
    }
    let audit = Audit::run(root, options);
    let plan = plan(root, &audit, &selection);
    let mut text = String::new();
    if !args.write {
        text.push_str(&diff(&plan));
    } else {
        apply(root, &plan)?;
    }
    text.push_str(&summary(&plan, args.write));
    let after = if plan.changes.is_empty() {
        audit.report
    } else if args.write {
        Audit::run(root, options).report
    } else {
        let files: Vec<(String, String)> = plan
            .changes
            .iter()
            .map(|c| (c.path.clone(), c.new.clone()))
            .collect();
        Audit::run_with_overlay(root, options, &files).report
    };
    Ok(Outcome { text, after })
}

/// Everything `fix` would change in the audited tree.
pub fn plan(root: &Path, audit: &Audit, selection: &Selection) -> Plan {
    let mut plan = Plan::default();
    scaffold::plan(root, audit, selection, &mut plan);
    autofix::plan(root, audit, selection, &mut plan);
    compose::plan(root, audit, selection, &mut plan);
    devenv::plan(root, audit, selection, &mut plan);
    ci::plan(root, audit, selection, &mut plan);
    plan.changes.sort_by(|a, b| a.path.cmp(&b.path));
    plan
}

/// The plan as a unified diff (`--- /dev/null` for new files).
pub fn diff(plan: &Plan) -> String {
    let mut out = String::new();
    for c in &plan.changes {
        let old = c.old.as_deref().unwrap_or("");
        let from = if c.old.is_some() {
            format!("a/{}", c.path)
        } else {
            "/dev/null".to_string()
        };
        let text = similar::TextDiff::from_lines(old, &c.new);
        out.push_str(
            &text
                .unified_diff()
                .context_radius(3)
                .header(&from, &format!("b/{}", c.path))
                .to_string(),
        );
    }
    out
}

fn summary(plan: &Plan, written: bool) -> String {
    let mut out = String::new();
    if plan.changes.is_empty() {
        out.push_str("Nothing to fix.\n");
    } else {
        let verb = if written { "Wrote" } else { "Would write" };
        out.push_str(&format!("{verb} {} file(s):\n", plan.changes.len()));
        for c in &plan.changes {
            let how = if c.old.is_some() { "edit" } else { "new" };
            out.push_str(&format!("  {} ({how}): {}\n", c.path, c.reasons.join("; ")));
        }
        if !written {
            out.push_str("Nothing was written; run again with --write to apply.\n");
        }
    }
    for s in &plan.skipped {
        out.push_str(&format!("  skipped: {s}\n"));
    }
    out
}

/// Applies the plan: new files with `create_new`, edits only when the file
/// still holds what was planned against. Stops at the first failure.
pub fn apply(root: &Path, plan: &Plan) -> Result<(), String> {
    use std::io::Write;
    // Checked for every change before anything is written, so that the
    // common failures (a file that appeared, a read-only tree) leave the
    // tree as it was.
    for c in &plan.changes {
        let path = root.join(&c.path);
        if c.old.is_none() && std::fs::symlink_metadata(&path).is_ok() {
            return Err(format!("cannot write `{}`: it exists", c.path));
        }
        // The nearest folder that exists is the one the write needs.
        let folder = path
            .ancestors()
            .skip(1)
            .find(|a| a.exists())
            .unwrap_or(root);
        let read_only = std::fs::metadata(folder).is_ok_and(|m| m.permissions().readonly())
            || std::fs::metadata(&path).is_ok_and(|m| m.permissions().readonly());
        if read_only {
            return Err(format!("cannot write `{}`: read-only", c.path));
        }
    }
    for c in &plan.changes {
        let path = root.join(&c.path);
        match &c.old {
            None => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot write `{}`: {e}", c.path))?;
                }
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .map_err(|e| format!("cannot write `{}`: {e}", c.path))?;
                f.write_all(c.new.as_bytes())
                    .map_err(|e| format!("cannot write `{}`: {e}", c.path))?;
            }
            Some(old) => {
                let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
                if !regular {
                    return Err(format!("`{}` is not a regular file; not edited", c.path));
                }
                let now = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", c.path))?;
                if &now != old {
                    return Err(format!(
                        "`{}` changed while fixing; nothing more written",
                        c.path
                    ));
                }
                std::fs::write(&path, &c.new)
                    .map_err(|e| format!("cannot write `{}`: {e}", c.path))?;
            }
        }
    }
    Ok(())
}

/// Joins a service folder (`""` for the root) and a file name.
fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() || dir == "." {
        file.to_string()
    } else {
        format!("{}/{file}", dir.trim_end_matches('/'))
    }
}

/// Replaces `{{KEY}}`; a line that was only a placeholder and renders
/// empty is dropped.
pub(super) fn render(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::new();
    for line in template.lines() {
        let mut l = line.to_string();
        for (k, v) in vars {
            l = l.replace(&format!("{{{{{k}}}}}"), v);
        }
        if l.is_empty() && !line.is_empty() {
            continue;
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// A name safe in a file path and a JSON string.
pub(super) fn safe_name(name: &str) -> String {
    let n: String = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if n.is_empty() {
        "app".to_string()
    } else {
        n
    }
}

pub(super) fn exec_form(args: &[String]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| serde_json::to_string(a).unwrap_or_else(|_| "\"\"".into()))
        .collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn apply_fails_with_one_line_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM a:1\n").unwrap_or_default();
        std::fs::write(dir.path().join("blocker"), "a file").unwrap_or_default();
        let change = |path: &str| Change {
            path: path.into(),
            old: None,
            new: "new\n".into(),
            reasons: vec![],
        };
        // An existing file is never overwritten, even when the plan says new.
        let err = apply(
            dir.path(),
            &Plan {
                changes: vec![change("Dockerfile")],
                ..Default::default()
            },
        )
        .err()
        .unwrap_or_default();
        assert!(err.starts_with("cannot write `Dockerfile`"), "{err}");
        assert!(!err.contains('\n'));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap_or_default(),
            "FROM a:1\n"
        );
        // A folder that cannot be made (a file is in the way), even as root.
        let err = apply(
            dir.path(),
            &Plan {
                changes: vec![change("blocker/Dockerfile")],
                ..Default::default()
            },
        )
        .err()
        .unwrap_or_default();
        assert!(
            err.starts_with("cannot write `blocker/Dockerfile`"),
            "{err}"
        );
        // An edit against content that changed since the plan is refused.
        let edit = Change {
            path: "Dockerfile".into(),
            old: Some("FROM b:1\n".into()),
            new: "FROM c:1\n".into(),
            reasons: vec![],
        };
        let err = apply(
            dir.path(),
            &Plan {
                changes: vec![edit],
                ..Default::default()
            },
        )
        .err()
        .unwrap_or_default();
        assert!(err.contains("changed while fixing"), "{err}");
    }
}
