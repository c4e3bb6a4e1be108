//! What an image, a name, a port or a connection variable says about a
//! database, cache or broker: the catalogue of known engines, the tools
//! around them that are not engines, ambassadors and managed hosts. Pure
//! functions over strings; the section's collector asks them.

use crate::image_ref::ImageRef;

/// Known engines: (token in an image name, engine, category, default port).
const ENGINES: &[(&str, &str, &str, u32)] = &[
    ("postgres", "postgres", "database", 5432),
    ("postgresql", "postgres", "database", 5432),
    ("postgis", "postgres", "database", 5432),
    ("timescaledb", "postgres", "database", 5432),
    ("pgvector", "postgres", "database", 5432),
    ("mysql", "mysql", "database", 3306),
    ("mariadb", "mysql", "database", 3306),
    ("percona", "mysql", "database", 3306),
    ("mongo", "mongodb", "database", 27017),
    ("mongodb", "mongodb", "database", 27017),
    ("mssql", "sqlserver", "database", 1433),
    ("cockroach", "cockroachdb", "database", 26257),
    ("cockroachdb", "cockroachdb", "database", 26257),
    ("cassandra", "cassandra", "database", 9042),
    ("scylla", "cassandra", "database", 9042),
    ("couchdb", "couchdb", "database", 5984),
    ("couchbase", "couchbase", "database", 8091),
    ("clickhouse", "clickhouse", "database", 9000),
    ("influxdb", "influxdb", "database", 8086),
    ("neo4j", "neo4j", "database", 7687),
    ("redis", "redis", "cache", 6379),
    ("valkey", "redis", "cache", 6379),
    ("keydb", "redis", "cache", 6379),
    ("dragonfly", "redis", "cache", 6379),
    ("memcached", "memcached", "cache", 11211),
    ("rabbitmq", "rabbitmq", "broker", 5672),
    ("kafka", "kafka", "broker", 9092),
    ("redpanda", "kafka", "broker", 9092),
    ("nats", "nats", "broker", 4222),
    ("pulsar", "pulsar", "broker", 6650),
    ("activemq", "activemq", "broker", 61616),
    ("zookeeper", "zookeeper", "coordination", 2181),
    ("etcd", "etcd", "coordination", 2379),
    ("elasticsearch", "elasticsearch", "search engine", 9200),
    ("opensearch", "elasticsearch", "search engine", 9200),
    ("minio", "minio", "object store", 9000),
];

/// Name parts that make an image a tool around an engine, not the engine.
const NOT_ENGINE: &[&str] = &[
    "exporter",
    "operator",
    "ui",
    "commander",
    "express",
    "admin",
    "dashboards",
    "insight",
    "client",
    "cli",
    "connect",
    "proxy",
    "bouncer",
    "backup",
    "migrate",
    "migrations",
    "init",
];

/// Proxies that make an ambassador in front of an external engine.
const AMBASSADORS: &[&str] = &[
    "cloud-sql-proxy",
    "cloudsql-proxy",
    "gce-proxy",
    "pgbouncer",
    "proxysql",
    "twemproxy",
    "nutcracker",
    "haproxy",
    "socat",
    "ambassador",
    "rds-proxy",
    "alloydb-auth-proxy",
];

/// Host suffixes of managed services.
const MANAGED: &[&str] = &[
    ".rds.amazonaws.com",
    ".cache.amazonaws.com",
    ".docdb.amazonaws.com",
    ".kafka.amazonaws.com",
    ".mq.amazonaws.com",
    ".es.amazonaws.com",
    ".database.windows.net",
    ".database.azure.com",
    ".redis.cache.windows.net",
    ".documents.azure.com",
    ".servicebus.windows.net",
    ".mongodb.net",
    ".cloudsql",
    "cloudsql/",
    ".memorystore",
    ".upstash.io",
    ".neon.tech",
    ".supabase.co",
    ".aivencloud.com",
    ".elastic-cloud.com",
    ".cloud.es.io",
    ".confluent.cloud",
    ".cloudamqp.com",
    ".planetscale.com",
    ".psdb.cloud",
    ".redislabs.com",
    ".redis-cloud.com",
    ".digitalocean.com",
];

pub(crate) fn engine_of_image(image: &str) -> Option<(&'static str, &'static str)> {
    let r = ImageRef::parse(image);
    let segments: Vec<&str> = r.repository.split('/').collect();
    let last = segments
        .last()
        .copied()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let last_tokens: Vec<&str> = last.split(['-', '_', '.']).collect();
    if last_tokens.iter().any(|t| NOT_ENGINE.contains(t)) || is_ambassador_image(image) {
        return None;
    }
    let all = r.repository.to_ascii_lowercase();
    for token in all.split(['/', '-', '_', '.']) {
        if let Some((_, engine, category, _)) = ENGINES.iter().find(|(t, ..)| *t == token) {
            return Some((engine, category));
        }
    }
    None
}

pub(super) fn engine_of_port(port: u32) -> Option<&'static str> {
    ENGINES
        .iter()
        .find(|(_, engine, _, p)| *p == port && *engine != "minio" && *engine != "clickhouse")
        .map(|(_, e, ..)| *e)
}

pub(super) fn engine_of_name(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let tokens: Vec<&str> = lower.split(['/', '-', '_', '.']).collect();
    if tokens.iter().any(|t| NOT_ENGINE.contains(t)) {
        return None;
    }
    tokens.into_iter().find_map(|t| {
        ENGINES
            .iter()
            .find(|(k, ..)| *k == t)
            .map(|(_, e, ..)| *e)
            .or(match t {
                "pg" | "psql" => Some("postgres"),
                _ => None,
            })
    })
}

pub(super) fn category_of(engine: &str) -> &'static str {
    ENGINES
        .iter()
        .find(|(_, e, ..)| *e == engine)
        .map(|(.., c, _)| *c)
        .unwrap_or("database")
}

pub(super) fn is_ambassador_image(image: &str) -> bool {
    let r = ImageRef::parse(image);
    let repo = r.repository.to_ascii_lowercase();
    AMBASSADORS.iter().any(|a| repo.contains(a))
}

/// The engine a connection variable points at, from its key and value.
pub(crate) fn engine_of_variable(key: &str, value: Option<&str>) -> Option<&'static str> {
    let k = key.to_ascii_uppercase();
    if let Some(v) = value {
        let lower = v.to_ascii_lowercase();
        for (scheme, engine) in [
            ("postgres://", "postgres"),
            ("postgresql://", "postgres"),
            ("postgresql+", "postgres"),
            ("jdbc:postgresql:", "postgres"),
            ("mysql://", "mysql"),
            ("mysql+", "mysql"),
            ("jdbc:mysql:", "mysql"),
            ("mariadb://", "mysql"),
            ("mongodb://", "mongodb"),
            ("mongodb+srv://", "mongodb"),
            ("redis://", "redis"),
            ("rediss://", "redis"),
            ("amqp://", "rabbitmq"),
            ("amqps://", "rabbitmq"),
            ("nats://", "nats"),
        ] {
            if lower.starts_with(scheme) {
                return Some(engine);
            }
        }
    }
    let url_like = [
        "_URL", "_URI", "_DSN", "_ADDR", "_ADDRESS", "_HOST", "_SERVERS", "_BROKERS",
    ]
    .iter()
    .any(|s| k.ends_with(s))
        || k.ends_with("_CONNECTION_STRING")
        || k.ends_with("_CONN");
    if !url_like {
        return None;
    }
    if let Some(e) = engine_of_name(&k) {
        return Some(e);
    }
    if k.starts_with("AMQP") {
        return Some("rabbitmq");
    }
    if [
        "DATABASE_URL",
        "DB_URL",
        "DB_HOST",
        "DATABASE_HOST",
        "DB_DSN",
        "DATABASE_DSN",
    ]
    .iter()
    .any(|s| k == *s || k.ends_with(&format!("_{s}")))
    {
        return Some("database");
    }
    // A `*_HOST` whose value names an engine (`CART_HOST: redis-cart`).
    value.and_then(engine_of_name)
}

/// The host a connection value names (`user:pw@host:port/db` → `host`).
pub(super) fn host_of(value: &str) -> &str {
    let rest = value.split_once("://").map(|(_, r)| r).unwrap_or(value);
    let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
    let end = rest.find([':', '/', '?', ',']).unwrap_or(rest.len());
    &rest[..end]
}

/// A name for a dependency found through a variable: the host it names
/// when literal, else the variable.
pub(super) fn dep_name(key: &str, value: Option<&str>) -> String {
    match value.map(host_of) {
        Some(h) if !h.is_empty() && !h.contains('$') && !h.contains('{') => h.to_string(),
        _ => key.to_string(),
    }
}

pub(super) fn is_managed_host(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    MANAGED.iter().any(|m| h.contains(m))
}

/// Client libraries of server engines, by package: (package or module
/// prefix, engine). Go modules match by path (`github.com/jackc/pgx/v5`);
/// NuGet packages by name, `Aspire.` wrappers included. Embedded engines
/// (SQLite) are not here: nothing outside the process serves them.
const CLIENTS: &[(&str, &str)] = &[
    // Go modules.
    ("github.com/lib/pq", "postgres"),
    ("github.com/jackc/pgx", "postgres"),
    ("github.com/go-pg/pg", "postgres"),
    ("gorm.io/driver/postgres", "postgres"),
    ("github.com/go-sql-driver/mysql", "mysql"),
    ("gorm.io/driver/mysql", "mysql"),
    ("github.com/microsoft/go-mssqldb", "sqlserver"),
    ("github.com/denisenkom/go-mssqldb", "sqlserver"),
    ("go.mongodb.org/mongo-driver", "mongodb"),
    ("github.com/redis/go-redis", "redis"),
    ("github.com/go-redis/redis", "redis"),
    ("github.com/gomodule/redigo", "redis"),
    ("github.com/bradfitz/gomemcache", "memcached"),
    ("github.com/rabbitmq/amqp091-go", "rabbitmq"),
    ("github.com/streadway/amqp", "rabbitmq"),
    ("github.com/segmentio/kafka-go", "kafka"),
    ("github.com/ibm/sarama", "kafka"),
    ("github.com/shopify/sarama", "kafka"),
    ("github.com/confluentinc/confluent-kafka-go", "kafka"),
    ("github.com/nats-io/nats.go", "nats"),
    ("github.com/elastic/go-elasticsearch", "elasticsearch"),
    // NuGet packages.
    ("npgsql", "postgres"),
    ("npgsql.entityframeworkcore.postgresql", "postgres"),
    ("mysqlconnector", "mysql"),
    ("mysql.data", "mysql"),
    ("pomelo.entityframeworkcore.mysql", "mysql"),
    ("microsoft.entityframeworkcore.sqlserver", "sqlserver"),
    ("microsoft.data.sqlclient", "sqlserver"),
    ("system.data.sqlclient", "sqlserver"),
    ("mongodb.driver", "mongodb"),
    ("stackexchange.redis", "redis"),
    ("microsoft.extensions.caching.stackexchangeredis", "redis"),
    ("rabbitmq.client", "rabbitmq"),
    ("confluent.kafka", "kafka"),
    ("nats.client", "nats"),
    ("nats.net", "nats"),
    ("elastic.clients.elasticsearch", "elasticsearch"),
    ("nest", "elasticsearch"),
];

/// The engine whose client library a manifest dependency is: a Go module
/// path (or a path below it, `/v5`), or a NuGet package (an `Aspire.`
/// client wrapper too; `Aspire.Hosting.*` starts containers for local
/// runs and is not a client).
pub(super) fn engine_of_package(package: &str) -> Option<&'static str> {
    let p = package.to_ascii_lowercase();
    let p = p
        .strip_prefix("aspire.")
        .filter(|rest| !rest.starts_with("hosting."))
        .unwrap_or(&p);
    if p.starts_with("aspire.hosting.") {
        return None;
    }
    CLIENTS
        .iter()
        .find(|(c, _)| {
            p == *c
                || (c.contains('/') && p.strip_prefix(c).is_some_and(|rest| rest.starts_with('/')))
        })
        .map(|(_, e)| *e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_by_image() {
        assert_eq!(
            engine_of_image("postgres:16").map(|e| e.0),
            Some("postgres")
        );
        assert_eq!(
            engine_of_image("bitnami/postgresql:16").map(|e| e.0),
            Some("postgres")
        );
        assert_eq!(
            engine_of_image("confluentinc/cp-kafka:7.6.0").map(|e| e.0),
            Some("kafka")
        );
        assert_eq!(
            engine_of_image("valkey/valkey:7.2").map(|e| e.0),
            Some("redis")
        );
        assert_eq!(
            engine_of_image("mcr.microsoft.com/mssql/server:2022-latest").map(|e| e.0),
            Some("sqlserver")
        );
        assert_eq!(engine_of_image("oliver006/redis_exporter"), None);
        assert_eq!(engine_of_image("mongo-express"), None);
        assert_eq!(
            engine_of_image("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0"),
            None
        );
        assert_eq!(engine_of_image("nginx:1.27"), None);
    }

    #[test]
    fn client_packages() {
        assert_eq!(engine_of_package("github.com/lib/pq"), Some("postgres"));
        assert_eq!(
            engine_of_package("github.com/jackc/pgx/v5"),
            Some("postgres")
        );
        assert_eq!(engine_of_package("github.com/IBM/sarama"), Some("kafka"));
        assert_eq!(
            engine_of_package("Aspire.Npgsql.EntityFrameworkCore.PostgreSQL"),
            Some("postgres")
        );
        assert_eq!(
            engine_of_package("Aspire.StackExchange.Redis"),
            Some("redis")
        );
        assert_eq!(engine_of_package("RabbitMQ.Client"), Some("rabbitmq"));
        // A dev-time orchestrator's container, a test container, SQLite.
        assert_eq!(engine_of_package("Aspire.Hosting.Redis"), None);
        assert_eq!(
            engine_of_package("github.com/testcontainers/testcontainers-go/modules/mysql"),
            None
        );
        assert_eq!(engine_of_package("modernc.org/sqlite"), None);
        assert_eq!(engine_of_package("github.com/lib/pqx"), None);
    }

    #[test]
    fn variables() {
        assert_eq!(
            engine_of_variable("DATABASE_URL", Some("postgres://x@db/app")),
            Some("postgres")
        );
        assert_eq!(
            engine_of_variable("REDIS_ADDR", Some("cache:6379")),
            Some("redis")
        );
        assert_eq!(
            engine_of_variable("CART_HOST", Some("redis-cart")),
            Some("redis")
        );
        assert_eq!(engine_of_variable("MONGO_URI", None), Some("mongodb"));
        assert_eq!(engine_of_variable("DB_HOST", None), Some("database"));
        assert_eq!(engine_of_variable("PORT", Some("8080")), None);
        assert_eq!(
            host_of("postgres://u:p@db.x.rds.amazonaws.com:5432/app"),
            "db.x.rds.amazonaws.com"
        );
    }
}
