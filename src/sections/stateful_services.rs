//! Section `stateful-services`: databases, caches and brokers, where they
//! run and how the cluster's pods reach them.
//!
//! Dependencies are found in Compose services whose image is a known
//! engine (postgres, mysql, mongo, redis, rabbitmq, kafka, ...), in k8s
//! workloads (every StatefulSet; Deployments and Helm values of a known
//! engine image; Helm chart dependencies on such charts), in
//! connection-string variables (`DATABASE_URL`, `REDIS_URL`, `MONGO_URI`,
//! `AMQP_URL`, `*_HOST` naming an engine) of Compose and k8s containers,
//! and in the reach patterns themselves. Detections of the same engine are
//! one dependency.
//!
//! How each dependency is reached from the cluster, best first:
//! - a first-step pattern: an `ExternalName` Service, a selector-less
//!   ClusterIP Service with explicit `Endpoints`/`EndpointSlice`, or an
//!   ambassador/proxy container (cloud-sql-proxy, pgbouncer, ...): 1 point;
//! - a managed or external endpoint (a managed host such as
//!   `*.rds.amazonaws.com` in a variable, or a value from a Secret when
//!   nothing in the cluster runs that engine): 1 point;
//! - in-cluster (a StatefulSet, a Deployment or a Helm subchart running the
//!   engine): the advanced path, 0.5 point;
//! - nothing on the cluster side: 0.
//!
//! score = 10 × points / dependencies, rounded down. not-applicable with no
//! dependency. missing when no orchestration artefact exists yet (the next
//! steps are the plan) or no dependency is reached at all; done when every
//! dependency scores 1; otherwise partial.

use super::{list_some, result, SectionContext};
use crate::checklist::{Evidence, Status, StepResult};
use crate::image_ref::ImageRef;
use crate::parse::k8s::K8sObject;

pub const ID: &str = "stateful-services";
const NUMBER: u8 = 9;
const TITLE: &str = "Stateful services: databases, caches and brokers";

pub const EXPLAIN: &str = "Section `stateful-services`: databases, caches and brokers (Compose
images, StatefulSets, connection-string variables), where they run and
how the cluster's pods reach them.

Per dependency: 1 point when pods reach it through a first-step pattern
(an ExternalName Service, a selector-less ClusterIP Service with explicit
Endpoints/EndpointSlice, an ambassador/proxy) or a managed endpoint; 0.5
when it runs in-cluster (StatefulSet: the advanced path); 0 otherwise.
score = 10 x points / dependencies. not-applicable without dependencies;
missing when there is no cluster side yet or none is reached; done when
all score 1; otherwise partial.";

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

fn engine_of_port(port: u32) -> Option<&'static str> {
    ENGINES
        .iter()
        .find(|(_, engine, _, p)| *p == port && *engine != "minio" && *engine != "clickhouse")
        .map(|(_, e, ..)| *e)
}

fn engine_of_name(name: &str) -> Option<&'static str> {
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

fn category_of(engine: &str) -> &'static str {
    ENGINES
        .iter()
        .find(|(_, e, ..)| *e == engine)
        .map(|(.., c, _)| *c)
        .unwrap_or("database")
}

fn is_ambassador_image(image: &str) -> bool {
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
fn host_of(value: &str) -> &str {
    let rest = value.split_once("://").map(|(_, r)| r).unwrap_or(value);
    let rest = rest.rsplit_once('@').map(|(_, r)| r).unwrap_or(rest);
    let end = rest.find([':', '/', '?', ',']).unwrap_or(rest.len());
    &rest[..end]
}

/// A name for a dependency found through a variable: the host it names
/// when literal, else the variable.
fn dep_name(key: &str, value: Option<&str>) -> String {
    match value.map(host_of) {
        Some(h) if !h.is_empty() && !h.contains('$') && !h.contains('{') => h.to_string(),
        _ => key.to_string(),
    }
}

fn is_managed_host(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    MANAGED.iter().any(|m| h.contains(m))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    None,
    InCluster,
    Managed,
    Pattern,
}

impl Reach {
    fn tenths(self) -> u32 {
        match self {
            Reach::Pattern | Reach::Managed => 10,
            Reach::InCluster => 5,
            Reach::None => 0,
        }
    }
}

#[derive(Debug)]
struct Dependency {
    engine: &'static str,
    /// A name to show: the Compose service, object or variable.
    name: String,
    /// Where it was found (file, line, what).
    found: Vec<Evidence>,
    reach: Reach,
    /// How it is reached, with evidence.
    how: Vec<Evidence>,
    /// Where it runs: "Compose", "StatefulSet", ...
    runs: Vec<String>,
    /// The first detection's file:line, for next steps.
    at: (String, u32),
    /// In-cluster detail, for the trade-offs advice.
    in_cluster: Option<(String, u32, String)>,
    /// A workload reads its endpoint from a Secret/ConfigMap.
    from_config: bool,
}

#[derive(Default)]
struct Deps(Vec<Dependency>);

impl Deps {
    /// The dependency of this engine, created when new. A generic
    /// `database` joins the only database when there is one.
    fn get(&mut self, engine: &'static str, name: &str, file: &str, line: u32) -> &mut Dependency {
        let engine = if engine == "database" {
            let dbs: Vec<&'static str> = self
                .0
                .iter()
                .filter(|d| category_of(d.engine) == "database" && d.engine != "database")
                .map(|d| d.engine)
                .collect();
            match dbs.as_slice() {
                [only] => only,
                _ => engine,
            }
        } else {
            engine
        };
        let pos = match self.0.iter().position(|d| d.engine == engine) {
            Some(p) => p,
            None => {
                self.0.push(Dependency {
                    engine,
                    name: name.to_string(),
                    found: Vec::new(),
                    reach: Reach::None,
                    how: Vec::new(),
                    runs: Vec::new(),
                    at: (file.to_string(), line),
                    in_cluster: None,
                    from_config: false,
                });
                self.0.len() - 1
            }
        };
        &mut self.0[pos]
    }
}

impl Dependency {
    fn reached(&mut self, reach: Reach, e: Evidence) {
        if reach > self.reach {
            self.reach = reach;
        }
        self.how.push(e);
    }

    fn runs_in(&mut self, place: &str) {
        if !self.runs.iter().any(|r| r == place) {
            self.runs.push(place.to_string());
        }
    }
}

fn ports_engine(o: &K8sObject) -> Option<&'static str> {
    o.service_ports.iter().find_map(|p| engine_of_port(p.port))
}

/// The engine a Service is for: by its name, else by its ports.
fn service_engine(o: &K8sObject) -> Option<&'static str> {
    engine_of_name(&o.name).or_else(|| ports_engine(o))
}

pub fn evaluate(cx: &SectionContext<'_>) -> StepResult {
    let o = &cx.facts.orchestration;
    let mut deps = Deps::default();

    // Compose services running an engine image.
    for p in &cx.facts.compose {
        for s in &p.services {
            let by_image = s
                .image
                .as_ref()
                .and_then(|img| engine_of_image(&img.value).map(|e| (e, img)));
            if let Some(((engine, category), img)) = by_image {
                let d = deps.get(engine, &s.name, &s.file, s.line);
                d.found.push(Evidence::new(
                    &img.file,
                    img.line,
                    format!(
                        "Compose service `{}` runs {category} `{}`",
                        s.name, img.value
                    ),
                ));
                d.runs_in("Compose");
                continue;
            }
            // An image written with variables (or built here): the
            // service's name may still say what it is (`valkey-cart`).
            let unresolved = s.image.as_ref().is_none_or(|i| i.value.contains('$'));
            if let Some(engine) = engine_of_name(&s.name).filter(|_| unresolved) {
                let d = deps.get(engine, &s.name, &s.file, s.line);
                d.found.push(Evidence::new(
                    &s.file,
                    s.line,
                    format!(
                        "Compose service `{}` is named like a {}",
                        s.name,
                        category_of(engine)
                    ),
                ));
                d.runs_in("Compose");
            }
        }
    }

    // In-cluster engines: workloads of an engine image, every StatefulSet.
    for w in o.objects.iter().filter(|x| x.is_workload()) {
        let engine = w
            .containers
            .iter()
            .filter(|c| !c.init)
            .find_map(|c| engine_of_image(&c.image).map(|(e, _)| (e, c)));
        match engine {
            Some((engine, c)) => {
                let d = deps.get(engine, &w.name, &w.file, w.line);
                d.found.push(Evidence::new(
                    &w.file,
                    c.line.max(w.line),
                    format!("{} `{}` runs `{}` in the cluster", w.kind, w.name, c.image),
                ));
                d.runs_in(&w.kind);
                if d.in_cluster.is_none() || w.kind == "StatefulSet" {
                    d.in_cluster = Some((w.file.clone(), w.line, w.kind.clone()));
                }
                let kind = w.kind.clone();
                d.reached(
                    Reach::InCluster,
                    Evidence::new(
                        &w.file,
                        w.line,
                        format!("in-cluster {kind}: the advanced path"),
                    ),
                );
            }
            None if w.kind == "StatefulSet" => {
                let engine: &'static str = engine_of_name(&w.name).unwrap_or("stateful workload");
                let d = deps.get(engine, &w.name, &w.file, w.line);
                d.found.push(Evidence::new(
                    &w.file,
                    w.line,
                    format!("StatefulSet `{}` keeps state in the cluster", w.name),
                ));
                d.runs_in("StatefulSet");
                d.in_cluster = Some((w.file.clone(), w.line, w.kind.clone()));
                d.reached(
                    Reach::InCluster,
                    Evidence::new(&w.file, w.line, "in-cluster StatefulSet: the advanced path"),
                );
            }
            None => {}
        }
    }
    // Helm values naming engine images, and chart dependencies on engines.
    for m in &o.mentions {
        if !matches!(m.source, crate::parse::k8s::MentionSource::HelmValues) {
            continue;
        }
        if let Some((engine, category)) = engine_of_image(&m.image) {
            let d = deps.get(engine, engine, &m.file, m.line);
            d.found.push(Evidence::new(
                &m.file,
                m.line,
                format!("Helm values run {category} `{}` in the cluster", m.image),
            ));
            d.runs_in("Helm chart");
            if d.in_cluster.is_none() {
                d.in_cluster = Some((m.file.clone(), m.line, "Helm-deployed workload".into()));
            }
            d.reached(
                Reach::InCluster,
                Evidence::new(&m.file, m.line, "in-cluster via Helm: the advanced path"),
            );
        }
    }
    for c in &o.charts {
        for dep in &c.dependencies {
            if let Some(engine) = engine_of_name(&dep.name) {
                let d = deps.get(engine, &dep.name, &c.file, dep.line);
                d.found.push(Evidence::new(
                    &c.file,
                    dep.line,
                    format!(
                        "Helm chart dependency `{}` installs it in the cluster",
                        dep.name
                    ),
                ));
                d.runs_in("Helm subchart");
                if d.in_cluster.is_none() {
                    d.in_cluster = Some((c.file.clone(), dep.line, "Helm subchart".into()));
                }
                d.reached(
                    Reach::InCluster,
                    Evidence::new(
                        &c.file,
                        dep.line,
                        "in-cluster Helm subchart: the advanced path",
                    ),
                );
            }
        }
    }

    // The first-step patterns.
    let services: Vec<&K8sObject> = o.objects.iter().filter(|x| x.kind == "Service").collect();
    for s in &services {
        let ty = s.service_type.as_deref().unwrap_or("ClusterIP");
        if ty == "ExternalName" {
            let host = s.external_name.clone().unwrap_or_default();
            let engine = service_engine(s)
                .or_else(|| engine_of_name(&host))
                .unwrap_or("database");
            let d = deps.get(engine, &s.name, &s.file, s.line);
            let managed = if is_managed_host(&host) {
                " (managed)"
            } else {
                ""
            };
            d.runs_in("outside the cluster");
            d.reached(
                Reach::Pattern,
                Evidence::new(
                    &s.file,
                    s.line,
                    format!("ExternalName Service `{}` → `{host}`{managed}", s.name),
                ),
            );
            continue;
        }
        if ty != "ClusterIP" || !s.selector.is_empty() {
            continue;
        }
        let endpoints = o.objects.iter().find(|e| {
            (e.kind == "Endpoints" && e.name == s.name)
                || (e.kind == "EndpointSlice"
                    && e.labels
                        .iter()
                        .any(|(k, v)| k == "kubernetes.io/service-name" && *v == s.name))
        });
        if let Some(e) = endpoints {
            let engine = service_engine(s).unwrap_or("database");
            let d = deps.get(engine, &s.name, &s.file, s.line);
            d.runs_in("outside the cluster");
            d.reached(
                Reach::Pattern,
                Evidence::new(
                    &s.file,
                    s.line,
                    format!(
                        "selector-less Service `{}` with explicit {} (`{}:{}`)",
                        s.name, e.kind, e.file, e.line
                    ),
                ),
            );
        }
    }
    for w in o.objects.iter().filter(|x| x.is_workload()) {
        for c in &w.containers {
            let named = c.name.to_ascii_lowercase();
            if !(is_ambassador_image(&c.image)
                || named.contains("ambassador")
                || named.contains("sql-proxy")
                || named.contains("db-proxy"))
            {
                continue;
            }
            let repo = ImageRef::parse(&c.image).repository.to_ascii_lowercase();
            let engine =
                if repo.contains("sql") || repo.contains("pgbouncer") || repo.contains("alloydb") {
                    if repo.contains("mysql") || repo.contains("proxysql") {
                        "mysql"
                    } else {
                        "postgres"
                    }
                } else if repo.contains("twemproxy") || repo.contains("nutcracker") {
                    "redis"
                } else {
                    engine_of_name(&c.name)
                        .or_else(|| c.ports.iter().find_map(|(p, _)| engine_of_port(*p)))
                        .unwrap_or("database")
                };
            let d = deps.get(engine, &w.name, &w.file, c.line.max(w.line));
            d.runs_in("outside the cluster");
            d.reached(
                Reach::Pattern,
                Evidence::new(
                    &w.file,
                    c.line.max(w.line),
                    format!(
                        "ambassador container `{}` (`{}`) in {} `{}`",
                        c.name, c.image, w.kind, w.name
                    ),
                ),
            );
        }
    }

    // Connection variables: Compose (found) and k8s containers (reach).
    for p in &cx.facts.compose {
        for s in &p.services {
            for v in &s.environment {
                if let Some(engine) = engine_of_variable(&v.key, v.value.as_deref()) {
                    if engine == "database" && deps.0.is_empty() {
                        continue;
                    }
                    let name = dep_name(&v.key, v.value.as_deref());
                    let d = deps.get(engine, &name, &v.file, v.line);
                    d.found.push(Evidence::new(
                        &v.file,
                        v.line,
                        format!("Compose service `{}` connects with `{}`", s.name, v.key),
                    ));
                }
            }
        }
    }
    let k8s_services: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
    for w in o.objects.iter().filter(|x| x.is_workload()) {
        for c in &w.containers {
            for (key, value, line) in &c.env {
                let Some(engine) = engine_of_variable(key, value.as_deref()) else {
                    continue;
                };
                let name = dep_name(key, value.as_deref());
                let d = deps.get(engine, &name, &w.file, *line);
                let at = Evidence::new(
                    &w.file,
                    *line,
                    format!("{} `{}` connects with `{key}`", w.kind, w.name),
                );
                d.found.push(at);
                match value.as_deref() {
                    None => {
                        // Decided below: an external endpoint only when
                        // nothing in the cluster runs the engine.
                        d.from_config = true;
                        d.how.push(Evidence::new(
                            &w.file,
                            *line,
                            format!("`{key}` comes from a Secret or ConfigMap"),
                        ));
                    }
                    Some(v) => {
                        let host = host_of(v);
                        if is_managed_host(host) {
                            d.runs_in("managed service");
                            d.reached(
                                Reach::Managed,
                                Evidence::new(
                                    &w.file,
                                    *line,
                                    format!("`{key}` points at managed endpoint `{host}`"),
                                ),
                            );
                        } else if !host.is_empty() && !k8s_services.contains(&host) {
                            d.how.push(Evidence::new(
                                &w.file,
                                *line,
                                format!("`{key}` points at `{host}`, which no Service in the repo defines"),
                            ));
                        }
                    }
                }
            }
        }
    }

    let mut deps = deps.0;
    for d in &mut deps {
        if d.reach == Reach::None && d.from_config {
            d.reach = Reach::Managed;
            d.runs_in("an endpoint configured outside the manifests");
        }
    }
    if deps.is_empty() {
        return result(
            ID,
            NUMBER,
            TITLE,
            Status::NotApplicable,
            0,
            "no database, cache or broker found",
        );
    }
    let cluster_side = !o.objects.is_empty() || !o.helm_charts.is_empty();
    let n = deps.len() as u32;
    let points: u32 = deps.iter().map(|d| d.reach.tenths()).sum();
    let score = if cluster_side {
        (points * 10 / (n * 10)).min(10) as u8
    } else {
        0
    };
    let good = deps
        .iter()
        .filter(|d| matches!(d.reach, Reach::Pattern | Reach::Managed))
        .count();
    let status = if !cluster_side || deps.iter().all(|d| d.reach == Reach::None) {
        Status::Missing
    } else if good == deps.len() {
        Status::Done
    } else {
        Status::Partial
    };
    let names: Vec<String> = deps
        .iter()
        .map(|d| {
            let runs = if d.runs.is_empty() {
                "unknown place".to_string()
            } else {
                d.runs.join(", ")
            };
            format!("`{}` ({}: {runs})", d.name, d.engine)
        })
        .collect();
    let summary = if cluster_side {
        format!(
            "{good}/{} reached through a first-step pattern or managed endpoint: {}",
            deps.len(),
            list_some(&names, 4)
        )
    } else {
        format!("no cluster side yet; found {}", list_some(&names, 4))
    };
    let mut r = result(ID, NUMBER, TITLE, status, score, summary);
    for d in &deps {
        r.evidence.extend(d.found.iter().cloned());
        r.evidence.extend(d.how.iter().cloned());
    }
    for d in &deps {
        let (file, line) = (&d.at.0, d.at.1);
        let label = format!("`{}` ({})", d.name, d.engine);
        if !cluster_side {
            r.next_steps.push(format!(
                "Plan {label} (`{file}:{line}`) for the cluster: keep it outside (a managed service or the existing host) and expose it to pods with an `ExternalName` Service, e.g. `k8s/{}-external.yaml` with `type: ExternalName` and `externalName: <host>` (or a selector-less Service with an `EndpointSlice` for a fixed IP).",
                slug(&d.name)
            ));
            continue;
        }
        match d.reach {
            Reach::Pattern | Reach::Managed => {}
            Reach::InCluster => {
                let (f, l, kind) = d.in_cluster.clone().unwrap_or((file.clone(), line, "workload".into()));
                let extra = if kind == "Deployment" {
                    " A Deployment gives it no stable identity and loses data when the pod moves unless it mounts a PersistentVolumeClaim."
                } else {
                    ""
                };
                r.next_steps.push(format!(
                    "{label} runs in the cluster as a {kind} (`{f}:{l}`): the advanced path, where you own storage (PVCs, storage class), backups, upgrades and failover.{extra} Start with a managed service reached through an `ExternalName` Service (`k8s/{}-external.yaml`), or run it with an operator that handles those.",
                    slug(&d.name)
                ));
            }
            Reach::None => r.next_steps.push(format!(
                "Expose {label} (`{file}:{line}`) to the cluster: add `k8s/{}-external.yaml`, an `ExternalName` Service pointing at its host (or a selector-less Service with an `EndpointSlice`, or an ambassador such as cloud-sql-proxy).",
                slug(&d.name)
            )),
        }
    }
    r
}

fn slug(name: &str) -> String {
    let s: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sections::testing::{run, with, GO_SERVICE};

    const COMPOSE_DB: &str = "services:
  api:
    build: ./api
    image: ghcr.io/acme/api
    environment:
      DATABASE_URL: postgres://app:app@db:5432/app
  db:
    image: postgres:16
";

    const API_DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0.0
          env:
            - name: DATABASE_URL
              value: postgres://app@db:5432/app
";

    fn files(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut f: Vec<_> = GO_SERVICE
            .iter()
            .filter(|(p, _)| *p != "compose.yaml")
            .copied()
            .collect();
        f.push(("compose.yaml", COMPOSE_DB));
        f.extend_from_slice(extra);
        f
    }

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

    #[test]
    fn not_applicable_without_dependencies() {
        let r = run(GO_SERVICE).section(ID);
        assert_eq!(r.status, Status::NotApplicable);
    }

    #[test]
    fn missing_without_cluster_side_gives_the_plan() {
        let r = run(&files(&[])).section(ID);
        assert_eq!(r.status, Status::Missing, "{r:?}");
        assert!(
            r.next_steps[0].contains("ExternalName"),
            "{:?}",
            r.next_steps
        );
        assert!(r
            .evidence
            .iter()
            .any(|e| e.file == "compose.yaml" && e.line == 8));
    }

    #[test]
    fn missing_when_the_cluster_does_not_reach_it() {
        let r = run(&files(&[("k8s/api.yaml", API_DEPLOY)])).section(ID);
        assert_eq!(r.status, Status::Missing, "{r:?}");
        assert!(
            r.next_steps[0].starts_with("Expose `db` (postgres)"),
            "{:?}",
            r.next_steps
        );
    }

    #[test]
    fn done_with_an_external_name_service() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: app.abc.eu-west-1.rds.amazonaws.com\n";
        let r = run(&files(&[
            ("k8s/api.yaml", API_DEPLOY),
            ("k8s/db.yaml", svc),
        ]))
        .section(ID);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert_eq!(r.score, 10);
        assert!(r
            .evidence
            .iter()
            .any(|e| e.file == "k8s/db.yaml" && e.message.contains("ExternalName")));
    }

    #[test]
    fn done_with_selectorless_service_and_endpoints() {
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 5432\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nendpoints:\n  - addresses: [\"10.0.0.12\"]\n";
        let r = run(&files(&[
            ("k8s/api.yaml", API_DEPLOY),
            ("k8s/db.yaml", svc),
        ]))
        .section(ID);
        assert_eq!(r.status, Status::Done, "{r:?}");
    }

    #[test]
    fn partial_with_an_in_cluster_statefulset_and_an_unreached_cache() {
        let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: postgres\nspec:\n  serviceName: postgres\n  template:\n    spec:\n      containers:\n        - name: postgres\n          image: postgres:16\n";
        let compose = "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n  proxy:\n    image: edoburu/pgbouncer:1.22\n";
        let f = with(
            &[("compose.yaml", compose)],
            &[("k8s/postgres.yaml", sts), ("k8s/api.yaml", API_DEPLOY)],
        );
        let r = run(&f).section(ID);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert_eq!(r.score, 2, "{r:?}");
        let text = r.next_steps.join("\n");
        assert!(
            text.contains("StatefulSet (`k8s/postgres.yaml:2`): the advanced path"),
            "{text}"
        );
        assert!(text.contains("Expose `cache` (redis)"), "{text}");
    }

    #[test]
    fn ambassador_container_counts() {
        let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n        - name: cloud-sql-proxy\n          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0\n";
        let r = run(&files(&[("k8s/api.yaml", deploy)])).section(ID);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert!(r
            .evidence
            .iter()
            .any(|e| e.message.contains("ambassador container")));
    }
}
