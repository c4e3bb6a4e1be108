//! Steps 1-2: a Dockerfile and a `.dockerignore` per uncontainerized
//! service, from the templates under `templates/`.

use super::health::{health_route, healthcheck};
use super::start::*;
use super::{exec_form, join, render, safe_name, Change, Plan, Selection};
use crate::audit::Audit;
use crate::inventory::Service;
use crate::kind::RepositoryKind;
use crate::parse::manifest::Language;
use std::path::Path;

const NODE: &str = include_str!("../../templates/dockerfile/node.dockerfile.tmpl");
const NODE_BUILD: &str = include_str!("../../templates/dockerfile/node-build.dockerfile.tmpl");
const PYTHON: &str = include_str!("../../templates/dockerfile/python.dockerfile.tmpl");
const GO: &str = include_str!("../../templates/dockerfile/go.dockerfile.tmpl");
const RUST: &str = include_str!("../../templates/dockerfile/rust.dockerfile.tmpl");
const JAVA_MAVEN: &str = include_str!("../../templates/dockerfile/java-maven.dockerfile.tmpl");
const JAVA_GRADLE: &str = include_str!("../../templates/dockerfile/java-gradle.dockerfile.tmpl");
const DOTNET: &str = include_str!("../../templates/dockerfile/dotnet.dockerfile.tmpl");
const RUBY: &str = include_str!("../../templates/dockerfile/ruby.dockerfile.tmpl");
const PHP: &str = include_str!("../../templates/dockerfile/php.dockerfile.tmpl");
const ELIXIR: &str = include_str!("../../templates/dockerfile/elixir.dockerfile.tmpl");
const DOCKERIGNORE: &str = include_str!("../../templates/dockerignore.txt");

pub(super) fn plan(root: &Path, audit: &Audit, selection: &Selection, plan: &mut Plan) {
    let first_only = !selection.step("all-services");
    if !selection.step("dockerfile") && first_only {
        return;
    }
    let kind = audit.report.repository.kind;
    if !matches!(kind, RepositoryKind::Application | RepositoryKind::CliTool) {
        if !audit.graph.services.is_empty() {
            plan.skipped.push(format!(
                "no Dockerfile scaffold: the repository is a {} (kind)",
                kind_name(kind)
            ));
        }
        return;
    }
    let containerized = |s: &Service| {
        let shown = if s.path.is_empty() { "." } else { &s.path };
        audit
            .report
            .services
            .iter()
            .any(|e| e.path == shown && e.containerized)
    };
    let any_containerized = audit.graph.services.iter().any(containerized);
    for (index, s) in audit
        .graph
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| !containerized(s))
    {
        if first_only && (any_containerized || !plan.changes.is_empty()) {
            break;
        }
        let step = if any_containerized || !plan.changes.is_empty() {
            "step 2 all-services"
        } else {
            "step 1 dockerfile"
        };
        let shown = if s.path.is_empty() { "." } else { &s.path };
        let dockerfile = join(&s.path, "Dockerfile");
        if root.join(&dockerfile).exists() {
            plan.skipped.push(format!(
                "`{dockerfile}` exists but does not containerize `{shown}`; not overwritten"
            ));
            continue;
        }
        let dir = root.join(&s.path);
        let manifest_file = s.manifest.rsplit('/').next().unwrap_or("");
        if s.language == Language::Dotnet && !manifest_file.ends_with("proj") {
            let manifest = if s.manifest.is_empty() {
                "none found".to_string()
            } else {
                format!("`{}`", s.manifest)
            };
            plan.skipped.push(format!(
                "no Dockerfile for `{shown}`: cannot containerize it without its project file (`*.csproj`, `*.fsproj`; manifest: {manifest})"
            ));
            continue;
        }
        let text = dockerfile_for(s, &dir, listening_port(audit, s));
        plan.images.push(super::PlannedImage {
            name: s.name.clone(),
            service: index,
            context: s.path.clone(),
            dockerfile: dockerfile.clone(),
            text: text.clone(),
        });
        plan.changes.push(Change {
            path: dockerfile,
            old: None,
            new: text,
            reasons: vec![format!(
                "{step}: containerize `{shown}` ({})",
                s.language.as_str()
            )],
        });
        let ignore = join(&s.path, ".dockerignore");
        // A context an existing build already uses keeps its own rules: a
        // new `.dockerignore` there could break that build.
        let shared = audit.graph.image_defs.iter().any(|d| {
            d.contexts.iter().any(|c| {
                c.trim_start_matches("./").trim_end_matches('/') == s.path.as_str()
                    || (s.path.is_empty() && c == ".")
            })
        });
        if shared {
            plan.skipped.push(format!(
                "no `.dockerignore` for `{shown}`: an existing build uses that context"
            ));
        } else if !root.join(&ignore).exists() {
            plan.changes.push(Change {
                path: ignore,
                old: None,
                new: render(DOCKERIGNORE, &[("EXTRA", ignore_extra(s.language))]),
                reasons: vec![format!("{step}: build context of `{shown}` (KR108)")],
            });
        }
    }
}

/// The port the service listens on: the manifest's, else the one its
/// code names (a literal, or the default of its `PORT`-style variable).
fn listening_port(audit: &Audit, s: &Service) -> Option<u16> {
    s.ports.first().copied().or_else(|| {
        audit
            .facts
            .runtime
            .of(&s.path)
            .find_map(|signal| match signal.kind {
                crate::parse::runtime::SignalKind::ListenPort { port, .. } => port,
                _ => None,
            })
    })
}

fn kind_name(kind: RepositoryKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{kind:?}"))
}

fn ignore_extra(language: Language) -> String {
    match language {
        Language::Node => "node_modules\nnpm-debug.log\ncoverage",
        Language::Python => "__pycache__\n*.pyc\n.venv\nvenv\n.pytest_cache",
        Language::Go => "bin",
        Language::Rust => "target",
        Language::Java => "target\nbuild\n.gradle",
        Language::Dotnet => "bin\nobj",
        Language::Ruby => ".bundle\nlog\ntmp",
        Language::Php => "vendor",
        Language::Elixir => "_build\ndeps",
    }
    .to_string()
}

fn dockerfile_for(s: &Service, dir: &Path, port: Option<u16>) -> String {
    let name = safe_name(&s.name);
    let expose = port.map(|p| format!("EXPOSE {p}")).unwrap_or_default();
    let port_or = |default: u16| port.unwrap_or(default).to_string();
    // The port a start command binds because this scaffold chose it.
    let expose_or = |default: u16| format!("EXPOSE {}", port.unwrap_or(default));
    // An HTTP probe where the port and a health route are known, a TCP
    // probe where only the port is, else a comment saying why none.
    let route = health_route(dir);
    let health =
        |language: Language, port: Option<u16>| healthcheck(language, port, route.as_deref());
    let v = |k: &'static str, val: String| (k, val);
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let manifest_file = s.manifest.rsplit('/').next().unwrap_or("").to_string();
    let copy_present = |files: &[&str]| {
        let present: Vec<&str> = files.iter().copied().filter(|f| has(dir, f)).collect();
        if present.is_empty() {
            String::new()
        } else {
            format!("COPY {} ./", present.join(" "))
        }
    };
    match s.language {
        Language::Node => {
            let install = node_install(dir);
            // A `build` script gets a build stage (dev dependencies there
            // only, pruned before the runtime stage copies the app).
            let template = if node_script(dir, "build").is_some() {
                NODE_BUILD
            } else {
                NODE
            };
            render(
                template,
                &[
                    v("NAME", name),
                    v("DEPS_RUN_ALL", install.run_all),
                    v("DEPS_COPY", install.copy),
                    v("DEPS_RUN", install.run_prod),
                    v("BUILD_RUN", install.build_run),
                    v("EXPOSE", expose),
                    v("HEALTHCHECK", health(Language::Node, port)),
                    v("CMD", exec_form(&node_start(dir))),
                ],
            )
        }
        Language::Python => {
            let reqs = has(dir, "requirements.txt");
            let cmd = python_start(dir, &s.frameworks, &port_or(8000));
            let binds = cmd.iter().any(|a| a.contains(&port_or(8000)));
            let expose = if binds { expose_or(8000) } else { expose };
            let bound = if binds {
                Some(port.unwrap_or(8000))
            } else {
                port
            };
            let healthcheck = health(Language::Python, bound);
            render(
                PYTHON,
                &[
                    v("NAME", name),
                    v(
                        "DEPS_COPY",
                        if reqs {
                            "COPY requirements.txt ./".into()
                        } else {
                            String::new()
                        },
                    ),
                    v(
                        "DEPS_RUN",
                        if reqs {
                            "RUN pip install --no-cache-dir -r requirements.txt".into()
                        } else {
                            String::new()
                        },
                    ),
                    v(
                        "INSTALL_SELF",
                        if !reqs && (has(dir, "pyproject.toml") || has(dir, "setup.py")) {
                            "RUN pip install --no-cache-dir .".into()
                        } else {
                            String::new()
                        },
                    ),
                    v("EXPOSE", expose),
                    v("HEALTHCHECK", healthcheck),
                    v("CMD", exec_form(&cmd)),
                ],
            )
        }
        Language::Go => render(
            GO,
            &[
                v("NAME", name),
                v("DEPS_COPY", copy_present(&["go.mod", "go.sum"])),
                v("PACKAGE", go_package(dir)),
                v("EXPOSE", expose),
                v("HEALTHCHECK", health(Language::Go, port)),
            ],
        ),
        Language::Rust => render(
            RUST,
            &[
                v("NAME", rust_binary(dir).unwrap_or(name)),
                v("EXPOSE", expose),
                v("HEALTHCHECK", health(Language::Rust, port)),
            ],
        ),
        Language::Java => {
            let t = if manifest_file == "pom.xml" {
                JAVA_MAVEN
            } else {
                JAVA_GRADLE
            };
            render(
                t,
                &[
                    v("NAME", name),
                    v("EXPOSE", expose),
                    v("HEALTHCHECK", health(Language::Java, port)),
                ],
            )
        }
        Language::Dotnet => {
            let project = if manifest_file.ends_with("proj") {
                manifest_file.clone()
            } else {
                format!("{name}.csproj")
            };
            let assembly = project
                .rsplit_once('.')
                .map(|(a, _)| a.to_string())
                .unwrap_or_else(|| name.clone());
            render(
                DOTNET,
                &[
                    v("NAME", name),
                    v("PROJECT_FILE", project),
                    v("ASSEMBLY", assembly),
                    // The image listens on 8080 unless told: the port
                    // found (a launch profile's) is the one it is told.
                    v(
                        "PORT_ENV",
                        port.map(|p| format!("ENV ASPNETCORE_HTTP_PORTS={p}"))
                            .unwrap_or_default(),
                    ),
                    v("EXPOSE", expose),
                    v("HEALTHCHECK", health(Language::Dotnet, port)),
                ],
            )
        }
        Language::Ruby => {
            let rails = s.frameworks.iter().any(|f| f == "rails") || has(dir, "bin/rails");
            let rack = !rails && has(dir, "config.ru");
            let (expose, bound) = if rails {
                (expose_or(3000), Some(port.unwrap_or(3000)))
            } else if rack {
                (expose_or(9292), Some(port.unwrap_or(9292)))
            } else {
                (expose, port)
            };
            let cmd = if rails {
                let mut w = words(&["bundle", "exec", "rails", "server", "-b", "0.0.0.0", "-p"]);
                w.push(port_or(3000));
                w
            } else if rack {
                vec![
                    "bundle".into(),
                    "exec".into(),
                    "rackup".into(),
                    "--host".into(),
                    "0.0.0.0".into(),
                    "--port".into(),
                    port_or(9292),
                ]
            } else {
                let main = ["app.rb", "main.rb"]
                    .into_iter()
                    .find(|f| has(dir, f))
                    .unwrap_or("app.rb");
                words(&["bundle", "exec", "ruby", main])
            };
            render(
                RUBY,
                &[
                    v("NAME", name),
                    v("DEPS_COPY", copy_present(&["Gemfile", "Gemfile.lock"])),
                    v("EXPOSE", expose),
                    v("HEALTHCHECK", health(Language::Ruby, bound)),
                    v("CMD", exec_form(&cmd)),
                ],
            )
        }
        Language::Php => {
            let artisan = has(dir, "artisan");
            let default_port = if artisan { 8000 } else { 8080 };
            let expose = expose_or(default_port);
            let bound = Some(port.unwrap_or(default_port));
            let cmd = if artisan {
                vec![
                    "php".into(),
                    "artisan".into(),
                    "serve".into(),
                    "--host=0.0.0.0".into(),
                    format!("--port={}", port_or(8000)),
                ]
            } else {
                let docroot = if dir.join("public").is_dir() {
                    "public"
                } else {
                    "."
                };
                vec![
                    "php".into(),
                    "-S".into(),
                    format!("0.0.0.0:{}", port_or(8080)),
                    "-t".into(),
                    docroot.into(),
                ]
            };
            render(
                PHP,
                &[
                    v("NAME", name),
                    v(
                        "DEPS_COPY",
                        copy_present(&["composer.json", "composer.lock"]),
                    ),
                    v("EXPOSE", expose),
                    v("HEALTHCHECK", health(Language::Php, bound)),
                    v("CMD", exec_form(&cmd)),
                ],
            )
        }
        Language::Elixir => render(
            ELIXIR,
            &[
                v("NAME", name),
                v("DEPS_COPY", copy_present(&["mix.exs", "mix.lock"])),
                v("EXPOSE", expose),
                v("HEALTHCHECK", health(Language::Elixir, port)),
            ],
        ),
    }
}
