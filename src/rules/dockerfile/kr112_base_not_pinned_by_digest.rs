use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR112",
    name: "base-not-pinned-by-digest",
    severity: Severity::Info,
    enabled_by_default: false,
    hardening: true,
    summary: "Base image not pinned by digest",
    what: "Reports a `FROM` image (after ARG resolution; stages and `scratch` excluded) without an `@sha256:` digest. Off by default: enable it where reproducible, supply-chain-pinned builds are required, together with a bot that updates digests.",
    why: "Tags are mutable: `node:20.11` is rebuilt and re-pushed for security fixes, so the same tag gives different images over time. A digest pins the exact bytes.",
    bad: "FROM node:20.11-slim\n",
    good: "FROM node:20.11-slim@sha256:0c33e1bc6fb1e1fd0ad3a6c8ba8bb0a8d3b1e2fbc5d9a7c4b2f0e6d8a9c1b2e3f\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for st in &df.stages {
            if !st.base_is_image() {
                continue;
            }
            let r = ImageRef::parse(&st.base);
            if r.digest.is_none() && !r.has_variables() && !r.tag_has_variables() {
                out.emit(
                    df.loc(st.line),
                    format!("base image `{}` is not pinned by digest", st.base),
                    format!("FROM {}", st.base_raw),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::{Audit, AuditOptions};

    fn count(df: &str, enable: bool) -> usize {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), df).unwrap();
        if enable {
            std::fs::write(
                dir.path().join(".hadolint.yaml"),
                "override:\n  info: [KR112]\n",
            )
            .unwrap();
        }
        let a = Audit::run(dir.path(), &AuditOptions::default());
        a.report
            .findings
            .iter()
            .filter(|f| f.code == "KR112")
            .count()
    }

    #[test]
    fn flags_tag_only_when_enabled() {
        assert_eq!(count("FROM node:20\n", true), 1);
    }

    #[test]
    fn off_by_default_and_clean_with_digest() {
        assert_eq!(count("FROM node:20\n", false), 0);
        assert_eq!(
            count("FROM node:20@sha256:abc AS b\nFROM b\nFROM scratch\n", true),
            0
        );
    }
}
