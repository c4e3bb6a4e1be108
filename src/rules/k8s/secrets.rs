//! Telling a committed credential from a placeholder, for the env rules.
//! Values are judged here and never leave: findings print the key and `***`.

/// What a literal value given to a secret-like key looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Credential {
    /// A known token format or a high-entropy value; says which.
    RealLooking(&'static str),
    /// A secret-named key with a low-entropy literal (`changeme`, `postgres`).
    Placeholder,
}

/// What [`classify`] calls a random-looking value that no known token
/// format matches.
pub(crate) const HIGH_ENTROPY: &str = "a high-entropy value";

/// Whether an environment variable name says it holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase().replace(['-', '.'], "_");
    const WORDS: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "SECRET",
        "TOKEN",
        "APIKEY",
        "API_KEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "AUTH_KEY",
    ];
    const NOT: &[&str] = &[
        "_FILE",
        "_PATH",
        "_DIR",
        "_NAME",
        "_REF",
        "_ENABLED",
        "_LENGTH",
        "_TTL",
        "_EXPIRY",
        "_EXPIRES",
        "_TIMEOUT",
        "_HEADER",
        "_URL",
        "_ENDPOINT",
        "_KEY_ID",
        "_ID",
        "_TYPE",
        "_FIELD",
        "_MOUNT",
    ];
    WORDS.iter().any(|w| n.contains(w)) && !NOT.iter().any(|s| n.ends_with(s))
}

/// Judges a literal `value` of the variable `name`; `None` when it is no
/// credential (not secret-named and no known format, empty, a reference
/// filled in later, a boolean or a number).
pub(crate) fn classify(name: &str, value: &str) -> Option<Credential> {
    let v = value.trim();
    if v.is_empty() || v.contains('$') || v.contains("{{") {
        return None;
    }
    if let Some(what) = known_format(v) {
        return Some(Credential::RealLooking(what));
    }
    if !is_secret_name(name) {
        return None;
    }
    if matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "null" | "none"
    ) || v.parse::<f64>().is_ok()
    {
        return None;
    }
    if high_entropy(v) {
        return Some(Credential::RealLooking(HIGH_ENTROPY));
    }
    Some(Credential::Placeholder)
}

fn tail_ok(v: &str, prefix: &str, min: usize) -> bool {
    v.strip_prefix(prefix).is_some_and(|t| {
        t.len() >= min
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// Known token formats.
fn known_format(v: &str) -> Option<&'static str> {
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    let aws = ["AKIA", "ASIA"].iter().any(|p| {
        v.len() == 20
            && v.starts_with(p)
            && v.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    });
    if aws {
        return Some("an AWS access key id");
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| tail_ok(v, p, 30))
        || tail_ok(v, "github_pat_", 30)
    {
        return Some("a GitHub token");
    }
    if tail_ok(v, "glpat-", 20) {
        return Some("a GitLab token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| tail_ok(v, p, 10))
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_"].iter().any(|p| tail_ok(v, p, 16)) {
        return Some("a Stripe live key");
    }
    if tail_ok(v, "AIza", 35) {
        return Some("a Google API key");
    }
    if tail_ok(v, "npm_", 36) {
        return Some("an npm token");
    }
    None
}

/// At least 16 characters without spaces, two character classes or more,
/// and at least 3.5 bits of Shannon entropy per character.
fn high_entropy(v: &str) -> bool {
    if v.len() < 16 || v.chars().any(char::is_whitespace) {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if classes < 2 {
        return false;
    }
    let mut counts = std::collections::HashMap::new();
    for c in v.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let len = v.chars().count() as f64;
    let entropy: f64 = counts
        .values()
        .map(|&n| {
            let p = n as f64 / len;
            -p * p.log2()
        })
        .sum();
    entropy >= 3.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_values() {
        use Credential::*;
        assert_eq!(classify("DB_PASSWORD", "postgres"), Some(Placeholder));
        assert_eq!(classify("DB_PASSWORD", "changeme"), Some(Placeholder));
        assert_eq!(
            classify("JWT_SECRET", "q8Zr2LkP0vXw7TnB4mYc"),
            Some(RealLooking("a high-entropy value"))
        );
        assert_eq!(
            classify("ANYTHING", "AKIAIOSFODNN7EXAMPLE"),
            Some(RealLooking("an AWS access key id"))
        );
        assert_eq!(
            classify("GH", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            Some(RealLooking("a GitHub token"))
        );
        assert_eq!(classify("DB_PASSWORD", ""), None);
        assert_eq!(classify("DB_PASSWORD", "$(DB_PASS)"), None);
        assert_eq!(classify("DB_PASSWORD_FILE", "/run/secrets/db"), None);
        assert_eq!(classify("TOKEN_TTL", "3600"), None);
        assert_eq!(classify("LOG_LEVEL", "q8Zr2LkP0vXw7TnB4mYc"), None);
        assert_eq!(classify("PWD", "/app"), None);
    }
}
