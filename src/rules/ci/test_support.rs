//! Building pipelines by hand for KR3xx tests: the facts a CI parser
//! would produce, then the real graph and one rule over them.

use crate::finding::Finding;
use crate::parse::ci::{
    Job, LocatedMeaning, Meaning, Pipeline, Step, StepBody, Trigger, TriggerKind,
};
use crate::parse::Facts;
use crate::rules::{Context, Sink};
use crate::walk::CiSystem;

/// Runs rule `code` over `pipelines` (graph built as in an audit, with no
/// services).
pub fn run(code: &str, pipelines: Vec<Pipeline>) -> Vec<Finding> {
    let facts = Facts {
        pipelines,
        ..Facts::default()
    };
    run_facts(code, &facts)
}

pub fn run_facts(code: &str, facts: &Facts) -> Vec<Finding> {
    let graph = crate::graph::build_graph(facts, Vec::new());
    let rule = crate::rules::find_rule(code).expect("rule exists");
    let mut findings = Vec::new();
    let mut sink = Sink {
        doc: rule.doc(),
        findings: &mut findings,
    };
    rule.check(&Context::new(facts, &graph), &mut sink);
    findings
}

pub fn trigger(kind: TriggerKind) -> Trigger {
    Trigger {
        kind,
        line: 2,
        branches: Vec::new(),
    }
}

/// A pipeline in `file`; jobs, steps and meanings get the file.
pub fn pipeline(
    file: &str,
    system: CiSystem,
    triggers: &[TriggerKind],
    mut jobs: Vec<Job>,
) -> Pipeline {
    for j in &mut jobs {
        j.file = file.to_string();
        for s in &mut j.steps {
            s.file = file.to_string();
            for m in &mut s.meanings {
                m.file = file.to_string();
            }
        }
    }
    Pipeline {
        file: file.to_string(),
        system: Some(system),
        name: file.to_string(),
        triggers: triggers.iter().cloned().map(trigger).collect(),
        jobs,
        reusable: false,
        env: Vec::new(),
    }
}

pub fn job(id: &str, line: u32, steps: Vec<Step>) -> Job {
    Job {
        id: id.to_string(),
        line,
        steps,
        ..Job::default()
    }
}

/// A script step at `line` (its first command is at `line + 0`, as the
/// parsers locate them), classified by the real shell classifier.
pub fn script(line: u32, text: &str) -> Step {
    let meanings = kubeready_shell::classify_script(text)
        .into_iter()
        .map(|(offset, meaning)| LocatedMeaning {
            file: String::new(),
            line: line + offset,
            meaning,
        })
        .collect();
    Step {
        name: None,
        file: String::new(),
        line,
        body: StepBody::Script(text.to_string()),
        workdir: String::new(),
        meanings,
    }
}

/// An action step with the meanings its parser would give it.
pub fn action(line: u32, uses: &str, with: &[(&str, &str)], meanings: Vec<Meaning>) -> Step {
    Step {
        name: None,
        file: String::new(),
        line,
        body: StepBody::Action {
            uses: uses.to_string(),
            with: with
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
        workdir: String::new(),
        meanings: meanings
            .into_iter()
            .map(|meaning| LocatedMeaning {
                file: String::new(),
                line,
                meaning,
            })
            .collect(),
    }
}
