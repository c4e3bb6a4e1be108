//! `KR5xx`: cross-file consistency, the questions only the joined picture
//! (Compose, Dockerfiles, `.dockerignore`, CI and deploy manifests) answers.

pub(crate) mod copy_sources;
mod kr501_missing_build_context;
mod kr502_missing_compose_dockerfile;
mod kr503_missing_build_dockerfile;
mod kr504_copy_source_missing;
mod kr505_copy_source_generated;
mod kr506_copy_source_dockerignored;
mod kr507_copy_from_unknown_stage;
mod kr508_image_not_built;
mod kr509_image_never_deployed;
mod kr510_port_not_exposed;
mod kr511_port_chain_broken;

use std::cell::Cell;
use std::collections::BTreeMap;

use super::Rule;
use crate::parse::dockerfile::{Args, DockerfileFile, Keyword, Stage};

pub(crate) use copy_sources::SourceState;

pub static RULES: &[&dyn Rule] = &[
    &kr501_missing_build_context::Rule,
    &kr502_missing_compose_dockerfile::Rule,
    &kr503_missing_build_dockerfile::Rule,
    &kr504_copy_source_missing::Rule,
    &kr505_copy_source_generated::Rule,
    &kr506_copy_source_dockerignored::Rule,
    &kr507_copy_from_unknown_stage::Rule,
    &kr508_image_not_built::Rule,
    &kr509_image_never_deployed::Rule,
    &kr510_port_not_exposed::Rule,
    &kr511_port_chain_broken::Rule,
];

/// Whether a path can be checked against the listing: relative, inside
/// the tree, with no variable or template left in it.
fn checkable_path(path: &str) -> bool {
    !(path.starts_with('/')
        || path.starts_with('~')
        || path.starts_with("..")
        || path.contains('$')
        || path.contains("{{")
        || path.contains('%')
        || path.contains('\\')
        || path.get(1..2) == Some(":"))
}

/// Variables in scope at one point of a stage: build args (overriding ARG
/// defaults), ARGs declared in the stage (a bare `ARG X` takes the global
/// default), and ENV values, in order. A name mapped to `None` is declared
/// without a value: expanding it is unknown.
pub(crate) struct StageVars {
    vars: BTreeMap<String, Option<String>>,
}

impl StageVars {
    /// Global ARGs only (what `FROM` and `--from` see).
    pub fn global(df: &DockerfileFile, build_args: &[(String, String)]) -> StageVars {
        let mut vars = BTreeMap::new();
        for (kv, _) in df.dockerfile.global_args() {
            let v = arg_value(&kv.key, kv.value.clone(), build_args);
            vars.insert(kv.key.clone(), v);
        }
        StageVars { vars }
    }

    /// Variables seen by instruction `upto` (an index into the file's
    /// instructions) of `stage`.
    pub fn at(
        df: &DockerfileFile,
        stage: &Stage,
        upto: usize,
        build_args: &[(String, String)],
    ) -> StageVars {
        let globals = StageVars::global(df, build_args);
        let mut sv = StageVars {
            vars: BTreeMap::new(),
        };
        let end = upto.min(stage.instructions.end);
        for ins in df
            .dockerfile
            .instructions
            .get(stage.instructions.start..end)
            .unwrap_or_default()
        {
            let Args::KeyValues(kvs) = &ins.args else {
                continue;
            };
            match ins.keyword {
                Keyword::Arg => {
                    for kv in kvs {
                        let default = match &kv.value {
                            Some(v) => sv.expand(v),
                            None => globals.vars.get(&kv.key).cloned().flatten(),
                        };
                        let v = arg_value(&kv.key, default, build_args);
                        sv.vars.insert(kv.key.clone(), v);
                    }
                }
                Keyword::Env => {
                    for kv in kvs {
                        let v = kv.value.as_deref().and_then(|v| sv.expand(v));
                        sv.vars.insert(kv.key.clone(), v);
                    }
                }
                _ => {}
            }
        }
        sv
    }

    /// `s` with variables expanded; `None` when one of them is unknown.
    pub fn expand(&self, s: &str) -> Option<String> {
        if !s.contains('$') {
            return Some(s.to_string());
        }
        let missed = Cell::new(false);
        let lookup = |name: &str| match self.vars.get(name) {
            Some(Some(v)) => Some(v.clone()),
            _ => {
                missed.set(true);
                None
            }
        };
        let out = kubeready_dockerfile::expand_args(s, &lookup);
        if missed.get() {
            None
        } else {
            Some(out)
        }
    }
}

fn arg_value(
    key: &str,
    default: Option<String>,
    build_args: &[(String, String)],
) -> Option<String> {
    build_args
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .or(default)
}

/// How a context is shown in messages.
fn show_ctx(ctx: &str) -> &str {
    crate::paths::display(ctx)
}

/// Whether the audit sees a single file (`kubeready audit Dockerfile`):
/// then nothing is known about the files around it, and rules that ask
/// whether a path exists stay quiet.
fn single_file(facts: &crate::parse::Facts) -> bool {
    facts.listing.files().len() <= 1
}
