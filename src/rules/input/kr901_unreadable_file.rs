use crate::finding::{Location, Severity};
use crate::parse::ProblemKind;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR901",
    name: "unreadable-file",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file kubeready reads is binary, not UTF-8, or cannot be opened",
    what: "Reports a Dockerfile, Compose file, CI config or manifest that could not be read as UTF-8 text: it is binary, has invalid UTF-8, or the operating system refused to open it.",
    why: "kubeready cannot judge what it cannot read, so the checklist may miss facts. Docker, Compose and CI systems also expect UTF-8 text and will usually reject such a file.",
    bad: "# Dockerfile saved as UTF-16 or containing NUL bytes\nF\\0R\\0O\\0M\\0 alpine",
    good: "# Dockerfile saved as UTF-8\nFROM alpine:3.20",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::parse_problems(cx.facts, ProblemKind::Unreadable) {
            out.emit(Location::new(&p.file, p.line), &p.message, &p.file);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_binary_dockerfile() {
        let f = findings_of("KR901", &[("Dockerfile", "FROM \0\u{1}binary")]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.file, "Dockerfile");
        assert!(f[0].message.contains("binary"));
    }

    #[test]
    fn clean_on_text_dockerfile() {
        assert!(findings_of("KR901", &[("Dockerfile", "FROM alpine:3.20\n")]).is_empty());
    }
}
