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
        let fix = if d.fixable() { " (fixable)" } else { "" };
        out.push_str(&format!(
            "{:<7} {:<28} {:<8} {}{off}{fix}\n",
            d.code,
            d.name,
            d.severity.as_str(),
            d.summary
        ));
    }
    out
}

/// The rule table of the README (between `<!-- rules:start -->` and
/// `<!-- rules:end -->`), generated from the rules themselves.
pub fn rules_markdown() -> String {
    let mut out = String::from("| Code | Name | Severity | Summary |\n|---|---|---|---|\n");
    for r in all_rules() {
        let d = r.doc();
        let off = if d.enabled_by_default {
            ""
        } else {
            " (off by default)"
        };
        let fix = if d.fixable() { " (fixable)" } else { "" };
        out.push_str(&format!(
            "| `{}` | {} | {} | {}{off}{fix} |\n",
            d.code,
            d.name,
            d.severity.as_str(),
            d.summary.replace('|', "\\|")
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
    let fix = if d.fixable() {
        format!(
            "\n\nFix\n  `kubeready fix --rule {}` fixes it (a diff first; `--write` applies it).",
            d.code
        )
    } else {
        String::new()
    };
    format!(
        "{} {} ({}{off})\n\n{}{fix}\n\nWhat it does\n  {}\n\nWhy is this bad?\n  {}\n\nExample\n{}\n\nUse instead\n{}\n",
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
        let doc = r.doc();
        let retired = crate::rules::ALIASES
            .iter()
            .find(|(old, _)| old.eq_ignore_ascii_case(key));
        return Some(match retired {
            Some((old, now)) => format!(
                "`{old}` is a retired name: {now} ({}) reports the same thing, and `{old}` in configs, pragmas and --select/--ignore means {now}.\n\n{}",
                doc.name,
                explain_rule(doc)
            ),
            None => explain_rule(doc),
        });
    }
    if let Some(text) = crate::sections::explain_section(key) {
        return Some(format!("Section `{key}` (after the checklist)\n\n{text}\n"));
    }
    let step = StepId::from_id(key).or_else(|| {
        key.parse::<u8>()
            .ok()
            .and_then(|n| StepId::ALL.into_iter().find(|s| s.number() == n))
    })?;
    Some(crate::checklist::explain_step(step))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's rule table is generated from the rules: regenerate it
    /// with `cargo run -- rules --format markdown` when this fails.
    #[test]
    fn readme_rule_table_matches_the_rules() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let start = readme
            .find("<!-- rules:start -->\n")
            .expect("rules:start marker")
            + "<!-- rules:start -->\n".len();
        let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
        assert_eq!(
            &readme[start..end],
            rules_markdown(),
            "README rule table drifted: run `cargo run -- rules --format markdown`"
        );
    }

    /// The README's scoring list repeats each step's `EXPLAIN` text (the one
    /// copy, wrapped freely): edit the step's text, then the README.
    #[test]
    fn readme_scoring_list_matches_the_steps() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let start = readme
            .find("<!-- scoring:start -->")
            .expect("scoring:start marker");
        let end = readme
            .find("<!-- scoring:end -->")
            .expect("scoring:end marker");
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let block = words(&readme[start..end]);
        for step in StepId::ALL {
            // `explain` prints a heading, the step's title, then its scoring.
            let text = crate::checklist::explain_step(step);
            let body = text
                .splitn(3, "\n\n")
                .nth(2)
                .expect("heading, title, scoring");
            let bullet = format!("- **{} `{}`**: {}", step.number(), step.id(), words(body));
            assert!(
                block.contains(&bullet),
                "README scoring list drifted from the step's EXPLAIN text; expected:\n{bullet}"
            );
        }
    }

    /// The README's checklist table lists the registry's steps: number,
    /// id and title, in order.
    #[test]
    fn readme_checklist_table_matches_the_steps() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let mut table = String::from("| # | id | step |\n|---|----|------|\n");
        for d in &crate::checklist::STEPS {
            table.push_str(&format!(
                "| {} | `{}` | {} |\n",
                d.id.number(),
                d.key,
                d.title
            ));
        }
        assert!(
            readme.contains(&table),
            "README checklist table drifted from the step registry; expected:\n{table}"
        );
    }

    /// The README's paragraph after the checklist names every section of
    /// the registry, in report order.
    #[test]
    fn readme_names_the_sections_in_order() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let start = readme
            .find("### After the checklist")
            .expect("After the checklist heading");
        let end = start + readme[start..].find("\n## ").expect("next heading");
        let block = &readme[start..end];
        let mut from = 0;
        for s in &crate::sections::SECTIONS {
            let named = format!("`{}`", s.id);
            let at = block[from..].find(&named).unwrap_or_else(|| {
                panic!("README's After the checklist misses {named} (or its order)")
            });
            from += at + named.len();
        }
    }

    #[test]
    fn every_rule_and_step_explains() {
        for r in all_rules() {
            let text = explain(r.doc().code).unwrap();
            assert!(
                text.contains("Why is this bad?") && text.contains("Use instead"),
                "{}",
                r.doc().code
            );
            assert_eq!(explain(r.doc().name).unwrap(), text);
        }
        for s in StepId::ALL {
            assert!(explain(s.id()).unwrap().contains(s.title()));
        }
        for s in &crate::sections::SECTIONS {
            assert!(explain(s.id).unwrap().contains(s.explain));
        }
    }
}
