//! Tiltfiles (Starlark, read as text): `docker_build`/`custom_build` image
//! builds and what `k8s_yaml`, `helm`, `kustomize` and `helm_resource` deploy.
//!
//! One pass over the text with a stack of open brackets, so nested calls
//! (`k8s_yaml(helm('chart'))`) are all seen and the work stays linear.

use super::model::{
    BuildArtifact, DeployRef, DeployTool, ImageMention, MentionSource, OrchestrationFacts,
};
use super::util::resolve;
use crate::paths;

const CALLS: &[&str] = &[
    "docker_build",
    "custom_build",
    "k8s_yaml",
    "helm",
    "kustomize",
    "helm_resource",
];
const MAX_DEPTH: usize = 256;

#[derive(Debug, PartialEq)]
enum Arg {
    Str(String),
    List(Vec<String>),
    Other,
}

#[derive(Debug)]
struct Call {
    name: &'static str,
    line: u32,
    /// Positional arguments, then keyword ones.
    positional: Vec<Arg>,
    keywords: Vec<(String, Arg)>,
}

impl Call {
    fn arg(&self, pos: usize, key: &str) -> Option<&Arg> {
        self.keywords
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, a)| a)
            .or_else(|| self.positional.get(pos))
    }

    fn str_arg(&self, pos: usize, key: &str) -> Option<&str> {
        match self.arg(pos, key) {
            Some(Arg::Str(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

pub fn is_tiltfile(path: &str) -> bool {
    paths::file_name(path).eq_ignore_ascii_case("tiltfile")
}

pub fn parse_tiltfile(file: &str, text: &str, facts: &mut OrchestrationFacts) {
    let dir = paths::parent(file);
    let mut calls = scan(text);
    calls.sort_by_key(|c| c.line);
    for c in &calls {
        let deploy = |tool: DeployTool, raw: &str| DeployRef {
            file: file.to_string(),
            line: c.line,
            tool,
            raw: raw.to_string(),
            path: resolve(dir, raw),
            profile: None,
            source: MentionSource::Tilt,
        };
        match c.name {
            "docker_build" | "custom_build" => {
                let Some(image) = c.str_arg(0, "ref") else {
                    continue;
                };
                let (context, dockerfile) = if c.name == "docker_build" {
                    let context = c.str_arg(1, "context").and_then(|ctx| resolve(dir, ctx));
                    let dockerfile = match c.str_arg(usize::MAX, "dockerfile") {
                        Some(df) => resolve(dir, df),
                        None => context
                            .as_deref()
                            .and_then(|ctx| resolve(ctx, "Dockerfile")),
                    };
                    (context, dockerfile)
                } else {
                    (None, None)
                };
                let builder = if c.name == "docker_build" {
                    "docker"
                } else {
                    "custom"
                };
                facts.artifacts.push(BuildArtifact {
                    file: file.to_string(),
                    line: c.line,
                    image: image.to_string(),
                    context,
                    dockerfile,
                    builder: builder.to_string(),
                    profile: None,
                    source: MentionSource::Tilt,
                });
                facts.mentions.push(ImageMention {
                    file: file.to_string(),
                    line: c.line,
                    image: image.to_string(),
                    source: MentionSource::Tilt,
                });
            }
            "k8s_yaml" => match c.arg(0, "yaml") {
                Some(Arg::Str(s)) => facts.deploys.push(deploy(DeployTool::Kubectl, s)),
                Some(Arg::List(items)) => facts
                    .deploys
                    .extend(items.iter().map(|s| deploy(DeployTool::Kubectl, s))),
                _ => {}
            },
            "helm" => {
                if let Some(chart) = c.str_arg(0, "paths") {
                    facts.deploys.push(deploy(DeployTool::Helm, chart));
                }
            }
            "helm_resource" => {
                if let Some(chart) = c.str_arg(1, "chart") {
                    facts.deploys.push(deploy(DeployTool::Helm, chart));
                }
            }
            "kustomize" => {
                if let Some(dir) = c.str_arg(0, "pathToDir") {
                    facts.deploys.push(deploy(DeployTool::Kustomize, dir));
                }
            }
            _ => {}
        }
    }
}

/// An open bracket; `call` when it opens the arguments of a tracked call.
struct Frame {
    call: Option<(&'static str, u32)>,
    arg_start: usize,
    args: Vec<(usize, usize)>,
}

fn scan(text: &str) -> Vec<Call> {
    let b = text.as_bytes();
    let (mut i, mut line) = (0usize, 1u32);
    let mut stack: Vec<Frame> = Vec::new();
    let mut overflow = 0usize;
    let mut pending: Option<(&'static str, u32)> = None;
    let mut calls = Vec::new();
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(b, i, &mut line);
                pending = None;
                continue;
            }
            b'\n' => line += 1,
            b'(' | b'[' | b'{' => {
                if stack.len() >= MAX_DEPTH {
                    overflow += 1;
                } else {
                    let call = if c == b'(' { pending.take() } else { None };
                    stack.push(Frame {
                        call,
                        arg_start: i + 1,
                        args: Vec::new(),
                    });
                }
            }
            b')' | b']' | b'}' => {
                if overflow > 0 {
                    overflow -= 1;
                } else if let Some(mut f) = stack.pop() {
                    if let Some((name, l)) = f.call {
                        f.args.push((f.arg_start, i));
                        calls.push(make_call(text, name, l, &f.args));
                    }
                }
            }
            b',' if overflow == 0 => {
                if let Some(f) = stack.last_mut() {
                    f.args.push((f.arg_start, i));
                    f.arg_start = i + 1;
                }
            }
            _ if c == b'_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && (b[i] == b'_' || b[i] == b'.' || b[i].is_ascii_alphanumeric())
                {
                    i += 1;
                }
                let word = &text[start..i];
                pending = CALLS.iter().find(|n| **n == word).map(|n| (*n, line));
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                if b.get(i) != Some(&b'(') {
                    pending = None;
                }
                continue;
            }
            _ => {}
        }
        pending = None;
        i += 1;
    }
    calls
}

/// Skips a string literal (single, double or triple quoted) starting at
/// `i`; returns the index after it, counting newlines.
fn skip_string(b: &[u8], mut i: usize, line: &mut u32) -> usize {
    let q = b[i];
    let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
    i += if triple { 3 } else { 1 };
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if b.get(i + 1) == Some(&b'\n') {
                    *line += 1;
                }
                i += 2;
                continue;
            }
            b'\n' if !triple => return i,
            b'\n' => *line += 1,
            c if c == q && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q))) => {
                return i + if triple { 3 } else { 1 };
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

fn make_call(text: &str, name: &'static str, line: u32, spans: &[(usize, usize)]) -> Call {
    let mut call = Call {
        name,
        line,
        positional: Vec::new(),
        keywords: Vec::new(),
    };
    for &(s, e) in spans {
        let arg = text.get(s..e).unwrap_or_default().trim();
        if arg.is_empty() {
            continue;
        }
        let ident_len = arg
            .bytes()
            .take_while(|c| *c == b'_' || c.is_ascii_alphanumeric())
            .count();
        let rest = arg[ident_len..].trim_start();
        if ident_len > 0 && rest.starts_with('=') && !rest.starts_with("==") {
            call.keywords
                .push((arg[..ident_len].to_string(), value(rest[1..].trim())));
        } else {
            call.positional.push(value(arg));
        }
    }
    call
}

/// A string literal, a list of string literals, or anything else.
fn value(s: &str) -> Arg {
    if let Some((lit, rest)) = literal(s) {
        return if rest.trim().is_empty() {
            Arg::Str(lit)
        } else {
            Arg::Other
        };
    }
    let Some(mut rest) = s.strip_prefix('[') else {
        return Arg::Other;
    };
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(']') {
            return if after.trim().is_empty() {
                Arg::List(items)
            } else {
                Arg::Other
            };
        }
        let Some((lit, after)) = literal(rest) else {
            return Arg::Other;
        };
        items.push(lit);
        rest = after.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

/// A leading single-line string literal and the text after it.
fn literal(s: &str) -> Option<(String, &str)> {
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &s[1..];
    let end = body.find(q)?;
    let lit = &body[..end];
    (!lit.contains('\\') && !lit.contains('\n')).then(|| (lit.to_string(), &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiltfile() {
        let mut f = OrchestrationFacts::default();
        parse_tiltfile(
            "dev/Tiltfile",
            "# docker_build('ignored', '.')\nload('ext://helm_resource', 'helm_resource')\ndocker_build('acme/api', '../services/api',\n    dockerfile='../services/api/Dockerfile.dev', live_update=[sync('.', '/app')])\ndocker_build(ref=\"acme/web\", context='web')\ncustom_build('acme/jvm', './gradlew jib', deps=['src'])\nk8s_yaml(['k8s/api.yaml', \"k8s/web.yaml\"])\nk8s_yaml(helm('../charts/api', values=['v.yaml']))\nk8s_yaml(kustomize('overlays/dev'))\nhelm_resource('redis', 'bitnami/redis')\ns = \"\"\"k8s_yaml('no.yaml')\n\"\"\"\nk8s_yaml(x)\n",
            &mut f,
        );
        let m: Vec<_> = f
            .mentions
            .iter()
            .map(|m| (m.line, m.image.as_str()))
            .collect();
        assert_eq!(m, vec![(3, "acme/api"), (5, "acme/web"), (6, "acme/jvm")]);
        let a: Vec<_> = f
            .artifacts
            .iter()
            .map(|a| {
                (
                    a.context.as_deref(),
                    a.dockerfile.as_deref(),
                    a.builder.as_str(),
                )
            })
            .collect();
        assert_eq!(
            a,
            vec![
                (
                    Some("services/api"),
                    Some("services/api/Dockerfile.dev"),
                    "docker"
                ),
                (Some("dev/web"), Some("dev/web/Dockerfile"), "docker"),
                (None, None, "custom"),
            ]
        );
        let d: Vec<_> = f
            .deploys
            .iter()
            .map(|d| (d.line, d.tool, d.raw.as_str(), d.path.as_deref()))
            .collect();
        assert_eq!(
            d,
            vec![
                (
                    7,
                    DeployTool::Kubectl,
                    "k8s/api.yaml",
                    Some("dev/k8s/api.yaml")
                ),
                (
                    7,
                    DeployTool::Kubectl,
                    "k8s/web.yaml",
                    Some("dev/k8s/web.yaml")
                ),
                (8, DeployTool::Helm, "../charts/api", Some("charts/api")),
                (
                    9,
                    DeployTool::Kustomize,
                    "overlays/dev",
                    Some("dev/overlays/dev")
                ),
                (
                    10,
                    DeployTool::Helm,
                    "bitnami/redis",
                    Some("dev/bitnami/redis")
                ),
            ]
        );
    }

    #[test]
    fn hostile_input_is_linear_and_safe() {
        let deep = "k8s_yaml(".repeat(20_000) + &")".repeat(20_000);
        let calls = scan(&deep);
        assert_eq!(calls.len(), MAX_DEPTH);
        for t in [
            "docker_build('",
            "docker_build(\"\"\"",
            "k8s_yaml([",
            ")))]]]",
            "é(é'é",
        ] {
            let mut f = OrchestrationFacts::default();
            parse_tiltfile("Tiltfile", t, &mut f);
        }
    }
}
