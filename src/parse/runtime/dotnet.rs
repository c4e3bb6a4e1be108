//! .NET: Kestrel URLs (`appsettings*.json`, `UseUrls`, `ListenLocalhost`),
//! connection strings at localhost, Serilog/NLog/log4net file sinks,
//! SQLite files and in-memory session stores.

use super::{backing_urls, re, reads_env, Out, Scanner, SignalKind, StateKind};

pub fn scanner(name: &str, ext: &str) -> Option<Scanner> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("appsettings") && ext == "json" {
        return Some(appsettings);
    }
    if lower == "nlog.config" || lower == "log4net.config" {
        return Some(log_config);
    }
    (ext == "cs").then_some(code as Scanner)
}

fn urls(out: &mut Out<'_>, n: u32, value: &str) {
    for u in value.split(';') {
        let u = u.trim();
        if super::is_loopback(u) {
            out.push(
                n,
                SignalKind::LoopbackBind {
                    host: u.to_string(),
                },
            );
        }
        if let Some(p) = u
            .rsplit(':')
            .next()
            .map(|p| p.trim_end_matches('/'))
            .and_then(super::port_of)
        {
            out.push(
                n,
                SignalKind::ListenPort {
                    port: Some(p),
                    env: None,
                },
            );
        }
    }
}

fn appsettings(_rel: &str, out: &mut Out<'_>) {
    backing_urls(out);
    // Brace depth, and the depth of the `"Kestrel"` object while inside it:
    // only its endpoint `Url`s and a top-level `urls` are bind addresses.
    let mut depth = 0i32;
    let mut kestrel: Option<i32> = None;
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if kestrel.is_none() && l.contains("\"Kestrel\"") {
            kestrel = Some(depth);
        }
        let key = re!(r#"^\s*"(?i:(url|urls))"\s*:\s*"([^"]+)""#).and_then(|r| r.captures(l));
        if let Some(c) = key {
            let top = c
                .get(1)
                .is_some_and(|m| m.as_str().eq_ignore_ascii_case("urls"))
                && depth == 1;
            if kestrel.is_some() || top {
                let v = c.get(2).map(|m| m.as_str().to_string()).unwrap_or_default();
                urls(out, n, &v);
            }
        }
        for ch in l.chars() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if kestrel.is_some_and(|k| depth <= k) {
                        kestrel = None;
                    }
                }
                _ => {}
            }
        }
        if let Some(key) = re!(r#"^\s*"([^"]+)"\s*:\s*"[^"]*(?i:server|host|data source|address|addr|hostname|endpoint)\s*=\s*(?:tcp:)?(?:localhost|127\.0\.0\.1|\(localdb\)|\.)(?:[;,:\\"]|\s*$)"#)
            .and_then(|r| r.captures(l))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
        {
            out.push(n, SignalKind::LocalhostBacking { key });
        } else if let Some(key) = re!(r#"^\s*"([^"]*(?i:redis|rabbit|mongo|kafka|cache|broker|elastic)[^"]*)"\s*:\s*"(?:localhost|127\.0\.0\.1)(?::\d+)?[,"]"#)
            .and_then(|r| r.captures(l))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
        {
            out.push(n, SignalKind::LocalhostBacking { key });
        }
        if re!(r#""Name"\s*:\s*"(?:File|RollingFile)""#).is_some_and(|r| r.is_match(l)) {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "a Serilog file sink".into(),
                },
            );
        }
        sqlite(out, n, l);
    }
}

fn sqlite(out: &mut Out<'_>, n: u32, l: &str) {
    if let Some(c) =
        re!(r#"(?i)Data Source\s*=\s*([^;"]+\.(?:db|sqlite3?))"#).and_then(|r| r.captures(l))
    {
        if !reads_env(l) {
            let path = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
            out.push(
                n,
                SignalKind::LocalState {
                    what: StateKind::Sqlite,
                    path,
                },
            );
        }
    }
}

fn code(_rel: &str, out: &mut Out<'_>) {
    let text = out.text;
    let sessions = text.contains("AddSession(");
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if let Some(v) = re!(r#"\.UseUrls\(\s*"([^"]+)""#)
            .and_then(|r| r.captures(l))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
        {
            urls(out, n, &v);
        }
        if l.contains(".ListenLocalhost(") || l.contains("IPAddress.Loopback") {
            out.push(
                n,
                SignalKind::LoopbackBind {
                    host: "localhost (Kestrel ListenLocalhost)".into(),
                },
            );
        }
        if re!(r"\.WriteTo\.(?:File|RollingFile|Async\(\s*\w+\s*=>\s*\w+\.File)\(")
            .is_some_and(|r| r.is_match(l))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "Serilog `WriteTo.File`".into(),
                },
            );
        }
        if sessions && l.contains("AddDistributedMemoryCache(") {
            out.push(
                n,
                SignalKind::InProcessState {
                    via: "ASP.NET sessions over `AddDistributedMemoryCache`".into(),
                },
            );
        }
        sqlite(out, n, l);
    }
}

fn log_config(_rel: &str, out: &mut Out<'_>) {
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if re!(r#"xsi:type\s*=\s*"File"|type\s*=\s*"log4net\.Appender\.(?:Rolling)?FileAppender"#)
            .is_some_and(|r| r.is_match(l))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "a file target".into(),
                },
            );
        }
    }
}
