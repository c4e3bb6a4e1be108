//! Project detection over real walks of temporary trees: one file per
//! language family; the shared helpers and the cases across languages here.

use super::*;
use crate::walk::WalkOptions;
use std::fs;

pub(super) fn scan(files: &[(&str, &str)]) -> (Vec<Project>, Vec<ParseProblem>) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let tree = Tree::walk(dir.path(), &WalkOptions::default());
    scan_projects(&tree)
}

pub(super) fn projects(files: &[(&str, &str)]) -> Vec<Project> {
    let (p, problems) = scan(files);
    assert!(problems.is_empty(), "unexpected problems: {problems:?}");
    p
}

fn at<'a>(ps: &'a [Project], dir: &str) -> &'a Project {
    ps.iter()
        .find(|p| p.dir == dir)
        .unwrap_or_else(|| panic!("no project at {dir:?} in {ps:#?}"))
}

mod dotnet_projects;
mod go_projects;
mod jvm_projects;
mod node_projects;
mod procfile_and_builders;
mod python_projects;
mod ruby_php_elixir;
mod rust_projects;

// ---- Across languages

#[test]
fn reasons_never_show_assigned_secrets() {
    let ps = projects(&[(
        "package.json",
        r#"{"scripts":{"start":"PORT=8080 API_TOKEN=ghp_secret123 node server.js"}}"#,
    )]);
    assert_eq!(
        ps[0].reason,
        "package.json has a start script: `PORT=8080 API_TOKEN=*** node server.js`"
    );
    assert_eq!(ps[0].ports, vec![8080]);
}

#[test]
fn requirement_file_roles() {
    let ps = projects(&[
        ("a/requirements.docker.txt", "flask\n"),
        ("b/requirements-dev.txt", "flask\n"),
        ("b/setup.py", "setup(name='b')\n"),
        ("c/requirements.txt", "caf\u{e9}\u{20ac}x\nfastapi\n"),
    ]);
    assert_eq!(at(&ps, "a").role, ProjectRole::Service);
    assert_eq!(at(&ps, "b").role, ProjectRole::Library);
    assert_eq!(at(&ps, "c").line, 2);
}

#[test]
fn garbage_manifests_never_panic() {
    let junk = [
        "",
        "<",
        "<<<>>>",
        "<a b='>",
        "<!--",
        "<![CDATA[",
        "{{{}}}}}}",
        "]]]",
        "\u{20ac}\u{20ac}=\u{20ac}",
        "install_requires",
        "module",
        "gem",
        "web:",
        "[",
        "\"",
        "name=\"",
        "-r ../../../../x.txt",
    ];
    let names = [
        "package.json",
        "deno.json",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "Pipfile",
        "requirements.txt",
        "manage.py",
        "go.mod",
        "Cargo.toml",
        "pom.xml",
        "build.gradle",
        "settings.gradle.kts",
        "App.csproj",
        "Gemfile",
        "config.ru",
        "composer.json",
        "artisan",
        "mix.exs",
        "Procfile",
        ".ko.yaml",
        "project.toml",
    ];
    for j in junk {
        let files: Vec<(String, &str)> = names.iter().map(|n| (format!("d/{n}"), j)).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        let (ps, _) = scan(&refs);
        assert!(ps.len() <= 1, "{j:?}: one project per folder, got {ps:#?}");
    }
}

#[test]
fn ports_from_commands_and_values() {
    assert_eq!(ports_in_command("PORT=3000 node server.js"), vec![3000]);
    assert_eq!(ports_in_command("next start -p 4000"), vec![4000]);
    assert_eq!(
        ports_in_command("uvicorn main:app --host 0.0.0.0 --port 8080"),
        vec![8080]
    );
    assert_eq!(ports_in_command("vite preview --port=5173"), vec![5173]);
    assert_eq!(ports_in_command("gunicorn -b :8000 app:app"), vec![8000]);
    assert_eq!(ports_in_command("node index.js"), Vec::<u16>::new());
    assert_eq!(port_value("${PORT:8080}"), Some(8080));
    assert_eq!(port_value("http://localhost:5000"), Some(5000));
    assert_eq!(port_value("99999"), None);
    assert_eq!(port_value("${PORT}"), None);
}

#[test]
fn xml_reader() {
    let (doc, err) = xml::parse("<?xml version=\"1.0\"?>\n<!-- c <x> -->\n<a k='v &amp; w'>\n <b><![CDATA[<t>]]></b>\n <c/>\n</a>\n");
    assert!(err.is_none());
    let a = doc.root().unwrap();
    assert_eq!(doc.name(a), "a");
    assert_eq!(doc.attr(a, "k"), Some("v & w"));
    assert_eq!(doc.line(a), 3);
    assert_eq!(doc.path_text(a, "b"), Some("<t>"));
    assert!(doc.child(a, "c").is_some());
    let (_, err) = xml::parse("<a>\n<b>\n</a>\n");
    assert_eq!(err.map(|e| e.0), Some(3));
}

#[test]
fn language_names() {
    assert_eq!(Language::Java.to_string(), "Java/Kotlin");
    assert_eq!(Language::Dotnet.to_string(), ".NET");
    assert_eq!(Language::Node.to_string(), "Node.js");
    assert_eq!(
        serde_json::to_string(&Language::Dotnet).unwrap(),
        "\"dotnet\""
    );
    assert_eq!(Language::parse("Kotlin"), Some(Language::Java));
    assert_eq!(Language::parse("cobol"), None);
}

#[test]
fn guesses_language_of_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("svc")).unwrap();
    fs::write(dir.path().join("svc/a.py"), "").unwrap();
    fs::write(dir.path().join("svc/b.py"), "").unwrap();
    fs::write(dir.path().join("svc/c.js"), "").unwrap();
    let tree = Tree::walk(dir.path(), &WalkOptions::default());
    assert_eq!(guess_language(&tree, "svc"), Some(Language::Python));
    assert_eq!(guess_language(&tree, "nope"), None);
}
