use super::dl3002_last_user_root::is_root;
use super::support::{declare_rule, dockerfiles, emit, expand, unquote};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR101",
    name: "final-stage-root",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "The image runs as root",
    what: "Reports a final stage that never sets `USER` (neither itself nor through the stages it is built on), or whose last USER is root. Base images that are known to run as non-root (`*:nonroot` distroless tags, Chainguard images, `*-rootless`/`unprivileged` variants) are fine; `scratch` images without USER are reported.",
    why: "Most base images run as root. A process running as root in a container is one kernel bug away from root on the node; Kubernetes clusters with `runAsNonRoot` or the restricted Pod Security Standard refuse such images outright.",
    bad: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
    good: "FROM node:20-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
};

declare_rule!();

fn nonroot_base(image: &str) -> bool {
    let r = ImageRef::parse(image);
    let tag = r.tag.unwrap_or_default();
    tag.contains("nonroot")
        || r.registry.as_deref() == Some("cgr.dev")
        || tag.contains("rootless")
        || r.repository.contains("unprivileged")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let Some(last) = df.stages.len().checked_sub(1) else {
            continue;
        };
        // Walk the final stage and the stages it is built on, newest first.
        let mut stage = Some(last);
        let mut seen = 0;
        let mut decided = false;
        while let (Some(s), false) = (stage, decided) {
            let user = df
                .stage_insts(s)
                .into_iter()
                .rfind(|i| *i.keyword() == Keyword::User);
            if let Some(u) = user {
                let name = expand(&unquote(u.ins.args_text()), &df.vars_at(u.index));
                if is_root(&name) && s == last {
                    emit(out, df, &u, format!("the image runs as `{name}`; end the final stage with a non-root `USER`"));
                }
                decided = true;
            } else if let Some(st) = df.stages.get(s) {
                if st.parent.is_none() {
                    if !nonroot_base(&st.base) {
                        let final_from = df.stages.get(last).map(|f| (f.line, f.base_raw.clone()));
                        if let Some((line, base)) = final_from {
                            out.emit(
                                df.loc(line),
                                "the final stage never sets `USER`, so the image runs as root",
                                format!("FROM {base}"),
                            );
                        }
                    }
                    decided = true;
                }
                stage = st.parent;
            }
            seen += 1;
            if seen > df.stages.len() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_missing_user_and_root() {
        assert_eq!(lines("KR101", "FROM node:20\nCMD [\"node\"]\n"), vec![1]);
        assert_eq!(lines("KR101", "FROM node:20\nUSER root\n"), vec![2]);
        assert_eq!(
            lines(
                "KR101",
                "FROM golang:1 AS build\nUSER app\nFROM alpine:3\nCOPY --from=build /a /a\n"
            ),
            vec![3]
        );
    }

    #[test]
    fn clean_with_user_inherited_or_nonroot_base() {
        assert!(lines("KR101", "FROM node:20\nUSER node\n").is_empty());
        assert!(lines(
            "KR101",
            "FROM node:20 AS base\nUSER 1000\nFROM base\nCMD [\"x\"]\n"
        )
        .is_empty());
        assert!(lines("KR101", "FROM gcr.io/distroless/static:nonroot\n").is_empty());
    }
}
