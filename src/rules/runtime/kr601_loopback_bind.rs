use super::{dockerfiles_of, services, signals, start_commands};
use crate::finding::{Location, Severity};
use crate::parse::runtime::{server_command, tool_host_env, SignalKind};
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR601",
    name: "server-binds-loopback",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A service's server listens on loopback only (`127.0.0.1`, `localhost`)",
    what: "Reports a detected service whose own code or config binds its server to a loopback address: `app.listen(port, '127.0.0.1')`, Fastify's `listen()` without `host`, `app.run(host=\"localhost\")`, Spring `server.address: 127.0.0.1`, Kestrel `http://localhost:5000` (`appsettings.json`, `UseUrls`, `ListenLocalhost`), Go `ListenAndServe(\"127.0.0.1:8080\")`, Puma `bind 'tcp://127.0.0.1:3000'`, Phoenix `ip: {127, 0, 0, 1}` in `prod.exs`/`runtime.exs`, a Procfile `web:` with `--bind 127.0.0.1`; and an image whose `CMD`/`ENTRYPOINT` starts uvicorn, `flask run`, `manage.py runserver`, daphne, hypercorn or `artisan serve` with a loopback host or with no host at all (they default to 127.0.0.1; `UVICORN_HOST`/`FLASK_RUN_HOST` set by `ENV` count as a host). Tests, examples and development config files are not read.",
    why: "Inside a container, loopback is the container's own: Docker's port forwarding, other containers and the kubelet's probes reach the pod's IP, never its `127.0.0.1`. The container starts, logs that it listens, and every request gets `connection refused`.",
    bad: "// server.js\napp.listen(port, '127.0.0.1');\n# Dockerfile\nCMD [\"uvicorn\", \"app.main:app\", \"--port\", \"8000\"]\n",
    good: "// server.js\napp.listen(port, '0.0.0.0');  // or leave the host out\n# Dockerfile\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        for s in signals(cx, svc) {
            if let SignalKind::LoopbackBind { host } = &s.kind {
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "service `{}` listens on {host} only: nothing outside the container can reach it; bind to `0.0.0.0` (or `::`), e.g. from a `HOST` variable",
                        svc.name
                    ),
                    s.excerpt.clone(),
                );
            }
        }
        for (df, _) in dockerfiles_of(cx, i) {
            let chain = df.final_chain();
            for inst in start_commands(&chain) {
                let Some(sh) = df.shell(&inst) else { continue };
                for cmd in &sh.cmds {
                    let sc = server_command(&cmd.words);
                    let Some(tool) = sc.tool else { continue };
                    let what = match (&sc.explicit_loopback, sc.default_loopback) {
                        (Some(h), _) => format!("`{tool}` is told to listen on {h}"),
                        (None, true)
                            if !tool_host_env(tool)
                                .iter()
                                .any(|e| super::sets_env(&chain, e)) =>
                        {
                            format!("`{tool}` is started without a host and listens on 127.0.0.1 by default")
                        }
                        _ => continue,
                    };
                    out.emit(
                        df.loc(inst.line()),
                        format!(
                            "{what}: nothing outside the container can reach service `{}`; pass `--host 0.0.0.0` (`0.0.0.0:PORT` for runserver/`--bind`)",
                            svc.name
                        ),
                        crate::rules::dockerfile::support::subject(inst.ins),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const PKG: &str =
        r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#;

    #[test]
    fn flags_loopback_in_code_and_cmd() {
        let f = findings_of(
            "KR601",
            &[
                ("package.json", PKG),
                ("server.js", "const express = require('express');\nconst app = express();\napp.listen(3000, '127.0.0.1');\n"),
                ("py/requirements.txt", "fastapi\nuvicorn\n"),
                ("py/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
                ("py/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"uvicorn\", \"main:app\", \"--port\", \"8000\"]\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f.iter()
                .any(|f| f.location.file == "server.js" && f.location.line == 3),
            "{f:?}"
        );
        assert!(
            f.iter()
                .any(|f| f.location.file == "py/Dockerfile" && f.location.line == 3),
            "{f:?}"
        );
    }

    #[test]
    fn clean_when_bound_to_all_interfaces() {
        let f = findings_of(
            "KR601",
            &[
                ("package.json", PKG),
                ("server.js", "const express = require('express');\nconst app = express();\napp.listen(3000, '0.0.0.0');\n"),
                ("test/server.js", "const express = require('express');\napp.listen(3000, '127.0.0.1');\n"),
                ("py/requirements.txt", "fastapi\nuvicorn\n"),
                ("py/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
                ("py/Dockerfile", "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
