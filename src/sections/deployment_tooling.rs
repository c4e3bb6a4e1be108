//! Section `deployment-tooling`: how the stack is deployed, and whether the
//! tooling fits the stack's size.
//!
//! Tooling recognised: scripts and task-runner targets invoking `kubectl`
//! (or another deploy tool), committed YAML applied by CI, Helm charts and
//! `helm` deploys, helmfile, Kustomize, skaffold/Tilt deploys, Spinnaker
//! pipelines (`*.spinnaker*`, `dinghyfile`, files under `spinnaker/`),
//! Brigade scripts (`brigade.js`, `brigade.ts`), Argo CD and Flux objects
//! or CLI calls. Size: the number of distinct components (containerized
//! components and manifest workloads, by name) and environments (CD
//! targets, Kustomize overlays under `overlays/`/`envs/` or named like an
//! environment). Change
//! signals the tree shows: chart versions, automatic deploys on pushes.
//! The recommended level: up to 3 components and one environment, plain
//! YAML applied with `kubectl apply` from CI; up to 10 components or two
//! environments, Helm or Kustomize; more, GitOps (Argo CD or Flux).
//!
//! score: missing (0) with no tooling at all; 3 when manifests or tooling
//! exist but nothing applies them; 5 when they are applied only by hand
//! (a script, a task, a manual CI job); 8 when CD applies them
//! automatically (a CI deploy on pushes/tags, or an Argo CD/Flux
//! controller reconciling the repo) — done; +1 when the tooling reaches
//! the level the stack's size calls for; +1 when one tool does the
//! automated applying. An automatic non-Kubernetes deploy (Cloud Run, ECS,
//! Compose over SSH...) without manifests is partial (6).
//!
//! Next steps name only what the repository has (SPEC 1.2): "apply the
//! manifests" only when manifests, charts or kustomizations exist; without
//! them, a deploy the repo runs (a platform's own command, a manual job) is
//! named with its `file:line` and the advice is to describe the stack at
//! the level its size calls for, applied from that same CD job.

use super::{
    deploy_meaning, helm_chart_evidence, is_argo, is_flux, list_some, SectionContext,
    SectionDescriptor, KUBE_TOOLS,
};
use crate::checklist::{Evidence, Status, StepResult};
use crate::parse::ci::Meaning;
use crate::paths;

/// This section, as the registry ([`super::SECTIONS`]) lists it.
pub const SECTION: SectionDescriptor = SectionDescriptor {
    id: "deployment-tooling",
    number: 10,
    title: "Deployment tooling that fits the stack",
    explain: EXPLAIN,
    evaluate,
    reads_checklist: true,
};

pub const EXPLAIN: &str = "Section `deployment-tooling`: how the stack is deployed (scripts
invoking kubectl, committed YAML applied by CI, Helm, Kustomize, Spinnaker,
Brigade, Argo CD, Flux) and whether that fits the stack's size.

score: 0 without tooling (missing); 3 when manifests exist but nothing
applies them; 5 when applied only by hand; 8 when CD applies them
automatically (done); +1 when the tooling fits the size (up to 3
components: plain YAML + kubectl apply from CI; up to 10 or two
environments: Helm/Kustomize; more: GitOps with Argo CD/Flux); +1 when
one tool does the automated applying.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    PlainYaml,
    Templating,
    GitOps,
}

impl Level {
    fn advice(self) -> &'static str {
        match self {
            Level::PlainYaml => "plain YAML applied with `kubectl apply` from CI is enough",
            Level::Templating => {
                "Helm or Kustomize (one base, an overlay or values file per environment)"
            }
            Level::GitOps => "GitOps with Argo CD or Flux, so each environment syncs from the repo",
        }
    }

    /// How to write manifests that do not exist yet, at this level, for
    /// `what` (the stack's components), applied by `cd` (the repo's own CD
    /// job when it has one).
    fn describe(self, what: &str, cd: &str) -> String {
        match self {
            Level::PlainYaml => format!(
                "describe {what} in plain YAML manifests and apply them with `kubectl apply` from {cd}"
            ),
            Level::Templating => format!(
                "describe {what} in a Helm chart or a Kustomize base (one overlay or values file per environment) and apply it from {cd}"
            ),
            Level::GitOps => format!(
                "describe {what} in a Helm chart or Kustomize overlays and let Argo CD or Flux sync each environment from the repo"
            ),
        }
    }
}

/// The facts the section judges, gathered by [`collect`].
#[derive(Debug, Default)]
struct Tooling {
    evidence: Vec<Evidence>,
    /// Tools that apply manifests automatically (CI on pushes, controllers).
    automatic: Vec<String>,
    /// Tools used by hand (scripts, manual CI jobs).
    by_hand: Vec<String>,
    /// Other automatic deploys (not Kubernetes).
    other_automatic: Vec<String>,
    /// The first automatic non-Kubernetes CI deploy: its tool
    /// (`fastapi`, `aws-ecs`) and `file:line`.
    first_other_automatic: Option<(String, String)>,
    /// The first manual CI deploy (`file:line`).
    first_manual: Option<String>,
    /// The most capable kind of tooling seen.
    level: Option<Level>,
    /// Where the first deploy script is (`file:line`).
    first_script: Option<String>,
    /// Manifests, Helm charts, kustomizations or skaffold/Tilt deploys exist.
    has_manifests: bool,
    /// Distinct components (containerized, workloads, application charts).
    components: usize,
    /// Environment names (deploy targets, Kustomize overlays), sorted.
    envs: Vec<String>,
    /// Change signals: chart versions, CD on pushes or tags.
    change: Vec<String>,
    /// The command that would apply what the repository has
    /// (`helm upgrade --install ...`, `kubectl apply -k ...`).
    apply_with: String,
    /// Step 7 (cd-staging) is unfinished and its next steps already ask
    /// for an automatic deploy.
    staging_asks_automation: bool,
    /// An infrastructure repository with no component of its own: no
    /// image to deploy, so nothing to choose tooling for.
    nothing_to_deploy: bool,
}

impl Tooling {
    fn level(&mut self, l: Level) {
        if self.level.is_none_or(|x| x < l) {
            self.level = Some(l);
        }
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn is_environment_name(name: &str) -> bool {
    matches!(
        name,
        "dev"
            | "development"
            | "staging"
            | "stage"
            | "qa"
            | "uat"
            | "preprod"
            | "prod"
            | "production"
            | "sandbox"
            | "local"
            | "review"
    )
}

/// The environment a CI deploy goes to: its declared CI environment, or
/// a job name that reads like one (`deploy-staging`). A job or file name
/// that says nothing about where (`publish`, `cloudbuild.yaml`), a
/// templated name (`${{ inputs.environment }}`) and a throwaway test
/// cluster are not environments.
fn deploy_environment(cx: &SectionContext<'_>, d: &crate::graph::Deploy) -> Option<String> {
    let t = d.target.to_ascii_lowercase();
    if d.throwaway_cluster || t.is_empty() || t.contains('$') || t.contains("{{") {
        return None;
    }
    let declared = cx
        .facts
        .pipelines
        .get(d.pipeline)
        .and_then(|p| p.jobs.get(d.job))
        .is_some_and(|j| j.environment.is_some());
    // `local` names a developer's machine in job names (`e2e (local-code)`).
    let named = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w != "local" && is_environment_name(w));
    (declared || named).then_some(t)
}

fn level_of_tool(tool: &str) -> Level {
    match tool {
        "argocd" | "flux" => Level::GitOps,
        "helm" | "helmfile" | "kustomize" | "skaffold" | "werf" | "kapp" => Level::Templating,
        _ => Level::PlainYaml,
    }
}

pub fn evaluate(cx: &SectionContext<'_>) -> StepResult {
    judge(collect(cx))
}

/// What the tree shows: the tooling found, how it applies the manifests,
/// and the stack's size.
fn collect(cx: &SectionContext<'_>) -> Tooling {
    let o = cx.orchestration();
    let mut f = Tooling::default();
    let has_manifests = o.objects.iter().any(|x| !is_argo(x) && !is_flux(x))
        || !o.helm_charts.is_empty()
        || !o.kustomizations.is_empty()
        || !o.deploys.is_empty();

    // Artefacts: manifests, charts, kustomizations.
    let manifests: Vec<&str> = {
        let mut v: Vec<&str> = o
            .objects
            .iter()
            .filter(|x| !is_argo(x) && !is_flux(x))
            .map(|x| x.file.as_str())
            .collect();
        v.dedup();
        v
    };
    if let Some(first) = manifests.first() {
        f.evidence.push(Evidence::new(
            *first,
            1,
            format!("{} manifest file(s) committed", manifests.len()),
        ));
        f.level(Level::PlainYaml);
    }
    let charts = helm_chart_evidence(o);
    if !charts.is_empty() {
        f.level(Level::Templating);
    }
    f.evidence.extend(charts);
    for (file, line) in &o.kustomizations {
        f.evidence
            .push(Evidence::new(file, *line, "Kustomize kustomization"));
        f.level(Level::Templating);
    }
    for d in &o.deploys {
        f.evidence.push(Evidence::new(
            &d.file,
            d.line,
            format!(
                "{} deploys `{}` ({:?})",
                paths::file_name(&d.file),
                d.raw,
                d.tool
            ),
        ));
        f.level(Level::Templating);
    }
    // Argo CD objects in Helm templates (the app-of-apps pattern).
    for t in o
        .template_kinds
        .iter()
        .filter(|t| matches!(t.kind.as_str(), "Application" | "ApplicationSet"))
    {
        push_unique(&mut f.automatic, "argocd");
        f.evidence.push(Evidence::new(
            &t.file,
            t.line,
            format!("Argo CD {} in a Helm template (app of apps)", t.kind),
        ));
        f.level(Level::GitOps);
    }
    // GitOps controllers apply the repo automatically.
    for x in o.objects.iter().filter(|x| is_argo(x) || is_flux(x)) {
        let tool = if is_argo(x) { "argocd" } else { "flux" };
        if matches!(
            x.kind.as_str(),
            "Application" | "ApplicationSet" | "Kustomization" | "HelmRelease"
        ) {
            push_unique(&mut f.automatic, tool);
        }
        f.evidence.push(Evidence::new(
            &x.file,
            x.line,
            format!(
                "{} {} `{}`",
                if tool == "argocd" { "Argo CD" } else { "Flux" },
                x.kind,
                x.name
            ),
        ));
        f.level(Level::GitOps);
    }
    // Spinnaker, Brigade and helmfile, by file name.
    for file in cx.facts.listing.files() {
        let name = paths::file_name(&file.path).to_ascii_lowercase();
        let what = if name.contains(".spinnaker")
            || name == "dinghyfile"
            || file.path.starts_with("spinnaker/")
        {
            Some(("Spinnaker pipeline", "spinnaker"))
        } else if name == "brigade.js" || name == "brigade.ts" {
            Some(("Brigade script", "brigade"))
        } else if name.starts_with("helmfile.")
            && (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".gotmpl"))
        {
            Some(("helmfile", "helmfile"))
        } else {
            None
        };
        if let Some((label, tool)) = what {
            f.evidence
                .push(Evidence::new(&file.path, 1, label.to_string()));
            if tool == "helmfile" {
                f.level(Level::Templating);
            } else {
                // Spinnaker and Brigade run pipelines on events: automatic.
                push_unique(&mut f.automatic, tool);
                f.level(Level::Templating);
            }
        }
    }
    // Scripts and task targets that deploy (an e2e suite's script that
    // brings up its own test cluster deploys nothing of the product).
    for t in cx
        .facts
        .devenv
        .tasks
        .iter()
        .filter(|t| !crate::inventory::demonstrates_or_tests(paths::parent(&t.file)))
    {
        for (line, m) in &t.meanings {
            if let Meaning::Deploy(d) = m {
                if KUBE_TOOLS.contains(&d.tool.as_str()) {
                    // Script targets keep the classifier's 0-based lines;
                    // other runners already hold file lines.
                    let line = if t.runner == crate::parse::devenv::TaskRunner::Script {
                        line + 1
                    } else {
                        *line
                    };
                    let who = match t.runner {
                        crate::parse::devenv::TaskRunner::Script => format!("script `{}`", t.name),
                        r => format!("{} target `{}`", r.name(), t.name),
                    };
                    f.evidence.push(Evidence::new(
                        &t.file,
                        line,
                        format!("{who} runs `{} {}`", d.tool, d.action),
                    ));
                    push_unique(&mut f.by_hand, &d.tool);
                    f.level(level_of_tool(&d.tool));
                    if f.first_script.is_none() {
                        f.first_script = Some(format!("{}:{line}", t.file));
                    }
                }
            }
        }
    }
    // CI deploys.
    for d in &cx.graph.deploys {
        let kube = KUBE_TOOLS.contains(&d.tool.as_str());
        let applies_repo_yaml = deploy_meaning(cx, d).is_some_and(|m| {
            m.files.iter().any(|p| {
                let p = p.trim_start_matches("./").trim_end_matches('/');
                cx.facts.listing.has_file(p)
                    || cx.facts.listing.has_dir(p)
                    || manifests.iter().any(|mf| paths::is_within(mf, p))
            })
        });
        if d.throwaway_cluster {
            // A test of the images (step 6), not a deploy of the stack.
            f.evidence.push(Evidence::new(
                &d.file,
                d.line,
                format!(
                    "CI test `{} {}` into a throwaway cluster (not a deploy)",
                    d.tool, d.action
                ),
            ));
            // Without manifests it is no deployment tooling at all.
            if kube && has_manifests {
                f.level(level_of_tool(&d.tool));
            }
            continue;
        }
        let how = if d.automatic { "automatic" } else { "manual" };
        let what = if applies_repo_yaml {
            ", applying committed YAML"
        } else {
            ""
        };
        f.evidence.push(Evidence::new(
            &d.file,
            d.line,
            format!(
                "CI deploy `{} {}` to `{}` ({how}{what})",
                d.tool, d.action, d.target
            ),
        ));
        let at = format!("{}:{}", d.file, d.line);
        if !d.automatic && f.first_manual.is_none() {
            f.first_manual = Some(at.clone());
        }
        if kube {
            f.level(level_of_tool(&d.tool));
            if d.automatic {
                push_unique(&mut f.automatic, &d.tool);
            } else {
                push_unique(&mut f.by_hand, &d.tool);
            }
        } else if d.automatic {
            push_unique(&mut f.other_automatic, &d.tool);
            if f.first_other_automatic.is_none() {
                f.first_other_automatic = Some((d.tool.clone(), at));
            }
        } else {
            push_unique(&mut f.by_hand, &d.tool);
        }
    }

    // Size and change signals.
    let mut names: Vec<String> = crate::kind::running_components(cx.facts, cx.graph)
        .into_iter()
        .map(|(_, name)| name.to_ascii_lowercase())
        .collect();
    names.extend(
        o.objects
            .iter()
            .filter(|x| x.is_workload())
            .map(|x| x.name.to_ascii_lowercase()),
    );
    names.sort();
    names.dedup();
    let components = names.len().max(
        o.charts
            .iter()
            .filter(|c| c.chart_type.as_deref() != Some("library"))
            .count(),
    );
    let mut envs: Vec<String> = cx
        .graph
        .deploys
        .iter()
        .filter_map(|d| deploy_environment(cx, d))
        .collect();
    // Kustomize overlays: kustomizations that build on another folder.
    // Kustomize overlays that build on a base elsewhere and sit where
    // environments live (`overlays/x`, `envs/x`) or are named like one.
    for k in &o.kustomize_files {
        let name = paths::file_name(&k.dir).to_ascii_lowercase();
        let parent = paths::file_name(paths::parent(&k.dir)).to_ascii_lowercase();
        let env_like = crate::parse::k8s::ENVIRONMENT_FOLDERS.contains(&parent.as_str())
            || is_environment_name(&name);
        let overlay = k.resources.iter().any(|r| {
            r.field != crate::parse::k8s::KustomizeField::Components
                && r.path
                    .as_deref()
                    .is_some_and(|p| !paths::is_within(p, &k.dir) && p != k.dir)
        });
        if env_like && overlay {
            envs.push(name);
        }
    }
    envs.sort();
    envs.dedup();
    let mut change = Vec::new();
    for c in &o.charts {
        if let Some(v) = &c.version {
            change.push(format!(
                "chart `{}` at version {v}",
                c.name.as_deref().unwrap_or("?")
            ));
        }
    }
    if cx
        .graph
        .deploys
        .iter()
        .any(|d| d.automatic && !d.throwaway_cluster)
    {
        change.push("CD deploys on pushes or tags".to_string());
    }
    let tool = crate::checklist::apply_command(o);
    // Step 7 unfinished without an automatic deploy: its next step already
    // asks for one (SPEC: say the same thing once).
    f.staging_asks_automation = cx.steps.iter().any(|st| {
        st.id == "cd-staging"
            && (st.status == Status::Missing
                || (st.status == Status::Partial
                    && !cx
                        .graph
                        .deploys
                        .iter()
                        .any(|d| d.automatic && !d.throwaway_cluster)))
    });
    f.has_manifests = has_manifests;
    f.nothing_to_deploy = components == 0 && cx.kind == crate::kind::RepositoryKind::Infrastructure;
    f.components = components;
    f.envs = envs;
    f.change = change;
    f.apply_with = tool;
    f
}

/// The status, score, summary and next steps the facts call for.
fn judge(f: Tooling) -> StepResult {
    let components = f.components;
    let environments = f.envs.len().max(1);
    let needed = if components > 10 || environments > 2 {
        Level::GitOps
    } else if components > 3 || environments > 1 {
        Level::Templating
    } else {
        Level::PlainYaml
    };
    let env_names = if f.envs.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = f.envs.iter().map(|e| format!("`{e}`")).collect();
        format!(" ({})", list_some(&quoted, 4))
    };
    let size = format!(
        "{components} component(s), {environments} environment(s){env_names}{}",
        if f.change.is_empty() {
            String::new()
        } else {
            format!("; change signals: {}", list_some(&f.change, 3))
        }
    );
    let has_manifests = f.has_manifests;
    let any_tooling = has_manifests
        || f.level.is_some()
        || !f.by_hand.is_empty()
        || !f.automatic.is_empty()
        || !f.other_automatic.is_empty();
    if !any_tooling {
        let mut r = SECTION.result(Status::Missing, 0, format!("no deployment tooling; {size}"));
        if f.nothing_to_deploy {
            // A Terraform module and the like: no image, nothing to deploy.
            return r;
        }
        // No component has an image yet: a size of zero says nothing.
        let sized = if components == 0 {
            String::new()
        } else {
            format!(" ({size})")
        };
        r.next_steps.push(format!(
            "Once images are built in CI, choose how to deploy{sized}: {}.",
            needed.advice()
        ));
        return r;
    }
    let fits = f.level.is_some_and(|l| l >= needed);
    let (status, score, how) = if !f.automatic.is_empty() {
        let one = f.automatic.len() == 1;
        (
            Status::Done,
            8 + u8::from(fits) + u8::from(one),
            format!("applied automatically by {}", f.automatic.join(", ")),
        )
    } else if !has_manifests && !f.other_automatic.is_empty() {
        (
            Status::Partial,
            6,
            format!(
                "automatic deploys with {} (no Kubernetes manifests)",
                f.other_automatic.join(", ")
            ),
        )
    } else if !f.by_hand.is_empty() {
        (
            Status::Partial,
            5 + u8::from(fits),
            format!("applied by hand with {}", f.by_hand.join(", ")),
        )
    } else {
        (
            Status::Partial,
            3 + u8::from(fits),
            "manifests exist but nothing applies them".to_string(),
        )
    };
    let mut r = SECTION.result(status, score, format!("{how}; {size}"));
    r.evidence = f.evidence;
    // Every next step names only what the repository has: no "apply the
    // manifests" without manifests (SPEC 1.2).
    if status == Status::Done || f.staging_asks_automation {
        // Nothing to automate here, or step 7 already asks for it.
    } else if has_manifests {
        // Apply what the repo already has; the size advice follows.
        let tool = &f.apply_with;
        let from = f
            .first_script
            .as_ref()
            .map(|s| format!(" (today it runs by hand from `{s}`)"))
            .unwrap_or_default();
        r.next_steps.push(format!(
            "Apply the manifests automatically from CD with {tool} on pushes to the main branch{from}."
        ));
    } else if f.other_automatic.is_empty() && !f.by_hand.is_empty() {
        // A deploy run by hand, of something not in the repo.
        let from = f
            .first_script
            .as_ref()
            .or(f.first_manual.as_ref())
            .map(|s| format!(" (`{s}`)"))
            .unwrap_or_default();
        r.next_steps.push(format!(
            "Run the {} deploy{from} automatically from CD on pushes to the main branch, not only by hand.",
            f.by_hand.join(", ")
        ));
    }
    let kubernetes_tooling = has_manifests || f.level.is_some();
    if !kubernetes_tooling {
        // Deployed (automatically or by hand) without Kubernetes: what
        // this section asks next is the stack described for it, at the
        // level its size calls for, deployed by the CD it already has.
        let what = if components == 0 {
            "the stack".to_string()
        } else {
            format!("its {components} component(s)")
        };
        let (today, cd) = match &f.first_other_automatic {
            Some((tool, at)) => (
                format!("deploys automatically with {tool} (`{at}`)"),
                "that same CD job",
            ),
            None => (
                format!("is deployed by hand with {}", f.by_hand.join(", ")),
                "CD",
            ),
        };
        r.next_steps.push(format!(
            "The stack {today} but has no Kubernetes manifests: to deploy it to Kubernetes, {}.",
            needed.describe(&what, cd)
        ));
    }
    if status == Status::Done && f.automatic.len() > 1 {
        r.next_steps.push(format!(
            "Converge on one tool to apply the manifests: {} all deploy automatically today.",
            f.automatic.join(", ")
        ));
    }
    if !fits && kubernetes_tooling {
        r.next_steps.push(format!(
            "The stack has {components} component(s) and {environments} environment(s): move to {}.",
            needed.advice()
        ));
    }
    r
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sections::testing::{run, with, GO_SERVICE};

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn judges_hand_made_facts() {
        // Nothing found.
        let r = judge(Tooling::default());
        assert_eq!((r.status, r.score), (Status::Missing, 0));
        assert!(r.summary.contains("1 environment(s)"), "{}", r.summary);
        assert!(r.next_steps[0].contains("plain YAML"), "{:?}", r.next_steps);
        assert!(
            r.next_steps[0].starts_with("Once images are built in CI, choose how to deploy: "),
            "no component, no size: {:?}",
            r.next_steps
        );
        // One controller, at the level two components need: done, 8 + 1 + 1.
        let r = judge(Tooling {
            automatic: names(&["argocd"]),
            level: Some(Level::GitOps),
            has_manifests: true,
            components: 2,
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Done, 10), "{r:?}");
        assert!(r.next_steps.is_empty(), "{:?}", r.next_steps);
        // Two tools apply automatically: told to converge.
        let r = judge(Tooling {
            automatic: names(&["argocd", "spinnaker"]),
            level: Some(Level::GitOps),
            has_manifests: true,
            components: 2,
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Done, 9));
        assert!(r.next_steps[0].starts_with("Converge on one tool"));
        // kubectl by hand for five components: partial 5, no fit bonus;
        // apply what exists from CD, then template.
        let r = judge(Tooling {
            by_hand: names(&["kubectl"]),
            level: Some(Level::PlainYaml),
            has_manifests: true,
            components: 5,
            first_script: Some("deploy.sh:3".into()),
            apply_with: "`kubectl apply -f k8s`".into(),
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 5), "{r:?}");
        assert!(r.next_steps[0].contains("`kubectl apply -f k8s`"));
        assert!(r.next_steps[0].contains("`deploy.sh:3`"));
        assert!(r.next_steps[1].contains("Helm or Kustomize"));
        // The same, when step 7 already asks for an automatic deploy: said
        // once, there (SPEC: never the same thing twice).
        let r = judge(Tooling {
            by_hand: names(&["kubectl"]),
            level: Some(Level::PlainYaml),
            has_manifests: true,
            components: 5,
            apply_with: "`kubectl apply -f k8s`".into(),
            staging_asks_automation: true,
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 5), "{r:?}");
        assert_eq!(r.next_steps.len(), 1, "{:?}", r.next_steps);
        assert!(r.next_steps[0].contains("Helm or Kustomize"));
        // Three environments call for GitOps.
        let r = judge(Tooling {
            by_hand: names(&["helm"]),
            level: Some(Level::Templating),
            has_manifests: true,
            components: 1,
            envs: names(&["dev", "prod", "staging"]),
            ..Tooling::default()
        });
        assert!(r
            .summary
            .contains("3 environment(s) (`dev`, `prod`, `staging`)"));
        assert!(r.next_steps.iter().any(|s| s.contains("GitOps")));
        // Automatic deploys without manifests: partial 6, and the next
        // step names the deploy the repo has and asks for manifests at the
        // size's level, never to "apply the manifests" it does not have.
        let r = judge(Tooling {
            other_automatic: names(&["fastapi"]),
            first_other_automatic: Some(("fastapi".into(), "deploy.yml:51".into())),
            components: 2,
            apply_with: "`kubectl apply`".into(),
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 6));
        assert_eq!(r.next_steps.len(), 1, "{:?}", r.next_steps);
        let step = &r.next_steps[0];
        assert!(
            step.starts_with("The stack deploys automatically with fastapi (`deploy.yml:51`) but has no Kubernetes manifests"),
            "{step}"
        );
        assert!(
            step.contains("describe its 2 component(s) in plain YAML"),
            "{step}"
        );
        assert!(!step.contains("Apply the manifests"), "{step}");
        // Bigger, with two environments: Helm or Kustomize, from the same job.
        let r = judge(Tooling {
            other_automatic: names(&["aws-ecs"]),
            first_other_automatic: Some(("aws-ecs".into(), "api.yml:110".into())),
            components: 8,
            envs: names(&["development", "production"]),
            ..Tooling::default()
        });
        assert_eq!(r.next_steps.len(), 1, "{:?}", r.next_steps);
        assert!(r.next_steps[0].contains("in a Helm chart or a Kustomize base"));
        // A manual non-Kubernetes deploy without manifests: run it from
        // CD, then describe the stack; nothing about manifests to apply.
        let r = judge(Tooling {
            by_hand: names(&["fly"]),
            first_manual: Some("cd.yml:9".into()),
            components: 1,
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 5), "{r:?}");
        assert_eq!(
            r.next_steps[0],
            "Run the fly deploy (`cd.yml:9`) automatically from CD on pushes to the main branch, not only by hand."
        );
        assert!(r.next_steps[1]
            .starts_with("The stack is deployed by hand with fly but has no Kubernetes manifests"));
        assert!(
            r.next_steps[1].ends_with("with `kubectl apply` from CD."),
            "{:?}",
            r.next_steps
        );
        assert!(r
            .next_steps
            .iter()
            .all(|s| !s.contains("Apply the manifests")));
        // Manifests nothing applies: 3, plus 1 when they fit.
        let r = judge(Tooling {
            has_manifests: true,
            level: Some(Level::PlainYaml),
            components: 1,
            ..Tooling::default()
        });
        assert_eq!((r.status, r.score), (Status::Partial, 4));
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0.0\n";

    #[test]
    fn missing_without_tooling() {
        let r = run(GO_SERVICE).section(SECTION.id);
        assert_eq!(r.status, Status::Missing);
        assert!(r.next_steps[0].contains("plain YAML"), "{:?}", r.next_steps);
    }

    #[test]
    fn partial_when_nothing_applies_the_manifests() {
        let r = run(&with(GO_SERVICE, &[("k8s/api.yaml", DEPLOY)])).section(SECTION.id);
        assert_eq!(r.status, Status::Partial);
        assert_eq!(r.score, 4, "{r:?}");
        // Without CI, step 7 asks for the automatic deploy (with this
        // repo's `kubectl apply -f k8s`); the section does not repeat it.
        assert!(
            !r.next_steps
                .iter()
                .any(|s| s.contains("Apply the manifests automatically")),
            "{:?}",
            r.next_steps
        );
    }

    #[test]
    fn partial_when_a_script_applies_them_by_hand() {
        let r = run(&with(
            GO_SERVICE,
            &[
                ("k8s/api.yaml", DEPLOY),
                (
                    "scripts/deploy.sh",
                    "#!/bin/sh\nset -e\nkubectl apply -f k8s/\n",
                ),
            ],
        ))
        .section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert_eq!(r.score, 6);
        assert!(
            r.evidence
                .iter()
                .any(|e| e.file == "scripts/deploy.sh" && e.line == 3),
            "{:?}",
            r.evidence
        );
        assert!(
            r.summary.starts_with("applied by hand with kubectl"),
            "{}",
            r.summary
        );
    }

    #[test]
    fn automatic_non_kubernetes_deploys_are_partial() {
        let r = run(GO_SERVICE)
            .ci_deploy("gcloud-run", "deploy", "staging", true, &[], None)
            .section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        assert_eq!(r.score, 6);
        assert!(r.summary.contains("gcloud-run"), "{}", r.summary);
    }

    #[test]
    fn done_when_ci_applies_committed_yaml() {
        let ci = "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: staging\n    steps:\n      - uses: actions/checkout@v4\n      - run: kubectl apply -f k8s/\n";
        let r = run(&with(
            GO_SERVICE,
            &[("k8s/api.yaml", DEPLOY), (".github/workflows/cd.yml", ci)],
        ))
        .ci_deploy("kubectl", "apply", "staging", true, &["k8s/"], None)
        .section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert_eq!(r.score, 10, "{r:?}");
        assert!(
            r.evidence
                .iter()
                .any(|e| e.message.contains("applying committed YAML")),
            "{:?}",
            r.evidence
        );
    }

    #[test]
    fn done_with_argo_and_spinnaker_by_name() {
        let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\nspec:\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: api\n  source:\n    repoURL: https://github.com/acme/api\n    path: k8s\n";
        let r = run(&with(
            GO_SERVICE,
            &[
                ("k8s/api.yaml", DEPLOY),
                ("argocd/api.yaml", app),
                ("pipelines/api.spinnaker.json", "{}\n"),
            ],
        ))
        .section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert!(r.evidence.iter().any(|e| e.message == "Spinnaker pipeline"));
        // Argo CD and Spinnaker both apply: converge on one.
        assert!(
            r.next_steps[0].starts_with("Converge on one tool"),
            "{:?}",
            r.next_steps
        );
    }

    #[test]
    fn larger_stacks_are_told_to_template() {
        let mut files = with(GO_SERVICE, &[]);
        let many: Vec<(String, String)> = (0..5)
            .map(|i| {
                (
                    format!("k8s/svc{i}.yaml"),
                    DEPLOY.replace("name: api", &format!("name: svc{i}")),
                )
            })
            .collect();
        let leaked: Vec<(&'static str, &'static str)> = many
            .into_iter()
            .map(|(p, t)| {
                (
                    &*Box::leak(p.into_boxed_str()),
                    &*Box::leak(t.into_boxed_str()),
                )
            })
            .collect();
        files.extend(leaked);
        let r = run(&files).section(SECTION.id);
        assert!(
            r.next_steps.iter().any(|s| s.contains("Helm or Kustomize")),
            "{:?}",
            r.next_steps
        );
    }
}
