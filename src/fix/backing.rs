//! The backing services (databases, caches, brokers) a service's code
//! needs, for the Compose scaffold: from the client libraries its manifest
//! declares, and from what the audit already found (connection variables
//! in committed `.env` templates, backing-service URLs in the code's
//! config), judged with the `stateful-services` section's own tables.

use crate::audit::Audit;
use crate::inventory::Service;
use crate::parse::manifest::Language;
use crate::parse::runtime::SignalKind;
use crate::sections::stateful_services::engines::engine_of_variable;
use std::path::Path;

/// The engines the Compose scaffold can run, in the order it writes them.
pub(super) const ENGINES: &[&str] = &["postgres", "mysql", "mongodb", "redis", "rabbitmq", "kafka"];

const POSTGRES: &str = include_str!("../../templates/compose/backing/postgres.yml.tmpl");
const MYSQL: &str = include_str!("../../templates/compose/backing/mysql.yml.tmpl");
const MONGODB: &str = include_str!("../../templates/compose/backing/mongodb.yml.tmpl");
const REDIS: &str = include_str!("../../templates/compose/backing/redis.yml.tmpl");
const RABBITMQ: &str = include_str!("../../templates/compose/backing/rabbitmq.yml.tmpl");
const KAFKA: &str = include_str!("../../templates/compose/backing/kafka.yml.tmpl");

/// Client libraries by language: (dependency, engine).
const CLIENTS: &[(Language, &[(&str, &str)])] = &[
    (
        Language::Node,
        &[
            ("pg", "postgres"),
            ("postgres", "postgres"),
            ("pg-promise", "postgres"),
            ("mysql", "mysql"),
            ("mysql2", "mysql"),
            ("mongodb", "mongodb"),
            ("mongoose", "mongodb"),
            ("redis", "redis"),
            ("ioredis", "redis"),
            ("amqplib", "rabbitmq"),
            ("amqp-connection-manager", "rabbitmq"),
            ("kafkajs", "kafka"),
        ],
    ),
    (
        Language::Python,
        &[
            ("psycopg2", "postgres"),
            ("psycopg2-binary", "postgres"),
            ("psycopg", "postgres"),
            ("asyncpg", "postgres"),
            ("pymysql", "mysql"),
            ("mysqlclient", "mysql"),
            ("mysql-connector-python", "mysql"),
            ("pymongo", "mongodb"),
            ("motor", "mongodb"),
            ("redis", "redis"),
            ("pika", "rabbitmq"),
            ("aio-pika", "rabbitmq"),
            ("kafka-python", "kafka"),
            ("confluent-kafka", "kafka"),
            ("aiokafka", "kafka"),
        ],
    ),
    (
        Language::Go,
        &[
            ("github.com/lib/pq", "postgres"),
            ("github.com/jackc/pgx", "postgres"),
            ("github.com/go-sql-driver/mysql", "mysql"),
            ("go.mongodb.org/mongo-driver", "mongodb"),
            ("github.com/redis/go-redis", "redis"),
            ("github.com/go-redis/redis", "redis"),
            ("github.com/rabbitmq/amqp091-go", "rabbitmq"),
            ("github.com/streadway/amqp", "rabbitmq"),
            ("github.com/segmentio/kafka-go", "kafka"),
            ("github.com/IBM/sarama", "kafka"),
            ("github.com/Shopify/sarama", "kafka"),
        ],
    ),
    (
        Language::Rust,
        &[
            ("tokio-postgres", "postgres"),
            ("postgres", "postgres"),
            ("mysql", "mysql"),
            ("mysql_async", "mysql"),
            ("mongodb", "mongodb"),
            ("redis", "redis"),
            ("lapin", "rabbitmq"),
            ("rdkafka", "kafka"),
        ],
    ),
    (
        Language::Java,
        &[
            ("postgresql", "postgres"),
            ("r2dbc-postgresql", "postgres"),
            ("mysql-connector-j", "mysql"),
            ("mysql-connector-java", "mysql"),
            ("mongodb-driver-sync", "mongodb"),
            ("spring-boot-starter-data-mongodb", "mongodb"),
            ("spring-boot-starter-data-redis", "redis"),
            ("jedis", "redis"),
            ("spring-boot-starter-amqp", "rabbitmq"),
            ("amqp-client", "rabbitmq"),
            ("kafka-clients", "kafka"),
            ("spring-kafka", "kafka"),
        ],
    ),
    (
        Language::Dotnet,
        &[
            ("Npgsql", "postgres"),
            ("Npgsql.EntityFrameworkCore.PostgreSQL", "postgres"),
            ("MySqlConnector", "mysql"),
            ("MySql.Data", "mysql"),
            ("Pomelo.EntityFrameworkCore.MySql", "mysql"),
            ("MongoDB.Driver", "mongodb"),
            ("StackExchange.Redis", "redis"),
            ("RabbitMQ.Client", "rabbitmq"),
            ("Confluent.Kafka", "kafka"),
        ],
    ),
    (
        Language::Ruby,
        &[
            ("pg", "postgres"),
            ("mysql2", "mysql"),
            ("mongoid", "mongodb"),
            ("mongo", "mongodb"),
            ("redis", "redis"),
            ("bunny", "rabbitmq"),
            ("ruby-kafka", "kafka"),
            ("rdkafka", "kafka"),
        ],
    ),
    (
        Language::Php,
        &[
            ("ext-pgsql", "postgres"),
            ("ext-pdo_pgsql", "postgres"),
            ("ext-pdo_mysql", "mysql"),
            ("ext-mysqli", "mysql"),
            ("mongodb/mongodb", "mongodb"),
            ("predis/predis", "redis"),
            ("ext-redis", "redis"),
            ("php-amqplib/php-amqplib", "rabbitmq"),
        ],
    ),
    (
        Language::Elixir,
        &[
            ("postgrex", "postgres"),
            ("myxql", "mysql"),
            ("mongodb_driver", "mongodb"),
            ("redix", "redis"),
            ("amqp", "rabbitmq"),
            ("brod", "kafka"),
            ("kafka_ex", "kafka"),
        ],
    ),
];

/// Whether a name is one the scaffold gives a backing service.
pub(super) fn is_engine_name(name: &str) -> bool {
    ENGINES.contains(&name)
}

/// The Compose service block of an engine (two-space indented), with a
/// named data volume when `volume` is set.
pub(super) fn service_block(engine: &str, volume: bool) -> String {
    let (template, mount) = match engine {
        "postgres" => (POSTGRES, "/var/lib/postgresql/data"),
        "mysql" => (MYSQL, "/var/lib/mysql"),
        "mongodb" => (MONGODB, "/data/db"),
        "redis" => (REDIS, ""),
        "rabbitmq" => (RABBITMQ, ""),
        _ => (KAFKA, ""),
    };
    let volume = if volume && !mount.is_empty() {
        format!("    volumes:\n      - {engine}-data:{mount}")
    } else {
        String::new()
    };
    super::render(template, &[("VOLUME", volume)])
}

/// Whether an engine's service keeps data in a named volume.
pub(super) fn has_volume(engine: &str) -> bool {
    matches!(engine, "postgres" | "mysql" | "mongodb")
}

/// The variable an app service gets to reach an engine, with its default.
pub(super) fn connection(engine: &str) -> (&'static str, &'static str) {
    match engine {
        "postgres" => ("DATABASE_URL", "postgres://app:app@postgres:5432/app"),
        "mysql" => ("DATABASE_URL", "mysql://app:app@mysql:3306/app"),
        "mongodb" => ("MONGODB_URI", "mongodb://mongodb:27017/app"),
        "redis" => ("REDIS_URL", "redis://redis:6379/0"),
        "rabbitmq" => ("AMQP_URL", "amqp://app:app@rabbitmq:5672/"),
        _ => ("KAFKA_BROKERS", "kafka:9092"),
    }
}

/// The engines one service needs, from its manifest's client libraries
/// and the backing-service URLs its config names.
pub(super) fn of_service(root: &Path, audit: &Audit, s: &Service) -> Vec<&'static str> {
    let dir = root.join(&s.path);
    let mut found: Vec<&'static str> = Vec::new();
    let clients = CLIENTS
        .iter()
        .find(|(l, _)| *l == s.language)
        .map(|(_, c)| *c)
        .unwrap_or(&[]);
    for text in manifest_texts(&dir, s) {
        for (dep, engine) in clients {
            if declares(s.language, &text, dep) {
                found.push(engine);
            }
        }
    }
    for signal in audit.facts.runtime.of(&s.path) {
        if let SignalKind::LocalhostBacking { key } = &signal.kind {
            let url = format!(
                "{}://",
                key.to_ascii_lowercase().trim_start_matches("jdbc:")
            );
            if let Some(e) = engine_of_variable("URL", Some(&url)) {
                found.extend(ENGINES.iter().find(|x| **x == e));
            }
        }
    }
    sorted(found)
}

/// Engines the repository's committed `.env` templates point at
/// (`DATABASE_URL=postgres://...`, `REDIS_HOST=...`).
pub(super) fn of_repository(root: &Path, audit: &Audit) -> Vec<&'static str> {
    let mut found = Vec::new();
    for t in &audit.facts.devenv.env_templates {
        let text = std::fs::read_to_string(root.join(t)).unwrap_or_default();
        for line in text.lines() {
            let line = line.trim().trim_start_matches("export ");
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']);
            let value = (!value.is_empty()).then_some(value);
            if let Some(e) = engine_of_variable(key.trim(), value) {
                found.extend(ENGINES.iter().find(|x| **x == e));
            }
        }
    }
    sorted(found)
}

fn sorted(mut found: Vec<&'static str>) -> Vec<&'static str> {
    found.sort_by_key(|e| ENGINES.iter().position(|x| x == e));
    found.dedup();
    found
}

/// The manifest files of a service that list its dependencies.
fn manifest_texts(dir: &Path, s: &Service) -> Vec<String> {
    let manifest = s.manifest.rsplit('/').next().unwrap_or("");
    let mut files: Vec<&str> = vec![manifest];
    if s.language == Language::Python {
        files.extend(["requirements.txt", "pyproject.toml", "setup.py", "Pipfile"]);
    }
    if s.language == Language::Java {
        files.extend(["pom.xml", "build.gradle", "build.gradle.kts"]);
    }
    files.sort();
    files.dedup();
    files
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(dir.join(f)).ok())
        .collect()
}

/// Whether a manifest's text declares a dependency, in its language's
/// notation (a JSON key, a requirement line, a module path, a TOML key,
/// an artifact id, a package reference, a gem, a mix tuple).
fn declares(language: Language, text: &str, dep: &str) -> bool {
    match language {
        Language::Node | Language::Php => {
            let key = if language == Language::Node {
                "dependencies"
            } else {
                "require"
            };
            serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get(key).and_then(|d| d.get(dep)).map(|_| ()))
                .is_some()
        }
        Language::Python => text.lines().any(|l| {
            let l = l
                .trim()
                .trim_start_matches(['"', '\''])
                .to_ascii_lowercase();
            l.strip_prefix(dep).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with(|c: char| "=<>~![; \"',".contains(c))
            })
        }),
        Language::Go => text.lines().any(|l| {
            let l = l.trim().trim_start_matches("require").trim();
            l.starts_with(dep) && l[dep.len()..].starts_with(['/', ' ', '\t'])
        }),
        Language::Rust => text.lines().any(|l| {
            let l = l.trim();
            l.strip_prefix(dep).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with('=') || rest.starts_with(".workspace")
            })
        }),
        Language::Java => {
            text.contains(&format!("<artifactId>{dep}</artifactId>"))
                || text.contains(&format!(":{dep}:"))
                || text.contains(&format!(":{dep}\""))
                || text.contains(&format!(":{dep}'"))
        }
        Language::Dotnet => text.contains(&format!("Include=\"{dep}\"")),
        Language::Ruby => {
            text.contains(&format!("gem \"{dep}\"")) || text.contains(&format!("gem '{dep}'"))
        }
        Language::Elixir => text.contains(&format!("{{:{dep},")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn dependencies_in_each_notation() {
        assert!(declares(
            Language::Node,
            r#"{"dependencies":{"pg":"8"}}"#,
            "pg"
        ));
        assert!(!declares(
            Language::Node,
            r#"{"dependencies":{"pg-mem":"8"}}"#,
            "pg"
        ));
        assert!(!declares(Language::Node, r#"{"keywords":["pg"]}"#, "pg"));
        assert!(declares(
            Language::Python,
            "Flask==3\npsycopg[binary]>=3\n",
            "psycopg"
        ));
        assert!(!declares(
            Language::Python,
            "psycopg2-binary==2\n",
            "psycopg"
        ));
        assert!(declares(Language::Python, "redis\n", "redis"));
        assert!(declares(
            Language::Go,
            "require (\n\tgithub.com/jackc/pgx/v5 v5.5.0\n)\n",
            "github.com/jackc/pgx"
        ));
        assert!(declares(
            Language::Rust,
            "redis = { version = \"0.25\" }\n",
            "redis"
        ));
        assert!(!declares(Language::Rust, "redis-test = \"1\"\n", "redis"));
        assert!(declares(
            Language::Java,
            "<artifactId>postgresql</artifactId>",
            "postgresql"
        ));
        assert!(declares(
            Language::Java,
            "implementation 'org.springframework.kafka:spring-kafka:3.1'",
            "spring-kafka"
        ));
        assert!(declares(
            Language::Dotnet,
            "<PackageReference Include=\"Npgsql\" Version=\"8\" />",
            "Npgsql"
        ));
        assert!(declares(Language::Ruby, "gem 'pg', '~> 1.5'\n", "pg"));
        assert!(declares(
            Language::Elixir,
            "{:postgrex, \">= 0.0.0\"}",
            "postgrex"
        ));
    }

    #[test]
    fn every_engine_has_a_block_with_a_healthcheck() {
        for e in ENGINES {
            let block = service_block(e, true);
            assert!(block.starts_with(&format!("  {e}:\n")), "{block}");
            assert!(block.contains("    healthcheck:\n"), "{block}");
            assert_eq!(block.contains("-data:"), has_volume(e), "{block}");
        }
    }
}
