//! End to end: one port chain per service, through Compose healthchecks,
//! probes, Services and Ingress backends (`KR511`), shown by `kubeready
//! graph` and in the terminal, Markdown and JSON reports; and the runtime
//! fitness rules that follow an image to the workload running it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{audit_json, fixture, kubeready};
use serde_json::Value;

fn findings<'a>(r: &'a Value, code: &str) -> Vec<&'a Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

fn audit(name: &str, format: &str) -> String {
    let out = kubeready()
        .args([
            "audit",
            "--format",
            format,
            "--fail-on",
            "never",
            "--color",
            "never",
        ])
        .arg(fixture(name))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn one_finding_shows_every_link_of_the_broken_chain() {
    let r = audit_json("port-chain");
    let f = findings(&r, "KR511");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["file"], "k8s/api.yaml");
    assert_eq!(f[0]["line"], 59);
    let m = f[0]["message"].as_str().unwrap();
    for link in [
        "listens on 3000 (server.js:7",
        "EXPOSE 3000 (Dockerfile:7)",
        "Compose ports (container side) 3000 (compose.yaml:6",
        "Compose healthcheck 3000 (compose.yaml:8",
        "containerPort 3000 (k8s/api.yaml:15",
        "probe 3000 (k8s/api.yaml:25, Deployment `api`, container `api`, readiness httpGet (named `http`))",
        "probe 3000 (k8s/api.yaml:28",
        "Service targetPort 3000 (k8s/api.yaml:37, Service `api` (named `http`))",
        "Service targetPort 8080 (k8s/api.yaml:40",
        "Ingress backend 8080 (k8s/api.yaml:59, Ingress `api` -> Service `api` port 81) <- mismatch",
    ] {
        assert!(m.contains(link), "{link} not in {m}");
    }
    // Only the Ingress kind misses the listening port.
    assert!(
        m.contains("but Ingress backend name only other ports"),
        "{m}"
    );
    // No pairwise KR510 finding beside it.
    assert!(findings(&r, "KR510").is_empty());
}

#[test]
fn the_chain_is_in_json_graph_terminal_and_markdown() {
    let r = audit_json("port-chain");
    let chains = r["graph"]["port_chains"].as_array().unwrap();
    assert_eq!(chains.len(), 1);
    let kinds: Vec<&str> = chains[0]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    for k in [
        "code",
        "expose",
        "compose-ports",
        "compose-healthcheck",
        "container-port",
        "probe",
        "target-port",
        "ingress",
    ] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
    // Wrapped to the terminal's width: compare words.
    let text = audit("port-chain", "table").replace('\n', " ");
    assert!(text.contains("Port chains (1)"), "{text}");
    assert!(
        text.contains("Ingress backend 8080 (k8s/api.yaml:59)"),
        "{text}"
    );
    let md = audit("port-chain", "markdown");
    assert!(md.contains("### Port chains"), "{md}");
    assert!(md.contains("probe 3000 (k8s/api.yaml:25)"), "{md}");
    let graph = kubeready()
        .args(["graph", "--format", "mermaid"])
        .arg(fixture("port-chain"))
        .output()
        .unwrap();
    let graph = String::from_utf8(graph.stdout).unwrap();
    assert!(
        graph.contains("%% port chain .: listens on 3000 (server.js:7)"),
        "{graph}"
    );
}

#[test]
fn a_python_worker_and_its_state_follow_the_workload() {
    let r = audit_json("runtime-fitness");
    let f605 = findings(&r, "KR605");
    assert_eq!(f605.len(), 1, "{f605:?}");
    assert_eq!(
        (f605[0]["file"].as_str(), f605[0]["line"].as_u64()),
        (Some("worker/worker.py"), Some(7))
    );
    assert!(
        f605[0]["message"]
            .as_str()
            .unwrap()
            .contains("(worker/Dockerfile:7)"),
        "{f605:?}"
    );
    let f603 = findings(&r, "KR603");
    assert_eq!(f603.len(), 1, "{f603:?}");
    assert_eq!(
        (f603[0]["file"].as_str(), f603[0]["line"].as_u64()),
        (Some("worker/store.py"), Some(3))
    );
    assert!(
        f603[0]["message"]
            .as_str()
            .unwrap()
            .contains("Deployment `worker` (k8s/worker.yaml)"),
        "{f603:?}"
    );
    // The clean twin: the port-chain service handles SIGTERM.
    let r = audit_json("port-chain");
    assert!(findings(&r, "KR605").is_empty());
    assert!(findings(&r, "KR603").is_empty());
}

#[test]
fn runtime_fitness_and_the_chain_are_in_every_report_format() {
    // Runtime fitness: the KR605 and KR603 findings, at file:line.
    let json = audit_json("runtime-fitness");
    assert_eq!(findings(&json, "KR605").len(), 1);
    for format in ["table", "markdown", "html"] {
        let text = audit("runtime-fitness", format);
        for needle in ["KR605", "KR603", "worker/worker.py", "worker/store.py"] {
            assert!(
                text.contains(needle),
                "{needle} not in the {format} report:\n{text}"
            );
        }
    }
    // The port chain: every link with its place, in HTML too.
    let html = audit("port-chain", "html");
    assert!(
        html.contains("<h2 id=\"port-chains\">Port chains</h2>"),
        "{html}"
    );
    for link in [
        "<li>listens on 3000 (<code>server.js:7</code>)</li>",
        "<li>EXPOSE 3000 (<code>Dockerfile:7</code>)</li>",
        "<li>probe 3000 (<code>k8s/api.yaml:25</code>)</li>",
        "<li>Ingress backend 8080 (<code>k8s/api.yaml:59</code>)</li>",
    ] {
        assert!(html.contains(link), "{link} not in the HTML report");
    }
    // No chain, no heading.
    let html = audit("runtime-fitness", "html");
    let chains = json["graph"]["port_chains"].as_array().map_or(0, Vec::len);
    assert_eq!(html.contains("id=\"port-chains\""), chains > 0);
}

#[test]
fn servers_that_ignore_sigterm_in_the_shapes_seen_on_real_repositories() {
    let r = audit_json("runtime-shutdown");
    let mut got: Vec<(String, u64)> = findings(&r, "KR605")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("docker/start.sh", 5), // the copied wrapper, not admin/start.sh
        ("quotes/server.py", 10),
        ("rates/server.js", 11),
        ("storefront/app.py", 12),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(f, l)| (f.to_string(), *l))
            .collect::<Vec<_>>()
    );
    // gunicorn's admin app and the loadgen script that traps TERM are clean.
    assert!(findings(&r, "KR605").iter().all(|f| !f["file"]
        .as_str()
        .unwrap()
        .starts_with("admin/")
        && !f["file"].as_str().unwrap().starts_with("loadgen/")));
}

#[test]
fn laravels_default_file_channel_is_a_file_log_when_nothing_sets_log_channel() {
    let r = audit_json("laravel-file-log");
    let f = findings(&r, "KR602");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0]["file"].as_str(), f[0]["line"].as_u64()),
        (Some("config/logging.php"), Some(10))
    );
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("unless `LOG_CHANNEL` is set"),
        "{f:?}"
    );
}
