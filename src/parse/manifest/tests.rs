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

// ---- Node.js

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

// ---- Python

#[test]
fn django_beside_asset_package_json_is_one_python_service() {
    let ps = projects(&[
        ("manage.py", "#!/usr/bin/env python\nimport os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"),
        ("requirements.txt", "# deps\nDjango==5.0\npsycopg[binary]>=3\n"),
        ("package.json", r#"{"name":"assets","scripts":{"build":"webpack","start":"webpack serve"},"devDependencies":{"webpack":"5"}}"#),
    ]);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    let p = &ps[0];
    assert_eq!(p.language, Language::Python);
    assert_eq!(p.reason, "Django (manage.py)");
    assert_eq!(p.manifest, "requirements.txt");
    assert_eq!(p.line, 2);
    assert!(p.frameworks.contains(&"django".to_string()));
    assert!(p.web);
}

#[test]
fn python_framework_dependencies() {
    let ps = projects(&[
        ("api/pyproject.toml", "[project]\nname = \"api\"\ndependencies = [\n  \"fastapi>=0.110\",\n  \"uvicorn[standard]\",\n]\n"),
        ("worker/Pipfile", "[packages]\ncelery = \"*\"\n"),
        ("poetry/pyproject.toml", "[tool.poetry]\nname = \"shop\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\nFlask = \"^3\"\n"),
        ("cfg/setup.cfg", "[metadata]\nname = svc\n[options]\ninstall_requires =\n    requests\n    gunicorn>=21\n"),
        ("sp/setup.py", "from setuptools import setup\nsetup(\n    name='sp',\n    install_requires=['tornado>=6', 'click'],\n)\n"),
        ("sp/requirements.txt", "tornado\n"),
    ]);
    let api = at(&ps, "api");
    assert_eq!(api.role, ProjectRole::Service);
    assert_eq!(api.frameworks, vec!["fastapi", "uvicorn"]);
    assert_eq!(api.line, 4);
    assert_eq!(api.reason, "fastapi in pyproject.toml");
    let w = at(&ps, "worker");
    assert_eq!(w.role, ProjectRole::Service);
    assert!(!w.web);
    assert_eq!(at(&ps, "poetry").name, "shop");
    assert_eq!(at(&ps, "poetry").frameworks, vec!["flask"]);
    assert_eq!(at(&ps, "cfg").role, ProjectRole::Service);
    assert_eq!(at(&ps, "cfg").line, 6);
    assert_eq!(at(&ps, "sp").role, ProjectRole::Service);
}

#[test]
fn python_libraries() {
    let ps = projects(&[
        ("lib/pyproject.toml", "[project]\nname = \"lib\"\ndependencies = [\"requests\"]\n[project.scripts]\nlib = \"lib:main\"\n"),
        ("ext/pyproject.toml", "[project]\nname = \"django-widgets\"\ndependencies = [\"django>=4\"]\n"),
        ("client/pyproject.toml", "[project]\nname = \"client\"\ndependencies = [\"aiohttp\"]\n"),
        ("devonly/setup.py", "setup(name='x', install_requires=['click'])\n"),
        ("devonly/requirements-dev.txt", "flask\npytest\n"),
    ]);
    for d in ["lib", "ext", "client", "devonly"] {
        assert_eq!(
            at(&ps, d).role,
            ProjectRole::Library,
            "{d}: {}",
            at(&ps, d).reason
        );
    }
    assert!(at(&ps, "lib").reason.contains("console scripts"));
    assert!(at(&ps, "ext").reason.contains("django extension"));
}

#[test]
fn python_entry_point_and_requirements_includes() {
    let ps = projects(&[
        ("svc/requirements.txt", "-r requirements/base.txt\n"),
        ("svc/requirements/base.txt", "streamlit==1.30\n"),
        ("bot/requirements.txt", "requests\n"),
        (
            "bot/app.py",
            "from flask import Flask\napp = Flask(__name__)\n",
        ),
    ]);
    assert_eq!(at(&ps, "svc").role, ProjectRole::Service);
    assert_eq!(at(&ps, "svc").frameworks, vec!["streamlit"]);
    let bot = at(&ps, "bot");
    assert_eq!(bot.role, ProjectRole::Service);
    assert_eq!(bot.reason, "Python entry point app.py (flask)");
    assert!(bot.web);
}

#[test]
fn nested_manage_py_folds_into_the_enclosing_python_project() {
    let ps = projects(&[
        ("requirements.txt", "django\n"),
        ("mysite/manage.py", "import django\n"),
        ("mysite/mysite/settings.py", ""),
    ]);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].dir, "");
    assert_eq!(ps[0].reason, "Django (mysite/manage.py)");
}

#[test]
fn malformed_pyproject_reports_line() {
    let (ps, problems) = scan(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\n",
        ),
        ("requirements.txt", "flask\n"),
    ]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::Syntax);
    assert!(problems[0].line >= 3, "{problems:?}");
    assert_eq!(ps[0].role, ProjectRole::Service);
}

// ---- Go

#[test]
fn go_module_with_package_main() {
    let ps = projects(&[
        ("svc/go.mod", "// comment\nmodule github.com/acme/payments/v2\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n"),
        ("svc/internal/x.go", "package internal\n"),
        ("svc/cmd/api/main.go", "// Copyright\n/* block\n comment */\npackage main\n\nimport \"net/http\"\n"),
    ]);
    let p = at(&ps, "svc");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.name, "payments");
    assert_eq!(p.reason, "go module with package main (cmd/api/main.go)");
    assert_eq!(p.line, 2);
    assert_eq!(p.frameworks, vec!["gin", "net/http"]);
    assert!(p.web);
}

#[test]
fn go_library_nested_module_testdata_and_ignored_generators() {
    let ps = projects(&[
        ("go.mod", "module example.com/lib\n"),
        ("lib.go", "package lib\n"),
        ("gen.go", "//go:build ignore\n\npackage main\n"),
        ("testdata/prog/main.go", "package main\n"),
        ("examples/hello/main.go", "package main\n"),
        ("pkg/e2e/cmd/fault-server/main.go", "package main\n"),
        ("fuzz/main.go", "package main\n"),
        ("tools/go.mod", "module example.com/lib/tools\n"),
        ("tools/cmd/gen/main.go", "package main\n"),
    ]);
    let root = at(&ps, "");
    assert_eq!(root.role, ProjectRole::Library, "{}", root.reason);
    assert_eq!(root.reason, "library: no package main in the module");
    let tools = at(&ps, "tools");
    assert_eq!(tools.role, ProjectRole::Service);
    assert_eq!(tools.name, "tools");
}

#[test]
fn go_vet_analyzer_is_a_development_tool() {
    let ps = projects(&[
        ("internal/vet/go.mod", "module example.com/lib/internal/vet\n"),
        (
            "internal/vet/main.go",
            "package main\n\nimport (\n\t\"golang.org/x/tools/go/analysis/multichecker\"\n)\n\nfunc main() { multichecker.Main() }\n",
        ),
    ]);
    let vet = at(&ps, "internal/vet");
    assert_eq!(vet.role, ProjectRole::Library, "{}", vet.reason);
    assert_eq!(
        vet.reason,
        "library: go vet analyzer (main.go:4 imports multichecker), a development tool"
    );
}

#[test]
fn go_package_clause() {
    assert_eq!(
        golang::package_clause("// a\n\n/* b */ package main // x\n").as_deref(),
        Some("main")
    );
    assert_eq!(
        golang::package_clause("/*\n package main\n*/\npackage foo\n").as_deref(),
        Some("foo")
    );
    assert_eq!(golang::package_clause("packagemain\n"), None);
}

// ---- Rust

#[test]
fn rust_binary_library_and_workspace() {
    let ps = projects(&[
        ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
        (
            "crates/server/Cargo.toml",
            "[package]\nname = \"server\"\n\n[dependencies]\naxum = \"0.7\"\n",
        ),
        ("crates/server/src/main.rs", "fn main() {}\n"),
        ("crates/core/Cargo.toml", "[package]\nname = \"core\"\n"),
        ("crates/core/src/lib.rs", ""),
        (
            "crates/tool/Cargo.toml",
            "[package]\nname = \"tool\"\n\n[[bin]]\nname = \"tool\"\npath = \"cli.rs\"\n",
        ),
        ("crates/multi/Cargo.toml", "[package]\nname = \"multi\"\n"),
        ("crates/multi/src/bin/worker.rs", "fn main() {}\n"),
        ("xtask/Cargo.toml", "[package]\nname = \"xtask\"\n"),
        ("xtask/src/main.rs", "fn main() {}\n"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
    let s = at(&ps, "crates/server");
    assert_eq!(s.role, ProjectRole::Service);
    assert_eq!(s.reason, "Rust binary target (src/main.rs)");
    assert_eq!(s.frameworks, vec!["axum"]);
    assert!(s.web);
    assert_eq!(at(&ps, "crates/core").role, ProjectRole::Library);
    assert_eq!(at(&ps, "crates/core").reason, "library: no binary target");
    assert_eq!(at(&ps, "crates/tool").role, ProjectRole::Service);
    assert_eq!(at(&ps, "crates/tool").line, 4);
    assert_eq!(
        at(&ps, "crates/multi").reason,
        "Rust binary target (src/bin/worker.rs)"
    );
    assert_eq!(at(&ps, "xtask").role, ProjectRole::Library);
}

#[test]
fn malformed_cargo_toml_is_a_problem() {
    let (ps, problems) = scan(&[("Cargo.toml", "[package]\nname = \"x\"\nversion = \n")]);
    assert!(ps.is_empty());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3);
}

// ---- Java / Kotlin

const SPRING_POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
<groupId>org.springframework.boot</groupId>
<artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <artifactId>orders</artifactId>
  <dependencies>
<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
  </dependencies>
  <build>
<plugins>
  <plugin>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-maven-plugin</artifactId>
  </plugin>
  <plugin>
    <groupId>com.google.cloud.tools</groupId>
    <artifactId>jib-maven-plugin</artifactId>
    <configuration>
      <from><image>eclipse-temurin:21</image></from>
      <to><image>ghcr.io/acme/orders</image></to>
    </configuration>
  </plugin>
</plugins>
  </build>
</project>
"#;

#[test]
fn maven_spring_boot_with_jib() {
    let ps = projects(&[
        ("orders/pom.xml", SPRING_POM),
        (
            "orders/src/main/resources/application.yml",
            "spring:\n  application:\n    name: orders\nserver:\n  port: 8081\n",
        ),
    ]);
    let p = at(&ps, "orders");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.language, Language::Java);
    assert_eq!(p.name, "orders");
    assert_eq!(p.reason, "Spring Boot (spring-boot-maven-plugin)");
    assert_eq!(p.line, 15);
    assert!(p.web);
    assert_eq!(p.frameworks, vec!["spring-boot"]);
    assert_eq!(p.ports, vec![8081]);
    assert_eq!(
        p.image_builders,
        vec![ImageBuilderConfig {
            tool: ImageBuilderTool::Jib,
            file: "orders/pom.xml".into(),
            line: 19,
            image: Some("ghcr.io/acme/orders".into())
        }]
    );
}

#[test]
fn maven_aggregator_library_and_main_class() {
    let ps = projects(&[
        ("pom.xml", "<project><artifactId>parent</artifactId><packaging>pom</packaging><modules><module>core</module><module>app</module></modules></project>"),
        ("core/pom.xml", "<project><artifactId>core</artifactId><dependencies><dependency><artifactId>guava</artifactId></dependency></dependencies></project>"),
        (
            "app/pom.xml",
            "<project><artifactId>app</artifactId><build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration><transformers><transformer><mainClass>com.acme.Main</mainClass></transformer></transformers></configuration></plugin></plugins></build></project>",
        ),
        ("bom/pom.xml", "<project><artifactId>bom</artifactId><packaging>pom</packaging></project>"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::Aggregator);
    assert_eq!(
        at(&ps, "").reason,
        "Maven aggregator (packaging pom, 2 modules)"
    );
    assert_eq!(at(&ps, "core").role, ProjectRole::Library);
    assert_eq!(at(&ps, "app").role, ProjectRole::Service);
    assert_eq!(at(&ps, "app").reason, "Maven main class (com.acme.Main)");
    assert_eq!(at(&ps, "bom").role, ProjectRole::Library);
}

#[test]
fn malformed_pom_is_a_problem_but_still_read() {
    let (ps, problems) = scan(&[(
        "pom.xml",
        "<project>\n  <artifactId>x</artifactId>\n  <packaging>war</packaging>\n",
    )]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::Syntax);
    assert_eq!(problems[0].line, 1);
    assert_eq!(ps[0].role, ProjectRole::Service);
}

#[test]
fn gradle_projects() {
    let ps = projects(&[
        ("settings.gradle.kts", "rootProject.name = \"shop\"\ninclude(\"api\", \"lib\")\n"),
        ("build.gradle.kts", "plugins {\n    id(\"org.springframework.boot\") version \"3.2.0\" apply false\n    kotlin(\"jvm\") version \"1.9\"\n}\nsubprojects {\n    apply(plugin = \"org.springframework.boot\")\n}\n"),
        (
            "api/build.gradle.kts",
            "plugins {\n    // comment\n    id(\"org.springframework.boot\")\n    id(\"com.google.cloud.tools.jib\") version \"3.4.0\"\n}\ndependencies {\n    implementation(\"org.springframework.boot:spring-boot-starter-webflux\")\n}\njib {\n    from { image = \"eclipse-temurin:21\" }\n    to {\n        image = \"ghcr.io/acme/api\"\n    }\n}\n",
        ),
        ("lib/build.gradle.kts", "plugins {\n    `java-library`\n}\n"),
        ("cli/build.gradle", "plugins {\n    id 'application'\n}\napplication { mainClass = 'a.Main' }\n"),
        ("mobile/build.gradle", "plugins { id 'com.android.application' }\n"),
        ("boot/build.gradle", "plugins { id 'org.springframework.boot' version '3.2.0' }\nbootBuildImage {\n    imageName = \"acme/boot\"\n}\n"),
    ]);
    let root = at(&ps, "");
    assert_eq!(root.role, ProjectRole::Aggregator, "{}", root.reason);
    assert_eq!(root.name, "shop");
    let api = at(&ps, "api");
    assert_eq!(api.role, ProjectRole::Service);
    assert_eq!(api.line, 3);
    assert!(api.web);
    assert_eq!(api.image_builders.len(), 1);
    assert_eq!(api.image_builders[0].tool, ImageBuilderTool::Jib);
    assert_eq!(
        api.image_builders[0].image.as_deref(),
        Some("ghcr.io/acme/api")
    );
    assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
    assert_eq!(at(&ps, "cli").role, ProjectRole::Service);
    assert_eq!(at(&ps, "cli").reason, "Gradle application plugin");
    assert_eq!(at(&ps, "mobile").role, ProjectRole::Library);
    let boot = at(&ps, "boot");
    assert_eq!(boot.role, ProjectRole::Service);
    assert_eq!(
        boot.image_builders,
        vec![ImageBuilderConfig {
            tool: ImageBuilderTool::SpringBootBuildImage,
            file: "boot/build.gradle".into(),
            line: 2,
            image: Some("acme/boot".into())
        }]
    );
}

#[test]
fn quarkus_container_image_extension() {
    let ps = projects(&[
        (
            "q/pom.xml",
            "<project><artifactId>q</artifactId><dependencies><dependency><artifactId>quarkus-rest</artifactId></dependency><dependency><artifactId>quarkus-container-image-jib</artifactId></dependency></dependencies><build><plugins><plugin><artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build></project>",
        ),
        ("q/src/main/resources/application.properties", "quarkus.http.port=9090\nquarkus.container-image.group=acme\nquarkus.container-image.name=q\n"),
    ]);
    let p = at(&ps, "q");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.ports, vec![9090]);
    assert_eq!(p.image_builders[0].tool, ImageBuilderTool::Quarkus);
    assert_eq!(p.image_builders[0].image.as_deref(), Some("acme/q"));
}

// ---- .NET

#[test]
fn dotnet_projects() {
    let ps = projects(&[
        ("src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n</Project>\n"),
        ("src/Api/Properties/launchSettings.json", r#"{"profiles":{"http":{"applicationUrl":"http://localhost:5080;https://localhost:7080"}}}"#),
        ("src/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"),
        ("src/Tool/Tool.fsproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n<PropertyGroup>\n<OutputType>Exe</OutputType>\n</PropertyGroup>\n</Project>"),
        (
            "tests/Api.Tests/Api.Tests.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" Version=\"17\" /></ItemGroup></Project>",
        ),
    ]);
    let api = at(&ps, "src/Api");
    assert_eq!(api.role, ProjectRole::Service);
    assert_eq!(api.name, "Api");
    assert_eq!(api.language, Language::Dotnet);
    assert!(api.web);
    assert_eq!(api.ports, vec![5080, 7080]);
    assert_eq!(at(&ps, "src/Core").role, ProjectRole::Library);
    assert_eq!(at(&ps, "src/Tool").role, ProjectRole::Service);
    assert_eq!(at(&ps, "src/Tool").line, 3);
    assert_eq!(at(&ps, "tests/Api.Tests").role, ProjectRole::Library);
}

// ---- Ruby, PHP, Elixir

#[test]
fn ruby_projects() {
    let ps = projects(&[
        (
            "app/Gemfile",
            "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"puma\"\n",
        ),
        ("app/config/application.rb", "require 'rails'\n"),
        ("app/config/puma.rb", "port ENV.fetch(\"PORT\") { 3000 }\n"),
        ("gem/Gemfile", "source 'https://rubygems.org'\ngemspec\n"),
        ("rack/config.ru", "run ->(env) { [200, {}, ['ok']] }\n"),
        ("sin/Gemfile", "gem 'sinatra'\n"),
    ]);
    let app = at(&ps, "app");
    assert_eq!(app.role, ProjectRole::Service);
    assert_eq!(app.reason, "Rails (config/application.rb)");
    assert_eq!(app.line, 2);
    assert_eq!(app.ports, vec![3000]);
    assert_eq!(at(&ps, "gem").role, ProjectRole::Library);
    assert_eq!(at(&ps, "rack").role, ProjectRole::Service);
    assert_eq!(at(&ps, "rack").manifest, "rack/config.ru");
    assert_eq!(at(&ps, "sin").frameworks, vec!["sinatra"]);
}

#[test]
fn php_projects() {
    let ps = projects(&[
        ("shop/composer.json", "{\n  \"name\": \"acme/shop\",\n  \"require\": {\n    \"php\": \"^8.2\",\n    \"laravel/framework\": \"^11\"\n  }\n}\n"),
        ("shop/artisan", "#!/usr/bin/env php\n"),
        ("pkg/composer.json", r#"{"name":"acme/pkg","type":"library","require":{"symfony/framework-bundle":"7"}}"#),
        ("site/composer.json", r#"{"name":"acme/site","require":{"slim/slim":"4"}}"#),
        ("site/public/index.php", "<?php\n"),
    ]);
    let shop = at(&ps, "shop");
    assert_eq!(shop.role, ProjectRole::Service);
    assert_eq!(shop.name, "shop");
    assert_eq!(shop.reason, "Laravel (artisan)");
    assert_eq!(shop.line, 5);
    assert_eq!(at(&ps, "pkg").role, ProjectRole::Library);
    assert_eq!(at(&ps, "site").reason, "slim app (public/index.php)");
}

#[test]
fn elixir_projects() {
    let ps = projects(&[
        ("mix.exs", "defmodule Umbrella.MixProject do\n  def project do\n    [apps_path: \"apps\"]\n  end\nend\n"),
        ("apps/web/mix.exs", "def project, do: [app: :shop_web]\ndefp deps do\n  [{:phoenix, \"~> 1.7\"}]\nend\n"),
        ("apps/core/mix.exs", "def project, do: [app: :core]\ndef application do\n  [mod: {Core.Application, []}]\nend\n"),
        ("lib/mix.exs", "def project, do: [app: :thing, package: package()]\ndef application, do: [mod: {Thing.App, []}]\n"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
    let web = at(&ps, "apps/web");
    assert_eq!(web.role, ProjectRole::Service);
    assert_eq!(web.name, "shop_web");
    assert_eq!(web.line, 3);
    assert!(web.web);
    assert_eq!(at(&ps, "apps/core").role, ProjectRole::Service);
    assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
}

// ---- Procfile and image builders

#[test]
fn procfile_web_line_makes_a_service() {
    let ps = projects(&[
        ("requirements.txt", "requests\n"),
        (
            "Procfile",
            "release: python migrate.py\nweb: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        ),
        ("node/Procfile", "web: node index.js\n"),
    ]);
    let root = at(&ps, "");
    assert_eq!(root.role, ProjectRole::Service);
    assert_eq!(
        root.reason,
        "Procfile web process: `gunicorn app.wsgi --bind 0.0.0.0:8000`"
    );
    assert_eq!(root.ports, vec![8000]);
    let node = at(&ps, "node");
    assert_eq!(node.language, Language::Node);
    assert_eq!(node.manifest, "node/Procfile");
    assert_eq!(node.line, 1);
}

#[test]
fn image_builders_outside_manifests() {
    let ps = projects(&[
        ("go.mod", "module example.com/mono\n"),
        ("lib.go", "package mono\n"),
        (".ko.yaml", "builds:\n- id: api\n  dir: ./services/api\n  main: ./cmd/api\n"),
        ("services/api/go.mod", "module example.com/api\n"),
        ("services/api/main.go", "package main\n"),
        ("services/cli/go.mod", "module example.com/cli\n"),
        ("services/cli/main.go", "package main\n"),
        ("services/cli/.ko.yaml", "defaultBaseImage: cgr.dev/chainguard/static\n"),
        ("node/package.json", r#"{"scripts":{"start":"node ."}}"#),
        ("node/project.toml", "[_]\nschema-version = \"0.2\"\n[io.buildpacks]\nbuilder = \"paketobuildpacks/builder\"\n"),
        ("py/requirements.txt", "flask\n"),
        ("py/nixpacks.toml", "[start]\ncmd = \"gunicorn app:app\"\n"),
    ]);
    let api = at(&ps, "services/api");
    assert_eq!(
        api.image_builders,
        vec![ImageBuilderConfig {
            tool: ImageBuilderTool::Ko,
            file: ".ko.yaml".into(),
            line: 3,
            image: None
        }]
    );
    assert_eq!(
        at(&ps, "services/cli").image_builders[0].file,
        "services/cli/.ko.yaml"
    );
    assert!(at(&ps, "").image_builders.is_empty());
    assert_eq!(at(&ps, "node").name, "node");
    assert_eq!(
        at(&ps, "node").image_builders[0].tool,
        ImageBuilderTool::Buildpacks
    );
    assert_eq!(at(&ps, "node").image_builders[0].line, 1);
    assert_eq!(
        at(&ps, "py").image_builders[0].tool,
        ImageBuilderTool::Nixpacks
    );
}

// ---- helpers

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
