use super::support::{contexts_of, declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR108",
    name: "missing-dockerignore",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A build context has no .dockerignore",
    what: "Reports a Dockerfile whose build context (its own folder, or the context a Compose file or CI build gives it) has no `.dockerignore`, and no `<Dockerfile>.dockerignore` sits beside it.",
    why: "Without it the whole folder is sent to the builder: `.git`, `node_modules`, local `.env` files and build outputs. Builds are slow, `COPY . .` busts the cache on every commit, and secrets from the working tree end up in the image.",
    bad: "# app/ has a Dockerfile and no .dockerignore\nFROM node:20\nCOPY . .\n",
    good: "# app/.dockerignore\n.git\nnode_modules\n.env\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for ctx in contexts_of(cx, df) {
            if cx.facts.dockerignore_for(df.path(), &ctx).is_some() {
                continue;
            }
            let shown = if ctx.is_empty() {
                ".".to_string()
            } else {
                ctx.clone()
            };
            out.emit(
                df.loc(1),
                format!("build context `{shown}` has no `.dockerignore`; everything in it is sent to the builder"),
                format!("context {shown}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_context_without_dockerignore() {
        let f = findings_of("KR108", &[("app/Dockerfile", "FROM a:1\n")]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.file, "app/Dockerfile");
    }

    #[test]
    fn clean_with_dockerignore_or_specific_file() {
        assert!(findings_of(
            "KR108",
            &[("Dockerfile", "FROM a:1\n"), (".dockerignore", ".git\n")]
        )
        .is_empty());
        assert!(findings_of(
            "KR108",
            &[
                ("app/Dockerfile", "FROM a:1\n"),
                ("app/Dockerfile.dockerignore", ".git\n")
            ]
        )
        .is_empty());
    }
}
