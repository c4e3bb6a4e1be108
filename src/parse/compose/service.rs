//! The fields of one service.

use kubeready_yaml::{Entry, Node, Value};

use super::model::*;
use super::parse::{ExtendsSpec, FileParser, RawService};
use super::syntax;

/// Reads one field `key` of service `name` into `raw`.
pub(super) fn field(p: &mut FileParser, name: &str, key: &str, f: &Entry, raw: &mut RawService) {
    let what = format!("`{key}` of service `{name}`");
    let svc = &mut raw.svc;
    match key {
        "build" => raw.build = p.build(f, &format!("service `{name}`")),
        "image" => svc.image = p.string(f, &what),
        "container_name" => svc.container_name = p.string(f, &what),
        "network_mode" => svc.network_mode = p.string(f, &what),
        "user" => svc.user = p.string(f, &what),
        "restart" => svc.restart = p.string(f, &what),
        "scale" if svc.scale.is_none() => svc.scale = p.string(f, &what),
        "deploy" => {
            if let Some(r) = f.value.entry("replicas") {
                svc.scale = p.string(r, &format!("`deploy.replicas` of service `{name}`"));
            }
        }
        "privileged" => match f.value.as_bool() {
            Some(b) => svc.privileged = Some(p.loc(b, f.value.line)),
            None if f.value.is_null() => {}
            None => p.wrong(f.key.line, &what, "a boolean"),
        },
        "command" => match &f.value.value {
            Value::Scalar(s) => svc.command = Some(p.loc(s.text.clone(), f.value.line)),
            Value::Seq(items) => {
                let words: Vec<String> = items
                    .iter()
                    .filter_map(Node::as_str)
                    .map(quote_word)
                    .collect();
                svc.command = Some(p.loc(words.join(" "), f.value.line));
            }
            Value::Null => {}
            Value::Map(_) => p.wrong(f.key.line, &what, "a string or a list"),
        },
        "expose" => svc.expose = p.strings(f, &what),
        "profiles" => svc.profiles = p.strings(f, &what).into_iter().map(|l| l.value).collect(),
        "ports" => svc.ports = ports(p, f, &what),
        "volumes" => svc.volumes = volumes(p, f, &what),
        "depends_on" => svc.depends_on = depends_on(p, f, &what),
        "healthcheck" => healthcheck(p, f, &what, raw),
        "env_file" => svc.env_files = env_files(p, f, &what),
        "environment" => {
            svc.environment = p
                .pairs(f, &what)
                .into_iter()
                .map(|(key, value, line)| EnvVar {
                    key,
                    value,
                    file: p.file.to_string(),
                    line,
                })
                .collect()
        }
        "networks" => svc.networks = names(p, f, &what, None),
        "secrets" => svc.secrets = names(p, f, &what, Some("source")),
        "configs" => svc.configs = names(p, f, &what, Some("source")),
        "extends" => extends(p, f, &what, raw),
        "develop" => {
            if let Some(w) = f.value.entry("watch") {
                svc.develop_watch = Some(w.key.line);
            } else if !f.value.is_map() && !f.value.is_null() {
                p.wrong(f.key.line, &what, "a mapping");
            }
        }
        _ => {}
    }
}

/// A command word, double-quoted when it holds whitespace.
fn quote_word(w: &str) -> String {
    if w.is_empty() || w.contains(char::is_whitespace) {
        format!("\"{}\"", w.replace('"', "\\\""))
    } else {
        w.to_string()
    }
}

fn ports(p: &mut FileParser, f: &Entry, what: &str) -> Vec<PortMapping> {
    let mut out = Vec::new();
    for item in p.list(f, what) {
        let mapping = match &item.value {
            Value::Scalar(s) => syntax::short_port(&s.text).map(|sp| PortMapping {
                file: p.file.to_string(),
                line: item.line,
                host_ip: sp.host_ip,
                host: sp.host,
                container: sp.container,
                protocol: sp.protocol,
            }),
            Value::Map(_) => item
                .get("target")
                .and_then(Node::as_str)
                .map(|target| PortMapping {
                    file: p.file.to_string(),
                    line: item.line,
                    host_ip: item
                        .get("host_ip")
                        .and_then(Node::as_str)
                        .map(str::to_string),
                    host: item
                        .get("published")
                        .and_then(Node::as_str)
                        .map(str::to_string),
                    container: target.to_string(),
                    protocol: item
                        .get("protocol")
                        .and_then(Node::as_str)
                        .map(str::to_string),
                }),
            _ => None,
        };
        match mapping {
            Some(m) => out.push(m),
            None => p.wrong(
                item.line,
                &format!("a port of {what}"),
                "`[[ip:]host:]container[/protocol]` or a mapping with `target`",
            ),
        }
    }
    out
}

fn volumes(p: &mut FileParser, f: &Entry, what: &str) -> Vec<VolumeMount> {
    let mut out = Vec::new();
    for item in p.list(f, what) {
        let mount = match &item.value {
            Value::Scalar(s) => syntax::short_volume(&s.text, p.dir).map(|v| VolumeMount {
                file: p.file.to_string(),
                line: item.line,
                kind: v.kind,
                source: v.source,
                target: v.target,
                read_only: v.read_only,
            }),
            Value::Map(_) => item.get("target").and_then(Node::as_str).map(|target| {
                let source = item.get("source").and_then(Node::as_str);
                let kind = match item.get("type").and_then(Node::as_str) {
                    Some("bind") => MountKind::Bind,
                    Some("volume") => MountKind::Volume,
                    Some("tmpfs") => MountKind::Tmpfs,
                    Some(_) => MountKind::Other,
                    None if source.is_some_and(syntax::is_host_path) => MountKind::Bind,
                    None => MountKind::Volume,
                };
                let source = source.map(|s| {
                    if kind == MountKind::Bind {
                        syntax::resolve_host(p.dir, s)
                    } else {
                        s.to_string()
                    }
                });
                VolumeMount {
                    file: p.file.to_string(),
                    line: item.line,
                    kind,
                    source,
                    target: target.to_string(),
                    read_only: item
                        .get("read_only")
                        .and_then(Node::as_bool)
                        .unwrap_or(false),
                }
            }),
            _ => None,
        };
        match mount {
            Some(m) => out.push(m),
            None => p.wrong(
                item.line,
                &format!("a volume of {what}"),
                "`[source:]target[:mode]` or a mapping with `target`",
            ),
        }
    }
    out
}

fn depends_on(p: &mut FileParser, f: &Entry, what: &str) -> Vec<Dependency> {
    let dep = |p: &FileParser, service: &str, condition: Option<&str>, line: u32| Dependency {
        service: service.to_string(),
        condition: condition.map(str::to_string),
        file: p.file.to_string(),
        line,
    };
    match &f.value.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|e| {
                Some(dep(
                    p,
                    e.key_str()?,
                    e.value.get("condition").and_then(Node::as_str),
                    e.key.line,
                ))
            })
            .collect(),
        Value::Seq(_) => p
            .strings(f, what)
            .into_iter()
            .map(|s| dep(p, &s.value, None, s.line))
            .collect(),
        Value::Null => Vec::new(),
        Value::Scalar(_) => {
            p.wrong(f.key.line, what, "a list or a mapping");
            Vec::new()
        }
    }
}

fn healthcheck(p: &mut FileParser, f: &Entry, what: &str, raw: &mut RawService) {
    let v = &f.value;
    if !v.is_map() {
        if !v.is_null() {
            p.wrong(f.key.line, what, "a mapping");
        }
        return;
    }
    let disable = v.get("disable").and_then(Node::as_bool);
    let test = v.get("test");
    // A string `test` is a `CMD-SHELL` command; only `["NONE"]` disables.
    let none_test = test
        .and_then(Node::as_seq)
        .and_then(|items| items.first())
        .and_then(Node::as_str)
        == Some("NONE");
    raw.healthcheck_decides = disable.is_some() || test.is_some();
    let command = test.and_then(|t| {
        let text = match t.as_seq() {
            Some(items) => items
                .iter()
                .filter_map(Node::as_str)
                .filter(|w| !matches!(*w, "CMD" | "CMD-SHELL"))
                .collect::<Vec<_>>()
                .join(" "),
            None => t.as_str()?.to_string(),
        };
        Some((text, v.entry("test").map_or(f.key.line, |e| e.key.line)))
    });
    raw.svc.healthcheck = Some(Healthcheck {
        file: p.file.to_string(),
        line: f.key.line,
        disabled: disable == Some(true) || none_test,
        test: command,
    });
}

fn env_files(p: &mut FileParser, f: &Entry, what: &str) -> Vec<EnvFileRef> {
    let items: Vec<&Node> = match &f.value.value {
        Value::Scalar(_) => vec![&f.value],
        Value::Seq(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        Value::Map(_) => {
            p.wrong(f.key.line, what, "a path or a list");
            Vec::new()
        }
    };
    let mut out = Vec::new();
    for item in items {
        let (path, required) = match &item.value {
            Value::Scalar(s) => (Some(s.text.as_str()), true),
            Value::Map(_) => (
                item.get("path").and_then(Node::as_str),
                item.get("required").and_then(Node::as_bool).unwrap_or(true),
            ),
            _ => (None, true),
        };
        match path {
            Some(path) => out.push(EnvFileRef {
                path: syntax::resolve_host(p.dir, path),
                required,
                file: p.file.to_string(),
                line: item.line,
            }),
            None => p.wrong(
                item.line,
                &format!("an item of {what}"),
                "a path or a mapping with `path`",
            ),
        }
    }
    out
}

/// Names from a list (strings, or mappings with `long_key`) or a mapping's keys.
fn names(
    p: &mut FileParser,
    f: &Entry,
    what: &str,
    long_key: Option<&str>,
) -> Vec<Located<String>> {
    match &f.value.value {
        Value::Map(entries) if long_key.is_none() => entries
            .iter()
            .filter_map(|e| Some(p.loc(e.key_str()?.to_string(), e.key.line)))
            .collect(),
        Value::Seq(items) => {
            let mut out = Vec::new();
            for item in items {
                let name = match (&item.value, long_key) {
                    (Value::Scalar(s), _) => Some(s.text.as_str()),
                    (Value::Map(_), Some(k)) => item.get(k).and_then(Node::as_str),
                    _ => None,
                };
                match name {
                    Some(n) => out.push(p.loc(n.to_string(), item.line)),
                    None => p.wrong(item.line, &format!("an item of {what}"), "a name"),
                }
            }
            out
        }
        Value::Null => Vec::new(),
        _ => {
            p.wrong(
                f.key.line,
                what,
                if long_key.is_some() {
                    "a list"
                } else {
                    "a list or a mapping"
                },
            );
            Vec::new()
        }
    }
}

fn extends(p: &mut FileParser, f: &Entry, what: &str, raw: &mut RawService) {
    let (service, file) = match &f.value.value {
        Value::Scalar(s) => (Some(s.text.clone()), None),
        Value::Map(_) => (
            f.value
                .get("service")
                .and_then(Node::as_str)
                .map(str::to_string),
            f.value
                .get("file")
                .and_then(Node::as_str)
                .map(str::to_string),
        ),
        _ => (None, None),
    };
    let Some(service) = service else {
        p.wrong(
            f.key.line,
            what,
            "a service name or a mapping with `service`",
        );
        return;
    };
    raw.svc.extends = Some(p.loc(service.clone(), f.key.line));
    raw.extends = Some(ExtendsSpec {
        service,
        file,
        line: f.key.line,
    });
}
