//! `kubeready rules` and `kubeready explain`: text from the rules' own
//! documentation and the checklist's step definitions.

use crate::checklist::StepId;
use crate::rules::{all_rules, find_rule, RuleDoc};

pub fn rules_table() -> String {
    let mut out = String::new();
    for r in all_rules() {
        let d = r.doc();
        let off = if d.enabled_by_default {
            ""
        } else {
            " (off by default)"
        };
        out.push_str(&format!(
            "{:<7} {:<28} {:<8} {}{off}\n",
            d.code,
            d.name,
            d.severity.as_str(),
            d.summary
        ));
    }
    out
}

pub fn explain_rule(d: &RuleDoc) -> String {
    let off = if d.enabled_by_default {
        ""
    } else {
        ", off by default"
    };
    format!(
        "{} {} ({}{off})\n\n{}\n\nWhat it does\n  {}\n\nWhy is this bad?\n  {}\n\nExample\n{}\n\nUse instead\n{}\n",
        d.code,
        d.name,
        d.severity.as_str(),
        d.summary,
        d.what,
        d.why,
        indent(d.bad),
        indent(d.good)
    )
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn explain(key: &str) -> Option<String> {
    if let Some(r) = find_rule(key) {
        return Some(explain_rule(r.doc()));
    }
    let step = StepId::from_id(key).or_else(|| {
        key.parse::<u8>()
            .ok()
            .and_then(|n| StepId::ALL.into_iter().find(|s| s.number() == n))
    })?;
    Some(crate::checklist::explain_step(step))
}
