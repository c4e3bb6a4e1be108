use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3016",
    name: "npm-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Pin versions in npm install",
    what: "Reports an `npm install` (or `npm i`, `npm add`) naming a package without `@version` (scoped packages need a second `@`), unless it is a git URL pinned with `#`, a tarball or a folder. A bare `npm install` (from package.json) is fine.",
    why: "An unpinned global or ad-hoc npm install pulls the latest release on build day; builds stop being reproducible and a breaking release lands unannounced.",
    bad: "FROM node:20\nRUN npm install -g typescript\n",
    good: "FROM node:20\nRUN npm install -g typescript@5.4.5\n",
};

declare_rule!();

fn pinned(p: &str) -> bool {
    if ["git://", "git+ssh://", "git+http://", "git+https://"]
        .iter()
        .any(|g| p.starts_with(g))
    {
        return p.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"].iter().any(|s| p.ends_with(s))
        || ["/", "./", "../", "~/"].iter().any(|s| p.starts_with(s))
    {
        return true;
    }
    let unscoped = if p.starts_with('@') {
        p.split_once('/').map(|x| x.1).unwrap_or("")
    } else {
        p
    };
    unscoped.contains('@') || p.contains('$')
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let mut unpinned = Vec::new();
        for c in sh.cmds.iter().filter(|c| c.is("npm")) {
            let pos = c.positional(&[
                "loglevel",
                "registry",
                "prefix",
                "cache",
                "userconfig",
                "w",
                "workspace",
            ]);
            if !matches!(pos.first(), Some(&("install" | "i" | "add" | "isntall"))) {
                continue;
            }
            unpinned.extend(
                pos.iter()
                    .skip(1)
                    .filter(|p| !pinned(p))
                    .map(|p| p.to_string()),
            );
        }
        (!unpinned.is_empty()).then(|| {
            format!(
                "pin versions in `npm install` (`{}@<version>`); unpinned: {}",
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
                "DL3016",
                "FROM node:20\nRUN npm install -g typescript @angular/cli\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_on_pinned_and_project_installs() {
        let df = "FROM node:20\nRUN npm install && npm ci\nRUN npm i -g typescript@5 @angular/cli@17 ./local git+https://x/y.git#abc --registry https://r\n";
        assert!(lines("DL3016", df).is_empty());
    }
}
