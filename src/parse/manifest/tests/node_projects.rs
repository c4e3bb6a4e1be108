//! Node.js projects: `package.json`, frameworks, workspaces.

use super::*;

#[test]
fn node_start_script_and_framework() {
    let ps = projects(&[(
        "api/package.json",
        "{\n  \"name\": \"@acme/api\",\n  \"scripts\": {\n    \"test\": \"jest\",\n    \"start\": \"PORT=3000 node server.js\"\n  },\n  \"dependencies\": { \"express\": \"^4\" }\n}\n",
    )]);
    let p = at(&ps, "api");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.name, "api");
    assert_eq!(p.language, Language::Node);
    assert_eq!(p.manifest, "api/package.json");
    assert_eq!(p.frameworks, vec!["express"]);
    assert!(p.web);
    assert_eq!(p.ports, vec![3000]);
    assert_eq!(p.line, 5);
    assert!(p.reason.contains("start script"), "{}", p.reason);
}

#[test]
fn node_framework_without_start_script_is_a_service() {
    let ps = projects(&[(
        "web/package.json",
        r#"{"name":"web","scripts":{"dev":"next dev -p 4000","build":"next build"},"dependencies":{"next":"14","react":"18"}}"#,
    )]);
    let p = at(&ps, "web");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.frameworks, vec!["next"]);
    assert_eq!(p.ports, vec![4000]);
}

#[test]
fn node_libraries() {
    let ps = projects(&[
        (
            "lib/package.json",
            r#"{"name":"left-pad","main":"index.js","scripts":{"test":"jest","build":"tsc"}}"#,
        ),
        (
            "watch/package.json",
            r#"{"name":"w","main":"dist/index.js","scripts":{"start":"tsc --watch"}}"#,
        ),
        (
            "plugin/package.json",
            r#"{"name":"express-rate-thing","main":"index.js","peerDependencies":{"express":"4"},"dependencies":{"express":"4"}}"#,
        ),
        (
            "cli/package.json",
            r#"{"name":"tool","bin":{"tool":"cli.js"}}"#,
        ),
        (
            "site/package.json",
            r#"{"name":"site","scripts":{"start":"docusaurus start"},"dependencies":{"@docusaurus/core":"3"}}"#,
        ),
        (
            "desk/package.json",
            r#"{"name":"desk","scripts":{"start":"electron ."},"devDependencies":{"electron":"30"}}"#,
        ),
    ]);
    for d in ["lib", "watch", "plugin", "cli", "site", "desk"] {
        assert_eq!(
            at(&ps, d).role,
            ProjectRole::Library,
            "{d}: {}",
            at(&ps, d).reason
        );
        assert!(
            at(&ps, d).reason.starts_with("library:"),
            "{d}: {}",
            at(&ps, d).reason
        );
    }
}

#[test]
fn vite_app_vs_vite_library() {
    let ps = projects(&[
        (
            "app/package.json",
            r#"{"name":"app","private":true,"scripts":{"dev":"vite","build":"vite build","preview":"vite preview --port 5000"},"devDependencies":{"vite":"5"}}"#,
        ),
        ("app/index.html", "<html></html>"),
        (
            "ui/package.json",
            r#"{"name":"ui-kit","exports":{".":"./dist/index.js"},"scripts":{"dev":"vite","build":"vite build"},"devDependencies":{"vite":"5"}}"#,
        ),
    ]);
    let app = at(&ps, "app");
    assert_eq!(app.role, ProjectRole::Service);
    assert_eq!(app.frameworks, vec!["vite"]);
    assert_eq!(app.ports, vec![5000]);
    assert_eq!(at(&ps, "ui").role, ProjectRole::Library);
}

#[test]
fn node_workspace_roots_are_not_services() {
    let ps = projects(&[
        (
            "package.json",
            r#"{"name":"mono","private":true,"workspaces":["packages/*"],"scripts":{"start":"turbo run start"}}"#,
        ),
        (
            "packages/api/package.json",
            r#"{"name":"api","scripts":{"start":"node index.js"}}"#,
        ),
        (
            "other/package.json",
            r#"{"name":"other","scripts":{"start":"node x.js"}}"#,
        ),
        ("other/pnpm-workspace.yaml", "packages:\n  - apps/*\n"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
    assert_eq!(at(&ps, "").name, "mono");
    assert_eq!(at(&ps, "packages/api").role, ProjectRole::Service);
    assert_eq!(at(&ps, "other").role, ProjectRole::WorkspaceRoot);
    assert_eq!(
        ps.iter().map(|p| p.dir.as_str()).collect::<Vec<_>>(),
        vec!["", "other", "packages/api"]
    );
}

#[test]
fn malformed_package_json_is_a_problem_and_detection_goes_on() {
    let (ps, problems) = scan(&[
        (
            "web/package.json",
            "{\n  \"name\": \"web\",\n  \"scripts\": { \"start\": \"node x\", }\n}\n",
        ),
        ("svc/go.mod", "module example.com/svc\n"),
        ("svc/main.go", "package main\nfunc main() {}\n"),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].file, "web/package.json");
    assert_eq!(problems[0].kind, ProblemKind::Syntax);
    assert_eq!(problems[0].line, 3);
    assert!(ps.iter().all(|p| p.dir != "web"));
    assert_eq!(at(&ps, "svc").role, ProjectRole::Service);
}

#[test]
fn non_utf8_manifest_is_unreadable_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("package.json"), b"{\"name\": \"x\xff\"}").unwrap();
    let tree = Tree::walk(dir.path(), &WalkOptions::default());
    let (ps, problems) = scan_projects(&tree);
    assert!(ps.is_empty());
    assert_eq!(problems[0].kind, ProblemKind::Unreadable);
}
