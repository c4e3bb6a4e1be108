//! CI edges of the graph: builds, runs and deploys, from the meanings the
//! CI parsers found in each step.

use super::{image, Build, Deploy, Graph, ImageDef, ImageDefKind, Run, RunKind};
use crate::parse::ci::{Job, Meaning, Pipeline, TriggerKind};
use crate::parse::compose::{ComposeBuild, ComposeProject, ComposeService};
use crate::parse::Facts;
use crate::paths;
use kubeready_shell::{ComposeInvocation, ImageBuild};
use std::collections::HashMap;

/// Tools that build images without a Dockerfile.
const BUILDER_TOOLS: &[&str] = &[
    "pack",
    "ko",
    "jib",
    "nixpacks",
    "s2i",
    "spring-boot",
    "quarkus",
];

fn is_builder_tool(tool: &str) -> bool {
    BUILDER_TOOLS.contains(&tool)
}

/// Resolves a CI build's Dockerfile and context against the step's
/// working directory: `-f` is relative to the working directory, the
/// default Dockerfile is `<context>/Dockerfile`.
pub fn resolve_build(b: &ImageBuild, workdir: &str) -> (Option<String>, String) {
    let context = b
        .context
        .as_deref()
        .filter(|c| !c.contains("://") && !c.starts_with("git@") && *c != "-")
        .and_then(|c| paths::join(workdir, c))
        .unwrap_or_else(|| workdir.to_string());
    // A bake build's Dockerfiles are named in its bake file, not by flags.
    if b.tool.contains("bake") && b.dockerfile.is_none() {
        return (None, context);
    }
    let dockerfile = match &b.dockerfile {
        Some(f) if f == "-" => None,
        // A context from stdin with no Dockerfile named: unknown.
        None if b.context.as_deref() == Some("-") => None,
        Some(f) => paths::join(workdir, f),
        None => paths::join(&context, "Dockerfile"),
    };
    (dockerfile, context)
}

fn each_meaning(
    facts: &Facts,
) -> impl Iterator<
    Item = (
        usize,
        usize,
        &Pipeline,
        &Job,
        &str,
        &crate::parse::ci::LocatedMeaning,
    ),
> {
    facts.pipelines.iter().enumerate().flat_map(|(pi, p)| {
        p.jobs.iter().enumerate().flat_map(move |(ji, j)| {
            j.steps.iter().flat_map(move |s| {
                s.meanings
                    .iter()
                    .map(move |m| (pi, ji, p, j, s.workdir.as_str(), m))
            })
        })
    })
}

/// First pass: contexts and names that CI builds give to image
/// definitions, and builder image definitions for CI-only builders.
pub fn collect_ci_contexts(facts: &Facts, g: &mut Graph) {
    // Whether the job of the meaning at hand pushes anything, by job.
    let mut job_pushes: Option<((usize, usize), bool)> = None;
    for (pi, ji, _, j, workdir, lm) in each_meaning(facts) {
        let Meaning::ImageBuild(b) = &lm.meaning else {
            continue;
        };
        let pushes = match job_pushes {
            Some((at, p)) if at == (pi, ji) => p,
            _ => {
                let p = j
                    .meanings()
                    .any(|m| matches!(m.meaning, Meaning::ImagePush { .. }));
                job_pushes = Some(((pi, ji), p));
                p
            }
        };
        if is_builder_tool(&b.tool) {
            let (_, context) = resolve_build(b, workdir);
            for si in builder_targets(g, &context, &b.tool) {
                let exists = g.image_defs.iter().any(|d| {
                    matches!(d.kind, ImageDefKind::Builder(_)) && d.components.contains(&si)
                });
                if !exists {
                    g.image_defs.push(ImageDef {
                        kind: ImageDefKind::Builder(b.tool.clone()),
                        file: lm.file.clone(),
                        line: lm.line,
                        contexts: vec![context.clone()],
                        names: b.tags.clone(),
                        components: vec![si],
                        owner_reason: format!("`{}` builds it in CI", b.tool),
                        built_in_ci: true,
                        pushed_in_ci: b.push || pushes,
                        role: None,
                        role_evidence: String::new(),
                    });
                }
            }
            continue;
        }
        let (Some(dockerfile), context) = resolve_build(b, workdir) else {
            continue;
        };
        // A context read from stdin is not a folder of the repo.
        let stdin = b.context.as_deref() == Some("-");
        if let Some(def) = super::build::dockerfile_def_mut(facts, g, &dockerfile) {
            def.built_in_ci = true;
            def.pushed_in_ci |= b.push || pushes;
            if !stdin && !def.contexts.contains(&context) {
                def.contexts.push(context);
            }
            for t in &b.tags {
                if !def.names.contains(t) {
                    def.names.push(t.clone());
                }
            }
        }
    }
}

/// Services a builder build (pack/ko/jib) at `context` produces.
fn builder_targets(g: &Graph, context: &str, tool: &str) -> Vec<usize> {
    if let Some(i) = g.services.iter().position(|s| s.path == context) {
        return vec![i];
    }
    let lang = match tool {
        "jib" | "spring-boot" | "quarkus" => Some(crate::parse::manifest::Language::Java),
        "ko" => Some(crate::parse::manifest::Language::Go),
        _ => None,
    };
    let within: Vec<usize> = g
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| paths::is_within(&s.path, context) && lang.is_none_or(|l| s.language == l))
        .map(|(i, _)| i)
        .collect();
    if within.len() == 1 || lang.is_some() {
        within
    } else {
        Vec::new()
    }
}

/// How a job is triggered.
struct JobTriggers {
    automatic: bool,
    manual: bool,
    pull_request_only: bool,
}

fn job_triggers(p: &Pipeline, j: &Job) -> JobTriggers {
    let t = j.effective_triggers(p);
    let automatic = t.iter().any(|t| t.kind.is_automatic());
    let manual = !t.is_empty() && t.iter().all(|t| t.kind == TriggerKind::Manual);
    let pull_request_only = !t.is_empty()
        && t.iter().any(|t| t.kind == TriggerKind::PullRequest)
        && t.iter()
            .all(|t| matches!(t.kind, TriggerKind::PullRequest | TriggerKind::Manual));
    JobTriggers {
        automatic,
        manual,
        pull_request_only,
    }
}

/// Second pass: builds, runs and deploys.
pub fn collect_ci_edges(facts: &Facts, g: &mut Graph) {
    // Image definitions are all known by now; builds and runs look theirs
    // up by Dockerfile (a scan per build was a million comparisons at
    // 1,000 services).
    let mut defs_by_file = DefsByFile::new();
    for (i, d) in g.image_defs.iter().enumerate() {
        defs_by_file.entry(d.file.clone()).or_default().push(i);
    }
    for (pi, p) in facts.pipelines.iter().enumerate() {
        for (ji, j) in p.jobs.iter().enumerate() {
            let trig = job_triggers(p, j);
            job_builds(facts, g, &defs_by_file, (pi, ji), j, &trig);
        }
    }
    // Builds are complete: image lookups from here on see all of them.
    g.reset_image_index();
    let built = BuiltIndex::new(g, facts.pipelines.len());
    for (pi, p) in facts.pipelines.iter().enumerate() {
        for (ji, j) in p.jobs.iter().enumerate() {
            let trig = job_triggers(p, j);
            job_runs(facts, g, &defs_by_file, &built, pi, ji, j);
            // Only this job's deploys are pushed from here on.
            let first_deploy = g.deploys.len();
            job_deploys(facts, g, &built, pi, ji, p, j, &trig);
            super::throwaway::throwaway_cluster_run(g, first_deploy, pi, ji, j);
        }
    }
}

/// The components CI builds, by job and by pipeline, computed once: asking
/// [`Graph::built_components`] per job scanned every build for every job
/// (quadratic in a pipeline of N building jobs).
struct BuiltIndex {
    /// (pipeline, job, build index), sorted.
    by_job: Vec<(usize, usize, usize)>,
    /// Per pipeline, the components of its builds that do not run only on
    /// pull requests, in build order.
    by_pipeline: Vec<Vec<usize>>,
}

impl BuiltIndex {
    fn new(g: &Graph, pipelines: usize) -> Self {
        let mut by_job: Vec<(usize, usize, usize)> = g
            .builds
            .iter()
            .enumerate()
            .map(|(i, b)| (b.pipeline, b.job, i))
            .collect();
        by_job.sort_unstable();
        let mut by_pipeline: Vec<Vec<usize>> = vec![Vec::new(); pipelines];
        for b in g.builds.iter().filter(|b| !b.pull_request_only) {
            if let Some(v) = by_pipeline.get_mut(b.pipeline) {
                v.extend(g.build_components(b));
            }
        }
        BuiltIndex {
            by_job,
            by_pipeline,
        }
    }

    /// What `g.built_components(|b| b.pipeline == pi && b.job == ji)` gives.
    fn job(&self, g: &Graph, pi: usize, ji: usize) -> Vec<usize> {
        let from = self
            .by_job
            .partition_point(|&(bp, bj, _)| (bp, bj) < (pi, ji));
        self.by_job[from..]
            .iter()
            .take_while(|&&(bp, bj, _)| (bp, bj) == (pi, ji))
            .filter_map(|&(_, _, bi)| g.builds.get(bi))
            .flat_map(|b| g.build_components(b))
            .collect()
    }

    /// The components of this job's builds by the bare variable reference
    /// they are tagged with (`$image_tag` → `image_tag`): `docker build -t
    /// "$image_tag"` then `docker run "$image_tag"` in one job runs the
    /// image just built, whatever the variable holds.
    fn job_by_variable(&self, g: &Graph, pi: usize, ji: usize) -> HashMap<String, Vec<usize>> {
        let from = self
            .by_job
            .partition_point(|&(bp, bj, _)| (bp, bj) < (pi, ji));
        let mut out: HashMap<String, Vec<usize>> = HashMap::new();
        for b in self.by_job[from..]
            .iter()
            .take_while(|&&(bp, bj, _)| (bp, bj) == (pi, ji))
            .filter_map(|&(_, _, bi)| g.builds.get(bi))
        {
            for var in b.tags.iter().filter_map(|t| bare_variable(t)) {
                let comps = out.entry(var.to_string()).or_default();
                comps.extend(g.build_components(b));
                comps.sort_unstable();
                comps.dedup();
            }
        }
        out
    }

    /// What `g.built_components(|b| b.pipeline == pi && !b.pull_request_only)` gives.
    fn pipeline(&self, pi: usize) -> &[usize] {
        self.by_pipeline.get(pi).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The variable an image reference is made of, alone (`$image_tag`,
/// `${IMAGE}` → `image_tag`, `IMAGE`); `None` for anything else.
fn bare_variable(image: &str) -> Option<&str> {
    let v = image.trim().strip_prefix('$')?;
    let v = match v.strip_prefix('{') {
        Some(inner) => inner.strip_suffix('}')?,
        None => v,
    };
    (!v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(v)
}

fn compose_project_for<'a>(
    facts: &'a Facts,
    files: &[String],
    workdir: &str,
) -> Vec<&'a crate::parse::compose::ComposeProject> {
    if files.is_empty() {
        return facts
            .compose
            .iter()
            .filter(|c| c.dir == workdir && !c.variant)
            .collect();
    }
    let wanted: Vec<String> = files
        .iter()
        .filter_map(|f| paths::join(workdir, f))
        .collect();
    facts
        .compose
        .iter()
        .filter(|c| wanted.iter().any(|w| c.files.contains(w)))
        .collect()
}

/// The services a Compose command starts or builds in `project`, each with
/// its `build:` as the command sees it. Services named on the command line
/// bring their `depends_on` along (for `up`/`run`); with `-f` files named, Compose reads
/// only those files, so a `build:` written in another file of the project
/// (the main file, when only an override or a deps-only file is named)
/// builds nothing.
fn compose_services<'a>(
    project: &'a ComposeProject,
    c: &ComposeInvocation,
    workdir: &str,
) -> Vec<(&'a ComposeService, Option<&'a ComposeBuild>)> {
    let named_files: Vec<String> = c
        .files
        .iter()
        .filter_map(|f| paths::join(workdir, f))
        .collect();
    let unread = |f: &str| {
        !named_files.is_empty()
            && project.files.iter().any(|p| p == f)
            && !named_files.iter().any(|n| n == f)
    };
    let mut wanted: Vec<&str> = c.services.iter().map(String::as_str).collect();
    // `up`/`run` start what the named services depend on; `build`,
    // `push` and `exec` act on the named services only.
    let with_deps = matches!(c.subcommand.as_str(), "up" | "run" | "start" | "create");
    let mut i = 0;
    while let Some(name) = wanted.get(i).copied().filter(|_| with_deps) {
        i += 1;
        if let Some(svc) = project.services.iter().find(|s| s.name == name) {
            for d in &svc.depends_on {
                if !wanted.contains(&d.service.as_str()) {
                    wanted.push(&d.service);
                }
            }
        }
    }
    project
        .services
        .iter()
        .filter(|s| c.services.is_empty() || wanted.contains(&s.name.as_str()))
        .map(|s| (s, s.build.as_ref().filter(|b| !unread(&b.file))))
        .collect()
}

/// Image definitions by their file, in graph order.
type DefsByFile = std::collections::HashMap<String, Vec<usize>>;

fn defs_of<'d>(defs_by_file: &'d DefsByFile, file: &str) -> &'d [usize] {
    defs_by_file.get(file).map_or(&[], Vec::as_slice)
}

fn job_builds(
    facts: &Facts,
    g: &mut Graph,
    defs_by_file: &DefsByFile,
    (pi, ji): (usize, usize),
    j: &Job,
    trig: &JobTriggers,
) {
    // What the job pushes, indexed: a monorepo job can build and push
    // hundreds of images, and every tag is checked against every push.
    let mut pushed = image::NameIndex::default();
    let mut pushed_names: Vec<&str> = Vec::new();
    for m in j.meanings() {
        if let Meaning::ImagePush { images, .. } = &m.meaning {
            for i in images {
                pushed.insert(i, ());
                pushed_names.push(i);
            }
        }
    }
    // `docker tag local-name registry/name:tag` then a push of the
    // registry name pushes the local build (one round: tags of tags are rare).
    let mut pushed_index = image::NameIndex::default();
    for i in &pushed_names {
        pushed_index.insert(i, ());
    }
    // The pushed names of a local build, by its local name.
    let mut aliases: image::NameIndex<String> = image::NameIndex::default();
    for m in j.meanings() {
        if let Meaning::ImageTag { source, target } = &m.meaning {
            if pushed_index.matches(target).next().is_some() {
                pushed.insert(source, ());
                aliases.insert(source, target.clone());
            }
        }
    }
    let any_push = j.meanings().any(|m| {
        matches!(&m.meaning, Meaning::ImagePush { .. })
            || matches!(&m.meaning, Meaning::Compose(c) if c.subcommand == "push")
    });
    for step in &j.steps {
        for lm in &step.meanings {
            match &lm.meaning {
                Meaning::ImageBuild(b) if b.tool == "skaffold" => {
                    // skaffold builds every artifact of its config.
                    for a in facts
                        .orchestration
                        .artifacts
                        .iter()
                        .filter(|a| a.source == crate::parse::k8s::MentionSource::Skaffold)
                    {
                        let Some(context) = &a.context else { continue };
                        let dockerfile = a.dockerfile.clone().unwrap_or_else(|| {
                            paths::join(context, "Dockerfile").unwrap_or_default()
                        });
                        let defs = defs_of(defs_by_file, &dockerfile).to_vec();
                        g.builds.push(Build {
                            pipeline: pi,
                            job: ji,
                            file: lm.file.clone(),
                            line: lm.line,
                            tool: "skaffold".into(),
                            dockerfile: Some(dockerfile),
                            context: Some(context.clone()),
                            image_defs: defs,
                            tags: vec![a.image.clone()],
                            push: b.push,
                            automatic: trig.automatic && !trig.manual,
                            manual: trig.manual,
                            pull_request_only: trig.pull_request_only,
                            target: None,
                        });
                    }
                }
                Meaning::ImageBuild(b) => {
                    let (dockerfile, context) = resolve_build(b, &step.workdir);
                    let defs: Vec<usize> = if is_builder_tool(&b.tool) {
                        let targets = builder_targets(g, &context, &b.tool);
                        g.image_defs
                            .iter()
                            .enumerate()
                            .filter(|(_, d)| {
                                matches!(d.kind, ImageDefKind::Builder(_))
                                    && d.components.iter().any(|c| {
                                        targets.iter().any(|t| {
                                            g.component_of_service(*t) == Some(*c) || *t == *c
                                        })
                                    })
                            })
                            .map(|(i, _)| i)
                            .collect()
                    } else {
                        dockerfile
                            .as_deref()
                            .map_or_else(Vec::new, |f| defs_of(defs_by_file, f).to_vec())
                    };
                    let push = b.push
                        || b.tags.iter().any(|t| pushed.matches(t).next().is_some())
                        || (b.tags.is_empty() && any_push);
                    // A local name pushed under its `docker tag` alias is
                    // published as the alias.
                    let mut tags = b.tags.clone();
                    for t in &b.tags {
                        for a in aliases.matches(t) {
                            if !tags.contains(a) {
                                tags.push(a.clone());
                            }
                        }
                    }
                    // A context read from stdin is not a folder of the repo.
                    let context = Some(context).filter(|_| b.context.as_deref() != Some("-"));
                    g.builds.push(Build {
                        pipeline: pi,
                        job: ji,
                        file: lm.file.clone(),
                        line: lm.line,
                        tool: b.tool.clone(),
                        dockerfile: if is_builder_tool(&b.tool) {
                            None
                        } else {
                            dockerfile
                        },
                        context,
                        image_defs: defs,
                        tags,
                        push,
                        automatic: trig.automatic && !trig.manual,
                        manual: trig.manual,
                        pull_request_only: trig.pull_request_only,
                        target: b.target.clone(),
                    });
                }
                Meaning::Compose(c)
                    if c.subcommand == "build"
                        || c.subcommand == "push"
                        || (c.subcommand == "up" && c.remote.is_none()) =>
                {
                    if c.subcommand == "push" {
                        continue;
                    }
                    let compose_push = j.meanings().any(
                        |m| matches!(&m.meaning, Meaning::Compose(x) if x.subcommand == "push"),
                    );
                    for project in compose_project_for(facts, &c.files, &step.workdir) {
                        for (svc, build) in compose_services(project, c, &step.workdir) {
                            let Some(build) = build else { continue };
                            let dockerfile = build.dockerfile_path();
                            let defs: Vec<usize> = g
                                .image_defs
                                .iter()
                                .enumerate()
                                .filter(|(_, d)| d.file == dockerfile)
                                .map(|(i, _)| i)
                                .collect();
                            g.builds.push(Build {
                                pipeline: pi,
                                job: ji,
                                file: lm.file.clone(),
                                line: lm.line,
                                tool: format!("{} {}", c.tool, c.subcommand),
                                dockerfile: Some(dockerfile),
                                context: Some(build.context.clone()),
                                image_defs: defs,
                                tags: svc.image.iter().map(|i| i.value.clone()).collect(),
                                push: compose_push,
                                automatic: trig.automatic && !trig.manual,
                                manual: trig.manual,
                                pull_request_only: trig.pull_request_only,
                                target: build.target.clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn job_runs(
    facts: &Facts,
    g: &mut Graph,
    defs_by_file: &DefsByFile,
    built: &BuiltIndex,
    pi: usize,
    ji: usize,
    j: &Job,
) {
    let mut runs = Vec::new();
    if let Some(c) = &j.container {
        runs.push(Run {
            pipeline: pi,
            job: ji,
            file: j.file.clone(),
            line: c.line,
            kind: RunKind::JobContainer,
            image: c.image.clone(),
            components: g.components_for_image(&c.image),
        });
    }
    for s in &j.services {
        runs.push(Run {
            pipeline: pi,
            job: ji,
            file: j.file.clone(),
            line: s.line,
            kind: RunKind::ServiceContainer,
            image: s.image.clone(),
            components: g.components_for_image(&s.image),
        });
    }
    let job_built: Vec<usize> = built.job(g, pi, ji);
    // Built on the first run of a bare variable (`docker run "$image"`).
    let mut by_variable: Option<HashMap<String, Vec<usize>>> = None;
    for step in &j.steps {
        for lm in &step.meanings {
            match &lm.meaning {
                Meaning::ImageRun { image, .. } => {
                    let components = match bare_variable(image) {
                        Some(var) => by_variable
                            .get_or_insert_with(|| built.job_by_variable(g, pi, ji))
                            .get(var)
                            .cloned()
                            .unwrap_or_default(),
                        None => g.components_for_image(image),
                    };
                    runs.push(Run {
                        pipeline: pi,
                        job: ji,
                        file: lm.file.clone(),
                        line: lm.line,
                        kind: RunKind::DockerRun,
                        image: image.clone(),
                        components,
                    });
                }
                Meaning::Compose(c)
                    if matches!(c.subcommand.as_str(), "up" | "run" | "exec" | "start")
                        && c.remote.is_none() =>
                {
                    let mut comps = Vec::new();
                    for project in compose_project_for(facts, &c.files, &step.workdir) {
                        for (svc, build) in compose_services(project, c, &step.workdir) {
                            if let Some(build) = build {
                                let dockerfile = build.dockerfile_path();
                                for def in defs_of(defs_by_file, &dockerfile)
                                    .iter()
                                    .filter_map(|&d| g.image_defs.get(d))
                                {
                                    comps.extend(def.components.iter().copied());
                                }
                            } else if let Some(img) = &svc.image {
                                comps.extend(g.components_for_image(&img.value));
                            }
                        }
                    }
                    comps.sort_unstable();
                    comps.dedup();
                    runs.push(Run {
                        pipeline: pi,
                        job: ji,
                        file: lm.file.clone(),
                        line: lm.line,
                        kind: RunKind::ComposeRun,
                        image: format!("{} {}", c.tool, c.subcommand),
                        components: comps,
                    });
                }
                Meaning::ImageBuild(b)
                    if b.target
                        .as_deref()
                        .is_some_and(|t| t.to_ascii_lowercase().contains("test")) =>
                {
                    let (dockerfile, _) = resolve_build(b, &step.workdir);
                    let comps: Vec<usize> = g
                        .image_defs
                        .iter()
                        .filter(|d| Some(&d.file) == dockerfile.as_ref())
                        .flat_map(|d| d.components.clone())
                        .collect();
                    runs.push(Run {
                        pipeline: pi,
                        job: ji,
                        file: lm.file.clone(),
                        line: lm.line,
                        kind: RunKind::TestStage,
                        image: dockerfile.unwrap_or_default(),
                        components: comps,
                    });
                }
                Meaning::ContainerTest { tool } => {
                    runs.push(Run {
                        pipeline: pi,
                        job: ji,
                        file: lm.file.clone(),
                        line: lm.line,
                        kind: RunKind::StructureTest,
                        image: tool.clone(),
                        components: job_built.clone(),
                    });
                }
                _ => {}
            }
        }
    }
    g.runs.extend(runs);
}

/// Words that mark a non-production target (SPEC §1 step 7).
pub fn is_non_production(name: &str) -> bool {
    words(name).any(|w| {
        matches!(
            w.as_str(),
            "staging"
                | "stage"
                | "stg"
                | "qa"
                | "preprod"
                | "test"
                | "testing"
                | "review"
                | "dev"
                | "development"
                | "uat"
                | "sandbox"
                | "preview"
        )
    }) || name.to_ascii_lowercase().contains("pre-prod")
}

pub fn is_production(name: &str) -> bool {
    words(name).any(|w| matches!(w.as_str(), "prod" | "production" | "live" | "prd"))
}

fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

#[allow(clippy::too_many_arguments)]
fn job_deploys(
    facts: &Facts,
    g: &mut Graph,
    built: &BuiltIndex,
    pi: usize,
    ji: usize,
    p: &Pipeline,
    j: &Job,
    trig: &JobTriggers,
) {
    let (target, target_line) = match &j.environment {
        Some(e) => (e.name.clone(), e.line),
        None => (
            if j.name.is_empty() {
                j.id.clone()
            } else {
                j.name.clone()
            },
            j.line,
        ),
    };
    let pipeline_builds: &[usize] = built.pipeline(pi);
    // A job that brings up a local cluster (kind, k3d, minikube) deploys
    // into it to test: not an environment.
    let local_cluster_job = j
        .steps
        .iter()
        .flat_map(|s| &s.meanings)
        .any(|m| matches!(m.meaning, Meaning::LocalCluster { .. }));
    for step in &j.steps {
        for lm in &step.meanings {
            let throwaway_cluster = local_cluster_job
                || matches!(&lm.meaning, Meaning::Deploy(d)
                    if d.context.as_deref().and_then(super::throwaway::local_cluster_context).is_some());
            let (tool, action, images, files) = match &lm.meaning {
                Meaning::Deploy(d) => (
                    d.tool.clone(),
                    d.action.clone(),
                    d.images.clone(),
                    d.files.clone(),
                ),
                Meaning::GitOpsBump { tool, image, file } => (
                    tool.clone(),
                    "gitops-bump".to_string(),
                    image.iter().cloned().collect(),
                    file.iter().cloned().collect(),
                ),
                Meaning::Compose(c) if c.remote.is_some() && c.subcommand == "up" => (
                    format!("{} (remote)", c.tool),
                    "up".to_string(),
                    Vec::new(),
                    c.files.clone(),
                ),
                _ => continue,
            };
            let mut comps: Vec<usize> = Vec::new();
            let mut reason = None;
            for img in &images {
                let c = g.components_for_image(img);
                if !c.is_empty() {
                    reason = Some(format!("deploys `{img}`, which CI builds"));
                    comps.extend(c);
                }
            }
            if comps.is_empty()
                && !pipeline_builds.is_empty()
                && (images.iter().any(|i| references_pipeline_tag(i)) || action == "gitops-bump")
            {
                comps.extend(pipeline_builds.iter().copied());
                reason = Some("uses a tag built in the same pipeline".into());
            }
            if comps.is_empty() && matches!(tool.as_str(), "skaffold" | "ko" | "werf" | "tilt") {
                // These tools deploy what they have just built.
                let same_job: Vec<usize> = built.job(g, pi, ji);
                if !same_job.is_empty() {
                    reason = Some(format!("`{tool}` deploys the images it builds"));
                    comps.extend(same_job);
                }
            }
            if comps.is_empty() {
                for f in &files {
                    let Some(path) = paths::join(&step.workdir, f) else {
                        continue;
                    };
                    for o in facts
                        .orchestration
                        .objects
                        .iter()
                        .filter(|o| paths::is_within(&o.file, &path))
                    {
                        for c in &o.containers {
                            let found = g.components_for_image(&c.image);
                            if !found.is_empty() {
                                reason = Some(format!(
                                    "applies `{}`, whose image `{}` CI builds",
                                    o.file, c.image
                                ));
                                comps.extend(found);
                            }
                        }
                    }
                    // A Compose file started on a remote host (over SSH
                    // or a Docker context) runs its services' images.
                    for s in facts
                        .compose
                        .iter()
                        .filter(|p| p.files.iter().any(|f| f == &path))
                        .flat_map(|p| p.services.iter())
                    {
                        let Some(image) = &s.image else { continue };
                        let found = g.components_for_image(&image.value);
                        if !found.is_empty() {
                            reason = Some(format!(
                                "starts `{}`, whose image `{}` CI builds",
                                s.file, image.value
                            ));
                            comps.extend(found);
                        }
                    }
                    for m in facts
                        .orchestration
                        .mentions
                        .iter()
                        .filter(|m| paths::is_within(&m.file, &path))
                    {
                        let found = g.components_for_image(&m.image);
                        if !found.is_empty() {
                            reason = Some(format!(
                                "deploys `{}` ({}), which CI builds",
                                m.image, m.file
                            ));
                            comps.extend(found);
                        }
                    }
                }
            }
            comps.sort_unstable();
            comps.dedup();
            let name = format!("{target} {} {}", j.id, p.name);
            g.deploys.push(Deploy {
                pipeline: pi,
                job: ji,
                file: lm.file.clone(),
                line: lm.line,
                tool,
                action,
                non_production: is_non_production(&target)
                    || (j.environment.is_none() && is_non_production(&name)),
                production: is_production(&target),
                target: target.clone(),
                target_line,
                automatic: trig.automatic && !trig.manual,
                manual: trig.manual,
                components: comps,
                uses_built_reason: reason,
                throwaway_cluster,
            });
        }
    }
}

/// Whether an image reference uses a tag a pipeline computes (commit SHA,
/// pipeline id, tag name, version variable).
pub fn references_pipeline_tag(image: &str) -> bool {
    let l = image.to_ascii_lowercase();
    [
        "sha",
        "commit",
        "ref_name",
        "tag",
        "version",
        "build_id",
        "buildid",
        "pipeline_id",
        "run_number",
        "build_number",
        "revision",
        "github.ref",
    ]
    .iter()
    .any(|k| l.contains(k))
        && (l.contains('$') || l.contains("{{"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_words() {
        assert!(is_non_production("staging"));
        assert!(is_non_production("Deploy to QA"));
        assert!(is_non_production("review/$CI_COMMIT_REF_NAME"));
        assert!(is_non_production("pre-prod"));
        assert!(!is_non_production("production"));
        assert!(!is_non_production("latest"));
        assert!(!is_non_production("devops")); // a word, not a substring
        assert!(is_production("prod-eu"));
    }

    #[test]
    fn resolves_dockerfile_against_workdir() {
        let b = ImageBuild {
            context: Some("services/api".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve_build(&b, ""),
            (
                Some("services/api/Dockerfile".into()),
                "services/api".into()
            )
        );
        let b = ImageBuild {
            context: Some(".".into()),
            dockerfile: Some("docker/api.Dockerfile".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve_build(&b, "app"),
            (Some("app/docker/api.Dockerfile".into()), "app".into())
        );
    }

    #[test]
    fn bake_builds_name_no_default_dockerfile() {
        let b = ImageBuild {
            tool: "docker-buildx-bake".into(),
            context: None,
            ..Default::default()
        };
        assert_eq!(
            resolve_build(&b, "tests/dockerfiles"),
            (None, "tests/dockerfiles".into())
        );
    }

    #[test]
    fn bare_variables() {
        assert_eq!(bare_variable("$image_tag"), Some("image_tag"));
        assert_eq!(bare_variable("${IMAGE}"), Some("IMAGE"));
        assert_eq!(bare_variable("$REGISTRY/app"), None);
        assert_eq!(bare_variable("app:$TAG"), None);
        assert_eq!(bare_variable("$"), None);
    }

    #[test]
    fn pipeline_tags() {
        assert!(references_pipeline_tag(
            "ghcr.io/acme/api:${{ github.sha }}"
        ));
        assert!(references_pipeline_tag(
            "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
        ));
        assert!(!references_pipeline_tag("acme/api:1.0"));
    }
}
