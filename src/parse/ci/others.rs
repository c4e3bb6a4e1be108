//! Travis CI, Drone, Woodpecker and Buildkite. Travis lives here; Drone
//! and Woodpecker (alike) in `drone`, Buildkite in `buildkite`.
//!
//! Travis: the build job's phases (`before_install` … `after_script`),
//! `deploy` providers (`provider: script` is a script step) as a job of
//! their own narrowed by `on:` (branch, `tags: true`), `jobs.include` /
//! `matrix.include` entries as jobs, `branches.only` and `if:` conditions.
//! Travis builds pushes and pull requests by default.

use super::known::{self, action_step, text, trigger};
use super::{buildkite, common, drone, Job, Pipeline, Step, Trigger, TriggerKind};
use crate::parse::{ParseProblem, ProblemKind};
use crate::walk::{CiSystem, Tree};
use kubeready_yaml::Node;

pub fn parse(
    system: CiSystem,
    tree: &Tree,
    path: &str,
    text_: &str,
    problems: &mut Vec<ParseProblem>,
) -> Vec<Pipeline> {
    match system {
        CiSystem::Drone | CiSystem::Woodpecker => drone::parse(system, tree, path, text_, problems),
        CiSystem::Buildkite => buildkite::parse(tree, path, text_, problems),
        _ => travis(tree, path, text_, problems),
    }
}

const PHASES: &[&str] = &[
    "before_install",
    "install",
    "before_script",
    "script",
    "after_success",
    "after_failure",
    "after_script",
];

fn travis(tree: &Tree, path: &str, text_: &str, problems: &mut Vec<ParseProblem>) -> Vec<Pipeline> {
    let Some(root) = common::load_yaml(path, text_, problems) else {
        return Vec::new();
    };
    if !root.is_map() {
        if !root.is_null() {
            problems.push(ParseProblem::new(
                path,
                root.line,
                ProblemKind::Partial,
                "a Travis config must be a mapping",
            ));
        }
        return Vec::new();
    }
    let only = known::strings(root.get("branches").map(|b| b.get("only").unwrap_or(b)));
    let mut triggers = vec![
        trigger(
            TriggerKind::Push,
            root.get("branches").map_or(1, |b| b.line),
            only,
        ),
        trigger(TriggerKind::PullRequest, 1, Vec::new()),
    ];
    if let Some(c) = root.get("if") {
        if let Some(t) = c.as_str().and_then(|s| travis_if(s, c.line)) {
            triggers = t;
        }
    }
    let mut jobs = Vec::new();
    let include = root
        .get("jobs")
        .or_else(|| root.get("matrix"))
        .and_then(|j| j.get("include"))
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    if include.is_empty() {
        jobs.push(travis_job(tree, path, &root, None, "build", 1));
    }
    for (i, item) in include.iter().enumerate() {
        let name = text(item.get("name"))
            .or_else(|| text(item.get("stage")))
            .unwrap_or_else(|| format!("job {}", i + 1));
        let mut job = travis_job(tree, path, &root, Some(item), &name, item.line);
        if let Some(c) = item.get("if") {
            job.triggers = c.as_str().and_then(|s| travis_if(s, c.line));
        }
        jobs.push(job);
    }
    let mut deploys = Vec::new();
    for (i, item) in include.iter().enumerate() {
        deploys.extend(travis_deploys(
            tree,
            path,
            item.get("deploy"),
            &format!("deploy {}", i + 1),
        ));
    }
    deploys.extend(travis_deploys(tree, path, root.get("deploy"), "deploy"));
    jobs.extend(deploys);
    vec![Pipeline {
        file: path.to_string(),
        system: Some(CiSystem::Travis),
        name: path.to_string(),
        triggers,
        jobs,
        reusable: false,
        env: Vec::new(),
    }]
}

/// A build job: the entry's phases, else the root's.
fn travis_job(
    tree: &Tree,
    path: &str,
    root: &Node,
    item: Option<&Node>,
    name: &str,
    line: u32,
) -> Job {
    let mut steps: Vec<Step> = Vec::new();
    for phase in PHASES {
        let node = item.and_then(|i| i.get(phase)).or_else(|| root.get(phase));
        steps.extend(known::script_steps(tree, path, node, Some(phase), ""));
    }
    Job {
        id: name.to_string(),
        name: name.to_string(),
        file: path.to_string(),
        line,
        steps,
        ..Default::default()
    }
}

/// `deploy:` (one provider or a list) as jobs narrowed by `on:`.
fn travis_deploys(tree: &Tree, path: &str, node: Option<&Node>, id: &str) -> Vec<Job> {
    let Some(node) = node else { return Vec::new() };
    let providers: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    let mut out = Vec::new();
    for (i, d) in providers.into_iter().enumerate() {
        let Some(provider) = text(d.get("provider")) else {
            continue;
        };
        let mut steps = Vec::new();
        if provider == "script" {
            steps.extend(known::script_steps(
                tree,
                path,
                d.get("script"),
                Some("deploy"),
                "",
            ));
        } else {
            steps.push(action_step(
                path,
                d.line,
                Some("deploy".into()),
                &provider,
                known::pairs(Some(d)),
                "",
                Vec::new(),
            ));
        }
        let on = d.get("on");
        let line = on.map_or(d.line, |o| o.line);
        let mut triggers = Vec::new();
        if on.and_then(|o| o.get("tags")).and_then(Node::as_bool) == Some(true) {
            triggers.push(trigger(TriggerKind::Tag, line, Vec::new()));
        } else {
            let branches = known::strings(on.and_then(|o| o.get("branch")));
            triggers.push(trigger(TriggerKind::Push, line, branches));
        }
        let id = if i == 0 {
            id.to_string()
        } else {
            format!("{id} ({provider})")
        };
        out.push(Job {
            id: id.clone(),
            name: id,
            file: path.to_string(),
            line: d.line,
            triggers: Some(triggers),
            steps,
            ..Default::default()
        });
    }
    out
}

/// A Travis `if:` condition: `branch = main`, `tag IS present`,
/// `type = pull_request|push|cron|api`, joined by AND/OR.
fn travis_if(cond: &str, line: u32) -> Option<Vec<Trigger>> {
    let c = cond.to_ascii_lowercase();
    let words: Vec<&str> = c
        .split(|ch: char| ch.is_whitespace() || "()=,".contains(ch))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<Trigger> = Vec::new();
    let mut branches = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        match *w {
            "branch" if next != "in" && next != "!" => {
                branches.push(next.trim_matches('"').trim_matches('\'').to_string())
            }
            "tag" if next == "is" && words.get(i + 2) == Some(&"present") => {
                out.push(trigger(TriggerKind::Tag, line, Vec::new()))
            }
            "type" => {
                for v in words
                    .iter()
                    .skip(i + 1)
                    .take_while(|v| !matches!(**v, "and" | "or"))
                {
                    let k = match *v {
                        "push" => TriggerKind::Push,
                        "pull_request" => TriggerKind::PullRequest,
                        "cron" => TriggerKind::Schedule,
                        "api" => TriggerKind::Manual,
                        _ => continue,
                    };
                    if !out.iter().any(|t| t.kind == k) {
                        out.push(trigger(k, line, Vec::new()));
                    }
                }
            }
            _ => {}
        }
    }
    if !branches.is_empty() {
        match out.iter_mut().find(|t| t.kind == TriggerKind::Push) {
            Some(t) => t.branches = branches,
            None => out.insert(0, trigger(TriggerKind::Push, line, branches)),
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use crate::parse::ci::known::testing;
    use crate::parse::ci::{StepBody, TriggerKind};

    #[test]
    fn travis_phases_deploys_and_conditions() {
        let yaml = r#"language: python
services: [docker]
branches:
  only: [main]
script:
  - docker build -t acme/app:$TRAVIS_COMMIT .
  - docker run --rm acme/app:$TRAVIS_COMMIT pytest
deploy:
  - provider: script
    script: docker push acme/app:$TRAVIS_COMMIT
    on: {branch: main}
  - provider: heroku
    on: {tags: true}
jobs:
  include:
    - stage: e2e
      if: type = cron
      script: make e2e
"#;
        let (p, problems) = testing::parse(&[(".travis.yml", yaml)]);
        assert!(problems.is_empty(), "{problems:?}");
        let p = &p[0];
        assert_eq!(p.triggers[0].branches, ["main"]);
        assert_eq!(p.triggers[1].kind, TriggerKind::PullRequest);
        let ids: Vec<&str> = p.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["e2e", "deploy", "deploy (heroku)"]);
        assert_eq!(
            p.jobs[0].triggers.as_ref().unwrap()[0].kind,
            TriggerKind::Schedule
        );
        assert!(matches!(&p.jobs[0].steps[0].body, StepBody::Script(s) if s == "make e2e"));
        let d = &p.jobs[1];
        assert_eq!(d.steps[0].line, 10);
        assert_eq!(d.triggers.as_ref().unwrap()[0].branches, ["main"]);
        assert_eq!(
            p.jobs[2].triggers.as_ref().unwrap()[0].kind,
            TriggerKind::Tag
        );

        let (p, _) = testing::parse(&[(
            ".travis.yml",
            "if: branch = main AND tag IS present\nscript: make\n",
        )]);
        let k: Vec<TriggerKind> = p[0].triggers.iter().map(|t| t.kind.clone()).collect();
        assert_eq!(k, [TriggerKind::Push, TriggerKind::Tag]);
        assert_eq!(p[0].jobs[0].id, "build");
        assert_eq!(p[0].jobs[0].steps[0].line, 2);
        for y in [
            "[]",
            "deploy: 3",
            "jobs: {include: [1, {script: {}}]}",
            "script: {a: 1}",
        ] {
            let _ = testing::parse(&[(".travis.yml", y)]);
        }
    }
}
