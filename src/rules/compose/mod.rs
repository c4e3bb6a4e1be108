//! `KR2xx`: Compose rules, over the merged projects the Compose parser
//! builds (overrides, `include:` and `extends:` already applied).

mod kr201_image_not_pinned;
mod kr202_obsolete_version;
mod kr203_unknown_dependency;
mod kr204_dependency_not_awaited_healthy;
mod kr205_dependency_without_healthcheck;
mod kr206_privileged;
mod kr207_host_network;
mod kr208_docker_socket;
mod kr209_hardcoded_secret;
mod kr210_placeholder_secret;
mod kr211_container_name;
mod kr212_duplicate_container_name;
mod kr213_host_port_clash;
mod kr214_undefined_network;
mod kr215_undefined_volume;
mod kr216_undefined_secret;
mod kr217_undefined_config;
mod kr218_missing_env_file;
mod kr219_uncommitted_dotenv;
mod kr220_database_port_published;
mod kr221_remote_build_context;
mod kr222_no_default_service;
mod kr223_no_image_or_build;

use super::Rule;
use crate::parse::compose::{ComposeProject, ComposeService};
use crate::parse::Facts;

pub static RULES: &[&dyn Rule] = &[
    &kr201_image_not_pinned::Rule,
    &kr202_obsolete_version::Rule,
    &kr203_unknown_dependency::Rule,
    &kr204_dependency_not_awaited_healthy::Rule,
    &kr205_dependency_without_healthcheck::Rule,
    &kr206_privileged::Rule,
    &kr207_host_network::Rule,
    &kr208_docker_socket::Rule,
    &kr209_hardcoded_secret::Rule,
    &kr210_placeholder_secret::Rule,
    &kr211_container_name::Rule,
    &kr212_duplicate_container_name::Rule,
    &kr213_host_port_clash::Rule,
    &kr214_undefined_network::Rule,
    &kr215_undefined_volume::Rule,
    &kr216_undefined_secret::Rule,
    &kr217_undefined_config::Rule,
    &kr218_missing_env_file::Rule,
    &kr219_uncommitted_dotenv::Rule,
    &kr220_database_port_published::Rule,
    &kr221_remote_build_context::Rule,
    &kr222_no_default_service::Rule,
    &kr223_no_image_or_build::Rule,
];

/// Every service of every project, with its project.
/// Compose services by project and name (the first of each name): a
/// lookup per dependency or link instead of a scan of the project's
/// services (quadratic in a Compose file of 1,000 services).
pub(crate) struct ServicesByName<'f> {
    by_project: Vec<crate::fast_hash::FastMap<&'f str, &'f ComposeService>>,
    index: crate::fast_hash::FastMap<*const ComposeProject, usize>,
}

impl<'f> ServicesByName<'f> {
    pub(crate) fn new(facts: &'f Facts) -> Self {
        let by_project = facts
            .compose
            .iter()
            .map(|p| {
                let mut names: crate::fast_hash::FastMap<&str, &ComposeService> =
                    Default::default();
                for s in &p.services {
                    names.entry(s.name.as_str()).or_insert(s);
                }
                names
            })
            .collect();
        let index = facts
            .compose
            .iter()
            .enumerate()
            .map(|(i, p)| (p as *const ComposeProject, i))
            .collect();
        ServicesByName { by_project, index }
    }

    /// `facts.compose[project].services.iter().find(|s| s.name == name)`.
    pub(crate) fn get(&self, project: usize, name: &str) -> Option<&'f ComposeService> {
        self.by_project.get(project)?.get(name).copied()
    }

    /// [`Self::get`] for a project of the facts.
    pub(crate) fn in_project(
        &self,
        project: &ComposeProject,
        name: &str,
    ) -> Option<&'f ComposeService> {
        let i = *self.index.get(&(project as *const ComposeProject))?;
        self.get(i, name)
    }
}

fn services(facts: &Facts) -> impl Iterator<Item = (&ComposeProject, &ComposeService)> {
    facts
        .compose
        .iter()
        .flat_map(|p| p.services.iter().map(move |s| (p, s)))
}

/// The main (non-variant) project of a variant's directory: a variant file
/// that stands alone (it adds services of its own) is usually used with
/// `-f compose.yaml -f <variant>`, so names the main file defines count.
fn main_of<'a>(facts: &'a Facts, project: &ComposeProject) -> Option<&'a ComposeProject> {
    if !project.variant {
        return None;
    }
    facts
        .compose
        .iter()
        .find(|p| !p.variant && p.dir == project.dir)
}

/// Whether kubeready's view of the project may be incomplete: one of its
/// files, or a Compose file of its folder (a main file a variant builds
/// on), has a syntax error. Rules about names the project does not define
/// stay quiet then.
fn incomplete(facts: &Facts, project: &ComposeProject) -> bool {
    facts.problems.iter().any(|p| {
        p.kind == crate::parse::ProblemKind::Syntax
            && (project.files.contains(&p.file)
                || (crate::paths::parent(&p.file) == project.dir
                    && crate::walk::classify::is_compose_name(crate::paths::file_name(&p.file))))
    })
}

/// Whether the project (or, for a variant, its main project) defines the
/// service `name`.
fn knows_service(facts: &Facts, project: &ComposeProject, name: &str) -> bool {
    project.services.iter().any(|s| s.name == name)
        || main_of(facts, project).is_some_and(|m| m.services.iter().any(|s| s.name == name))
        || variant_siblings(facts, project).any(|p| p.services.iter().any(|s| s.name == name))
}

/// A variant file (`compose.agent.yaml`) is combined with `-f` with any of
/// the Compose files beside it, so what they define counts for it too.
fn variant_siblings<'a>(
    facts: &'a Facts,
    project: &'a ComposeProject,
) -> impl Iterator<Item = &'a ComposeProject> + 'a {
    facts
        .compose
        .iter()
        .filter(move |p| project.variant && p.dir == project.dir && p.file != project.file)
}

/// Whether the project (or its main project) declares `name` in the
/// top-level section `pick` selects.
fn declares(
    facts: &Facts,
    project: &ComposeProject,
    name: &str,
    pick: fn(&ComposeProject) -> &[crate::parse::compose::Located<String>],
) -> bool {
    pick(project).iter().any(|n| n.value == name)
        || main_of(facts, project).is_some_and(|m| pick(m).iter().any(|n| n.value == name))
        || variant_siblings(facts, project).any(|p| pick(p).iter().any(|n| n.value == name))
}

/// Whether two services can run at the same time: a service without
/// profiles always starts; services with profiles start when one of their
/// profiles is enabled.
/// A top-level section a service refers to by name (networks, named
/// volumes, secrets, configs): KR214–KR217 are this one check.
struct Section {
    /// The top-level key (`networks`).
    key: &'static str,
    /// What one entry is called in messages (`network`, `named volume`).
    what: &'static str,
    /// The names a service uses, with their file and line.
    uses: fn(&ComposeService) -> Vec<(&str, &str, u32)>,
    declared: fn(&ComposeProject) -> &[crate::parse::compose::Located<String>],
    /// Names that need no declaration (`default`, interpolated names).
    implicit: fn(&str) -> bool,
}

/// Reports every name a service uses that its project does not declare.
fn report_undeclared(
    cx: &crate::rules::Context<'_>,
    out: &mut crate::rules::Sink<'_>,
    section: &Section,
) {
    for (project, svc) in services(cx.facts) {
        if incomplete(cx.facts, project) {
            continue;
        }
        for (name, file, line) in (section.uses)(svc) {
            if (section.implicit)(name) || declares(cx.facts, project, name, section.declared) {
                continue;
            }
            out.emit(
                crate::finding::Location::new(file, line),
                format!(
                    "service `{}` uses the {} `{name}`, which the top-level `{}:` does not declare; Compose refuses to start",
                    svc.name, section.what, section.key
                ),
                subject(svc, &format!("{}.{name}", section.key)),
            );
        }
    }
}

fn can_run_together(a: &ComposeService, b: &ComposeService) -> bool {
    a.profiles.is_empty()
        || b.profiles.is_empty()
        || a.profiles.iter().any(|p| b.profiles.contains(p))
}

/// Whether the service's line holds a `${VAR}` reference (its value was
/// interpolated: not literal in the file).
/// Whether the value written on `file:line` comes from the environment:
/// some reference on the line takes its value from `.env` or the
/// environment. A line whose every reference falls back to the default
/// written beside it (`${SECRET:-d0c5...}`) holds committed text.
fn from_environment(project: &ComposeProject, file: &str, line: u32) -> bool {
    let i = project
        .variables
        .partition_point(|v| (v.file.as_str(), v.line) < (file, line));
    project.variables[i..]
        .iter()
        .take_while(|v| v.file == file && v.line == line)
        .any(|v| !v.default_used)
}

fn interpolated(project: &ComposeProject, file: &str, line: u32) -> bool {
    // `variables` is sorted by file and line.
    let i = project
        .variables
        .partition_point(|v| (v.file.as_str(), v.line) < (file, line));
    project
        .variables
        .get(i)
        .is_some_and(|v| v.file == file && v.line == line)
}

/// Images of databases, brokers and search engines: slow to become ready,
/// usually a dependency others wait on, never meant to face the internet.
const STATEFUL_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "timescaledb",
    "mysql",
    "mariadb",
    "percona",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "keydb",
    "memcached",
    "rabbitmq",
    "kafka",
    "cp-kafka",
    "zookeeper",
    "cp-zookeeper",
    "nats",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "scylla",
    "couchdb",
    "couchbase",
    "neo4j",
    "clickhouse-server",
    "cockroach",
    "mssql-server",
    "oracle-database",
    "influxdb",
    "etcd",
    "minio",
    "activemq",
    "artemis",
    "pulsar",
];

/// The stateful service kind an image is, when it is one.
fn stateful_image(image: &str) -> Option<&'static str> {
    let r = crate::image_ref::ImageRef::parse(image);
    let short = r.short_name().to_ascii_lowercase();
    STATEFUL_IMAGES
        .iter()
        .find(|s| {
            short
                .strip_prefix(**s)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
        })
        .copied()
}

/// `service/<field>` keys for subjects.
fn subject(svc: &ComposeService, rest: &str) -> String {
    if rest.is_empty() {
        format!("services.{}", svc.name)
    } else {
        format!("services.{}.{rest}", svc.name)
    }
}

/// Whether an env file's name marks it as a local `.env` file, which
/// projects usually keep out of Git (`.env`, `.env.local`, `db.env`).
fn is_dotenv_name(path: &str) -> bool {
    let name = crate::paths::file_name(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

/// Whether a path can be checked against the listing: relative and inside
/// the audited tree, with no variable left in it.
fn checkable_path(path: &str) -> bool {
    !(path.is_empty()
        || path.starts_with('/')
        || path.starts_with('~')
        || path.starts_with("..")
        || path.contains('$')
        || path.contains('\\')
        || path.get(1..2) == Some(":"))
}

/// Whether the audit sees a single file (`kubeready audit Dockerfile`):
/// then nothing is known about the files around it, and rules that ask
/// whether a path exists stay quiet.
fn single_file(facts: &crate::parse::Facts) -> bool {
    facts.listing.files().len() <= 1
}
