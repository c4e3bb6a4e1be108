//! The `HEALTHCHECK` of a scaffolded Dockerfile, for every language, with
//! only what the scaffold's runtime image already has (no curl is
//! installed for it): the language's own runtime, busybox `wget` on
//! Alpine, bash's `/dev/tcp` on Debian and Ubuntu images.
//!
//! A check that would fail on a healthy container is worse than none
//! (Compose's `service_healthy` waits on it forever), so:
//! - a literal health route in the service's top-level sources and a known
//!   port → an HTTP probe of that route, where the image has an HTTP
//!   client;
//! - a known port only → a TCP connect probe (the server accepts
//!   connections), where the image can open a socket;
//! - otherwise a comment in the Dockerfile says why there is none.

use crate::parse::manifest::Language;
use std::path::Path;

/// The health route a service defines in one of its top-level source
/// files (`app.get("/healthz", ...)`, `@app.route("/health")`,
/// `http.HandleFunc("/healthz", ...)`, `r.GET("/ping", ...)`,
/// `Route::get('/health', ...)`, Sinatra's `get '/health' do`): only a
/// literal route counts.
pub(super) fn health_route(dir: &Path) -> Option<String> {
    let route = regex::Regex::new(
        r#"(?im)(?:(?:\.|::)(?:get|route|head|api_route|handlefunc|handle)\(\s*|^\s*get\s+)["'](/(?:healthz|health|livez|readyz|ping))["']"#,
    )
    .ok()?;
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(e, "js" | "mjs" | "cjs" | "ts" | "py" | "go" | "rb" | "php")
                })
        })
        .collect();
    files.sort();
    files.into_iter().take(50).find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        route
            .captures(&text)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
    })
}

/// The `HEALTHCHECK` line for a service of `language` listening on
/// `port`, asking `route` where the image can; or a comment saying why
/// the scaffold has none.
pub(super) fn healthcheck(language: Language, port: Option<u16>, route: Option<&str>) -> String {
    let Some(port) = port else {
        return "# No HEALTHCHECK: no port this service listens on was found; add one that asks it once it serves.".into();
    };
    let url = route.map(|r| format!("http://127.0.0.1:{port}{r}"));
    let probe: Vec<String> = match (language, url) {
        (Language::Node, Some(url)) => vec![
            "node".into(),
            "-e".into(),
            format!("fetch('{url}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"),
        ],
        (Language::Node, None) => vec![
            "node".into(),
            "-e".into(),
            format!("require('net').connect({port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"),
        ],
        (Language::Python, Some(url)) => vec![
            "python".into(),
            "-c".into(),
            format!("import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('{url}', timeout=3).status == 200 else 1)"),
        ],
        (Language::Python, None) => vec![
            "python".into(),
            "-c".into(),
            format!("import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3).close()"),
        ],
        // Alpine: busybox wget is there (a GET: some routers answer
        // HEAD with 404).
        (Language::Go, Some(url)) => vec![
            "wget".into(),
            "-q".into(),
            "-O".into(),
            "/dev/null".into(),
            "-T".into(),
            "3".into(),
            url,
        ],
        (Language::Go, None) => {
            return format!(
                "# No HEALTHCHECK: no health route was found, and this Alpine image can only probe one over HTTP; once the service has one: HEALTHCHECK CMD [\"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:{port}/healthz\"]"
            )
        }
        (Language::Ruby, Some(url)) => vec![
            "ruby".into(),
            "-rnet/http".into(),
            "-e".into(),
            format!("exit(Net::HTTP.get_response(URI('{url}')).is_a?(Net::HTTPSuccess))"),
        ],
        (Language::Ruby, None) => vec![
            "ruby".into(),
            "-rsocket".into(),
            "-e".into(),
            format!("TCPSocket.new('127.0.0.1', {port}).close"),
        ],
        (Language::Php, Some(url)) => vec![
            "php".into(),
            "-r".into(),
            format!("exit(@file_get_contents('{url}') === false ? 1 : 0);"),
        ],
        (Language::Php, None) => vec![
            "php".into(),
            "-r".into(),
            format!("exit(@fsockopen('127.0.0.1', {port}) ? 0 : 1);"),
        ],
        // Debian and Ubuntu runtime images (Rust, Java, .NET, Elixir)
        // have bash but no HTTP client: a TCP connect.
        (Language::Rust | Language::Java | Language::Dotnet | Language::Elixir, _) => vec![
            "bash".into(),
            "-c".into(),
            format!("exec 3<>/dev/tcp/127.0.0.1/{port}"),
        ],
    };
    format!(
        "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD {}",
        super::exec_form(&probe)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const ALL: [Language; 9] = [
        Language::Node,
        Language::Python,
        Language::Go,
        Language::Rust,
        Language::Java,
        Language::Dotnet,
        Language::Ruby,
        Language::Php,
        Language::Elixir,
    ];

    #[test]
    fn every_language_gets_a_probe_or_a_reason() {
        for language in ALL {
            let none = healthcheck(language, None, None);
            assert!(none.starts_with("# No HEALTHCHECK: no port"), "{none}");
            let route = healthcheck(language, Some(8080), Some("/healthz"));
            assert!(route.starts_with("HEALTHCHECK "), "{language:?}: {route}");
            assert!(route.contains("8080"), "{route}");
            let port = healthcheck(language, Some(8080), None);
            if language == Language::Go {
                assert!(port.starts_with("# No HEALTHCHECK: no health route"));
            } else {
                assert!(port.starts_with("HEALTHCHECK "), "{language:?}: {port}");
                assert!(port.contains("8080"), "{port}");
            }
        }
    }

    #[test]
    fn health_routes_are_found_in_each_framework_style() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("main.go", "http.HandleFunc(\"/healthz\", ok)\n", "/healthz"),
            ("main.go", "r.GET(\"/ping\", ok)\n", "/ping"),
            ("app.rb", "get '/health' do\n  'ok'\nend\n", "/health"),
            (
                "index.php",
                "Route::get('/health', fn () => 'ok');\n",
                "/health",
            ),
            ("app.py", "@app.route(\"/livez\")\n", "/livez"),
            ("server.js", "app.get('/readyz', ok)\n", "/readyz"),
        ];
        for (file, text, want) in cases {
            let path = dir.path().join(file);
            std::fs::write(&path, text).unwrap();
            assert_eq!(health_route(dir.path()).as_deref(), Some(want), "{text}");
            std::fs::remove_file(path).unwrap();
        }
        std::fs::write(dir.path().join("main.go"), "fetch(\"/healthz\")\n").unwrap();
        assert_eq!(health_route(dir.path()), None);
    }
}
