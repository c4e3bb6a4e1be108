use super::{dockerfiles_of, services, signals, start_commands};
use crate::finding::{Location, Severity};
use crate::parse::manifest::Language;
use crate::parse::runtime::SignalKind;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR605",
    name: "no-graceful-shutdown",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "A containerized server does not shut down gracefully on `SIGTERM` (Node.js server without a handler, entrypoint script without `exec`)",
    what: "Reports (1) a containerized Node.js service whose own code starts an HTTP server (`app.listen(...)` with Express, Fastify, Koa, Nest, ...) while nothing in it handles `SIGTERM` (`process.on('SIGTERM', ...)`, Nest `enableShutdownHooks()`, terminus, http-terminator, stoppable, lightship, close-with-grace); (2) a shell script used as an image's `ENTRYPOINT`/`CMD` (named like `*entrypoint*`, `start*`, `run*`) that never `exec`s, so the shell stays PID 1 and the server runs as its child.",
    why: "Docker and Kubernetes stop a container with `SIGTERM`, then `SIGKILL` after the grace period (10 s, 30 s). Node.js as PID 1 has no default `SIGTERM` action, so it ignores the signal and is killed mid-request; a shell wrapper does not forward the signal at all. Either way every rollout drops in-flight requests and waits the full grace period.",
    bad: "// server.js\napp.listen(port);\n# docker-entrypoint.sh\nnpm run migrate\nnode server.js\n",
    good: "// server.js\nconst server = app.listen(port);\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\n# docker-entrypoint.sh\nnpm run migrate\nexec node server.js\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        if svc.language != Language::Node || !cx.graph.is_service_containerized(i) {
            continue;
        }
        let sigs: Vec<_> = signals(cx, svc).collect();
        if sigs.iter().any(|s| s.kind == SignalKind::SigtermHandler) {
            continue;
        }
        if let Some(s) = sigs.iter().find(|s| s.kind == SignalKind::ServerListen) {
            out.emit(
                Location::new(&s.file, s.line),
                format!(
                    "service `{}` starts an HTTP server but nothing handles `SIGTERM`: as PID 1 Node.js ignores it and is killed after the grace period, dropping requests; close the server on `process.on('SIGTERM', ...)`",
                    svc.name
                ),
                s.excerpt.clone(),
            );
        }
    }
    // Entrypoint scripts of every image the repository builds.
    let mut seen = std::collections::BTreeSet::new();
    for (i, _) in services(cx) {
        for (df, contexts) in dockerfiles_of(cx, i) {
            for inst in start_commands(df) {
                let words = inst.ins.words();
                let Some(script) = words.iter().find_map(|w| {
                    let base = w.rsplit('/').next().unwrap_or(w);
                    base.ends_with(".sh").then_some(base.to_string())
                }) else {
                    continue;
                };
                let dir = crate::paths::parent(df.path());
                let found = cx.facts.runtime.entrypoints.iter().find(|e| {
                    e.file.rsplit('/').next() == Some(script.as_str())
                        && (contexts
                            .iter()
                            .any(|c| c.is_empty() || e.file.starts_with(&format!("{c}/")))
                            || dir.is_empty()
                            || e.file.starts_with(&format!("{dir}/")))
                });
                let Some(e) = found else { continue };
                if e.execs || !seen.insert(e.file.clone()) {
                    continue;
                }
                let Some((line, last)) = &e.last else {
                    continue;
                };
                out.emit(
                    Location::new(&e.file, *line),
                    format!(
                        "`{}` (the {} of `{}`) never `exec`s: the shell stays PID 1 and does not pass `SIGTERM` on to `{}`; start it with `exec`",
                        e.file,
                        if *inst.keyword() == crate::parse::dockerfile::Keyword::Entrypoint { "ENTRYPOINT" } else { "CMD" },
                        df.path(),
                        last
                    ),
                    last.clone(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const PKG: &str =
        r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#;
    const SERVER: &str =
        "const express = require('express');\nconst app = express();\napp.listen(3000);\n";

    #[test]
    fn flags_node_server_without_handler_and_wrapper_without_exec() {
        let f = findings_of(
            "KR605",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                (
                    "docker-entrypoint.sh",
                    "#!/bin/sh\nset -e\nnpm run migrate\nnode server.js\n",
                ),
                (
                    "Dockerfile",
                    "FROM node:20\nCOPY . .\nENTRYPOINT [\"./docker-entrypoint.sh\"]\n",
                ),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f
            .iter()
            .any(|f| f.location.file == "server.js" && f.location.line == 3));
        assert!(f
            .iter()
            .any(|f| f.location.file == "docker-entrypoint.sh" && f.location.line == 4));
    }

    #[test]
    fn clean_with_handler_and_exec() {
        let f = findings_of(
            "KR605",
            &[
                ("package.json", PKG),
                (
                    "server.js",
                    &format!("{SERVER}process.on('SIGTERM', () => process.exit(0));\n"),
                ),
                (
                    "docker-entrypoint.sh",
                    "#!/bin/sh\nnpm run migrate\nexec node server.js\n",
                ),
                (
                    "Dockerfile",
                    "FROM node:20\nCOPY . .\nENTRYPOINT [\"./docker-entrypoint.sh\"]\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
