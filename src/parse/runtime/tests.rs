use super::*;

fn signals(files: &[(&str, &str)]) -> Vec<Signal> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let facts = crate::parse::parse_tree(crate::walk::Tree::walk(
        dir.path(),
        &crate::walk::WalkOptions::default(),
    ));
    facts.runtime.signals
}

const EXPRESS: &str =
    r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#;

#[test]
fn node_listen_port_and_host() {
    let s = signals(&[
        ("package.json", EXPRESS),
        (
            "server.js",
            "const express = require('express');\nconst app = express();\nconst PORT = process.env.PORT || 3000;\napp.listen(PORT, '127.0.0.1', () => {});\n",
        ),
        ("test/server.test.js", "const express = require('express');\napp.listen(1, 'localhost');\n"),
    ]);
    assert!(
        s.iter().any(|s| s.line == 4
            && s.kind
                == SignalKind::ListenPort {
                    port: Some(3000),
                    env: Some("PORT".into())
                }),
        "{s:?}"
    );
    assert!(
        s.iter().any(|s| s.line == 4
            && matches!(&s.kind, SignalKind::LoopbackBind { host } if host == "127.0.0.1")),
        "{s:?}"
    );
    assert!(s.iter().all(|s| s.file == "server.js"), "{s:?}");
}

#[test]
fn server_commands() {
    let w = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let sc = server_command(&w("uvicorn app.main:app --port 8080"));
    assert!(sc.default_loopback && sc.port == Some(8080));
    let sc = server_command(&w("gunicorn -b 127.0.0.1:${PORT:-8000} app:app"));
    assert_eq!(sc.explicit_loopback.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        (sc.port, sc.port_env.as_deref()),
        (Some(8000), Some("PORT"))
    );
    let sc = server_command(&w("python manage.py runserver 0.0.0.0:8000"));
    assert!(!sc.default_loopback && sc.port == Some(8000));
    let sc = server_command(&w("python manage.py runserver"));
    assert!(sc.default_loopback);
    let sc = server_command(&w("node server.js"));
    assert_eq!(sc, ServerCommand::default());
}

#[test]
fn skipped_paths() {
    assert!(skipped_path("src/__tests__/a.js"));
    assert!(skipped_path("src/app.test.ts"));
    assert!(skipped_path("settings/dev.py"));
    assert!(skipped_path("appsettings.Development.json"));
    assert!(skipped_path("src/main/resources/application-local.yml"));
    assert!(!skipped_path("src/main/resources/application.yml"));
    assert!(!skipped_path("config/environments/production.rb"));
    assert!(!skipped_path("server.js"));
}

#[test]
fn every_pattern_compiles() {
    // The scans over a text that exercises every language's patterns.
    let s = signals(&[
        ("requirements.txt", "flask\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\nh = logging.FileHandler('app.log')\napp.run(host='localhost', port=5000)\n"),
    ]);
    assert!(
        s.iter()
            .any(|s| matches!(s.kind, SignalKind::FileLogging { .. })),
        "{s:?}"
    );
    assert!(
        s.iter()
            .any(|s| matches!(s.kind, SignalKind::LoopbackBind { .. })),
        "{s:?}"
    );
}

#[test]
fn phoenix_endpoint_port_only() {
    let s = signals(&[
        ("mix.exs", "defmodule App.MixProject do\n  def application, do: [mod: {App.Application, []}]\n  defp deps, do: [{:phoenix, \"~> 1.7\"}]\nend\n"),
        (
            "config/runtime.exs",
            "import Config\nport = String.to_integer(System.get_env(\"PORT\") || \"4000\")\nsmtp = String.to_integer(System.get_env(\"SMTP_PORT\") || \"25\")\n",
        ),
    ]);
    let ports: Vec<_> = s
        .iter()
        .filter_map(|s| match &s.kind {
            SignalKind::ListenPort { port, .. } => Some((s.line, *port)),
            _ => None,
        })
        .collect();
    assert_eq!(ports, vec![(2, Some(4000))], "{s:?}");
}

#[test]
fn nested_project_lookup_matches_a_scan_of_every_folder() {
    let dirs = ["", "a", "a/b", "a/b/c", "ab", "x/y"];
    let is_under = |path: &str, dir: &str| {
        dir.is_empty() || path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/')
    };
    for project in dirs {
        for path in [
            "f",
            "a/f",
            "a/b/f",
            "a/b/c/f",
            "a/b/c/d/f",
            "ab/f",
            "a/bc/f",
            "x/y/f",
            "x/f",
            "a/b/cd/f",
        ] {
            if !is_under(path, project) {
                continue;
            }
            let slow = dirs
                .iter()
                .any(|d| d.len() > project.len() && is_under(path, d));
            assert_eq!(
                in_nested_project(path, project, &dirs),
                slow,
                "{project:?} {path:?}"
            );
        }
    }
}

#[test]
fn run_time_patterns_compile_once_and_bad_ones_are_none() {
    let first = super::compile_named(r"\bsession\s*\(");
    let again = super::compile_named(r"\bsession\s*\(");
    assert!(first
        .as_ref()
        .is_some_and(|r| r.is_match("app.use(session ({}))")));
    assert_eq!(
        first.map(|r| r.as_str().to_string()),
        again.map(|r| r.as_str().to_string())
    );
    assert!(super::compile_named(r"\bsession(").is_none());
    assert!(super::compile_named(r"\bsession(").is_none());
}
