//! A small secret detector shared by rules that look at environment
//! variables (Compose `environment`, and any other rule that wants it).
//!
//! It tells a *real-looking* credential (a known token format, a private
//! key block, or a long high-entropy value) from a *placeholder* one (a
//! secret-named variable holding `postgres`, `changeme`, `test`...). Values
//! that are references (`${VAR}`, `$VAR`), empty, booleans or numbers are
//! not secrets. Callers must never print the value: use [`masked`].

/// What a value looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    /// A real-looking credential, with why (for the message).
    RealLooking(&'static str),
    /// A literal credential that looks like a development placeholder.
    Placeholder,
}

/// The key and `***`, the only way a secret is ever shown.
pub fn masked(key: &str) -> String {
    format!("{key}=***")
}

/// Classifies `value` given to the variable `key`. `None`: not a secret
/// (or not a literal one).
pub fn classify(key: &str, value: &str) -> Option<SecretKind> {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Some(why) = known_format(v) {
        return Some(SecretKind::RealLooking(why));
    }
    if let Some(pw) = url_password(v) {
        return classify_literal(pw);
    }
    if !is_secret_name(key) {
        return None;
    }
    classify_literal(v)
}

/// A literal assigned to a secret-named variable (or a URL's password).
fn classify_literal(v: &str) -> Option<SecretKind> {
    if is_not_a_value(v) {
        return None;
    }
    if v.chars().count() >= 20 && shannon_entropy(v) > 4.0 && !is_placeholder(v) {
        return Some(SecretKind::RealLooking("a long high-entropy value"));
    }
    if is_random_hex(v) && !is_placeholder(v) {
        return Some(SecretKind::RealLooking("a long random hex key"));
    }
    Some(SecretKind::Placeholder)
}

/// Whether the variable name says it holds a credential.
pub fn is_secret_name(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    const NOT_VALUES: &[&str] = &[
        "_FILE",
        "_PATH",
        "_DIR",
        "_LENGTH",
        "_LEN",
        "_TTL",
        "_EXPIRY",
        "_EXPIRES",
        "_TIMEOUT",
        "_NAME",
        "_HEADER",
        "_ENABLED",
        "_TYPE",
        "_URL_ENV",
        "_ID_ENV",
        "_ALGORITHM",
        "_MODE",
        "_POLICY",
        "_VERSION",
        "_PROVIDER",
        "_METHOD",
        "_FORMAT",
    ];
    if NOT_VALUES.iter().any(|s| k.ends_with(s)) {
        return false;
    }
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE",
        "ACCESS_KEY",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// A setting about credentials rather than a credential: a number,
/// boolean or duration given to a name that ends in a setting word
/// (`PASSWORD_MIN_LENGTH=12`, `TOKEN_TTL=3600`, `SECRET_ROTATION_ENABLED=true`).
pub fn is_setting(key: &str, value: &str) -> bool {
    const SETTING_WORDS: &[&str] = &[
        "LENGTH",
        "LEN",
        "MIN",
        "MAX",
        "COUNT",
        "SIZE",
        "TTL",
        "TIMEOUT",
        "EXPIRY",
        "EXPIRES",
        "AGE",
        "LIFETIME",
        "DAYS",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "FILE",
        "PATH",
        "DIR",
        "POLICY",
        "ENABLED",
        "DISABLED",
        "ENABLE",
        "DISABLE",
        "REQUIRED",
        "ROUNDS",
        "ITERATIONS",
        "RETRIES",
        "ATTEMPTS",
        "LIMIT",
        "INTERVAL",
        "STRENGTH",
        "COST",
        "BITS",
        "HISTORY",
    ];
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let l = v.to_ascii_lowercase();
    let number = !v.is_empty()
        && v.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && v.chars().next().is_some_and(|c| c.is_ascii_digit())
        && v.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 3;
    let boolean = matches!(
        l.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1"
    );
    let k = key.to_ascii_uppercase();
    let last = k.rsplit(['_', '-', '.']).next().unwrap_or(&k);
    (number || boolean) && SETTING_WORDS.contains(&last)
}

/// Empty, a variable reference, a boolean, a number, or a single word
/// that configures rather than authenticates.
fn is_not_a_value(v: &str) -> bool {
    if v.is_empty() || v.contains('$') {
        return true;
    }
    let l = v.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "~" | "required"
    ) || v.chars().all(|c| c.is_ascii_digit())
        || l.starts_with('/')
        || l.starts_with("./")
        || l.starts_with("file:")
}

/// Values people write instead of a real secret.
/// A generated hex key (`openssl rand -hex 32`, `rails secret`): 32 hex
/// digits or more, spread over the alphabet. Hex tops out at 4 bits per
/// character, so the general entropy bar never lets it through; a counted
/// run (`0123456789abcdef...`) or a repeated digit is a placeholder.
fn is_random_hex(v: &str) -> bool {
    v.len() >= 32
        && v.chars().all(|c| c.is_ascii_hexdigit())
        && shannon_entropy(v) > 3.5
        && !v.to_ascii_lowercase().contains("0123456789abcdef")
}

fn is_placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "example",
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "dummy",
        "your_",
        "your-",
        "xxxx",
        "replace",
        "insecure",
        "notsecret",
        "not-a-secret",
        "do-not-use",
    ];
    WORDS.iter().any(|w| l.contains(w))
}

/// A known token format in `v`, with its name.
fn known_format(v: &str) -> Option<&'static str> {
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key block");
    }
    let tokens = v.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    for t in tokens {
        if is_aws_key_id(t) {
            return Some("an AWS access key ID");
        }
        if (t.starts_with("ghp_") || t.starts_with("gho_") || t.starts_with("ghs_"))
            && t.len() >= 36
            && t[4..].chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Some("a GitHub token");
        }
        if t.starts_with("github_pat_") && t.len() >= 40 {
            return Some("a GitHub fine-grained token");
        }
        let b = t.as_bytes();
        if b.len() >= 15
            && t.starts_with("xox")
            && matches!(b.get(3), Some(b'a' | b'b' | b'p' | b'r' | b's' | b'o'))
            && b.get(4) == Some(&b'-')
        {
            return Some("a Slack token");
        }
    }
    None
}

/// `AKIA` followed by 16 upper-case letters or digits.
fn is_aws_key_id(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("AKIA").or_else(|| t.strip_prefix("ASIA")) else {
        return false;
    };
    rest.len() == 16
        && rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// The password of `scheme://user:password@host`, when literal.
fn url_password(v: &str) -> Option<&str> {
    let (_, rest) = v.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, pw) = userinfo.split_once(':')?;
    Some(pw)
}

/// Shannon entropy in bits per character.
pub fn shannon_entropy(s: &str) -> f64 {
    let mut counts = std::collections::BTreeMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_hex_keys_are_real_counted_runs_are_not() {
        assert!(matches!(
            classify(
                "SECRET_KEY_BASE",
                "a7f3c91e0b5d24e86f1a9c3b7d5e20f48b6c1a3e9d7f5b2c0e8a4d6f1b3c5e7a"
            ),
            Some(SecretKind::RealLooking("a long random hex key"))
        ));
        assert!(!matches!(
            classify("SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            Some(SecretKind::RealLooking(_))
        ));
        assert!(!matches!(
            classify("SECRET_KEY", "00000000000000000000000000000000"),
            Some(SecretKind::RealLooking(_))
        ));
        // Short hex (a commit SHA prefix) is no key.
        assert!(!matches!(
            classify("API_TOKEN", "a7f3c91e0b5d"),
            Some(SecretKind::RealLooking(_))
        ));
    }

    #[test]
    fn known_formats_are_real_whatever_the_name() {
        assert!(matches!(
            classify("AWS_KEY", "AKIAIOSFODNN7EXAMPLQ"),
            Some(SecretKind::RealLooking(_))
        ));
        assert!(matches!(
            classify("X", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            Some(SecretKind::RealLooking(_))
        ));
        assert!(matches!(
            classify("HOOK", "xoxb-1234567890-abcdefghij"),
            Some(SecretKind::RealLooking(_))
        ));
        assert!(matches!(
            classify("KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            Some(SecretKind::RealLooking(_))
        ));
    }

    #[test]
    fn placeholders_and_high_entropy() {
        assert_eq!(
            classify("POSTGRES_PASSWORD", "postgres"),
            Some(SecretKind::Placeholder)
        );
        assert_eq!(
            classify("API_KEY", "changeme-please-0123456789abcdef"),
            Some(SecretKind::Placeholder)
        );
        assert!(matches!(
            classify("JWT_SECRET", "q8Zr3LmX1vTn6PwYc0Hs9KdB"),
            Some(SecretKind::RealLooking(_))
        ));
        assert_eq!(
            classify("DATABASE_URL", "postgres://app:app@db/app"),
            Some(SecretKind::Placeholder)
        );
    }

    #[test]
    fn not_secrets() {
        assert_eq!(classify("POSTGRES_PASSWORD", ""), None);
        assert_eq!(classify("POSTGRES_PASSWORD", "${DB_PASSWORD}"), None);
        assert_eq!(classify("POSTGRES_PASSWORD_FILE", "/run/secrets/db"), None);
        assert_eq!(classify("ALLOW_EMPTY_PASSWORD", "yes"), None);
        assert_eq!(classify("PASSWORD_MIN_LENGTH", "8"), None);
        assert_eq!(classify("LOG_LEVEL", "q8Zr3LmX1vTn6PwYc0Hs9KdB"), None);
        assert_eq!(classify("DATABASE_URL", "postgres://db/app"), None);
    }

    #[test]
    fn entropy() {
        assert!(shannon_entropy("aaaaaaaaaaaaaaaaaaaa") < 0.1);
        assert!(shannon_entropy("q8Zr3LmX1vTn6PwYc0Hs9KdB") > 4.0);
        assert_eq!(shannon_entropy(""), 0.0);
    }
}
