use super::dl3020_add_instead_of_copy::is_archive;
use super::support::{copy_paths, declare_rule, dockerfiles, emit, flag, Inst};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3010",
    name: "copy-then-extract",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Use ADD to extract a local archive into the image",
    what: "Reports a `COPY` of a local archive (`.tar`, `.tar.gz`, `.tgz`, `.zip`, ...) that a later `RUN` of the same stage extracts (`tar -x`, `unzip`, `gunzip`, ...).",
    why: "COPY then extract keeps the archive in one layer and its contents in another; `ADD archive.tar.gz /dest/` extracts it in one layer.",
    bad: "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n",
    good: "FROM alpine:3.20\nADD app.tar.gz /opt/\n",
};

declare_rule!();

const UNPACKERS: &[&str] = &[
    "unzip",
    "gunzip",
    "bunzip2",
    "unlzma",
    "unxz",
    "zgz",
    "uncompress",
    "zcat",
    "gzcat",
];

fn basename(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut archives: Vec<(Inst<'_>, String)> = Vec::new();
        for inst in df.top() {
            match inst.keyword() {
                Keyword::From => archives.clear(),
                Keyword::Copy if flag(inst.ins, "from").is_none() => {
                    let (srcs, dest) = copy_paths(inst.ins);
                    let dest = dest.unwrap_or_default();
                    if is_archive(&dest) {
                        archives.push((inst, basename(&dest).to_string()));
                    } else {
                        for s in srcs.iter().filter(|s| is_archive(s)) {
                            archives.push((inst, basename(s).to_string()));
                        }
                    }
                }
                Keyword::Run => {
                    let Some(sh) = df.shell(&inst) else {
                        continue;
                    };
                    archives.retain(|(copy, name)| {
                        let extracted = sh.any(|c| {
                            let extracts = (c.is("tar")
                                && c.args().iter().any(|a| {
                                    a == "--extract" || a == "--get" || (a.starts_with('-') && !a.starts_with("--") && a.contains('x')) || (!a.starts_with('-') && a.len() <= 6 && a.contains('x') && a.chars().all(|ch| ch.is_ascii_alphabetic()))
                                }))
                                || UNPACKERS.contains(&c.name());
                            extracts && c.args().iter().any(|a| basename(a) == name)
                        });
                        if extracted {
                            emit(out, df, copy, format!("`{name}` is copied and then extracted; `ADD` extracts local archives in one layer"));
                        }
                        !extracted
                    });
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_copy_then_extract() {
        assert_eq!(
            lines(
                "DL3010",
                "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n"
            ),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3010",
                "FROM a:1\nCOPY x.zip /tmp/x.zip\nRUN unzip /tmp/x.zip\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_when_not_extracted() {
        assert!(lines(
            "DL3010",
            "FROM a:1\nCOPY app.tar.gz /srv/\nRUN ls /srv\nADD b.tgz /opt/\n"
        )
        .is_empty());
    }
}
