use super::support::{copy_paths, declare_rule, dockerfiles, emit};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3020",
    name: "add-instead-of-copy",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Use COPY instead of ADD for files and folders",
    what: "Reports an `ADD` whose sources are plain files or folders: not a URL, not a git repository and not a local archive that ADD would extract.",
    why: "ADD has surprising extra behaviour (it extracts archives and downloads URLs). COPY does exactly one thing, so the Dockerfile says what it means.",
    bad: "FROM node:20\nADD package.json /app/\n",
    good: "FROM node:20\nCOPY package.json /app/\n",
};

declare_rule!();

pub const ARCHIVE_EXTS: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tar.lz",
    ".tlz",
    ".tar.lzma",
    ".tar.z",
    ".tz",
    ".tar.zst",
    ".tzst",
    ".gz",
    ".bz2",
    ".xz",
    ".lz",
    ".lzma",
    ".z",
    ".zst",
    ".zip",
];

pub fn is_archive(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    ARCHIVE_EXTS.iter().any(|e| l.ends_with(e))
}

pub fn is_url(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("git@")
        || l.starts_with("git://")
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Add || !inst.ins.heredocs.is_empty() {
                continue;
            }
            let (srcs, _) = copy_paths(inst.ins);
            if !srcs.is_empty() && srcs.iter().all(|s| !is_archive(s) && !is_url(s)) {
                emit(out, df, inst, "`ADD` of plain files; use `COPY`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_add_of_files() {
        assert_eq!(lines("DL3020", "FROM a:1\nADD src /app/\n"), vec![2]);
    }

    #[test]
    fn clean_on_archive_url_and_copy() {
        let df = "FROM a:1\nADD app.tar.gz /app/\nADD https://example.com/x /x\nADD git@github.com:a/b.git /b\nCOPY src /app/\n";
        assert!(lines("DL3020", df).is_empty());
    }
}
