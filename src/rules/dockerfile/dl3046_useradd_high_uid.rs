use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3046",
    name: "useradd-high-uid",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "useradd with a high UID needs `-l`",
    what: "Reports a `useradd` with a UID of more than five digits (`-u`/`--uid`) and without `-l`/`--no-log-init`.",
    why: "useradd pre-allocates the lastlog and faillog files sparsely for every UID up to the new one; Docker's layer storage is not sparse, so the image grows by gigabytes.",
    bad: "FROM debian:12\nRUN useradd -u 123456 app\n",
    good: "FROM debian:12\nRUN useradd -l -u 123456 app\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| {
            c.is("useradd")
                && !c.has_any_flag(&["l", "no-log-init"])
                && c.flag_values(Some('u'), Some("uid"))
                    .iter()
                    .any(|v| v.len() > 5)
        })
        .then(|| {
            "`useradd` with a high UID and without `-l` bloats the image with lastlog data"
                .to_string()
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_high_uid() {
        assert_eq!(
            lines("DL3046", "FROM d:1\nRUN useradd -u 123456 app\n"),
            vec![2]
        );
        assert_eq!(
            lines("DL3046", "FROM d:1\nRUN useradd --uid=1234567 app\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_l_or_low_uid() {
        assert!(lines(
            "DL3046",
            "FROM d:1\nRUN useradd -l -u 123456 app && useradd -u 1000 b\n"
        )
        .is_empty());
    }
}
