use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

use super::SourceState;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR506",
    name: "copy-source-dockerignored",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A `COPY`/`ADD` source is excluded by `.dockerignore`",
    what: "Reports a `COPY` or `ADD` source that exists in the repository but that the `.dockerignore` applying to the build (`<Dockerfile>.dockerignore`, else `<context>/.dockerignore`) excludes, with Docker's matching rules (last matching pattern wins, `!` re-includes, a folder pattern excludes its contents). For a folder or glob, it is reported when every file it stands for is excluded. The message names the pattern and its line.",
    why: "The file never reaches the builder, so the build fails with `\"/config.yaml\": not found` although the file is right there in the repository, which is a confusing error to debug.",
    bad: "# .dockerignore\n*.yaml\n# Dockerfile\nFROM alpine:3.20\nCOPY config.yaml /etc/app/\n",
    good: "# .dockerignore\n*.yaml\n!config.yaml\n# Dockerfile\nFROM alpine:3.20\nCOPY config.yaml /etc/app/\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        let judged = cx.copy_judgement();
        for (b, src, state) in judged.iter() {
            let SourceState::Excluded(p) = state else {
                continue;
            };
            let ignore_file = cx
                .facts
                .dockerignore_for(&b.df.path, &b.context)
                .map(|d| d.file.as_str())
                .unwrap_or_default();
            out.emit(
                Location::new(&b.df.path, src.ins.line),
                format!(
                    "{} source `{}` is excluded by `{}` ({ignore_file}:{}) from {}; the build cannot see it",
                    src.ins.keyword.as_str(),
                    src.written,
                    p.pattern,
                    p.line,
                    b.describe()
                ),
                format!("{} {} (context {})", src.ins.keyword.as_str(), src.written, super::show_ctx(&b.context)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_excluded_sources_with_pattern() {
        let f = findings_of(
            "KR506",
            &[
                (
                    "Dockerfile",
                    "FROM alpine:3.20\nCOPY config.yaml /etc/app/\nCOPY docs /docs\nCOPY src /src\n",
                ),
                (".dockerignore", "# ignore\n*.yaml\ndocs\n"),
                ("config.yaml", "a: 1\n"),
                ("docs/readme.md", "x\n"),
                ("src/main.c", "int main;\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 2);
        assert!(f[0].message.contains("`*.yaml` (.dockerignore:2)"), "{f:?}");
        assert_eq!(f[1].location.line, 3);
        assert!(f[1].message.contains("`docs` (.dockerignore:3)"), "{f:?}");
    }

    #[test]
    fn clean_with_reinclusion_and_partial_folder() {
        let f = findings_of(
            "KR506",
            &[
                (
                    "Dockerfile",
                    "FROM alpine:3.20\nCOPY config.yaml /etc/app/\nCOPY src /src\n",
                ),
                (".dockerignore", "*\n!config.yaml\n!src/main.c\n"),
                ("config.yaml", "a: 1\n"),
                ("src/main.c", "int main;\n"),
                ("src/notes.txt", "x\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
