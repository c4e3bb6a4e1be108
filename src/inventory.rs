//! The buildable services of the repository: the detected projects that are
//! services, minus examples, tests, docs, templates and the config's
//! exclusions, plus the services the config declares.
//!
//! This is judgement over facts ([`crate::parse::manifest::Project`]); it
//! reads no files.

use crate::parse::manifest::{ImageBuilderConfig, Language, Program, Project, ProjectRole};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A service declared in the config (`services: [{path, name, language}]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredService {
    pub path: String,
    pub name: Option<String>,
    pub language: Option<Language>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// `""` for the root (reports show `.`).
    pub path: String,
    pub name: String,
    pub language: Language,
    pub manifest: String,
    pub reason: String,
    pub frameworks: Vec<String>,
    pub web: bool,
    pub ports: Vec<u16>,
    pub image_builders: Vec<ImageBuilderConfig>,
    /// Declared in the config rather than (only) detected.
    pub declared: bool,
    pub line: u32,
    /// How it runs (server, worker, command-line binary), with why.
    pub program: Program,
    pub program_evidence: Option<String>,
}

/// The result of judging the projects, with what could not be resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Sorted by path.
    pub services: Vec<Service>,
    /// Declared services whose language is neither given nor detectable
    /// from a project at, under or above their path: the config must name
    /// the language (the caller may also try
    /// [`crate::parse::manifest::guess_language`] first).
    pub unresolved: Vec<DeclaredService>,
    /// Detected services left out, with why (`under examples/`, `excluded
    /// by config pattern legacy/**`), for reports and `--verbose` output.
    pub dropped: Vec<(String, String)>,
}

/// The services, sorted by path. See [`inventory`] for the details.
pub fn services(
    projects: &[Project],
    declared: &[DeclaredService],
    excluded: &[String],
) -> Vec<Service> {
    inventory(projects, declared, excluded).services
}

/// Judges which projects are services:
///
/// - only [`ProjectRole::Service`] projects are detected services;
/// - projects under example/test/docs/template folders ([`is_example_path`])
///   or matching an `excluded` glob (the path itself or any parent folder;
///   `legacy`, `legacy/`, `legacy/**` and `services/*` all work) are dropped;
/// - declared services are always kept: they override the detection at
///   their path (name, language) or add a service where none was detected.
pub fn inventory(
    projects: &[Project],
    declared: &[DeclaredService],
    excluded: &[String],
) -> Inventory {
    let globs = build_globs(excluded);
    let mut inv = Inventory::default();
    let declared: Vec<DeclaredService> = declared
        .iter()
        .map(|d| DeclaredService {
            path: normalize_path(&d.path),
            ..d.clone()
        })
        .collect();
    let is_declared = |dir: &str| declared.iter().any(|d| d.path == dir);

    for p in projects.iter().filter(|p| p.role == ProjectRole::Service) {
        if is_declared(&p.dir) {
            continue;
        }
        if is_example_path(&p.dir) {
            inv.dropped.push((
                p.dir.clone(),
                "under an example, test, docs or template folder".into(),
            ));
            continue;
        }
        if let Some(why) = harness_path(&p.dir) {
            inv.dropped.push((p.dir.clone(), why.to_string()));
            continue;
        }
        if let Some(pattern) = excluded_by(&globs, excluded, &p.dir) {
            inv.dropped.push((
                p.dir.clone(),
                format!("excluded by config pattern `{pattern}`"),
            ));
            continue;
        }
        inv.services.push(from_project(p, false));
    }

    for d in &declared {
        let exact = projects.iter().find(|p| p.dir == d.path);
        // A project below (declared `backend`, manifest in `backend/src`) or
        // above (declared `services/api/cmd`, module at `services/api`).
        let below = projects
            .iter()
            .filter(|p| is_under(&p.dir, &d.path))
            .min_by(|a, b| a.dir.len().cmp(&b.dir.len()).then(a.dir.cmp(&b.dir)));
        let above = projects
            .iter()
            .filter(|p| is_under(&d.path, &p.dir))
            .max_by_key(|p| p.dir.len());
        let basis = exact.or(below).or(above);
        let Some(language) = d.language.or(basis.map(|p| p.language)) else {
            inv.unresolved.push(d.clone());
            continue;
        };
        let mut s = match basis {
            Some(p) => {
                let mut s = from_project(p, true);
                if exact.is_none() || p.role != ProjectRole::Service {
                    s.reason = format!("declared in the config (detected: {})", p.reason);
                } else {
                    s.reason = format!("declared in the config; {}", p.reason);
                }
                if p.dir != d.path {
                    s.name = last_segment(&d.path).unwrap_or(&s.name).to_string();
                }
                s
            }
            None => Service {
                path: d.path.clone(),
                name: last_segment(&d.path).unwrap_or("app").to_string(),
                language,
                manifest: String::new(),
                reason: "declared in the config".into(),
                frameworks: Vec::new(),
                web: false,
                ports: Vec::new(),
                image_builders: Vec::new(),
                declared: true,
                line: 1,
                program: Program::Unknown,
                program_evidence: None,
            },
        };
        s.path = d.path.clone();
        s.language = language;
        if let Some(n) = d.name.as_ref().filter(|n| !n.trim().is_empty()) {
            s.name = n.trim().to_string();
        }
        inv.services.retain(|x| x.path != s.path);
        inv.services.push(s);
    }
    inv.services.sort_by(|a, b| a.path.cmp(&b.path));
    inv.services.dedup_by(|a, b| a.path == b.path);
    inv.dropped.sort();
    inv.unresolved.sort_by(|a, b| a.path.cmp(&b.path));
    inv
}

fn from_project(p: &Project, declared: bool) -> Service {
    Service {
        path: p.dir.clone(),
        name: p.name.clone(),
        language: p.language,
        manifest: p.manifest.clone(),
        reason: p.reason.clone(),
        frameworks: p.frameworks.clone(),
        web: p.web,
        ports: p.ports.clone(),
        image_builders: p.image_builders.clone(),
        declared,
        line: p.line,
        program: p.program,
        program_evidence: p.program_evidence.clone(),
    }
}

/// `./services/api/` → `services/api`; `.` and `./` → `""`.
pub fn normalize_path(path: &str) -> String {
    let p = path.trim().replace('\\', "/");
    let segs: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    segs.join("/")
}

fn last_segment(path: &str) -> Option<&str> {
    path.rsplit('/').next().filter(|s| !s.is_empty())
}

/// Whether `path` lies strictly under `dir` (`""` is the root).
fn is_under(path: &str, dir: &str) -> bool {
    if path == dir {
        return false;
    }
    dir.is_empty() || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

fn build_globs(patterns: &[String]) -> Vec<(usize, GlobSet)> {
    let mut out = Vec::new();
    for (i, raw) in patterns.iter().enumerate() {
        let p = normalize_path(raw.trim_end_matches("/**").trim_end_matches('/'));
        let Ok(g) = GlobBuilder::new(&p).literal_separator(true).build() else {
            continue;
        };
        let mut b = GlobSetBuilder::new();
        b.add(g);
        if let Ok(set) = b.build() {
            out.push((i, set));
        }
    }
    out
}

/// The first pattern matching `dir` or one of its parent folders.
fn excluded_by<'a>(
    globs: &[(usize, GlobSet)],
    patterns: &'a [String],
    dir: &str,
) -> Option<&'a str> {
    let mut candidates: Vec<&str> = vec![dir];
    let mut d = dir;
    while let Some(i) = d.rfind('/') {
        d = &d[..i];
        candidates.push(d);
    }
    for (i, set) in globs {
        if candidates.iter().any(|c| set.is_match(c)) {
            return patterns.get(*i).map(String::as_str);
        }
    }
    None
}

/// Folders whose projects are examples, tests, fixtures, docs or templates,
/// not services of the repository (any path segment, case-insensitive).
pub fn is_example_path(dir: &str) -> bool {
    let segs: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    for (i, s) in segs.iter().enumerate() {
        let s = s.as_str();
        let exact = matches!(
            s,
            "examples"
                | "example"
                | "_examples"
                | "samples"
                | "sample"
                | "_samples"
                | "test"
                | "tests"
                | "testdata"
                | "test-data"
                | "test_data"
                | "testing"
                | "fixtures"
                | "fixture"
                | "__fixtures__"
                | "__tests__"
                | "__test__"
                | "__mocks__"
                | "e2e"
                | "docs"
                | "doc"
                | "documentation"
                | "tutorials"
                | "tutorial"
                | "templates"
                | "template"
                | "_template"
                | "_templates"
                | "project_template"
                | "app_template"
                | "boilerplate"
                | "skeleton"
        );
        // Jinja/cookiecutter/copier placeholders, `*-template`, `*-tests`.
        let pattern = s.contains("{{")
            || s.contains("{%")
            || s.starts_with("cookiecutter")
            || s.ends_with("-template")
            || s.ends_with("_template")
            || s.ends_with("-templates")
            || s.ends_with("-tests")
            || s.ends_with("_tests")
            || s.ends_with("-e2e")
            || s.ends_with("_e2e")
            || s.ends_with("examples")
            || s.ends_with("-docs")
            || s.ends_with("_docs")
            || s.ends_with("-examples")
            || s.ends_with("-example")
            || s.ends_with("_examples")
            || s.ends_with("_example");
        // Rails engine dummy apps: `spec/dummy`.
        let dummy = s == "dummy" && i > 0 && segs.get(i - 1).is_some_and(|p| p == "spec");
        if exact || pattern || dummy {
            return true;
        }
    }
    false
}

/// Folders whose files demonstrate or test the product rather than ship
/// it: examples, tests, fixtures, docs and templates ([`is_example_path`])
/// and test, benchmark and build harnesses ([`harness_path`]). One answer
/// for every "is this the product's own?" question about a file outside
/// the services (a task script, a Kubernetes manifest, a Helm chart): an
/// e2e suite's manifests or an example's Deployment deploy nothing of the
/// product.
pub fn demonstrates_or_tests(dir: &str) -> bool {
    is_example_path(dir) || harness_path(dir).is_some()
}

/// Folders of code that runs only to test, measure or build the repository
/// (SPEC 1.2: fuzz targets, benchmarks, `xtask`-style helpers and test
/// harnesses are never services), by any path segment, case-insensitive:
/// `fuzz/`, `benches/`, `perf/`, `Foo.Benchmarks`, `FooMicroBenchmarks`,
/// `Foo.TestConsole`, `it/`, `integration-tests/`, `shenyu-integrated-test`,
/// `playground/`, `xtask/`. Kept apart from [`is_example_path`], which also
/// decides image roles. Returns why.
pub fn harness_path(dir: &str) -> Option<&'static str> {
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        let s = seg.to_ascii_lowercase();
        let s = s.as_str();
        if matches!(s, "fuzz" | "fuzzing" | "fuzzers")
            || s.ends_with("-fuzz")
            || s.ends_with("_fuzz")
        {
            return Some("under a fuzz-target folder");
        }
        if matches!(s, "bench" | "benches" | "benchmark" | "benchmarks" | "perf")
            || s.ends_with("benchmarks")
            || s.ends_with("benchmark")
            || s.ends_with("-bench")
            || s.ends_with("_bench")
            || s.ends_with(".bench")
            || s.ends_with("-perf")
            || s.ends_with(".perf")
        {
            return Some("under a benchmark folder");
        }
        if matches!(
            s,
            "it" | "integration-test"
                | "integration-tests"
                | "integration_test"
                | "integration_tests"
                | "integrationtests"
                | "e2e-tests"
                | "playground"
                | "playgrounds"
        ) || s.contains("-integrated-test")
            || s.contains("-integration-test")
            || s.contains("-e2e-")
            || s.ends_with("testconsole")
            || s.ends_with(".tests")
            || s.ends_with("-test")
            || s.ends_with("_test")
        {
            return Some("under a test-harness or playground folder");
        }
        if s == "xtask" {
            return Some("under an xtask build-helper folder");
        }
        if s.ends_with("examples") {
            return Some("under an examples folder");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::manifest::{scan_projects, ImageBuilderTool};
    use crate::walk::{Tree, WalkOptions};
    use std::fs;

    fn project(dir: &str, language: Language, role: ProjectRole) -> Project {
        Project {
            dir: dir.into(),
            name: dir
                .rsplit('/')
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or("root")
                .into(),
            language,
            manifest: if dir.is_empty() {
                "go.mod".into()
            } else {
                format!("{dir}/go.mod")
            },
            role: role.clone(),
            reason: if role == ProjectRole::Service {
                "go module with package main (main.go)".into()
            } else {
                "library: no package main in the module".into()
            },
            frameworks: Vec::new(),
            web: false,
            ports: Vec::new(),
            image_builders: Vec::new(),
            line: 1,
            program: Program::Unknown,
            program_evidence: None,
            dependencies: Vec::new(),
            entry_cli: None,
        }
    }

    fn paths(s: &[Service]) -> Vec<&str> {
        s.iter().map(|s| s.path.as_str()).collect()
    }

    #[test]
    fn only_services_outside_examples_tests_docs_and_templates() {
        let ps = vec![
            project("", Language::Go, ProjectRole::Service),
            project("lib", Language::Go, ProjectRole::Library),
            project("ws", Language::Node, ProjectRole::WorkspaceRoot),
            project("services/api", Language::Go, ProjectRole::Service),
            project("examples/hello", Language::Go, ProjectRole::Service),
            project(
                "services/api/testdata/app",
                Language::Go,
                ProjectRole::Service,
            ),
            project("docs/site", Language::Node, ProjectRole::Service),
            project(
                "{{cookiecutter.slug}}",
                Language::Python,
                ProjectRole::Service,
            ),
            project("e2e", Language::Node, ProjectRole::Service),
        ];
        let inv = inventory(&ps, &[], &[]);
        assert_eq!(paths(&inv.services), vec!["", "services/api"]);
        assert_eq!(inv.dropped.len(), 5);
        assert!(inv.services.iter().all(|s| !s.declared));
        assert_eq!(inv.services[1].manifest, "services/api/go.mod");
    }

    #[test]
    fn excluded_globs_match_the_folder_or_a_parent() {
        let ps = vec![
            project("legacy/api", Language::Go, ProjectRole::Service),
            project("services/old", Language::Go, ProjectRole::Service),
            project("services/new", Language::Go, ProjectRole::Service),
            project("a/experimental/x", Language::Go, ProjectRole::Service),
            project("tools/gen", Language::Go, ProjectRole::Service),
        ];
        let excluded = vec![
            "legacy/**".to_string(),
            "./services/old/".to_string(),
            "**/experimental".to_string(),
            "tools".to_string(),
            "[bad".to_string(),
        ];
        let inv = inventory(&ps, &[], &excluded);
        assert_eq!(paths(&inv.services), vec!["services/new"]);
        assert!(inv
            .dropped
            .iter()
            .any(|(p, why)| p == "legacy/api" && why.contains("legacy/**")));
        // A `*` does not cross folders, but a matching parent excludes its children.
        let inv = inventory(
            &[project("services/a/b", Language::Go, ProjectRole::Service)],
            &[],
            &["services/*".to_string()],
        );
        assert!(inv.services.is_empty());
    }

    #[test]
    fn declared_services_override_and_add() {
        let ps = vec![
            project("lib", Language::Go, ProjectRole::Library),
            project("examples/demo", Language::Go, ProjectRole::Service),
            project("api", Language::Go, ProjectRole::Service),
            project("backend/src", Language::Python, ProjectRole::Library),
        ];
        let declared = vec![
            DeclaredService {
                path: "./lib/".into(),
                name: Some("worker".into()),
                language: None,
            },
            DeclaredService {
                path: "examples/demo".into(),
                name: None,
                language: None,
            },
            DeclaredService {
                path: "api".into(),
                name: None,
                language: Some(Language::Rust),
            },
            DeclaredService {
                path: "backend".into(),
                name: None,
                language: None,
            },
            DeclaredService {
                path: "infra/cron".into(),
                name: None,
                language: Some(Language::Python),
            },
            DeclaredService {
                path: "mystery".into(),
                name: None,
                language: None,
            },
        ];
        let excluded = vec!["examples/**".to_string()];
        let inv = inventory(&ps, &declared, &excluded);
        assert_eq!(
            paths(&inv.services),
            vec!["api", "backend", "examples/demo", "infra/cron", "lib"]
        );
        assert!(inv.services.iter().all(|s| s.declared));
        let lib = &inv.services[4];
        assert_eq!(lib.name, "worker");
        assert_eq!(lib.language, Language::Go);
        assert_eq!(lib.manifest, "lib/go.mod");
        assert!(
            lib.reason
                .starts_with("declared in the config (detected: library"),
            "{}",
            lib.reason
        );
        assert_eq!(inv.services[0].language, Language::Rust);
        let backend = &inv.services[1];
        assert_eq!(backend.language, Language::Python);
        assert_eq!(backend.name, "backend");
        assert_eq!(backend.manifest, "backend/src/go.mod");
        let cron = &inv.services[3];
        assert_eq!(cron.manifest, "");
        assert_eq!(cron.name, "cron");
        assert_eq!(
            inv.unresolved,
            vec![DeclaredService {
                path: "mystery".into(),
                name: None,
                language: None
            }]
        );
        assert_eq!(services(&ps, &declared, &excluded).len(), 5);
    }

    #[test]
    fn root_can_be_declared_as_dot() {
        let ps = vec![project("", Language::Go, ProjectRole::Library)];
        let s = services(
            &ps,
            &[DeclaredService {
                path: ".".into(),
                name: None,
                language: None,
            }],
            &[],
        );
        assert_eq!(paths(&s), vec![""]);
        assert!(s[0].declared);
    }

    #[test]
    fn example_paths() {
        for p in [
            "examples/a",
            "example",
            "samples/x",
            "sample",
            "test/app",
            "tests",
            "pkg/testdata/app",
            "fixtures/x",
            "docs",
            "site/docs/app",
            "{{cookiecutter.project_slug}}",
            "templates/basic",
            "_template",
            "src/__tests__/app",
            "e2e",
            "app-e2e",
            "load-tests",
            "spec/dummy",
            "Examples/Foo",
            "starter-template",
        ] {
            assert!(is_example_path(p), "{p}");
        }
        for p in [
            "",
            "services/api",
            "apps/web",
            "contest",
            "latest",
            "specs-api",
            "dummy",
            "testimonials",
            "sampler",
            "documents-api",
        ] {
            assert!(!is_example_path(p), "{p}");
        }
    }

    #[test]
    fn harness_paths() {
        for p in [
            "fuzz",
            "crates/fuzz",
            "perf/MicroBenchmarks",
            "Src/Newtonsoft.Json.TestConsole",
            "src/Foo.Benchmarks",
            "benches/criterion",
            "it/csharp",
            "integration-tests/api",
            "shenyu-integrated-test/shenyu-integrated-test-http",
            "shenyu-integrated-test",
            "app-e2e-runner",
            "playground/nestjs",
            "xtask",
            "sdkexamples",
            "Src/Foo.Tests",
            "smoke-test",
        ] {
            assert!(harness_path(p).is_some(), "{p}");
        }
        for p in [
            "",
            "services/api",
            "apps/web",
            "item",
            "perfume",
            "benchmarking-ui",
            "integration",
            "testimonials",
            "contest",
            "src/fuzzy-search",
        ] {
            assert_eq!(harness_path(p), None, "{p}");
        }
    }

    #[test]
    fn harness_folders_are_dropped_with_why() {
        let ps = [
            project("fuzz", Language::Rust, ProjectRole::Service),
            project(
                "perf/MicroBenchmarks",
                Language::Dotnet,
                ProjectRole::Service,
            ),
            project("src/api", Language::Dotnet, ProjectRole::Service),
        ];
        let inv = inventory(&ps, &[], &[]);
        assert_eq!(paths(&inv.services), vec!["src/api"]);
        assert_eq!(
            inv.dropped,
            vec![
                ("fuzz".to_string(), "under a fuzz-target folder".to_string()),
                (
                    "perf/MicroBenchmarks".to_string(),
                    "under a benchmark folder".to_string()
                ),
            ]
        );
    }

    #[test]
    fn end_to_end_from_a_tree() {
        let dir = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            ("package.json", r#"{"private":true,"workspaces":["apps/*"]}"#),
            ("apps/web/package.json", r#"{"name":"web","scripts":{"start":"next start"},"dependencies":{"next":"14"}}"#),
            ("apps/api/pom.xml", "<project><artifactId>api</artifactId><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin><plugin><artifactId>jib-maven-plugin</artifactId></plugin></plugins></build></project>"),
            ("examples/demo/package.json", r#"{"scripts":{"start":"node ."}}"#),
            ("packages/ui/package.json", r#"{"name":"ui","main":"index.js"}"#),
        ];
        for (rel, text) in files {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let tree = Tree::walk(dir.path(), &WalkOptions::default());
        let (projects, problems) = scan_projects(&tree);
        assert!(problems.is_empty());
        let s = services(&projects, &[], &[]);
        assert_eq!(paths(&s), vec!["apps/api", "apps/web"]);
        assert_eq!(s[0].language, Language::Java);
        assert_eq!(s[0].image_builders[0].tool, ImageBuilderTool::Jib);
        assert_eq!(s[1].name, "web");
    }
}
