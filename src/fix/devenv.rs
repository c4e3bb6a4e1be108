//! Step 4: `.env.example` for the variables Compose reads, a dev loop
//! (`develop.watch` in a Compose override when the Compose file has none)
//! and a "Running it in containers" section at the end of the README.

use super::compose::relative;
use super::{render, Change, Plan, Selection};
use crate::audit::Audit;
use crate::kind::RepositoryKind;
use crate::parse::compose::MountKind;
use std::path::Path;

const ENV_EXAMPLE: &str = include_str!("../../templates/env-example.tmpl");
const README_SECTION: &str = include_str!("../../templates/readme-section.md.tmpl");
const OVERRIDE: &str = include_str!("../../templates/compose/override.yml.tmpl");
const WATCH: &str = include_str!("../../templates/compose/watch.yml.tmpl");

/// The heading of the README section; its presence means done.
const HEADING: &str = "Running it in containers";

pub(super) fn plan(root: &Path, audit: &Audit, selection: &Selection, plan: &mut Plan) {
    if !selection.step("dev-env") || audit.report.repository.kind != RepositoryKind::Application {
        return;
    }
    // The Compose files as they will be: planned text first, else disk.
    let main = audit.facts.compose.iter().find(|p| !p.variant);
    let compose_texts: Vec<(String, String)> = match main {
        Some(p) => p
            .files
            .iter()
            .map(|f| (f.clone(), planned_or_disk(root, plan, f)))
            .collect(),
        None => plan
            .changes
            .iter()
            .filter(|c| c.path == super::compose::NEW_FILE)
            .map(|c| (c.path.clone(), c.new.clone()))
            .collect(),
    };
    if compose_texts.is_empty() {
        return;
    }
    env_example(root, audit, &compose_texts, plan);
    if let Some(p) = main {
        dev_loop(root, audit, p, plan);
    }
    readme(root, audit, &compose_texts, plan);
}

fn planned_or_disk(root: &Path, plan: &Plan, file: &str) -> String {
    plan.changes
        .iter()
        .find(|c| c.path == file)
        .map(|c| c.new.clone())
        .unwrap_or_else(|| std::fs::read_to_string(root.join(file)).unwrap_or_default())
}

/// `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `$NAME` references
/// (not `$$` escapes), with the default when given, in order.
pub(super) fn variables(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'$' {
                i += 1;
                continue;
            }
            if b.get(i + 1) == Some(&b'$') {
                i += 2;
                continue;
            }
            let braced = b.get(i + 1) == Some(&b'{');
            let start = if braced { i + 2 } else { i + 1 };
            let mut end = start;
            while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                end += 1;
            }
            let name = &line[start..end];
            let mut default = String::new();
            if braced && end < b.len() && b[end] != b'}' {
                let close = line[end..].find('}').map(|c| end + c).unwrap_or(b.len());
                let op = &line[end..close];
                if let Some(d) = op.strip_prefix(":-").or_else(|| op.strip_prefix('-')) {
                    default = d.to_string();
                }
                end = close;
            }
            if !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.to_string(), default));
            }
            i = end.max(i + 1);
        }
    }
    out
}

fn env_example(root: &Path, audit: &Audit, texts: &[(String, String)], plan: &mut Plan) {
    let vars: Vec<(String, String)> = {
        let mut all: Vec<(String, String)> = Vec::new();
        for (_, t) in texts {
            for v in variables(t) {
                if !all.iter().any(|(n, _)| *n == v.0) {
                    all.push(v);
                }
            }
        }
        all
    };
    if vars.is_empty() {
        return;
    }
    let existing = audit
        .facts
        .devenv
        .env_templates
        .iter()
        .find(|t| !t.contains('/'))
        .cloned();
    let path = existing.unwrap_or_else(|| ".env.example".to_string());
    let full = root.join(&path);
    if full.exists() && !std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file()) {
        return;
    }
    let old = std::fs::read_to_string(&full).ok();
    let defined = |name: &str| {
        old.as_deref().is_some_and(|o| {
            o.lines().any(|l| {
                let l = l
                    .trim()
                    .trim_start_matches("export ")
                    .trim_start_matches('#')
                    .trim();
                l.split('=').next().is_some_and(|k| k.trim() == name)
            })
        })
    };
    let lines: Vec<String> = vars
        .iter()
        .filter(|(n, _)| !defined(n))
        .map(|(n, d)| format!("{n}={d}"))
        .collect();
    if lines.is_empty() {
        return;
    }
    let reason = format!(
        "step 4 dev-env: environment bootstrap for {}",
        vars.iter()
            .filter(|(n, _)| !defined(n))
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let new = match &old {
        None => render(ENV_EXAMPLE, &[("VARIABLES", lines.join("\n"))]),
        Some(o) => append(o, &lines.join("\n")),
    };
    plan.changes.push(Change {
        path,
        old,
        new,
        reasons: vec![reason],
    });
}

/// `text` with `tail` appended on lines of its own, in its line endings.
fn append(text: &str, tail: &str) -> String {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    for l in tail.lines() {
        out.push_str(l);
        out.push_str(eol);
    }
    out
}

/// A `develop.watch` override for the services an existing Compose file
/// builds, when nothing gives a dev loop yet.
fn dev_loop(
    root: &Path,
    audit: &Audit,
    p: &crate::parse::compose::ComposeProject,
    plan: &mut Plan,
) {
    let has_loop = !audit.facts.devenv.tools.is_empty()
        || audit
            .facts
            .compose
            .iter()
            .flat_map(|p| &p.services)
            .any(|s| {
                s.develop_watch.is_some()
                    || s.volumes.iter().any(|v| {
                        v.kind == MountKind::Bind
                            && v.source.as_deref().is_some_and(|s| !s.starts_with('/'))
                    })
            })
        || plan
            .changes
            .iter()
            .any(|c| c.path == p.file && c.new.contains("develop:"));
    if has_loop {
        return;
    }
    let file = p.file.rsplit('/').next().unwrap_or(&p.file);
    let override_name = match file {
        "compose.yaml" => "compose.override.yaml",
        "compose.yml" => "compose.override.yml",
        "docker-compose.yaml" => "docker-compose.override.yaml",
        "docker-compose.yml" => "docker-compose.override.yml",
        _ => {
            plan.skipped.push(format!(
                "no dev loop: `{}` has no standard name a Compose override pairs with",
                p.file
            ));
            return;
        }
    };
    let path = super::join(&p.dir, override_name);
    if root.join(&path).exists() || p.files.iter().any(|f| f.ends_with(override_name)) {
        return;
    }
    let blocks: Vec<String> = p
        .services
        .iter()
        .filter_map(|s| {
            let b = s.build.as_ref().filter(|b| !b.remote)?;
            Some(render(
                WATCH,
                &[
                    ("NAME", s.name.clone()),
                    (
                        "CONTEXT",
                        serde_json::to_string(&relative(&p.dir, &b.context)).unwrap_or_default(),
                    ),
                ],
            ))
        })
        .collect();
    if blocks.is_empty() {
        return;
    }
    plan.changes.push(Change {
        path,
        old: None,
        new: render(
            OVERRIDE,
            &[
                ("MAIN", file.to_string()),
                ("SERVICES", blocks.concat().trim_end().to_string()),
            ],
        ),
        reasons: vec!["step 4 dev-env: dev loop (`develop.watch`)".into()],
    });
}

fn readme(root: &Path, audit: &Audit, texts: &[(String, String)], plan: &mut Plan) {
    let readme = audit
        .facts
        .listing
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .filter(|f| !f.contains('/'))
        .find(|f| f.eq_ignore_ascii_case("README.md"))
        .map(str::to_string)
        .or_else(|| {
            root.join("README.md")
                .is_file()
                .then(|| "README.md".to_string())
        });
    let old = readme
        .as_ref()
        .and_then(|r| std::fs::read_to_string(root.join(r)).ok());
    let documented = audit
        .report
        .steps
        .iter()
        .find(|s| s.id == "dev-env")
        .is_some_and(|s| {
            s.evidence
                .iter()
                .any(|e| e.message.starts_with("documented container start"))
        });
    if documented || old.as_deref().is_some_and(|o| o.contains(HEADING)) {
        return;
    }
    let path = readme.unwrap_or_else(|| "README.md".to_string());
    if old.is_none() && root.join(&path).exists() {
        return;
    }
    let env_step = if plan
        .changes
        .iter()
        .any(|c| c.path.ends_with(".env.example"))
        || root.join(".env.example").is_file()
    {
        "cp .env.example .env   # once; every variable has a default".to_string()
    } else {
        String::new()
    };
    let mut services = Vec::new();
    for (_, t) in texts {
        for (name, host) in published(t) {
            services.push(format!("- `{name}`: http://localhost:{host}"));
        }
    }
    let services = if services.is_empty() {
        String::new()
    } else {
        format!("Once it is up:\n\n{}\n", services.join("\n"))
    };
    let section = render(
        README_SECTION,
        &[("ENV_STEP", env_step), ("SERVICES", services)],
    );
    let new = match &old {
        Some(o) => append(o, &section),
        None => section.trim_start().to_string(),
    };
    plan.changes.push(Change {
        path,
        old,
        new,
        reasons: vec!["step 4 dev-env: documented container start".into()],
    });
}

/// `(service, host port)` of the `"HOST:CONTAINER"` ports a Compose text
/// publishes (the scaffold's own notation).
fn published(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut service = String::new();
    let mut in_services = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            in_services = line.trim_end() == "services:";
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if in_services && indent == 2 && t.ends_with(':') && !t.starts_with('#') {
            service = t.trim_end_matches(':').to_string();
        }
        if let Some(rest) = t.strip_prefix("- \"") {
            let parts: Vec<&str> = rest.trim_end_matches('"').split(':').collect();
            if parts.len() == 2 && parts.iter().all(|p| p.parse::<u16>().is_ok()) {
                out.push((service.clone(), parts[0].to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn variables_with_defaults_and_escapes() {
        let v = variables(
            "  a: ${DATABASE_URL:-postgres://x@y:5432/z}\n  b: $$HOME ${TAG-1} $PLAIN\n  # ${NOT}\n  c: \"${DATABASE_URL}\"\n",
        );
        assert_eq!(
            v,
            vec![
                ("DATABASE_URL".into(), "postgres://x@y:5432/z".into()),
                ("TAG".into(), "1".into()),
                ("PLAIN".into(), String::new()),
            ]
        );
    }

    #[test]
    fn appends_in_the_files_line_endings() {
        assert_eq!(append("A=1", "B=2"), "A=1\nB=2\n");
        assert_eq!(append("A=1\r\n", "B=2"), "A=1\r\nB=2\r\n");
    }

    #[test]
    fn published_ports() {
        let t = "services:\n  api:\n    ports:\n      - \"8080:8080\"\n  db:\n    image: x\n";
        assert_eq!(published(t), vec![("api".into(), "8080".into())]);
    }
}
