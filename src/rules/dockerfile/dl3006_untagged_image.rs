use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3006",
    name: "untagged-image",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Tag the version of the base image explicitly",
    what: "Reports a `FROM` image with neither a tag nor a digest. ARG defaults are resolved first (`ARG BASE=node:20` then `FROM ${BASE}` is tagged), earlier stage names are not images, and `scratch` needs no tag. A base that stays a variable (no default) is not judged.",
    why: "Without a tag, Docker uses `latest`, which moves: the same Dockerfile builds a different image tomorrow and breaks without any change in the repository.",
    bad: "FROM node\n",
    good: "FROM node:20.11-bookworm-slim\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for st in &df.stages {
            if !st.base_is_image() || st.base.is_empty() {
                continue;
            }
            let r = ImageRef::parse(&st.base);
            if r.has_variables() || r.tag.is_some() || r.digest.is_some() {
                continue;
            }
            out.emit(
                df.loc(st.line),
                format!("base image `{}` has no tag; pin a version", st.base),
                format!("FROM {}", st.base_raw),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_untagged_base() {
        assert_eq!(lines("DL3006", "FROM node\n"), vec![1]);
        assert_eq!(lines("DL3006", "ARG BASE=node\nFROM ${BASE}\n"), vec![2]);
    }

    #[test]
    fn clean_on_tag_digest_stage_arg_and_scratch() {
        let df = "ARG BASE=node:20\nFROM ${BASE} AS build\nFROM build\nFROM scratch\nFROM alpine@sha256:abc\nFROM $UNSET\nFROM localhost:5000/app:1\n";
        assert!(lines("DL3006", df).is_empty());
    }
}
