//! Tree-level tests: grouping, overrides, variants, include, extends,
//! interpolation, problems.

use super::*;
use crate::parse::ProblemKind;
use crate::walk::WalkOptions;

pub(super) fn parse(files: &[(&str, &str)]) -> (Vec<ComposeProject>, Vec<ParseProblem>) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let tree = Tree::walk(dir.path(), &WalkOptions::default());
    let mut problems = Vec::new();
    let projects = parse_projects(&tree, &mut problems);
    (projects, problems)
}

pub(super) fn one(text: &str) -> (ComposeProject, Vec<ParseProblem>) {
    let (mut projects, problems) = parse(&[("compose.yaml", text)]);
    assert_eq!(projects.len(), 1, "{projects:?}");
    (projects.remove(0), problems)
}

pub(super) fn svc<'a>(p: &'a ComposeProject, name: &str) -> &'a ComposeService {
    p.services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service {name} in {:?}", p.services))
}

fn names(p: &ComposeProject) -> Vec<&str> {
    p.services.iter().map(|s| s.name.as_str()).collect()
}

fn messages(problems: &[ParseProblem]) -> Vec<(&str, u32, ProblemKind, &str)> {
    problems
        .iter()
        .map(|p| (p.file.as_str(), p.line, p.kind, p.message.as_str()))
        .collect()
}

#[test]
fn main_and_override_merge_by_compose_rules() {
    let main = "services:\n  web:\n    build: .\n    image: web:1\n    ports: [\"8080:80\"]\n    environment:\n      A: 1\n      B: 2\n    volumes:\n      - ./src:/app\n      - data:/data\n    depends_on: [db]\n    command: npm start\n  db:\n    image: postgres:16\n";
    let over = "services:\n  web:\n    image: web:dev\n    ports: [\"9229:9229\", \"8080:80\"]\n    environment: [B=3, C]\n    volumes:\n      - ./other:/app:ro\n    depends_on:\n      cache:\n        condition: service_started\n  cache:\n    image: redis:7\n";
    let (projects, problems) = parse(&[
        ("compose.yaml", main),
        ("compose.override.yml", over),
        ("docker-compose.yml", "services: {x: {image: x}}\n"),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let p = projects.iter().find(|p| p.file == "compose.yaml").unwrap();
    assert!(!p.variant);
    assert_eq!(p.files, vec!["compose.yaml", "compose.override.yml"]);
    assert_eq!(names(p), vec!["cache", "db", "web"]);
    let web = svc(p, "web");
    assert_eq!((web.file.as_str(), web.line), ("compose.yaml", 2));
    let image = web.image.as_ref().unwrap();
    assert_eq!(
        (image.value.as_str(), image.file.as_str(), image.line),
        ("web:dev", "compose.override.yml", 3)
    );
    assert_eq!(web.build.as_ref().map(|b| b.context.as_str()), Some(""));
    let ports: Vec<_> = web
        .ports
        .iter()
        .map(|p| (p.host.as_deref(), p.container.as_str(), p.file.as_str()))
        .collect();
    assert_eq!(
        ports,
        vec![
            (Some("8080"), "80", "compose.override.yml"),
            (Some("9229"), "9229", "compose.override.yml")
        ]
    );
    let env: Vec<_> = web
        .environment
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(env, vec![("A", Some("1")), ("B", Some("3")), ("C", None)]);
    let vols: Vec<_> = web
        .volumes
        .iter()
        .map(|v| (v.source.as_deref(), v.target.as_str(), v.read_only))
        .collect();
    assert_eq!(
        vols,
        vec![
            (Some("other"), "/app", true),
            (Some("data"), "/data", false)
        ]
    );
    let deps: Vec<_> = web
        .depends_on
        .iter()
        .map(|d| (d.service.as_str(), d.condition.as_deref()))
        .collect();
    assert_eq!(deps, vec![("db", None), ("cache", Some("service_started"))]);
    assert_eq!(
        web.command.as_ref().map(|c| c.value.as_str()),
        Some("npm start")
    );
    assert_eq!(svc(p, "cache").file, "compose.override.yml");
    // A second main name is a variant; its services are not all in the main file.
    let v = projects
        .iter()
        .find(|p| p.file == "docker-compose.yml")
        .unwrap();
    assert!(v.variant);
    assert_eq!(v.files, vec!["docker-compose.yml"]);
    assert_eq!(names(v), vec!["x"]);
}

#[test]
fn reset_and_override_tags() {
    let main = "services:\n  web:\n    image: a\n    ports: [\"80:80\"]\n    environment: {A: 1}\n    user: root\n";
    let over = "services:\n  web:\n    ports: !reset []\n    environment: !override {B: 2}\n    user: !reset null\n";
    let (projects, _) = parse(&[("compose.yaml", main), ("compose.override.yaml", over)]);
    let web = svc(&projects[0], "web");
    assert!(web.ports.is_empty());
    assert_eq!(
        web.environment
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        vec!["B"]
    );
    assert!(web.user.is_none());
}

#[test]
fn variants_merge_onto_main_or_stand_alone() {
    let main = "services:\n  api:\n    build: ./api\n    ports: [\"8080:80\"]\n";
    let prod = "services:\n  api:\n    image: registry/api:1\n    restart: always\n";
    let dev = "services:\n  tools:\n    image: busybox\n";
    let over = "services:\n  api:\n    volumes: [./api:/app]\n";
    let (projects, problems) = parse(&[
        ("compose.yaml", main),
        ("compose.override.yaml", over),
        ("docker-compose.prod.yml", prod),
        ("compose.dev.yaml", dev),
        ("only/docker-compose.ci.yml", dev),
        ("only/docker-compose.override.yml", prod),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let files: Vec<_> = projects
        .iter()
        .map(|p| (p.file.as_str(), p.variant))
        .collect();
    assert_eq!(
        files,
        vec![
            ("compose.dev.yaml", true),
            ("compose.yaml", false),
            ("docker-compose.prod.yml", true),
            ("only/docker-compose.ci.yml", true),
            ("only/docker-compose.override.yml", true),
        ]
    );
    let prod = &projects[2];
    assert_eq!(prod.files, vec!["compose.yaml", "docker-compose.prod.yml"]);
    let api = svc(prod, "api");
    assert_eq!(api.build.as_ref().map(|b| b.context.as_str()), Some("api"));
    assert_eq!(
        api.image.as_ref().map(|i| i.file.as_str()),
        Some("docker-compose.prod.yml")
    );
    assert!(
        api.volumes.is_empty(),
        "the override is not part of `-f main -f variant`"
    );
    let dev = &projects[0];
    assert_eq!(dev.files, vec!["compose.dev.yaml"]);
    assert_eq!(names(dev), vec!["tools"]);
    assert_eq!(projects[4].dir, "only");
}

#[test]
fn include_short_and_long_forms() {
    let main = "include:\n  - db/compose.yaml\n  - path: cache.yml\n    project_directory: cache\nservices:\n  web:\n    image: web\n    depends_on: [db]\n";
    let db = "services:\n  db:\n    image: postgres\n    volumes: [./init:/docker-entrypoint-initdb.d]\n    environment: {PGPASSWORD: \"${PW}\"}\nvolumes:\n  pgdata:\n";
    let cache = "services:\n  cache:\n    build: .\n  web:\n    image: other\n";
    let (projects, problems) = parse(&[
        ("compose.yaml", main),
        ("db/compose.yaml", db),
        ("db/.env", "PW=secret\n"),
        ("cache.yml", cache),
    ]);
    let p = projects.iter().find(|p| p.file == "compose.yaml").unwrap();
    assert_eq!(
        p.files,
        vec!["compose.yaml", "db/compose.yaml", "cache.yml"]
    );
    assert_eq!(names(p), vec!["cache", "db", "web"]);
    assert_eq!(
        svc(p, "web").image.as_ref().map(|i| i.value.as_str()),
        Some("web")
    );
    let db = svc(p, "db");
    assert_eq!((db.file.as_str(), db.line), ("db/compose.yaml", 2));
    assert_eq!(db.volumes[0].source.as_deref(), Some("db/init"));
    assert_eq!(db.environment[0].value.as_deref(), Some("secret"));
    assert_eq!(
        svc(p, "cache").build.as_ref().map(|b| b.context.as_str()),
        Some("cache")
    );
    let inc: Vec<_> = p
        .includes
        .iter()
        .map(|i| (i.value.as_str(), i.line))
        .collect();
    assert_eq!(inc, vec![("db/compose.yaml", 2), ("cache.yml", 3)]);
    assert_eq!(
        p.volumes
            .iter()
            .map(|v| v.value.as_str())
            .collect::<Vec<_>>(),
        vec!["pgdata"]
    );
    assert!(p
        .variables
        .iter()
        .any(|v| v.name == "PW" && v.file == "db/compose.yaml" && v.line == 5));
    assert_eq!(
        messages(&problems),
        vec![(
            "compose.yaml",
            3,
            ProblemKind::Partial,
            "service `web` of included file `cache.yml` is already defined; the including file's definition is used"
        )]
    );
    // The included file in another directory is also a project of its own.
    assert!(projects
        .iter()
        .any(|p| p.file == "db/compose.yaml" && !p.variant));
}

#[test]
fn missing_and_cyclic_includes_are_problems() {
    let (projects, problems) = parse(&[
        (
            "compose.yaml",
            "include:\n  - missing.yaml\n  - a.yaml\nservices:\n  web: {image: w}\n",
        ),
        ("a.yaml", "include: [b.yaml]\nservices:\n  a: {image: a}\n"),
        ("b.yaml", "include: [a.yaml]\nservices:\n  b: {image: b}\n"),
    ]);
    let p = &projects[0];
    assert_eq!(names(p), vec!["a", "b", "web"]);
    let inc: Vec<_> = p
        .includes
        .iter()
        .map(|i| (i.value.as_str(), i.file.as_str()))
        .collect();
    assert_eq!(
        inc,
        vec![
            ("missing.yaml", "compose.yaml"),
            ("a.yaml", "compose.yaml"),
            ("b.yaml", "a.yaml"),
            ("a.yaml", "b.yaml")
        ]
    );
    let m = messages(&problems);
    assert!(
        m.contains(&(
            "compose.yaml",
            2,
            ProblemKind::Partial,
            "included file not found: `missing.yaml`"
        )),
        "{m:?}"
    );
    assert!(
        m.contains(&(
            "b.yaml",
            1,
            ProblemKind::Partial,
            "include cycle: a.yaml → b.yaml → a.yaml; not followed"
        )),
        "{m:?}"
    );
}

#[test]
fn include_depth_is_bounded() {
    let mut files: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("i{i}.yaml"),
                format!(
                    "include: [i{}.yaml]\nservices:\n  s{i}: {{image: x}}\n",
                    i + 1
                ),
            )
        })
        .collect();
    files.push(("compose.yaml".into(), "include: [i0.yaml]\n".into()));
    files.push(("i12.yaml".into(), "services: {}\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (projects, problems) = parse(&refs);
    assert_eq!(projects[0].services.len(), 8);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("nested more than 8 levels")),
        "{problems:?}"
    );
}

#[test]
fn extends_same_file_and_other_file() {
    let main = "services:\n  base:\n    image: app\n    environment: {A: 1, B: 1}\n    ports: [\"80:80\"]\n  web:\n    extends: base\n    environment: {B: 2}\n  worker:\n    extends:\n      service: web\n    command: work\n  remote:\n    extends:\n      file: common/services.yml\n      service: tmpl\n    image: mine\n";
    let common = "services:\n  tmpl:\n    build: .\n    volumes: [./data:/data]\n    healthcheck:\n      test: [\"NONE\"]\n";
    let (projects, problems) = parse(&[("compose.yaml", main), ("common/services.yml", common)]);
    assert!(problems.is_empty(), "{problems:?}");
    let p = &projects[0];
    assert_eq!(p.files, vec!["compose.yaml", "common/services.yml"]);
    let web = svc(p, "web");
    assert_eq!((web.file.as_str(), web.line), ("compose.yaml", 6));
    let ext = web.extends.as_ref().unwrap();
    assert_eq!(
        (ext.value.as_str(), ext.line, web.extends_file.as_deref()),
        ("base", 7, None)
    );
    assert_eq!(
        web.image.as_ref().map(|i| (i.value.as_str(), i.line)),
        Some(("app", 3))
    );
    let env: Vec<_> = web
        .environment
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(env, vec![("A", Some("1")), ("B", Some("2"))]);
    let worker = svc(p, "worker");
    assert_eq!(worker.ports.len(), 1);
    assert_eq!(worker.environment.len(), 2);
    assert_eq!(
        worker.command.as_ref().map(|c| c.value.as_str()),
        Some("work")
    );
    let remote = svc(p, "remote");
    assert_eq!(remote.extends_file.as_deref(), Some("common/services.yml"));
    let b = remote.build.as_ref().unwrap();
    assert_eq!(
        (b.context.as_str(), b.file.as_str(), b.line),
        ("common", "common/services.yml", 3)
    );
    assert_eq!(remote.volumes[0].source.as_deref(), Some("common/data"));
    assert_eq!(
        remote.image.as_ref().map(|i| i.value.as_str()),
        Some("mine")
    );
    assert!(remote.healthcheck.as_ref().is_some_and(|h| h.disabled));
}

#[test]
fn extends_cycles_and_missing_bases() {
    let main = "services:\n  a:\n    extends: b\n    image: a\n  b:\n    extends: {service: a}\n  c:\n    extends: nope\n  d:\n    extends: {file: gone.yml, service: x}\n  e:\n    extends: {file: other.yml, service: e}\n";
    let other = "services:\n  e:\n    extends: {file: compose.yaml, service: e}\n";
    let (projects, problems) = parse(&[("compose.yaml", main), ("other.yml", other)]);
    assert_eq!(names(&projects[0]), vec!["a", "b", "c", "d", "e"]);
    assert_eq!(
        svc(&projects[0], "a")
            .image
            .as_ref()
            .map(|i| i.value.as_str()),
        Some("a")
    );
    let m = messages(&problems);
    assert!(
        m.contains(&(
            "compose.yaml",
            3,
            ProblemKind::Partial,
            "`extends` cycle: a → b → a; not followed"
        )),
        "{m:?}"
    );
    assert!(
        m.contains(&(
            "compose.yaml",
            8,
            ProblemKind::Partial,
            "`extends` names service `nope`, which `compose.yaml` does not define"
        )),
        "{m:?}"
    );
    assert!(
        m.contains(&(
            "compose.yaml",
            10,
            ProblemKind::Partial,
            "extended file not found: `gone.yml`"
        )),
        "{m:?}"
    );
    assert!(
        m.iter().any(|(f, l, _, msg)| *f == "other.yml"
            && *l == 3
            && msg.starts_with("`extends` cycle: compose.yaml → other.yml → compose.yaml")),
        "{m:?}"
    );
}

#[test]
fn interpolation_from_dotenv_with_defaults() {
    let main = "name: ${PROJECT:-demo}\nservices:\n  api:\n    build:\n      context: ${CTX:-./api}\n      dockerfile: ${DF}\n    image: \"${REGISTRY}/api:${TAG:-latest}\"\n    ports:\n      - \"${PORT:?set PORT}:80\"\n    volumes: [\"${SRC:-./src}:/src\"]\n    env_file: ${ENVF:-.env.api}\n    command: echo $$HOME\n    labels: {x: \"${LABEL:-${NESTED-n}}\"}\n";
    let dotenv = "# settings\nexport REGISTRY=ghcr.io/acme\nPORT=8081\nDF='Dockerfile.dev'\nTAG=\n";
    let (projects, problems) = parse(&[("compose.yaml", main), (".env", dotenv)]);
    assert!(problems.is_empty(), "{problems:?}");
    let p = &projects[0];
    assert_eq!(p.name.as_deref(), Some("demo"));
    let api = svc(p, "api");
    let b = api.build.as_ref().unwrap();
    assert_eq!(
        (b.context.as_str(), b.dockerfile.as_deref()),
        ("api", Some("api/Dockerfile.dev"))
    );
    assert_eq!(
        api.image.as_ref().map(|i| i.value.as_str()),
        Some("ghcr.io/acme/api:latest")
    );
    assert_eq!(api.ports[0].host.as_deref(), Some("8081"));
    assert_eq!(api.volumes[0].source.as_deref(), Some("src"));
    assert_eq!(api.env_files[0].path, ".env.api");
    assert_eq!(
        api.command.as_ref().map(|c| c.value.as_str()),
        Some("echo $HOME")
    );
    let vars: Vec<_> = p
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.has_default, v.required, v.line))
        .collect();
    assert_eq!(
        vars,
        vec![
            ("PROJECT", true, false, 1),
            ("CTX", true, false, 5),
            ("DF", false, false, 6),
            ("REGISTRY", false, false, 7),
            ("TAG", true, false, 7),
            ("PORT", false, true, 9),
            ("SRC", true, false, 10),
            ("ENVF", true, false, 11),
            ("LABEL", true, false, 13),
            ("NESTED", true, false, 13),
        ]
    );
    assert!(p.variables.iter().all(|v| v.file == "compose.yaml"));
}

#[test]
fn without_dotenv_variables_are_empty_or_default() {
    let (p, problems) =
        one("services:\n  a:\n    image: \"${IMG}x${T:-1}\"\n    command: echo $1\n");
    assert_eq!(
        svc(&p, "a").image.as_ref().map(|i| i.value.as_str()),
        Some("x1")
    );
    assert_eq!(messages(&problems).len(), 1);
    assert_eq!(problems[0].line, 4);
    assert!(problems[0]
        .message
        .starts_with("invalid variable reference"));
}

#[test]
fn anchors_and_merge_keys() {
    let text = "x-common: &common\n  restart: unless-stopped\n  environment:\n    TZ: UTC\n  profiles: [full]\nservices:\n  a:\n    <<: *common\n    image: a\n  b:\n    <<: *common\n    restart: \"no\"\n";
    let (p, problems) = one(text);
    assert!(problems.is_empty(), "{problems:?}");
    let a = svc(&p, "a");
    assert_eq!(
        a.restart.as_ref().map(|r| (r.value.as_str(), r.line)),
        Some(("unless-stopped", 2))
    );
    assert_eq!(a.environment[0].line, 4);
    assert_eq!(a.profiles, vec!["full"]);
    assert_eq!(
        svc(&p, "b").restart.as_ref().map(|r| r.value.as_str()),
        Some("no")
    );
}

#[test]
fn syntax_errors_duplicates_and_bad_top_levels() {
    let (projects, problems) = parse(&[
        ("compose.yaml", "services:\n  web:\n    image: [unclosed\n"),
        (
            "a/compose.yaml",
            "services:\n  web:\n    image: a\n    image: b\n",
        ),
        ("b/compose.yaml", "- just\n- a list\n"),
        ("c/compose.yaml", ""),
    ]);
    assert_eq!(projects.len(), 4);
    let syntax = problems.iter().find(|p| p.file == "compose.yaml").unwrap();
    assert_eq!(syntax.kind, ProblemKind::Syntax);
    assert!(syntax.line >= 3 && syntax.column.is_some(), "{syntax:?}");
    let dup = problems
        .iter()
        .find(|p| p.file == "a/compose.yaml")
        .unwrap();
    assert_eq!(
        (dup.line, dup.kind, dup.message.as_str()),
        (
            4,
            ProblemKind::Partial,
            "duplicate key `image` (first at line 3); the last one is used"
        )
    );
    assert_eq!(
        svc(
            projects
                .iter()
                .find(|p| p.file == "a/compose.yaml")
                .unwrap(),
            "web"
        )
        .image
        .as_ref()
        .map(|i| i.value.as_str()),
        Some("b")
    );
    let top = problems
        .iter()
        .find(|p| p.file == "b/compose.yaml")
        .unwrap();
    assert_eq!(
        (top.line, top.kind, top.column),
        (1, ProblemKind::Syntax, Some(1))
    );
    assert!(!problems.iter().any(|p| p.file == "c/compose.yaml"));
    assert_eq!(problems.len(), 3, "{problems:?}");
}

#[test]
fn include_path_lists_env_files_and_remote_includes() {
    let main = "include:\n  - path: [lib/base.yaml, lib/extra.yaml]\n    env_file: lib/vars.env\n  - oci://registry/app:1\n  - https://github.com/acme/stack.git\n";
    let base = "services:\n  svc:\n    image: \"app:${TAG}\"\n    ports: [\"80:80\"]\n";
    let extra = "services:\n  svc:\n    ports: [\"443:443\"]\n";
    let (projects, problems) = parse(&[
        ("compose.yaml", main),
        ("lib/base.yaml", base),
        ("lib/extra.yaml", extra),
        ("lib/vars.env", "TAG=7\n"),
    ]);
    let p = &projects[0];
    let s = svc(p, "svc");
    assert_eq!(s.image.as_ref().map(|i| i.value.as_str()), Some("app:7"));
    assert_eq!(s.ports.len(), 2);
    assert_eq!(
        p.files,
        vec!["compose.yaml", "lib/base.yaml", "lib/extra.yaml"]
    );
    assert_eq!(p.includes.len(), 4);
    let m = messages(&problems);
    assert_eq!(
        m,
        vec![
            (
                "compose.yaml",
                4,
                ProblemKind::Partial,
                "remote include `oci://registry/app:1` is not read"
            ),
            (
                "compose.yaml",
                5,
                ProblemKind::Partial,
                "remote include `https://github.com/acme/stack.git` is not read"
            ),
        ]
    );
}

#[test]
fn long_extends_chains_are_bounded() {
    let mut text = String::from("services:\n  s0:\n    image: base\n");
    for i in 1..100 {
        text.push_str(&format!("  s{i}:\n    extends: s{}\n", i - 1));
    }
    let (p, problems) = one(&text);
    assert_eq!(p.services.len(), 100);
    assert_eq!(
        svc(&p, "s20").image.as_ref().map(|i| i.value.as_str()),
        Some("base")
    );
    assert!(
        problems
            .iter()
            .all(|p| p.message.contains("`extends` chain longer than 32")),
        "{problems:?}"
    );
    assert!(!problems.is_empty());
}

#[test]
fn crlf_and_bom_files_keep_their_lines() {
    let (p, problems) = one("\u{feff}services:\r\n  web:\r\n    image: nginx\r\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(svc(&p, "web").image.as_ref().map(|i| i.line), Some(3));
}

#[test]
fn a_file_used_three_times_is_parsed_alike_and_its_problems_reported_once() {
    let main = "services:\n  a:\n    extends: {file: common.yml, service: tmpl}\n  b:\n    extends: {file: common.yml, service: tmpl}\n  c:\n    extends: {file: common.yml, service: tmpl}\n";
    let common = "services:\n  tmpl:\n    image: base\n    image: base2\n    ports: [\"80:80\"]\n";
    let (projects, problems) = parse(&[("compose.yaml", main), ("common.yml", common)]);
    let p = &projects[0];
    for name in ["a", "b", "c"] {
        let s = svc(p, name);
        assert_eq!(
            s.image.as_ref().map(|i| (i.value.as_str(), i.line)),
            Some(("base2", 4)),
            "{name}"
        );
        assert_eq!(s.ports.len(), 1, "{name}");
    }
    let duplicates: Vec<_> = messages(&problems)
        .into_iter()
        .filter(|m| m.3.contains("duplicate key"))
        .collect();
    assert_eq!(
        duplicates,
        [(
            "common.yml",
            4,
            ProblemKind::Partial,
            "duplicate key `image` (first at line 3); the last one is used"
        )],
        "{problems:?}"
    );
}
