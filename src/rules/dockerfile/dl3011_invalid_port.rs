use super::support::{declare_rule, dockerfiles, emit, expand};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3011",
    name: "invalid-port",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "EXPOSE ports must be between 0 and 65535",
    what: "Reports an `EXPOSE` port, or an end of a port range, above 65535 (after resolving ARG/ENV defaults).",
    why: "Such a port does not exist; the build fails or the exposed port is meaningless.",
    bad: "FROM nginx:1.27\nEXPOSE 80800\n",
    good: "FROM nginx:1.27\nEXPOSE 8080\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Expose {
                continue;
            }
            let vars = df.vars_at(inst.index);
            for w in inst.ins.words() {
                let w = expand(&w, &vars);
                let port = w.split('/').next().unwrap_or("");
                for part in port.split('-') {
                    if let Ok(n) = part.parse::<u64>() {
                        if n > 65535 {
                            emit(out, df, inst, format!("port `{w}` is outside 0-65535"));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_out_of_range() {
        assert_eq!(lines("DL3011", "FROM nginx:1\nEXPOSE 80800\n"), vec![2]);
        assert_eq!(
            lines("DL3011", "FROM nginx:1\nEXPOSE 8000-70000/tcp\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_on_valid_ports() {
        assert!(lines(
            "DL3011",
            "FROM nginx:1\nEXPOSE 80 443/tcp 8000-8010 $PORT\n"
        )
        .is_empty());
    }
}
