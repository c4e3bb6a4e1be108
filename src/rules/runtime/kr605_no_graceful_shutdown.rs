use super::{dockerfile_view, dockerfiles_of, services, signals, start_commands};
use crate::finding::{Location, Severity};
use crate::graph::ImageDefKind;
use crate::parse::dockerfile::Args;
use crate::parse::dockerfile::Keyword;
use crate::parse::manifest::Language;
use crate::parse::runtime::EntrypointScript;
use crate::parse::runtime::SignalKind;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::dockerfile::support::Df;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR605",
    name: "no-graceful-shutdown",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A containerized server or worker does not shut down gracefully on `SIGTERM` (Node.js server or Python worker loop without a handler, entrypoint script without `exec`)",
    what: "Reports (1) a containerized Node.js service whose own code starts an HTTP server (`app.listen(...)` with Express, Fastify, Koa, Nest, ...) or a gRPC server (`server.bindAsync(...)`) while nothing in it handles `SIGTERM` (`process.on('SIGTERM', ...)`, Nest `enableShutdownHooks()`, terminus, http-terminator, stoppable, lightship, close-with-grace); (2) a containerized Python service whose image starts a script with `python` (`CMD [\"python\", \"worker.py\"]`, `python -m app.worker`) whose main thread runs until it is killed (a `while True:` loop that never `break`s, `return`s or exits, a gRPC server's `wait_for_termination()`, a Flask development server's `app.run()`), while no file of the service mentions `SIGTERM` and the image sets no `STOPSIGNAL` (servers run by gunicorn, uvicorn, celery and the like handle `SIGTERM` themselves and are not judged); (3) a shell script used as the `ENTRYPOINT`/`CMD` of an application image (a service's, a component's or a variant's; named like `*entrypoint*`, `start*`, `run*`, found through the `COPY` that puts it in the image) that never `exec`s and does not `trap` `TERM`, so the shell stays PID 1 and the server runs as its child. (1) and (2) are not reported when the image starts through an init or process manager that stays PID 1 (`tini`, `dumb-init`, `pm2-runtime`, s6 `/init`, supervisord). Go, JVM, Ruby, .NET and Erlang runtimes stop on `SIGTERM` by themselves and are not judged.",
    why: "Docker and Kubernetes stop a container with `SIGTERM`, then `SIGKILL` after the grace period (10 s, 30 s). Node.js and Python as PID 1 have no default `SIGTERM` action, so they ignore the signal and are killed mid-request or mid-job; a shell wrapper does not forward the signal at all. Either way every rollout drops in-flight work and waits the full grace period.",
    bad: "// server.js\napp.listen(port);\n# worker.py (CMD [\"python\", \"worker.py\"])\nwhile True:\n    handle(queue.get())\n# docker-entrypoint.sh\nnpm run migrate\nnode server.js\n",
    good: "// server.js\nconst server = app.listen(port);\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\n# worker.py\nsignal.signal(signal.SIGTERM, lambda *_: stop.set())\nwhile not stop.is_set():\n    handle(queue.get(timeout=1))\n# docker-entrypoint.sh\nnpm run migrate\nexec node server.js\n",
};

declare_rule!();

/// Init processes and process managers that stay PID 1 and pass
/// `SIGTERM` on (the application is then no PID 1; pm2-runtime stops it
/// with `SIGINT`).
const INITS: &[&str] = &[
    "tini",
    "dumb-init",
    "pm2-runtime",
    "pm2-docker",
    "s6-svscan",
    "supervisord",
    "runsvdir",
    "catatonit",
];

/// Whether an image of the service starts through an init or a process
/// manager (`ENTRYPOINT ["tini", "--"]`, `CMD ["pm2-runtime", ...]`, the
/// s6-overlay `/init`).
fn started_by_init(cx: &Context<'_>, service: usize) -> bool {
    dockerfiles_of(cx, service).iter().any(|(df, _)| {
        start_commands(&df.final_chain()).iter().any(|inst| {
            inst.ins
                .words()
                .iter()
                .flat_map(|w| w.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .next()
                .is_some_and(|w| {
                    let base = w.rsplit('/').next().unwrap_or(&w);
                    INITS.contains(&base) || w == "/init"
                })
        })
    })
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        if svc.language != Language::Node
            || !cx.graph.is_service_containerized(i)
            || started_by_init(cx, i)
        {
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
                    "service `{}` starts a server but nothing handles `SIGTERM`: as PID 1 Node.js ignores it and is killed after the grace period, dropping requests; close the server on `process.on('SIGTERM', ...)`",
                    svc.name
                ),
                s.excerpt.clone(),
            );
        }
    }
    python_workers(cx, out);
    wrapper_scripts(cx, out);
}

/// Entrypoint scripts that never `exec`, started by an application image
/// (a service's, a component's such as a custom nginx, or a variant's):
/// a wrapper that keeps the shell as PID 1 swallows `SIGTERM` wherever it
/// runs. CI, test and development images are left alone.
fn wrapper_scripts(cx: &Context<'_>, out: &mut Sink<'_>) {
    let mut seen = std::collections::BTreeSet::new();
    // Scripts by path and by name, once: the lookups below stay linear in
    // the number of images.
    let mut scripts = Scripts::default();
    for e in &cx.facts.runtime.entrypoints {
        scripts.by_path.insert(e.file.as_str(), e);
        let name = e.file.rsplit('/').next().unwrap_or(&e.file);
        scripts.by_name.entry(name).or_default().push(e);
    }
    for def in cx
        .graph
        .image_defs
        .iter()
        .filter(|d| d.kind == ImageDefKind::Dockerfile && d.role().is_app())
    {
        let Some(df) = dockerfile_view(cx, &def.file) else {
            continue;
        };
        for inst in start_commands(&df.final_chain()) {
            let words = inst.ins.words();
            let Some(script) = words.iter().find_map(|w| {
                let base = w.rsplit('/').next().unwrap_or(w);
                base.ends_with(".sh").then_some(base.to_string())
            }) else {
                continue;
            };
            let Some(e) = script_of(&scripts, df, &def.contexts, &script) else {
                continue;
            };
            if e.execs || e.traps_term || !seen.insert(e.file.clone()) {
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
                    if *inst.keyword() == Keyword::Entrypoint { "ENTRYPOINT" } else { "CMD" },
                    df.path(),
                    last
                ),
                last.clone(),
            );
        }
    }
}

/// The repository's entrypoint scripts, indexed.
#[derive(Default)]
struct Scripts<'f> {
    by_path: std::collections::HashMap<&'f str, &'f EntrypointScript>,
    by_name: std::collections::HashMap<&'f str, Vec<&'f EntrypointScript>>,
}

/// The entrypoint script named `script` that a Dockerfile starts: the
/// one its `COPY`/`ADD` takes from a build context, else the one beside
/// the Dockerfile, else the only one of that name in its build contexts
/// (several: unknown, so nothing is said).
fn script_of<'f>(
    scripts: &Scripts<'f>,
    df: &Df<'_>,
    contexts: &[String],
    script: &str,
) -> Option<&'f EntrypointScript> {
    let named = scripts.by_name.get(script)?;
    let under = |dir: &str, f: &str| dir.is_empty() || f.starts_with(&format!("{dir}/"));
    // COPY sources, resolved against each build context.
    for inst in df.final_chain() {
        let ins = inst.ins;
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            || ins.flags.iter().any(|f| f.name == "from")
        {
            continue;
        }
        let words = match &ins.args {
            Args::Json(v) | Args::Words(v) => v,
            _ => continue,
        };
        let Some((dest, sources)) = words.split_last() else {
            continue;
        };
        for src in sources {
            let src = src.trim_start_matches("./");
            let names_it = src.rsplit('/').next() == Some(script)
                || (sources.len() == 1 && dest.rsplit('/').next() == Some(script));
            if !names_it {
                continue;
            }
            for c in contexts {
                let path = if c.is_empty() {
                    src.to_string()
                } else {
                    format!("{c}/{src}")
                };
                if let Some(e) = scripts.by_path.get(path.as_str()) {
                    return Some(e);
                }
            }
        }
    }
    let dir = crate::paths::parent(df.path());
    let beside = if dir.is_empty() {
        script.to_string()
    } else {
        format!("{dir}/{script}")
    };
    if let Some(e) = scripts.by_path.get(beside.as_str()) {
        return Some(e);
    }
    let mut in_context = named
        .iter()
        .filter(|e| contexts.iter().any(|c| under(c, &e.file)) || under(dir, &e.file));
    match (in_context.next(), in_context.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The Python script an image's start command runs (`python worker.py`,
/// `python3 -u /app/worker.py`, `python -m app.worker`), as path
/// suffixes to look for, longest first.
fn python_script(words: &[String]) -> Vec<String> {
    let words: Vec<&str> = words.iter().flat_map(|w| w.split_whitespace()).collect();
    let Some(at) = words.iter().position(|w| {
        let b = w.rsplit('/').next().unwrap_or(w);
        b == "python"
            || b.strip_prefix("python")
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    }) else {
        return Vec::new();
    };
    let mut args = words.iter().skip(at + 1);
    let script = loop {
        match args.next() {
            Some(&"-m") => {
                let Some(m) = args.next() else {
                    return Vec::new();
                };
                let p = m.replace('.', "/");
                return vec![format!("{p}.py"), format!("{p}/__main__.py")];
            }
            Some(a) if a.starts_with('-') => {}
            Some(a) => break *a,
            None => return Vec::new(),
        }
    };
    if !script.ends_with(".py") {
        return Vec::new();
    }
    // `/app/src/worker.py`: `app/src/worker.py`, `src/worker.py`, `worker.py`.
    let t = script.trim_start_matches("./").trim_start_matches('/');
    let mut out = vec![t.to_string()];
    let mut rest = t;
    while let Some((_, r)) = rest.split_once('/') {
        out.push(r.to_string());
        rest = r;
    }
    out
}

/// Python services whose image runs a worker loop with `python` and
/// nothing handles `SIGTERM`.
fn python_workers(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        if svc.language != Language::Python || !cx.graph.is_service_containerized(i) {
            continue;
        }
        let sigs: Vec<_> = signals(cx, svc).collect();
        if sigs.iter().any(|s| s.kind == SignalKind::SigtermHandler) || started_by_init(cx, i) {
            continue;
        }
        for (df, _) in dockerfiles_of(cx, i) {
            let chain = df.final_chain();
            if chain.iter().any(|i| *i.keyword() == Keyword::Stopsignal) {
                continue;
            }
            for inst in start_commands(&chain) {
                let suffixes = python_script(&inst.ins.words());
                let rel = |f: &str| crate::paths::relative_to(&svc.path, f).to_string();
                let Some(s) = suffixes.iter().find_map(|suf| {
                    sigs.iter().find(|s| {
                        s.kind == SignalKind::WorkerLoop
                            && (rel(&s.file) == *suf || s.file.ends_with(&format!("/{suf}")))
                    })
                }) else {
                    continue;
                };
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "service `{}`'s image runs `{}` ({}:{}), which runs until it is killed (`{}`), and nothing handles `SIGTERM`: as PID 1 Python ignores it and is killed after the grace period, mid-job or mid-request; stop it from `signal.signal(signal.SIGTERM, ...)` (or set `STOPSIGNAL SIGINT` and handle `KeyboardInterrupt`)",
                        svc.name,
                        s.file,
                        df.path(),
                        inst.line(),
                        s.excerpt
                    ),
                    s.excerpt.clone(),
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
    fn clean_under_an_init_or_process_manager() {
        for start in [
            "CMD [\"pm2-runtime\", \"server.js\"]",
            "ENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]",
        ] {
            let df = format!("FROM node:20\nCOPY . .\n{start}\n");
            let f = findings_of(
                "KR605",
                &[
                    ("package.json", PKG),
                    ("server.js", SERVER),
                    ("Dockerfile", &df),
                ],
            );
            assert!(f.is_empty(), "{start}: {f:?}");
        }
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

    const WORKER: &str = "import time\nimport queue_client\n\ndef main():\n    while True:\n        job = queue_client.get()\n        if not job:\n            time.sleep(1)\n            continue\n        job.run()\n\nif __name__ == '__main__':\n    main()\n";

    fn worker(files: &[(&'static str, &'static str)]) -> Vec<crate::finding::Finding> {
        let mut all = vec![
            ("requirements.txt", "rq\nredis\n"),
            ("app/worker.py", WORKER),
        ];
        all.extend_from_slice(files);
        findings_of("KR605", &all)
    }

    #[test]
    fn flags_python_worker_loop_without_handler() {
        let f = worker(&[(
            "Dockerfile",
            "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCMD [\"python\", \"-u\", \"/srv/app/worker.py\"]\n",
        )]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("app/worker.py", 5)
        );
        assert!(f[0].message.contains("(Dockerfile:4)"), "{f:?}");
        let f = worker(&[(
            "Dockerfile",
            "FROM python:3.12\nCOPY . .\nCMD python -m app.worker\n",
        )]);
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_python_worker_with_handler_stopsignal_or_server() {
        let df = (
            "Dockerfile",
            "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"app/worker.py\"]\n",
        );
        assert!(worker(&[
            df,
            (
                "app/signals.py",
                "import signal\nsignal.signal(signal.SIGTERM, stop)\n"
            )
        ])
        .is_empty());
        assert!(worker(&[(
            "Dockerfile",
            "FROM python:3.12\nCOPY . .\nSTOPSIGNAL SIGINT\nCMD [\"python\", \"app/worker.py\"]\n"
        )])
        .is_empty());
        assert!(worker(&[(
            "Dockerfile",
            "FROM python:3.12\nCOPY . .\nCMD [\"celery\", \"-A\", \"app\", \"worker\"]\n"
        )])
        .is_empty());
        // A loop that breaks out is not a worker's main loop.
        let f = findings_of(
            "KR605",
            &[
                ("requirements.txt", "rq\nredis\n"),
                ("app/worker.py", "while True:\n    if connect():\n        break\n    time.sleep(1)\nrun_once()\n"),
                df,
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    const GRPC_PKG: &str =
        r#"{"name":"currency","main":"server.js","dependencies":{"@grpc/grpc-js":"1"}}"#;

    #[test]
    fn flags_node_grpc_server_without_handler() {
        let server = "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\nserver.addService(svc, { convert: convert.bind(this) });\nserver.bindAsync(`[::]:${PORT}`, grpc.ServerCredentials.createInsecure(), () => server.start());\n";
        let df = (
            "Dockerfile",
            "FROM node:20\nCOPY . .\nENTRYPOINT [\"node\", \"server.js\"]\n",
        );
        let f = findings_of(
            "KR605",
            &[("package.json", GRPC_PKG), ("server.js", server), df],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("server.js", 4)
        );
        // The clean twin: the same server closed on SIGTERM.
        let handled =
            format!("{server}process.on('SIGTERM', () => server.tryShutdown(() => {{}}));\n");
        let f = findings_of(
            "KR605",
            &[("package.json", GRPC_PKG), ("server.js", &handled), df],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn flags_python_grpc_and_flask_servers_run_by_python() {
        let grpc = "import grpc\nfrom concurrent import futures\n\ndef serve():\n    server = grpc.server(futures.ThreadPoolExecutor())\n    server.add_insecure_port('[::]:8080')\n    server.start()\n    server.wait_for_termination()\n\nif __name__ == '__main__':\n    serve()\n";
        let flask = "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8080)\n";
        for (name, code, line) in [("grpc", grpc, 8), ("flask", flask, 5)] {
            let f = findings_of(
                "KR605",
                &[
                    ("requirements.txt", "grpcio\nflask\n"),
                    ("server.py", code),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCOPY . .\nENTRYPOINT [\"python\", \"server.py\"]\n",
                    ),
                ],
            );
            assert_eq!(f.len(), 1, "{name}: {f:?}");
            assert_eq!(
                (f[0].location.file.as_str(), f[0].location.line),
                ("server.py", line),
                "{name}"
            );
            // Run by a WSGI server instead of python: not judged.
            let f = findings_of(
                "KR605",
                &[
                    ("requirements.txt", "grpcio\nflask\n"),
                    ("server.py", code),
                    (
                        "Dockerfile",
                        "FROM python:3.12\nCOPY . .\nCMD [\"gunicorn\", \"server:app\"]\n",
                    ),
                ],
            );
            assert!(f.is_empty(), "{name}: {f:?}");
        }
    }

    #[test]
    fn follows_the_copied_wrapper_of_any_app_image() {
        // A component image (no detected service in its folder) whose
        // Dockerfile copies `docker/start.sh`; another start.sh elsewhere
        // is not the one it runs.
        let df = "FROM node:20\nCOPY . /app\nCOPY ./docker/start.sh /app/start.sh\nCMD [\"sh\", \"start.sh\"]\n";
        let wrapper = "#!/bin/sh\nnpx prisma migrate deploy\nnode build/server/main.js\n";
        let files = |other: &'static str| {
            vec![
                ("package.json", PKG),
                ("server.js", "process.on('SIGTERM', () => process.exit(0));\n"),
                ("docker/Dockerfile", df),
                ("docker/start.sh", wrapper),
                ("scripts/start.sh", other),
                (".github/workflows/ci.yml", "on: push\njobs:\n  img:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -f docker/Dockerfile .\n"),
            ]
        };
        let f = findings_of("KR605", &files("#!/bin/sh\nexec node server.js\n"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("docker/start.sh", 3)
        );
        // The clean twin: the copied script traps TERM and passes it on.
        let trapped = "#!/bin/sh\nnode build/server/main.js &\nchild=$!\ntrap 'kill -TERM \"$child\"' TERM INT\nwait \"$child\"\n";
        let mut clean = files("#!/bin/sh\nnode server.js\n");
        clean[3] = ("docker/start.sh", trapped);
        let f = findings_of("KR605", &clean);
        assert!(f.is_empty(), "{f:?}");
    }
}
