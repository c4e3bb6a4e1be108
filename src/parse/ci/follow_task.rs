//! Reading a Taskfile (go-task) as CI's follower needs it: the task a name
//! or alias selects, its `deps`, its `cmds` (shell lines and `task:` calls)
//! with `{{ .VAR }}` templates expanded from the file's, the task's and the
//! command line's `vars`, and its `dir`.

use kubeready_yaml::Node;

/// The names `task` looks for in a folder, in order.
pub const TASKFILE_NAMES: &[&str] = &[
    "Taskfile.yml",
    "taskfile.yml",
    "Taskfile.yaml",
    "taskfile.yaml",
    "Taskfile.dist.yml",
    "taskfile.dist.yml",
    "Taskfile.dist.yaml",
    "taskfile.dist.yaml",
];

/// What a task does, in order: its dependencies, then its commands.
#[derive(Debug, Default)]
pub struct TaskPlan {
    /// The task's own name (an alias resolved).
    pub name: String,
    /// `dir:`, relative to the Taskfile's folder.
    pub dir: Option<String>,
    pub steps: Vec<TaskStep>,
}

#[derive(Debug, PartialEq)]
pub enum TaskStep {
    /// A shell command and the line its text starts on.
    Shell { line: u32, script: String },
    /// Another task, with the variables the call passes.
    Task {
        name: String,
        vars: Vec<(String, String)>,
    },
}

/// Scalar variables of a `vars:` map (`sh:` variables are skipped: their
/// value is known only when the command runs).
fn scalar_vars(node: Option<&Node>) -> Vec<(String, String)> {
    node.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key_str()?.to_string(), e.value.as_str()?.to_string())))
        .collect()
}

/// Expands `{{ .NAME }}`/`{{.NAME}}` from `vars` (later entries win),
/// three rounds for variables defined from others.
pub fn expand(text: &str, vars: &[(String, String)]) -> String {
    let mut s = text.to_string();
    for _ in 0..3 {
        if !s.contains("{{") {
            break;
        }
        for (n, v) in vars.iter().rev() {
            for pat in [format!("{{{{ .{n} }}}}"), format!("{{{{.{n}}}}}")] {
                if s.contains(&pat) {
                    s = s.replace(&pat, v);
                }
            }
        }
    }
    s
}

/// The task `name` (or the `default` task when `None`) of a Taskfile, with
/// `cli_vars` (`task build IMAGE=x`) set over the file's variables.
pub fn plan(text: &str, name: Option<&str>, cli_vars: &[(String, String)]) -> Option<TaskPlan> {
    let loaded = kubeready_yaml::load(text, &kubeready_yaml::Limits::default());
    let doc = loaded.documents.first()?;
    let tasks = doc.get("tasks")?.as_map()?;
    let wanted = name.unwrap_or("default");
    let entry = tasks
        .iter()
        .find(|e| e.key_str() == Some(wanted))
        .or_else(|| {
            tasks.iter().find(|e| {
                e.value
                    .get("aliases")
                    .map(|a| a.str_or_seq())
                    .unwrap_or_default()
                    .iter()
                    .any(|a| a.as_str() == Some(wanted))
            })
        })?;
    let task = &entry.value;
    let mut vars = scalar_vars(doc.get("vars"));
    vars.extend(scalar_vars(task.get("vars")));
    vars.extend(cli_vars.iter().cloned());
    let mut plan = TaskPlan {
        name: entry.key_str().unwrap_or(wanted).to_string(),
        dir: task
            .get("dir")
            .and_then(Node::as_str)
            .map(|d| expand(d, &vars)),
        steps: Vec::new(),
    };
    let call = |n: &Node| -> Option<TaskStep> {
        let name = n
            .as_str()
            .or_else(|| n.get("task").and_then(Node::as_str))?;
        Some(TaskStep::Task {
            name: expand(name, &vars),
            vars: scalar_vars(n.get("vars"))
                .into_iter()
                .map(|(k, v)| (k, expand(&v, &vars)))
                .collect(),
        })
    };
    for d in task.get("deps").map(Node::str_or_seq).unwrap_or_default() {
        plan.steps.extend(call(d));
    }
    let cmds = match task.as_seq() {
        // A task written as a bare list of commands.
        Some(items) => items.iter().collect(),
        None => task.get("cmds").map(Node::str_or_seq).unwrap_or_default(),
    };
    for c in cmds {
        if c.get("task").is_some() {
            plan.steps.extend(call(c));
            continue;
        }
        let node = if c.as_str().is_some() {
            Some(c)
        } else {
            c.get("cmd")
        };
        if let Some(n) = node {
            if let Some(script) = n.as_str() {
                plan.steps.push(TaskStep::Shell {
                    line: super::known::script_line(n),
                    script: expand(script, &vars),
                });
            }
        }
    }
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TASKFILE: &str = "version: '3'
vars:
  TOOL_DIR: .tool
  RELEASER: '{{ .TOOL_DIR }}/goreleaser'
  SNAPSHOT_CMD: '{{.RELEASER}} release --snapshot'
tasks:
  snapshot:
    aliases: [build]
    deps: [tools]
    cmds:
      - silent: true
        cmd: echo hi
      - '{{ .SNAPSHOT_CMD }}'
      - task: smoke
        vars: { IMAGE: 'acme/{{ .TOOL_DIR }}' }
  tools: [echo tools]
  smoke:
    dir: test
    cmds:
      - |
        docker run {{ .IMAGE }}
";

    #[test]
    fn tasks_aliases_deps_and_templates() {
        let p = plan(TASKFILE, Some("build"), &[]).unwrap_or_else(|| unreachable!());
        assert_eq!(p.name, "snapshot");
        assert_eq!(
            p.steps,
            vec![
                TaskStep::Task {
                    name: "tools".into(),
                    vars: vec![]
                },
                TaskStep::Shell {
                    line: 12,
                    script: "echo hi".into()
                },
                TaskStep::Shell {
                    line: 13,
                    script: ".tool/goreleaser release --snapshot".into()
                },
                TaskStep::Task {
                    name: "smoke".into(),
                    vars: vec![("IMAGE".into(), "acme/.tool".into())]
                },
            ]
        );
        let p = plan(TASKFILE, Some("smoke"), &[("IMAGE".into(), "x/y".into())])
            .unwrap_or_else(|| unreachable!());
        assert_eq!(p.dir.as_deref(), Some("test"));
        assert_eq!(
            p.steps,
            vec![TaskStep::Shell {
                line: 21,
                script: "docker run x/y\n".into()
            }]
        );
        let p = plan(TASKFILE, Some("tools"), &[]).unwrap_or_else(|| unreachable!());
        assert_eq!(p.steps.len(), 1);
        assert!(plan(TASKFILE, Some("nope"), &[]).is_none());
    }
}
