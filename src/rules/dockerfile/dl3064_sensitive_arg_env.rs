use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3064",
    name: "sensitive-arg-env",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "Do not pass potentially sensitive data in ARG or ENV",
    what: "Reports an `ARG` or `ENV` whose name is a known credential variable (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `NPM_TOKEN`, ...) or contains `password`, `secret`, `token`, `private`, `api_key`, `client_key` or `username`. The value is never printed. KR106 judges the value itself.",
    why: "ARG and ENV values are stored in the image's history and configuration, readable by anyone who can pull the image. Build secrets belong in `RUN --mount=type=secret`, run-time secrets in the orchestrator.",
    bad: "FROM node:20\nARG NPM_TOKEN\nRUN npm ci\n",
    good: "FROM node:20\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci\n",
};

declare_rule!();

const KNOWN: &[&str] = &[
    "ACCESS_TOKEN",
    "APPLICATION_KEY",
    "APP_SECRET",
    "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BITTREX_API_KEY",
    "BITTREX_API_SECRET",
    "CF_PASSWORD",
    "CF_USERNAME",
    "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD",
    "CI_DEPLOY_USER",
    "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL",
    "DOCKER_PASSWORD",
    "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_ID",
    "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN",
    "FIREBASE_TOKEN",
    "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN",
    "GH_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN",
    "HEROKU_API_KEY",
    "HEROKU_API_USER",
    "NPM_AUTH_TOKEN",
    "NPM_TOKEN",
    "OKTA_AUTHN_GROUPID",
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTID",
    "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY",
    "OS_PASSWORD",
    "OS_USERNAME",
    "POSTGRES_PASSWORD",
    "SLACK_TOKEN",
    "STRIPE_API_KEY",
    "STRIPE_DEVICE_NAME",
    "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS",
    "TRAVIS_SUDO",
    "VAULT_CLIENT_KEY",
    "VAULT_TOKEN",
];

const SUSPICIOUS: &[&str] = &[
    "api_key",
    "client_key",
    "password",
    "private",
    "secret",
    "token",
    "username",
];

pub fn sensitive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    KNOWN.iter().any(|k| k.eq_ignore_ascii_case(name))
        || SUSPICIOUS.iter().any(|s| lower.contains(s))
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        for inst in df.insts() {
            let kw = inst.keyword();
            if !matches!(kw, Keyword::Arg | Keyword::Env) {
                continue;
            }
            let Args::KeyValues(kvs) = &inst.ins.args else {
                continue;
            };
            for kv in kvs.iter().filter(|k| sensitive_name(&k.key)) {
                let shown = if kv.value.is_some() { "=***" } else { "" };
                let msg = format!(
                    "`{} {}{shown}` may carry sensitive data into the image; use a build secret",
                    kw.as_str(),
                    kv.key
                );
                out.emit(
                    df.loc(inst.line()),
                    msg,
                    format!("{} {}", kw.as_str(), kv.key),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::{dl, lines};

    #[test]
    fn flags_sensitive_names_without_printing_values() {
        assert_eq!(
            lines(
                "DL3064",
                "FROM a:1\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2\n"
            ),
            vec![2, 3]
        );
        let f = dl("DL3064", "FROM a:1\nENV DB_PASSWORD=hunter2\n");
        assert!(!f[0].message.contains("hunter2") && !f[0].subject.contains("hunter2"));
    }

    #[test]
    fn clean_on_ordinary_names() {
        assert!(lines(
            "DL3064",
            "FROM a:1\nARG VERSION=1\nENV NODE_ENV=production PORT=80\n"
        )
        .is_empty());
    }
}
