//! End to end: repository kinds (SPEC 1.2) misjudged on real repositories
//! (`bench/real/`, triaged in `docs/accuracy.md`), each reproduced by a
//! hand-written fixture.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::Value;

fn kind_evidence(r: &Value) -> Vec<(String, u64, String)> {
    r["repository"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_tool_with_a_server_subcommand_published_to_package_managers_is_a_cli_tool() {
    let r = audit_json("kind-distributed-tool");
    assert_eq!(
        r["repository"]["kind"],
        "cli-tool",
        "{:?}",
        kind_evidence(&r)
    );
    let evidence = kind_evidence(&r);
    assert!(
        evidence
            .iter()
            .any(|(f, _, m)| f == "go.mod" && m.contains("is a command line")),
        "{evidence:?}"
    );
    assert!(
        evidence.iter().any(|(f, l, m)| f == ".goreleaser.yaml"
            && *l == 9
            && m.contains("GoReleaser `nfpms`")),
        "{evidence:?}"
    );
    for id in ["compose", "dev-env", "cd-staging"] {
        assert_eq!(step(&r, id)["status"], "not-applicable", "{id}");
    }
}

#[test]
fn a_flag_configured_binary_its_chart_runs_as_a_daemonset_is_an_application() {
    let r = audit_json("kind-operator-chart");
    assert_eq!(
        r["repository"]["kind"],
        "application",
        "{:?}",
        kind_evidence(&r)
    );
    let evidence = kind_evidence(&r);
    assert!(
        evidence
            .iter()
            .any(|(f, l, m)| f == "chart/templates/daemonset.yaml"
                && *l == 18
                && m.contains("DaemonSet")),
        "{evidence:?}"
    );
}
