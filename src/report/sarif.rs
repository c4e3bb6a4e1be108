//! `--format sarif`: SARIF 2.1.0 via `serde-sarif`, with every rule's
//! documentation as help text, results located at file:line, and levels
//! mapped from severities (info → note).

use super::AuditReport;
use crate::finding::Severity;
use crate::rules::all_rules;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};
use std::collections::BTreeMap;

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn to_value<T: serde::Serialize>(v: T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

pub fn render(report: &AuditReport) -> String {
    let rules = all_rules();
    let descriptors: Vec<ReportingDescriptor> = rules
        .iter()
        .map(|r| {
            let d = r.doc();
            let help_text = format!("{}\n\nWhy is this bad? {}\n\nExample:\n{}\n\nUse instead:\n{}", d.what, d.why, d.bad, d.good);
            let help_md = format!("{}\n\n**Why is this bad?** {}\n\n**Example**\n\n```\n{}\n```\n\n**Use instead**\n\n```\n{}\n```", d.what, d.why, d.bad, d.good);
            ReportingDescriptor::builder()
                .id(d.code)
                .name(d.name)
                .short_description(MultiformatMessageString::builder().text(d.summary).build())
                .full_description(MultiformatMessageString::builder().text(d.what).build())
                .help(MultiformatMessageString::builder().text(help_text).markdown(help_md).build())
                .default_configuration(ReportingConfiguration::builder().level(to_value(level(d.severity))).enabled(d.enabled_by_default).build())
                .build()
        })
        .collect();
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let mut region = Region::builder()
                .start_line(i64::from(f.location.line))
                .build();
            if let Some(c) = f.location.column {
                region.start_column = Some(i64::from(c));
            }
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(
                            ArtifactLocation::builder()
                                .uri(report.shown_path(&f.location.file))
                                .uri_base_id("%SRCROOT%")
                                .build(),
                        )
                        .region(region)
                        .build(),
                )
                .build();
            let mut fingerprints = BTreeMap::new();
            fingerprints.insert(
                "kubeready/subject/v1".to_string(),
                format!("{}:{}:{}", f.location.file, f.code, f.subject),
            );
            let mut result = SarifResult::builder()
                .rule_id(f.code)
                .level(level(f.severity))
                .message(Message::builder().text(f.message.clone()).build())
                .locations(vec![location])
                .partial_fingerprints(fingerprints)
                .build();
            if let Some(i) = rules.iter().position(|r| r.doc().code == f.code) {
                result.rule_index = Some(i as i64);
            }
            result
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("kubeready")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/kubeready/kubeready")
        .rules(descriptors)
        .build();
    let mut base = BTreeMap::new();
    base.insert(
        "%SRCROOT%".to_string(),
        ArtifactLocation::builder()
            .description(
                Message::builder()
                    .text("the working directory kubeready ran in (result paths are the audited path joined to the file's path in it)")
                    .build(),
            )
            .build(),
    );
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .original_uri_base_ids(base)
        .build();
    let log = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::Value::String("2.1.0".into()))
        .runs(vec![run])
        .build();
    match serde_json::to_string_pretty(&log) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(e) => format!("{{\"error\": \"cannot serialise SARIF: {e}\"}}\n"),
    }
}
