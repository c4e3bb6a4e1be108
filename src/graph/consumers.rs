//! Where each image definition is used (SPEC 1.2: rules follow each image
//! to where it runs): the Compose services that build or run it, the CI
//! jobs that build, run or deploy it, and the Kubernetes workloads whose
//! containers run it. Found in one pass over each kind of edge, so the
//! cost stays linear; rules and reports read [`super::Graph::image_consumers`].

use super::Graph;
use crate::parse::Facts;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ConsumerKind {
    ComposeService,
    CiBuild,
    CiRun,
    CiDeploy,
    Workload,
}

/// One place that uses an image.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Consumer {
    pub kind: ConsumerKind,
    /// `web` (Compose), `ci.yml · build` (CI), `Deployment api` (Kubernetes).
    pub name: String,
    pub file: String,
    pub line: u32,
    /// For Compose services and workloads: whether it checks the
    /// container's health (a `healthcheck`, a readiness or liveness probe).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks_health: Option<bool>,
}

impl Consumer {
    /// `Compose service `web` (compose.yaml:3)`.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            ConsumerKind::ComposeService => "Compose service",
            ConsumerKind::CiBuild => "CI build",
            ConsumerKind::CiRun => "CI run",
            ConsumerKind::CiDeploy => "CI deploy",
            ConsumerKind::Workload => "workload",
        };
        format!("{what} `{}` ({}:{})", self.name, self.file, self.line)
    }
}

/// The consumers of every image definition, by index.
pub fn of_images(facts: &Facts, g: &Graph) -> Vec<Vec<Consumer>> {
    let mut out: Vec<Vec<Consumer>> = vec![Vec::new(); g.image_defs.len()];
    let defs_of = |components: &[usize]| -> Vec<usize> {
        let mut d: Vec<usize> = components
            .iter()
            .filter_map(|&c| g.components.get(c))
            .flat_map(|c| c.image_defs.iter().copied())
            .collect();
        d.sort_unstable();
        d.dedup();
        d
    };
    let job = |pipeline: usize, job: usize| -> String {
        match facts
            .pipelines
            .get(pipeline)
            .and_then(|p| p.jobs.get(job).map(|j| (p, j)))
        {
            Some((p, j)) => format!(
                "{} · {}",
                crate::paths::file_name(&p.file),
                if j.name.is_empty() { &j.id } else { &j.name }
            ),
            None => "?".into(),
        }
    };
    // Compose services that build the Dockerfile or run its image.
    let mut links: std::collections::HashMap<(usize, usize), Vec<usize>> = Default::default();
    for (i, l) in g.compose_links.iter().enumerate() {
        links
            .entry((l.project, l.service_index))
            .or_default()
            .push(i);
    }
    for (pi, project) in facts.compose.iter().enumerate() {
        for (si, s) in project.services.iter().enumerate() {
            let mut defs: Vec<usize> = match &s.build {
                Some(b) if !b.remote && !b.dockerfile_inline => {
                    g.image_defs_for_file(&b.dockerfile_path()).to_vec()
                }
                _ => Vec::new(),
            };
            for l in links
                .get(&(pi, si))
                .into_iter()
                .flatten()
                .filter_map(|&i| g.compose_links.get(i))
            {
                defs.extend(defs_of(&l.components));
            }
            defs.sort_unstable();
            defs.dedup();
            let checks = s.healthcheck.as_ref().is_some_and(|h| !h.disabled);
            for d in defs {
                if let Some(v) = out.get_mut(d) {
                    v.push(Consumer {
                        kind: ConsumerKind::ComposeService,
                        name: s.name.clone(),
                        file: s.file.clone(),
                        line: s.line,
                        checks_health: Some(checks),
                    });
                }
            }
        }
    }
    for b in &g.builds {
        for &d in &b.image_defs {
            if let Some(v) = out.get_mut(d) {
                v.push(Consumer {
                    kind: ConsumerKind::CiBuild,
                    name: job(b.pipeline, b.job),
                    file: b.file.clone(),
                    line: b.line,
                    checks_health: None,
                });
            }
        }
    }
    for r in &g.runs {
        for d in defs_of(&r.components) {
            if let Some(v) = out.get_mut(d) {
                v.push(Consumer {
                    kind: ConsumerKind::CiRun,
                    name: job(r.pipeline, r.job),
                    file: r.file.clone(),
                    line: r.line,
                    checks_health: None,
                });
            }
        }
    }
    for dep in &g.deploys {
        for d in defs_of(&dep.components) {
            if let Some(v) = out.get_mut(d) {
                v.push(Consumer {
                    kind: ConsumerKind::CiDeploy,
                    name: job(dep.pipeline, dep.job),
                    file: dep.file.clone(),
                    line: dep.line,
                    checks_health: None,
                });
            }
        }
    }
    for o in facts
        .orchestration
        .objects
        .iter()
        .filter(|o| o.is_workload())
    {
        for c in o.containers.iter().filter(|c| !c.init) {
            let checks = c.readiness_probe || c.liveness_probe;
            for d in defs_of(&g.components_for_image(&c.image)) {
                if let Some(v) = out.get_mut(d) {
                    v.push(Consumer {
                        kind: ConsumerKind::Workload,
                        name: format!("{} {}", o.kind, o.name),
                        file: o.file.clone(),
                        line: c.line,
                        checks_health: Some(checks),
                    });
                }
            }
        }
    }
    for v in &mut out {
        v.sort();
        v.dedup();
    }
    out
}
