//! Shared support for the Dockerfile rules: stages with resolved bases,
//! ARG resolution, ONBUILD unwrapping, and the shell
//! commands of `RUN` bodies (shell form, exec form, heredocs, `sh -c`).

use crate::finding::Location;
use crate::parse::dockerfile::{Args, DockerfileFile, Instruction, Keyword};
use crate::rules::{Context, Sink};
use std::borrow::Cow;
use std::collections::HashMap;

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
    /// The stage of each top-level instruction.
    stage_index: Vec<Option<usize>>,
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
    slot: usize,
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
        let mut stages: Vec<StageInfo> = Vec::new();
        let mut stage_names: HashMap<String, usize> = HashMap::new();
        for s in file.dockerfile.stages() {
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
        let mut stage_index = vec![None; n];
        for (si, st) in stages.iter().enumerate() {
            for i in st.instructions.clone() {
                if let Some(slot) = stage_index.get_mut(i) {
                    *slot = Some(si);
                }
            }
        }
        let mut all = Vec::with_capacity(n);
        for (index, ins) in file.dockerfile.instructions.iter().enumerate() {
            let stage = stage_index.get(index).copied().flatten();
            all.push(Inst {
                ins,
                outer: ins,
                index,
                stage,
                onbuild: false,
                slot: all.len(),
            });
            if let Args::Instruction(inner) = &ins.args {
                all.push(Inst {
                    ins: inner,
                    outer: ins,
                    index,
                    stage,
                    onbuild: true,
                    slot: all.len(),
                });
            }
        }
        let mut defs = vec![Vec::new(); stages.len()];
        for (index, ins) in file.dockerfile.instructions.iter().enumerate() {
            if matches!(ins.keyword, Keyword::Arg | Keyword::Env) {
                if let Some(d) = stage_index
                    .get(index)
                    .copied()
                    .flatten()
                    .and_then(|s| defs.get_mut(s))
                {
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
        match self.shells.get(inst.slot) {
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
        self.stage_index.get(i).copied().flatten()
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
// Shell analysis

/// One simple command of a `RUN` body, as the shell crate reads it
/// (`kubeready_shell::SimpleCommand`): wrappers (`sudo`, `env X=1`, ...)
/// skipped in `argv`, their assignments in `env`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cmd {
    /// The words as written (wrappers included).
    pub words: Vec<String>,
    /// From the real program on.
    pub argv: Vec<String>,
    /// 0-based line within the body.
    pub line: u32,
    /// Variables set for this command (`FOO=1 cmd`, `env FOO=1 cmd`).
    pub env: Vec<(String, String)>,
    /// It came from inside `sh -c '...'`, `$(...)`, backticks or `eval`.
    pub nested: bool,
}

impl Cmd {
    /// The real program's file name (`apt-get` for `/usr/bin/apt-get`).
    pub fn name(&self) -> &str {
        self.argv
            .first()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .unwrap_or("")
    }

    /// The arguments after the program.
    pub fn args(&self) -> &[String] {
        self.argv.get(1..).unwrap_or(&[])
    }

    pub fn is(&self, name: &str) -> bool {
        self.name() == name
    }

    /// `name` with any of `subcommands` among its arguments (hadolint's
    /// `cmdHasArgs`).
    pub fn is_with(&self, names: &[&str], any_arg: &[&str]) -> bool {
        names.contains(&self.name()) && self.args().iter().any(|a| any_arg.contains(&a.as_str()))
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args().iter().any(|a| a == arg)
    }

    /// Flag names: `--name[=v]` gives `name`, `-abc` gives `a`, `b`, `c`.
    pub fn flags(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in self.args() {
            if a == "--" || a == "-" {
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                out.push(long.split('=').next().unwrap_or(long).to_string());
            } else if let Some(short) = a.strip_prefix('-') {
                out.extend(short.chars().map(|c| c.to_string()));
            }
        }
        out
    }

    pub fn has_flag(&self, f: &str) -> bool {
        self.flags().iter().any(|x| x == f)
    }

    pub fn has_any_flag(&self, fs: &[&str]) -> bool {
        self.flags().iter().any(|x| fs.contains(&x.as_str()))
    }

    pub fn count_flag(&self, f: &str) -> usize {
        self.flags().iter().filter(|x| *x == f).count()
    }

    /// Arguments that are not flags, skipping the value word after any
    /// flag named in `valued` (long names without `=`, or a short flag
    /// cluster ending in one of them).
    pub fn positional(&self, valued: &[&str]) -> Vec<&str> {
        let mut out = Vec::new();
        let mut skip = false;
        let mut after_dashdash = false;
        for a in self.args() {
            if skip {
                skip = false;
                continue;
            }
            if after_dashdash {
                out.push(a.as_str());
                continue;
            }
            if a == "--" {
                after_dashdash = true;
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                if !long.contains('=') && valued.contains(&long) {
                    skip = true;
                }
                continue;
            }
            if let Some(short) = a.strip_prefix('-') {
                if short.is_empty() {
                    out.push(a.as_str());
                    continue;
                }
                // A cluster (`-yqt`) takes a value when its last letter does.
                if let Some(last) = short.chars().last() {
                    let single = last.to_string();
                    if valued.contains(&single.as_str())
                        && short.chars().all(|c| c.is_ascii_alphabetic())
                    {
                        skip = true;
                    }
                }
                continue;
            }
            out.push(a.as_str());
        }
        out
    }

    /// The values given to a flag (`-u 1000`, `--uid=1000`, `-u1000`).
    pub fn flag_values(&self, short: Option<char>, long: Option<&str>) -> Vec<&str> {
        let args = self.args();
        let mut out = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if let Some(l) = long {
                let pre = format!("--{l}");
                if a == &pre {
                    if let Some(v) = args.get(i + 1) {
                        out.push(v.as_str());
                    }
                } else if let Some(v) = a.strip_prefix(&format!("{pre}=")) {
                    out.push(v);
                }
            }
            if let Some(s) = short {
                if a.starts_with('-') && !a.starts_with("--") {
                    let body = &a[1..];
                    if let Some(pos) = body.find(s) {
                        let rest = &body[pos + s.len_utf8()..];
                        if rest.is_empty() {
                            if let Some(v) = args.get(i + 1) {
                                out.push(v.as_str());
                            }
                        } else if pos == 0 {
                            out.push(rest);
                        }
                    }
                }
            }
        }
        out
    }
}

/// The shell of a `RUN`: its commands.
#[derive(Clone, Debug, Default)]
pub struct Shell {
    pub cmds: Vec<Cmd>,
    /// An unquoted `|` (not `||`) joins two commands somewhere.
    pub has_pipe: bool,
}

impl Shell {
    pub fn any(&self, f: impl Fn(&Cmd) -> bool) -> bool {
        self.cmds.iter().any(f)
    }
    pub fn position(&self, f: impl Fn(&Cmd) -> bool) -> Option<usize> {
        self.cmds.iter().position(f)
    }
    pub fn uses(&self, program: &str) -> bool {
        self.cmds.iter().any(|c| c.is(program))
    }
}

/// Parses shell text into commands.
pub fn parse_shell(text: &str) -> Shell {
    let script = kubeready_shell::parse_script(text);
    let has_pipe = script
        .commands
        .iter()
        .any(|c| c.connector == kubeready_shell::Connector::Pipe);
    let cmds = script
        .commands
        .into_iter()
        .map(|c| Cmd {
            argv: c.argv().to_vec(),
            env: c.env(),
            words: c.words,
            line: c.line,
            nested: c.nested,
        })
        .filter(|c| !c.words.is_empty())
        .collect();
    Shell { cmds, has_pipe }
}

/// The shell commands of a RUN (or CMD/ENTRYPOINT) instruction. Exec form
/// is one command (whose `sh -c` script the shell layer expands).
pub fn run_shell(ins: &Instruction) -> Option<Shell> {
    match (&ins.keyword, &ins.args) {
        (Keyword::Run | Keyword::Cmd | Keyword::Entrypoint, Args::Json(words)) => {
            let text = words
                .iter()
                .map(|w| shell_quote(w))
                .collect::<Vec<_>>()
                .join(" ");
            Some(parse_shell(&text))
        }
        (Keyword::Run | Keyword::Cmd | Keyword::Entrypoint, Args::Shell(head)) => {
            let mut sh = ins.command_text().map(|t| parse_shell(&t))?;
            if let Some(body) = heredoc_fed_to_shell(ins, head) {
                // `RUN <<EOF bash` / `RUN sh -e <<EOF`: the shell reads the
                // heredoc as its script, so its commands count like any
                // other. Lines follow `command_text` (body after the head).
                let offset = u32::try_from(head.matches('\n').count() + 1).unwrap_or(u32::MAX);
                let inner = parse_shell(&body);
                sh.has_pipe |= inner.has_pipe;
                sh.cmds.extend(inner.cmds.into_iter().map(|mut c| {
                    c.line = c.line.saturating_add(offset);
                    c
                }));
            }
            Some(sh)
        }
        _ => None,
    }
}

/// Shells that run a script read from stdin.
const STDIN_SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// The heredoc body a RUN feeds to a shell as its script: the head is a
/// single shell command with nothing but option flags (no `-c`, no script
/// file), e.g. `<<EOF bash`, `bash -ex <<EOF`. `None` otherwise (`cat
/// <<EOF`, `python3 <<EOF` and a bare `<<EOF`, which `command_text`
/// already returns as the script).
fn heredoc_fed_to_shell(ins: &Instruction, head: &str) -> Option<String> {
    let first = ins.heredocs.first()?;
    let parsed = parse_shell(head);
    let [cmd] = parsed.cmds.as_slice() else {
        return None;
    };
    if !STDIN_SHELLS.contains(&cmd.name()) {
        return None;
    }
    let mut args = cmd.args().iter();
    while let Some(a) = args.next() {
        let long = a.starts_with("--");
        let short = !long && (a.starts_with('-') || a.starts_with('+')) && a.len() > 1;
        if !(long || short) || (short && a.contains('c')) {
            return None;
        }
        // `-o pipefail`, `+o posix`: the option name is the next word.
        if short && a.ends_with('o') {
            args.next();
        }
    }
    Some(first.body())
}

fn shell_quote(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
    {
        return w.to_string();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}

/// Whether unquoted shell text has a pipe between commands (a quick scan
/// for text that is not parsed).
pub fn has_pipe(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(i) {
        match quote {
            Some(q) => {
                if c == '\\' && q == '"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\\' => i += 1,
                '\'' | '"' => quote = Some(c),
                '#' if i == 0 || chars.get(i - 1).is_some_and(|p| p.is_whitespace()) => {
                    while chars.get(i).is_some_and(|&c| c != '\n') {
                        i += 1;
                    }
                }
                '|' => {
                    let next = chars.get(i + 1).copied();
                    let prev = if i > 0 {
                        chars.get(i - 1).copied()
                    } else {
                        None
                    };
                    if next == Some('|') {
                        i += 1;
                    } else if prev != Some('>') {
                        return true;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    false
}

/// Calls `f` for each RUN (including ONBUILD RUN when `onbuild`), with its
/// shell; `f` returns messages to emit at the instruction.
pub fn each_run(
    cx: &Context<'_>,
    out: &mut Sink<'_>,
    onbuild: bool,
    mut f: impl FnMut(&Df<'_>, &Inst<'_>, &Shell) -> Option<String>,
) {
    for df in dockerfiles(cx) {
        let mut foreign_shell = false;
        for inst in df.insts() {
            match (inst.keyword(), &inst.ins.args) {
                (Keyword::From, _) if !inst.onbuild => foreign_shell = false,
                (Keyword::Shell, Args::Json(words)) if !inst.onbuild => {
                    foreign_shell = words.first().is_some_and(|w| is_non_posix_shell(w));
                }
                _ => {}
            }
            if inst.onbuild && !onbuild {
                continue;
            }
            // PowerShell and cmd bodies are not POSIX shell.
            if *inst.keyword() != Keyword::Run || foreign_shell {
                continue;
            }
            let Some(sh) = df.shell(inst) else {
                continue;
            };
            if let Some(msg) = f(df, inst, sh) {
                emit(out, df, inst, msg);
            }
        }
    }
}

/// `pwsh`, `powershell`, `cmd` (any path, any case, `.exe` or not).
pub fn is_non_posix_shell(program: &str) -> bool {
    let base = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    matches!(base, "pwsh" | "powershell" | "cmd")
}

/// Whether a RUN has a cache or tmpfs mount whose target contains `path`.
pub fn has_cache_mount(ins: &Instruction, path: &str) -> bool {
    ins.flags.iter().any(|f| {
        f.name == "mount"
            && f.value.as_deref().is_some_and(|v| {
                let is_cache = v.split(',').any(|p| p == "type=cache" || p == "type=tmpfs");
                let target = v.split(',').any(|p| {
                    ["target=", "dst=", "destination="]
                        .iter()
                        .any(|k| p.strip_prefix(k).is_some_and(|t| t.contains(path)))
                });
                is_cache && target
            })
    })
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
    fn wrappers_are_skipped() {
        let sh = parse_shell("sudo -u x env A=1 apt-get install");
        assert_eq!(sh.cmds[0].argv, vec!["apt-get", "install"]);
        assert_eq!(sh.cmds[0].env, vec![("A".to_string(), "1".to_string())]);
        // `--user` takes a value: the program is `apt-get`, not `app`, and
        // `argv` and `env` come from the same reading of the words.
        let sh = parse_shell("sudo --user app FOO=1 apt-get install x");
        let cmd = &sh.cmds[0];
        assert_eq!(cmd.name(), "apt-get");
        assert_eq!(cmd.argv, vec!["apt-get", "install", "x"]);
        assert_eq!(cmd.env, vec![("FOO".to_string(), "1".to_string())]);
        assert_eq!(cmd.words[0], "sudo");
    }

    #[test]
    fn powershell_bodies_are_not_read_as_sh() {
        let df = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN cd C:\\\\app; sudo x\n";
        assert!(test::dl("DL3003", df).is_empty());
        assert!(test::dl("DL3004", df).is_empty());
    }

    #[test]
    fn pipes_outside_quotes() {
        assert!(has_pipe("curl x | sh"));
        assert!(!has_pipe("a || b"));
        assert!(!has_pipe("echo 'a|b'"));
    }

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

    #[test]
    fn heredoc_fed_to_a_shell_is_its_script() {
        let names = |df: &str| -> Vec<Vec<String>> {
            let file = crate::parse::dockerfile::parse("Dockerfile", df, &mut Vec::new());
            file.dockerfile
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Run)
                .map(|i| {
                    run_shell(i)
                        .map(|s| s.cmds.iter().map(|c| c.name().to_string()).collect())
                        .unwrap_or_default()
                })
                .collect()
        };
        // awesome-compose wasmedge-kafka-mysql/etl/Dockerfile:3.
        assert_eq!(
            names("FROM a:1\nRUN <<EOT bash\n  set -ex\n  apt-get update\nEOT\n"),
            vec![vec!["bash", "set", "apt-get"]]
        );
        assert_eq!(
            names("FROM a:1\nRUN bash -eo pipefail <<EOT\napt-get update\nEOT\n"),
            vec![vec!["bash", "apt-get"]]
        );
        // Data for a command, or a shell given a script another way.
        for df in [
            "FROM a:1\nRUN cat <<EOT > /x\napt-get update\nEOT\n",
            "FROM a:1\nRUN bash -c 'true' <<EOT\napt-get update\nEOT\n",
            "FROM a:1\nRUN bash ./x.sh <<EOT\napt-get update\nEOT\n",
        ] {
            let got = names(df);
            assert!(
                !got.iter().flatten().any(|n| n == "apt-get"),
                "{df}: {got:?}"
            );
        }
    }

    #[test]
    fn positional_skips_flag_values() {
        let c = Cmd {
            words: vec![],
            argv: ["apt-get", "-o", "A=b", "install", "-y", "curl"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            line: 0,
            env: Vec::new(),
            nested: false,
        };
        assert_eq!(c.positional(&["o"]), vec!["install", "curl"]);
    }
}
