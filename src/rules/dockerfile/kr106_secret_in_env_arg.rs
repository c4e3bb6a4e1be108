use super::support::{declare_rule, dockerfiles};
use crate::finding::{Location, Severity};
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR106",
    name: "secret-in-env-arg",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A secret is written into ENV or ARG",
    what: "Reports an `ENV` or `ARG` default whose value looks like a real credential: an AWS access key id, a GitHub, GitLab, Slack, Stripe or npm token, a private key, or a long high-entropy string. Credential-named variables with placeholder values are KR107's (warning). The message shows the key and `***`, never the value.",
    why: "ENV and ARG values are baked into the image configuration and history: anyone who can pull the image can read them with `docker history` or `docker inspect`, long after the line is deleted from the Dockerfile. Build secrets belong in `RUN --mount=type=secret`, run-time secrets in the orchestrator's secret store.",
    bad: "FROM node:20\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
    good: "FROM node:20\n# AWS credentials come from the pod's service account at run time\n",
};

declare_rule!();

/// Why a value looks like a real credential.
pub fn real_secret(v: &str) -> Option<&'static str> {
    let v = v.trim();
    let alnum_run = |prefix: &str, min: usize| {
        v.strip_prefix(prefix).is_some_and(|r| {
            r.len() >= min && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    if (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key id");
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| alnum_run(p, 30))
        || alnum_run("github_pat_", 30)
    {
        return Some("a GitHub token");
    }
    if alnum_run("glpat-", 20) || v.starts_with("glpat-") && v.len() >= 26 {
        return Some("a GitLab token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| v.starts_with(p) && v.len() > 20)
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_"].iter().any(|p| alnum_run(p, 20)) {
        return Some("a Stripe live key");
    }
    if alnum_run("npm_", 30) {
        return Some("an npm token");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if high_entropy(v) {
        return Some("a high-entropy value");
    }
    None
}

fn high_entropy(v: &str) -> bool {
    if v.len() < 24
        || v.contains(char::is_whitespace)
        || v.contains('$')
        || v.contains('/') && v.contains('.')
    {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        return false;
    }
    let mut counts = std::collections::HashMap::new();
    for c in v.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = v.chars().count() as f64;
    let entropy: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

/// Calls `f` with each ENV/ARG pair that has a literal value: (location,
/// keyword, key, value). A visitor, not a list: the pairs of a
/// thousand-Dockerfile monorepo as owned strings were ~7 MB held while the
/// rule ran.
pub fn each_literal_pair(cx: &Context<'_>, mut f: impl FnMut(Location, &'static str, &str, &str)) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            let kw = match inst.keyword() {
                Keyword::Env => "ENV",
                Keyword::Arg => "ARG",
                _ => continue,
            };
            let Args::KeyValues(kvs) = &inst.ins.args else {
                continue;
            };
            for kv in kvs {
                if let Some(v) = &kv.value {
                    f(df.loc(inst.line()), kw, &kv.key, v);
                }
            }
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_literal_pair(cx, |loc, kw, key, value| {
        let shared = match crate::rules::secrets::classify(key, value) {
            Some(crate::rules::secrets::SecretKind::RealLooking(why)) => Some(why),
            _ => None,
        };
        if let Some(kind) = real_secret(value).or(shared) {
            out.emit(
                loc,
                format!("`{kw} {key}=***` holds {kind}; anyone who can pull the image can read it"),
                format!("{kw} {key}"),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::dl;
    use crate::finding::Severity;

    #[test]
    fn flags_real_secrets_as_errors_without_the_value() {
        let df = "FROM a:1\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nARG GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nENV K=Zx8Qp2Lm9Vb4Nc7Rt1Yw6Ks3Hd5Jf0Ga\n";
        let f = dl("KR106", df);
        assert_eq!(f.len(), 3, "{f:?}");
        for x in &f {
            assert_eq!(x.severity, Severity::Error);
            assert!(x.message.contains("***"));
            for secret in ["AKIAIOSFODNN7EXAMPLE", "ghp_abc", "Zx8Qp2"] {
                assert!(
                    !x.message.contains(secret) && !x.subject.contains(secret),
                    "{x:?}"
                );
            }
        }
    }

    #[test]
    fn clean_on_references_empty_and_ordinary_values() {
        let df = "FROM a:1\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD TOKEN_FILE=/run/secrets/t API_TOKEN=\nENV POSTGRES_PASSWORD=postgres\nENV PATH=/usr/local/bin:/usr/bin VERSION=1.2.3\n";
        assert!(dl("KR106", df).is_empty());
    }
}
