//! Step 1: a Dockerfile for one service.
//!
//! How the step is scored is [`EXPLAIN`], the one copy: `kubeready
//! explain` prints it and the README's scoring list is checked against it.

use super::describe_service;
use crate::checklist::{Evidence, Status, StepContext, StepId, StepResult};
use crate::finding::Severity;
use crate::parse::dockerfile::{DockerfileFile, Keyword};

/// How this step is judged (printed by `kubeready explain`).
pub const EXPLAIN: &str = "Step 1: a Dockerfile for one service.

Each Dockerfile earns up to 10 points: 4 when it parses and has a
`FROM`, 3 when its final stage has `CMD`/`ENTRYPOINT` (itself, through
the stages it builds on, or from a base that runs a server by itself such as
`nginx` or `php:*-apache`),
and 3 when no error-severity finding is located in it. The step's score
is the best Dockerfile's; done at 10, partial when Dockerfiles exist but
none qualifies, missing when there is none.";

pub use crate::graph::image::is_runtime_base;

pub struct Qualification {
    pub points: u8,
    pub has_from: bool,
    pub runs_something: bool,
    pub cmd_line: Option<u32>,
    pub base: Option<(String, u32)>,
    pub errors: usize,
}

pub fn qualify(d: &DockerfileFile, error_count: usize) -> Qualification {
    let df = &d.dockerfile;
    let stages = df.stages();
    let has_from = !stages.is_empty() && df.errors.is_empty();
    let args: Vec<(String, String)> = df
        .global_args()
        .into_iter()
        .filter_map(|(kv, _)| kv.value.map(|v| (kv.key, v)))
        .collect();
    let lookup = |name: &str| args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    // Walk the final stage's ancestry through stage names.
    let mut cmd_line = None;
    let mut runtime = false;
    let mut base = None;
    let mut current = stages.len().checked_sub(1);
    let mut hops = 0;
    while let Some(si) = current {
        let Some(stage) = stages.get(si) else { break };
        hops += 1;
        if let Some(ins) = df
            .instructions
            .get(stage.instructions.clone())
            .and_then(|ins| {
                ins.iter()
                    .rev()
                    .find(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
            })
        {
            cmd_line = Some(ins.line);
            break;
        }
        let resolved = kubeready_dockerfile::expand_args(&stage.base, &lookup);
        if base.is_none() {
            base = Some((resolved.clone(), stage.line));
        }
        let parent = stages[..si]
            .iter()
            .rposition(|s| s.name.as_deref() == Some(resolved.to_ascii_lowercase().as_str()));
        match parent {
            Some(p) if hops < 64 => current = Some(p),
            _ => {
                runtime = is_runtime_base(&resolved);
                if base.as_ref().is_some_and(|(b, _)| b != &resolved) {
                    base = Some((resolved, stage.line));
                }
                break;
            }
        }
    }
    let runs_something = cmd_line.is_some() || runtime;
    let mut points = 0;
    if has_from {
        points += 4;
        if runs_something {
            points += 3;
        }
        if error_count == 0 {
            points += 3;
        }
    }
    Qualification {
        points,
        has_from,
        runs_something,
        cmd_line,
        base,
        errors: error_count,
    }
}

pub fn evaluate(cx: &StepContext<'_>) -> StepResult {
    let id = StepId::Dockerfile;
    // Only the app's image definitions count (not fixtures or examples,
    // nor CI, test or development images).
    let dockerfiles: Vec<&DockerfileFile> = cx
        .facts
        .dockerfiles
        .iter()
        .filter(|d| cx.graph.defines_app_image(&d.path))
        .collect();
    if dockerfiles.is_empty() {
        let mut r = StepResult::new(id, Status::Missing, 0, "no Dockerfile found");
        if let Some(s) = first_service(cx) {
            r.next_steps
                .push(format!("Write a Dockerfile for {}.", describe_service(s)));
        } else if !cx.graph.image_defs.is_empty() {
            return StepResult::new(id, Status::Done, 10, "images are built without Dockerfiles");
        }
        return r;
    }
    // Error findings per file, counted once (not once per Dockerfile).
    let mut errors_in: std::collections::HashMap<&str, usize> = Default::default();
    for f in cx.findings.iter().filter(|f| f.severity == Severity::Error) {
        *errors_in.entry(f.location.file.as_str()).or_default() += 1;
    }
    let errors_of = |d: &DockerfileFile| errors_in.get(d.path.as_str()).copied().unwrap_or(0);
    let mut best: Option<(&DockerfileFile, Qualification)> = None;
    for &d in &dockerfiles {
        let q = qualify(d, errors_of(d));
        if best.as_ref().is_none_or(|(_, bq)| q.points > bq.points) {
            best = Some((d, q));
        }
    }
    let Some((d, q)) = best else {
        return StepResult::new(id, Status::Missing, 0, "no Dockerfile found");
    };
    let qualifying = dockerfiles
        .iter()
        .filter(|df| qualify(df, errors_of(df)).points == 10)
        .count();
    let status = if q.points == 10 {
        Status::Done
    } else {
        Status::Partial
    };
    let summary = if status == Status::Done {
        format!(
            "`{}` qualifies ({} of {} Dockerfiles)",
            d.path,
            qualifying,
            dockerfiles.len()
        )
    } else {
        format!(
            "{} Dockerfile(s), none qualifies yet; best is `{}`",
            dockerfiles.len(),
            d.path
        )
    };
    let mut r = StepResult::new(id, status, q.points, summary);
    if let Some((b, line)) = &q.base {
        r.evidence
            .push(Evidence::new(&d.path, *line, format!("FROM {b}")));
    }
    match q.cmd_line {
        Some(l) => r.evidence.push(Evidence::new(
            &d.path,
            l,
            "the final stage says what to run (CMD/ENTRYPOINT)",
        )),
        None if q.runs_something => r.evidence.push(Evidence::new(
            &d.path,
            q.base.as_ref().map(|b| b.1).unwrap_or(1),
            "the base image runs a server by itself",
        )),
        None => {}
    }
    if !q.has_from {
        let line = d.dockerfile.errors.first().map(|e| e.line).unwrap_or(1);
        r.evidence.push(Evidence::new(
            &d.path,
            line,
            "does not parse to a Dockerfile with FROM",
        ));
        r.next_steps.push(format!(
            "Fix `{}` so it parses and starts with `FROM` (see the KR903 finding).",
            d.path
        ));
    } else {
        if !q.runs_something {
            r.next_steps.push(format!("Add a `CMD` or `ENTRYPOINT` to the final stage of `{}` so the image runs the service.", d.path));
        }
        if q.errors > 0 {
            let codes: Vec<&str> = {
                let mut c: Vec<&str> = cx
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error && f.location.file == d.path)
                    .map(|f| f.code)
                    .collect();
                c.sort_unstable();
                c.dedup();
                c
            };
            r.evidence.push(Evidence::new(
                &d.path,
                1,
                format!(
                    "{} error-severity finding(s): {}",
                    q.errors,
                    codes.join(", ")
                ),
            ));
            r.next_steps.push(format!(
                "Fix the error-severity findings in `{}` ({}).",
                d.path,
                codes.join(", ")
            ));
        }
    }
    r
}

/// The service to start with: a web service first, then by path.
fn first_service<'a>(cx: &'a StepContext<'_>) -> Option<&'a crate::inventory::Service> {
    cx.graph
        .services
        .iter()
        .find(|s| s.web)
        .or_else(|| cx.graph.services.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn df(text: &str) -> DockerfileFile {
        crate::parse::dockerfile::parse("Dockerfile", text, &mut Vec::new())
    }

    #[test]
    fn cmd_in_final_stage_qualifies() {
        assert_eq!(
            qualify(&df("FROM node:20\nCMD [\"node\", \"x\"]\n"), 0).points,
            10
        );
    }

    #[test]
    fn cmd_inherited_through_stage_names() {
        let q = qualify(
            &df("FROM node:20 AS base\nCMD [\"node\"]\nFROM base AS final\nRUN echo\n"),
            0,
        );
        assert!(q.runs_something);
    }

    #[test]
    fn runtime_base_with_arg_qualifies() {
        let q = qualify(
            &df("ARG BASE=nginx:1.27\nFROM ${BASE}\nCOPY . /usr/share/nginx/html\n"),
            0,
        );
        assert!(q.runs_something);
        assert_eq!(q.points, 10);
        assert!(is_runtime_base("php:8.3-apache"));
        assert!(!is_runtime_base("php:8.3-cli"));
        assert!(!is_runtime_base("node:20"));
    }

    #[test]
    fn no_cmd_or_errors_lower_the_points() {
        assert_eq!(
            qualify(&df("FROM golang:1.22\nRUN go build\n"), 0).points,
            7
        );
        assert_eq!(qualify(&df("FROM node:20\nCMD node\n"), 2).points, 7);
        assert_eq!(qualify(&df("RUN echo\n"), 0).points, 0);
    }
}
