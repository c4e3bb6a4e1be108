use super::*;
use crate::checklist::{Evidence, StepId, Summary};
use crate::finding::Location;
use crate::report::{ComponentEntry, ServiceEntry, SCHEMA_VERSION};
use tabled::grid::util::string::get_text_width;

const ESC: char = '\u{1b}';

fn step(id: StepId, status: Status, score: u8, summary: &str) -> StepResult {
    StepResult {
        id: id.id(),
        number: id.number(),
        title: id.title(),
        status,
        score,
        summary: summary.to_string(),
        evidence: vec![Evidence::new("api/Dockerfile", 1, "FROM golang:1.22")],
        next_steps: Vec::new(),
        reason: None,
    }
}

fn finding(code: &'static str, severity: Severity, file: &str, line: u32, msg: &str) -> Finding {
    Finding {
        code,
        name: "rule-name",
        severity,
        location: Location::new(file, line),
        message: msg.to_string(),
        subject: "subject".to_string(),
    }
}

fn service(path: &str, language: &str, containerized: bool, defs: &[&str]) -> ServiceEntry {
    ServiceEntry {
        path: path.to_string(),
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        language: language.to_string(),
        manifest: format!("{path}/go.mod"),
        containerized,
        image_definitions: defs.iter().map(|d| d.to_string()).collect(),
    }
}

/// A report with every status, long paths and messages, and non-ASCII text.
fn sample() -> AuditReport {
    let mut na = step(StepId::CdStaging, Status::NotApplicable, 0, "");
    na.reason = Some("deployments are handled by the platform team (config)".to_string());
    let mut orchestration = step(
        StepId::Dockerfile,
        Status::Partial,
        4,
        "3 Kubernetes manifests; 2 workloads lack probes and resource limits",
    );
    orchestration.id = "orchestration";
    orchestration.number = 0;
    orchestration.title = "Orchestration";
    let mut stateful = step(
        StepId::Dockerfile,
        Status::NotApplicable,
        0,
        "no stateful dependency found",
    );
    stateful.id = "stateful-services";
    stateful.number = 0;
    stateful.title = "Stateful services";
    AuditReport {
        schema_version: SCHEMA_VERSION,
        root: "./examples/shop".to_string(),
        repository: application(),
        images: Vec::new(),
        summary: Summary {
            done: 2,
            total: 6,
            score: 48,
            verdict: "2/6 steps done; next: write a Compose file for the whole app".to_string(),
        },
        steps: vec![
            step(StepId::Dockerfile, Status::Done, 10, "api/Dockerfile builds the api service"),
            step(
                StepId::AllServices,
                Status::Partial,
                6,
                "2 of 3 buildable services containerized; services/payments-gateway has no image definition",
            ),
            step(StepId::Compose, Status::Missing, 0, "no Compose file"),
            step(StepId::DevEnv, Status::Partial, 4, "dev loop, .dockerignore for every build context"),
            step(StepId::ImageBuilds, Status::Done, 10, "CI builds and pushes both images on main"),
            step(StepId::CiImages, Status::Missing, 0, "tests run only on the host"),
            na,
        ],
        sections: vec![orchestration, stateful],
        services: vec![
            service(".", "node", true, &["Dockerfile"]),
            service("services/api", "go", true, &["services/api/Dockerfile", "services/api/Dockerfile.debug"]),
            service(
                "services/very/deeply/nested/folder/structure/payments-gateway",
                "java",
                false,
                &[],
            ),
            service("services/café-ünïcode", "python", true, &["services/café-ünïcode/Containerfile"]),
        ],
        image_only_components: vec![ComponentEntry {
            path: "infra/nginx".to_string(),
            name: "nginx".to_string(),
            image_definitions: vec!["infra/nginx/Dockerfile".to_string()],
        }],
        findings: vec![
            finding(
                "DL3007",
                Severity::Warning,
                "services/api/Dockerfile",
                3,
                "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
            ),
            finding("KR101", Severity::Error, "services/api/Dockerfile", 12, "final stage has no CMD or ENTRYPOINT"),
            finding(
                "DL3008",
                Severity::Info,
                "services/café-ünïcode/Containerfile",
                7,
                "Épinglez les versions dans apt-get install — 版本固定 apt-get install で バージョンを固定してください 请固定版本",
            ),
            finding(
                "KR901",
                Severity::Warning,
                "a/very/long/path/that/goes/on/and/on/through/many/folders/before/reaching/docker-compose.override.yml",
                1,
                "file could not be parsed",
            ),
        ],
        next_steps: vec![
            "Write a Dockerfile for `services/very/deeply/nested/folder/structure/payments-gateway` (Java, Spring Boot, `pom.xml`)".to_string(),
            "Write a Compose file with a service for each of `.`, `services/api` and `services/café-ünïcode`, so that `docker compose up` starts the whole app".to_string(),
            "Run the tests inside the image CI builds".to_string(),
        ],
        finding_counts: FindingCounts { error: 1, warning: 2, info: 1, suppressed: 0 },
        suppressed: Vec::new(),
        graph: Default::default(),
        display: Default::default(),
    }
}

fn opts(width: usize, color: bool, quiet: bool) -> TableOptions {
    TableOptions {
        color,
        width,
        quiet,
    }
}

fn plain(width: usize) -> String {
    render(&sample(), &opts(width, false, false))
}

/// Removes SGR sequences (`ESC [ ... m`), the only escapes the renderer emits.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn assert_fits(text: &str, width: usize) {
    for line in strip_ansi(text).lines() {
        let w = get_text_width(line);
        assert!(
            w <= width,
            "line is {w} columns, over {width}:\n{line}\n---\n{text}"
        );
    }
}

fn empty_report() -> AuditReport {
    let steps = StepId::ALL
        .into_iter()
        .map(|id| {
            let mut s = step(id, Status::NotApplicable, 0, "no buildable service");
            s.evidence.clear();
            s
        })
        .collect();
    AuditReport {
        schema_version: SCHEMA_VERSION,
        root: ".".to_string(),
        repository: application(),
        images: Vec::new(),
        summary: Summary {
            done: 0,
            total: 0,
            score: 0,
            verdict: "nothing to containerize".to_string(),
        },
        steps,
        sections: Vec::new(),
        services: Vec::new(),
        image_only_components: Vec::new(),
        findings: Vec::new(),
        next_steps: vec![
            "If this repository has a service, declare it under `services:` in `.kubeready.yaml`"
                .to_string(),
        ],
        finding_counts: FindingCounts::default(),
        suppressed: Vec::new(),
        graph: Default::default(),
        display: Default::default(),
    }
}

#[test]
fn header_verdict_and_progress_bar() {
    let out = plain(80);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "kubeready · ./examples/shop");
    assert_eq!(
        lines[1],
        "2/6 steps done; next: write a Compose file for the whole app"
    );
    assert_eq!(lines[2], "");
    assert_eq!(
        lines[3],
        "Checklist  ██▒▒░░▒▒██░░··  2/6 steps done · score 48/100"
    );
}

#[test]
fn steps_table_has_marks_scores_and_summaries() {
    let out = plain(100);
    assert!(out.contains("  #     Step "), "{out}");
    assert!(out.contains("  1  ✔  Write a Dockerfile for one service         10/10  api/Dockerfile builds the api service"), "{out}");
    assert!(
        out.contains("  3  ✘  Write a Compose file for the whole app      0/10  no Compose file"),
        "{out}"
    );
    assert!(out.contains("  2  ◐  Write Dockerfiles"), "{out}");
    // Not-applicable: a dash, no score, and the config's reason as summary.
    assert!(out.contains("  7  –  A CD pipeline"), "{out}");
    assert!(
        out.contains("n/a  deployments are handled by the platform"),
        "{out}"
    );
}

#[test]
fn sections_services_and_components() {
    let out = plain(100);
    assert!(out.contains("After the checklist"));
    assert!(
        out.contains("  ◐  Orchestration       4/10  3 Kubernetes manifests"),
        "{out}"
    );
    assert!(out.contains("Services (4)"));
    assert!(out.contains("  .    "), "root service shown as `.`:\n{out}");
    assert!(out.contains("services/api/Dockerfile +1"), "{out}");
    // Long paths keep their tail.
    assert!(
        out.contains("…/folder/structure/payments-gateway  java      no "),
        "{out}"
    );
    assert!(out.contains("Image-only components (1)"));
    assert!(
        out.contains("  infra/nginx  nginx  infra/nginx/Dockerfile"),
        "{out}"
    );
}

#[test]
fn findings_counts_and_lines_grouped_by_file() {
    let out = plain(80);
    assert!(
        out.contains("\nFindings   1 error · 2 warnings · 1 info\n"),
        "{out}"
    );
    assert!(
        out.contains("  services/api/Dockerfile:3   DL3007  warning  Using latest is prone"),
        "{out}"
    );
    // Messages wrap under their column instead of losing their end.
    assert!(
        !out.lines()
            .any(|l| l.contains("DL3007") && l.ends_with('…')),
        "{out}"
    );
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| l.contains("DL3007")).unwrap();
    let col = lines[at].find("Using").unwrap();
    assert!(
        lines[at + 1].starts_with(&" ".repeat(col)),
        "continuation lines are indented to the message column:\n{out}"
    );
    // Another file starts after a blank line.
    assert!(
        out.contains("\n\n  services/café-ünïcode/Containerfile:7  DL3008  info "),
        "{out}"
    );
}

#[test]
fn next_steps_are_numbered_with_a_hanging_indent() {
    let out = plain(80);
    let start = out
        .find("Next steps\n\n")
        .map(|i| &out[i..])
        .unwrap_or_default();
    let lines: Vec<&str> = start.lines().skip(2).collect();
    assert!(
        lines[0].starts_with("  1.  Write a Dockerfile for"),
        "{start}"
    );
    assert!(lines[1].starts_with("      `services/very"), "{start}");
    assert!(start.contains("\n  2.  Write a Compose file"), "{start}");
    assert!(
        start.contains("\n  3.  Run the tests inside the image CI builds\n"),
        "{start}"
    );
}

#[test]
fn every_line_fits_the_width() {
    for width in [40, 60, 80, 100, 120] {
        for color in [false, true] {
            let out = render(&sample(), &opts(width, color, false));
            assert_fits(&out, width);
            assert_fits(&render(&sample(), &opts(width, color, true)), width);
            assert_fits(&render(&empty_report(), &opts(width, color, false)), width);
        }
    }
}

#[test]
fn lines_are_not_broken_mid_word() {
    // Every word of the titles, summaries and next steps survives whole.
    let report = sample();
    let texts: Vec<&str> = report
        .steps
        .iter()
        .flat_map(|s| [s.title, s.summary.as_str()])
        .chain(report.next_steps.iter().map(String::as_str))
        .collect();
    for width in [80, 100] {
        let out = plain(width);
        for word in texts.iter().flat_map(|t| t.split_whitespace()) {
            assert!(out.contains(word), "`{word}` was broken at {width}:\n{out}");
        }
    }
}

#[test]
fn over_long_words_break_after_a_slash_or_are_cut() {
    assert_eq!(
        paint::wrap_words("see services/very/deeply/nested/folder now", 16),
        ["see", "services/very/", "deeply/nested/", "folder now"]
    );
    assert_eq!(
        paint::wrap_words("a supercalifragilistic word", 10),
        ["a", "supercali…", "word"]
    );
    assert_eq!(paint::wrap_words("", 10), [""]);
    assert_eq!(
        paint::shorten_path("services/payments/Dockerfile", 22),
        "…/payments/Dockerfile"
    );
    assert_eq!(paint::ellipsize("版本固定版本", 7), "版本固…");
}

#[test]
fn no_escape_sequences_without_color() {
    for width in [80, 100] {
        assert!(!plain(width).contains(ESC));
        assert!(!render(&sample(), &opts(width, false, true)).contains(ESC));
    }
}

#[test]
fn color_only_adds_escape_sequences() {
    let colored = render(&sample(), &opts(80, true, false));
    assert!(colored.contains("\u{1b}[32m✔\u{1b}[39m"), "{colored}");
    assert!(colored.contains("\u{1b}[31m✘\u{1b}[39m"), "{colored}");
    assert!(colored.contains("\u{1b}[33mwarning\u{1b}[39m"), "{colored}");
    assert!(colored.contains("\u{1b}[31merror"), "{colored}");
    assert!(colored.contains("\u{1b}[31m1 error\u{1b}[39m"), "{colored}");
    assert_eq!(strip_ansi(&colored), plain(80));
}

#[test]
fn quiet_is_verdict_bar_and_counts() {
    let out = render(&sample(), &opts(80, false, true));
    assert_eq!(
        out,
        "2/6 steps done; next: write a Compose file for the whole app\n\
         Checklist  ██▒▒░░▒▒██░░··  2/6 steps done · score 48/100\n\
         Findings   1 error · 2 warnings · 1 info\n"
    );
}

#[test]
fn nothing_to_containerize() {
    let out = render(&empty_report(), &opts(80, false, false));
    assert!(out.contains("\nnothing to containerize\n"), "{out}");
    assert!(
        out.contains("Checklist  ··············  0/0 steps done · score 0/100"),
        "{out}"
    );
    assert!(out.contains("\nFindings   none\n"), "{out}");
    assert!(!out.contains("Services"), "{out}");
    assert!(!out.contains("After the checklist"), "{out}");
}

#[test]
fn deterministic_and_default_width() {
    assert_eq!(plain(80), plain(80));
    assert_eq!(plain(0), plain(80));
    assert_eq!(TableOptions::default(), opts(80, false, false));
}

#[test]
fn snapshot_80_columns_no_color() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("table_80_no_color", plain(80));
    });
}

#[test]
#[ignore = "prints renderings for eyeballing: cargo test -- --ignored --nocapture"]
fn print_renderings() {
    for width in [40, 80, 100] {
        println!("{}", plain(width));
    }
}

#[test]
fn ellipsis_never_splits_a_wide_character() {
    for max in 1..12 {
        let cut = paint::ellipsize("バージョンを固定して", max);
        assert!(!cut.contains('\u{FFFD}'), "{cut}");
        assert!(paint::width_of(&cut) <= max, "{cut} > {max}");
    }
}

fn application() -> crate::kind::Repository {
    crate::kind::Repository {
        kind: crate::kind::RepositoryKind::Application,
        declared: false,
        evidence: Vec::new(),
    }
}
