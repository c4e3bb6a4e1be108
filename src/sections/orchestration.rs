//! Section `orchestration`: Kubernetes manifests, Helm charts, Kustomize,
//! skaffold/Tilt, Argo CD and Flux, and how ready they are.
//!
//! Artefacts: workload and other objects in manifests, Helm charts,
//! kustomizations, skaffold/Tilt deploys, Argo CD and Flux objects.
//! missing without any. Workload images are the containers' images of
//! manifest workloads plus the images Helm values, Helm templates and
//! Kustomize `images:` name (references that are still template
//! expressions are not judged). An image is ok when the repo's CI builds
//! it, or when it is a public image pinned to a tag other than `latest`
//! or a digest (a Helm values image without a tag takes the chart's
//! `appVersion`).
//!
//! score, in tenths rounded down:
//!
//! ```text
//! 20 for having artefacts
//! + 40 × share of judged workload images that are ok (all when none is judged)
//! + 15 × share of manifest containers with a readiness or liveness probe
//! + 15 × share of manifest containers with resource requests and limits
//! + 10 × share of manifest containers running as non-root
//!        (runAsNonRoot: true or a non-zero runAsUser, container or pod)
//! ```
//!
//! The three container shares count 0 when no container is parsed (Helm
//! templates are read as text, so their settings are unknown). An
//! error-severity `KR4…` finding caps the score at 7.
//! done when artefacts exist, every judged workload image is ok and no
//! error-severity KR4 finding exists; otherwise partial.

use super::{
    first_unfinished_basic, helm_chart_evidence, is_argo, is_flux, list_some, repo_artifact,
    tenths_to_score, SectionContext, SectionDescriptor,
};
use crate::checklist::{Evidence, Status, StepResult};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::parse::k8s::{Container, K8sObject, MentionSource};
use crate::paths;

/// This section, as the registry ([`super::SECTIONS`]) lists it.
pub const SECTION: SectionDescriptor = SectionDescriptor {
    id: "orchestration",
    number: 8,
    title: "Orchestration: Kubernetes manifests, Helm, Kustomize",
    explain: EXPLAIN,
    evaluate,
    reads_checklist: true,
};

pub const EXPLAIN: &str = "Section `orchestration`: Kubernetes manifests, Helm charts, Kustomize,
skaffold/Tilt, Argo CD and Flux, and how ready they are.

missing without any orchestration artefact. A workload image is ok when
the repo's CI builds it or it is a public image pinned to a tag other than
`latest` (or a digest). score (tenths, rounded down) = 20 for artefacts
+ 40 x share of ok workload images + 15 x share of containers with probes
+ 15 x share with resource requests and limits + 10 x share non-root;
an error-severity KR4 finding caps it at 7. done when artefacts exist,
every workload image is ok and there is no error-severity KR4 finding;
otherwise partial. When steps 1-3 are unfinished, the first next step
says orchestration comes after the basics.";

/// One judged workload image.
struct ImageUse<'a> {
    file: &'a str,
    line: u32,
    image: &'a str,
    verdict: Verdict,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Built,
    PinnedPublic,
    /// One of the repo's images that no CI job builds.
    RepoNotBuilt,
    /// A public image without a tag, or `latest`.
    Unpinned,
}

impl Verdict {
    fn ok(self) -> bool {
        matches!(self, Verdict::Built | Verdict::PinnedPublic)
    }
}

/// The kinds of artefacts found, each with its first file and a count.
fn artefacts(cx: &SectionContext<'_>) -> Vec<Evidence> {
    let o = cx.orchestration();
    let mut out = Vec::new();
    let plain: Vec<&K8sObject> = o
        .objects
        .iter()
        .filter(|x| !is_argo(x) && !is_flux(x))
        .collect();
    if let Some(first) = plain.first() {
        let mut files: Vec<&str> = plain.iter().map(|x| x.file.as_str()).collect();
        files.dedup();
        let workloads = plain.iter().filter(|x| x.is_workload()).count();
        out.push(Evidence::new(
            &first.file,
            first.line,
            format!(
                "Kubernetes manifests: {} object(s) in {} file(s), {} workload(s)",
                plain.len(),
                files.len(),
                workloads
            ),
        ));
    }
    out.extend(helm_chart_evidence(o));
    for (file, line) in &o.kustomizations {
        out.push(Evidence::new(file, *line, "Kustomize kustomization"));
    }
    for d in &o.deploys {
        let by = match d.source {
            MentionSource::Tilt => "Tilt",
            _ => "skaffold",
        };
        out.push(Evidence::new(
            &d.file,
            d.line,
            format!("{by} deploys `{}` ({:?})", d.raw, d.tool),
        ));
    }
    for x in o.objects.iter().filter(|x| is_argo(x) || is_flux(x)) {
        let tool = if is_argo(x) { "Argo CD" } else { "Flux" };
        out.push(Evidence::new(
            &x.file,
            x.line,
            format!("{tool} {} `{}`", x.kind, x.name),
        ));
    }
    out
}

/// The verdict on one workload image; `None` when its reference is still
/// a template expression.
fn verdict(cx: &SectionContext<'_>, file: &str, image: &str, helm_values: bool) -> Option<Verdict> {
    let r = ImageRef::parse(image);
    if r.has_variables() || r.repository.is_empty() {
        return None;
    }
    // `built_by_ci` then `repo_image`, with the components looked up once.
    let components = cx.graph.components_for_image(image);
    if cx.graph.ci_builds_image(image) || components.iter().any(|&c| cx.graph.builds_component(c)) {
        return Some(Verdict::Built);
    }
    if !components.is_empty() || repo_artifact(cx, image) {
        return Some(Verdict::RepoNotBuilt);
    }
    // Repository names are lower case: `CONTAINER_IMAGES_REGISTRY/redis`
    // is a placeholder a script or Kustomize substitutes, not an image.
    if r.repository.chars().any(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let tag_vars = r
        .tag
        .as_deref()
        .is_some_and(|t| t.contains('$') || t.contains("{{"));
    let chart_version = helm_values
        && r.tag.is_none()
        && cx.orchestration().charts.iter().any(|c| {
            c.app_version.is_some() && (c.dir.is_empty() || paths::is_within(file, &c.dir))
        });
    if r.is_pinned() || tag_vars || chart_version {
        Some(Verdict::PinnedPublic)
    } else {
        Some(Verdict::Unpinned)
    }
}

fn non_root(o: &K8sObject, c: &Container) -> bool {
    let user = c.run_as_user.or(o.pod_run_as_user);
    match c.run_as_non_root.or(o.pod_run_as_non_root) {
        Some(true) => user != Some(0),
        _ => user.is_some_and(|u| u > 0),
    }
}

/// `n` of `total` as a share of `weight` tenths.
fn share(n: usize, total: usize, weight: u32) -> u32 {
    if total == 0 {
        return 0;
    }
    (weight as usize * n / total) as u32
}

/// One container of a manifest workload, as the score reads it.
#[derive(Clone, Debug, Default)]
struct ContainerUse {
    /// The workload's name.
    object: String,
    container: String,
    file: String,
    line: u32,
    /// A readiness or liveness probe.
    probe: bool,
    /// Resource requests and limits.
    resources: bool,
    non_root: bool,
}

/// The facts the section judges, gathered by [`collect`].
#[derive(Default)]
struct Orchestration<'a> {
    /// Manifests, charts, kustomizations, skaffold/Tilt deploys, Argo CD
    /// and Flux objects.
    artefacts: Vec<Evidence>,
    /// The containerized components' names (for the first next step when
    /// there are no artefacts).
    components: Vec<String>,
    /// Workload images with their verdicts, one per distinct reference.
    images: Vec<ImageUse<'a>>,
    /// Image references still template expressions.
    unjudged: usize,
    /// Containers of manifest workloads (init containers left out).
    containers: Vec<ContainerUse>,
    /// Error-severity KR4 findings.
    kr4_errors: Vec<&'a crate::finding::Finding>,
    /// The first of checklist steps 1–3 not done.
    first_unfinished_basic: Option<&'a StepResult>,
    /// An infrastructure repository with no component of its own: there
    /// is no app to describe for Kubernetes.
    nothing_to_describe: bool,
    /// CI already deploys to a cluster that is not thrown away after its
    /// tests (a Kubernetes deploy tool).
    deploys_to_cluster: bool,
}

pub fn evaluate(cx: &SectionContext<'_>) -> StepResult {
    judge(collect(cx))
}

/// What the tree shows: artefacts, workload images and their verdicts,
/// container settings, KR4 errors, the checklist's basics.
fn collect<'a>(cx: &SectionContext<'a>) -> Orchestration<'a> {
    let artefacts = artefacts(cx);
    let components: Vec<String> = crate::kind::running_components(cx.facts, cx.graph)
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    if artefacts.is_empty() {
        return Orchestration {
            nothing_to_describe: components.is_empty()
                && cx.kind == crate::kind::RepositoryKind::Infrastructure,
            components,
            ..Orchestration::default()
        };
    }
    let o = cx.orchestration();
    let mut images: Vec<ImageUse<'a>> = Vec::new();
    let mut unjudged = 0usize;
    let mut containers: Vec<ContainerUse> = Vec::new();
    for obj in o.objects.iter().filter(|x| x.is_workload()) {
        for c in &obj.containers {
            if !c.init {
                containers.push(ContainerUse {
                    object: obj.name.clone(),
                    container: c.name.clone(),
                    file: obj.file.clone(),
                    line: c.line.max(obj.line),
                    probe: c.readiness_probe || c.liveness_probe,
                    resources: c.requests && c.limits,
                    non_root: non_root(obj, c),
                });
            }
            match verdict(cx, &obj.file, &c.image, false) {
                Some(verdict) => images.push(ImageUse {
                    file: &obj.file,
                    line: c.line.max(obj.line),
                    image: &c.image,
                    verdict,
                }),
                None => unjudged += 1,
            }
        }
    }
    for m in &o.mentions {
        if !matches!(
            m.source,
            MentionSource::HelmValues
                | MentionSource::HelmTemplate
                | MentionSource::Kustomize
                | MentionSource::Other
        ) {
            continue;
        }
        match verdict(cx, &m.file, &m.image, m.source == MentionSource::HelmValues) {
            Some(verdict) => images.push(ImageUse {
                file: &m.file,
                line: m.line,
                image: &m.image,
                verdict,
            }),
            None => unjudged += 1,
        }
    }

    // One judgement per distinct reference: the same image in plain
    // manifests, a Kustomize base and a chart is one image.
    let mut seen_refs: crate::fast_hash::FastSet<&str> = Default::default();
    images.retain(|i| seen_refs.insert(i.image));
    // Findings in the manifests of examples and test suites say nothing
    // of the product's own (the artefacts above leave those out too).
    let kr4_errors = cx
        .findings
        .iter()
        .filter(|f| f.code.starts_with("KR4") && f.severity == Severity::Error)
        .filter(|f| {
            !crate::inventory::demonstrates_or_tests(
                &cx.facts.orchestration.purpose_dir(&f.location.file),
            )
        })
        .collect();
    Orchestration {
        artefacts,
        components,
        images,
        unjudged,
        containers,
        kr4_errors,
        first_unfinished_basic: first_unfinished_basic(cx.steps),
        nothing_to_describe: false,
        // A deploy into a cluster the CI job brings up for its tests (kind,
        // k3s, a per-run namespace) deploys nothing anyone uses.
        deploys_to_cluster: cx
            .graph
            .deploys
            .iter()
            .any(|d| !d.throwaway_cluster && super::KUBE_TOOLS.contains(&d.tool.as_str())),
    }
}

/// The status, score, summary and next steps the facts call for.
fn judge(facts: Orchestration<'_>) -> StepResult {
    let Orchestration {
        artefacts: found,
        components,
        images,
        unjudged,
        containers,
        kr4_errors,
        first_unfinished_basic,
        nothing_to_describe,
        deploys_to_cluster,
    } = facts;
    if found.is_empty() {
        let mut r = SECTION.result(
            Status::Missing,
            0,
            "no Kubernetes manifests, Helm chart, Kustomize or GitOps objects",
        );
        if nothing_to_describe {
            // Terraform modules and the like: nothing of its own runs in a
            // cluster, so there is nothing to ask for (SPEC 1.2).
            return r;
        }
        let comps: Vec<String> = components.iter().map(|c| format!("`{c}`")).collect();
        let what = if comps.is_empty() {
            "each service".to_string()
        } else {
            list_some(&comps, 4)
        };
        r.next_steps.push(format!(
            "Once steps 1–7 are done, describe the app for Kubernetes: a Deployment and a Service for {what} (e.g. `k8s/<name>.yaml`), using the images CI builds."
        ));
        return r;
    }

    let ok_images = images.iter().filter(|i| i.verdict.ok()).count();
    let probes = containers.iter().filter(|c| c.probe).count();
    let resources = containers.iter().filter(|c| c.resources).count();
    let rootless = containers.iter().filter(|c| c.non_root).count();

    let image_tenths = if images.is_empty() {
        40
    } else {
        share(ok_images, images.len(), 40)
    };
    let mut tenths = 20
        + image_tenths
        + share(probes, containers.len(), 15)
        + share(resources, containers.len(), 15)
        + share(rootless, containers.len(), 10);
    if !kr4_errors.is_empty() {
        tenths = tenths.min(79);
    }
    let done = ok_images == images.len() && kr4_errors.is_empty();
    let status = if done { Status::Done } else { Status::Partial };
    let mut summary = format!(
        "{} artefact(s); distinct workload images ok {}/{}",
        found.len(),
        ok_images,
        images.len()
    );
    if containers.is_empty() {
        summary.push_str("; container settings unknown (no manifest containers)");
    } else {
        summary.push_str(&format!(
            "; probes {}/{n}, resources {}/{n}, non-root {}/{n}",
            probes,
            resources,
            rootless,
            n = containers.len()
        ));
    }
    if !kr4_errors.is_empty() {
        summary.push_str(&format!("; {} KR4 error(s)", kr4_errors.len()));
    }
    let mut r = SECTION.result(status, tenths_to_score(tenths), summary);
    r.evidence.extend(found);
    for i in &images {
        let what = match i.verdict {
            Verdict::Built => "built by the repo's CI",
            Verdict::PinnedPublic => "pinned public image",
            Verdict::RepoNotBuilt => "the repo's image, but no CI job builds it",
            Verdict::Unpinned => "public image without a pinned tag",
        };
        r.evidence.push(Evidence::new(
            i.file,
            i.line,
            format!("image `{}`: {what}", i.image),
        ));
    }
    if unjudged > 0 {
        summary_note(&mut r, unjudged);
    }
    for f in &kr4_errors {
        r.evidence.push(Evidence::new(
            &f.location.file,
            f.location.line,
            format!("{} {}: {}", f.code, f.name, f.message),
        ));
    }

    // Next steps: the basics first, then images, then container settings.
    if let Some(step) = first_unfinished_basic {
        let first_file = r
            .evidence
            .first()
            .map(|e| format!(" (e.g. `{}`)", e.file))
            .unwrap_or_default();
        // A repository that already deploys to a cluster from CI is past
        // "it can wait": the basics still lead, said without the wait.
        r.next_steps.push(if deploys_to_cluster {
            format!(
                "Finish step {} “{}” ({}): CI already deploys the Kubernetes artefacts{first_file}, so the images it deploys should rest on the basics.",
                step.number,
                step.title,
                step.status.as_str()
            )
        } else {
            format!(
                "Orchestration comes after the basics: finish step {} “{}” ({}) first; the Kubernetes artefacts{first_file} can wait until steps 1–3 are done.",
                step.number,
                step.title,
                step.status.as_str()
            )
        });
    }
    for f in &kr4_errors {
        r.next_steps.push(format!(
            "Fix {} at `{}:{}`: {}",
            f.code, f.location.file, f.location.line, f.message
        ));
    }
    // One next step per kind of problem, naming the first few images.
    let named = |v: Verdict| -> Vec<String> {
        images
            .iter()
            .filter(|i| i.verdict == v)
            .map(|i| format!("`{}` (`{}:{}`)", i.image, i.file, i.line))
            .collect()
    };
    let not_built = named(Verdict::RepoNotBuilt);
    match not_built.as_slice() {
        [] => {}
        [one] => r.next_steps.push(format!(
            "Build and push {one} in CI: it is deployed, but no CI job builds it."
        )),
        _ => r.next_steps.push(format!(
            "Build and push in CI the images deployed that no CI job builds: {}.",
            list_some(&not_built, 4)
        )),
    }
    let unpinned = named(Verdict::Unpinned);
    if !unpinned.is_empty() {
        r.next_steps.push(format!(
            "Pin {} to a version tag or a digest instead of `latest`.",
            list_some(&unpinned, 4)
        ));
    }
    let lacking = |pred: &dyn Fn(&ContainerUse) -> bool| -> Vec<String> {
        containers
            .iter()
            .filter(|c| !pred(c))
            .map(|c| format!("`{}/{}` (`{}:{}`)", c.object, c.container, c.file, c.line))
            .collect()
    };
    let no_probe = lacking(&|c| c.probe);
    if !no_probe.is_empty() {
        r.next_steps.push(format!(
            "Add readiness and liveness probes to {}.",
            list_some(&no_probe, 3)
        ));
    }
    let no_res = lacking(&|c| c.resources);
    if !no_res.is_empty() {
        r.next_steps.push(format!(
            "Set resource requests and limits for {}.",
            list_some(&no_res, 3)
        ));
    }
    let root = lacking(&|c| c.non_root);
    if !root.is_empty() {
        r.next_steps.push(format!(
            "Run {} as non-root (`securityContext.runAsNonRoot: true`).",
            list_some(&root, 3)
        ));
    }
    r
}

fn summary_note(r: &mut StepResult, unjudged: usize) {
    r.summary.push_str(&format!(
        "; {unjudged} templated image reference(s) not judged"
    ));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sections::testing::{run, with, GO_SERVICE};

    const DEPLOY_API: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 128Mi}
";

    const CI: &str = "on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t ghcr.io/acme/api:${{ github.sha }} api && docker push ghcr.io/acme/api:${{ github.sha }}
";

    #[test]
    fn a_repo_deploying_from_ci_is_not_told_its_manifests_can_wait() {
        let basic = crate::checklist::StepResult::new(
            crate::checklist::StepId::Compose,
            Status::Missing,
            0,
            "no Compose file",
        );
        let facts = |deploys_to_cluster| Orchestration {
            artefacts: vec![Evidence::new("k8s/api.yaml", 1, "Deployment `api`")],
            first_unfinished_basic: Some(&basic),
            deploys_to_cluster,
            ..Orchestration::default()
        };
        let waits = judge(facts(false));
        assert!(
            waits.next_steps[0].contains("can wait"),
            "{:?}",
            waits.next_steps
        );
        let deploys = judge(facts(true));
        assert!(
            !deploys.next_steps[0].contains("can wait"),
            "{:?}",
            deploys.next_steps
        );
        assert!(
            deploys.next_steps[0].starts_with("Finish step 3"),
            "{:?}",
            deploys.next_steps
        );
    }

    #[test]
    fn judges_hand_made_facts() {
        // No artefacts: missing, naming the components.
        let r = judge(Orchestration {
            components: vec!["api".into()],
            ..Orchestration::default()
        });
        assert_eq!((r.status, r.score), (Status::Missing, 0));
        assert!(r.next_steps[0].contains("for `api`"), "{:?}", r.next_steps);
        let container = |probe, resources, non_root| ContainerUse {
            object: "api".into(),
            container: "app".into(),
            file: "k8s/api.yaml".into(),
            line: 9,
            probe,
            resources,
            non_root,
        };
        let image = |verdict| ImageUse {
            file: "k8s/api.yaml",
            line: 10,
            image: "ghcr.io/acme/api:1",
            verdict,
        };
        let artefacts = vec![Evidence::new("k8s/api.yaml", 1, "Kubernetes manifests")];
        // Everything in place: 20 + 40 + 15 + 15 + 10 tenths, done.
        let r = judge(Orchestration {
            artefacts: artefacts.clone(),
            images: vec![image(Verdict::Built)],
            containers: vec![container(true, true, true)],
            ..Orchestration::default()
        });
        assert_eq!((r.status, r.score), (Status::Done, 10), "{r:?}");
        assert!(r.next_steps.is_empty(), "{:?}", r.next_steps);
        // An unpinned image and a bare container: 20 + 0 tenths, partial,
        // one next step per problem.
        let r = judge(Orchestration {
            artefacts: artefacts.clone(),
            images: vec![image(Verdict::Unpinned)],
            containers: vec![container(false, false, false)],
            unjudged: 2,
            ..Orchestration::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 2), "{r:?}");
        assert!(r
            .summary
            .ends_with("; 2 templated image reference(s) not judged"));
        assert!(r.next_steps[0].starts_with("Pin `ghcr.io/acme/api:1` (`k8s/api.yaml:10`)"));
        assert!(r.next_steps[1].contains("`api/app` (`k8s/api.yaml:9`)"));
        assert_eq!(r.next_steps.len(), 4, "{:?}", r.next_steps);
        // No image judged and no container parsed: the image share counts
        // in full, the container shares not at all.
        let r = judge(Orchestration {
            artefacts,
            ..Orchestration::default()
        });
        assert_eq!((r.status, r.score), (Status::Done, 6));
        assert!(r.summary.contains("container settings unknown"));
    }
    #[test]
    fn missing_without_artefacts() {
        let r = run(GO_SERVICE).section(SECTION.id);
        assert_eq!(r.status, Status::Missing);
        assert_eq!(r.score, 0);
        assert!(r.next_steps[0].contains("`api`"), "{:?}", r.next_steps);
    }

    #[test]
    fn done_when_images_are_built_and_settings_set() {
        let files = with(
            GO_SERVICE,
            &[
                ("k8s/api.yaml", DEPLOY_API),
                (".github/workflows/ci.yml", CI),
            ],
        );
        let r = run(&files)
            .ci_build("ghcr.io/acme/api:${{ github.sha }}")
            .section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert_eq!(r.score, 10, "{r:?}");
        assert!(r.next_steps.is_empty(), "{:?}", r.next_steps);
        assert!(r
            .evidence
            .iter()
            .any(|e| e.file == "k8s/api.yaml" && e.message.contains("built by the repo's CI")));
    }

    #[test]
    fn partial_when_a_repo_image_is_not_built_or_public_unpinned() {
        let manifest = format!(
            "{DEPLOY_API}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: redis\n"
        );
        let files: Vec<(&str, &str)> = with(GO_SERVICE, &[])
            .into_iter()
            .chain([("k8s/api.yaml", manifest.as_str())])
            .collect();
        let r = run(&files).section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert!(r.score < 10);
        let text = r.next_steps.join("\n");
        assert!(
            text.contains("Build and push `ghcr.io/acme/api:1.4.2`"),
            "{text}"
        );
        assert!(text.contains("Pin `redis`"), "{text}");
        assert!(text.contains("`cache/redis`"), "{text}");
    }

    #[test]
    fn basics_unfinished_lead_the_next_steps() {
        // A Go service with no Dockerfile, but manifests already.
        let files = [
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("deploy/app.yaml", DEPLOY_API),
        ];
        let r = run(&files).section(SECTION.id);
        // Judged on its own facts (a pinned image, probes, resources)...
        assert_eq!(r.status, Status::Done);
        // ...but the report reads it in order: the basics first.
        assert!(
            r.next_steps[0].starts_with("Orchestration comes after the basics: finish step 1"),
            "{:?}",
            r.next_steps
        );
    }

    #[test]
    fn an_error_kr4_finding_keeps_it_partial_and_caps_the_score() {
        let files = with(GO_SERVICE, &[("k8s/api.yaml", DEPLOY_API)]);
        let mut run = run(&files).ci_build("ghcr.io/acme/api:${{ github.sha }}");
        run.audit.report.findings.push(crate::finding::Finding {
            code: "KR401",
            name: "test-error",
            severity: Severity::Error,
            location: crate::finding::Location::new("k8s/api.yaml", 16),
            message: "broken on purpose".into(),
            subject: "api".into(),
        });
        let r = run.section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert_eq!(r.score, 7);
        assert!(
            r.next_steps[0].starts_with("Fix KR401 at `k8s/api.yaml:16`"),
            "{:?}",
            r.next_steps
        );
    }

    #[test]
    fn non_root_reads_user_ids() {
        let obj = K8sObject {
            pod_run_as_user: Some(1000),
            ..Default::default()
        };
        let c = Container::default();
        assert!(non_root(&obj, &c));
        let root = Container {
            run_as_non_root: Some(true),
            run_as_user: Some(0),
            ..Default::default()
        };
        assert!(!non_root(&K8sObject::default(), &root));
    }
}
