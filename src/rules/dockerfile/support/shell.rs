//! The shell commands of `RUN` bodies (shell form, exec form, heredocs,
//! `sh -c`), as the shell crate reads them.

use super::{dockerfiles, emit, Df, Inst};
use crate::parse::dockerfile::{Args, Instruction, Keyword};
use crate::rules::{Context, Sink};

/// One simple command of a `RUN` body, as the shell crate reads it
/// (`kubeready_shell::SimpleCommand`): wrappers (`sudo`, `env X=1`, ...)
/// skipped in `argv`, their assignments in `env`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cmd {
    /// The words as written (wrappers included).
    pub words: Vec<String>,
    /// Where the real program starts in `words` ([`Cmd::argv`]): an
    /// offset, not a copy of the words (the parsed `RUN`s of every
    /// Dockerfile are kept for the whole rules stage).
    argv_at: u32,
    /// 0-based line within the body.
    pub line: u32,
    /// Variables set for this command (`FOO=1 cmd`, `env FOO=1 cmd`).
    pub env: Vec<(String, String)>,
    /// It came from inside `sh -c '...'`, `$(...)`, backticks or `eval`.
    pub nested: bool,
}

impl Cmd {
    /// A command of these words, no wrapper among them.
    pub fn from_argv(argv: Vec<String>, nested: bool) -> Cmd {
        Cmd {
            words: argv,
            argv_at: 0,
            line: 0,
            env: Vec::new(),
            nested,
        }
    }

    /// The words from the real program on (wrappers skipped).
    pub fn argv(&self) -> &[String] {
        self.words.get(self.argv_at as usize..).unwrap_or(&[])
    }

    /// The real program's file name (`apt-get` for `/usr/bin/apt-get`).
    pub fn name(&self) -> &str {
        self.argv()
            .first()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .unwrap_or("")
    }

    /// The arguments after the program.
    pub fn args(&self) -> &[String] {
        self.argv().get(1..).unwrap_or(&[])
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
    let mut cmds = script
        .commands
        .into_iter()
        .map(|c| {
            let argv_at = c.words.len() - c.argv().len();
            Cmd {
                argv_at: u32::try_from(argv_at).unwrap_or(u32::MAX),
                env: c.env(),
                words: c.words,
                line: c.line,
                nested: c.nested,
            }
        })
        .filter(|c| !c.words.is_empty())
        .collect::<Vec<Cmd>>();
    // Kept for the whole rules stage: a collected filter starts at four
    // slots, and most `RUN`s are one or two commands.
    cmds.shrink_to_fit();
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

#[cfg(test)]
mod tests {
    use super::super::test;
    use super::*;

    #[test]
    fn wrappers_are_skipped() {
        let sh = parse_shell("sudo -u x env A=1 apt-get install");
        assert_eq!(sh.cmds[0].argv(), vec!["apt-get", "install"]);
        assert_eq!(sh.cmds[0].env, vec![("A".to_string(), "1".to_string())]);
        // `--user` takes a value: the program is `apt-get`, not `app`, and
        // `argv` and `env` come from the same reading of the words.
        let sh = parse_shell("sudo --user app FOO=1 apt-get install x");
        let cmd = &sh.cmds[0];
        assert_eq!(cmd.name(), "apt-get");
        assert_eq!(cmd.argv(), vec!["apt-get", "install", "x"]);
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
        let c = Cmd::from_argv(
            ["apt-get", "-o", "A=b", "install", "-y", "curl"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            false,
        );
        assert_eq!(c.positional(&["o"]), vec!["install", "curl"]);
    }
}
