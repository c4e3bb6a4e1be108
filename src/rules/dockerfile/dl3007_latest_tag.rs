use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3007",
    name: "latest-tag",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Do not build on the `latest` tag",
    what: "Reports a `FROM` image tagged `latest` without a digest, after resolving ARG defaults. Stage names are not images.",
    why: "`latest` is whatever was pushed last. Builds stop being reproducible and a major upgrade of the base can land in your image unannounced.",
    bad: "FROM python:latest\n",
    good: "FROM python:3.12-slim\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for st in &df.stages {
            if !st.base_is_image() {
                continue;
            }
            let r = ImageRef::parse(&st.base);
            if r.tag.as_deref() == Some("latest") && r.digest.is_none() {
                out.emit(
                    df.loc(st.line),
                    format!(
                        "base image `{}` uses the `latest` tag; pin a release tag",
                        st.base
                    ),
                    format!("FROM {}", st.base_raw),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_latest() {
        assert_eq!(lines("DL3007", "FROM python:latest\n"), vec![1]);
        assert_eq!(lines("DL3007", "ARG V=latest\nFROM python:${V}\n"), vec![2]);
    }

    #[test]
    fn clean_on_pinned_or_digest() {
        assert!(lines(
            "DL3007",
            "FROM python:3.12\nFROM python:latest@sha256:abc\n"
        )
        .is_empty());
    }
}
