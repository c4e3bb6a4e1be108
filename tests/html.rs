//! End to end: `--format html` for `audit` and `fleet` is one
//! self-contained page (nothing fetched: no http(s) in src or href, no
//! external stylesheets), escapes what comes from audited repositories,
//! and is deterministic. The browser checks are scripts/html-screenshots.sh.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

fn audit_html(path: &std::path::Path) -> String {
    let out = kubeready()
        .args(["audit", "--format", "html", "--fail-on", "never"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

/// No reference that a browser would fetch.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "<link",
        "@import",
        "<iframe",
        "<img",
    ] {
        assert!(!lower.contains(bad), "found `{bad}`");
    }
    // Only references inside the page (`url(#arrow)`).
    for (i, _) in lower.match_indices("url(") {
        assert_eq!(lower.as_bytes().get(i + 4), Some(&b'#'), "external url(");
    }
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("@media print"));
    assert!(html.contains("@media (max-width"));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn audit_pages_are_self_contained_with_checklist_and_graph() {
    for name in ["full-pipeline", "monorepo", "hostile", "no-dockerfile"] {
        let html = audit_html(&fixture(name));
        assert_self_contained(&html);
        assert!(
            !html.contains("<script"),
            "{name}: the audit page needs no script"
        );
        assert!(
            html.contains("<h2 id=\"checklist\">Checklist</h2>"),
            "{name}"
        );
        // Seven steps, each with a mark that reads without colour.
        assert_eq!(html.matches("<span class=\"seg ").count(), 7, "{name}");
        assert_eq!(html, audit_html(&fixture(name)), "{name}: deterministic");
    }
    let html = audit_html(&fixture("full-pipeline"));
    assert!(html.contains("<svg class=\"graph\""));
    assert!(html.contains("<g class=\"node service\""));
    assert!(html.contains("<g class=\"node image\""));
    assert!(html.contains("<g class=\"node deploy\""));
    assert!(html.contains("✔"));
    // Findings with their rule's help, grouped by file.
    let hostile = audit_html(&fixture("hostile"));
    assert!(hostile.contains("<h2 id=\"findings\">Findings</h2>"));
    assert!(hostile.contains("<div class=\"help\">"));
    assert!(hostile.contains("<h2 id=\"rules\">Rules cited</h2>"));
}

#[test]
fn strings_from_the_repository_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let evil = "<img src=x onerror=alert(1)>";
    let svc = root.join(evil);
    std::fs::create_dir_all(&svc).unwrap();
    std::fs::write(svc.join("go.mod"), "module x\n\ngo 1.22\n").unwrap();
    std::fs::write(
        svc.join("Dockerfile"),
        "FROM golang:1.22\nADD \"<script>alert(2)</script>\" /x\nCMD [\"/x\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        format!("services:\n  \"svc<svg onload=alert(3)>\":\n    build: \"{evil}\"\n"),
    )
    .unwrap();
    let html = audit_html(root);
    assert_self_contained(&html);
    for raw in ["<img src=x", "<script>alert", "<svg onload"] {
        assert!(!html.contains(raw), "`{raw}` reached the page unescaped");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        html.contains("svc&lt;svg onload=alert(3)&gt;"),
        "the Compose service is shown"
    );
    // The fleet page escapes repository names and paths too.
    let out = kubeready()
        .args(["fleet", "--quiet", "--format", "html"])
        .arg(&svc)
        .output()
        .unwrap();
    let fleet = String::from_utf8(out.stdout).unwrap();
    assert!(!fleet.contains("<img src=x"));
    assert!(fleet.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn fleet_page_links_to_each_repository_report() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("fleet.html");
    let out = kubeready()
        .args(["fleet", "--quiet"])
        .arg(fixture("compose"))
        .arg(fixture("full-pipeline"))
        .arg(fixture("no-such-repo"))
        .arg("--output")
        .arg(format!("html={}", page.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(&page).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("<svg class=\"funnel\""));
    assert!(html.contains("<table id=\"repos\""));
    // Sortable with a small inline script; rows come sorted without it.
    assert!(html.contains("<script>"));
    let compose = html.find(">compose</a>").unwrap();
    let full = html.find(">full-pipeline</a>").unwrap();
    assert!(compose < full);
    assert!(html.contains("cannot be audited:</span> path does not exist"));
    for name in ["compose", "full-pipeline"] {
        let href = format!("href=\"fleet-repos/{name}.html\"");
        assert!(html.contains(&href), "{href}");
        let repo =
            std::fs::read_to_string(dir.path().join(format!("fleet-repos/{name}.html"))).unwrap();
        assert_self_contained(&repo);
        assert!(repo.contains("<a href=\"../fleet.html\">"));
        assert!(repo.contains("<h2 id=\"checklist\">"));
    }
    assert!(!dir.path().join("fleet-repos/no-such-repo.html").exists());
}

#[test]
fn audit_writes_html_with_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    let out = kubeready()
        .args([
            "audit",
            "--fail-on",
            "never",
            "--format",
            "json",
            "--output",
        ])
        .arg(format!("html={}", file.display()))
        .arg(fixture("compose"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(file).unwrap();
    assert_eq!(html, audit_html(&fixture("compose")));
}
