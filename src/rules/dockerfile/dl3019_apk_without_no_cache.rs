use super::dl3018_apk_unpinned::apk_add;
use super::support::{declare_rule, each_run, has_cache_mount};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3019",
    name: "apk-without-no-cache",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Use `apk add --no-cache`",
    what: "Reports an `apk add` without `--no-cache`, unless the RUN mounts a cache over `/var/cache/apk`.",
    why: "`--no-cache` fetches the index on the fly and keeps nothing in `/var/cache/apk`, so there is no need for `apk update` and no cache to delete.",
    bad: "FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, inst, sh| {
        if has_cache_mount(inst.ins, "/var/cache/apk") {
            return None;
        }
        sh.any(|c| apk_add(c) && !c.has_flag("no-cache")).then(|| {
            "`apk add` without `--no-cache` leaves the package cache in the layer".to_string()
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_no_cache() {
        assert_eq!(
            lines("DL3019", "FROM alpine:3\nRUN apk add curl=1\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_no_cache_or_mount() {
        assert!(lines("DL3019", "FROM alpine:3\nRUN apk add --no-cache curl=1\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=1\n").is_empty());
    }
}
