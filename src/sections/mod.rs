//! After the checklist: orchestration and beyond (SPEC 1.1).
//!
//! Five further sections, each in its own file with its descriptor
//! (`SECTION`) and scoring formula (`EXPLAIN`) at the top, listed in
//! [`SECTIONS`], reported in the same status/score/evidence/next
//! steps form as the checklist steps (numbers 8–12). Sections never read
//! files: they ask the parsed facts, the graph, the findings and the
//! checklist's results. They are not part of the checklist's summary
//! score, and their next steps follow the checklist's.

mod deployment_tooling;
mod developer_experience;
mod federation;
mod orchestration;
pub(crate) mod stateful_services;

use crate::checklist::{Evidence, Status, StepResult};
use crate::finding::Finding;
use crate::graph::Graph;
use crate::image_ref::ImageRef;
use crate::parse::ci::Meaning;
use crate::parse::k8s::K8sObject;
use crate::parse::Facts;

/// What the sections read.
pub struct SectionContext<'a> {
    pub facts: &'a Facts,
    pub graph: &'a Graph,
    pub findings: &'a [Finding],
    /// The checklist's seven steps, in order.
    pub steps: &'a [StepResult],
    /// The repository's kind: it decides which sections can apply.
    pub kind: crate::kind::RepositoryKind,
}

impl<'a> SectionContext<'a> {
    /// The product's own orchestration facts: manifests, charts and
    /// kustomizations of examples and test suites left out (SPEC 1.2:
    /// advice names what the repository deploys, not what it demonstrates).
    pub fn orchestration(&self) -> &'a crate::parse::k8s::OrchestrationFacts {
        self.graph.own_orchestration(self.facts)
    }
}

/// One section, described in one place (in its own file, as `SECTION`):
/// its id, number, title, scoring text (printed by `kubeready explain`)
/// and the function that judges it.
pub struct SectionDescriptor {
    /// The section's id in reports and `kubeready explain`.
    pub id: &'static str,
    /// 8–12: numbered after the checklist's seven steps, in registry order.
    pub number: u8,
    pub title: &'static str,
    /// How the section is judged: the file's `EXPLAIN`, the one copy.
    pub explain: &'static str,
    pub evaluate: fn(&SectionContext<'_>) -> StepResult,
    /// Whether the section reads the findings or the checklist's steps:
    /// the others are judged while the rules run ([`evaluate_early`]).
    pub reads_checklist: bool,
}

impl SectionDescriptor {
    /// A result of this section, before evidence and next steps.
    fn result(&self, status: Status, score: u8, summary: impl Into<String>) -> StepResult {
        StepResult {
            id: self.id,
            number: self.number,
            title: self.title,
            status,
            score: score.min(10),
            summary: summary.into(),
            evidence: Vec::new(),
            next_steps: Vec::new(),
            reason: None,
        }
    }
}

/// The five sections, in report order. Adding a section is a file with its
/// `SECTION` and a row here (and, if it judges a running app, its id in
/// `RepositoryKind::section_not_applicable`).
pub static SECTIONS: [&SectionDescriptor; 5] = [
    &orchestration::SECTION,
    &stateful_services::SECTION,
    &deployment_tooling::SECTION,
    &federation::SECTION,
    &developer_experience::SECTION,
];

/// The sections that read neither the findings nor the checklist's
/// steps, judged while the rules run (`None` for the others), in
/// [`SECTIONS`] order. `cx.findings` and `cx.steps` are not read.
pub fn evaluate_early(cx: &SectionContext<'_>) -> Vec<Option<StepResult>> {
    SECTIONS
        .iter()
        .map(|section| (!section.reads_checklist).then(|| judge(section, cx)))
        .collect()
}

fn judge(section: &SectionDescriptor, cx: &SectionContext<'_>) -> StepResult {
    crate::timings::time_with(
        || format!("section: {}", section.id),
        || (section.evaluate)(cx),
    )
}

/// Every section, in order; `early` is what [`evaluate_early`] gave
/// (empty: every section is judged here).
pub fn evaluate(cx: &SectionContext<'_>, mut early: Vec<Option<StepResult>>) -> Vec<StepResult> {
    let late: Vec<&SectionDescriptor> = SECTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| early.get(*i).is_none_or(Option::is_none))
        .map(|(_, s)| *s)
        .collect();
    // Independent questions over the same facts: side by side.
    let mut late = crate::par::map(&late, |section| judge(section, cx)).into_iter();
    early.resize_with(SECTIONS.len(), || None);
    let mut out: Vec<StepResult> = early
        .into_iter()
        .map(|r| r.or_else(|| late.next()))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    for r in &mut out {
        if let Some(reason) = cx.kind.section_not_applicable(r.id) {
            r.status = Status::NotApplicable;
            r.score = 0;
            r.summary = format!("not applicable: {reason}");
            r.reason = Some(reason);
            r.next_steps.clear();
        }
        r.evidence.sort();
        r.evidence.dedup();
        r.score = r.score.min(10);
    }
    out
}

/// `kubeready explain`-style text of a section, by id.
pub fn explain_section(id: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|s| s.id == id).map(|s| s.explain)
}

/// The Helm charts as evidence, in the one wording every section uses:
/// "Helm chart `name`, version V" for each parsed `Chart.yaml`; without
/// any, "Helm chart `folder`" for each chart folder found.
fn helm_chart_evidence(o: &crate::parse::k8s::OrchestrationFacts) -> Vec<Evidence> {
    if !o.charts.is_empty() {
        return o
            .charts
            .iter()
            .map(|c| {
                let version = c
                    .version
                    .as_deref()
                    .map(|v| format!(", version {v}"))
                    .unwrap_or_default();
                let name = c.name.as_deref().unwrap_or(crate::paths::display(&c.dir));
                Evidence::new(&c.file, 1, format!("Helm chart `{name}`{version}"))
            })
            .collect();
    }
    o.helm_charts
        .iter()
        .map(|(dir, line)| {
            Evidence::new(
                crate::paths::join(dir, "Chart.yaml").unwrap_or_default(),
                *line,
                format!("Helm chart `{}`", crate::paths::display(dir)),
            )
        })
        .collect()
}

/// The first of steps 1–3 that is unfinished (partial or missing).
pub fn first_unfinished_basic(steps: &[StepResult]) -> Option<&StepResult> {
    steps
        .iter()
        .filter(|s| (1..=3).contains(&s.number))
        .find(|s| matches!(s.status, Status::Partial | Status::Missing))
}

/// Kubernetes deploy tools (as the shell classifier names them).
pub const KUBE_TOOLS: &[&str] = &[
    "kubectl",
    "oc",
    "helm",
    "helmfile",
    "kustomize",
    "skaffold",
    "argocd",
    "flux",
    "kubectl-argo-rollouts",
    "werf",
    "kapp",
    "devspace",
    "garden",
    "okteto",
    "ko",
];

/// The shell-level deploy behind a graph deploy (same file and line).
pub fn deploy_meaning<'a>(
    cx: &'a SectionContext<'_>,
    d: &crate::graph::Deploy,
) -> Option<&'a kubeready_shell::Deploy> {
    let job = cx.facts.pipelines.get(d.pipeline)?.jobs.get(d.job)?;
    job.meanings().find_map(|lm| match &lm.meaning {
        Meaning::Deploy(m) if lm.file == d.file && lm.line == d.line => Some(m),
        _ => None,
    })
}

/// Argo CD objects (`argoproj.io` Application, ApplicationSet, AppProject).
pub fn is_argo(o: &K8sObject) -> bool {
    o.is_argo()
}

/// Flux objects (`*.toolkit.fluxcd.io`).
pub fn is_flux(o: &K8sObject) -> bool {
    o.is_flux()
}

/// Whether the CI of the repo builds this image (by tag, or by the image
/// definition's names).
pub fn built_by_ci(cx: &SectionContext<'_>, image: &str) -> bool {
    if cx.graph.ci_builds_image(image) {
        return true;
    }
    cx.graph
        .components_for_image(image)
        .into_iter()
        .any(|c| cx.graph.builds_component(c))
}

/// Whether an image is one of the repo's own (an image definition names it).
pub fn repo_image(cx: &SectionContext<'_>, image: &str) -> bool {
    !cx.graph.components_for_image(image).is_empty() || repo_artifact(cx, image)
}

/// Whether a skaffold/Tilt artifact of the product's own names the image.
pub fn repo_artifact(cx: &SectionContext<'_>, image: &str) -> bool {
    cx.orchestration().artifacts.iter().any(|a| {
        crate::graph::image::same_image(&a.image, image)
            || ImageRef::parse(&a.image).key() == ImageRef::parse(image).key()
    })
}

/// A short list for messages: "`a`, `b`, `c` and 4 more".
pub fn list_some(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if items.len() > max {
        s.push_str(&format!(" and {} more", items.len() - max));
    }
    s
}

/// Points kept in tenths, turned into a 0–10 score rounded down.
pub fn tenths_to_score(tenths: u32) -> u8 {
    (tenths / 10).min(10) as u8
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs the real pipeline over files written to a temporary folder, so
    //! section tests read the same facts the binary does.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::audit::{Audit, AuditOptions};

    pub struct Run {
        pub audit: Audit,
        _dir: tempfile::TempDir,
    }

    impl Run {
        pub fn cx(&self) -> SectionContext<'_> {
            SectionContext {
                facts: &self.audit.facts,
                graph: &self.audit.graph,
                findings: &self.audit.report.findings,
                steps: &self.audit.report.steps,
                kind: self.audit.report.repository.kind,
            }
        }

        /// A CI build pushing `tag` of every image definition (the CI
        /// parsers are not needed for section tests).
        pub fn ci_build(mut self, tag: &str) -> Run {
            let g = &mut self.audit.graph;
            g.builds.push(crate::graph::Build {
                pipeline: 0,
                job: 0,
                file: ".github/workflows/ci.yml".into(),
                line: 9,
                tool: "docker".into(),
                dockerfile: None,
                context: None,
                image_defs: (0..g.image_defs.len()).collect(),
                tags: vec![tag.to_string()],
                push: true,
                automatic: true,
                manual: false,
                pull_request_only: false,
                target: None,
            });
            // The graph's image index was built from the audit's builds.
            g.reset_image_index();
            self
        }

        /// A CI deploy step with its shell meaning, as the graph holds it.
        pub fn ci_deploy(
            mut self,
            tool: &str,
            action: &str,
            target: &str,
            automatic: bool,
            files: &[&str],
            context: Option<&str>,
        ) -> Run {
            use crate::parse::ci::{Job, LocatedMeaning, Pipeline, Step, StepBody};
            let file = ".github/workflows/cd.yml".to_string();
            let line = 10 + self.audit.graph.deploys.len() as u32;
            let meaning = Meaning::Deploy(kubeready_shell::Deploy {
                tool: tool.into(),
                action: action.into(),
                files: files.iter().map(|f| f.to_string()).collect(),
                context: context.map(str::to_string),
                ..Default::default()
            });
            let pipelines = &mut self.audit.facts.pipelines;
            pipelines.push(Pipeline {
                file: file.clone(),
                jobs: vec![Job {
                    id: "deploy".into(),
                    file: file.clone(),
                    steps: vec![Step {
                        name: None,
                        file: file.clone(),
                        line,
                        body: StepBody::Script(String::new()),
                        workdir: String::new(),
                        meanings: vec![LocatedMeaning {
                            file: file.clone(),
                            line,
                            meaning,
                        }],
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            });
            let pipeline = pipelines.len() - 1;
            self.audit.graph.deploys.push(crate::graph::Deploy {
                pipeline,
                job: 0,
                file,
                line,
                tool: tool.into(),
                action: action.into(),
                target: target.into(),
                target_line: line,
                non_production: target.contains("staging"),
                production: target.contains("prod"),
                automatic,
                manual: !automatic,
                components: Vec::new(),
                uses_built_reason: None,
                throwaway_cluster: false,
            });
            self
        }

        pub fn section(&self, id: &str) -> StepResult {
            evaluate(&self.cx(), Vec::new())
                .into_iter()
                .find(|s| s.id == id)
                .expect("section exists")
        }
    }

    pub fn run(files: &[(&str, &str)]) -> Run {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let audit = Audit::run(dir.path(), &AuditOptions::default());
        Run { audit, _dir: dir }
    }

    /// A small containerized Go service, so the checklist's basics are met.
    pub const GO_SERVICE: &[(&str, &str)] = &[
        ("api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "api/Dockerfile",
            "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /api .\nFROM gcr.io/distroless/static\nCOPY --from=build /api /api\nUSER nonroot\nENTRYPOINT [\"/api\"]\n",
        ),
        ("api/.dockerignore", ".git\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: ./api\n    image: ghcr.io/acme/api\n    ports:\n      - \"8080:8080\"\n",
        ),
    ];

    pub fn with(
        base: &[(&'static str, &'static str)],
        more: &[(&'static str, &'static str)],
    ) -> Vec<(&'static str, &'static str)> {
        base.iter().chain(more.iter()).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::k8s::{HelmChart, OrchestrationFacts};

    /// Sections are numbered after the seven steps, in registry order, and
    /// each one's scoring text names it.
    #[test]
    fn the_registry_numbers_the_sections_in_order() {
        let ids: std::collections::BTreeSet<&str> = SECTIONS.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), SECTIONS.len());
        for (i, s) in SECTIONS.iter().enumerate() {
            assert_eq!(usize::from(s.number), crate::checklist::STEPS.len() + 1 + i);
            assert!(
                s.explain.starts_with(&format!("Section `{}`", s.id)),
                "{}",
                s.id
            );
        }
    }

    #[test]
    fn helm_charts_have_one_wording() {
        let mut o = OrchestrationFacts {
            helm_charts: vec![("deploy/chart".into(), 1)],
            ..Default::default()
        };
        let e = helm_chart_evidence(&o);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].file, "deploy/chart/Chart.yaml");
        assert_eq!(e[0].message, "Helm chart `deploy/chart`");
        o.charts = vec![
            HelmChart {
                file: "deploy/chart/Chart.yaml".into(),
                dir: "deploy/chart".into(),
                name: Some("shop".into()),
                version: Some("1.2.0".into()),
                ..Default::default()
            },
            HelmChart {
                file: "Chart.yaml".into(),
                ..Default::default()
            },
        ];
        let messages: Vec<String> = helm_chart_evidence(&o)
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            messages,
            vec!["Helm chart `shop`, version 1.2.0", "Helm chart `.`"]
        );
    }
}
