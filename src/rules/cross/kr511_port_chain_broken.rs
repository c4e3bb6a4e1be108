use crate::finding::{Location, Severity};
use crate::graph::ports::{LinkKind, PortChain, PortLink};
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR511",
    name: "port-chain-broken",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "The port a service's code listens on is not the port its Dockerfile, Compose or Kubernetes config sends traffic to",
    what: "Builds one port chain per detected service: the port its code listens on, from the framework's own call or config (Express/Fastify/Koa/Nest `listen(process.env.PORT || 3000)`, Flask/FastAPI `run(port=)`, gunicorn/uvicorn/`flask run`/`runserver` `--port`/`--bind` in the image's `CMD`/`ENTRYPOINT` or a Procfile, Go `\":8080\"` listen addresses, Spring `server.port`, Kestrel URLs, Puma `port`, Phoenix `http: [port: ...]`), with `PORT`-style variables followed to the value the Dockerfile `ENV`, Compose `environment` or Kubernetes `env` gives them (their default when nothing sets them; unknown when an `env_file` or a Kubernetes workload may set them); then the Dockerfile's `EXPOSE` (final stage and the stages it is built on), Compose `ports` (container side) and `expose`, Compose `healthcheck`s that call a local port (`curl -f http://localhost:8080/health`), the workloads' `containerPort`s and probes (`httpGet`/`tcpSocket`/`grpc` port), the `targetPort`s of the Services selecting them (a named target resolved to the pod's `containerPort` of that name, none meaning the Service `port`) and the Ingress backends sending to those Services (followed through the Service port to its target). Reports the chain, once, with every link's file:line, when some kind of link names only ports the application does not listen on; a health check or probe may also call a port that another link declares (a management port). Service ports sent to a sidecar's port, templated ports and named ports that resolve to nothing are left out. `KR510` keeps judging `EXPOSE` against Compose `ports` for services whose listening port is not found.",
    why: "Each hop forwards to a port number written somewhere else; when one of them differs from the port the process listens on, the container starts, looks healthy to Docker, and every request through that hop gets `connection refused`. Seeing the whole chain shows which number to change.",
    bad: "// server.js\napp.listen(process.env.PORT || 3000);\n# Dockerfile\nEXPOSE 8080\n# compose.yaml\nports: [\"80:8080\"]\n# deployment.yaml\nreadinessProbe: {httpGet: {path: /health, port: 8080}}\n",
    good: "// server.js\napp.listen(process.env.PORT || 8080);\n# Dockerfile\nEXPOSE 8080\n# compose.yaml\nports: [\"80:8080\"]\n# deployment.yaml\nreadinessProbe: {httpGet: {path: /health, port: 8080}}\n",
};

declare_rule!();

/// The links that name none of the listening ports, when a whole kind of
/// link misses them. A health check may call a second port of the
/// application (a management port): its port counts when another kind of
/// link (`EXPOSE`, Compose ports, `containerPort`, a Service) names it too.
fn broken(chain: &PortChain) -> Vec<&PortLink> {
    let listening = chain.listening();
    let declared: Vec<u16> = chain
        .links
        .iter()
        .filter(|l| {
            !l.kind.checks_health() && !matches!(l.kind, LinkKind::Code | LinkKind::Command)
        })
        .flat_map(|l| l.ports.iter().copied())
        .collect();
    let mut out = Vec::new();
    for kind in [
        LinkKind::Expose,
        LinkKind::ComposePorts,
        LinkKind::ComposeExpose,
        LinkKind::ComposeHealthcheck,
        LinkKind::ContainerPort,
        LinkKind::Probe,
        LinkKind::TargetPort,
        LinkKind::Ingress,
    ] {
        let of: Vec<&PortLink> = chain.links.iter().filter(|l| l.kind == kind).collect();
        let hit = |p: &u16| listening.contains(p) || (kind.checks_health() && declared.contains(p));
        if !of.is_empty() && !of.iter().any(|l| l.ports.iter().any(hit)) {
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
    for chain in &cx.graph.port_chains {
        let bad = broken(chain);
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

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n      - name: api\n        image: example.com/api:1\n        ports:\n        - {name: http, containerPort: 3000}\n        readinessProbe:\n          httpGet: {path: /health, port: PROBE}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports:\n  - {name: web, port: 80, targetPort: TARGET}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: api}\nspec:\n  defaultBackend:\n    service: {name: api, port: {number: INGRESS}}\n";

    fn k8s_files(probe: &str, target: &str, ingress: &str) -> Vec<(&'static str, String)> {
        vec![
            ("package.json", PKG.to_string()),
            ("server.js", "const express = require('express');\nconst app = express();\napp.listen(3000);\n".to_string()),
            ("Dockerfile", "FROM node:20\nCOPY . .\nEXPOSE 3000\n".to_string()),
            (".github/workflows/ci.yml", "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t example.com/api:1 .\n".to_string()),
            (
                "k8s/api.yaml",
                DEPLOY
                    .replace("PROBE", probe)
                    .replace("TARGET", target)
                    .replace("INGRESS", ingress),
            ),
        ]
    }

    fn run(files: &[(&'static str, String)]) -> Vec<crate::finding::Finding> {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        findings_of("KR511", &files)
    }

    #[test]
    fn flags_probe_service_and_ingress_links() {
        // The probe calls a port nothing else declares.
        let f = run(&k8s_files("8081", "http", "80"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 15, "{f:?}");
        assert!(
            f[0].message.contains("probe 8081 (k8s/api.yaml:15"),
            "{f:?}"
        );
        assert!(
            f[0].message.contains(
                "Service targetPort 3000 (k8s/api.yaml:23, Service `api` (named `http`))"
            ),
            "{f:?}"
        );
        assert!(f[0].message.contains("Ingress backend 3000 (k8s/api.yaml:30, Ingress `api` -> Service `api` port 80 (named `http`))"), "{f:?}");
        // The Service sends to 8080: the targetPort and the Ingress through it break.
        let f = run(&k8s_files("http", "8080", "web"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("Service targetPort and Ingress backend name only other ports"),
            "{f:?}"
        );
        assert!(
            f[0].message.contains("probe 3000 (k8s/api.yaml:15"),
            "{f:?}"
        );
    }

    #[test]
    fn clean_when_probe_service_and_ingress_agree() {
        assert!(run(&k8s_files("http", "http", "80")).is_empty());
        assert!(run(&k8s_files("3000", "3000", "web")).is_empty());
        // A templated or unknown name says nothing.
        assert!(run(&k8s_files("metrics", "\"{{ .Values.port }}\"", "81")).is_empty());
    }

    #[test]
    fn compose_healthcheck_is_a_link() {
        let compose = |test: &str| {
            format!("services:\n  api:\n    build: .\n    ports: [\"80:3000\"]\n    healthcheck:\n      test: {test}\n")
        };
        let files = |test: &str| {
            vec![
                ("package.json", PKG.to_string()),
                ("server.js", "const express = require('express');\nconst app = express();\napp.listen(3000);\n".to_string()),
                ("Dockerfile", "FROM node:20\nCOPY . .\nEXPOSE 3000 9000\n".to_string()),
                ("compose.yaml", compose(test)),
            ]
        };
        let f = run(&files(
            "[\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/health\"]",
        ));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("compose.yaml", 6)
        );
        assert!(f[0].message.contains("Compose healthcheck 8080"), "{f:?}");
        assert!(run(&files("curl -f http://localhost:3000/health || exit 1")).is_empty());
        // A second port the image declares (a management port).
        assert!(run(&files("wget -qO- http://127.0.0.1:9000/health")).is_empty());
    }
}
