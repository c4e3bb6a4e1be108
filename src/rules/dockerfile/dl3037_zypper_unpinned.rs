use super::rpm::RPM_VALUED;
use super::support::{declare_rule, each_run};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3037",
    name: "zypper-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Specify versions in zypper install",
    what: "Reports a `zypper install`/`in` of a package without a version constraint (`=`, `>=`, `>`, `<=`, `<`) that is not an `.rpm` file.",
    why: "Unpinned packages make builds unreproducible.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd && zypper clean\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.58 && zypper clean\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let mut bad = Vec::new();
        for c in sh.cmds.iter().filter(|c| c.is("zypper")) {
            let pos = c.positional(RPM_VALUED);
            let Some(i) = pos.iter().position(|p| *p == "install" || *p == "in") else {
                continue;
            };
            bad.extend(
                pos.iter()
                    .skip(i + 1)
                    .filter(|p| !p.contains(['=', '>', '<']) && !p.ends_with(".rpm"))
                    .map(|p| p.to_string()),
            );
        }
        (!bad.is_empty()).then(|| {
            format!(
                "specify versions (`zypper install -y <package>=<version>`); unpinned: {}",
                bad.join(", ")
            )
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned() {
        assert_eq!(
            lines("DL3037", "FROM s:1\nRUN zypper install -y httpd\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_when_pinned() {
        assert!(lines(
            "DL3037",
            "FROM s:1\nRUN zypper in -y 'httpd>=2.4' x=1 y.rpm\n"
        )
        .is_empty());
    }
}
