use crate::finding::{Location, Severity};
use crate::parse::ProblemKind;
use crate::rules::{Context, RuleDoc, Sink};
use crate::walk::FileKind;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR903",
    name: "syntax-error",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A file kubeready reads has a syntax error",
    what: "Reports a YAML, JSON, TOML or Dockerfile syntax error at the line where parsing stopped. What was parsed before the error is still used. In a Compose or CI file, which the checklist needs, it is an error: the steps it feeds cannot be judged until it parses.",
    why: "Docker, Compose and CI systems reject files with syntax errors, so the build or pipeline they define does not run as written.",
    bad: "services:\n  api:\n    image: [unclosed\n",
    good: "services:\n  api:\n    image: example/api:1.0\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for p in super::parse_problems(cx.facts, ProblemKind::Syntax) {
            let mut loc = Location::new(&p.file, p.line);
            if let Some(c) = p.column {
                loc = loc.with_column(c);
            }
            // A Compose or CI file that cannot be parsed cannot be judged:
            // an error, as hadolint and ruff fail on a parse error (SPEC
            // 1.2); files outside the audit's concern stay warnings.
            if is_needed(cx, &p.file) {
                out.emit_as(Severity::Error, loc, &p.message, &p.file);
            } else {
                out.emit(loc, &p.message, &p.file);
            }
        }
    }
}

/// Whether the audit's steps rest on this file (Compose, CI).
pub fn is_needed(cx: &Context<'_>, file: &str) -> bool {
    cx.facts.listing.file(file).is_some_and(|f| {
        matches!(
            f.kind,
            FileKind::Compose | FileKind::Ci(_) | FileKind::GithubAction
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_broken_package_json_with_line() {
        let f = findings_of(
            "KR903",
            &[("package.json", "{\n  \"name\": \"x\",\n  oops\n}\n")],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.file, "package.json");
        assert_eq!(f[0].location.line, 3);
    }

    #[test]
    fn a_broken_compose_file_is_an_error_other_files_a_warning() {
        let f = findings_of(
            "KR903",
            &[
                ("compose.yaml", "services:\n  api:\n    image: [unclosed\n"),
                ("package.json", "{\n  oops\n}\n"),
            ],
        );
        let sev = |file: &str| {
            f.iter()
                .find(|x| x.location.file == file)
                .map(|x| x.severity)
        };
        assert_eq!(sev("compose.yaml"), Some(Severity::Error), "{f:?}");
        assert_eq!(sev("package.json"), Some(Severity::Warning), "{f:?}");
    }

    #[test]
    fn clean_on_valid_files() {
        assert!(findings_of("KR903", &[("package.json", "{\"name\": \"x\"}\n")]).is_empty());
    }
}
