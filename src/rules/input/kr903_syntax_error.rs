use crate::finding::{Location, Severity};
use crate::parse::ProblemKind;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR903",
    name: "syntax-error",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "A file kubeready reads has a syntax error",
    what: "Reports a YAML, JSON, TOML or Dockerfile syntax error at the line where parsing stopped. What was parsed before the error is still used.",
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
            out.emit(loc, &p.message, &p.file);
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn clean_on_valid_files() {
        assert!(findings_of("KR903", &[("package.json", "{\"name\": \"x\"}\n")]).is_empty());
    }
}
