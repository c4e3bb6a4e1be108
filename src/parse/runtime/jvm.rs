//! Java/Kotlin: Spring/Quarkus/Micronaut `application*.properties|yml`
//! (bind address, port, datasource and broker hosts, log files, file
//! databases) and logback/log4j file appenders.

use super::{is_loopback, re, Out, Scanner, SignalKind, StateKind};

pub fn scanner(rel: &str, name: &str, ext: &str) -> Option<Scanner> {
    let lower = name.to_ascii_lowercase();
    let in_resources =
        rel.contains("src/main/resources/") || rel.starts_with("config/") || !rel.contains('/');
    if (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && matches!(ext, "properties" | "yml" | "yaml")
        && in_resources
        && default_or_production_profile(&lower)
    {
        return Some(app_config);
    }
    if (lower.starts_with("logback") || lower.starts_with("log4j")) && in_resources {
        return Some(log_config);
    }
    None
}

/// `application.yml`, `application-prod.properties`, `bootstrap.yml`:
/// the default profile or a production-like one (`prod`, `production`,
/// `docker`, `k8s`, `kubernetes`, `cloud`); `application-mysql.yml` and
/// other opt-in profiles are not read.
fn default_or_production_profile(lower: &str) -> bool {
    let stem = lower.rsplit_once('.').map(|(s, _)| s).unwrap_or(lower);
    match stem.split_once('-') {
        None => true,
        Some((_, profile)) => ["prod", "production", "docker", "k8s", "kubernetes", "cloud"]
            .iter()
            .any(|p| profile == *p || profile.starts_with(&format!("{p}-"))),
    }
}

/// Keys whose loopback value is a backing service.
const BACKING_KEYS: &[&str] = &[
    "datasource",
    "redis",
    "rabbitmq",
    "mongodb",
    "kafka",
    "elasticsearch",
    "cassandra",
    "r2dbc",
    "flyway",
    "liquibase",
    "activemq",
    "artemis",
    "neo4j",
    "couchbase",
];

fn app_config(rel: &str, out: &mut Out<'_>) {
    let entries = if rel.ends_with(".properties") {
        properties(out.text)
    } else {
        yaml_entries(out.text)
    };
    for (n, key, value) in entries {
        let k = key.to_ascii_lowercase();
        let v = value.trim().trim_matches(['"', '\'']);
        if k == "server.address" || k == "quarkus.http.host" || k == "micronaut.server.host" {
            if is_loopback(v) {
                out.push(
                    n,
                    SignalKind::LoopbackBind {
                        host: v.to_string(),
                    },
                );
            }
        } else if k == "server.port" || k == "quarkus.http.port" || k == "micronaut.server.port" {
            if let Some(p) = super::port_of(v) {
                out.push(
                    n,
                    SignalKind::ListenPort {
                        port: Some(p),
                        env: None,
                    },
                );
            } else if let Some(c) = super::caps(re!(r"^\$\{(\w+)(?::(\d+))?\}$"), v) {
                let env = c.get(1).cloned().flatten();
                let port = c.get(2).cloned().flatten().and_then(|p| p.parse().ok());
                out.push(n, SignalKind::ListenPort { port, env });
            }
        } else if k.starts_with("logging.file") || k == "logging.path" {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: format!("`{key}`"),
                },
            );
        } else if BACKING_KEYS.iter().any(|b| k.contains(b)) && !v.contains("${") {
            if re!(r"^jdbc:(?:sqlite|h2:file|hsqldb:file|derby:(?:directory:)?[^m])")
                .is_some_and(|r| r.is_match(v))
            {
                out.push(
                    n,
                    SignalKind::LocalState {
                        what: StateKind::Sqlite,
                        path: v.to_string(),
                    },
                );
            } else if (k.ends_with("url")
                || k.ends_with("uri")
                || k.ends_with("host")
                || k.ends_with("bootstrap-servers")
                || k.ends_with("addresses")
                || k.ends_with("nodes")
                || k.ends_with("uris"))
                && re!(r"(?:^|//|@|,)(?:localhost|127\.0\.0\.1)(?:[:/,]|$)")
                    .is_some_and(|r| r.is_match(v))
            {
                out.push(n, SignalKind::LocalhostBacking { key });
            }
        }
    }
}

fn log_config(_rel: &str, out: &mut Out<'_>) {
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if re!(r#"class\s*=\s*"ch\.qos\.logback\.core\.(?:rolling\.Rolling)?FileAppender"|<(?:RollingFile|File|RollingRandomAccessFile|RandomAccessFile)\s|=\s*org\.apache\.log4j\.(?:Daily)?(?:Rolling)?FileAppender"#)
            .is_some_and(|r| r.is_match(l))
        {
            out.push(n, SignalKind::FileLogging { via: "a file appender".into() });
        }
    }
}

/// `key=value` / `key: value` lines of a properties file.
fn properties(text: &str) -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
            continue;
        }
        let Some(pos) = t.find(['=', ':']) else {
            continue;
        };
        let (k, v) = (t[..pos].trim(), t[pos + 1..].trim());
        out.push((
            u32::try_from(i + 1).unwrap_or(u32::MAX),
            k.to_string(),
            v.to_string(),
        ));
    }
    out
}

/// Flattened `a.b.c: value` entries of a YAML file, by indentation;
/// documents for a profile other than a production one are left out.
fn yaml_entries(text: &str) -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    let mut doc: Vec<(u32, String, String)> = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let flush = |doc: &mut Vec<(u32, String, String)>, out: &mut Vec<(u32, String, String)>| {
        let profile = doc.iter().find(|(_, k, _)| {
            k == "spring.profiles"
                || k == "spring.config.activate.on-profile"
                || k == "spring.profiles.active"
        });
        let keep = match profile {
            Some((_, k, v)) if k != "spring.profiles.active" => {
                let v = v.to_ascii_lowercase();
                v.contains("prod")
                    || v.contains("default")
                    || v.contains("docker")
                    || v.contains("kubernetes")
            }
            _ => true,
        };
        if keep {
            out.append(doc);
        }
        doc.clear();
    };
    for (i, l) in text.lines().enumerate() {
        if l.starts_with("---") {
            flush(&mut doc, &mut out);
            stack.clear();
            continue;
        }
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('-') {
            continue;
        }
        let indent = l.len() - l.trim_start().len();
        let Some((k, v)) = t.split_once(':') else {
            continue;
        };
        if k.contains(' ') && !k.starts_with(['"', '\'']) {
            continue;
        }
        while stack.last().is_some_and(|(d, _)| *d >= indent) {
            stack.pop();
        }
        let k = k.trim().trim_matches(['"', '\'']).to_string();
        let v = v.split(" #").next().unwrap_or("").trim().to_string();
        let full = stack
            .iter()
            .map(|(_, s)| s.as_str())
            .chain(std::iter::once(k.as_str()))
            .collect::<Vec<_>>()
            .join(".");
        if v.is_empty() {
            stack.push((indent, k));
        } else {
            doc.push((u32::try_from(i + 1).unwrap_or(u32::MAX), full, v));
        }
    }
    flush(&mut doc, &mut out);
    out
}
