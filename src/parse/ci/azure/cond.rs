//! Azure Pipelines `condition:` expressions, as far as they narrow the
//! triggers: `eq(variables['Build.SourceBranch'], 'refs/heads/main')`,
//! `startsWith(variables['Build.SourceBranch'], 'refs/tags/')`,
//! `eq(variables['Build.Reason'], 'PullRequest'|'Schedule'|'Manual')`,
//! `ne(variables['Build.Reason'], 'PullRequest')`. Other functions
//! (`and`, `or`, `succeeded`) are looked through.

use super::super::known::trigger;
use super::super::{Trigger, TriggerKind};

/// The triggers a condition allows, or `None` when it says nothing about
/// them (the pipeline's triggers apply).
pub fn condition_triggers(cond: &str, line: u32, pipeline: &[Trigger]) -> Option<Vec<Trigger>> {
    let mut branches: Vec<String> = Vec::new();
    let mut kinds: Vec<TriggerKind> = Vec::new();
    let mut not_pr = false;
    for (func, a, b) in calls(cond) {
        let var = variable(&a);
        let value = unquote(&b);
        match (func.as_str(), var.as_str()) {
            ("eq", "build.sourcebranch") if value.starts_with("refs/tags/") => {
                kinds.push(TriggerKind::Tag)
            }
            ("eq", "build.sourcebranch" | "build.sourcebranchname") => {
                branches.push(value.trim_start_matches("refs/heads/").to_string())
            }
            ("startswith", "build.sourcebranch") if value.starts_with("refs/tags") => {
                kinds.push(TriggerKind::Tag)
            }
            ("startswith", "build.sourcebranch") => {
                branches.push(format!("{}*", value.trim_start_matches("refs/heads/")))
            }
            ("eq", "build.reason") => match value.to_ascii_lowercase().as_str() {
                "pullrequest" => kinds.push(TriggerKind::PullRequest),
                "schedule" => kinds.push(TriggerKind::Schedule),
                "manual" => kinds.push(TriggerKind::Manual),
                "individualci" | "batchedci" => kinds.push(TriggerKind::Push),
                "resourcetrigger" | "buildcompletion" => kinds.push(TriggerKind::WorkflowRun),
                _ => {}
            },
            ("ne", "build.reason") if value.eq_ignore_ascii_case("pullrequest") => not_pr = true,
            _ => {}
        }
    }
    let mut out: Vec<Trigger> = Vec::new();
    if !branches.is_empty() {
        out.push(trigger(TriggerKind::Push, line, branches));
    }
    for k in kinds {
        if k == TriggerKind::Push && !out.is_empty() {
            continue;
        }
        if !out.iter().any(|t| t.kind == k) {
            out.push(trigger(k, line, Vec::new()));
        }
    }
    if !out.is_empty() {
        return Some(out);
    }
    if not_pr {
        let rest: Vec<Trigger> = pipeline
            .iter()
            .filter(|t| t.kind != TriggerKind::PullRequest)
            .cloned()
            .collect();
        return Some(rest);
    }
    None
}

/// Two-argument calls of `eq`, `ne`, `startsWith` (lower-cased name, raw
/// arguments), wherever they are nested.
fn calls(s: &str) -> Vec<(String, String, String)> {
    let lower = s.to_ascii_lowercase();
    let mut out = Vec::new();
    for name in ["eq(", "ne(", "startswith("] {
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|r| r.find(name)) {
            let at = from + pos;
            from = at + name.len();
            // A whole word: not the tail of `and(`/`one(`.
            if at > 0
                && lower
                    .as_bytes()
                    .get(at - 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let Some(inner) = s.get(from..).and_then(until_close) else {
                continue;
            };
            if let Some((a, b)) = split_top(inner) {
                out.push((name.trim_end_matches('(').to_string(), a, b));
            }
        }
    }
    out
}

/// The text up to the `)` closing an already opened call.
fn until_close(s: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quote = !quote,
            '(' | '[' if !quote => depth += 1,
            ')' | ']' if !quote && depth > 0 => depth -= 1,
            ')' if !quote => return s.get(..i),
            _ => {}
        }
    }
    None
}

/// Splits `a, b` at the first top-level comma.
fn split_top(s: &str) -> Option<(String, String)> {
    let mut depth = 0usize;
    let mut quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quote = !quote,
            '(' | '[' if !quote => depth += 1,
            ')' | ']' if !quote => depth = depth.saturating_sub(1),
            ',' if !quote && depth == 0 => {
                return Some((
                    s.get(..i)?.trim().to_string(),
                    s.get(i + 1..)?.trim().to_string(),
                ))
            }
            _ => {}
        }
    }
    None
}

/// `variables['Build.SourceBranch']`, `variables.Build.SourceBranch`,
/// `variables['build.sourceBranch']` → `build.sourcebranch`.
fn variable(a: &str) -> String {
    let a = a.trim();
    let inner = a
        .strip_prefix("variables[")
        .and_then(|r| r.strip_suffix(']'))
        .map(unquote)
        .or_else(|| a.strip_prefix("variables.").map(str::to_string))
        .unwrap_or_else(|| a.to_string());
    inner.to_ascii_lowercase()
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('\'').trim_matches('"').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(c: &str) -> Option<Vec<(TriggerKind, Vec<String>)>> {
        let p = [
            trigger(TriggerKind::Push, 1, vec![]),
            trigger(TriggerKind::PullRequest, 1, vec![]),
        ];
        condition_triggers(c, 3, &p).map(|v| v.into_iter().map(|t| (t.kind, t.branches)).collect())
    }

    #[test]
    fn narrows_on_branch_tag_and_reason() {
        assert_eq!(
            kinds("and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))"),
            Some(vec![(TriggerKind::Push, vec!["main".to_string()])])
        );
        assert_eq!(
            kinds("startsWith(variables['Build.SourceBranch'], 'refs/tags/v')"),
            Some(vec![(TriggerKind::Tag, vec![])])
        );
        assert_eq!(
            kinds("and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'))"),
            Some(vec![(TriggerKind::Push, vec![])])
        );
        assert_eq!(
            kinds("eq(variables.Build.Reason, 'Manual')"),
            Some(vec![(TriggerKind::Manual, vec![])])
        );
        assert_eq!(kinds("succeeded()"), None);
        assert_eq!(kinds("eq(variables['x'], "), None);
        assert_eq!(kinds("eq(eq(eq("), None);
    }
}
