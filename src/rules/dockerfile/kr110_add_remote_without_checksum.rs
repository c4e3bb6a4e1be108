use super::dl3020_add_instead_of_copy::is_url;
use super::support::{copy_paths, declare_rule, dockerfiles, emit, flag};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR110",
    name: "add-remote-without-checksum",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "ADD of a remote URL without --checksum",
    what: "Reports an `ADD` of an `http(s)://` URL without `--checksum=sha256:...`. Git sources (`git@...`, `https://...git#ref`) are pinned by their ref instead and are not reported.",
    why: "The file behind a URL can change or be tampered with; without a checksum the build silently bakes whatever the server returns into the image.",
    bad: "FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n",
    good: "FROM alpine:3.20\nADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Add || flag(inst.ins, "checksum").is_some() {
                continue;
            }
            let (srcs, _) = copy_paths(inst.ins);
            let remote: Vec<&String> = srcs
                .iter()
                .filter(|s| {
                    is_url(s)
                        && s.starts_with("http")
                        && !s.contains(".git#")
                        && !s.ends_with(".git")
                })
                .collect();
            if let Some(url) = remote.first() {
                emit(
                    out,
                    df,
                    inst,
                    format!("`ADD {url}` has no `--checksum`; the download is not verified"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unverified_download() {
        assert_eq!(
            lines("KR110", "FROM a:1\nADD https://example.com/x.tar.gz /x\n"),
            vec![2]
        );
    }

    #[test]
    fn clean_with_checksum_local_or_git() {
        let df = "FROM a:1\nADD --checksum=sha256:abc https://example.com/x /x\nADD local.tar.gz /x/\nADD https://github.com/a/b.git#v1 /src\n";
        assert!(lines("KR110", df).is_empty());
    }
}
