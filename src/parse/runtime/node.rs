//! Node.js: `listen(...)` calls (port, host), `SIGTERM` handlers, file log
//! transports, express-session stores, SQLite files and upload folders.

use super::{backing_urls, line_of, re, Out, SignalKind, StateKind};

/// Libraries and calls that drain a server on `SIGTERM`.
const SHUTDOWN_HELPERS: &[&str] = &[
    "SIGTERM",
    "@godaddy/terminus",
    "http-terminator",
    "stoppable",
    "lightship",
    "enableShutdownHooks",
    "close-with-grace",
    "graceful-shutdown",
    "gracefulShutdown",
    "async-exit-hook",
    "exit-hook",
];

/// Imports that make a `.listen(` an HTTP server's.
const SERVER_LIBS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "createServer",
    "@nestjs/",
    "@hapi/",
    "restify",
    "polka",
    "hono",
    "@feathersjs",
    "apollo-server",
];

pub fn scan(rel: &str, out: &mut Out<'_>) {
    let text = out.text;
    if rel.ends_with("config/default.json")
        || rel.ends_with("config/production.json")
        || rel.ends_with("config/custom-environment-variables.json")
    {
        backing_urls(out);
        return;
    }
    if SHUTDOWN_HELPERS.iter().any(|h| text.contains(h)) {
        out.push(1, SignalKind::SigtermHandler);
    }
    let server_file = SERVER_LIBS.iter().any(|l| text.contains(l));
    if server_file {
        listens(out);
    }
    grpc_servers(out);
    lines(out);
    sessions(out);
}

/// Log files, SQLite files and upload folders, line by line. Each
/// pattern needs a word; a line is only matched against the patterns
/// whose words the file has, and a file with none of them (most of a
/// service's files) is not gone through.
fn lines(out: &mut Out<'_>) {
    let text = out.text;
    let transports = text.contains("transports.") || text.contains("DailyRotateFile");
    let pino = text.contains("pino.destination(");
    let log4js = text.contains("log4js");
    let write_stream = text.contains("createWriteStream(");
    let sqlite = text.contains("sqlite");
    let multer = text.contains("multer");
    if !(transports || pino || log4js || write_stream || sqlite || multer) {
        return;
    }
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if transports
            && re!(r"transports\.(File|DailyRotateFile)\s*\(|new\s+DailyRotateFile\s*\(")
                .is_some_and(|r| r.is_match(l))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "winston file transport".into(),
                },
            );
        } else if pino
            && re!(r#"pino\.destination\(\s*['"`]([^'"`]+)['"`]"#)
                .and_then(|r| r.captures(l))
                .and_then(|c| c.get(1))
                .is_some_and(|m| !m.as_str().starts_with("/dev/std"))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "pino file destination".into(),
                },
            );
        } else if log4js
            && re!(r#"type\s*:\s*['"](file|dateFile|fileSync)['"]"#).is_some_and(|r| r.is_match(l))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "log4js file appender".into(),
                },
            );
        } else if write_stream
            && re!(r#"createWriteStream\([^)]*\.log['"`]"#).is_some_and(|r| r.is_match(l))
        {
            out.push(
                n,
                SignalKind::FileLogging {
                    via: "a write stream to a .log file".into(),
                },
            );
        }
        if l.contains("process.env") {
            continue;
        }
        if let Some(c) = sqlite.then(|| re!(r#"(?:new\s+(?:sqlite3\.)?Database|storage|filename|database)\s*[:(=]\s*['"`]([^'"`]+\.(?:sqlite3?|db))['"`]"#)).flatten()
            .and_then(|r| r.captures(l))
        {
            let path = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
            out.push(n, SignalKind::LocalState { what: StateKind::Sqlite, path });
        }
        if let Some(c) = multer
            .then(|| re!(r#"\b(?:dest|destination)\s*:\s*['"`]([^'"`]+)['"`]"#))
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
    }
}

/// `x.listen(...)` calls of a server file.
fn listens(out: &mut Out<'_>) {
    let text = out.text;
    let fastify = text.contains("'fastify'") || text.contains("\"fastify\"");
    let Some(r) = re!(
        r"\b(app|server|httpServer|httpsServer|srv|fastify|instance|api|application|http|web)\s*\.\s*listen\s*\("
    ) else {
        return;
    };
    for m in r.find_iter(text) {
        let line = line_of(text, m.start());
        let body = call_args(text, m.end());
        if body.trim().is_empty() {
            continue;
        }
        out.push(line, SignalKind::ServerListen);
        let object = body.trim_start().starts_with('{');
        let (port_expr, host) = if object {
            (field(body, "port").unwrap_or_default(), field(body, "host"))
        } else {
            let mut parts = split_top(body);
            let first = if parts.is_empty() {
                String::new()
            } else {
                parts.remove(0)
            };
            let second = parts
                .first()
                .map(|s| s.trim().to_string())
                .filter(|s| s.starts_with(['\'', '"', '`']));
            (first, second)
        };
        let (port, env) = resolve_port(&port_expr, text, 0);
        if port.is_some() || env.is_some() {
            out.push(line, SignalKind::ListenPort { port, env });
        }
        match host {
            Some(h) => {
                let h = h.trim().trim_matches(['\'', '"', '`']).to_string();
                if super::is_loopback(&h) {
                    out.push(line, SignalKind::LoopbackBind { host: h });
                }
            }
            None if fastify && (m.as_str().starts_with("fastify") || object) => {
                out.push(
                    line,
                    SignalKind::LoopbackBind {
                        host: "localhost (Fastify's default when `host` is not given)".into(),
                    },
                );
            }
            None => {}
        }
    }
}

/// `server.bindAsync(...)` / `server.bind(...)` of a file that uses
/// `@grpc/grpc-js` (or the older `grpc` package): a gRPC server, which
/// needs a `SIGTERM` handler as much as an HTTP one. Ports are not read
/// (the address is usually a template such as `` `[::]:${PORT}` ``).
fn grpc_servers(out: &mut Out<'_>) {
    let text = out.text;
    let grpc = ["'@grpc/grpc-js'", "\"@grpc/grpc-js\"", "'grpc'", "\"grpc\""]
        .iter()
        .any(|m| text.contains(m));
    if !grpc {
        return;
    }
    // `bindAsync` is grpc-js's own; plain `bind` only on a server object
    // (`fn.bind(this, x)` is JavaScript's).
    let Some(r) = re!(r"\.\s*bindAsync\s*\(|\b[sS]erver\s*\.\s*bind\s*\(") else {
        return;
    };
    for m in r.find_iter(text) {
        // Arguments: an address and credentials (`.bind(this)` has one).
        if split_top(call_args(text, m.end())).len() >= 2 {
            out.push(line_of(text, m.start()), SignalKind::ServerListen);
        }
    }
}

/// The text between the parenthesis opened just before `start` and its
/// match (at most 400 characters).
pub(super) fn call_args(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or("");
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        if i > 400 {
            break;
        }
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' if depth == 0 => return rest.get(..i).unwrap_or(""),
            ')' | '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    ""
}

/// Splits call arguments at top-level commas.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// The value of `name:` in an object literal (`{ port: 3000 }`), or
/// the shorthand `{ port }` as the name itself.
fn field(body: &str, name: &str) -> Option<String> {
    let inner = body.trim().trim_start_matches('{').trim_end_matches('}');
    for part in split_top(inner) {
        let p = part.trim();
        if let Some((k, v)) = p.split_once(':') {
            if k.trim().trim_matches(['\'', '"']) == name {
                return Some(v.trim().to_string());
            }
        } else if p == name {
            return Some(p.to_string());
        }
    }
    None
}

/// A port expression resolved: `3000`, `process.env.PORT || 3000`, or a
/// variable assigned one of those in the same file (one hop).
fn resolve_port(expr: &str, text: &str, depth: u8) -> (Option<u16>, Option<String>) {
    let e = expr.trim();
    if let Some(p) = super::port_of(e) {
        return (Some(p), None);
    }
    let env = re!(r#"process\.env(?:\.|\[\s*['"])([A-Z_][A-Z0-9_]*)"#)
        .and_then(|r| r.captures(e))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let default = re!(r#"(?:\|\||\?\?)\s*['"]?(\d{2,5})\b"#)
        .and_then(|r| r.captures(e))
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse::<u16>().ok());
    if env.is_some() {
        return (default, env);
    }
    if depth == 0 && re!(r"^[A-Za-z_$][\w$]*$").is_some_and(|r| r.is_match(e)) {
        let pat = format!(
            r"(?m)(?:const|let|var)\s+{}\s*(?::\s*\w+\s*)?=\s*(.+)$",
            regex::escape(e)
        );
        if let Some(v) = super::compile_named(&pat)
            .and_then(|r| r.captures(text))
            .and_then(|c| c.get(1))
        {
            return resolve_port(v.as_str().trim_end_matches(';'), text, 1);
        }
    }
    (None, None)
}

/// express-session with no `store` (its default MemoryStore), or a
/// `MemoryStore` made explicitly.
fn sessions(out: &mut Out<'_>) {
    let text = out.text;
    // The import below names the package.
    if !text.contains("express-session") {
        return;
    }
    let Some(c) = re!(r#"(?:(?:const|let|var|import)\s+(\w+)\s*=\s*require\(\s*['"]express-session['"]\s*\)|import\s+(\w+)\s+from\s+['"]express-session['"])"#)
        .and_then(|r| r.captures(text))
    else {
        return;
    };
    let Some(name) = c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()) else {
        return;
    };
    let Some(call) = super::compile_named(&format!(r"\b{}\s*\(", regex::escape(&name))) else {
        return;
    };
    for m in call.find_iter(text) {
        let args = call_args(text, m.end());
        if args.trim().is_empty() {
            continue;
        }
        if !args.contains("store") {
            out.push(
                line_of(text, m.start()),
                SignalKind::InProcessState {
                    via: "express-session without a `store` (its default MemoryStore)".into(),
                },
            );
        }
    }
    if let Some(m) = re!(r"new\s+(?:session\.)?MemoryStore\s*\(").and_then(|r| r.find(text)) {
        out.push(
            line_of(text, m.start()),
            SignalKind::InProcessState {
                via: "express-session MemoryStore".into(),
            },
        );
    }
}
