//! Shared support for the Dockerfile rules: stages with resolved bases,
//! ARG resolution, ONBUILD unwrapping, and the graph questions rules ask
//! about a Dockerfile; the shell commands of `RUN` bodies are in
//! `support/shell.rs`.

use crate::finding::Location;
use crate::parse::dockerfile::{Args, DockerfileFile, Instruction, Keyword};
use crate::rules::{Context, Sink};
use std::borrow::Cow;
use std::collections::HashMap;

mod shell;

pub use shell::{
    each_run, has_cache_mount, has_pipe, is_non_posix_shell, parse_shell, run_shell, Cmd, Shell,
};

/// Declares `pub struct Rule` for a rule file that has `static DOC` and
/// `fn check(cx, out)`.
macro_rules! declare_rule {
    () => {
        pub struct Rule;
        impl $crate::rules::Rule for Rule {
            fn doc(&self) -> &'static $crate::rules::RuleDoc {
                &DOC
            }
            fn check(&self, cx: &$crate::rules::Context<'_>, out: &mut $crate::rules::Sink<'_>) {
                check(cx, out)
            }
        }
    };
}
pub(crate) use declare_rule;

/// A build stage with its base resolved.
#[derive(Clone, Debug)]
pub struct StageInfo {
    pub index: usize,
    /// The `AS` name, lower-cased.
    pub name: Option<String>,
    /// The base as written.
    pub base_raw: String,
    /// The base with global ARG defaults substituted.
    pub base: String,
    /// The earlier stage the base names (`FROM builder`), if any.
    pub parent: Option<usize>,
    pub platform: Option<String>,
    pub line: u32,
    pub instructions: std::ops::Range<usize>,
}

impl StageInfo {
    /// The base is an image (not an earlier stage and not `scratch`).
    pub fn base_is_image(&self) -> bool {
        self.parent.is_none() && !self.base.eq_ignore_ascii_case("scratch")
    }
}

/// One Dockerfile with its stages.
pub struct Df<'a> {
    pub file: &'a DockerfileFile,
    pub stages: Vec<StageInfo>,
    /// Global ARG defaults (declared before the first FROM).
    pub global_args: HashMap<String, String>,
    /// The stage of each top-level instruction ([`NO_STAGE`] before the
    /// first FROM): 4 bytes each, not an `Option<usize>`'s 16.
    stage_index: Vec<u32>,
    /// Every instruction with ONBUILD's inner ones, built once.
    all: Vec<Inst<'a>>,
    /// Per stage, the indices of its ARG and ENV instructions.
    defs: Vec<Vec<usize>>,
    /// Stage names (lower-case) to the first stage with that name.
    stage_names: HashMap<String, usize>,
    /// Final variables of stages with more than [`MAX_VAR_REPLAY`]
    /// definitions.
    big_stage_vars: HashMap<usize, HashMap<String, String>>,
    /// The parsed shell of each entry of `all`, parsed on first use: a
    /// dozen rules look at every `RUN`, and splitting its text once is
    /// most of the Dockerfile rules' time. Boxed: most instructions are
    /// not `RUN`s, and an empty cell is then 16 bytes, not 64.
    shells: Vec<std::sync::OnceLock<Option<Box<Shell>>>>,
}

/// [`Df::stage_index`] of an instruction before the first FROM.
const NO_STAGE: u32 = u32::MAX;

/// Above this many ARG/ENV instructions in one stage, [`Df::vars_at`]
/// stops replaying them one by one and uses the stage's final values, so
/// hostile inputs cannot make rules quadratic.
const MAX_VAR_REPLAY: usize = 256;

/// An instruction as rules see it: ONBUILD's inner instruction comes with
/// `onbuild = true` and the ONBUILD's lines.
#[derive(Clone, Copy)]
pub struct Inst<'a> {
    pub ins: &'a Instruction,
    /// The top-level instruction (the ONBUILD itself for inner ones).
    pub outer: &'a Instruction,
    pub index: usize,
    pub stage: Option<usize>,
    pub onbuild: bool,
    /// Position in [`Df::insts`] (the key of the shell cache).
    slot: u32,
}

impl Inst<'_> {
    pub fn keyword(&self) -> &Keyword {
        &self.ins.keyword
    }
    pub fn line(&self) -> u32 {
        self.outer.line
    }
}

/// Every Dockerfile of the audit.
pub fn dockerfiles<'a, 'f>(cx: &'a Context<'f>) -> impl Iterator<Item = &'a Df<'f>> + 'a {
    cx.dockerfile_views().iter()
}

impl<'a> Df<'a> {
    pub fn new(file: &'a DockerfileFile) -> Df<'a> {
        let mut global_args = HashMap::new();
        for (kv, _) in file.dockerfile.global_args() {
            if let Some(v) = kv.value {
                global_args.insert(kv.key, v);
            }
        }
        let parsed_stages = file.dockerfile.stages();
        let mut stages: Vec<StageInfo> = Vec::with_capacity(parsed_stages.len());
        let mut stage_names: HashMap<String, usize> = HashMap::new();
        for s in parsed_stages {
            let base = expand(&s.base, &global_args);
            let lower = base.to_ascii_lowercase();
            let parent = stage_names.get(&lower).copied();
            if let Some(n) = &s.name {
                stage_names.entry(n.clone()).or_insert(stages.len());
            }
            stages.push(StageInfo {
                index: s.index,
                name: s.name,
                base_raw: s.base,
                base,
                parent,
                platform: s.platform,
                line: s.line,
                instructions: s.instructions,
            });
        }
        let n = file.dockerfile.instructions.len();
        let mut stage_index = vec![NO_STAGE; n];
        for (si, st) in stages.iter().enumerate() {
            for i in st.instructions.clone() {
                if let Some(slot) = stage_index.get_mut(i) {
                    *slot = u32::try_from(si).unwrap_or(NO_STAGE);
                }
            }
        }
        let stage_at = |i: usize| stage_of(&stage_index, i);
        let onbuilds = file
            .dockerfile
            .instructions
            .iter()
            .filter(|i| matches!(i.args, Args::Instruction(_)))
            .count();
        let mut all = Vec::with_capacity(n + onbuilds);
        for (index, ins) in file.dockerfile.instructions.iter().enumerate() {
            let stage = stage_at(index);
            let slot = u32::try_from(all.len()).unwrap_or(u32::MAX);
            all.push(Inst {
                ins,
                outer: ins,
                index,
                stage,
                onbuild: false,
                slot,
            });
            if let Args::Instruction(inner) = &ins.args {
                all.push(Inst {
                    ins: inner,
                    outer: ins,
                    index,
                    stage,
                    onbuild: true,
                    slot: slot.saturating_add(1),
                });
            }
        }
        let mut defs = vec![Vec::new(); stages.len()];
        for (index, ins) in file.dockerfile.instructions.iter().enumerate() {
            if matches!(ins.keyword, Keyword::Arg | Keyword::Env) {
                if let Some(d) = stage_at(index).and_then(|s| defs.get_mut(s)) {
                    d.push(index);
                }
            }
        }
        let shells = all.iter().map(|_| std::sync::OnceLock::new()).collect();
        let mut df = Df {
            file,
            stages,
            global_args,
            stage_index,
            shells,
            all,
            defs,
            stage_names,
            big_stage_vars: HashMap::new(),
        };
        for si in 0..df.stages.len() {
            if df.defs.get(si).is_some_and(|d| d.len() > MAX_VAR_REPLAY) {
                let end = df.stages.get(si).map(|s| s.instructions.end).unwrap_or(0);
                let vars = df.replay(si, end);
                df.big_stage_vars.insert(si, vars);
            }
        }
        df
    }

    /// The shell commands of a RUN, CMD or ENTRYPOINT of this file (see
    /// [`run_shell`]), parsed once per audit.
    pub fn shell(&self, inst: &Inst<'_>) -> Option<&Shell> {
        match self.shells.get(inst.slot as usize) {
            Some(cell) => cell
                .get_or_init(|| run_shell(inst.ins).map(Box::new))
                .as_deref(),
            None => None,
        }
    }

    pub fn path(&self) -> &str {
        &self.file.path
    }

    pub fn loc(&self, line: u32) -> Location {
        Location::new(&self.file.path, line)
    }

    pub fn instruction(&self, i: usize) -> Option<&'a Instruction> {
        self.file.dockerfile.instructions.get(i)
    }

    /// The stage holding instruction `i`.
    pub fn stage_of(&self, i: usize) -> Option<usize> {
        stage_of(&self.stage_index, i)
    }

    pub fn final_stage(&self) -> Option<&StageInfo> {
        self.stages.last()
    }

    /// Top-level instructions, with ONBUILD's inner instruction after its
    /// ONBUILD.
    pub fn insts(&self) -> &[Inst<'a>] {
        &self.all
    }

    /// Top-level instructions only.
    pub fn top(&self) -> Vec<Inst<'a>> {
        self.all.iter().filter(|i| !i.onbuild).copied().collect()
    }

    /// Instructions of one stage (top level).
    /// Instructions of the final stage and the stages it is built `FROM`,
    /// base stage first, final stage last: the one walk of the final
    /// image's stages that the rules share.
    pub fn final_chain(&self) -> Vec<Inst<'a>> {
        let mut stages = Vec::new();
        let mut cur = self.stages.len().checked_sub(1);
        while let Some(s) = cur {
            if stages.contains(&s) || stages.len() > 16 {
                break;
            }
            stages.push(s);
            cur = self.stages.get(s).and_then(|st| st.parent);
        }
        stages
            .iter()
            .rev()
            .flat_map(|s| self.stage_insts(*s))
            .collect()
    }

    pub fn stage_insts(&self, stage: usize) -> Vec<Inst<'a>> {
        let Some(range) = self.stages.get(stage).map(|s| s.instructions.clone()) else {
            return Vec::new();
        };
        let start = self.all.partition_point(|i| i.index < range.start);
        self.all
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|i| i.index < range.end)
            .filter(|i| !i.onbuild)
            .copied()
            .collect()
    }

    /// Variables visible at instruction `index`: global ARG defaults that
    /// the stage re-declares, stage ARG defaults, and ENV values, in order.
    pub fn vars_at(&self, index: usize) -> Cow<'_, HashMap<String, String>> {
        let Some(stage) = self.stage_of(index) else {
            return Cow::Borrowed(&self.global_args);
        };
        if let Some(v) = self.big_stage_vars.get(&stage) {
            return Cow::Borrowed(v);
        }
        Cow::Owned(self.replay(stage, index))
    }

    fn replay(&self, stage: usize, end: usize) -> HashMap<String, String> {
        let mut vars = HashMap::new();
        let defs = self.defs.get(stage).map(Vec::as_slice).unwrap_or(&[]);
        for &i in defs.iter().take_while(|&&i| i < end) {
            let Some(ins) = self.instruction(i) else {
                continue;
            };
            match (&ins.keyword, &ins.args) {
                (Keyword::Arg, Args::KeyValues(kvs)) => {
                    for kv in kvs {
                        let v = match &kv.value {
                            Some(v) => Some(expand(v, &vars)),
                            None => self.global_args.get(&kv.key).cloned(),
                        };
                        if let Some(v) = v {
                            vars.insert(kv.key.clone(), v);
                        }
                    }
                }
                (Keyword::Env, Args::KeyValues(kvs)) => {
                    for kv in kvs {
                        if let Some(v) = &kv.value {
                            let v = expand(v, &vars);
                            vars.insert(kv.key.clone(), v);
                        }
                    }
                }
                _ => {}
            }
        }
        vars
    }

    /// Whether `name` names a stage defined before instruction `index`, or
    /// is a stage index below the current one.
    pub fn is_earlier_stage(&self, name: &str, index: usize) -> bool {
        let current = self.stage_of(index).unwrap_or(self.stages.len());
        let lower = name.to_ascii_lowercase();
        if let Ok(n) = lower.parse::<usize>() {
            return n < current;
        }
        self.stage_names.get(&lower).is_some_and(|&s| s < current)
    }

    /// Whether `name` names any stage of the file.
    pub fn is_stage_name(&self, name: &str) -> bool {
        self.stage_names.contains_key(&name.to_ascii_lowercase())
    }
}

/// The stage of top-level instruction `i` in a [`Df::stage_index`].
fn stage_of(stage_index: &[u32], i: usize) -> Option<usize> {
    stage_index
        .get(i)
        .copied()
        .filter(|&s| s != NO_STAGE)
        .map(|s| s as usize)
}

/// Substitutes `$VAR`/`${VAR}` from `vars`, leaving unknown variables as
/// written (so a rule can tell an unresolved base from an image).
pub fn expand(s: &str, vars: &HashMap<String, String>) -> String {
    if !s.contains('$') {
        return unquote(s);
    }
    let unknown = |name: &str| format!("${{{name}}}");
    let lookup = |name: &str| Some(vars.get(name).cloned().unwrap_or_else(|| unknown(name)));
    kubeready_dockerfile::expand_args(s, &lookup)
}

/// Removes one pair of surrounding quotes.
pub fn unquote(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

/// A flag value of an instruction (`--from=builder` → `builder`).
pub fn flag<'i>(ins: &'i Instruction, name: &str) -> Option<&'i str> {
    ins.flags
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.value.as_deref().unwrap_or(""))
}

/// The source and destination words of COPY/ADD.
pub fn copy_paths(ins: &Instruction) -> (Vec<String>, Option<String>) {
    let words: Vec<String> = match &ins.args {
        Args::Json(v) => v.clone(),
        Args::Words(v) => v.iter().map(|w| unquote(w)).collect(),
        _ => Vec::new(),
    };
    // Heredoc sources (`COPY <<EOF /dest`) are not paths.
    let words: Vec<String> = words.into_iter().filter(|w| !w.starts_with("<<")).collect();
    match words.split_last() {
        Some((dest, srcs)) => (srcs.to_vec(), Some(dest.clone())),
        None => (Vec::new(), None),
    }
}

/// A short, stable subject for an instruction: keyword and arguments,
/// whitespace collapsed, cut at 120 characters.
pub fn subject(ins: &Instruction) -> String {
    let text = format!("{} {}", ins.keyword.as_str(), ins.args_text());
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    let s = collapsed.join(" ");
    if s.chars().count() > 120 {
        let mut cut: String = s.chars().take(117).collect();
        cut.push_str("...");
        cut
    } else {
        s
    }
}

/// Emits a finding at an instruction with its subject.
pub fn emit(out: &mut Sink<'_>, df: &Df<'_>, inst: &Inst<'_>, message: impl Into<String>) {
    out.emit(df.loc(inst.line()), message, subject(inst.outer));
}

// ---------------------------------------------------------------------
// Graph questions

/// The image definitions built from this Dockerfile.
pub fn image_defs_of<'g>(cx: &'g Context<'_>, path: &str) -> Vec<&'g crate::graph::ImageDef> {
    cx.graph
        .image_defs_for_file(path)
        .iter()
        .filter_map(|i| cx.graph.image_defs.get(*i))
        .filter(|d| d.kind == crate::graph::ImageDefKind::Dockerfile)
        .collect()
}

/// The build contexts of this Dockerfile (its own folder when nothing
/// names another).
pub fn contexts_of(cx: &Context<'_>, df: &Df<'_>) -> Vec<String> {
    let mut out: Vec<String> = image_defs_of(cx, df.path())
        .iter()
        .flat_map(|d| d.contexts.iter().cloned())
        .collect();
    if out.is_empty() {
        out.push(df.file.dir.clone());
    }
    out.sort();
    out.dedup();
    out
}

/// The detected services this Dockerfile builds.
pub fn services_of<'g>(cx: &'g Context<'_>, path: &str) -> Vec<&'g crate::inventory::Service> {
    let mut out: Vec<&crate::inventory::Service> = Vec::new();
    for d in image_defs_of(cx, path) {
        for c in &d.components {
            let svc = cx
                .graph
                .components
                .get(*c)
                .and_then(|c| c.service)
                .and_then(|s| cx.graph.services.get(s));
            if let Some(s) = svc {
                if !out.iter().any(|o| o.path == s.path) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Whether the final stage (or a stage it is built on) has an
/// instruction with this keyword.
pub fn final_chain_has(df: &Df<'_>, kw: &Keyword) -> bool {
    df.final_chain().iter().any(|i| i.keyword() == kw)
}

#[cfg(test)]
pub(crate) mod test {
    use crate::finding::Finding;

    /// Findings of `code` for a single root `Dockerfile`.
    pub fn dl(code: &str, text: &str) -> Vec<Finding> {
        crate::rules::testing::findings_of(code, &[("Dockerfile", text)])
    }

    /// Lines of the findings.
    pub fn lines(code: &str, text: &str) -> Vec<u32> {
        dl(code, text).iter().map(|f| f.location.line).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arg_resolution_and_stages() {
        let file = crate::parse::dockerfile::parse(
            "Dockerfile",
            "ARG BASE=node:20\nFROM ${BASE} AS build\nFROM build\n",
            &mut Vec::new(),
        );
        let df = Df::new(&file);
        assert_eq!(df.stages[0].base, "node:20");
        assert_eq!(df.stages[1].parent, Some(0));
    }
}
