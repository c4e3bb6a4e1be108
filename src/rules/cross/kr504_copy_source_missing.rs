use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

use super::SourceState;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR504",
    name: "copy-source-missing",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "A `COPY`/`ADD` source is not in the build context",
    what: "Reports a `COPY` or `ADD` source (not `--from`, not a URL or heredoc) that matches nothing in the build context, for every context the Dockerfile is built with (Compose `build:`, CI builds, or its own folder). `ARG` and `ENV` values are resolved, with Compose `build.args`; sources with unknown variables are skipped. Globs must match at least one file. Sources that look like build outputs (`target/`, `dist/`, `*.jar`), which are usually git-ignored and produced before the build, are `KR505` instead.",
    why: "The build fails with `failed to compute cache key: \"/requirements.txt\": not found`. Usually the Dockerfile assumes a different context than the one Compose or CI passes (`COPY api/go.mod .` with context `./api`), or a file was renamed.",
    bad: "# api/Dockerfile, built with context ./api\nFROM python:3.12-slim\nCOPY api/requirements.txt .\n",
    good: "# api/Dockerfile, built with context ./api\nFROM python:3.12-slim\nCOPY requirements.txt .\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for b in super::dockerfile_builds(cx) {
            let df = b.df;
            for src in super::copy_sources(df, &b.args) {
                if !matches!(b.judge(cx.facts, &src), SourceState::Missing) {
                    continue;
                }
                let what = if src.glob {
                    "matches nothing"
                } else {
                    "does not exist"
                };
                out.emit(
                    Location::new(&df.path, src.ins.line),
                    format!(
                        "{} source `{}` {what} in {}; the build fails",
                        src.ins.keyword.as_str(),
                        src.written,
                        b.describe()
                    ),
                    format!(
                        "{} {} (context {})",
                        src.ins.keyword.as_str(),
                        src.written,
                        super::show_ctx(&b.context)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_source_missing_from_compose_context() {
        let f = findings_of(
            "KR504",
            &[
                ("compose.yaml", "services:\n  api:\n    build: ./api\n"),
                (
                    "api/Dockerfile",
                    "FROM python:3.12-slim\nARG APP=app\nCOPY api/requirements.txt .\nCOPY *.toml ./\nCOPY ${APP}/ /srv/\nCOPY main.py .\n",
                ),
                ("api/main.py", "print()\n"),
            ],
        );
        let lines: Vec<u32> = f.iter().map(|x| x.location.line).collect();
        assert_eq!(lines, vec![3, 4, 5], "{f:?}");
        assert!(f[0].message.contains("`api/requirements.txt`"));
        assert!(f[0].message.contains("the build context `api`"));
        assert!(f[1].message.contains("matches nothing"));
    }

    #[test]
    fn assumed_context_accepts_a_parent_folder() {
        // No Compose or CI build names the context: a monorepo Dockerfile
        // copying from the root is not judged, a file missing everywhere is.
        let f = findings_of(
            "KR504",
            &[
                (
                    "apps/web/Dockerfile",
                    "FROM node:20\nCOPY packages ./packages\nCOPY apps/web ./apps/web\nCOPY yarn.lock .\n",
                ),
                ("apps/web/package.json", "{}\n"),
                ("packages/ui/package.json", "{}\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("or any parent (no Compose"), "{f:?}");
    }

    #[test]
    fn clean_when_sources_exist() {
        let f = findings_of(
            "KR504",
            &[
                ("compose.yaml", "services:\n  api:\n    build:\n      context: .\n      dockerfile: api/Dockerfile\n      args:\n        APP: api\n"),
                (
                    "api/Dockerfile",
                    "FROM golang:1.22 AS build\nARG APP\nCOPY go.* ./\nCOPY ${APP}/ ./${APP}/\nCOPY --from=build /out /out\nCOPY https://example.com/x.tgz /tmp/\nCOPY <<EOF /etc/x\nhi\nEOF\nCOPY $UNKNOWN /x\nCOPY vendor/ ./vendor/\nCOPY . .\n",
                ),
                ("go.mod", "module x\n"),
                ("api/main.go", "package main\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
