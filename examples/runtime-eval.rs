//! Precision and recall of the runtime-fitness rules (`KR6xx`) against the
//! hand labels of `bench/real/runtime-labels/`.
//!
//! ```sh
//! cargo build --profile profiling && cargo build --profile profiling --example runtime-eval
//! ./target/profiling/examples/runtime-eval /tmp/real [--labels bench/real/runtime-labels] [--only NAME]
//! ```
//!
//! Each label file names one repository of the real corpus (the tree
//! `/tmp/real/<file stem>`), the runtime-fitness facts found in its code by
//! hand (`[[labels]]`: code, `expect = "report"` or `"either"`, and the
//! `file:line` places where a finding about it may point) and, for every
//! other `KR6xx` rule, why nothing was found (`[none]`). The tree is
//! audited (`--format json`) and every `KR6xx` finding is matched to a
//! label of the same code at the same file within a few lines:
//!
//! - a matched `report` label is a true positive, an unmatched one a miss;
//! - an `either` label (evidence ambiguous) is neither required nor wrong;
//! - a finding that matches no label is a false positive.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod support;
use support::{audit, binary};

/// The rules measured; a label file must say something about each.
const RULES: [&str; 7] = [
    "KR601", "KR602", "KR603", "KR604", "KR605", "KR606", "KR607",
];

/// How far (in lines) a finding may point from a labelled place.
const LINE_SLACK: u32 = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelFile {
    repo: String,
    #[serde(default)]
    none: BTreeMap<String, String>,
    #[serde(default)]
    labels: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fact {
    code: String,
    expect: Expect,
    at: Vec<String>,
    why: String,
}

#[derive(Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Report,
    Either,
}

#[derive(Deserialize)]
struct Report {
    findings: Vec<Finding>,
}

#[derive(Deserialize)]
struct Finding {
    code: String,
    file: String,
    line: u32,
    #[serde(default)]
    message: String,
}

#[derive(Default)]
struct Score {
    true_pos: usize,
    false_pos: usize,
    missed: usize,
    either_hit: usize,
    either_quiet: usize,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runtime-eval: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    trees: PathBuf,
    labels: PathBuf,
    only: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: runtime-eval TREES [--labels DIR] [--only NAME]";
    let mut trees = None;
    let mut labels = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/real/runtime-labels");
    let mut only = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--labels" => labels = PathBuf::from(it.next().ok_or("--labels needs a folder")?),
            "--only" => only = Some(it.next().ok_or("--only needs a name")?),
            "-h" | "--help" => return Err(usage.into()),
            _ if trees.is_none() => trees = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    Ok(Args {
        trees: trees.ok_or(usage)?,
        labels,
        only,
    })
}

/// `path:line` of a label's `at` entry.
fn place(at: &str) -> Option<(&str, u32)> {
    let (file, line) = at.rsplit_once(':')?;
    Some((file, line.parse().ok()?))
}

fn matches(fact: &Fact, finding: &Finding) -> bool {
    fact.code == finding.code
        && fact
            .at
            .iter()
            .filter_map(|a| place(a))
            .any(|(file, line)| file == finding.file && line.abs_diff(finding.line) <= LINE_SLACK)
}

/// Every rule is either labelled or explained in `[none]`, and every
/// place parses: a label file that says nothing about a rule measures
/// nothing.
fn check(name: &str, file: &LabelFile) -> Result<(), String> {
    for rule in RULES {
        let labelled = file.labels.iter().any(|f| f.code == rule);
        if !labelled && !file.none.contains_key(rule) {
            return Err(format!("{name}: no label and no [none] entry for {rule}"));
        }
    }
    for fact in &file.labels {
        if !RULES.contains(&fact.code.as_str()) {
            return Err(format!("{name}: unknown code {}", fact.code));
        }
        if fact.why.trim().is_empty() || fact.at.is_empty() {
            return Err(format!("{name}: {} label without why or at", fact.code));
        }
        if let Some(bad) = fact.at.iter().find(|a| place(a).is_none()) {
            return Err(format!("{name}: `{bad}` is not path:line"));
        }
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let bin = binary()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.labels)
        .map_err(|e| format!("{}: {e}", args.labels.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();

    let mut scores: BTreeMap<&str, Score> = RULES.iter().map(|r| (*r, Score::default())).collect();
    let mut evaluated = 0;
    for path in &files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if args.only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: LabelFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        check(&name, &file)?;
        let tree = args.trees.join(&name);
        if !tree.is_dir() {
            println!("{name}: no tree at {}", tree.display());
            continue;
        }
        let report: Report = audit(&bin, &tree).map_err(|e| format!("{name}: {e}"))?;
        evaluated += 1;
        println!("{name} ({}):", file.repo);
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| RULES.contains(&f.code.as_str()))
            .collect();
        for fact in &file.labels {
            let hit = findings.iter().any(|f| matches(fact, f));
            let Some(score) = scores.get_mut(fact.code.as_str()) else {
                continue;
            };
            let verdict = match (fact.expect, hit) {
                (Expect::Report, true) => {
                    score.true_pos += 1;
                    "found"
                }
                (Expect::Report, false) => {
                    score.missed += 1;
                    "MISSED"
                }
                (Expect::Either, true) => {
                    score.either_hit += 1;
                    "reported (either)"
                }
                (Expect::Either, false) => {
                    score.either_quiet += 1;
                    "quiet (either)"
                }
            };
            println!("  {} {verdict}: {}", fact.code, fact.at.join(", "));
        }
        for f in findings {
            if !file.labels.iter().any(|fact| matches(fact, f)) {
                if let Some(score) = scores.get_mut(f.code.as_str()) {
                    score.false_pos += 1;
                }
                println!(
                    "  {} FALSE POSITIVE: {}:{} {}",
                    f.code, f.file, f.line, f.message
                );
            }
        }
    }
    println!();
    println!("{evaluated} repositories evaluated");
    println!("rule    TP  FP  FN  precision  recall   (either: reported/quiet)");
    let mut total = Score::default();
    for (rule, s) in &scores {
        println!("{rule}  {}", line(s));
        total.true_pos += s.true_pos;
        total.false_pos += s.false_pos;
        total.missed += s.missed;
        total.either_hit += s.either_hit;
        total.either_quiet += s.either_quiet;
    }
    println!("all    {}", line(&total));
    Ok(())
}

fn line(s: &Score) -> String {
    let ratio = |a: usize, t: usize| {
        if t == 0 {
            "-".to_string()
        } else {
            format!("{a}/{t} {:.0}%", 100.0 * a as f64 / t as f64)
        }
    };
    format!(
        "{:>3} {:>3} {:>3}  {:<10} {:<9} ({}/{})",
        s.true_pos,
        s.false_pos,
        s.missed,
        ratio(s.true_pos, s.true_pos + s.false_pos),
        ratio(s.true_pos, s.true_pos + s.missed),
        s.either_hit,
        s.either_quiet
    )
}
