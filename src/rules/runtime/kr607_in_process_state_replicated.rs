use super::{compose_services, services, signals, workloads};
use crate::finding::{Location, Severity};
use crate::parse::runtime::SignalKind;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR607",
    name: "in-process-state-replicated",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A service keeps sessions or caches in process memory while it runs with more than one replica",
    what: "Reports in-process sessions or caches in a detected service's own code or production config (express-session without a `store`, whose default is MemoryStore, or an explicit `MemoryStore`; Flask-Caching `SimpleCache`; Rails `config.cache_store = :memory_store` in `production.rb`; ASP.NET sessions over `AddDistributedMemoryCache`) when the service runs with more than one replica: a Compose service with `deploy.replicas` or `scale` above 1, or a Kubernetes workload with `replicas` above 1 or a HorizontalPodAutoscaler of the same name.",
    why: "Each replica has its own memory: behind a load balancer a user's session exists on one replica only, so they are logged out (or lose a cart) whenever a request lands on another, and caches disagree between replicas. Keep sessions and shared caches in Redis, Memcached or a database.",
    bad: "// server.js\napp.use(session({ secret: process.env.SECRET }));\n# deployment.yaml: replicas: 3\n",
    good: "// server.js\napp.use(session({ store: new RedisStore({ client: redis }), secret: process.env.SECRET }));\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        let mut why: Vec<String> = Vec::new();
        for c in compose_services(cx, i) {
            if let Some(s) = &c.scale {
                if s.value.trim().parse::<i64>().is_ok_and(|n| n > 1) {
                    why.push(format!(
                        "Compose service `{}` runs {} replicas ({}:{})",
                        c.name,
                        s.value.trim(),
                        s.file,
                        s.line
                    ));
                }
            }
        }
        for w in workloads(cx, i) {
            if let Some(n) = w.replicas.filter(|n| *n > 1) {
                why.push(format!(
                    "{} `{}` runs {n} replicas ({}:{})",
                    w.kind, w.name, w.file, w.line
                ));
            } else if let Some(h) = cx
                .facts
                .orchestration
                .objects
                .iter()
                .find(|o| o.kind == "HorizontalPodAutoscaler" && o.name == w.name)
            {
                why.push(format!(
                    "HorizontalPodAutoscaler `{}` scales {} `{}` ({}:{})",
                    h.name, w.kind, w.name, h.file, h.line
                ));
            }
        }
        if why.is_empty() {
            continue;
        }
        for s in signals(cx, svc) {
            if let SignalKind::InProcessState { via } = &s.kind {
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "service `{}` keeps state in process memory ({via}) but {}: each replica sees its own sessions/cache; use a shared store (Redis, Memcached, a database)",
                        svc.name,
                        why.join("; ")
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

    const PKG: &str = r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4","express-session":"1"}}"#;
    const SERVER: &str = "const express = require('express');\nconst session = require('express-session');\nconst app = express();\napp.use(session({ secret: 'x' }));\napp.listen(3000);\n";

    #[test]
    fn flags_memory_sessions_with_replicas() {
        let f = findings_of(
            "KR607",
            &[
                ("package.json", PKG),
                ("server.js", SERVER),
                ("Dockerfile", "FROM node:20\nCOPY . .\n"),
                (
                    "compose.yaml",
                    "services:\n  web:\n    build: .\n    deploy:\n      replicas: 3\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
    }

    #[test]
    fn clean_with_one_replica_or_a_store() {
        let files = |server: &'static str, compose: &'static str| {
            vec![
                ("package.json", PKG),
                ("server.js", server),
                ("Dockerfile", "FROM node:20\nCOPY . .\n"),
                ("compose.yaml", compose),
            ]
        };
        assert!(
            findings_of("KR607", &files(SERVER, "services:\n  web:\n    build: .\n")).is_empty()
        );
        let stored = "const express = require('express');\nconst session = require('express-session');\napp.use(session({ store: new RedisStore({}), secret: 'x' }));\n";
        assert!(findings_of(
            "KR607",
            &files(stored, "services:\n  web:\n    build: .\n    scale: 2\n")
        )
        .is_empty());
    }
}
