use crate::finding::{Location, Severity};
use crate::graph::ports::{chains, LinkKind, PortChain, PortLink};
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR511",
    name: "port-chain-broken",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "The port a service's code listens on is not the port its Dockerfile, Compose or Kubernetes config sends traffic to",
    what: "Builds one port chain per detected service: the port its code listens on, from the framework's own call or config (Express/Fastify/Koa/Nest `listen(process.env.PORT || 3000)`, Flask/FastAPI `run(port=)`, gunicorn/uvicorn/`flask run`/`runserver` `--port`/`--bind` in the image's `CMD`/`ENTRYPOINT` or a Procfile, Go `\":8080\"` listen addresses, Spring `server.port`, Kestrel URLs, Puma `port`, Phoenix `http: [port: ...]`), with `PORT`-style variables followed to the value the Dockerfile `ENV`, Compose `environment` or Kubernetes `env` gives them (their default when nothing sets them; unknown when an `env_file` or a Kubernetes workload may set them); then the Dockerfile's `EXPOSE` (final stage and the stages it is built on), Compose `ports` (container side) and `expose`, the workloads' `containerPort`s and the numeric `targetPort`s of the Services selecting them. Reports the chain, once, with every link's file:line, when some kind of link names only ports the application does not listen on. `KR510` keeps judging `EXPOSE` against Compose `ports` for services whose listening port is not found; probes and Ingress backends are not links yet.",
    why: "Each hop forwards to a port number written somewhere else; when one of them differs from the port the process listens on, the container starts, looks healthy to Docker, and every request through that hop gets `connection refused`. Seeing the whole chain shows which number to change.",
    bad: "// server.js\napp.listen(process.env.PORT || 3000);\n# Dockerfile\nEXPOSE 8080\n# compose.yaml\nports: [\"80:8080\"]\n",
    good: "// server.js\napp.listen(process.env.PORT || 8080);\n# Dockerfile\nEXPOSE 8080\n# compose.yaml\nports: [\"80:8080\"]\n",
};

declare_rule!();

/// The links that name none of the listening ports, when a whole kind of
/// link misses them.
fn broken(chain: &PortChain) -> Vec<&PortLink> {
    let listening = chain.listening();
    let mut out = Vec::new();
    for kind in [
        LinkKind::Expose,
        LinkKind::ComposePorts,
        LinkKind::ComposeExpose,
        LinkKind::ContainerPort,
        LinkKind::TargetPort,
    ] {
        let of: Vec<&PortLink> = chain.links.iter().filter(|l| l.kind == kind).collect();
        if !of.is_empty()
            && !of
                .iter()
                .any(|l| l.ports.iter().any(|p| listening.contains(p)))
        {
            out.extend(of);
        }
    }
    out
}

fn show(l: &PortLink, bad: bool) -> String {
    let ports: Vec<String> = l.ports.iter().map(u16::to_string).collect();
    let how = if l.how.is_empty() {
        String::new()
    } else {
        format!(", {}", l.how)
    };
    format!(
        "{} {} ({}:{}{how}){}",
        l.kind.label(),
        ports.join(", "),
        l.file,
        l.line,
        if bad { " <- mismatch" } else { "" }
    )
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for chain in chains(cx.facts, cx.graph) {
        let bad = broken(&chain);
        let Some(first) = bad.first() else { continue };
        let links: Vec<String> = chain
            .links
            .iter()
            .map(|l| show(l, bad.iter().any(|b| std::ptr::eq(*b, l))))
            .collect();
        out.emit(
            Location::new(&first.file, first.line),
            format!(
                "port chain of service `{}` is broken: it listens on {}, but {}. Chain: {}",
                chain.name,
                chain
                    .listening()
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                {
                    let mut kinds: Vec<&str> = bad.iter().map(|l| l.kind.label()).collect();
                    kinds.dedup();
                    format!(
                        "{} name only other ports; make them the same number",
                        kinds.join(" and ")
                    )
                },
                links.join("; ")
            ),
            format!("port chain of {}", crate::paths::display(&chain.service)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const PKG: &str =
        r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#;
    const SERVER: &str = "const express = require('express');\nconst app = express();\nconst port = process.env.PORT || 3000;\napp.listen(port);\n";

    #[test]
    fn flags_code_port_that_the_chain_does_not_carry() {
        let f = findings_of(
            "KR511",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                (
                    "Dockerfile",
                    "FROM node:20\nCOPY . .\nEXPOSE 8080\nCMD [\"node\", \"server.js\"]\n",
                ),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: .\n    ports: [\"80:8080\"]\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("Dockerfile", 3)
        );
        assert!(f[0].message.contains("listens on 3000"), "{f:?}");
        assert!(f[0].message.contains("server.js:4"), "{f:?}");
        assert!(f[0].message.contains("compose.yaml:4"), "{f:?}");
        // KR510 stays quiet: the chain covers this service.
        let f510 = findings_of(
            "KR510",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                ("Dockerfile", "FROM node:20\nEXPOSE 8080\n"),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: .\n    ports: [\"80:80\"]\n",
                ),
            ],
        );
        assert!(f510.is_empty(), "{f510:?}");
    }

    #[test]
    fn clean_when_the_variable_carries_the_port() {
        let f = findings_of(
            "KR511",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                (
                    "Dockerfile",
                    "FROM node:20\nCOPY . .\nENV PORT=8080\nEXPOSE 8080\n",
                ),
                (
                    "compose.yaml",
                    "services:\n  api:\n    build: .\n    ports: [\"80:8080\"]\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        let f = findings_of(
            "KR511",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                ("Dockerfile", "FROM node:20\nCOPY . .\nEXPOSE 3000\n"),
                ("compose.yaml", "services:\n  api:\n    build: .\n    env_file: .env\n    ports: [\"80:8080\"]\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        // `- PORT` with no value: passed through from the environment.
        let f = findings_of(
            "KR511",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                ("Dockerfile", "FROM node:20\nCOPY . .\nEXPOSE 8080\n"),
                ("compose.yaml", "services:\n  api:\n    build: .\n    environment: [PORT]\n    ports: [\"80:8080\"]\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
