//! One Compose document (already interpolated) into a raw model, before
//! includes, `extends` and override merging. Wrong shapes become
//! `Partial` problems and the part is skipped.

use kubeready_yaml::{Entry, Node, Value};

use super::model::*;
use super::service;
use super::syntax;
use crate::parse::{ParseProblem, ProblemKind};

/// A `build:` as written; the Dockerfile is resolved once the context is
/// known (it may come from another file after merging).
#[derive(Clone, Debug, Default)]
pub(super) struct RawBuild {
    pub file: String,
    pub line: u32,
    /// The directory the default context (`.`) resolves to.
    pub dir: String,
    /// Resolved context, and whether it is remote.
    pub context: Option<(String, bool)>,
    pub dockerfile: Option<String>,
    pub dockerfile_inline: Option<bool>,
    pub target: Option<String>,
    pub args: Vec<(String, String)>,
}

/// `extends:` as written.
#[derive(Clone, Debug)]
pub(super) struct ExtendsSpec {
    pub service: String,
    /// The other file, relative to the declaring file's directory.
    pub file: Option<String>,
    pub line: u32,
}

/// A service before extends resolution and finalisation.
#[derive(Clone, Debug, Default)]
pub(super) struct RawService {
    pub svc: ComposeService,
    pub build: Option<RawBuild>,
    pub extends: Option<ExtendsSpec>,
    /// The healthcheck says whether it is disabled (`test`/`disable`).
    pub healthcheck_decides: bool,
    /// Keys tagged `!reset` (cleared when merged) and `!override`
    /// (replaced, not merged).
    pub reset: Vec<String>,
    pub replace: Vec<String>,
}

/// An `include:` item as written.
#[derive(Clone, Debug, Default)]
pub(super) struct IncludeSpec {
    pub paths: Vec<String>,
    pub project_directory: Option<String>,
    pub env_files: Vec<String>,
    pub line: u32,
}

/// A project's content as it is built up from files.
#[derive(Clone, Debug, Default)]
pub(super) struct Model {
    pub files: Vec<String>,
    pub name: Option<String>,
    pub version: Option<Located<String>>,
    pub services: Vec<RawService>,
    pub networks: Vec<Located<String>>,
    pub volumes: Vec<Located<String>>,
    pub secrets: Vec<Located<String>>,
    pub configs: Vec<Located<String>>,
    pub variables: Vec<VariableRef>,
    pub includes: Vec<Located<String>>,
}

/// Reads nodes of one file, recording problems against it.
pub(super) struct FileParser<'a> {
    pub file: &'a str,
    /// Relative paths in the file resolve against this directory.
    pub dir: &'a str,
    pub problems: &'a mut Vec<ParseProblem>,
}

impl FileParser<'_> {
    /// Reads one document into `model`, collecting its `include:` items.
    pub fn document(&mut self, root: &Node, model: &mut Model, includes: &mut Vec<IncludeSpec>) {
        let Some(entries) = root.as_map() else {
            if !root.is_null() {
                let mut p = ParseProblem::new(
                    self.file,
                    root.line,
                    ProblemKind::Syntax,
                    "the top level of a Compose file must be a mapping",
                );
                p.column = Some(root.column);
                self.problems.push(p);
            }
            return;
        };
        for e in entries {
            match e.key_str().unwrap_or("") {
                "version" => model.version = self.string(e, "`version`"),
                "name" => model.name = self.string(e, "`name`").map(|l| l.value),
                "services" => match &e.value.value {
                    Value::Map(services) => {
                        for s in services {
                            if let Some(svc) = self.service(s) {
                                model.services.push(svc);
                            }
                        }
                    }
                    Value::Null => {}
                    _ => self.wrong(e.key.line, "`services`", "a mapping"),
                },
                "networks" => model.networks = self.names(e),
                "volumes" => model.volumes = self.names(e),
                "secrets" => model.secrets = self.names(e),
                "configs" => model.configs = self.names(e),
                "include" => {
                    for item in self.list(e, "`include`") {
                        if let Some(spec) = self.include(item) {
                            includes.push(spec);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn include(&mut self, item: &Node) -> Option<IncludeSpec> {
        let mut spec = IncludeSpec {
            line: item.line,
            ..Default::default()
        };
        match &item.value {
            Value::Scalar(s) => spec.paths.push(s.text.clone()),
            Value::Map(_) => {
                let path = item.get("path");
                spec.paths = path
                    .map(|p| p.str_or_seq())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .map(str::to_string)
                    .collect();
                spec.project_directory = item
                    .get("project_directory")
                    .and_then(Node::as_str)
                    .map(str::to_string);
                spec.env_files = item
                    .get("env_file")
                    .map(|p| p.str_or_seq())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .map(str::to_string)
                    .collect();
                if spec.paths.is_empty() {
                    self.wrong(
                        item.line,
                        "an `include` item without `path`",
                        "a path or a mapping with `path`",
                    );
                    return None;
                }
            }
            _ => {
                self.wrong(
                    item.line,
                    "an `include` item",
                    "a path or a mapping with `path`",
                );
                return None;
            }
        }
        Some(spec)
    }

    fn service(&mut self, e: &Entry) -> Option<RawService> {
        let name = e.key_str()?.to_string();
        let Some(fields) = e.value.as_map() else {
            self.wrong(e.key.line, &format!("service `{name}`"), "a mapping");
            return None;
        };
        let mut raw = RawService {
            svc: ComposeService {
                name: name.clone(),
                file: self.file.to_string(),
                line: e.key.line,
                ..Default::default()
            },
            ..Default::default()
        };
        for f in fields {
            let key = f.key_str().unwrap_or("");
            match f.value.tag.as_deref() {
                Some("!reset") => raw.reset.push(key.to_string()),
                Some("!override") => raw.replace.push(key.to_string()),
                _ => {}
            }
            service::field(self, &name, key, f, &mut raw);
        }
        Some(raw)
    }

    /// The `build:` of a service.
    pub fn build(&mut self, e: &Entry, what: &str) -> Option<RawBuild> {
        let mut b = RawBuild {
            file: self.file.to_string(),
            line: e.key.line,
            dir: self.dir.to_string(),
            ..Default::default()
        };
        match &e.value.value {
            Value::Scalar(s) => b.context = Some(self.context(&s.text)),
            Value::Map(_) => {
                let v = &e.value;
                b.context = v
                    .get("context")
                    .and_then(Node::as_str)
                    .map(|c| self.context(c));
                b.dockerfile = v
                    .get("dockerfile")
                    .and_then(Node::as_str)
                    .map(str::to_string);
                b.dockerfile_inline = v.get("dockerfile_inline").map(|n| !n.is_null());
                b.target = v.get("target").and_then(Node::as_str).map(str::to_string);
                if let Some(args) = v.entry("args") {
                    b.args = self
                        .pairs(args, &format!("`build.args` of {what}"))
                        .into_iter()
                        .map(|(k, v, _)| (k, v.unwrap_or_default()))
                        .collect();
                }
            }
            Value::Null => return None,
            Value::Seq(_) => {
                self.wrong(
                    e.key.line,
                    &format!("`build` of {what}"),
                    "a path or a mapping",
                );
                return None;
            }
        }
        Some(b)
    }

    fn context(&self, text: &str) -> (String, bool) {
        if syntax::is_remote_context(text) {
            (text.to_string(), true)
        } else {
            (syntax::resolve(self.dir, text), false)
        }
    }

    /// `KEY: value` mappings or `KEY=value` / `KEY` lists, with lines.
    pub fn pairs(&mut self, e: &Entry, what: &str) -> Vec<(String, Option<String>, u32)> {
        match &e.value.value {
            Value::Map(entries) => entries
                .iter()
                .filter_map(|p| {
                    Some((
                        p.key_str()?.to_string(),
                        p.value.as_str().map(str::to_string),
                        p.key.line,
                    ))
                })
                .collect(),
            Value::Seq(items) => items
                .iter()
                .filter_map(|n| {
                    let text = n.as_str()?;
                    Some(match text.split_once('=') {
                        Some((k, v)) => (k.to_string(), Some(v.to_string()), n.line),
                        None => (text.to_string(), None, n.line),
                    })
                })
                .collect(),
            Value::Null => Vec::new(),
            Value::Scalar(_) => {
                self.wrong(e.key.line, what, "a mapping or a list");
                Vec::new()
            }
        }
    }

    /// The keys of a top-level `networks:`/`volumes:`/... mapping.
    fn names(&mut self, e: &Entry) -> Vec<Located<String>> {
        match &e.value.value {
            Value::Map(entries) => entries
                .iter()
                .filter_map(|n| Some(self.loc(n.key_str()?.to_string(), n.key.line)))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.wrong(
                    e.key.line,
                    &format!("top-level `{}`", e.key_str().unwrap_or("")),
                    "a mapping",
                );
                Vec::new()
            }
        }
    }

    /// The items of a list-valued key; `[]` (and a problem) for another shape.
    pub fn list<'n>(&mut self, e: &'n Entry, what: &str) -> &'n [Node] {
        match &e.value.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong(e.key.line, what, "a list");
                &[]
            }
        }
    }

    /// A scalar value; `None` (and a problem) for a collection.
    pub fn string(&mut self, e: &Entry, what: &str) -> Option<Located<String>> {
        match &e.value.value {
            Value::Scalar(s) => Some(self.loc(s.text.clone(), e.value.line)),
            Value::Null => None,
            _ => {
                self.wrong(e.key.line, what, "a string");
                None
            }
        }
    }

    /// The scalar items of a list, with their lines.
    pub fn strings(&mut self, e: &Entry, what: &str) -> Vec<Located<String>> {
        let mut out = Vec::new();
        for item in self.list(e, what) {
            match item.as_str() {
                Some(s) => out.push(self.loc(s.to_string(), item.line)),
                None => self.wrong(item.line, &format!("an item of {what}"), "a string"),
            }
        }
        out
    }

    pub fn loc<T>(&self, value: T, line: u32) -> Located<T> {
        Located {
            value,
            file: self.file.to_string(),
            line,
        }
    }

    pub fn wrong(&mut self, line: u32, what: &str, expected: &str) {
        self.partial(line, format!("{what} should be {expected}; ignored"));
    }

    pub fn partial(&mut self, line: u32, message: String) {
        self.problems.push(ParseProblem::new(
            self.file,
            line,
            ProblemKind::Partial,
            message,
        ));
    }
}
