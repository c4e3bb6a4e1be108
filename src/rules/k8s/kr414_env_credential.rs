use super::secrets::{classify, Credential, HIGH_ENTROPY};
use super::{container_key, containers, describe_container};
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR414",
    name: "k8s-env-credential",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A container's `env` holds a real-looking credential as a literal value",
    what: "Reports `env` entries with a literal `value` that looks like a real credential: a known token format (AWS access key id, GitHub/GitLab/Slack/Stripe/Google/npm token, private key) under any name, or a high-entropy value under a secret-like name (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`...). The value is never printed.",
    why: "A credential in a manifest is in git history for good, readable by everyone with the repo and by anyone allowed to `get` the workload in the cluster. Rotate it, then reference a Secret (`valueFrom.secretKeyRef`) filled by External Secrets, Sealed Secrets or the CSI secrets driver.",
    bad: "        env:\n        - name: STRIPE_KEY\n          value: sk_live_...",
    good: "        env:\n        - name: STRIPE_KEY\n          valueFrom:\n            secretKeyRef: {name: payments, key: stripe-key}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (o, c) in containers(&cx.facts.orchestration) {
            for (name, value, line) in &c.env {
                let Some(Credential::RealLooking(what)) =
                    value.as_deref().and_then(|v| classify(name, v))
                else {
                    continue;
                };
                let message = format!(
                    "{} sets `{name}=***` to a literal that looks like {what}; rotate it and use a Secret reference",
                    describe_container(o, c)
                );
                let subject = format!("{}:env:{name}", container_key(o, c));
                // A high-entropy value in an e2e suite's or an example's
                // manifest is the value that test stack runs with: a
                // placeholder that looks random (SPEC 3: placeholders are
                // warnings). A known token format works wherever it is
                // committed: an error everywhere.
                let dir = cx.facts.orchestration.purpose_dir(&o.file);
                if what == HIGH_ENTROPY && crate::inventory::demonstrates_or_tests(&dir) {
                    out.emit_as(
                        Severity::Warning,
                        Location::new(&o.file, *line),
                        format!("{message} (a manifest under `{dir}/`, which demonstrates or tests the product: a test value unless the product uses it too)"),
                        subject,
                    );
                } else {
                    out.emit(Location::new(&o.file, *line), message, subject);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::k8s::tests::deployment;
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_real_looking_values_without_printing_them() {
        let env = "        env:\n        - name: AWS_ACCESS_KEY_ID\n          value: AKIAIOSFODNN7EXAMPLE\n        - name: JWT_SECRET\n          value: q8Zr2LkP0vXw7TnB4mYc\n";
        let f = findings_of(
            "KR414",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", env, ""))],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 18);
        assert!(f[0].message.contains("`AWS_ACCESS_KEY_ID=***`"));
        assert!(f[0].message.contains("AWS access key id"));
        assert_eq!(f[1].subject, "Deployment/a/app:env:JWT_SECRET");
        for x in &f {
            assert!(!x.message.contains("AKIAIOSFODNN7EXAMPLE") && !x.message.contains("q8Zr2LkP"));
            assert!(!x.subject.contains("AKIA") && !x.subject.contains("q8Zr2LkP"));
        }
    }

    #[test]
    fn a_random_looking_value_of_a_test_suite_is_a_warning_a_token_an_error() {
        use crate::finding::Severity;
        let env = "        env:\n        - name: AWS_ACCESS_KEY_ID\n          value: AKIAIOSFODNN7EXAMPLE\n        - name: JWT_SECRET\n          value: q8Zr2LkP0vXw7TnB4mYc\n";
        let f = findings_of(
            "KR414",
            &[("shop-e2e/k8s/a.yaml", &deployment("a", "acme/a:1", env, ""))],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].severity, Severity::Error, "{f:?}");
        assert!(!f[0].message.contains("demonstrates or tests"));
        assert_eq!(f[1].severity, Severity::Warning, "{f:?}");
        assert!(
            f[1].message.contains("a manifest under `shop-e2e/k8s/`"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn clean_with_secret_refs_and_placeholders() {
        let env = "        env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n        - name: REDIS_PASSWORD\n          value: redis\n        - name: LOG_LEVEL\n          value: debug\n";
        assert!(findings_of(
            "KR414",
            &[("k8s/a.yaml", &deployment("a", "acme/a:1", env, ""))]
        )
        .is_empty());
    }
}
