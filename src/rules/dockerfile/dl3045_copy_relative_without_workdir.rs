use super::support::{copy_paths, declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3045",
    name: "copy-relative-without-workdir",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "COPY to a relative destination needs a WORKDIR",
    what: "Reports a `COPY` to a relative destination in a stage where no `WORKDIR` was set, in this stage or in the earlier stage it is built `FROM`.",
    why: "A relative destination is resolved against the base image's working directory, which you do not control and which may change with the next base image release.",
    bad: "FROM node:20\nCOPY package.json .\n",
    good: "FROM node:20\nWORKDIR /app\nCOPY package.json .\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut workdir_set = vec![false; df.stages.len()];
        for inst in df.top() {
            let Some(s) = inst.stage else { continue };
            match inst.keyword() {
                Keyword::From => {
                    let inherited = df
                        .stages
                        .get(s)
                        .and_then(|st| st.parent)
                        .and_then(|p| workdir_set.get(p).copied())
                        .unwrap_or(false);
                    if let Some(w) = workdir_set.get_mut(s) {
                        *w = inherited;
                    }
                }
                Keyword::Workdir => {
                    if let Some(w) = workdir_set.get_mut(s) {
                        *w = true;
                    }
                }
                Keyword::Copy => {
                    if workdir_set.get(s).copied().unwrap_or(false) {
                        continue;
                    }
                    let (_, Some(dest)) = copy_paths(inst.ins) else {
                        continue;
                    };
                    // Judge the path without its quotes: `"${HOME}"/x` is a
                    // variable, `"/app"` is absolute.
                    let bare = dest.trim_matches(|c| c == '"' || c == '\'');
                    let mut c = bare.chars();
                    let windows = matches!((c.next(), c.next()), (Some(d), Some(':')) if d.is_ascii_alphabetic());
                    if bare.starts_with('/') || bare.starts_with('$') || windows {
                        continue;
                    }
                    emit(
                        out,
                        df,
                        &inst,
                        format!("`COPY` to relative `{dest}` without a `WORKDIR` in this stage"),
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_relative_copy() {
        assert_eq!(
            lines("DL3045", "FROM node:20\nCOPY package.json .\n"),
            vec![2]
        );
        assert_eq!(
            lines("DL3045", "FROM a:1\nWORKDIR /app\nFROM b:1\nCOPY x y\n"),
            vec![4]
        );
    }

    #[test]
    fn clean_with_workdir_absolute_or_inherited() {
        let df = "FROM node:20 AS base\nWORKDIR /app\nCOPY . .\nFROM base\nCOPY x y\nFROM alpine:3\nCOPY x /abs\n";
        assert!(lines("DL3045", df).is_empty());
    }

    #[test]
    fn clean_on_quoted_variable_or_absolute_destination() {
        // docker-stacks binder/Dockerfile: `COPY x "${HOME}"/README.ipynb`.
        let df = "FROM a:1\nCOPY x \"${HOME}\"/README.ipynb\nCOPY y \"/abs/y\"\nCOPY z '/abs/z'\n";
        assert!(lines("DL3045", df).is_empty());
        assert_eq!(lines("DL3045", "FROM a:1\nCOPY x \"rel/x\"\n"), vec![2]);
    }
}
