//! Optional ShellCheck over `RUN` bodies (`kubeready audit --shellcheck`).
//!
//! ShellCheck reads each script on standard input; nothing from the
//! audited repo is executed. Findings keep ShellCheck's codes (`SC2086`)
//! and levels (error → error, warning → warning, info/style → info) and
//! point at the Dockerfile line the script line comes from.

use crate::finding::{Finding, Location, Severity};
use crate::parse::dockerfile::{Args, DockerfileFile, Keyword};
use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// Whether a `shellcheck` binary answers on PATH.
pub fn available() -> bool {
    Command::new("shellcheck")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Interns `SCnnnn` codes: findings carry `&'static str` codes, and
/// ShellCheck has a bounded set of them.
fn code(n: u64) -> &'static str {
    static CODES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let text = format!("SC{n}");
    let Ok(mut set) = CODES.get_or_init(Default::default).lock() else {
        return "SC";
    };
    if let Some(c) = set.get(text.as_str()) {
        return c;
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    set.insert(leaked);
    leaked
}

fn run(script: &str) -> Result<Vec<serde_json::Value>, String> {
    let mut child = Command::new("shellcheck")
        .args(["-f", "json", "-s", "sh", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run shellcheck: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(script.as_bytes())
            .map_err(|e| format!("cannot write to shellcheck: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("shellcheck failed: {e}"))?;
    serde_json::from_slice(&out.stdout).map_err(|e| format!("unexpected shellcheck output: {e}"))
}

/// ShellCheck findings for every shell-form `RUN` of the Dockerfiles
/// (files with a `SHELL` instruction are skipped: their RUNs may not be sh).
pub fn check(dockerfiles: &[DockerfileFile]) -> Result<Vec<Finding>, String> {
    let mut findings = Vec::new();
    for d in dockerfiles {
        if d.dockerfile
            .instructions
            .iter()
            .any(|i| i.keyword == Keyword::Shell)
        {
            continue;
        }
        for ins in d
            .dockerfile
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Run)
        {
            let Args::Shell(_) = &ins.args else { continue };
            let Some(script) = ins.command_text() else {
                continue;
            };
            // A heredoc body starts on the line after the instruction;
            // a shell-form command is one logical line.
            let first_line = if ins.heredocs.is_empty() {
                ins.line
            } else {
                ins.line + 1
            };
            for item in run(&script)? {
                let n = item["code"].as_u64().unwrap_or(0);
                let line = item["line"].as_u64().unwrap_or(1) as u32;
                let severity = match item["level"].as_str() {
                    Some("error") => Severity::Error,
                    Some("warning") => Severity::Warning,
                    _ => Severity::Info,
                };
                let at = if ins.heredocs.is_empty() {
                    ins.line
                } else {
                    (first_line + line.saturating_sub(1)).min(ins.end_line.max(ins.line))
                };
                let message = item["message"].as_str().unwrap_or("").to_string();
                findings.push(Finding {
                    code: code(n),
                    name: "shellcheck",
                    severity,
                    location: Location::new(&d.path, at),
                    subject: format!(
                        "RUN {}: SC{n}",
                        ins.original.chars().take(80).collect::<String>()
                    ),
                    message: format!("RUN: {message}"),
                });
            }
        }
    }
    Ok(findings)
}
