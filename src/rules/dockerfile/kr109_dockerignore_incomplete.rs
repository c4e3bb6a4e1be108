use super::support::{contexts_of, declare_rule, dockerfiles, services_of};
use crate::finding::{Location, Severity};
use crate::parse::manifest::Language;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR109",
    name: "dockerignore-incomplete",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "The .dockerignore does not exclude .git (or node_modules)",
    what: "Reports a `.dockerignore` used by a build that does not exclude `.git`, or, when the context holds a Node.js project (`package.json`), `node_modules`.",
    why: "`.git` is often the biggest folder of a repository and changes on every commit, so it slows every build and busts the `COPY . .` cache; a host `node_modules` overwrites the one built for the image's platform.",
    bad: "# .dockerignore\n*.md\n",
    good: "# .dockerignore\n.git\nnode_modules\n*.md\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    let mut reported: std::collections::HashSet<String> = Default::default();
    for df in dockerfiles(cx) {
        let node_service = services_of(cx, df.path())
            .iter()
            .any(|s| s.language == Language::Node);
        for ctx in contexts_of(cx, df) {
            let Some(ignore) = cx.facts.dockerignore_for(df.path(), &ctx) else {
                continue;
            };
            if reported.contains(&ignore.file) {
                continue;
            }
            let pkg = crate::paths::join(&ctx, "package.json").unwrap_or_default();
            let node = node_service || cx.facts.listing.has_file(&pkg);
            let mut missing = Vec::new();
            if !ignore.excludes_top_level(".git") {
                missing.push(".git");
            }
            if node && !ignore.excludes_top_level("node_modules") {
                missing.push("node_modules");
            }
            if !missing.is_empty() {
                reported.insert(ignore.file.clone());
                out.emit(
                    Location::new(&ignore.file, 1),
                    format!(
                        "`{}` does not exclude {}",
                        ignore.file,
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    format!("{} {}", ignore.file, missing.join(",")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_missing_git_and_node_modules() {
        let f = findings_of(
            "KR109",
            &[
                ("Dockerfile", "FROM node:20\n"),
                (".dockerignore", "*.md\n"),
                ("package.json", "{\"name\":\"x\"}"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("node_modules") && f[0].message.contains(".git"));
        assert_eq!(f[0].location.file, ".dockerignore");
    }

    #[test]
    fn clean_when_excluded() {
        assert!(findings_of(
            "KR109",
            &[("Dockerfile", "FROM a:1\n"), (".dockerignore", "**/.git\n")]
        )
        .is_empty());
        assert!(findings_of(
            "KR109",
            &[
                ("Dockerfile", "FROM a:1\n"),
                (".dockerignore", ".git\nnode_modules/\n"),
                ("package.json", "{}")
            ]
        )
        .is_empty());
    }
}
