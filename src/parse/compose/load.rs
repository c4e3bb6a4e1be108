//! Loading one Compose file: YAML problems, interpolation, `include:` and
//! `extends:`, with cycle and depth guards.

use std::collections::HashMap;

use kubeready_yaml::Node;

use super::interpolate::{parse_dotenv, Env, Interpolator};
use super::merge::{fold_include, merge_model, merge_service};
use super::parse::{FileParser, IncludeSpec, Model, RawService};
use super::syntax;
use crate::parse::{read, ParseProblem, ProblemKind};
use crate::paths;
use crate::walk::Tree;

/// How deep `include:` and `extends.file` may nest.
pub(super) const MAX_DEPTH: usize = 8;
/// How many services one `extends` chain may pass through in one file.
const MAX_EXTENDS_CHAIN: usize = 32;

pub(super) struct Loader<'t> {
    tree: &'t Tree,
    /// Problems, possibly repeated (a file may be loaded more than once).
    pub problems: Vec<ParseProblem>,
    /// Files whose documents were loaded; their trees once asked twice.
    documents: HashMap<String, Option<Vec<Node>>>,
    envs: HashMap<String, Env>,
}

impl<'t> Loader<'t> {
    pub fn new(tree: &'t Tree) -> Self {
        Loader {
            tree,
            problems: Vec::new(),
            documents: HashMap::new(),
            envs: HashMap::new(),
        }
    }

    /// The variables of a `.env`-syntax file, if it is in the tree.
    pub fn env_file(&mut self, path: &str) -> Option<Env> {
        if let Some(env) = self.envs.get(path) {
            return Some(env.clone());
        }
        if !self.tree.has_file(path) {
            return None;
        }
        let env = read(self.tree, path, &mut self.problems)
            .map(|t| parse_dotenv(&t))
            .unwrap_or_default();
        self.envs.insert(path.to_string(), env.clone());
        Some(env)
    }

    /// The `.env` of a project directory (empty when not in the tree).
    pub fn dotenv(&mut self, dir: &str) -> Env {
        self.env_file(&syntax::resolve(dir, ".env"))
            .unwrap_or_default()
    }

    /// The YAML documents of a file; its problems are recorded once.
    fn documents(&mut self, path: &str) -> Vec<Node> {
        match self.documents.get(path) {
            Some(Some(docs)) => return docs.clone(),
            Some(None) => {
                // Asked again (an include or `extends` of a file already
                // loaded): parse it again, its problems already recorded,
                // and keep a copy from now on.
                let docs = self.parse_documents(path, &mut Vec::new());
                self.documents.insert(path.to_string(), Some(docs.clone()));
                return docs;
            }
            None => {}
        }
        // Nearly every file is loaded once: no copy is kept for a second time.
        let mut problems = std::mem::take(&mut self.problems);
        let docs = self.parse_documents(path, &mut problems);
        self.problems = problems;
        self.documents.insert(path.to_string(), None);
        docs
    }

    fn parse_documents(&self, path: &str, problems: &mut Vec<ParseProblem>) -> Vec<Node> {
        let Some(text) = read(self.tree, path, problems) else {
            return Vec::new();
        };
        crate::parse::yaml_documents(path, &text, problems)
    }

    fn partial(&mut self, file: &str, line: u32, message: String) {
        self.problems
            .push(ParseProblem::new(file, line, ProblemKind::Partial, message));
    }

    /// Loads `path` with its includes and extends resolved. Relative paths
    /// in it resolve against `dir`; `stack` holds the files being loaded.
    pub fn load(&mut self, path: &str, dir: &str, env: &Env, stack: &mut Vec<String>) -> Model {
        let mut model = Model {
            files: vec![path.to_string()],
            ..Default::default()
        };
        let mut includes = Vec::new();
        for mut doc in self.documents(path) {
            let mut it = Interpolator::new(env, path);
            it.tree(&mut doc);
            let mut part = Model {
                files: vec![path.to_string()],
                variables: it.variables,
                ..Default::default()
            };
            let mut invalid = it.invalid;
            invalid.dedup();
            for line in invalid {
                self.partial(
                    path,
                    line,
                    "invalid variable reference (`$` must start `${NAME}` or `$NAME`; `$$` is a literal `$`); kept as written".into(),
                );
            }
            FileParser {
                file: path,
                dir,
                problems: &mut self.problems,
            }
            .document(&doc, &mut part, &mut includes);
            merge_model(&mut model, part);
        }
        stack.push(path.to_string());
        for spec in includes {
            self.include(&mut model, spec, path, env, stack);
        }
        self.apply_extends(&mut model, path, env, stack);
        stack.pop();
        model
    }

    /// Whether `target` may be loaded from `from` (line `line`) now.
    fn may_enter(
        &mut self,
        target: &str,
        from: &str,
        line: u32,
        what: &str,
        stack: &[String],
    ) -> bool {
        if stack.iter().any(|s| s == target) {
            let mut chain: Vec<&str> = stack
                .iter()
                .map(String::as_str)
                .skip_while(|s| *s != target)
                .collect();
            chain.push(target);
            self.partial(
                from,
                line,
                format!("{what} cycle: {}; not followed", chain.join(" → ")),
            );
            return false;
        }
        if stack.len() > MAX_DEPTH {
            self.partial(
                from,
                line,
                format!("{what} nested more than {MAX_DEPTH} levels deep; `{target}` not followed"),
            );
            return false;
        }
        true
    }

    fn include(
        &mut self,
        model: &mut Model,
        spec: IncludeSpec,
        path: &str,
        env: &Env,
        stack: &mut Vec<String>,
    ) {
        let file_dir = paths::parent(path);
        let mut present = Vec::new();
        for p in &spec.paths {
            if syntax::is_remote_context(p) {
                model.includes.push(super::Located {
                    value: p.clone(),
                    file: path.to_string(),
                    line: spec.line,
                });
                self.partial(path, spec.line, format!("remote include `{p}` is not read"));
                continue;
            }
            let r = syntax::resolve(file_dir, p);
            model.includes.push(super::Located {
                value: r.clone(),
                file: path.to_string(),
                line: spec.line,
            });
            if self.tree.has_file(&r) {
                present.push(r);
            } else {
                self.partial(path, spec.line, format!("included file not found: `{r}`"));
            }
        }
        let Some(first) = present.first().cloned() else {
            return;
        };
        if !self.may_enter(&first, path, spec.line, "include", stack) {
            return;
        }
        let inc_dir = match &spec.project_directory {
            Some(d) => syntax::resolve(file_dir, d),
            None => paths::parent(&first).to_string(),
        };
        // The including project's variables win; the included project's
        // `.env` (or `env_file`) fills the gaps.
        let mut inc_env = env.clone();
        let env_files: Vec<String> = if spec.env_files.is_empty() {
            vec![syntax::resolve(&inc_dir, ".env")]
        } else {
            spec.env_files
                .iter()
                .map(|f| syntax::resolve(file_dir, f))
                .collect()
        };
        for f in env_files {
            for (k, v) in self.env_file(&f).unwrap_or_default() {
                inc_env.entry(k).or_insert(v);
            }
        }
        let mut inc = self.load(&first, &inc_dir, &inc_env, stack);
        for other in present.iter().skip(1) {
            if self.may_enter(other, path, spec.line, "include", stack) {
                let o = self.load(other, &inc_dir, &inc_env, stack);
                merge_model(&mut inc, o);
            }
        }
        for name in fold_include(model, inc) {
            self.partial(
                path,
                spec.line,
                format!("service `{name}` of included file `{first}` is already defined; the including file's definition is used"),
            );
        }
    }

    /// Resolves the `extends:` of the services declared in `path`.
    fn apply_extends(&mut self, model: &mut Model, path: &str, env: &Env, stack: &mut Vec<String>) {
        if model.services.iter().all(|s| s.extends.is_none()) {
            return;
        }
        let originals = model.services.clone();
        let mut side = Model::default();
        for i in 0..model.services.len() {
            if model.services[i].extends.is_none() {
                continue;
            }
            let name = model.services[i].svc.name.clone();
            let mut chain = Vec::new();
            if let Some(resolved) =
                self.extended(&originals, &name, path, env, stack, &mut chain, &mut side)
            {
                model.services[i] = resolved;
            }
        }
        for f in side.files {
            if !model.files.contains(&f) {
                model.files.push(f);
            }
        }
        // Duplicates are removed once, in `merge::finish`.
        model.variables.extend(side.variables);
    }

    /// Service `name` of `services` (declared in `path`) with its
    /// `extends` applied; `side` collects the files and variables of other
    /// files read on the way.
    #[allow(clippy::too_many_arguments)]
    fn extended(
        &mut self,
        services: &[RawService],
        name: &str,
        path: &str,
        env: &Env,
        stack: &mut Vec<String>,
        chain: &mut Vec<String>,
        side: &mut Model,
    ) -> Option<RawService> {
        let mut local = services.iter().find(|s| s.svc.name == name)?.clone();
        let Some(spec) = local.extends.take() else {
            return Some(local);
        };
        if chain.len() >= MAX_EXTENDS_CHAIN {
            self.partial(
                path,
                spec.line,
                format!("`extends` chain longer than {MAX_EXTENDS_CHAIN} services; not followed"),
            );
            return Some(local);
        }
        if chain.iter().any(|c| c == name) {
            chain.push(name.to_string());
            self.partial(
                path,
                spec.line,
                format!("`extends` cycle: {}; not followed", chain.join(" → ")),
            );
            chain.pop();
            return Some(local);
        }
        chain.push(name.to_string());
        let (base, where_) = match &spec.file {
            None => (
                self.extended(services, &spec.service, path, env, stack, chain, side),
                path.to_string(),
            ),
            Some(f) => {
                let other = syntax::resolve(paths::parent(path), f);
                local.svc.extends_file = Some(other.clone());
                if !self.tree.has_file(&other) {
                    self.partial(
                        path,
                        spec.line,
                        format!("extended file not found: `{other}`"),
                    );
                    chain.pop();
                    return Some(local);
                }
                if !self.may_enter(&other, path, spec.line, "`extends`", stack) {
                    chain.pop();
                    return Some(local);
                }
                let mut m = self.load(&other, paths::parent(&other), env, stack);
                side.files.append(&mut m.files);
                side.variables.append(&mut m.variables);
                (
                    m.services.into_iter().find(|s| s.svc.name == spec.service),
                    other,
                )
            }
        };
        chain.pop();
        let Some(base) = base else {
            self.partial(
                path,
                spec.line,
                format!(
                    "`extends` names service `{}`, which `{where_}` does not define",
                    spec.service
                ),
            );
            return Some(local);
        };
        let (n, file, line) = (
            local.svc.name.clone(),
            local.svc.file.clone(),
            local.svc.line,
        );
        let mut merged = merge_service(base, local);
        merged.svc.name = n;
        merged.svc.file = file;
        merged.svc.line = line;
        Some(merged)
    }
}
