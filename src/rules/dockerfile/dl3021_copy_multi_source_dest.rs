use super::support::{copy_paths, declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3021",
    name: "copy-multi-source-dest",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "COPY with several sources needs a destination ending in `/`",
    what: "Reports a `COPY` with more than one source whose destination does not end with `/`.",
    why: "Docker refuses to copy several files onto one file path: the build fails with `When using COPY with more than one source file, the destination must be a directory and end with a /`.",
    bad: "FROM node:20\nCOPY package.json package-lock.json /app\n",
    good: "FROM node:20\nCOPY package.json package-lock.json /app/\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Copy || !inst.ins.heredocs.is_empty() {
                continue;
            }
            let (srcs, dest) = copy_paths(inst.ins);
            if let Some(d) = dest {
                if srcs.len() > 1 && !d.ends_with('/') {
                    emit(
                        out,
                        df,
                        inst,
                        format!(
                            "several sources are copied to `{d}`; end the destination with `/`"
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_slash() {
        assert_eq!(lines("DL3021", "FROM a:1\nCOPY a b /app\n"), vec![2]);
        assert_eq!(
            lines("DL3021", "FROM a:1\nCOPY [\"a\", \"b\", \"/app\"]\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_slash_or_one_source() {
        assert!(lines("DL3021", "FROM a:1\nCOPY a b /app/\nCOPY a /app\n").is_empty());
    }
}
