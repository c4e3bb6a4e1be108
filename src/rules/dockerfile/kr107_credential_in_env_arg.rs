use super::dl3064_sensitive_arg_env::sensitive_name;
use super::kr106_secret_in_env_arg::{each_literal_pair, real_secret};
use super::support::declare_rule;
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR107",
    name: "credential-in-env-arg",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A credential variable gets a literal value in ENV or ARG",
    what: "Reports an `ENV` or `ARG` whose name says credential (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE*`, well-known names such as `POSTGRES_PASSWORD`) and whose value is a literal that does not look like a real secret, such as `postgres` or `changeme`. Empty values, variable references (`$DB_PASSWORD`) and `*_FILE` paths are fine; real-looking secrets are KR106's (error). The message shows the key and `***`, never the value.",
    why: "A default password baked into an image ends up in every environment that forgets to override it, and is readable with `docker inspect`. Pass credentials at run time (Compose `environment`/`secrets`, Kubernetes Secrets).",
    bad: "FROM postgres:16\nENV POSTGRES_PASSWORD=postgres\n",
    good: "FROM postgres:16\n# POSTGRES_PASSWORD comes from the orchestrator's secret store\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    use crate::rules::secrets::{classify, is_setting, SecretKind};
    each_literal_pair(cx, |loc, kw, key, value| {
        if is_setting(key, value) {
            return;
        }
        let lower = key.to_ascii_lowercase();
        let literal = !value.trim().is_empty() && !value.starts_with('$');
        // The shared detector (as for Compose), plus hadolint's credential
        // names (DL3064's list) for placeholder values.
        let placeholder = match classify(key, value) {
            Some(SecretKind::Placeholder) => true,
            Some(SecretKind::RealLooking(_)) => false,
            None => {
                literal
                    && sensitive_name(key)
                    && !lower.contains("username")
                    && !lower.ends_with("_file")
                    && !lower.ends_with("_path")
            }
        };
        if placeholder && literal && real_secret(value).is_none() {
            out.emit(
                loc,
                format!("`{kw} {key}=***` bakes a credential into the image; pass it at run time or as a build secret"),
                format!("{kw} {key}"),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::dl;

    #[test]
    fn flags_placeholder_credentials_without_the_value() {
        let f = dl(
            "KR107",
            "FROM postgres:16\nENV POSTGRES_PASSWORD=postgres\nARG API_TOKEN=changeme\n",
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|x| x.message.contains("***")
            && !x.message.contains("postgres\"")
            && !x.message.contains("changeme")));
        assert!(!f[0].message.contains("=postgres"));
    }

    #[test]
    fn clean_on_settings_about_credentials() {
        let df = "FROM a:1\nENV PASSWORD_MIN_LENGTH=12 TOKEN_TTL=3600s SECRET_ROTATION_ENABLED=true\nARG PASSWORD_POLICY=1\nENV API_TOKEN_TIMEOUT=30\n";
        assert!(dl("KR107", df).is_empty(), "{:?}", dl("KR107", df));
        // A number given to a credential name is still a credential.
        assert_eq!(
            dl("KR107", "FROM a:1\nENV ADMIN_PASSWORD=123456\n").len(),
            1
        );
    }

    #[test]
    fn clean_on_references_files_and_real_secrets() {
        let df = "FROM a:1\nENV DB_PASSWORD=$DB_PASSWORD PASSWORD_FILE=/run/secrets/p TOKEN=\nENV GH_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n";
        assert!(dl("KR107", df).is_empty());
    }
}
