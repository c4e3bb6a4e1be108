//! Where dependencies are found, one pass per kind of evidence; the
//! order [`super::collect`] runs them in decides which detection names a
//! dependency.

use super::dependency::service_engine;
use super::dependency::{Deps, Reach};
use super::engines::{
    category_of, dep_name, engine_of_image, engine_of_name, engine_of_package, engine_of_port,
    engine_of_variable, host_of, is_ambassador_image, is_managed_host,
};
use crate::checklist::Evidence;
use crate::image_ref::ImageRef;
use crate::parse::compose::ComposeProject;
use crate::parse::k8s::{MentionSource, OrchestrationFacts};
use crate::parse::manifest::{Project, ProjectRole};

/// Compose services running an engine image (or named like one when the
/// image is unresolved).
pub(super) fn compose_engines(projects: &[ComposeProject], deps: &mut Deps) {
    for s in projects.iter().flat_map(|p| &p.services) {
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

/// In-cluster engines: workloads of an engine image, every StatefulSet.
pub(super) fn in_cluster_workloads(o: &OrchestrationFacts, deps: &mut Deps) {
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
}

/// Helm values naming engine images, and chart dependencies on engines.
pub(super) fn helm_engines(o: &OrchestrationFacts, deps: &mut Deps) {
    for m in &o.mentions {
        if !matches!(m.source, MentionSource::HelmValues) {
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
}

/// The first-step Services: `ExternalName`, and selector-less ClusterIP
/// Services with explicit `Endpoints`/`EndpointSlice`.
pub(super) fn first_step_services(o: &OrchestrationFacts, deps: &mut Deps) {
    for s in o.objects.iter().filter(|x| x.kind == "Service") {
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
}

/// Ambassador containers (cloud-sql-proxy, pgbouncer, ...) in workloads.
pub(super) fn ambassadors(o: &OrchestrationFacts, deps: &mut Deps) {
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
}

/// Connection variables of Compose services: where a dependency is found.
pub(super) fn compose_variables(projects: &[ComposeProject], deps: &mut Deps) {
    for s in projects.iter().flat_map(|p| &p.services) {
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

/// Connection variables of k8s containers: how the cluster reaches a
/// dependency (a managed host, a Secret, a host no Service defines).
pub(super) fn workload_variables(o: &OrchestrationFacts, deps: &mut Deps) {
    let k8s_services: Vec<&str> = o
        .objects
        .iter()
        .filter(|x| x.kind == "Service")
        .map(|s| s.name.as_str())
        .collect();
    for w in o.objects.iter().filter(|x| x.is_workload()) {
        for c in &w.containers {
            for (key, value, line) in &c.env {
                let Some(engine) = engine_of_variable(key, value.as_deref()) else {
                    continue;
                };
                let name = dep_name(key, value.as_deref());
                let d = deps.get(engine, &name, &w.file, *line);
                d.found.push(Evidence::new(
                    &w.file,
                    *line,
                    format!("{} `{}` connects with `{key}`", w.kind, w.name),
                ));
                match value.as_deref() {
                    None => {
                        // Decided in `collect`: an external endpoint only
                        // when nothing in the cluster runs the engine.
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
}

/// Client libraries of server engines that the services' manifests
/// require (`github.com/lib/pq`, `Npgsql`): the code talks to that engine
/// even when no Compose file or manifest runs it (a `--dsn` flag, an
/// orchestrator outside the repo).
pub(super) fn client_libraries(projects: &[Project], deps: &mut Deps) {
    for p in projects.iter().filter(|p| p.role == ProjectRole::Service) {
        for (package, line) in &p.dependencies {
            if let Some(engine) = engine_of_package(package) {
                let d = deps.get(engine, engine, &p.manifest, *line);
                d.found.push(Evidence::new(
                    &p.manifest,
                    *line,
                    format!(
                        "`{}` requires `{package}`, a {} client",
                        p.manifest,
                        category_of(engine)
                    ),
                ));
                if d.runs.is_empty() {
                    d.runs_in("configured outside the repo");
                }
            }
        }
    }
}
