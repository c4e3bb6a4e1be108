//! Field tests: each short and long syntax, lines, wrong shapes.

use super::tests::{one, parse, svc};
use super::*;
use crate::parse::ProblemKind;

#[test]
fn build_forms() {
    let text = "services:\n  a:\n    build: ./svc/a\n  b:\n    build:\n      context: svc/b\n      dockerfile: ../docker/b.Dockerfile\n      target: prod\n      args:\n        V: 1\n        E:\n  c:\n    build:\n      dockerfile: /abs/Dockerfile\n      args: [X=1, Y]\n  d:\n    build: https://github.com/acme/d.git#main:app\n  e:\n    build:\n      context: git@github.com:acme/e.git\n      dockerfile: sub/Dockerfile\n  f:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine\n";
    let (projects, problems) = parse(&[("deploy/compose.yaml", text)]);
    assert!(problems.is_empty(), "{problems:?}");
    let p = &projects[0];
    let b = |n: &str| svc(p, n).build.clone().unwrap();
    let a = b("a");
    assert_eq!(
        (
            a.context.as_str(),
            a.dockerfile.as_deref(),
            a.file.as_str(),
            a.line
        ),
        ("deploy/svc/a", None, "deploy/compose.yaml", 3)
    );
    let bb = b("b");
    assert_eq!(
        (
            bb.context.as_str(),
            bb.dockerfile.as_deref(),
            bb.target.as_deref()
        ),
        (
            "deploy/svc/b",
            Some("deploy/svc/docker/b.Dockerfile"),
            Some("prod")
        )
    );
    assert_eq!(
        bb.args,
        vec![("V".into(), "1".into()), ("E".into(), String::new())]
    );
    let c = b("c");
    assert_eq!(
        (c.context.as_str(), c.dockerfile.as_deref()),
        ("deploy", Some("/abs/Dockerfile"))
    );
    assert_eq!(
        c.args,
        vec![("X".into(), "1".into()), ("Y".into(), String::new())]
    );
    let d = b("d");
    assert_eq!(
        (d.context.as_str(), d.remote),
        ("https://github.com/acme/d.git#main:app", true)
    );
    let e = b("e");
    assert_eq!(
        (e.remote, e.dockerfile.as_deref()),
        (true, Some("sub/Dockerfile"))
    );
    let f = b("f");
    assert!(f.dockerfile_inline && !f.remote);
}

#[test]
fn build_merges_key_by_key() {
    let main = "services:\n  a:\n    build:\n      context: ./a\n      args: {X: 1}\n";
    let over =
        "services:\n  a:\n    build:\n      dockerfile: Dockerfile.dev\n      args: {Y: 2}\n";
    let (projects, _) = parse(&[("compose.yaml", main), ("compose.override.yml", over)]);
    let b = svc(&projects[0], "a").build.clone().unwrap();
    assert_eq!(
        (
            b.context.as_str(),
            b.dockerfile.as_deref(),
            b.line,
            b.file.as_str()
        ),
        ("a", Some("a/Dockerfile.dev"), 3, "compose.yaml")
    );
    assert_eq!(b.args.len(), 2);
}

#[test]
fn ports_and_expose() {
    let text = "services:\n  a:\n    ports:\n      - 80\n      - \"3000-3005\"\n      - \"127.0.0.1:8080:80/udp\"\n      - target: 443\n        published: \"8443\"\n        host_ip: 0.0.0.0\n        protocol: tcp\n      - {published: 1}\n    expose: [\"3000\", 4000]\n";
    let (p, problems) = one(text);
    let a = svc(&p, "a");
    let ports: Vec<_> = a
        .ports
        .iter()
        .map(|p| {
            (
                p.line,
                p.host_ip.as_deref(),
                p.host.as_deref(),
                p.container.as_str(),
                p.protocol.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        ports,
        vec![
            (4, None, None, "80", None),
            (5, None, None, "3000-3005", None),
            (6, Some("127.0.0.1"), Some("8080"), "80", Some("udp")),
            (7, Some("0.0.0.0"), Some("8443"), "443", Some("tcp")),
        ]
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].kind),
        (11, ProblemKind::Partial)
    );
    assert_eq!(
        a.expose
            .iter()
            .map(|e| (e.value.as_str(), e.line))
            .collect::<Vec<_>>(),
        vec![("3000", 12), ("4000", 12)]
    );
}

#[test]
fn volumes_short_and_long() {
    let text = "services:\n  a:\n    volumes:\n      - ./src:/app:ro\n      - data:/var/lib/x\n      - /abs:/x\n      - ~/.cache:/cache\n      - type: bind\n        source: ../shared\n        target: /shared\n        read_only: true\n      - type: volume\n        source: logs\n        target: /logs\n      - type: tmpfs\n        target: /tmp\n";
    let (projects, problems) = parse(&[("app/compose.yaml", text)]);
    assert!(problems.is_empty(), "{problems:?}");
    let v: Vec<_> = svc(&projects[0], "a")
        .volumes
        .iter()
        .map(|v| {
            (
                v.line,
                v.kind,
                v.source.as_deref(),
                v.target.as_str(),
                v.read_only,
            )
        })
        .collect();
    assert_eq!(
        v,
        vec![
            (4, MountKind::Bind, Some("app/src"), "/app", true),
            (5, MountKind::Volume, Some("data"), "/var/lib/x", false),
            (6, MountKind::Bind, Some("/abs"), "/x", false),
            (7, MountKind::Bind, Some("~/.cache"), "/cache", false),
            (8, MountKind::Bind, Some("shared"), "/shared", true),
            (12, MountKind::Volume, Some("logs"), "/logs", false),
            (15, MountKind::Tmpfs, None, "/tmp", false),
        ]
    );
}

#[test]
fn depends_on_healthcheck_profiles_env_files() {
    let text = "services:\n  a:\n    depends_on:\n      db:\n        condition: service_healthy\n      init:\n        condition: service_completed_successfully\n    healthcheck:\n      disable: true\n    profiles: [debug, tools]\n    env_file:\n      - .env\n      - path: ./local.env\n        required: false\n  b:\n    depends_on: [a]\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost]\n    env_file: conf/b.env\n  db:\n    image: postgres\n    healthcheck:\n      test: [\"NONE\"]\n";
    let (p, problems) = one(text);
    assert!(problems.is_empty(), "{problems:?}");
    let a = svc(&p, "a");
    let deps: Vec<_> = a
        .depends_on
        .iter()
        .map(|d| (d.service.as_str(), d.condition.as_deref(), d.line))
        .collect();
    assert_eq!(
        deps,
        vec![
            ("db", Some("service_healthy"), 4),
            ("init", Some("service_completed_successfully"), 6)
        ]
    );
    assert_eq!(
        a.healthcheck.as_ref().map(|h| (h.disabled, h.line)),
        Some((true, 8))
    );
    assert_eq!(a.profiles, vec!["debug", "tools"]);
    let ef: Vec<_> = a
        .env_files
        .iter()
        .map(|e| (e.path.as_str(), e.required, e.line))
        .collect();
    assert_eq!(ef, vec![(".env", true, 12), ("local.env", false, 13)]);
    let b = svc(&p, "b");
    assert_eq!(b.depends_on[0].condition, None);
    assert_eq!(b.healthcheck.as_ref().map(|h| h.disabled), Some(false));
    assert_eq!(b.env_files[0].path, "conf/b.env");
    assert_eq!(
        svc(&p, "db").healthcheck.as_ref().map(|h| h.disabled),
        Some(true)
    );
    assert!(svc(&p, "db").profiles.is_empty());
}

#[test]
fn networks_secrets_configs_and_scalars() {
    let text = "version: \"3.8\"\nname: shop\nservices:\n  a:\n    networks: [front, back]\n    secrets:\n      - db_password\n      - source: api_key\n        target: /run/key\n    configs: [nginx_conf]\n    network_mode: host\n    privileged: true\n    container_name: shop-a\n    user: \"1000:1000\"\n    restart: on-failure\n    scale: 2\n    command: [\"sh\", \"-c\", \"echo hi\"]\n    develop:\n      watch:\n        - path: ./src\n          action: sync\n  b:\n    networks:\n      front:\n        aliases: [x]\n    deploy:\n      replicas: 3\nnetworks:\n  front:\n  back: {}\nvolumes: {data: {}}\nsecrets:\n  db_password: {file: ./pw.txt}\n  api_key: {environment: KEY}\nconfigs:\n  nginx_conf: {file: ./nginx.conf}\n";
    let (p, problems) = one(text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        p.version.as_ref().map(|v| (v.value.as_str(), v.line)),
        Some(("3.8", 1))
    );
    assert_eq!(p.name.as_deref(), Some("shop"));
    let top = |l: &[Located<String>]| {
        l.iter()
            .map(|n| (n.value.clone(), n.line))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        top(&p.networks),
        vec![("front".into(), 29), ("back".into(), 30)]
    );
    assert_eq!(top(&p.volumes), vec![("data".into(), 31)]);
    assert_eq!(
        top(&p.secrets),
        vec![("db_password".into(), 33), ("api_key".into(), 34)]
    );
    assert_eq!(top(&p.configs), vec![("nginx_conf".into(), 36)]);
    let a = svc(&p, "a");
    assert_eq!(
        top(&a.networks),
        vec![("front".into(), 5), ("back".into(), 5)]
    );
    assert_eq!(
        top(&a.secrets),
        vec![("db_password".into(), 7), ("api_key".into(), 8)]
    );
    assert_eq!(top(&a.configs), vec![("nginx_conf".into(), 10)]);
    assert_eq!(
        a.network_mode.as_ref().map(|n| n.value.as_str()),
        Some("host")
    );
    assert_eq!(
        a.privileged.as_ref().map(|n| (n.value, n.line)),
        Some((true, 12))
    );
    assert_eq!(
        a.container_name.as_ref().map(|n| n.value.as_str()),
        Some("shop-a")
    );
    assert_eq!(a.user.as_ref().map(|n| n.value.as_str()), Some("1000:1000"));
    assert_eq!(
        a.restart.as_ref().map(|n| n.value.as_str()),
        Some("on-failure")
    );
    assert_eq!(a.scale.as_ref().map(|n| n.value.as_str()), Some("2"));
    assert_eq!(
        a.command.as_ref().map(|n| n.value.as_str()),
        Some("sh -c \"echo hi\"")
    );
    assert_eq!(a.develop_watch, Some(19));
    let b = svc(&p, "b");
    assert_eq!(top(&b.networks), vec![("front".into(), 24)]);
    assert_eq!(
        b.scale.as_ref().map(|n| (n.value.as_str(), n.line)),
        Some(("3", 27))
    );
    assert_eq!(b.develop_watch, None);
}

#[test]
fn wrong_shapes_are_partial_and_skipped() {
    let text = "services:\n  a:\n    image: web\n    ports: 8080\n    volumes: {x: y}\n    environment: FOO\n    privileged: maybe\n    depends_on: db\n    networks: net\n    build: [x]\n  b: just-a-string\n";
    let (p, problems) = one(text);
    let a = svc(&p, "a");
    assert_eq!(a.image.as_ref().map(|i| i.value.as_str()), Some("web"));
    assert!(
        a.ports.is_empty() && a.volumes.is_empty() && a.environment.is_empty() && a.build.is_none()
    );
    let got: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.kind, p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                4,
                ProblemKind::Partial,
                "`ports` of service `a` should be a list; ignored"
            ),
            (
                5,
                ProblemKind::Partial,
                "`volumes` of service `a` should be a list; ignored"
            ),
            (
                6,
                ProblemKind::Partial,
                "`environment` of service `a` should be a mapping or a list; ignored"
            ),
            (
                7,
                ProblemKind::Partial,
                "`privileged` of service `a` should be a boolean; ignored"
            ),
            (
                8,
                ProblemKind::Partial,
                "`depends_on` of service `a` should be a list or a mapping; ignored"
            ),
            (
                9,
                ProblemKind::Partial,
                "`networks` of service `a` should be a list or a mapping; ignored"
            ),
            (
                10,
                ProblemKind::Partial,
                "`build` of service `a` should be a path or a mapping; ignored"
            ),
            (
                11,
                ProblemKind::Partial,
                "service `b` should be a mapping; ignored"
            ),
        ]
    );
    assert_eq!(p.services.len(), 1);
}

#[test]
fn services_are_sorted_and_output_is_stable() {
    let text = "services:\n  zeta: {image: z}\n  alpha: {image: a}\n  mid: {image: m}\n";
    let (p, _) = one(text);
    assert_eq!(
        p.services
            .iter()
            .map(|s| (s.name.as_str(), s.line))
            .collect::<Vec<_>>(),
        vec![("alpha", 3), ("mid", 4), ("zeta", 2)]
    );
    let (q, _) = one(text);
    assert_eq!(format!("{p:?}"), format!("{q:?}"));
}

#[test]
fn odd_input_never_panics() {
    let odd = [
        "services:\n  é:\n    image: \"${é}$é${A:-é}${:-x}${A:é}$\"\n    ports: [\"[\", \"[::1\", \":\", \"/\", \"é:é/é\", \"\"]\n    volumes: [\":\", \"::\", \"\", \"é:\", \"C:\"]\n",
        "services:\n  a:\n    build: {context: ../../.., dockerfile: ../../../x}\n    env_file: [{}, {path: 1}, [x]]\n    extends: {}\n    healthcheck: {test: []}\n    depends_on: {db: [x]}\n    secrets: [{}, [x]]\n",
        "services:\n  a:\n    extends: {file: ../../outside.yaml, service: a}\ninclude: [../../outside.yaml, {}, [x], {path: []}]\n",
        "services: [a, b]\nnetworks: [x]\nvolumes: 1\ninclude: x\n",
        "x: &a [*a]\n",
        "---\nservices: {a: {image: one}}\n---\nservices: {a: {image: two}, b: {image: b}}\n",
    ];
    for text in odd {
        let (projects, _problems) = parse(&[
            ("compose.yaml", text),
            (".env", "é=1\n\"=\n=x\nA='unclosed\n"),
        ]);
        assert_eq!(projects.len(), 1);
    }
    let (p, _) = one(odd[5]);
    assert_eq!(
        svc(&p, "a").image.as_ref().map(|i| i.value.as_str()),
        Some("two")
    );
    assert_eq!(p.services.len(), 2);
}
