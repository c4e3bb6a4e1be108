use crate::finding::{Location, Severity};
use crate::parse::ProblemKind;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR908",
    name: "ambiguous-input",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file parses, but part of it is ambiguous (e.g. a duplicate key)",
    what: "Reports constructs that parse but whose meaning depends on the tool: duplicate mapping keys in YAML (kubeready keeps the last one), values it had to skip.",
    why: "Docker Compose and Kubernetes reject duplicate keys while other tools silently keep one of them: the same file means different things to different tools.",
    bad: "services:\n  api:\n    image: a:1\n    image: a:2\n",
    good: "services:\n  api:\n    image: a:2\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::parse_problems(cx.facts, ProblemKind::Partial) {
            out.emit(
                Location::new(&p.file, p.line),
                &p.message,
                format!("{}:{}", p.file, p.message),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_duplicate_compose_key() {
        let f = findings_of(
            "KR908",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: a:1\n    image: a:2\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("duplicate key `image`"));
    }

    #[test]
    fn clean_without_duplicates() {
        assert!(findings_of(
            "KR908",
            &[("compose.yaml", "services:\n  api:\n    image: a:2\n")]
        )
        .is_empty());
    }
}
