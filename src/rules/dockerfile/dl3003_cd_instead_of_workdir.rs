use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3003",
    name: "cd-instead-of-workdir",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use WORKDIR to switch to a directory",
    what: "Reports a `RUN` that calls `cd`.",
    why: "`cd` lasts for one RUN only; readers (and later instructions) assume a working directory that is not there. `WORKDIR` sets it for every following instruction and creates it if needed.",
    bad: "FROM node:20\nRUN cd /app && npm ci\n",
    good: "FROM node:20\nWORKDIR /app\nRUN npm ci\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, false, |_, _, sh| {
        sh.uses("cd")
            .then(|| "`cd` in `RUN`; use `WORKDIR` to change directory".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_cd() {
        assert_eq!(lines("DL3003", "FROM d:1\nRUN cd /app && make\n"), vec![2]);
    }

    #[test]
    fn clean_without_cd() {
        assert!(lines(
            "DL3003",
            "FROM d:1\nWORKDIR /app\nRUN make && echo 'cd x'\n"
        )
        .is_empty());
    }
}
