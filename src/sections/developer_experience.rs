//! Section `developer-experience`: four questions answered from evidence,
//! 2.5 points each (kept in tenths; score = total rounded down; done at 8
//! or more, partial above 0, missing at 0).
//!
//! 1. How is a new developer on-boarded? 2.5 for a README/CONTRIBUTING/docs
//!    heading such as "getting started", "setup", "development",
//!    "onboarding", "contributing", "running locally"; 1 for a README
//!    without one.
//! 2. What must they install for a dev stack? 2.5 when Docker alone is
//!    enough: a devcontainer, or docs that start the app in containers
//!    (`docker compose up`, `docker run`) and list prerequisites; 2 for the
//!    container start without a prerequisites heading; 1.5 for a
//!    prerequisites/requirements heading alone.
//! 3. How does a code change go from dev to prod? 1 for docs about
//!    deploying/releasing (a "deploy", "release", "production", "CI/CD"
//!    heading), 0.5 when CI builds images, 1 when CI/CD deploys (or Argo CD
//!    / Flux objects exist).
//! 4. How does someone add a component? 1.5 for a heading such as "adding
//!    a service", "new service", "new component" (for a CLI tool, library
//!    or site: "new command", "new feature", "adding pages", and such a
//!    heading alone answers it); 1 more (1.5 alone) for a
//!    template or generator: cookiecutter/copier, plop, yeoman, hygen
//!    (`_templates/`), a template/skeleton folder holding a Dockerfile or a
//!    manifest (Helm `templates/` do not count), a task target such as
//!    `new-service` or `scaffold`.

use super::{is_argo, is_flux, tenths_to_score, SectionContext, SectionDescriptor};
use crate::checklist::{Evidence, Status, StepResult};
use crate::kind::RepositoryKind;
use crate::parse::ci::Meaning;
use crate::parse::devenv::DevToolKind;
use crate::paths;
use crate::walk::FileKind;

/// This section, as the registry ([`super::SECTIONS`]) lists it.
pub const SECTION: SectionDescriptor = SectionDescriptor {
    id: "developer-experience",
    number: 12,
    title: "Developer experience: on-boarding to production",
    explain: EXPLAIN,
    evaluate,
    reads_checklist: false,
};

pub const EXPLAIN: &str = "Section `developer-experience`: four questions, 2.5 points each (score
rounded down; done at 8 or more):
1. how is a new developer on-boarded (README/CONTRIBUTING headings such as
   getting started, setup, development);
2. what must they install (Docker alone is best: a devcontainer, or docs
   that start the app in containers and list prerequisites);
3. how does a change go from dev to prod (deploy/release docs, CI image
   builds, CI/CD deploys);
4. how does someone add a component (an \"adding a service\" section, a
   template or generator; for a CLI tool, library or site a section on
   adding a command, feature or page).";

const ONBOARDING: &[&str] = &[
    "getting started",
    "get started",
    "quick start",
    "quickstart",
    "setup",
    "set up",
    "setting up",
    "installation",
    "development",
    "developing",
    "developer",
    "onboarding",
    "contributing",
    "how to run",
    "running locally",
    "run locally",
    "running the app",
    "local environment",
    "build and run",
];

const PREREQUISITES: &[&str] = &[
    "prerequisite",
    "requirements",
    "dependencies",
    "what you need",
    "before you begin",
    "you will need",
    "tools",
    "install",
];

const DEPLOYING: &[&str] = &[
    "deploy",
    "release",
    "production",
    "ci/cd",
    "continuous delivery",
    "continuous deployment",
    "shipping",
    "rollout",
    "pipeline",
];

fn heading_matches(h: &str, words: &[&str]) -> bool {
    words.iter().any(|w| h.contains(w))
}

/// A heading about adding a component. What a component is follows the
/// kind: a service or module of an application; a command or feature of
/// a CLI tool or library; a page of a docs site. ("Creating a plugin" is
/// user documentation of a plugin API, not how to contribute.)
fn adds_component(h: &str, app: bool) -> bool {
    let verb = ["add", "new", "creat", "scaffold"]
        .iter()
        .any(|v| h.contains(v));
    let noun = ["service", "component", "module", "app"]
        .iter()
        .any(|n| h.contains(n))
        || (!app && ["command", "feature", "page"].iter().any(|n| h.contains(n)));
    verb && noun
}

fn is_generator_task(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let file = paths::file_name(&n);
    file.contains("scaffold")
        || file.contains("plop")
        || file.contains("hygen")
        || (["new", "create", "gen"].iter().any(|v| file.contains(v))
            && ["service", "component", "module"]
                .iter()
                .any(|x| file.contains(x)))
}

/// Repo-level documentation: top-level files, `docs/`, `doc/`, `.github/`
/// (a service's own README does not on-board to the repo).
fn repo_level(file: &str) -> bool {
    !file.contains('/')
        || ["docs/", "doc/", ".github/"]
            .iter()
            .any(|p| file.to_ascii_lowercase().starts_with(p))
}

fn starts_containers(m: &Meaning) -> bool {
    match m {
        Meaning::Compose(c) => matches!(c.subcommand.as_str(), "up" | "run" | "watch"),
        Meaning::ImageRun { .. } => true,
        _ => false,
    }
}

fn is_readme(file: &str) -> bool {
    paths::file_name(file)
        .to_ascii_lowercase()
        .starts_with("readme")
}

/// Component templates and generators in the listing.
fn templates(cx: &SectionContext<'_>) -> Vec<Evidence> {
    let mut out = Vec::new();
    let chart_dirs: Vec<String> = cx
        .facts
        .orchestration
        .helm_charts
        .iter()
        .map(|(d, _)| paths::join(d, "templates").unwrap_or_default())
        .collect();
    let mut template_dirs: Vec<String> = Vec::new();
    for f in cx.facts.listing.files() {
        let name = paths::file_name(&f.path).to_ascii_lowercase();
        let label = match name.as_str() {
            "cookiecutter.json" => Some("cookiecutter template"),
            "copier.yml" | "copier.yaml" => Some("copier template"),
            ".yo-rc.json" => Some("Yeoman generator config"),
            n if n.starts_with("plopfile.") => Some("plop generator"),
            _ if f.path.starts_with("_templates/") => Some("hygen templates (`_templates/`)"),
            _ => None,
        };
        if let Some(label) = label {
            if !label.starts_with("hygen")
                || !out
                    .iter()
                    .any(|e: &Evidence| e.message.starts_with("hygen"))
            {
                out.push(Evidence::new(&f.path, 1, label));
            }
            continue;
        }
        // A template/skeleton folder holding a Dockerfile or a manifest.
        if !matches!(f.kind, FileKind::Dockerfile | FileKind::Manifest)
            || f.path.starts_with(".github/")
        {
            continue;
        }
        let parent = paths::parent(&f.path);
        let lower = parent.to_ascii_lowercase();
        let templ = lower.split('/').any(|seg| {
            ["template", "skeleton", "boilerplate", "scaffold"]
                .iter()
                .any(|w| seg.contains(w))
        }) || f.path.contains("{{cookiecutter");
        if templ
            && !chart_dirs.iter().any(|c| paths::is_within(&f.path, c))
            && !template_dirs.iter().any(|d| d == parent)
        {
            template_dirs.push(parent.to_string());
            out.push(Evidence::new(
                &f.path,
                1,
                format!("component template `{}/`", parent),
            ));
        }
    }
    for t in &cx.facts.devenv.tasks {
        if t.runner != crate::parse::devenv::TaskRunner::Script && is_generator_task(&t.name) {
            out.push(Evidence::new(
                &t.file,
                t.line,
                format!(
                    "{} target `{}` generates a component",
                    t.runner.name(),
                    t.name
                ),
            ));
        }
    }
    out
}

/// A documentation heading: file, line and its (lower-cased) text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Heading {
    file: String,
    line: u32,
    text: String,
}

/// A fact located in a file, with what to call it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Located {
    file: String,
    line: u32,
    what: String,
}

/// The facts the section judges, gathered by [`collect`].
#[derive(Debug, Default)]
struct DevExperience {
    /// An application: container advice fits; a library, a CLI tool, a
    /// site, a template or an infrastructure repo gets its own wording.
    app: bool,
    /// An infrastructure repository that deploys to clusters (manifests,
    /// charts, GitOps objects): a change reaches the clusters, not users
    /// through a release.
    deploys_to_clusters: bool,
    /// The repo-level README, shallowest first.
    readme: Option<String>,
    /// Where advice about contributing goes (the CONTRIBUTING file found,
    /// else `CONTRIBUTING.md`).
    contributing: String,
    /// 1. An on-boarding heading.
    onboarding: Option<Heading>,
    /// 2. A devcontainer (its file and line).
    devcontainer: Option<Located>,
    /// 2. Docs starting the app in containers (`what`: the command).
    container_start: Option<Located>,
    /// 2. A prerequisites heading.
    prerequisites: Option<Heading>,
    /// 3. A deploying/releasing heading.
    deploy_doc: Option<Heading>,
    /// 3. The first CI image build (`what`: the tool).
    build: Option<Located>,
    /// 3. The first CI/CD deploy (`what`: "`tool action` to `target`").
    deploy: Option<Located>,
    /// 3. A GitOps object (`what`: "Kind `name`").
    gitops: Option<Located>,
    /// 4. A heading about adding a component.
    add_doc: Option<Heading>,
    /// 4. Component templates and generators.
    generators: Vec<Evidence>,
}

pub fn evaluate(cx: &SectionContext<'_>) -> StepResult {
    judge(collect(cx))
}

/// What the tree shows for the four questions.
fn collect(cx: &SectionContext<'_>) -> DevExperience {
    let dev = &cx.facts.devenv;
    let readme = dev
        .docs
        .iter()
        .filter(|d| is_readme(&d.file) && repo_level(&d.file))
        .min_by_key(|d| (d.file.matches('/').count(), d.file.clone()))
        .map(|d| d.file.clone());
    let contributing = dev
        .docs
        .iter()
        .find(|d| {
            paths::file_name(&d.file)
                .to_ascii_lowercase()
                .starts_with("contributing")
        })
        .map(|d| d.file.clone())
        .unwrap_or_else(|| "CONTRIBUTING.md".into());
    // README and CONTRIBUTING first, then other docs.
    let mut docs: Vec<&crate::parse::devenv::DocFile> =
        dev.docs.iter().filter(|d| repo_level(&d.file)).collect();
    docs.sort_by_key(|d| {
        let n = paths::file_name(&d.file).to_ascii_lowercase();
        (
            !(n.starts_with("readme") || n.starts_with("contributing")),
            d.file.matches('/').count(),
            d.file.clone(),
        )
    });
    let find_heading = |pred: &dyn Fn(&str) -> bool| -> Option<Heading> {
        docs.iter().find_map(|d| {
            d.headings
                .iter()
                .find(|(_, h)| pred(h))
                .map(|(l, h)| Heading {
                    file: d.file.clone(),
                    line: *l,
                    text: h.clone(),
                })
        })
    };
    let devcontainer = dev
        .tools
        .iter()
        .find(|t| t.kind == DevToolKind::Devcontainer)
        .map(|t| Located {
            file: t.file.clone(),
            line: t.line,
            what: String::new(),
        });
    // Docs that start the app in containers, directly or through a task
    // (`make start` whose recipe runs `docker compose up`).
    let container_start = dev
        .doc_commands
        .iter()
        .find(|c| {
            repo_level(&c.file)
                && (c.meanings.iter().any(starts_containers)
                    || c.wrapper.as_ref().is_some_and(|(runner, target)| {
                        dev.tasks.iter().any(|t| {
                            t.runner == *runner
                                && (t.name == *target
                                    || (*runner == crate::parse::devenv::TaskRunner::Script
                                        && t.name.ends_with(target.as_str())))
                                && t.meanings.iter().any(|(_, m)| starts_containers(m))
                        })
                    }))
        })
        .map(|c| Located {
            file: c.file.clone(),
            line: c.line,
            what: c.text.clone(),
        });
    let build = cx.graph.builds.first().map(|b| Located {
        file: b.file.clone(),
        line: b.line,
        what: b.tool.clone(),
    });
    // A deploy into a throwaway test cluster is a test, not the way to
    // production.
    let deploy = cx
        .graph
        .deploys
        .iter()
        .find(|d| !d.throwaway_cluster)
        .map(|d| Located {
            file: d.file.clone(),
            line: d.line,
            what: format!("`{} {}` to `{}`", d.tool, d.action, d.target),
        });
    let gitops = cx
        .orchestration()
        .objects
        .iter()
        .find(|o| is_argo(o) || is_flux(o))
        .map(|o| Located {
            file: o.file.clone(),
            line: o.line,
            what: format!("{} `{}`", o.kind, o.name),
        });
    // An infrastructure repository (IaC, charts, GitOps config) runs
    // nothing on a developer's machine: no "docker compose up", no
    // "adding a service" with a Dockerfile; it is changed and released.
    let app = cx.kind == RepositoryKind::Application;
    DevExperience {
        app,
        deploys_to_clusters: cx.kind == RepositoryKind::Infrastructure && {
            let o = cx.orchestration();
            !o.objects.is_empty() || !o.helm_charts.is_empty() || !o.kustomizations.is_empty()
        },
        readme,
        contributing,
        onboarding: find_heading(&|h| heading_matches(h, ONBOARDING)),
        devcontainer,
        container_start,
        prerequisites: find_heading(&|h| heading_matches(h, PREREQUISITES)),
        deploy_doc: find_heading(&|h| heading_matches(h, DEPLOYING)),
        build,
        deploy,
        gitops,
        add_doc: find_heading(&|h| adds_component(h, app)),
        generators: templates(cx),
    }
}

/// The verdict: pure over the facts. Points are kept in tenths.
fn judge(f: DevExperience) -> StepResult {
    let mut evidence = Vec::new();
    let mut next = Vec::new();
    let q1 = onboarding(&f, &mut evidence, &mut next);
    let q2 = install(&f, &mut evidence, &mut next);
    let q3 = dev_to_prod(&f, &mut evidence, &mut next);
    let q4 = adding_a_component(&f, &mut evidence, &mut next);
    let tenths = q1 + q2 + q3 + q4;
    let score = tenths_to_score(tenths);
    let status = if score >= 8 {
        Status::Done
    } else if tenths > 0 {
        Status::Partial
    } else {
        Status::Missing
    };
    let pts = |t: u32| format!("{}.{}", t / 10, t % 10);
    let summary = format!(
        "on-boarding {}, install {}, dev to prod {}, adding a component {} (of 2.5 each)",
        pts(q1),
        pts(q2),
        pts(q3),
        pts(q4)
    );
    let mut r = SECTION.result(status, score, summary);
    r.evidence = evidence;
    r.next_steps = next;
    r
}

impl DevExperience {
    /// Where documentation advice goes: the README found, else `README.md`.
    fn doc_target(&self) -> &str {
        self.readme.as_deref().unwrap_or("README.md")
    }
}

/// 1. How is a new developer on-boarded?
fn onboarding(f: &DevExperience, evidence: &mut Vec<Evidence>, next: &mut Vec<String>) -> u32 {
    if let Some(h) = &f.onboarding {
        evidence.push(Evidence::new(
            &h.file,
            h.line,
            format!("on-boarding: heading `{}`", h.text),
        ));
        return 25;
    }
    let doc_target = f.doc_target();
    next.push(if f.app {
        format!(
            "Add a `## Getting started` section to `{doc_target}`: clone, start the stack in containers, open the app."
        )
    } else if f.deploys_to_clusters {
        format!(
            "Add a `## Getting started` section to `{doc_target}`: clone, the tools to install, how to check a change before it is applied (render, lint or diff it)."
        )
    } else {
        format!(
            "Add a `## Getting started` section to `{doc_target}`: clone, build, run the tests."
        )
    });
    match &f.readme {
        Some(r) => {
            evidence.push(Evidence::new(
                r,
                1,
                "on-boarding: a README without a getting-started section",
            ));
            10
        }
        None => 0,
    }
}

/// 2. What must they install for a dev stack?
fn install(f: &DevExperience, evidence: &mut Vec<Evidence>, next: &mut Vec<String>) -> u32 {
    if let Some(t) = &f.devcontainer {
        evidence.push(Evidence::new(
            &t.file,
            t.line,
            "install: a devcontainer, so Docker and an editor are enough",
        ));
    }
    if let Some(c) = &f.container_start {
        evidence.push(Evidence::new(
            &c.file,
            c.line,
            format!("install: docs start the app in containers (`{}`)", c.what),
        ));
    }
    if let Some(h) = &f.prerequisites {
        evidence.push(Evidence::new(
            &h.file,
            h.line,
            format!("install: prerequisites heading `{}`", h.text),
        ));
    }
    let doc_target = f.doc_target();
    let app = f.app;
    match (
        f.devcontainer.is_some(),
        f.container_start.is_some(),
        f.prerequisites.is_some(),
    ) {
        (true, _, _) | (_, true, true) => 25,
        // Nothing of a library, a CLI tool or a site runs in containers:
        // documented prerequisites answer the question.
        (_, _, true) if !app => 25,
        (_, _, false) if !app => {
            next.push(format!("Say what to install in `{doc_target}` (a `## Prerequisites` section: the toolchain and its version), or add `.devcontainer/devcontainer.json`."));
            0
        }
        (_, true, false) => {
            next.push(format!("List the prerequisites in `{doc_target}` (ideally just Docker with Compose), so a new developer knows nothing else is needed."));
            20
        }
        (_, false, true) => {
            next.push(format!("Make Docker the only prerequisite: document `docker compose up` in `{doc_target}` or add `.devcontainer/devcontainer.json`."));
            15
        }
        _ => {
            next.push(format!("Say what to install in `{doc_target}` (a `## Prerequisites` section), ideally only Docker, or add `.devcontainer/devcontainer.json`."));
            0
        }
    }
}

/// 3. How does a code change go from dev to prod?
fn dev_to_prod(f: &DevExperience, evidence: &mut Vec<Evidence>, next: &mut Vec<String>) -> u32 {
    let mut q3 = 0;
    if let Some(h) = &f.deploy_doc {
        evidence.push(Evidence::new(
            &h.file,
            h.line,
            format!("dev to prod: heading `{}`", h.text),
        ));
        q3 += 10;
    }
    if let Some(b) = &f.build {
        evidence.push(Evidence::new(
            &b.file,
            b.line,
            format!("dev to prod: CI builds images ({})", b.what),
        ));
        q3 += 5;
    }
    if let Some(d) = &f.deploy {
        evidence.push(Evidence::new(
            &d.file,
            d.line,
            format!("dev to prod: CI/CD deploys with {}", d.what),
        ));
        q3 += 10;
    } else if let Some(o) = &f.gitops {
        evidence.push(Evidence::new(
            &o.file,
            o.line,
            format!("dev to prod: GitOps {}", o.what),
        ));
        q3 += 10;
    }
    if f.deploy_doc.is_none() {
        let contributing = &f.contributing;
        let ci = f
            .deploy
            .as_ref()
            .map(|d| format!(", matching the deploy in `{}`", d.file))
            .or_else(|| {
                f.build
                    .as_ref()
                    .map(|b| format!(", matching the build in `{}`", b.file))
            })
            .unwrap_or_default();
        next.push(if f.app {
            format!(
                "Document how a change reaches production in `{contributing}` (a `## Deploying` section: review, CI build, staging, release){ci}."
            )
        } else if f.deploys_to_clusters {
            format!(
                "Document how a change reaches the clusters in `{contributing}` (a `## Deploying` section: review, merge, and how it is applied or synced){ci}."
            )
        } else {
            format!(
                "Document how a change reaches users in `{contributing}` (a `## Releasing` section: review, CI, version, publish){ci}."
            )
        });
    }
    q3
}

/// 4. How does someone add a component?
fn adding_a_component(
    f: &DevExperience,
    evidence: &mut Vec<Evidence>,
    next: &mut Vec<String>,
) -> u32 {
    if let Some(h) = &f.add_doc {
        evidence.push(Evidence::new(
            &h.file,
            h.line,
            format!("adding a component: heading `{}`", h.text),
        ));
    }
    evidence.extend(f.generators.iter().cloned());
    let contributing = &f.contributing;
    match (f.add_doc.is_some(), !f.generators.is_empty()) {
        (true, true) => 25,
        (true, false) if !f.app => 25,
        (true, false) => {
            next.push("Add a template for new services (e.g. `templates/service/` with a Dockerfile, a Compose entry and manifests, or a cookiecutter) so the documented steps are one command.".into());
            15
        }
        (false, true) => {
            next.push(format!("Document how to add a service in `{contributing}` (a `## Adding a service` section) using the existing template."));
            15
        }
        (false, false) if !f.app => {
            next.push(format!("Document how to contribute a change in `{contributing}` (layout, where new code or pages go, how to test them)."));
            0
        }
        (false, false) => {
            next.push(format!("Document how to add a service in `{contributing}` (`## Adding a service`: Dockerfile, Compose service, CI build, manifests), and consider a template such as `templates/service/`."));
            0
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sections::testing::{run, with, GO_SERVICE};

    fn heading(file: &str, line: u32, text: &str) -> Option<Heading> {
        Some(Heading {
            file: file.into(),
            line,
            text: text.into(),
        })
    }

    /// An infrastructure repository is asked nothing about containers or
    /// services; one that deploys to clusters is asked how a change
    /// reaches them, a module how it is released.
    #[test]
    fn infrastructure_wording() {
        let gitops = judge(DevExperience {
            deploys_to_clusters: true,
            contributing: "CONTRIBUTING.md".into(),
            ..Default::default()
        });
        let all = gitops.next_steps.join("\n");
        assert!(all.contains("how a change reaches the clusters"), "{all}");
        assert!(all.contains("check a change before it is applied"), "{all}");
        for word in [
            "docker compose",
            "Docker",
            "Adding a service",
            "open the app",
        ] {
            assert!(!all.contains(word), "{word}: {all}");
        }
        let module = judge(DevExperience {
            contributing: "CONTRIBUTING.md".into(),
            ..Default::default()
        });
        assert!(module
            .next_steps
            .join("\n")
            .contains("a `## Releasing` section"));
    }

    #[test]
    fn judges_hand_made_facts() {
        let nothing = judge(DevExperience {
            app: true,
            contributing: "CONTRIBUTING.md".into(),
            ..Default::default()
        });
        assert_eq!((nothing.status, nothing.score), (Status::Missing, 0));
        assert_eq!(nothing.next_steps.len(), 4);
        assert!(nothing.next_steps[0].contains("`README.md`"));

        // A README with a getting-started heading that starts Compose.
        let mut f = DevExperience {
            app: true,
            readme: Some("README.md".into()),
            contributing: "CONTRIBUTING.md".into(),
            onboarding: heading("README.md", 3, "getting started"),
            container_start: Some(Located {
                file: "README.md".into(),
                line: 6,
                what: "docker compose up".into(),
            }),
            ..Default::default()
        };
        let r = judge(f);
        assert_eq!(
            r.summary,
            "on-boarding 2.5, install 2.0, dev to prod 0.0, adding a component 0.0 (of 2.5 each)"
        );
        assert_eq!((r.status, r.score), (Status::Partial, 4));

        // All four answered.
        f = DevExperience {
            app: true,
            readme: Some("README.md".into()),
            contributing: "CONTRIBUTING.md".into(),
            onboarding: heading("README.md", 3, "getting started"),
            devcontainer: Some(Located {
                file: ".devcontainer/devcontainer.json".into(),
                line: 1,
                what: String::new(),
            }),
            deploy_doc: heading("README.md", 12, "deploying"),
            gitops: Some(Located {
                file: "argo/app.yaml".into(),
                line: 2,
                what: "Application `api`".into(),
            }),
            add_doc: heading("README.md", 20, "adding a service"),
            generators: vec![Evidence::new(
                "cookiecutter.json",
                1,
                "cookiecutter template",
            )],
            ..Default::default()
        };
        let r = judge(f);
        // 2.5 + 2.5 + (1 + 1, no CI build) + 2.5.
        assert_eq!((r.status, r.score), (Status::Done, 9), "{r:?}");
        assert!(r.next_steps.is_empty());
        assert!(r
            .evidence
            .iter()
            .any(|e| e.message == "dev to prod: GitOps Application `api`"));

        // A library: documented prerequisites answer question 2, and the
        // advice speaks of releasing, not deploying.
        let lib = judge(DevExperience {
            readme: Some("README.md".into()),
            contributing: "CONTRIBUTING.md".into(),
            prerequisites: heading("README.md", 5, "requirements"),
            ..Default::default()
        });
        assert_eq!(
            lib.summary,
            "on-boarding 1.0, install 2.5, dev to prod 0.0, adding a component 0.0 (of 2.5 each)"
        );
        assert!(lib.next_steps.iter().any(|s| s.contains("## Releasing")));
    }

    #[test]
    fn a_component_follows_the_kind() {
        assert!(adds_component("adding a new service", true));
        assert!(!adds_component("designing a new feature", true));
        // A CLI tool's command or feature, a docs site's page.
        assert!(adds_component("designing a new feature", false));
        assert!(adds_component("task: adding new pages", false));
        assert!(!adds_component("contributing changes", false));
        assert!(!adds_component("creating a plugin", false));
    }

    #[test]
    fn missing_without_any_evidence() {
        let r = run(&[
            ("main.go", "package main\nfunc main() {}\n"),
            ("go.mod", "module x\n"),
        ])
        .section(SECTION.id);
        assert_eq!(r.status, Status::Missing, "{r:?}");
        assert_eq!(r.score, 0);
        assert_eq!(r.next_steps.len(), 4, "{:?}", r.next_steps);
    }

    #[test]
    fn partial_with_a_readme_that_starts_compose() {
        let readme = "# API\n\n## Getting started\n\n```sh\ndocker compose up\n```\n";
        let r = run(&with(GO_SERVICE, &[("README.md", readme)])).section(SECTION.id);
        assert_eq!(r.status, Status::Partial, "{r:?}");
        // 2.5 + 2.0 + 0 + 0
        assert_eq!(r.score, 4);
        assert!(r
            .evidence
            .iter()
            .any(|e| e.file == "README.md" && e.line == 3));
    }

    #[test]
    fn done_when_all_four_questions_are_answered() {
        let readme = "# API\n\n## Getting started\n\n### Prerequisites\n\nOnly Docker.\n\n```sh\ndocker compose up\n```\n\n## Deploying\n\nMerges to main deploy to staging.\n\n## Adding a service\n\nRun `make new-service`.\n";
        let ci = "on:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    environment: staging\n    steps:\n      - run: docker build -t ghcr.io/acme/api:${{ github.sha }} api && docker push ghcr.io/acme/api:${{ github.sha }}\n      - run: kubectl set image deployment/api api=ghcr.io/acme/api:${{ github.sha }}\n";
        let make = "new-service:\n\tcp -r templates/service services/$(NAME)\n";
        let r = run(&with(
            GO_SERVICE,
            &[
                ("README.md", readme),
                (".github/workflows/ci.yml", ci),
                ("Makefile", make),
            ],
        ))
        .ci_build("ghcr.io/acme/api:${{ github.sha }}")
        .ci_deploy("kubectl", "set-image", "staging", true, &[], None)
        .section(SECTION.id);
        assert_eq!(r.status, Status::Done, "{r:?}");
        assert_eq!(r.score, 10, "{r:?}");
        assert!(r.next_steps.is_empty(), "{:?}", r.next_steps);
    }

    #[test]
    fn helm_templates_are_not_component_templates() {
        let r = run(&with(
            GO_SERVICE,
            &[
                (
                    "chart/Chart.yaml",
                    "apiVersion: v2\nname: api\nversion: 0.1.0\n",
                ),
                ("chart/templates/deployment.yaml", "kind: Deployment\n"),
                (
                    "templates/service/Dockerfile",
                    "FROM alpine:3.20\nCMD [\"true\"]\n",
                ),
            ],
        ))
        .section(SECTION.id);
        let t: Vec<_> = r
            .evidence
            .iter()
            .filter(|e| e.message.starts_with("component template"))
            .collect();
        assert_eq!(t.len(), 1, "{:?}", r.evidence);
        assert_eq!(t[0].file, "templates/service/Dockerfile");
    }
}
