use super::support::{declare_rule, dockerfiles, emit, has_cache_mount, Cmd};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3060",
    name: "yarn-cache-not-cleaned",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Run `yarn cache clean` after yarn install",
    what: "Reports a `RUN` with `yarn install` not followed in the same RUN by `yarn cache clean`, in the final stage or a stage that another stage builds on, unless a cache mount covers `.cache/yarn`.",
    why: "Yarn's offline cache holds a copy of every package tarball; left in the layer it often weighs more than node_modules itself.",
    bad: "FROM node:20\nRUN yarn install --frozen-lockfile\n",
    good: "FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
};

declare_rule!();

fn install(c: &Cmd) -> bool {
    c.is_with(&["yarn"], &["install"])
}

fn clean(c: &Cmd) -> bool {
    c.is("yarn") && c.has_arg("cache") && c.has_arg("clean")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let last = df.stages.len().saturating_sub(1);
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Run || has_cache_mount(inst.ins, ".cache/yarn") {
                continue;
            }
            let Some(sh) = df.shell(inst) else {
                continue;
            };
            let Some(i) = sh.position(install) else {
                continue;
            };
            if sh.cmds.iter().skip(i + 1).any(clean) {
                continue;
            }
            let stage = inst.stage.unwrap_or(last);
            if inst.onbuild || stage == last || df.stages.iter().any(|s| s.parent == Some(stage)) {
                emit(
                    out,
                    df,
                    inst,
                    "`yarn install` without `yarn cache clean` afterwards in the same `RUN`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_cache_clean() {
        assert_eq!(lines("DL3060", "FROM node:20\nRUN yarn install\n"), vec![2]);
        assert_eq!(
            lines(
                "DL3060",
                "FROM node:20\nRUN yarn cache clean && yarn install\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_with_cache_clean_or_build_stage() {
        assert!(lines(
            "DL3060",
            "FROM node:20\nRUN yarn install && yarn cache clean\n"
        )
        .is_empty());
        assert!(lines(
            "DL3060",
            "FROM node:20 AS build\nRUN yarn install\nFROM nginx:1\nCOPY --from=build /a /b\n"
        )
        .is_empty());
    }
}
