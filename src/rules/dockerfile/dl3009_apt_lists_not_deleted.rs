use super::support::{declare_rule, dockerfiles, emit, has_cache_mount, Shell};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3009",
    name: "apt-lists-not-deleted",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Delete the apt lists after installing",
    what: "Reports a `RUN` with `apt-get update` (or `apt update`, `aptitude update`) that does not also run `rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`, which removes the lists since apt 2.9), in the final stage or in a stage that another stage builds on. A cache or tmpfs mount over `/var/lib/apt/lists` (or `/var/lib/apt` and `/var/cache/apt`) is also fine. Build-only stages that are merely copied from are not judged.",
    why: "The package lists weigh tens of megabytes and are useless at run time; deleting them in the same RUN keeps them out of the layer.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n && rm -rf /var/lib/apt/lists/*\n",
};

declare_rule!();

fn updates(sh: &Shell) -> bool {
    sh.any(|c| c.is_with(&["apt-get", "apt", "aptitude"], &["update"]))
}

fn cleans(sh: &Shell) -> bool {
    sh.any(|c| {
        (c.is("rm")
            && c.has_any_flag(&["r", "R", "recursive"])
            && c.args().iter().any(|a| a.starts_with("/var/lib/apt/lists")))
            // apt >= 2.9 (Debian trixie): `dist-clean` is `clean` plus the
            // package lists.
            || c.is_with(&["apt-get", "apt"], &["dist-clean", "distclean"])
    })
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let last = df.stages.len().saturating_sub(1);
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Run {
                continue;
            }
            let Some(sh) = df.shell(inst) else {
                continue;
            };
            if !updates(sh) || cleans(sh) {
                continue;
            }
            let ins = inst.ins;
            if has_cache_mount(ins, "/var/lib/apt/lists")
                || (has_cache_mount(ins, "/var/lib/apt") && has_cache_mount(ins, "/var/cache/apt"))
            {
                continue;
            }
            let stage = inst.stage.unwrap_or(last);
            let is_base = df.stages.iter().any(|s| s.parent == Some(stage));
            if inst.onbuild || stage == last || is_base {
                emit(
                    out,
                    df,
                    inst,
                    "`apt-get update` without `rm -rf /var/lib/apt/lists/*` in the same `RUN`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_cleanup() {
        assert_eq!(
            lines(
                "DL3009",
                "FROM d:1\nRUN apt-get update && apt-get install -y x=1\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3009",
                "FROM d:1 AS base\nRUN apt-get update\nFROM base\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_with_rm_cache_mount_or_build_stage() {
        assert!(lines("DL3009", "FROM d:1\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n").is_empty());
        assert!(lines(
            "DL3009",
            "FROM d:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n"
        )
        .is_empty());
        assert!(lines(
            "DL3009",
            "FROM d:1 AS build\nRUN apt-get update\nFROM scratch\nCOPY --from=build /x /x\n"
        )
        .is_empty());
    }

    #[test]
    fn clean_with_apt_get_dist_clean() {
        // docker-library python 3.14/trixie/Dockerfile:13 ends its install
        // RUN with `apt-get dist-clean` (apt >= 2.9 removes the lists).
        let df = "FROM debian:13\nRUN set -eux; \\\n  apt-get update; \\\n  apt-get install -y --no-install-recommends tk-dev; \\\n  apt-get dist-clean\nFROM debian:13\nRUN apt update && apt install -y x=1 && apt distclean\n";
        assert!(lines("DL3009", df).is_empty());
        // `apt-get clean` keeps the lists: still reported.
        assert_eq!(
            lines(
                "DL3009",
                "FROM d:1\nRUN apt-get update && apt-get install -y x=1 && apt-get clean\n"
            ),
            vec![2]
        );
    }
}
