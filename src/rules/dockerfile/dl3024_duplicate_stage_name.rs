use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3024",
    name: "duplicate-stage-name",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Stage names (FROM ... AS name) must be unique",
    what: "Reports a `FROM ... AS name` whose name (case-insensitive) was already used by an earlier stage.",
    why: "BuildKit refuses duplicate stage names, and older builders silently use one of them for `--from` and `--target`.",
    bad: "FROM node:20 AS build\nFROM node:20 AS build\n",
    good: "FROM node:20 AS deps\nFROM node:20 AS build\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut seen = std::collections::HashSet::new();
        for st in &df.stages {
            let Some(name) = &st.name else { continue };
            if !seen.insert(name.as_str()) {
                out.emit(
                    df.loc(st.line),
                    format!("stage name `{name}` is already used by an earlier stage"),
                    format!("FROM {} AS {name}", st.base_raw),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_duplicate() {
        assert_eq!(lines("DL3024", "FROM a:1 AS x\nFROM b:1 AS X\n"), vec![2]);
    }

    #[test]
    fn clean_on_unique() {
        assert!(lines("DL3024", "FROM a:1 AS x\nFROM b:1 AS y\n").is_empty());
    }
}
