//! What the HTML report shows, computed from an [`AuditReport`]: marks,
//! progress, findings grouped by file with each rule's help text, and the
//! graph's layout. The renderer in [`super::audit`] only formats this.

use super::layout::{self, Layout};
use crate::checklist::{Status, StepResult};
use crate::report::AuditReport;

/// A status as the page shows it: a mark that reads without colour and a
/// CSS class that adds the hue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub symbol: &'static str,
    pub word: &'static str,
    pub class: &'static str,
}

pub fn mark(status: Status) -> Mark {
    match status {
        Status::Done => Mark {
            symbol: "✔",
            word: "done",
            class: "done",
        },
        Status::Partial => Mark {
            symbol: "◐",
            word: "partial",
            class: "partial",
        },
        Status::Missing => Mark {
            symbol: "✘",
            word: "missing",
            class: "missing",
        },
        Status::NotApplicable => Mark {
            symbol: "–",
            word: "not applicable",
            class: "na",
        },
    }
}

pub fn mark_of_status_name(status: &str) -> Mark {
    match status {
        "done" => mark(Status::Done),
        "partial" => mark(Status::Partial),
        "not-applicable" => mark(Status::NotApplicable),
        _ => mark(Status::Missing),
    }
}

#[derive(Clone, Debug)]
pub struct StepRow {
    pub number: u8,
    pub title: String,
    pub mark: Mark,
    /// `7/10` or `n/a`.
    pub score: String,
    /// Why this status (the config's reason for a not-applicable step).
    pub summary: String,
    pub evidence: Vec<(String, String)>,
    pub next_steps: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ServiceRow {
    pub path: String,
    pub name: String,
    pub language: String,
    pub containerized: bool,
    pub image_definitions: Vec<String>,
}

/// One service's port chain: each link as what it is (kind and ports)
/// and where (`file:line`).
#[derive(Clone, Debug)]
pub struct ChainRow {
    pub service: String,
    pub links: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct FindingRow {
    pub line: u32,
    pub code: String,
    pub name: String,
    pub severity: &'static str,
    pub message: String,
    /// The rule's one-line summary; empty for codes kubeready has no rule
    /// for (ShellCheck's).
    pub help: String,
}

#[derive(Clone, Debug)]
pub struct FileGroup {
    pub file: String,
    pub findings: Vec<FindingRow>,
}

/// The rules cited by the findings, once each, with why they matter.
#[derive(Clone, Debug)]
pub struct RuleHelp {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub why: String,
}

#[derive(Clone, Debug)]
pub enum GraphSection {
    Empty,
    Drawn(Layout),
    TooLarge { nodes: usize },
}

#[derive(Clone, Debug)]
pub struct AuditPage {
    pub root: String,
    pub verdict: String,
    pub done: usize,
    pub total: usize,
    pub score: u8,
    /// Width of the progress bar, 0-100.
    pub percent: u32,
    pub steps: Vec<StepRow>,
    pub sections: Vec<StepRow>,
    pub next_steps: Vec<String>,
    pub services: Vec<ServiceRow>,
    pub components: Vec<ServiceRow>,
    pub port_chains: Vec<ChainRow>,
    pub counts: [(&'static str, usize); 4],
    pub files: Vec<FileGroup>,
    pub rules: Vec<RuleHelp>,
    pub suppressed: Vec<(String, u32, String, String)>,
    pub graph: GraphSection,
}

fn step_row(r: &StepResult) -> StepRow {
    StepRow {
        number: r.number,
        title: r.title.to_string(),
        mark: mark(r.status),
        score: if r.status == Status::NotApplicable {
            "n/a".into()
        } else {
            format!("{}/10", r.score)
        },
        summary: match (&r.reason, r.status) {
            (Some(reason), Status::NotApplicable) => format!("not applicable: {reason}"),
            _ => r.summary.clone(),
        },
        evidence: r
            .evidence
            .iter()
            .map(|e| (format!("{}:{}", e.file, e.line), e.message.clone()))
            .collect(),
        next_steps: r.next_steps.clone(),
    }
}

impl AuditPage {
    pub fn new(report: &AuditReport) -> AuditPage {
        let mut files: Vec<FileGroup> = Vec::new();
        let mut rules: Vec<RuleHelp> = Vec::new();
        for f in &report.findings {
            let doc = crate::rules::find_rule(f.code).map(|r| r.doc());
            if let Some(d) = doc {
                if !rules.iter().any(|r| r.code == d.code) {
                    rules.push(RuleHelp {
                        code: d.code.to_string(),
                        name: d.name.to_string(),
                        summary: d.summary.to_string(),
                        why: d.why.to_string(),
                    });
                }
            }
            let row = FindingRow {
                line: f.location.line,
                code: f.code.to_string(),
                name: f.name.to_string(),
                severity: f.severity.as_str(),
                message: f.message.clone(),
                help: doc.map(|d| d.summary.to_string()).unwrap_or_default(),
            };
            // Findings are sorted by file: a group is a run of one file.
            match files.last_mut() {
                Some(g) if g.file == f.location.file => g.findings.push(row),
                _ => files.push(FileGroup {
                    file: f.location.file.clone(),
                    findings: vec![row],
                }),
            }
        }
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        let graph = if report.graph.nodes.is_empty() {
            GraphSection::Empty
        } else {
            match layout::layout(&report.graph) {
                Some(l) => GraphSection::Drawn(l),
                None => GraphSection::TooLarge {
                    nodes: report.graph.nodes.len(),
                },
            }
        };
        let c = &report.finding_counts;
        AuditPage {
            root: report.root.clone(),
            verdict: report.summary.verdict.clone(),
            done: report.summary.done,
            total: report.summary.total,
            score: report.summary.score,
            percent: u32::from(report.summary.score.min(100)),
            steps: report.steps.iter().map(step_row).collect(),
            sections: report.sections.iter().map(step_row).collect(),
            next_steps: report.next_steps.clone(),
            services: report
                .services
                .iter()
                .map(|s| ServiceRow {
                    path: s.path.clone(),
                    name: s.name.clone(),
                    language: s.language.clone(),
                    containerized: s.containerized,
                    image_definitions: s.image_definitions.clone(),
                })
                .collect(),
            components: report
                .image_only_components
                .iter()
                .map(|s| ServiceRow {
                    path: s.path.clone(),
                    name: s.name.clone(),
                    language: String::new(),
                    containerized: true,
                    image_definitions: s.image_definitions.clone(),
                })
                .collect(),
            port_chains: report
                .graph
                .port_chains
                .iter()
                .map(|chain| ChainRow {
                    service: crate::paths::display(&chain.service).to_string(),
                    links: chain
                        .links
                        .iter()
                        .map(|l| {
                            let ports: Vec<String> = l.ports.iter().map(u16::to_string).collect();
                            (
                                format!("{} {}", l.kind.label(), ports.join(",")),
                                format!("{}:{}", l.file, l.line),
                            )
                        })
                        .collect(),
                })
                .collect(),
            counts: [
                ("error", c.error),
                ("warning", c.warning),
                ("info", c.info),
                ("suppressed", c.suppressed),
            ],
            files,
            rules,
            suppressed: report
                .suppressed
                .iter()
                .map(|s| {
                    (
                        s.finding.location.file.clone(),
                        s.finding.location.line,
                        s.finding.code.to_string(),
                        s.suppressed_by.clone(),
                    )
                })
                .collect(),
            graph,
        }
    }
}
