//! Python: `app.run(host=..., port=...)`, gunicorn config `bind`, logging
//! file handlers, SQLite URLs and upload folders, Flask-Caching
//! `SimpleCache`, and backing-service hosts in settings files.

use super::{backing_urls, re, reads_env, Out, SignalKind, StateKind};

/// Lines that end a loop or the process from inside it.
const LOOP_EXITS: &[&str] = &["break", "return", "sys.exit", "exit(", "os._exit", "raise"];

/// `while True:` loops whose body never leaves them (a worker's main
/// loop), by line. The body is every following line indented deeper;
/// blank and comment lines do not end it.
fn endless_loops(text: &str) -> Vec<u32> {
    if !text.contains("while") {
        return Vec::new();
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if !matches!(t, "while True:" | "while 1:") {
            continue;
        }
        let base = indent(l);
        let body: Vec<&str> = lines
            .get(i + 1..)
            .unwrap_or(&[])
            .iter()
            .filter(|b| !b.trim().is_empty() && !b.trim_start().starts_with('#'))
            .take_while(|b| indent(b) > base)
            .map(|b| b.trim())
            .collect();
        let exits = body.iter().any(|b| {
            LOOP_EXITS.iter().any(|e| {
                b.starts_with(e) || b.contains(&format!(" {e}")) || b.contains(&format!(":{e}"))
            })
        });
        if !body.is_empty() && !exits {
            out.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    out
}

/// Calls that block the main thread until the process is killed, by
/// line: a gRPC server's `wait_for_termination()`, and a Flask
/// development server's `app.run(...)` (Werkzeug installs no `SIGTERM`
/// handler; uvicorn and aiohttp do, and are not listed).
fn blocking_servers(text: &str) -> Vec<u32> {
    let flask = text.contains("from flask import") || text.contains("import flask");
    // The words the two patterns need.
    let grpc = text.contains("wait_for_termination");
    if !(grpc || (flask && text.contains("run"))) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with('#') {
            continue;
        }
        let grpc_wait =
            grpc && re!(r"\.\s*wait_for_termination\s*\(\s*\)").is_some_and(|r| r.is_match(t));
        let flask_run =
            flask && re!(r"^(?:app|application)\s*\.\s*run\s*\(").is_some_and(|r| r.is_match(t));
        if grpc_wait || flask_run {
            out.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    out
}

pub fn scan(rel: &str, out: &mut Out<'_>) {
    // A worker's main loop, and whether the code handles SIGTERM (any
    // mention: `signal.signal(signal.SIGTERM, ...)`, `add_signal_handler`).
    for n in endless_loops(out.text) {
        out.push(n, SignalKind::WorkerLoop);
    }
    for n in blocking_servers(out.text) {
        out.push(n, SignalKind::WorkerLoop);
    }
    if let Some(n) = out
        .text
        .contains("SIGTERM")
        .then(|| out.lines().find(|(_, l)| l.contains("SIGTERM")))
        .flatten()
        .map(|(n, _)| n)
    {
        out.push(n, SignalKind::SigtermHandler);
    }
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let settings = name.contains("settings")
        || name.contains("config")
        || name == "prod.py"
        || name == "production.py"
        || rel.contains("settings/");
    let gunicorn_conf = name.starts_with("gunicorn") || name == "gunicorn.conf.py";
    if settings {
        backing_urls(out);
    }
    // Each pattern below needs a word; a line is only matched against the
    // patterns whose words the file has, and a file with none of them
    // (most of a service's files) is not gone through.
    let text = out.text;
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let run_word = text.contains("run");
    let bind_word = gunicorn_conf && text.contains("bind");
    let log_words = has(&["FileHandler", "basicConfig(", "logger.add("]);
    let sqlite_url = text.contains("sqlite:///");
    let django_sqlite = settings && text.contains("django.db.backends.sqlite3");
    let upload_word = text.contains("UPLOAD_");
    let cache_word = text.contains("CACHE_TYPE");
    let host_word = settings && text.contains("HOST");
    let after_env = sqlite_url || django_sqlite || upload_word || cache_word || host_word;
    if !(run_word || bind_word || log_words || after_env) {
        return;
    }
    for (n, l) in out.lines().collect::<Vec<_>>() {
        // Servers started from code.
        if let Some(c) = run_word.then(|| re!(r#"\b(?:app|application|server|uvicorn|socketio|web|api)\s*\.\s*(?:run|run_app)\s*\((.*)"#)).flatten()
            .and_then(|r| r.captures(l))
        {
            let args = c.get(1).map(|m| m.as_str()).unwrap_or("");
            if let Some(h) = re!(r#"\bhost\s*=\s*['"]([^'"]+)['"]"#)
                .and_then(|r| r.captures(args))
                .and_then(|c| c.get(1))
            {
                if super::is_loopback(h.as_str()) {
                    out.push(n, SignalKind::LoopbackBind { host: h.as_str().to_string() });
                }
            }
            if let Some(p) = re!(r"\bport\s*=\s*(\d{2,5})\b")
                .and_then(|r| r.captures(args))
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse::<u16>().ok())
            {
                out.push(n, SignalKind::ListenPort { port: Some(p), env: None });
            } else if let Some((env, port)) = env_port(args) {
                out.push(n, SignalKind::ListenPort { port, env: Some(env) });
            }
        }
        if bind_word {
            if let Some(c) =
                re!(r#"^\s*bind\s*=\s*\[?\s*f?['"]([^'"]+)['"]"#).and_then(|r| r.captures(l))
            {
                let addr = c.get(1).map(|m| m.as_str()).unwrap_or("");
                if super::is_loopback(addr) {
                    out.push(
                        n,
                        SignalKind::LoopbackBind {
                            host: addr.to_string(),
                        },
                    );
                }
                if let Some(p) = addr.rsplit(':').next().and_then(super::port_of) {
                    out.push(
                        n,
                        SignalKind::ListenPort {
                            port: Some(p),
                            env: None,
                        },
                    );
                } else if let Some((env, port)) = env_port(l) {
                    out.push(
                        n,
                        SignalKind::ListenPort {
                            port,
                            env: Some(env),
                        },
                    );
                }
            }
        }
        // Logging to files.
        if log_words && re!(r"\b(?:Rotating|TimedRotating|Watched|Concurrent)?FileHandler\s*\(|basicConfig\([^)]*\bfilename\s*=|['\x22]class['\x22]\s*:\s*['\x22][\w.]*FileHandler['\x22]|logger\.add\(\s*f?['\x22][^'\x22]*\.log['\x22]")
            .is_some_and(|r| r.is_match(l))
        {
            out.push(n, SignalKind::FileLogging { via: "a logging file handler".into() });
        }
        if !after_env || reads_env(l) {
            continue;
        }
        if let Some(c) = sqlite_url
            .then(|| re!(r#"['"](sqlite:///[^'"]*)['"]"#))
            .flatten()
            .and_then(|r| r.captures(l))
        {
            let path = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
            if !path.contains(":memory:") && path != "sqlite://" && path != "sqlite:///" {
                out.push(
                    n,
                    SignalKind::LocalState {
                        what: StateKind::Sqlite,
                        path,
                    },
                );
            }
        } else if django_sqlite
            && re!(r#"['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.sqlite3['"]"#)
                .is_some_and(|r| r.is_match(l))
            && !other_database(out.text)
        {
            out.push(
                n,
                SignalKind::LocalState {
                    what: StateKind::Sqlite,
                    path: "Django sqlite3 database".into(),
                },
            );
        }
        if let Some(c) = upload_word
            .then(|| re!(r#"\bUPLOAD_(?:FOLDER|DIR|PATH)\s*=\s*['"]([^'"]+)['"]"#))
            .flatten()
            .and_then(|r| r.captures(l))
        {
            let path = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
            out.push(
                n,
                SignalKind::LocalState {
                    what: StateKind::Uploads,
                    path,
                },
            );
        }
        if cache_word && re!(r#"CACHE_TYPE['"]?\s*[:=]\s*['"](?:simple|SimpleCache|flask_caching\.backends\.SimpleCache)['"]"#)
            .is_some_and(|r| r.is_match(l))
        {
            out.push(n, SignalKind::InProcessState { via: "Flask-Caching SimpleCache".into() });
        }
        if host_word {
            if let Some(c) = re!(r#"['"]HOST['"]\s*:\s*['"](localhost|127\.0\.0\.1)['"]"#)
                .and_then(|r| r.captures(l))
            {
                let _ = c;
                out.push(
                    n,
                    SignalKind::LocalhostBacking {
                        key: "DATABASES HOST".into(),
                    },
                );
            }
        }
    }
}

/// Whether a settings module can also use another database (then SQLite
/// is the development default).
fn other_database(text: &str) -> bool {
    [
        "backends.postgresql",
        "backends.mysql",
        "backends.oracle",
        "dj_database_url",
        "DATABASE_URL",
        "django-environ",
        "env.db(",
    ]
    .iter()
    .any(|k| text.contains(k))
}

/// `os.environ.get("PORT", 5000)` / `os.getenv('PORT', '8000')`.
fn env_port(s: &str) -> Option<(String, Option<u16>)> {
    let c = re!(r#"(?:environ\.get|getenv|environ\.setdefault)\(\s*['"](\w*PORT\w*)['"]\s*(?:,\s*['"]?(\d{2,5}))?"#)?.captures(s)?;
    let env = c.get(1)?.as_str().to_string();
    let port = c.get(2).and_then(|m| m.as_str().parse().ok());
    Some((env, port))
}
