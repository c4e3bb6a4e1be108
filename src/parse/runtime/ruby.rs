//! Ruby/Rails: `config/environments/production.rb` (logger, cache store,
//! Active Storage), `config/database.yml` and `config/cable.yml`
//! production sections, `config/puma.rb` (port, bind).

use super::{is_loopback, re, Out, Scanner, SignalKind, StateKind};

pub fn scanner(rel: &str, _ext: &str) -> Option<Scanner> {
    if rel.ends_with("config/environments/production.rb") {
        Some(production_rb)
    } else if rel.ends_with("config/database.yml") || rel.ends_with("config/cable.yml") {
        Some(database_yml)
    } else if rel.ends_with("config/puma.rb") {
        Some(puma_rb)
    } else {
        None
    }
}

fn production_rb(_rel: &str, out: &mut Out<'_>) {
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if re!(r"config\.logger\s*=.*Logger\.new\(\s*(?:Rails\.root|File|['\x22]|Rails\.application\.config\.paths)")
            .is_some_and(|r| r.is_match(l))
            && !l.contains("STDOUT")
            && !l.contains("$stdout")
        {
            out.push(n, SignalKind::FileLogging { via: "`config.logger` to a file".into() });
        }
        if re!(r"config\.cache_store\s*=\s*:memory_store").is_some_and(|r| r.is_match(l)) {
            out.push(
                n,
                SignalKind::InProcessState {
                    via: "Rails `:memory_store` cache".into(),
                },
            );
        }
        if re!(r"config\.active_storage\.service\s*=\s*:local\b").is_some_and(|r| r.is_match(l)) {
            out.push(
                n,
                SignalKind::LocalState {
                    what: StateKind::Uploads,
                    path: "Active Storage `:local` (storage/)".into(),
                },
            );
        }
    }
}

/// The `production:` section of a Rails YAML config.
fn database_yml(_rel: &str, out: &mut Out<'_>) {
    let mut in_prod = false;
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if !l.starts_with(' ') && !l.starts_with('\t') && !l.trim().is_empty() {
            in_prod =
                l.trim_end().trim_end_matches(':') == "production" || l.starts_with("production:");
            continue;
        }
        if !in_prod || l.contains("<%") {
            continue;
        }
        let t = l.trim();
        let Some((k, v)) = t.split_once(':') else {
            continue;
        };
        let v = v.trim().trim_matches(['"', '\'']);
        match k.trim() {
            "host" if is_loopback(v) => out.push(
                n,
                SignalKind::LocalhostBacking {
                    key: "production host".into(),
                },
            ),
            "url"
                if re!(r"://(?:[^@/]*@)?(?:localhost|127\.0\.0\.1)\b")
                    .is_some_and(|r| r.is_match(v)) =>
            {
                out.push(
                    n,
                    SignalKind::LocalhostBacking {
                        key: "production url".into(),
                    },
                )
            }
            "adapter" if v.starts_with("sqlite") => out.push(
                n,
                SignalKind::LocalState {
                    what: StateKind::Sqlite,
                    path: "production SQLite database".into(),
                },
            ),
            _ => {}
        }
    }
}

fn puma_rb(_rel: &str, out: &mut Out<'_>) {
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if let Some(c) = super::caps(
            re!(
                r#"^\s*port\s*\(?\s*ENV\.fetch\(\s*['"](\w+)['"]\s*(?:,\s*(\d+)\s*)?\)\s*(?:\{\s*(\d+)\s*\})?"#
            ),
            l,
        ) {
            out.push_env_port(n, &c);
        } else if let Some(p) = super::port_cap(re!(r"^\s*port\s+(\d+)"), l) {
            out.push_port(n, p);
        }
        if let Some(addr) = super::caps(re!(r#"^\s*bind\s+['"]tcp://([^'"]+)['"]"#), l)
            .and_then(|c| c.get(1).cloned().flatten())
        {
            if is_loopback(&addr) {
                out.push(n, SignalKind::LoopbackBind { host: addr.clone() });
            }
            if let Some(p) = addr.rsplit(':').next().and_then(super::port_of) {
                out.push_port(n, p);
            }
        }
    }
}
