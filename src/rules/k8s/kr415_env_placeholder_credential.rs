use super::secrets::{classify, Credential};
use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR415",
    name: "k8s-env-literal-secret",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A secret-named `env` variable is set to a literal (placeholder-looking) value",
    what: "Reports `env` entries whose name says they hold a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`...) and whose `value` is a literal that does not look like a real credential (`postgres`, `changeme`). Real-looking values are `KR414`. The value is never printed.",
    why: "Even a placeholder password in a manifest tends to reach a shared or production cluster unchanged, and it teaches the manifest to carry secrets. Reference a Secret instead, and let each environment provide it.",
    bad: "        env:\n        - name: POSTGRES_PASSWORD\n          value: postgres",
    good: "        env:\n        - name: POSTGRES_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            for (name, value, line) in &c.env {
                let Some(Credential::Placeholder) =
                    value.as_deref().and_then(|v| classify(name, v))
                else {
                    continue;
                };
                out.emit(
                    Location::new(&o.file, *line),
                    format!(
                        "{} sets the secret `{name}=***` as a literal value; reference a Secret instead",
                        describe_container(o, c)
                    ),
                    format!("{}:env:{name}", container_key(o, c)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_placeholder_without_printing_it() {
        let env = "        env:\n        - name: POSTGRES_PASSWORD\n          value: postgres\n";
        let f = findings_of(
            "KR415",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", env, ""))],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("`POSTGRES_PASSWORD=***`"));
        assert!(!f[0].message.contains("postgres`") && !f[0].subject.contains("=postgres"));
    }

    #[test]
    fn clean_with_refs_real_looking_and_ordinary_vars() {
        let env = "        env:\n        - name: POSTGRES_PASSWORD\n          valueFrom: {secretKeyRef: {name: db, key: pw}}\n        - name: JWT_SECRET\n          value: q8Zr2LkP0vXw7TnB4mYc\n        - name: PGUSER\n          value: postgres\n        - name: TOKEN_TTL\n          value: \"3600\"\n";
        assert!(findings_of(
            "KR415",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", env, ""))]
        )
        .is_empty());
    }
}
