use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL4005",
    name: "ln-bin-sh",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Use SHELL to change the default shell",
    what: "Reports a `RUN` that links over `/bin/sh` with `ln`.",
    why: "Replacing /bin/sh changes the shell of every script in the image, including the base image's own. The `SHELL` instruction changes the shell of the Dockerfile's RUN steps only.",
    bad: "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n",
    good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        sh.any(|c| c.is("ln") && c.has_arg("/bin/sh"))
            .then(|| "`ln` over `/bin/sh`; use the `SHELL` instruction".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_ln_bin_sh() {
        assert_eq!(
            lines("DL4005", "FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_on_other_links() {
        assert!(lines(
            "DL4005",
            "FROM a:1\nRUN ln -s /usr/bin/python3 /usr/bin/python\n"
        )
        .is_empty());
    }
}
