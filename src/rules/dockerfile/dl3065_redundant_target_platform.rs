use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3065",
    name: "redundant-target-platform",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "`FROM --platform=$TARGETPLATFORM` is the default",
    what: "Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).",
    why: "Stages are built for the target platform anyway; the flag only adds noise and suggests a cross-compilation setup that is not there.",
    bad: "FROM --platform=$TARGETPLATFORM node:20\n",
    good: "FROM node:20\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for st in &df.stages {
            if let Some(p) = &st.platform {
                if p == "$TARGETPLATFORM" || p == "${TARGETPLATFORM}" {
                    out.emit(
                        df.loc(st.line),
                        "`--platform=$TARGETPLATFORM` is redundant",
                        format!("FROM --platform={p} {}", st.base_raw),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_target_platform() {
        assert_eq!(
            lines("DL3065", "FROM --platform=${TARGETPLATFORM} a:1\n"),
            vec![1]
        );
    }

    #[test]
    fn clean_on_build_platform() {
        assert!(lines("DL3065", "FROM --platform=$BUILDPLATFORM a:1\nFROM a:1\n").is_empty());
    }
}
