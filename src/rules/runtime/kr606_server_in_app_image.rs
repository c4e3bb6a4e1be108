use super::{dockerfiles_of, services};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR606",
    name: "backing-server-in-app-image",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "An application image installs a database, cache or broker server",
    what: "Reports an `apt-get`/`apt`/`apk`/`yum`/`dnf`/`microdnf` install, in the final stage (or a stage it is built on) of a Dockerfile that builds a detected service, of a database, cache or broker *server* package: `postgresql` (the server metapackage), `postgresql-server`, `mysql-server`, `mariadb-server`, `redis-server`, `redis` (apt and apk), `mongodb-org`, `memcached`, `rabbitmq-server`; on Alpine also `mysql`, `mariadb` and `postgresql` themselves. Client packages (`postgresql-client`, `libpq-dev`, `redis-tools`, `mariadb-client`) are not reported, nor are images that build no detected service (a custom database image).",
    why: "One process per container: a database inside the application image starts with it, dies with it, keeps its data in the container's writable layer and cannot be scaled, backed up or upgraded on its own. Run it as its own Compose service or a managed service, and point the application at it through an environment variable.",
    bad: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends postgresql redis-server\n",
    good: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5\n# compose.yaml runs postgres:16 and redis:7 as their own services\n",
};

declare_rule!();

/// Server packages of every package manager.
const SERVERS: &[&str] = &[
    "postgresql-server",
    "mysql-server",
    "mariadb-server",
    "redis-server",
    "mongodb-org",
    "mongodb-org-server",
    "memcached",
    "rabbitmq-server",
];

/// Names that are the server only on Alpine (`apk`), or on Debian too
/// (`postgresql`, `redis` are server metapackages there).
const APK_SERVERS: &[&str] = &["mysql", "mariadb", "postgresql", "redis", "mongodb"];
const APT_SERVERS: &[&str] = &["postgresql", "redis"];

fn server_packages(cmd: &crate::rules::dockerfile::support::Cmd) -> Vec<String> {
    let name = cmd.name();
    let extra: &[&str] = match name {
        "apk" if cmd.has_arg("add") => APK_SERVERS,
        "apt-get" | "apt" if cmd.has_arg("install") => APT_SERVERS,
        "yum" | "dnf" | "microdnf" if cmd.has_arg("install") => &[],
        _ => return Vec::new(),
    };
    cmd.args()
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(|a| {
            // `postgresql=15.3-1`, `redis~=7`, `mariadb-server-10.5`
            let p = a.split(['=', '~', '>', '<']).next().unwrap_or(a);
            p.to_string()
        })
        .filter(|p| {
            SERVERS.contains(&p.as_str())
                || extra.contains(&p.as_str())
                || p.strip_prefix("postgresql-")
                    .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
                    && name != "apk"
        })
        .collect()
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, svc) in services(cx) {
        for (df, _) in dockerfiles_of(cx, i) {
            if !seen.insert(df.path().to_string()) {
                continue;
            }
            let chain = df.final_chain();
            // An application image copies the application in; one that
            // copies nothing is an infrastructure image (a database image
            // kept in the service's folder).
            if !chain
                .iter()
                .any(|i| matches!(i.keyword(), Keyword::Copy | Keyword::Add))
            {
                continue;
            }
            for inst in chain {
                if *inst.keyword() != Keyword::Run {
                    continue;
                }
                let Some(sh) = df.shell(&inst) else { continue };
                let pkgs: Vec<String> = sh.cmds.iter().flat_map(server_packages).collect();
                if pkgs.is_empty() {
                    continue;
                }
                out.emit(
                    df.loc(inst.line()),
                    format!(
                        "the image of service `{}` installs {}: a database, cache or broker server inside the application container; run it as its own service (Compose service, managed service) and point the application at it through an environment variable",
                        svc.name,
                        pkgs.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                    ),
                    crate::rules::dockerfile::support::subject(inst.ins),
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

    #[test]
    fn flags_server_packages_in_final_stage() {
        let f = findings_of(
            "KR606",
            &[
                ("package.json", PKG),
                ("Dockerfile", "FROM node:20 AS build\nRUN apt-get install -y redis-server\nFROM node:20-alpine\nRUN apk add --no-cache postgresql redis\nCOPY . .\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
        assert!(f[0].message.contains("`postgresql`, `redis`"), "{f:?}");
    }

    #[test]
    fn clean_with_clients_or_without_service() {
        let f = findings_of(
            "KR606",
            &[
                ("package.json", PKG),
                ("Dockerfile", "FROM node:20\nCOPY . .\nRUN apt-get install -y postgresql-client redis-tools libpq-dev && apk add mariadb-client\n"),
                ("db/Dockerfile", "FROM debian:12\nRUN apt-get install -y postgresql\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
