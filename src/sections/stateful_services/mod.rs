//! Section `stateful-services`: databases, caches and brokers, where they
//! run and how the cluster's pods reach them.
//!
//! Dependencies are found in Compose services whose image is a known
//! engine (postgres, mysql, mongo, redis, rabbitmq, kafka, ...), in k8s
//! workloads (every StatefulSet; Deployments and Helm values of a known
//! engine image; Helm chart dependencies on such charts), in
//! connection-string variables (`DATABASE_URL`, `REDIS_URL`, `MONGO_URI`,
//! `AMQP_URL`, `*_HOST` naming an engine) of Compose and k8s containers,
//! in server-engine client libraries the services require (`go.mod`,
//! `.csproj`), and in the reach patterns themselves. Detections of the same engine are
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
//! steps are the plan) or none is reached through a pattern or a managed
//! endpoint (in-cluster engines earn points, not the status); done when every
//! dependency scores 1; otherwise partial.

mod dependency;
pub(crate) mod engines;
mod sources;

use dependency::{Dependency, Deps, Reach};
use sources::{
    ambassadors, client_libraries, compose_engines, compose_variables, first_step_services,
    helm_engines, in_cluster_workloads, workload_variables,
};

use super::{list_some, SectionContext, SectionDescriptor};
use crate::checklist::{Status, StepResult};

/// This section, as the registry ([`super::SECTIONS`]) lists it.
pub const SECTION: SectionDescriptor = SectionDescriptor {
    id: "stateful-services",
    number: 9,
    title: "Stateful services: databases, caches and brokers",
    explain: EXPLAIN,
    evaluate,
    reads_checklist: false,
};

pub const EXPLAIN: &str = "Section `stateful-services`: databases, caches and brokers (Compose
images, StatefulSets, connection-string variables), where they run and
how the cluster's pods reach them.

Per dependency: 1 point when pods reach it through a first-step pattern
(an ExternalName Service, a selector-less ClusterIP Service with explicit
Endpoints/EndpointSlice, an ambassador/proxy) or a managed endpoint; 0.5
when it runs in-cluster (StatefulSet: the advanced path); 0 otherwise.
score = 10 x points / dependencies. not-applicable without dependencies;
missing when there is no cluster side yet or none is reached through a
pattern or managed endpoint; done when
all score 1; otherwise partial.";

/// The facts the section judges, gathered by [`collect`].
#[derive(Debug, Default)]
struct Stateful {
    /// Every dependency found (one per engine), in the order found, with
    /// where it runs and how the cluster reaches it.
    deps: Vec<Dependency>,
    /// Kubernetes objects or Helm charts exist (a cluster side).
    cluster_side: bool,
}

pub fn evaluate(cx: &SectionContext<'_>) -> StepResult {
    judge(collect(cx))
}

/// What the tree shows: the dependencies, where they run and how pods
/// reach them. The order of the passes decides which detection names a
/// dependency and where a generic `database` joins.
fn collect(cx: &SectionContext<'_>) -> Stateful {
    let o = cx.orchestration();
    let mut deps = Deps::default();
    compose_engines(&cx.facts.compose, &mut deps);
    in_cluster_workloads(o, &mut deps);
    helm_engines(o, &mut deps);
    first_step_services(o, &mut deps);
    ambassadors(o, &mut deps);
    compose_variables(&cx.facts.compose, &mut deps);
    workload_variables(o, &mut deps);
    client_libraries(&cx.facts.projects, &mut deps);
    let mut deps = deps.0;
    for d in &mut deps {
        // An endpoint read from a Secret or ConfigMap is external when
        // nothing in the cluster runs that engine.
        if d.reach == Reach::None && d.from_config {
            d.reach = Reach::Managed;
            d.runs_in("an endpoint configured outside the manifests");
        }
    }
    Stateful {
        deps,
        cluster_side: !o.objects.is_empty() || !o.helm_charts.is_empty(),
    }
}

/// The verdict: pure over the facts.
fn judge(f: Stateful) -> StepResult {
    let Stateful { deps, cluster_side } = f;
    if deps.is_empty() {
        return SECTION.result(
            Status::NotApplicable,
            0,
            "no database, cache or broker found",
        );
    }
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
    // SPEC 1.1: missing when no dependency is reached through a pattern
    // or a managed endpoint (running one in-cluster earns points, not the
    // status).
    let status = if !cluster_side || good == 0 {
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
    let mut r = SECTION.result(status, score, summary);
    for d in &deps {
        r.evidence.extend(d.found.iter().cloned());
        r.evidence.extend(d.how.iter().cloned());
    }
    r.next_steps = deps
        .iter()
        .filter_map(|d| next_step(d, cluster_side))
        .collect();
    r
}

/// What to do about one dependency: the plan without a cluster side, the
/// trade-offs of running it in-cluster, or how to expose it.
fn next_step(d: &Dependency, cluster_side: bool) -> Option<String> {
    let (file, line) = (&d.at.0, d.at.1);
    let label = format!("`{}` ({})", d.name, d.engine);
    if !cluster_side {
        return Some(format!(
            "Plan {label} (`{file}:{line}`) for the cluster: keep it outside (a managed service or the existing host) and expose it to pods with an `ExternalName` Service, e.g. `k8s/{}-external.yaml` with `type: ExternalName` and `externalName: <host>` (or a selector-less Service with an `EndpointSlice` for a fixed IP).",
            slug(&d.name)
        ));
    }
    match d.reach {
        Reach::Pattern | Reach::Managed => None,
        Reach::InCluster => {
            let (f, l, kind) = d
                .in_cluster
                .clone()
                .unwrap_or((file.clone(), line, "workload".into()));
            let extra = if kind == "Deployment" {
                " A Deployment gives it no stable identity and loses data when the pod moves unless it mounts a PersistentVolumeClaim."
            } else {
                ""
            };
            Some(format!(
                "{label} runs in the cluster as a {kind} (`{f}:{l}`): the advanced path, where you own storage (PVCs, storage class), backups, upgrades and failover.{extra} Start with a managed service reached through an `ExternalName` Service (`k8s/{}-external.yaml`), or run it with an operator that handles those.",
                slug(&d.name)
            ))
        }
        Reach::None => Some(format!(
            "Expose {label} (`{file}:{line}`) to the cluster: add `k8s/{}-external.yaml`, an `ExternalName` Service pointing at its host (or a selector-less Service with an `EndpointSlice`, or an ambassador such as cloud-sql-proxy).",
            slug(&d.name)
        )),
    }
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

    /// A dependency as `collect` would leave it.
    fn dep(engine: &'static str, reach: Reach, runs: &str) -> Dependency {
        let mut d = Deps::default()
            .get(engine, engine, "compose.yaml", 3)
            .clone();
        d.reach = reach;
        d.runs_in(runs);
        d
    }

    #[test]
    fn judges_hand_made_facts() {
        let none = judge(Stateful::default());
        assert_eq!(none.status, Status::NotApplicable);

        let plan = judge(Stateful {
            deps: vec![dep("postgres", Reach::None, "Compose")],
            cluster_side: false,
        });
        assert_eq!((plan.status, plan.score), (Status::Missing, 0));
        assert_eq!(
            plan.summary,
            "no cluster side yet; found `postgres` (postgres: Compose)"
        );
        assert!(plan.next_steps[0].starts_with("Plan `postgres` (postgres) (`compose.yaml:3`)"));

        let done = judge(Stateful {
            deps: vec![
                dep("postgres", Reach::Pattern, "outside the cluster"),
                dep("redis", Reach::Managed, "managed service"),
            ],
            cluster_side: true,
        });
        assert_eq!((done.status, done.score), (Status::Done, 10));
        assert!(done.next_steps.is_empty());

        let mixed = judge(Stateful {
            deps: vec![
                dep("postgres", Reach::InCluster, "StatefulSet"),
                dep("redis", Reach::None, "Compose"),
            ],
            cluster_side: true,
        });
        // (0.5 + 0) / 2 dependencies; none reached through a pattern or a
        // managed endpoint, so missing (SPEC 1.1).
        assert_eq!((mixed.status, mixed.score), (Status::Missing, 2));
        assert_eq!(mixed.next_steps.len(), 2);
        assert!(mixed.next_steps[1].starts_with("Expose `redis` (redis)"));

        let some = judge(Stateful {
            deps: vec![
                dep("postgres", Reach::InCluster, "StatefulSet"),
                dep("redis", Reach::Pattern, "outside the cluster"),
            ],
            cluster_side: true,
        });
        assert_eq!((some.status, some.score), (Status::Partial, 7));

        let unreached = judge(Stateful {
            deps: vec![dep("redis", Reach::None, "Compose")],
            cluster_side: true,
        });
        assert_eq!((unreached.status, unreached.score), (Status::Missing, 0));
    }

    #[test]
    fn a_generic_database_joins_the_only_database() {
        let mut deps = Deps::default();
        deps.get("postgres", "db", "compose.yaml", 8);
        deps.get("redis", "cache", "compose.yaml", 10);
        assert_eq!(
            deps.get("database", "DB_HOST", "k8s/api.yaml", 4).engine,
            "postgres"
        );
        deps.get("mysql", "legacy", "compose.yaml", 12);
        assert_eq!(
            deps.get("database", "DB_HOST", "k8s/api.yaml", 4).engine,
            "database"
        );
        assert_eq!(deps.0.len(), 4);
    }

    /// Next steps cite the product's own file when one names the engine,
    /// even when a test suite's Compose file named it first.
    #[test]
    fn the_products_own_file_is_cited_before_a_test_suites() {
        let mut deps = Deps::default();
        deps.get("zookeeper", "zk", "shop-e2e/compose.yml", 20);
        deps.get("zookeeper", "ZK_HOST", "deploy/compose.yaml", 7);
        deps.get("zookeeper", "zk", "examples/compose.yml", 3);
        assert_eq!(deps.0.len(), 1);
        assert_eq!(deps.0[0].at, ("deploy/compose.yaml".to_string(), 7));
        assert_eq!(deps.0[0].name, "zk");
    }

    #[test]
    fn not_applicable_without_dependencies() {
        let r = run(GO_SERVICE).section(SECTION.id);
        assert_eq!(r.status, Status::NotApplicable);
    }

    #[test]
    fn missing_without_cluster_side_gives_the_plan() {
        let r = run(&files(&[])).section(SECTION.id);
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
        let r = run(&files(&[("k8s/api.yaml", API_DEPLOY)])).section(SECTION.id);
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
        .section(SECTION.id);
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
        .section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
    }

    #[test]
    fn missing_with_an_in_cluster_statefulset_and_an_unreached_cache() {
        let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: postgres\nspec:\n  serviceName: postgres\n  template:\n    spec:\n      containers:\n        - name: postgres\n          image: postgres:16\n";
        let compose = "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n  proxy:\n    image: edoburu/pgbouncer:1.22\n";
        let f = with(
            &[("compose.yaml", compose)],
            &[("k8s/postgres.yaml", sts), ("k8s/api.yaml", API_DEPLOY)],
        );
        let r = run(&f).section(SECTION.id);
        assert_eq!(r.status, Status::Missing, "{r:?}");
        assert_eq!(r.score, 2, "{r:?}");
        let text = r.next_steps.join("\n");
        assert!(
            text.contains("StatefulSet (`k8s/postgres.yaml:2`): the advanced path"),
            "{text}"
        );
        assert!(text.contains("Expose `cache` (redis)"), "{text}");
    }

    #[test]
    fn a_database_client_in_go_mod_is_a_dependency() {
        let gomod = "module example.com/api\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tmodernc.org/sqlite v1.29.0\n\tgithub.com/redis/go-redis/v9 v9.5.1 // indirect\n)\n";
        let f: Vec<_> = GO_SERVICE
            .iter()
            .map(|&(p, t)| {
                if p == "api/go.mod" {
                    (p, gomod)
                } else {
                    (p, t)
                }
            })
            .collect();
        let r = run(&f).section(SECTION.id);
        assert_eq!(r.status, Status::Missing, "{r:?}");
        assert!(
            r.summary
                .starts_with("no cluster side yet; found `postgres`"),
            "{}",
            r.summary
        );
        assert!(r
            .evidence
            .iter()
            .any(|e| e.file == "api/go.mod" && e.line == 6 && e.message.contains("lib/pq")));
        // SQLite is embedded: no dependency of its own; an indirect
        // requirement is a dependency's, not the service's.
        assert!(!r.summary.contains("sqlite"), "{}", r.summary);
        assert!(!r.summary.contains("redis"), "{}", r.summary);
    }

    #[test]
    fn ambassador_container_counts() {
        let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n        - name: cloud-sql-proxy\n          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0\n";
        let r = run(&files(&[("k8s/api.yaml", deploy)])).section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert!(r
            .evidence
            .iter()
            .any(|e| e.message.contains("ambassador container")));
    }
}
