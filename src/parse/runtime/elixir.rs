//! Elixir/Phoenix: `config/prod.exs` and `config/runtime.exs` (endpoint
//! `ip`/`port`, Repo `hostname`), file logger backends.

use super::{backing_urls, re, Out, Scanner, SignalKind};

pub fn scanner(rel: &str, _ext: &str) -> Option<Scanner> {
    (rel.ends_with("config/prod.exs") || rel.ends_with("config/runtime.exs"))
        .then_some(config as Scanner)
}

fn config(rel: &str, out: &mut Out<'_>) {
    let prod = rel.ends_with("prod.exs");
    if prod {
        backing_urls(out);
    }
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if re!(r"\bip:\s*\{\s*127\s*,\s*0\s*,\s*0\s*,\s*1\s*\}|\bip:\s*\{\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*,\s*0\s*,\s*1\s*\}").is_some_and(|r| r.is_match(l)) {
            out.push(n, SignalKind::LoopbackBind { host: "127.0.0.1".into() });
        }
        // The endpoint's port: `port = ...` or inside `http: [...]`, not
        // every `*_PORT` variable (SMTP, mailbox preview).
        let endpoint = re!(r"^\s*port\s*=|http:").is_some_and(|r| r.is_match(l));
        if let Some(c) = super::caps(
            re!(r#"System\.get_env\(\s*"(\w*PORT)"\s*(?:,\s*"(\d+)"\s*)?\)(?:\s*\|\|\s*"?(\d+))?"#),
            l,
        )
        .filter(|_| endpoint)
        {
            out.push_env_port(n, &c);
        } else if let Some(p) = super::port_cap(re!(r"http:\s*\[[^\]]*\bport:\s*(\d{2,5})\b"), l) {
            out.push_port(n, p);
        }
        if prod
            && re!(r#"\bhostname:\s*"(?:localhost|127\.0\.0\.1)""#).is_some_and(|r| r.is_match(l))
        {
            out.push(
                n,
                SignalKind::LocalhostBacking {
                    key: "Repo hostname".into(),
                },
            );
        }
        if l.contains("LoggerFileBackend") {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "LoggerFileBackend".into(),
                },
            );
        }
    }
}
