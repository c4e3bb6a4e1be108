//! Splitter: turns a script into a flat list of simple commands.

use crate::lexer::{lex, Op, Tok, Word};

/// Maximum nesting of `sh -c '...'`, `$(...)`, backticks and `eval` strings
/// that is expanded into nested commands. Deeper bodies stay as text.
pub const MAX_DEPTH: usize = 8;

/// A parsed script: every simple command, in source order; the commands of a
/// nested script (`sh -c`, `$(...)`, backticks, `eval`) follow the command
/// that holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// The simple commands, in order, nested ones after their holder.
    pub commands: Vec<SimpleCommand>,
}

/// How a command joins the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Connector {
    /// First command of a script (or of a nested script).
    Start,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline (also after compound keywords).
    Seq,
    /// `|` or `|&`
    Pipe,
    /// The previous command was put in the background with `&`.
    Background,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Quotes removed, escapes resolved; `$VAR`, `${VAR}`, `$(...)` and
    /// backticks kept literally. Redirections are dropped. Wrappers such as
    /// `sudo` or `env FOO=1` are kept (see [`SimpleCommand::argv`]).
    pub words: Vec<String>,
    /// Leading `FOO=bar` assignments (quotes removed from the value).
    pub assignments: Vec<(String, String)>,
    /// 0-based line within the parsed text where the command starts.
    pub line: u32,
    /// How it joins the previous command at the same nesting level.
    pub connector: Connector,
    /// It came from inside `sh -c '...'`, `$(...)`, backticks or `eval`.
    pub nested: bool,
}

impl SimpleCommand {
    /// A command with these words (no assignments, line 0, `Start`).
    pub fn from_words<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SimpleCommand {
            words: words.into_iter().map(Into::into).collect(),
            assignments: Vec::new(),
            line: 0,
            connector: Connector::Start,
            nested: false,
        }
    }

    /// The words from the real program on: `sudo -u x env FOO=1 nohup docker
    /// push img` gives `["docker", "push", "img"]`. Wrappers skipped: `sudo`,
    /// `doas`, `env` (with its flags and assignments), `exec`, `time`,
    /// `nohup`, `command` (not `command -v`), `builtin`, `nice`, `ionice`,
    /// `timeout`, `stdbuf`. A wrapper with nothing after it is itself the program.
    pub fn argv(&self) -> &[String] {
        let s = real_start(&self.words);
        self.words.get(s..).unwrap_or(&[])
    }

    /// The real program as written (`/usr/bin/docker`), wrappers skipped.
    pub fn program(&self) -> Option<&str> {
        self.argv().first().map(String::as_str)
    }

    /// The real program's file name (`docker` for `/usr/bin/docker`,
    /// `gradlew` for `./gradlew` or `gradlew.bat`).
    pub fn program_name(&self) -> Option<&str> {
        self.program().map(basename)
    }

    /// Leading assignments plus those given to `env`/`sudo` wrappers, in
    /// order (later ones win when looked up with [`SimpleCommand::env_var`]).
    pub fn env(&self) -> Vec<(String, String)> {
        let mut out = self.assignments.clone();
        let s = real_start(&self.words);
        for w in self.words.iter().take(s) {
            if let Some((k, v)) = split_assignment(w) {
                out.push((k.to_string(), v.to_string()));
            }
        }
        out
    }

    /// The value of an environment variable set on this command.
    pub fn env_var(&self, name: &str) -> Option<String> {
        self.env()
            .into_iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// The last path component, without a Windows executable suffix.
pub fn basename(p: &str) -> &str {
    let p = p.rsplit(['/', '\\']).next().unwrap_or(p);
    for suf in [".exe", ".cmd", ".bat"] {
        if let Some(s) = p.strip_suffix(suf) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    p
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `NAME=value` (also `NAME+=value`, `NAME[i]=value`) split into its parts.
pub(crate) fn split_assignment(w: &str) -> Option<(&str, &str)> {
    let (k, v) = w.split_once('=')?;
    let k = k.strip_suffix('+').unwrap_or(k);
    let base = match k.find('[') {
        Some(p) if k.ends_with(']') => k.get(..p).unwrap_or(k),
        _ => k,
    };
    if is_name(base) {
        Some((k, v))
    } else {
        None
    }
}

fn word_assignment(w: &Word) -> Option<(String, String)> {
    let eq = w.text.find('=')?;
    if eq >= w.lit_prefix {
        return None;
    }
    let (k, v) = split_assignment(&w.text)?;
    Some((k.to_string(), v.to_string()))
}

fn is_opt(a: &str) -> bool {
    a.len() > 1 && a.starts_with('-')
}

/// Index (into `words`) after the wrapper at `i` and its options, or `None`
/// if `words[i]` is not a wrapper.
fn skip_wrapper(words: &[String], i: usize) -> Option<usize> {
    let w = words.get(i)?;
    let name = basename(w);
    let mut j = i + 1;
    let get = |k: usize| words.get(k).map(String::as_str);
    match name {
        "sudo" | "doas" => {
            const VAL: &[&str] = &[
                "-u",
                "-g",
                "-h",
                "-p",
                "-C",
                "-D",
                "-r",
                "-t",
                "-U",
                "-T",
                "--user",
                "--group",
                "--host",
                "--prompt",
                "--chdir",
                "--role",
                "--type",
                "--other-user",
                "--close-from",
                "--command-timeout",
            ];
            while let Some(a) = get(j) {
                if a == "--" {
                    j += 1;
                    break;
                }
                if is_opt(a) {
                    j += if VAL.contains(&a) { 2 } else { 1 };
                } else if split_assignment(a).is_some() {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        "env" => {
            const VAL: &[&str] = &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"];
            while let Some(a) = get(j) {
                if a == "--" {
                    j += 1;
                    break;
                }
                if is_opt(a) {
                    j += if VAL.contains(&a) { 2 } else { 1 };
                } else if split_assignment(a).is_some() {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        "exec" => {
            while let Some(a) = get(j) {
                match a {
                    "-a" => j += 2,
                    "-c" | "-l" | "-cl" | "-lc" => j += 1,
                    "--" => {
                        j += 1;
                        break;
                    }
                    _ => break,
                }
            }
        }
        "time" => {
            while let Some(a) = get(j) {
                match a {
                    "-f" | "-o" | "--format" | "--output" => j += 2,
                    "--" => {
                        j += 1;
                        break;
                    }
                    _ if is_opt(a) => j += 1,
                    _ => break,
                }
            }
        }
        "nohup" | "builtin" => {
            if get(j) == Some("--") {
                j += 1;
            }
        }
        "command" => {
            while let Some(a) = get(j) {
                match a {
                    "-v" | "-V" | "-pv" | "-pV" | "-vp" | "-Vp" => return None,
                    "-p" => j += 1,
                    "--" => {
                        j += 1;
                        break;
                    }
                    _ => break,
                }
            }
        }
        "nice" => {
            while let Some(a) = get(j) {
                match a {
                    "-n" | "--adjustment" => j += 2,
                    "--" => {
                        j += 1;
                        break;
                    }
                    _ if is_opt(a) => j += 1,
                    _ => break,
                }
            }
        }
        "ionice" => {
            const VAL: &[&str] = &[
                "-c",
                "-n",
                "-p",
                "-P",
                "-u",
                "--class",
                "--classdata",
                "--pid",
                "--pgid",
                "--uid",
            ];
            while let Some(a) = get(j) {
                if a == "--" {
                    j += 1;
                    break;
                }
                if !is_opt(a) {
                    break;
                }
                j += if VAL.contains(&a) { 2 } else { 1 };
            }
        }
        "stdbuf" => {
            while let Some(a) = get(j) {
                match a {
                    "-i" | "-o" | "-e" => j += 2,
                    "--" => {
                        j += 1;
                        break;
                    }
                    _ if is_opt(a) => j += 1,
                    _ => break,
                }
            }
        }
        "timeout" => {
            while let Some(a) = get(j) {
                match a {
                    "-s" | "-k" | "--signal" | "--kill-after" => j += 2,
                    "--" => {
                        j += 1;
                        break;
                    }
                    _ if is_opt(a) => j += 1,
                    _ => break,
                }
            }
            // the duration
            if get(j).is_some() {
                j += 1;
            }
        }
        _ => return None,
    }
    Some(j)
}

/// Index of the real program in `words` (see [`SimpleCommand::argv`]).
pub(crate) fn real_start(words: &[String]) -> usize {
    let mut i = 0;
    // Each iteration strictly advances `i`, so this ends.
    while let Some(j) = skip_wrapper(words, i) {
        if j >= words.len() || j <= i {
            return i;
        }
        i = j;
    }
    i
}

/// A nested script carried by a command: `sh -c SCRIPT`, `eval ARGS`,
/// `su -c SCRIPT`. Returns the script and the word indices it came from.
fn inner_script(words: &[String]) -> Option<(String, Vec<usize>)> {
    let s = real_start(words);
    let prog = basename(words.get(s)?);
    match prog {
        "sh" | "bash" | "dash" | "zsh" | "ash" | "ksh" | "mksh" | "busybox" => {
            let mut j = s + 1;
            if prog == "busybox" {
                match words.get(j).map(String::as_str) {
                    Some("sh" | "ash") => j += 1,
                    _ => return None,
                }
            }
            let mut c_seen = false;
            while let Some(a) = words.get(j) {
                if a == "-o" || a == "+o" || a == "-O" || a == "+O" || a == "--rcfile" {
                    j += 2;
                    continue;
                }
                if a == "--" {
                    j += 1;
                    continue;
                }
                if a.starts_with("--") {
                    j += 1;
                    continue;
                }
                if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
                    if a.contains('c') {
                        c_seen = true;
                    }
                    j += 1;
                    continue;
                }
                return if c_seen {
                    Some((a.clone(), vec![j]))
                } else {
                    None
                };
            }
            None
        }
        "eval" => {
            let rest = words.get(s + 1..)?;
            if rest.is_empty() {
                return None;
            }
            Some((rest.join(" "), (s + 1..words.len()).collect()))
        }
        "su" | "runuser" => {
            let mut j = s + 1;
            while let Some(a) = words.get(j) {
                if a == "-c" || a == "--command" {
                    let v = words.get(j + 1)?;
                    return Some((v.clone(), vec![j + 1]));
                }
                if let Some(v) = a.strip_prefix("--command=") {
                    return Some((v.to_string(), vec![j]));
                }
                j += 1;
            }
            None
        }
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    /// After `for`/`select`: skip the header up to `do`.
    SkipUntilDo,
    /// After `case`: skip up to `in`.
    CaseHeader,
    /// Inside a case, before the `)` that ends a pattern.
    CasePattern,
}

struct Level<'o> {
    out: &'o mut Vec<SimpleCommand>,
    base_line: u32,
    depth: usize,
    nested: bool,
    words: Vec<Word>,
    assigns: Vec<Word>,
    pending: Option<Connector>,
    emitted: bool,
}

impl Level<'_> {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.assigns.is_empty()
    }

    fn set_pending(&mut self, c: Connector) {
        match (self.pending, c) {
            (None, _) => self.pending = Some(c),
            (Some(Connector::Seq), c) if c != Connector::Seq => self.pending = Some(c),
            _ => {}
        }
    }

    fn finish(&mut self) {
        if self.is_empty() {
            return;
        }
        let words = std::mem::take(&mut self.words);
        let assigns = std::mem::take(&mut self.assigns);
        let first_line = assigns
            .first()
            .or_else(|| words.first())
            .map_or(0, |w| w.line);
        let connector = if self.emitted {
            self.pending.unwrap_or(Connector::Seq)
        } else {
            Connector::Start
        };
        self.emitted = true;
        self.pending = None;
        let cmd = SimpleCommand {
            words: words.iter().map(|w| w.text.clone()).collect(),
            assignments: assigns.iter().filter_map(word_assignment).collect(),
            line: self.base_line.saturating_add(first_line),
            connector,
            nested: self.nested,
        };
        let inner = if self.depth < MAX_DEPTH {
            inner_script(&cmd.words)
        } else {
            None
        };
        self.out.push(cmd);
        if self.depth >= MAX_DEPTH {
            return;
        }
        let skip: &[usize] = inner.as_ref().map_or(&[], |(_, v)| v.as_slice());
        for w in &assigns {
            for sub in &w.subs {
                let line = self.base_line.saturating_add(sub.line);
                parse_into(&sub.src, line, self.depth + 1, true, self.out);
            }
        }
        for (i, w) in words.iter().enumerate() {
            if skip.contains(&i) {
                continue;
            }
            for sub in &w.subs {
                let line = self.base_line.saturating_add(sub.line);
                parse_into(&sub.src, line, self.depth + 1, true, self.out);
            }
        }
        if let Some((script, idx)) = inner {
            let l = idx
                .first()
                .and_then(|&i| words.get(i))
                .map_or(first_line, |w| w.line);
            let line = self.base_line.saturating_add(l);
            parse_into(&script, line, self.depth + 1, true, self.out);
        }
    }
}

fn is_kw(w: &Word, k: &str) -> bool {
    !w.quoted && w.text == k
}

pub(crate) fn parse_into(
    src: &str,
    base_line: u32,
    depth: usize,
    nested: bool,
    out: &mut Vec<SimpleCommand>,
) {
    let toks = lex(src, false);
    let mut lv = Level {
        out,
        base_line,
        depth,
        nested,
        words: Vec::new(),
        assigns: Vec::new(),
        pending: None,
        emitted: false,
    };
    let mut mode = Mode::Normal;
    let mut case_depth: usize = 0;
    let mut skip_word = false;
    let mut skip_func_name = false;
    let mut k = 0;
    while k < toks.len() {
        let Some(tok) = toks.get(k) else { break };
        k += 1;
        match tok {
            Tok::Redir => skip_word = true,
            Tok::Word(w) => {
                if skip_word {
                    skip_word = false;
                    continue;
                }
                match mode {
                    Mode::SkipUntilDo => {
                        if is_kw(w, "do") {
                            mode = Mode::Normal;
                        }
                        continue;
                    }
                    Mode::CaseHeader => {
                        if is_kw(w, "in") {
                            mode = Mode::CasePattern;
                        }
                        continue;
                    }
                    Mode::CasePattern => {
                        if is_kw(w, "esac") {
                            case_depth = case_depth.saturating_sub(1);
                            mode = Mode::Normal;
                        }
                        continue;
                    }
                    Mode::Normal => {}
                }
                if skip_func_name {
                    skip_func_name = false;
                    continue;
                }
                if lv.is_empty() && !w.quoted {
                    match w.text.as_str() {
                        "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!" | "{"
                        | "fi" | "done" | "}" => continue,
                        "esac" => {
                            case_depth = case_depth.saturating_sub(1);
                            continue;
                        }
                        "for" | "select" => {
                            mode = Mode::SkipUntilDo;
                            continue;
                        }
                        "case" => {
                            case_depth += 1;
                            mode = Mode::CaseHeader;
                            continue;
                        }
                        "function" => {
                            skip_func_name = true;
                            continue;
                        }
                        _ => {}
                    }
                }
                if lv.words.is_empty() && word_assignment(w).is_some() {
                    lv.assigns.push(w.clone());
                } else {
                    lv.words.push(w.clone());
                }
            }
            Tok::Op(op) => {
                skip_word = false;
                match mode {
                    Mode::SkipUntilDo | Mode::CaseHeader => continue,
                    Mode::CasePattern => {
                        if *op == Op::RParen {
                            mode = Mode::Normal;
                        }
                        continue;
                    }
                    Mode::Normal => {}
                }
                match op {
                    Op::LParen => {
                        if lv.words.len() == 1
                            && lv.assigns.is_empty()
                            && matches!(toks.get(k), Some(Tok::Op(Op::RParen)))
                        {
                            // `name() { ...; }`: a function definition.
                            lv.words.clear();
                            k += 1;
                        } else {
                            lv.finish();
                        }
                    }
                    Op::RParen => lv.finish(),
                    Op::DSemi => {
                        lv.finish();
                        if case_depth > 0 {
                            mode = Mode::CasePattern;
                        }
                    }
                    Op::And => {
                        lv.finish();
                        lv.set_pending(Connector::And);
                    }
                    Op::Or => {
                        lv.finish();
                        lv.set_pending(Connector::Or);
                    }
                    Op::Pipe => {
                        lv.finish();
                        lv.set_pending(Connector::Pipe);
                    }
                    Op::Amp => {
                        lv.finish();
                        lv.set_pending(Connector::Background);
                    }
                    Op::Semi | Op::Newline => {
                        lv.finish();
                        lv.set_pending(Connector::Seq);
                    }
                }
            }
        }
    }
    lv.finish();
}

/// Split a script into simple commands. Never panics; linear in the input
/// (times the nesting cap [`MAX_DEPTH`]).
pub fn parse_script(src: &str) -> Script {
    let mut commands = Vec::new();
    parse_into(src, 0, 0, false, &mut commands);
    Script { commands }
}

/// Split one string into words the way a shell would (quotes removed,
/// escapes resolved, `$(...)` kept as one word), without interpreting
/// operators, comments or redirections.
pub fn split_words(s: &str) -> Vec<String> {
    lex(s, true)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(w.text),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(src: &str) -> Vec<Vec<String>> {
        parse_script(src)
            .commands
            .into_iter()
            .map(|c| c.words)
            .collect()
    }

    fn v(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn operators_and_connectors() {
        let s = parse_script("a && b || c; d | e & f\ng");
        let got: Vec<(String, Connector)> = s
            .commands
            .iter()
            .map(|c| (c.words[0].clone(), c.connector))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), Connector::Start),
                ("b".into(), Connector::And),
                ("c".into(), Connector::Or),
                ("d".into(), Connector::Seq),
                ("e".into(), Connector::Pipe),
                ("f".into(), Connector::Background),
                ("g".into(), Connector::Seq),
            ]
        );
        assert_eq!(s.commands[6].line, 1);
    }

    #[test]
    fn and_across_newline_keeps_and() {
        let s = parse_script("a &&\n  b");
        assert_eq!(s.commands[1].connector, Connector::And);
        assert_eq!(s.commands[1].line, 1);
    }

    #[test]
    fn quotes_escapes_continuations() {
        let s = parse_script("docker build \\\n  -t 'my app' \\\n  \"--build-arg=A=$B\" .\necho x");
        assert_eq!(
            s.commands[0].words,
            v(&["docker", "build", "-t", "my app", "--build-arg=A=$B", "."])
        );
        assert_eq!(s.commands[1].line, 3);
        assert_eq!(s.commands[1].connector, Connector::Seq);
    }

    #[test]
    fn comments_are_dropped() {
        assert_eq!(
            cmds("# hello\necho a#b # trailing && rm -rf /\n  # more"),
            vec![v(&["echo", "a#b"])]
        );
    }

    #[test]
    fn assignments() {
        let s = parse_script("FOO=1 BAR=\"x y\" make build A=b");
        let c = &s.commands[0];
        assert_eq!(
            c.assignments,
            vec![("FOO".into(), "1".into()), ("BAR".into(), "x y".into())]
        );
        assert_eq!(c.words, v(&["make", "build", "A=b"]));
        // a quoted name is not an assignment
        let s = parse_script("\"FOO\"=1 cmd");
        assert!(s.commands[0].assignments.is_empty());
        // assignment-only command
        let s = parse_script("DOCKER_HOST=ssh://x");
        assert!(s.commands[0].words.is_empty());
        assert_eq!(s.commands[0].assignments[0].0, "DOCKER_HOST");
    }

    #[test]
    fn redirections_dropped() {
        assert_eq!(
            cmds("cmd >out 2>&1 < in >> log &> all 2> err a >| b 3<&0 x"),
            vec![v(&["cmd", "a", "x"])]
        );
        assert_eq!(cmds("echo 2>/dev/null hi"), vec![v(&["echo", "hi"])]);
        assert_eq!(cmds("cat <<< \"$x\" y"), vec![v(&["cat", "y"])]);
        // a digit word that is not a redirection
        assert_eq!(cmds("sleep 10"), vec![v(&["sleep", "10"])]);
    }

    #[test]
    fn heredoc_body_is_not_commands() {
        let src = "cat <<EOF > f.txt\ndocker push evil\nEOF\ndocker build .\ncat <<-'X'\n\trm -rf /\n\tX\necho done";
        let s = parse_script(src);
        let w: Vec<_> = s.commands.iter().map(|c| c.words.clone()).collect();
        assert_eq!(
            w,
            vec![
                v(&["cat"]),
                v(&["docker", "build", "."]),
                v(&["cat"]),
                v(&["echo", "done"])
            ]
        );
        assert_eq!(s.commands[1].line, 3);
        assert_eq!(s.commands[3].line, 7);
    }

    #[test]
    fn unterminated_heredoc() {
        assert_eq!(cmds("cat <<EOF\nrm -rf /\n"), vec![v(&["cat"])]);
    }

    #[test]
    fn command_substitution_nested() {
        let s = parse_script("docker login -p $(aws ecr get-login-password) reg");
        assert_eq!(s.commands.len(), 2);
        assert_eq!(
            s.commands[0].words,
            v(&[
                "docker",
                "login",
                "-p",
                "$(aws ecr get-login-password)",
                "reg"
            ])
        );
        assert!(!s.commands[0].nested);
        assert_eq!(
            s.commands[1].words,
            v(&["aws", "ecr", "get-login-password"])
        );
        assert!(s.commands[1].nested);
        assert_eq!(s.commands[1].connector, Connector::Start);
        let s = parse_script("TAG=`git rev-parse HEAD`");
        assert_eq!(s.commands[1].words, v(&["git", "rev-parse", "HEAD"]));
    }

    #[test]
    fn sh_c_nested() {
        let s = parse_script("sh -c 'docker build -t a . && docker push a'");
        assert_eq!(s.commands.len(), 3);
        assert_eq!(s.commands[0].words[0], "sh");
        assert_eq!(s.commands[1].words, v(&["docker", "build", "-t", "a", "."]));
        assert!(s.commands[1].nested);
        assert_eq!(s.commands[2].connector, Connector::And);
        for src in [
            "bash -c \"make test\"",
            "/bin/sh -ec 'make test'",
            "bash -o pipefail -c 'make test'",
            "sudo -u ci bash -lc 'make test'",
            "eval \"make test\"",
            "su - app -c 'make test'",
        ] {
            let s = parse_script(src);
            assert_eq!(s.commands.len(), 2, "{src}");
            assert_eq!(s.commands[1].words, v(&["make", "test"]), "{src}");
        }
        // a script file, not -c
        assert_eq!(parse_script("bash ./deploy.sh").commands.len(), 1);
    }

    #[test]
    fn sh_c_with_substitution_not_duplicated() {
        let s = parse_script("sh -c \"docker push $(cat name)\"");
        assert_eq!(s.commands.len(), 3);
        assert_eq!(s.commands[2].words, v(&["cat", "name"]));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut src = String::from("echo hi");
        for _ in 0..10 {
            src = format!("sh -c {}", shell_quote(&src));
        }
        let s = parse_script(&src);
        assert_eq!(s.commands.len(), MAX_DEPTH + 1);
        let src = "eval ".repeat(1000) + "echo hi";
        assert_eq!(parse_script(&src).commands.len(), MAX_DEPTH + 1);
        let deep = "$(".repeat(10_000) + &")".repeat(10_000);
        let s = parse_script(&deep);
        assert!(s.commands.len() <= MAX_DEPTH + 1);
    }

    fn shell_quote(s: &str) -> String {
        format!("'{}'", s.replace('\'', "'\\''"))
    }

    #[test]
    fn compound_keywords() {
        let src = "if [ -f x ]; then\n  docker build .\nelif true; then a\nelse\n  b\nfi\nfor i in 1 2 3; do echo $i; done\nwhile read l; do c; done < file\nuntil d; do e; done";
        assert_eq!(
            cmds(src),
            vec![
                v(&["[", "-f", "x", "]"]),
                v(&["docker", "build", "."]),
                v(&["true"]),
                v(&["a"]),
                v(&["b"]),
                v(&["echo", "$i"]),
                v(&["read", "l"]),
                v(&["c"]),
                v(&["d"]),
                v(&["e"]),
            ]
        );
    }

    #[test]
    fn case_groups_functions_subshells() {
        let src = "case \"$1\" in\n  build|b) docker build . ;;\n  (push) docker push x;;\n  *) echo usage;;\nesac\n{ a; b; }\n(cd dir && c)\ndeploy() {\n  kubectl apply -f k8s\n}\nfunction f { g; }\nfor ((i=0;i<3;i++)); do h; done";
        assert_eq!(
            cmds(src),
            vec![
                v(&["docker", "build", "."]),
                v(&["docker", "push", "x"]),
                v(&["echo", "usage"]),
                v(&["a"]),
                v(&["b"]),
                v(&["cd", "dir"]),
                v(&["c"]),
                v(&["kubectl", "apply", "-f", "k8s"]),
                v(&["g"]),
                v(&["h"]),
            ]
        );
    }

    #[test]
    fn nested_case() {
        let src = "case a in x) case b in y) one;; esac; two;; z) three;; esac; four";
        assert_eq!(
            cmds(src),
            vec![v(&["one"]), v(&["two"]), v(&["three"]), v(&["four"])]
        );
    }

    #[test]
    fn keywords_only_in_command_position() {
        assert_eq!(
            cmds("echo if then fi }"),
            vec![v(&["echo", "if", "then", "fi", "}"])]
        );
        assert_eq!(cmds("\"if\" x"), vec![v(&["if", "x"])]);
    }

    #[test]
    fn wrappers() {
        let c =
            &parse_script("sudo -E -u root env FOO=1 -i BAR=2 nohup docker push img").commands[0];
        assert_eq!(c.words[0], "sudo");
        assert_eq!(c.program(), Some("docker"));
        assert_eq!(c.argv(), &v(&["docker", "push", "img"])[..]);
        assert_eq!(c.env_var("BAR").as_deref(), Some("2"));
        let c = &parse_script("time -p timeout 10m /usr/bin/docker build .").commands[0];
        assert_eq!(c.program(), Some("/usr/bin/docker"));
        assert_eq!(c.program_name(), Some("docker"));
        let c = &parse_script("command -v docker").commands[0];
        assert_eq!(c.program(), Some("command"));
        let c = &parse_script("exec -a name gunicorn app").commands[0];
        assert_eq!(c.program(), Some("gunicorn"));
        let c = &parse_script("env").commands[0];
        assert_eq!(c.program(), Some("env"));
        let c = &parse_script("sudo").commands[0];
        assert_eq!(c.program(), Some("sudo"));
        let c = &parse_script("X=1").commands[0];
        assert_eq!(c.program(), None);
        assert_eq!(basename("C:\\tools\\gradlew.bat"), "gradlew");
        // Long options that take a value skip it.
        let c = &parse_script("sudo --user app FOO=1 apt-get install x").commands[0];
        assert_eq!(c.argv(), &v(&["apt-get", "install", "x"])[..]);
        assert_eq!(c.env_var("FOO").as_deref(), Some("1"));
        let c = &parse_script("ionice -c 3 nice -n 10 make all").commands[0];
        assert_eq!(c.argv(), &v(&["make", "all"])[..]);
    }

    #[test]
    fn crlf_and_bom() {
        let s = parse_script("\u{feff}echo a\r\necho b \\\r\n c\r\n");
        assert_eq!(
            s.commands
                .iter()
                .map(|c| c.words.clone())
                .collect::<Vec<_>>(),
            vec![v(&["echo", "a"]), v(&["echo", "b", "c"])]
        );
    }

    #[test]
    fn unbalanced_input_does_not_panic() {
        for src in [
            "echo 'unterminated",
            "echo \"unterminated $(foo",
            "echo $(",
            "echo `",
            "echo ${",
            "a && && || ;; ) ( ((",
            "\\",
            "'",
            "\"",
            "$'\\",
            "cat <<",
            "cat <<EOF",
            "<(",
            "2>",
            "case",
            "case x in",
            "for",
            "esac fi done }",
            "f() ",
            "é ü 日本 && ü",
        ] {
            let _ = parse_script(src);
            let _ = split_words(src);
        }
        assert_eq!(cmds("echo 'a b"), vec![v(&["echo", "a b"])]);
    }

    #[test]
    fn huge_and_chain_is_linear() {
        let src = "true && ".repeat(100_000) + "true";
        let s = parse_script(&src);
        assert_eq!(s.commands.len(), 100_001);
        assert!(s
            .commands
            .iter()
            .skip(1)
            .all(|c| c.connector == Connector::And));
        let src = "&&".repeat(100_000);
        assert!(parse_script(&src).commands.is_empty());
        let src = "(".repeat(100_000);
        assert!(parse_script(&src).commands.len() <= 1);
        let src = "( ".repeat(100_000) + "x" + &" )".repeat(100_000);
        assert_eq!(parse_script(&src).commands.len(), 1);
        let src = "a | ".repeat(50_000)
            + "
" + &"x <<E
"
        .repeat(10_000);
        let _ = parse_script(&src);
        let src = "\"$(".repeat(50_000);
        let _ = parse_script(&src);
    }

    #[test]
    fn split_words_basic() {
        assert_eq!(
            split_words("-t 'a b' --x=\"$(date +%s)\" c\\ d e|f #g"),
            v(&["-t", "a b", "--x=$(date +%s)", "c d", "e|f", "#g"])
        );
        assert!(split_words("   ").is_empty());
    }

    #[test]
    fn process_substitution() {
        let s = parse_script("diff <(docker images) b");
        assert_eq!(s.commands[0].words, v(&["diff", "<(docker images)", "b"]));
        assert_eq!(s.commands[1].words, v(&["docker", "images"]));
    }

    #[test]
    fn nested_lines_are_offset() {
        let s = parse_script("echo\nsh -c '\n  docker build .\n'");
        let d = s
            .commands
            .iter()
            .find(|c| c.words.first().map(String::as_str) == Some("docker"));
        assert_eq!(d.map(|c| c.line), Some(2));
    }
}
