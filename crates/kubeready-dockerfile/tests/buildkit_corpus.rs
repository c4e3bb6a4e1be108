//! Golden tests against BuildKit's own parser test files.
//!
//! The corpus is read in place (never copied into this repository). It is
//! looked up in `$KUBEREADY_CORPUS` (the `buildkit-parser-testfiles`
//! folder), else under `$KUBEREADY_SHARED` (the `shared` folder) when it is set,
//! else in `shared/` beside the repository folder (`../shared` from the repository
//! root, where CI has it). Without it the tests print a notice and pass, so
//! a fresh clone's `cargo test` runs; with it they run in full.

use kubeready_dockerfile::{parse, Args, Dockerfile, Instruction, Keyword};
use std::io::Write;
use std::path::{Path, PathBuf};

const SUBDIR: &str = "corpus/buildkit-parser-testfiles";

fn corpus_dir() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("KUBEREADY_CORPUS").filter(|p| !p.is_empty()) {
        candidates.push(PathBuf::from(p));
    }
    match std::env::var_os("KUBEREADY_SHARED").filter(|p| !p.is_empty()) {
        Some(p) => candidates.push(PathBuf::from(p).join(SUBDIR)),
        // crates/kubeready-dockerfile -> the repository root -> its parent.
        None => candidates.push(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared")
                .join(SUBDIR),
        ),
    }
    let found = candidates
        .iter()
        .find(|c| c.join("testfiles").is_dir() && c.join("testfiles-negative").is_dir())
        .cloned();
    if found.is_none() {
        // Written to stderr directly (not `eprintln!`, which the test
        // harness captures) so the notice shows in `cargo test`'s output.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: ../shared/{SUBDIR} not found (set KUBEREADY_SHARED to the shared \
             folder or KUBEREADY_CORPUS to the corpus); tried: {}",
            candidates
                .iter()
                .map(|c| c.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    found
}

fn cases(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    out.sort();
    Ok(out)
}

/// Go's `strconv.Quote` (close enough for printable-ness outside ASCII).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            ' ' => out.push(' '),
            c if (c as u32) < 0x80 && (c.is_ascii_control()) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() || c.is_whitespace() || c == '\u{feff}' || c == '\u{ad}' => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_split_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ')
}

/// The keyword as written, lower-cased (BuildKit's `strings.ToLower(node.Value)`).
fn keyword_text(inst: &Instruction) -> String {
    let t = inst.original.trim();
    t.split(is_split_ws).next().unwrap_or("").to_lowercase()
}

fn maybe_json_args(args: &Args, out: &mut String) {
    match args {
        Args::Json(v) => {
            for a in v {
                out.push(' ');
                out.push_str(&quote(a));
            }
        }
        Args::Shell(s) if s.is_empty() => {}
        Args::Shell(s) => {
            out.push(' ');
            out.push_str(&quote(s));
        }
        other => out.push_str(&format!(" <unexpected {other:?}>")),
    }
}

/// Renders an instruction like BuildKit's `Node.Dump`.
fn dump(inst: &Instruction) -> String {
    let mut s = keyword_text(inst);
    if !inst.flags.is_empty() {
        let flags: Vec<String> = inst
            .flags
            .iter()
            .map(|f| match &f.value {
                Some(v) => quote(&format!("--{}={}", f.name, v)),
                None => quote(&format!("--{}", f.name)),
            })
            .collect();
        s.push_str(&format!(" [{}]", flags.join(" ")));
    }
    match (&inst.keyword, &inst.args) {
        (Keyword::Other(_), _) => s.push_str(" \"\""),
        (_, Args::Json(v) | Args::Words(v)) => {
            for a in v {
                s.push(' ');
                s.push_str(&quote(a));
            }
        }
        (_, Args::Shell(t)) => {
            if !t.is_empty() {
                s.push(' ');
                s.push_str(&quote(t));
            }
        }
        (Keyword::Arg, Args::KeyValues(kvs)) => {
            for kv in kvs {
                let w = match &kv.raw_value {
                    Some(v) => format!("{}={}", kv.key, v),
                    None => kv.key.clone(),
                };
                s.push(' ');
                s.push_str(&quote(&w));
            }
        }
        (_, Args::KeyValues(kvs)) => {
            for kv in kvs {
                let sep = if kv.legacy { "" } else { "=" };
                let v = kv.raw_value.clone().unwrap_or_default();
                s.push_str(&format!(" {} {} {}", quote(&kv.key), quote(&v), quote(sep)));
            }
        }
        (_, Args::Instruction(sub)) => {
            s.push_str(&format!(" ({})", dump(sub)));
        }
        (_, Args::Healthcheck(check)) => {
            let typ = inst
                .args_text()
                .split(char::is_whitespace)
                .next()
                .unwrap_or("");
            s.push(' ');
            s.push_str(&quote(typ));
            if let Some(c) = check {
                maybe_json_args(&c.args, &mut s);
            }
        }
    }
    s.trim().to_string()
}

fn dump_file(df: &Dockerfile) -> String {
    let mut s = String::new();
    for inst in &df.instructions {
        s.push('(');
        s.push_str(&dump(inst));
        s.push_str(")\n");
    }
    format!("{}\n", s.trim())
}

#[test]
fn positive_cases_match_buildkit_results() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let cases = cases(&dir.join("testfiles")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        cases.len() >= 20,
        "suspiciously few corpus cases: {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let src = std::fs::read(case.join("Dockerfile")).unwrap_or_default();
        let src = String::from_utf8_lossy(&src);
        let expected = std::fs::read_to_string(case.join("result"))
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        let df = parse(&src);
        let got = dump_file(&df);
        if !df.errors.is_empty() {
            failures.push(format!(
                "{}: unexpected errors {:?}",
                case.display(),
                df.errors
            ));
        } else if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn negative_cases_are_rejected() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let cases = cases(&dir.join("testfiles-negative")).unwrap_or_else(|e| panic!("{e}"));
    assert!(!cases.is_empty(), "no negative corpus cases");
    for case in &cases {
        let src = std::fs::read(case.join("Dockerfile")).unwrap_or_default();
        let df = parse(&String::from_utf8_lossy(&src));
        assert!(
            !df.errors.is_empty(),
            "{} should be rejected",
            case.display()
        );
    }
}
