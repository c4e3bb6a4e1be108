use super::support::{declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3048",
    name: "invalid-label-key",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Label keys should follow Docker's key format",
    what: "Reports a `LABEL` key that does not start with a lower-case letter, does not end with a lower-case letter or digit, contains characters other than `a-z 0-9 . - _ /`, repeats `.` or `-`, or uses a reserved namespace (`com.docker.`, `io.docker.`, `org.dockerproject.`).",
    why: "Docker's label guidelines reserve those namespaces and recommend reverse-DNS lower-case keys so that tools reading labels (registries, scanners, OCI annotations) interpret them consistently.",
    bad: "FROM alpine:3.20\nLABEL Maintainer=\"me\"\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"me\"\n",
};

declare_rule!();

fn valid(k: &str) -> bool {
    let first_ok = k.starts_with(|c: char| c.is_ascii_lowercase());
    let last_ok = k.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    let chars_ok = k
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_/".contains(c));
    let reserved = ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| k.starts_with(p));
    first_ok && last_ok && chars_ok && !reserved && !k.contains("..") && !k.contains("--")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if let (Keyword::Label, Args::KeyValues(kvs)) = (inst.keyword(), &inst.ins.args) {
                for kv in kvs {
                    if !valid(&kv.key) {
                        emit(
                            out,
                            df,
                            inst,
                            format!(
                                "label key `{}` is not a valid lower-case reverse-DNS key",
                                kv.key
                            ),
                        );
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
    fn flags_invalid_keys() {
        assert_eq!(lines("DL3048", "FROM a:1\nLABEL Maintainer=me\n"), vec![2]);
        assert_eq!(lines("DL3048", "FROM a:1\nLABEL com.docker.x=1\n"), vec![2]);
    }

    #[test]
    fn clean_on_valid_keys() {
        assert!(lines(
            "DL3048",
            "FROM a:1\nLABEL org.opencontainers.image.version=1 maintainer=me\n"
        )
        .is_empty());
    }
}
