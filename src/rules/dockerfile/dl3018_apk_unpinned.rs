use super::support::{declare_rule, each_run, Cmd};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3018",
    name: "apk-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Pin versions in apk add",
    what: "Reports an `apk add` with a package that has no version constraint (`=`, `~`, `>`, `<`) and is not an `.apk` file. Values of `-t/--virtual`, `-X/--repository` are not packages.",
    why: "Alpine repositories replace package versions in place; an unpinned package makes builds unreproducible.",
    bad: "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
};

declare_rule!();

pub const APK_VALUED: &[&str] = &[
    "t",
    "virtual",
    "X",
    "repository",
    "p",
    "root",
    "repositories-file",
    "arch",
    "cache-dir",
    "keys-dir",
];

pub fn apk_add(c: &Cmd) -> bool {
    c.is("apk") && c.positional(APK_VALUED).first() == Some(&"add")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let unpinned: Vec<&str> = sh
            .cmds
            .iter()
            .filter(|c| apk_add(c))
            .flat_map(|c| {
                c.positional(APK_VALUED)
                    .into_iter()
                    .skip(1)
                    .collect::<Vec<_>>()
            })
            .filter(|p| !p.contains(['=', '~', '>', '<']) && !p.ends_with(".apk"))
            .collect();
        (!unpinned.is_empty()).then(|| {
            format!(
                "pin versions in `apk add` (`{}=<version>`); unpinned: {}",
                unpinned[0],
                unpinned.join(", ")
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned() {
        assert_eq!(
            lines(
                "DL3018",
                "FROM alpine:3\nRUN apk update && apk add --no-cache curl\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_when_pinned() {
        assert!(lines(
            "DL3018",
            "FROM alpine:3\nRUN apk add --no-cache --virtual .build curl=8.9 bash~5 ./x.apk\n"
        )
        .is_empty());
    }
}
