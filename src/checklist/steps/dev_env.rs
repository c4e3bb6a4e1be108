//! Step 4: developers can run the app in containers.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use crate::checklist::{Evidence, Status, StepContext, StepId, StepResult};
use crate::parse::ci::Meaning;
use crate::parse::compose::{ComposeProject, ComposeService, MountKind};
use crate::parse::devenv::{TaskRunner, TaskTarget};
use crate::paths;
use kubeready_shell::ComposeInvocation;

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 4: developers can run the app in containers.

Five kinds of evidence, 2 points each (10 at most): documented container
start; one-command start; dev loop; environment bootstrap; a
`.dockerignore` for every build context of the app's images (a CI
tool's or a test harness's image is not the app). done at 8 or more,
partial at 2–6, missing at 0.";

/// Whether a meaning, written in `file`, starts the app in containers.
fn starts_containers(cx: &StepContext<'_>, file: &str, m: &Meaning) -> bool {
    match m {
        Meaning::Compose(c) => {
            matches!(c.subcommand.as_str(), "up" | "run" | "watch" | "start")
                && compose_starts_app(cx, file, c) != Some(false)
        }
        Meaning::ImageRun { image, .. } => app_image(cx, image),
        _ => false,
    }
}

/// Whether a Compose command written in `file` starts a service of the
/// app (one with a `build:` or running an image of the repo), as far as
/// the Compose files it reads say (SPEC 1.2 step 4: starting only backing
/// services is not a container start of the app). Files named with `-f`
/// resolve against the folder of `file`, then the root; a named file that
/// is in neither cannot be shown to start the app. `None` when no Compose
/// file of the repo is known to be read (a plain `up` in a folder without
/// one, after a `cd` the command does not show).
fn compose_starts_app(cx: &StepContext<'_>, file: &str, c: &ComposeInvocation) -> Option<bool> {
    let here = paths::parent(file);
    let workdirs = [here, ""];
    let projects: Vec<&ComposeProject> = if c.files.is_empty() {
        workdirs
            .iter()
            .map(|w| {
                cx.facts
                    .compose
                    .iter()
                    .filter(|p| p.dir == *w && !p.variant)
                    .collect::<Vec<_>>()
            })
            .find(|v| !v.is_empty())?
    } else {
        workdirs
            .iter()
            .map(|w| {
                let wanted: Vec<String> =
                    c.files.iter().filter_map(|f| paths::join(w, f)).collect();
                cx.facts
                    .compose
                    .iter()
                    .filter(|p| wanted.iter().any(|f| p.files.contains(f)))
                    .collect::<Vec<_>>()
            })
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    };
    let named = |s: &ComposeService| c.services.is_empty() || c.services.contains(&s.name);
    Some(projects.iter().any(|p| {
        p.services.iter().filter(|s| named(s)).any(|s| {
            s.build.is_some()
                || s.image.as_ref().is_some_and(|i| app_image(cx, &i.value))
                || runs_mounted_source(s)
        })
    }))
}

/// Language toolchain images a Compose service can run the app's mounted
/// source in (`image: node:22`, `command: nodemon ...`, the source
/// bind-mounted): the app, not a backing service.
const TOOLCHAIN_IMAGES: &[&str] = &[
    "node",
    "python",
    "golang",
    "ruby",
    "php",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "maven",
    "gradle",
    "elixir",
    "rust",
    "bun",
    "deno",
    "sdk",
];

/// Whether a Compose service runs the app from source: a toolchain image
/// with a command of its own (a backing service is no `node` or `python`
/// image; the mount that brings the source may be `$PWD:$PWD`, which
/// Compose takes from the shell).
fn runs_mounted_source(s: &ComposeService) -> bool {
    s.command.is_some()
        && s.image.as_ref().is_some_and(|i| {
            let r = crate::image_ref::ImageRef::parse(&i.value);
            TOOLCHAIN_IMAGES.contains(&r.short_name().to_ascii_lowercase().as_str())
        })
}

/// An image that is the app's: built by CI, named in Compose with a build,
/// or tagged by a local build.
fn app_image(cx: &StepContext<'_>, image: &str) -> bool {
    cx.graph.image_defs.iter().any(|d| {
        d.names
            .iter()
            .any(|n| crate::graph::image::same_image(n, image))
    }) || cx.graph.ci_builds_image(image)
}

/// A bind mount of source code: a relative path inside a build context
/// (not config files or data folders beside the app).
fn is_source_mount(cx: &StepContext<'_>, src: &str) -> bool {
    if src.starts_with('/') || src.starts_with('~') || src.starts_with('$') {
        return false;
    }
    // One file (`./docker/pg_hba.conf`) is configuration, not source.
    if paths::normalize(src).is_some_and(|p| cx.facts.listing.has_file(&p)) {
        return false;
    }
    cx.graph
        .image_defs
        .iter()
        .flat_map(|d| d.contexts.iter())
        .any(|ctx| paths::is_within(src, ctx) || paths::is_within(ctx, src))
}

/// Whether a task starts the app in containers. Tasks of tests, examples
/// and harnesses (an e2e script bringing up its own stack) are no start
/// a developer is meant to use.
fn task_starts(cx: &StepContext<'_>, t: &TaskTarget) -> bool {
    let dir = paths::parent(&t.file);
    if crate::inventory::demonstrates_or_tests(dir) {
        return false;
    }
    t.meanings
        .iter()
        .any(|(_, m)| starts_containers(cx, &t.file, m))
}

fn find_task<'a>(
    cx: &'a StepContext<'_>,
    runner: TaskRunner,
    name: &str,
) -> Option<&'a TaskTarget> {
    cx.facts.devenv.tasks.iter().find(|t| {
        t.runner == runner
            && (t.name == name || (runner == TaskRunner::Script && t.name.ends_with(name)))
    })
}

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::DevEnv;
    let facts = cx.facts;
    let mut evidence = Vec::new();
    let mut next = Vec::new();
    let mut kinds = 0u8;

    // 1. Documented container start.
    let documented = facts.devenv.doc_commands.iter().find(|d| {
        d.meanings.iter().any(|m| starts_containers(cx, &d.file, m))
            || d.wrapper
                .as_ref()
                .and_then(|(r, n)| find_task(cx, *r, n))
                .is_some_and(|t| task_starts(cx, t))
    });
    match documented {
        Some(d) => {
            kinds += 1;
            evidence.push(Evidence::new(&d.file, d.line, format!("documented container start: `{}`", d.text)));
        }
        None => next.push("Document how to start the app in containers (e.g. `docker compose up`) in `README.md`.".to_string()),
    }

    // 2. One-command start.
    let root_compose = facts
        .compose
        .iter()
        .find(|p| p.dir.is_empty() && !p.variant);
    let task = facts.devenv.tasks.iter().find(|t| task_starts(cx, t));
    let env_present = |dir: &str| {
        facts
            .listing
            .has_file(&paths::join(dir, ".env").unwrap_or_default())
    };
    let root_ready = root_compose.filter(|p| {
        env_present(&p.dir) || p.variables.iter().all(|v| v.has_default && !v.required)
    });
    match (task, root_ready) {
        (Some(t), _) => {
            kinds += 1;
            evidence.push(Evidence::new(&t.file, t.line, format!("one-command start: {} `{}`", t.runner.name(), t.name)));
        }
        (None, Some(p)) => {
            kinds += 1;
            evidence.push(Evidence::new(&p.file, 1, "one-command start: `docker compose up` needs no undefaulted variable"));
        }
        (None, None) => next.push("Add a one-command start: a `make up` (or justfile/npm script) target that runs `docker compose up`, or a root `compose.yaml` that starts without required variables.".to_string()),
    }

    // 3. Dev loop.
    let bind = facts
        .compose
        .iter()
        .flat_map(|p| p.services.iter())
        .find_map(|s| {
            if let Some(line) = s.develop_watch {
                return Some(Evidence::new(
                    &s.file,
                    line,
                    format!("dev loop: `develop.watch` on `{}`", s.name),
                ));
            }
            s.volumes
                .iter()
                .find(|v| {
                    v.kind == MountKind::Bind
                        && v.source
                            .as_deref()
                            .is_some_and(|src| is_source_mount(cx, src))
                })
                .map(|v| {
                    Evidence::new(
                        &v.file,
                        v.line,
                        format!(
                            "dev loop: `{}` bind-mounts `{}` into the container",
                            s.name,
                            paths::display(v.source.as_deref().unwrap_or(""))
                        ),
                    )
                })
        });
    let tool = facts
        .devenv
        .tools
        .first()
        .map(|t| Evidence::new(&t.file, t.line, format!("dev loop: {}", t.kind.name())));
    match bind.or(tool) {
        Some(e) => {
            kinds += 1;
            evidence.push(e);
        }
        None => next.push("Add a dev loop: bind-mount the source in a Compose override (or `develop.watch`), or add a devcontainer.json.".to_string()),
    }

    // 4. Environment bootstrap.
    if facts.compose.is_empty() {
        next.push(
            "Once a Compose file exists, commit a `.env.example` for any variables it needs."
                .to_string(),
        );
    } else {
        let needs_vars = facts.compose.iter().any(|p| {
            p.variables.iter().any(|v| !v.has_default)
                || p.services.iter().any(|s| !s.env_files.is_empty())
        });
        if !needs_vars {
            kinds += 1;
            let f = facts
                .compose
                .first()
                .map(|p| p.file.clone())
                .unwrap_or_default();
            evidence.push(Evidence::new(
                f,
                1,
                "environment bootstrap: Compose needs no variables",
            ));
        } else if let Some(t) = facts.devenv.env_templates.first() {
            kinds += 1;
            evidence.push(Evidence::new(
                t,
                1,
                "environment bootstrap: template for the variables Compose uses",
            ));
        } else {
            next.push("Commit a `.env.example` listing the variables and env files the Compose file needs.".to_string());
        }
    }

    // 5. A .dockerignore for every build context of the app's images: a
    // CI tool's or a test harness's image (a Cypress runner CI builds) is
    // not what developers run as the app.
    let mut contexts: Vec<(String, String)> = Vec::new();
    for d in cx.graph.image_defs.iter().filter(|d| {
        d.kind == crate::graph::ImageDefKind::Dockerfile
            && !matches!(
                d.role(),
                crate::graph::ImageRole::CiTool | crate::graph::ImageRole::Test
            )
    }) {
        for c in &d.contexts {
            if !contexts.iter().any(|(_, cc)| cc == c) {
                contexts.push((d.file.clone(), c.clone()));
            }
        }
    }
    if !contexts.is_empty() {
        let missing: Vec<&(String, String)> = contexts
            .iter()
            .filter(|(df, c)| facts.dockerignore_for(df, c).is_none())
            .collect();
        if missing.is_empty() {
            kinds += 1;
            for (df, c) in &contexts {
                if let Some(di) = facts.dockerignore_for(df, c) {
                    evidence.push(Evidence::new(
                        &di.file,
                        1,
                        format!(".dockerignore for build context `{}`", paths::display(c)),
                    ));
                }
            }
        } else {
            for (_, c) in missing {
                next.push(format!("Add a `.dockerignore` to the build context `{}` (exclude `.git`, dependencies and build output).", paths::display(c)));
            }
        }
    }

    let score = kinds * 2;
    let status = match score {
        0 => Status::Missing,
        s if s >= 8 => Status::Done,
        _ => Status::Partial,
    };
    let mut r = StepResult::new(
        id,
        status,
        score,
        format!("{kinds}/5 kinds of dev-environment evidence"),
    );
    r.evidence = evidence;
    r.next_steps = next;
    r
}
