use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR503",
    name: "build-dockerfile-missing",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A CI, skaffold or Tilt image build names a Dockerfile or context that does not exist",
    what: "Reports an image build in CI (`docker build -f`, `docker/build-push-action`, kaniko, buildah...) or in skaffold/Tilt whose Dockerfile or build context is not in the repository, resolved against the step's working directory (or the config's folder). Paths holding CI variables, absolute paths and builders that need no Dockerfile (pack, ko, Jib) are skipped.",
    why: "The build fails on the runner with `failed to read dockerfile` or `path not found`, typically only after a push, because the path was renamed in the repository but not in the pipeline.",
    bad: "# .github/workflows/ci.yml (the Dockerfile moved to docker/api/)\n- run: docker build -f api/Dockerfile -t acme/api .\n",
    good: "# .github/workflows/ci.yml\n- run: docker build -f docker/api/Dockerfile -t acme/api .\n",
};

/// Builders that do not read a Dockerfile.
const NO_DOCKERFILE: &[&str] = &[
    "pack",
    "ko",
    "jib",
    "nixpacks",
    "s2i",
    "spring-boot",
    "quarkus",
    "buildpacks",
    "bazel",
    "custom",
];

/// A build's file, line, tool, context and Dockerfile.
type BuildRef<'a> = (&'a str, u32, &'a str, Option<&'a str>, Option<&'a str>);

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        if super::single_file(cx.facts) {
            return;
        }
        let listing = &cx.facts.listing;
        let mut builds: Vec<BuildRef<'_>> = Vec::new();
        for b in &cx.graph.builds {
            if NO_DOCKERFILE.contains(&b.tool.as_str()) {
                continue;
            }
            builds.push((
                &b.file,
                b.line,
                &b.tool,
                b.context.as_deref(),
                b.dockerfile.as_deref(),
            ));
        }
        for a in &cx.facts.orchestration.artifacts {
            if NO_DOCKERFILE.contains(&a.builder.as_str()) {
                continue;
            }
            builds.push((
                &a.file,
                a.line,
                &a.builder,
                a.context.as_deref(),
                a.dockerfile.as_deref(),
            ));
        }
        for (file, line, tool, context, dockerfile) in builds {
            if let Some(ctx) = context {
                if super::checkable_path(ctx) && !listing.has_dir(ctx) {
                    out.emit(
                        Location::new(file, line),
                        format!(
                            "this {tool} build uses the context `{}`, which does not exist",
                            super::show_ctx(ctx)
                        ),
                        format!("build.context:{ctx}"),
                    );
                    continue;
                }
            }
            let Some(df) = dockerfile else { continue };
            if !super::checkable_path(df) || listing.has_file(df) {
                continue;
            }
            // A context that holds variables makes the default Dockerfile
            // path meaningless too.
            if context.is_some_and(|c| !super::checkable_path(c)) {
                continue;
            }
            out.emit(
                Location::new(file, line),
                format!("this {tool} build uses the Dockerfile `{df}`, which does not exist"),
                format!("build.dockerfile:{df}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_skaffold_artifact_with_missing_dockerfile_and_context() {
        let f = findings_of(
            "KR503",
            &[
                (
                    "skaffold.yaml",
                    "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: acme/api\n      context: api\n      docker:\n        dockerfile: docker/Dockerfile\n    - image: acme/web\n      context: web\n",
                ),
                ("api/main.go", "package main\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f.iter()
                .any(|x| x.message.contains("`api/docker/Dockerfile`")),
            "{f:?}"
        );
        assert!(
            f.iter().any(|x| x.message.contains("context `web`")),
            "{f:?}"
        );
    }

    const WORKFLOW: &str = "on:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: docker build -f api/Dockerfile -t acme/api:1 .\n      - run: docker build -t acme/web:1 web\n      - run: docker build -f $DOCKERFILE -t acme/x:1 .\n";

    #[test]
    fn flags_ci_build_of_missing_dockerfile_and_context() {
        let f = findings_of(
            "KR503",
            &[
                (".github/workflows/ci.yml", WORKFLOW),
                ("docker/api/Dockerfile", "FROM alpine:3.20\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 9);
        assert!(f[0].message.contains("`api/Dockerfile`"), "{f:?}");
        assert_eq!(f[1].location.line, 10);
        assert!(f[1].message.contains("context `web`"), "{f:?}");
    }

    #[test]
    fn clean_ci_build_when_present() {
        let f = findings_of(
            "KR503",
            &[
                (".github/workflows/ci.yml", WORKFLOW),
                ("api/Dockerfile", "FROM alpine:3.20\n"),
                ("web/Dockerfile", "FROM nginx:1.27\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn clean_when_present() {
        let f = findings_of(
            "KR503",
            &[
                (
                    "skaffold.yaml",
                    "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: acme/api\n      context: api\n",
                ),
                ("api/Dockerfile", "FROM alpine:3.20\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
