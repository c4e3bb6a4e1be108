use super::support::{declare_rule, dockerfiles, emit, unquote};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3000",
    name: "absolute-workdir",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "WORKDIR should be an absolute path",
    what: "Reports a `WORKDIR` whose path is relative (neither starting with `/`, a Windows drive such as `C:`, nor a variable).",
    why: "A relative WORKDIR is resolved against whatever the previous WORKDIR was, which may come from the base image and change under you. An absolute path says exactly where commands run.",
    bad: "FROM node:20\nWORKDIR app\n",
    good: "FROM node:20\nWORKDIR /app\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Workdir {
                continue;
            }
            let path = unquote(inst.ins.args_text());
            let mut chars = path.chars();
            let windows = matches!((chars.next(), chars.next()), (Some(d), Some(':')) if d.is_ascii_alphabetic());
            if path.is_empty() || path.starts_with('/') || path.starts_with('$') || windows {
                continue;
            }
            emit(
                out,
                df,
                inst,
                format!("`WORKDIR {path}` is relative; use an absolute path"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_relative_workdir() {
        assert_eq!(lines("DL3000", "FROM node:20\nWORKDIR app\n"), vec![2]);
    }

    #[test]
    fn clean_on_absolute_variable_and_windows() {
        assert!(lines(
            "DL3000",
            "FROM node:20\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR \"/x y\"\nWORKDIR C:\\\\app\n"
        )
        .is_empty());
    }
}
