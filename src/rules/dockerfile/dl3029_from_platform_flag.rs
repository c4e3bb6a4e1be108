use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3029",
    name: "from-platform-flag",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Do not hard-code --platform in FROM",
    what: "Reports `FROM --platform=...` with a fixed platform. Values using `BUILDPLATFORM` or `TARGETPLATFORM` (cross-compilation stages) are fine.",
    why: "A fixed platform forces emulation on other architectures and makes multi-platform builds produce the wrong binaries; the platform belongs to the build command (`--platform`).",
    bad: "FROM --platform=linux/amd64 node:20\n",
    good: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for st in &df.stages {
            let Some(p) = &st.platform else { continue };
            if p.contains("BUILDPLATFORM") || p.contains("TARGETPLATFORM") {
                continue;
            }
            out.emit(
                df.loc(st.line),
                format!(
                    "`FROM --platform={p}` hard-codes the platform; pass it to the build instead"
                ),
                format!("FROM --platform={p} {}", st.base_raw),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_fixed_platform() {
        assert_eq!(
            lines("DL3029", "FROM --platform=linux/amd64 node:20\n"),
            vec![1]
        );
    }

    #[test]
    fn clean_on_build_platform() {
        assert!(lines(
            "DL3029",
            "FROM --platform=$BUILDPLATFORM golang:1.22\nFROM node:20\n"
        )
        .is_empty());
    }
}
