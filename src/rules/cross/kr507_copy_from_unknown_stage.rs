use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

use super::StageVars;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR507",
    name: "copy-from-unknown-stage",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "`COPY --from` names a stage that does not exist",
    what: "Reports a `COPY --from=<name>` whose name is not a stage declared earlier in the Dockerfile (`FROM ... AS <name>`), not the index of an earlier stage, and not an image reference (one with a registry, a path, a tag or a digest, or a well-known official image such as `composer` or `busybox`). Global `ARG` defaults are resolved first; names with unknown variables are skipped.",
    why: "BuildKit treats an unknown name as an image to pull: the build fails with `pull access denied, repository does not exist`, or worse silently copies from an unrelated public image of that name. It usually means a stage was renamed (`AS build` → `AS builder`) and a `COPY` was missed. Named build contexts (`--build-context name=...`, Compose `additional_contexts`) also satisfy `--from`; suppress the finding when you use them.",
    bad: "# Dockerfile\nFROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n",
    good: "# Dockerfile\nFROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=builder /app /app\n",
};

/// Official Docker Hub images people copy from by bare name.
const OFFICIAL: &[&str] = &[
    "alpine",
    "busybox",
    "debian",
    "ubuntu",
    "composer",
    "node",
    "golang",
    "python",
    "nginx",
    "docker",
    "php",
    "ruby",
    "rust",
    "openjdk",
    "eclipse-temurin",
    "maven",
    "gradle",
    "caddy",
    "traefik",
    "redis",
    "postgres",
    "mysql",
    "httpd",
    "haproxy",
    "tini",
    "scratch",
    "bash",
    "curlimages/curl",
    "registry",
    "consul",
    "vault",
    "memcached",
    "mongo",
    "elixir",
    "erlang",
    "perl",
    "swift",
    "dart",
    "julia",
    "haskell",
    "clojure",
    "groovy",
    "amazoncorretto",
];

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for df in &cx.facts.dockerfiles {
            let stages = df.dockerfile.stages();
            let globals = StageVars::global(df, &[]);
            for stage in &stages {
                let instructions = df
                    .dockerfile
                    .instructions
                    .get(stage.instructions.clone())
                    .unwrap_or_default();
                for ins in instructions {
                    if ins.keyword != crate::parse::dockerfile::Keyword::Copy {
                        continue;
                    }
                    let Some(raw) = super::copy_sources::flag(ins, "from") else {
                        continue;
                    };
                    let Some(name) = globals.expand(raw) else {
                        continue;
                    };
                    let name = name.trim_matches(|c| c == '"' || c == '\'');
                    if name.is_empty()
                        || name.contains('$')
                        || cx.facts.named_contexts.contains(name)
                    {
                        continue;
                    }
                    if let Ok(n) = name.parse::<usize>() {
                        if n < stage.index {
                            continue;
                        }
                        out.emit(
                            Location::new(&df.path, ins.line),
                            format!(
                                "`COPY --from={name}` names stage {n}, but only stages 0 to {} come before it",
                                stage.index.saturating_sub(1)
                            ),
                            format!("COPY --from={name}"),
                        );
                        continue;
                    }
                    let lower = name.to_ascii_lowercase();
                    let earlier: Vec<&str> = stages[..stage.index]
                        .iter()
                        .filter_map(|s| s.name.as_deref())
                        .collect();
                    if earlier.contains(&lower.as_str())
                        || name.contains(['/', ':', '@', '.'])
                        || OFFICIAL.contains(&lower.as_str())
                    {
                        continue;
                    }
                    let later = stages[stage.index..]
                        .iter()
                        .any(|s| s.name.as_deref() == Some(lower.as_str()));
                    let known = if earlier.is_empty() {
                        "no stage before it has a name".to_string()
                    } else {
                        format!(
                            "stages before it: {}",
                            earlier
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    let why = if later {
                        format!("stage `{name}` is declared at or after this one")
                    } else {
                        format!("no stage is named `{name}`")
                    };
                    out.emit(
                        Location::new(&df.path, ins.line),
                        format!(
                            "`COPY --from={name}`: {why} ({known}); BuildKit would try to pull an image `{name}`"
                        ),
                        format!("COPY --from={name}"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_unknown_stage_and_late_index() {
        let f = findings_of(
            "KR507",
            &[(
                "Dockerfile",
                "FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nCOPY --from=1 /x /x\n",
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("`builder`"), "{f:?}");
        assert_eq!(f[1].location.line, 5);
    }

    #[test]
    fn clean_with_stages_indices_images_and_args() {
        let f = findings_of(
            "KR507",
            &[(
                "Dockerfile",
                "ARG BASE_STAGE=Builder\nFROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=BUILDER /app /app\nCOPY --from=0 /app /app2\nCOPY --from=${BASE_STAGE} /app /app3\nCOPY --from=composer /usr/bin/composer /usr/bin/\nCOPY --from=ghcr.io/acme/tools:1 /bin/t /bin/\nCOPY --from=acme/tools /bin/t /bin/\nCOPY --from=$UNSET /x /x\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
