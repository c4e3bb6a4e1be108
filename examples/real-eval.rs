//! Evaluates kubeready against the hand labels of `bench/real/labels/`.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example real-eval -- /tmp/real [--labels bench/real/labels] [--only NAME]
//! ```
//!
//! `/tmp/real` holds one checked-out tree per label file, named like the
//! label without `.toml` (`bench/real/checkout.sh` makes it). Each tree is
//! audited with the release binary (`--format json`), and the verdicts are
//! compared with the labels: repository kind, service sets, the seven
//! steps and the five sections. It prints every disagreement and the
//! agreement figures; labels marked `uncertain` are counted apart.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod support;
use support::{audit, binary};

#[derive(Deserialize)]
struct Label {
    repo: String,
    commit: String,
    kind: String,
    #[serde(default)]
    services: Vec<LabelService>,
    #[serde(default)]
    steps: BTreeMap<String, Verdict>,
    #[serde(default)]
    sections: BTreeMap<String, Verdict>,
}

#[derive(Deserialize)]
struct LabelService {
    path: String,
    language: String,
}

#[derive(Deserialize)]
struct Verdict {
    status: String,
    #[serde(default)]
    uncertain: bool,
}

#[derive(Deserialize)]
struct Report {
    #[serde(default)]
    repository: Option<Repository>,
    steps: Vec<Status>,
    sections: Vec<Status>,
    services: Vec<ReportService>,
}

#[derive(Deserialize)]
struct Repository {
    kind: String,
}

#[derive(Deserialize)]
struct Status {
    id: String,
    status: String,
}

#[derive(Deserialize)]
struct ReportService {
    path: String,
    language: String,
}

/// Agreement counts for one kind of verdict.
#[derive(Default)]
struct Tally {
    agree: usize,
    total: usize,
    uncertain_agree: usize,
    uncertain_total: usize,
}

impl Tally {
    fn add(&mut self, agrees: bool, uncertain: bool) {
        if uncertain {
            self.uncertain_total += 1;
            self.uncertain_agree += usize::from(agrees);
        } else {
            self.total += 1;
            self.agree += usize::from(agrees);
        }
    }

    fn line(&self, what: &str) -> String {
        let pct = |a: usize, t: usize| {
            if t == 0 {
                "-".to_string()
            } else {
                format!("{:.1}%", 100.0 * a as f64 / t as f64)
            }
        };
        format!(
            "{what:<10} {:>4}/{:<4} {:>6}   (uncertain labels: {}/{})",
            self.agree,
            self.total,
            pct(self.agree, self.total),
            self.uncertain_agree,
            self.uncertain_total
        )
    }
}

struct Args {
    trees: PathBuf,
    labels: PathBuf,
    only: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut trees = None;
    let mut labels = manifest.join("bench/real/labels");
    let mut only = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--labels" => labels = PathBuf::from(it.next().ok_or("--labels needs a folder")?),
            "--only" => only = Some(it.next().ok_or("--only needs a name")?),
            "-h" | "--help" => {
                return Err("usage: real-eval TREES [--labels DIR] [--only NAME]".into())
            }
            _ if trees.is_none() => trees = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    let trees = trees.ok_or("usage: real-eval TREES [--labels DIR] [--only NAME]")?;
    Ok(Args {
        trees,
        labels,
        only,
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("real-eval: {e}");
            ExitCode::from(2)
        }
    }
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

    let (mut kinds, mut services, mut steps, mut sections) = Default::default();
    let mut false_done = Vec::new();
    let mut step_by_id: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missing_trees = Vec::new();
    let mut evaluated = 0;
    for file in &files {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if args.only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let label: Label = toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let tree = args.trees.join(&name);
        if !tree.is_dir() {
            missing_trees.push(name);
            continue;
        }
        let report = match audit(&bin, &tree) {
            Ok(r) => r,
            Err(e) => {
                println!("{name}: audit failed: {e}");
                continue;
            }
        };
        evaluated += 1;
        let mut diffs = Vec::new();
        compare_repo(
            &label,
            &report,
            &mut diffs,
            (&mut kinds, &mut services, &mut steps, &mut sections),
            &mut step_by_id,
            &mut false_done,
        );
        if diffs.is_empty() {
            println!(
                "{name} ({} @ {}): all agree",
                label.repo,
                &label.commit[..8.min(label.commit.len())]
            );
        } else {
            println!(
                "{name} ({} @ {}):",
                label.repo,
                &label.commit[..8.min(label.commit.len())]
            );
            for d in diffs {
                println!("  {d}");
            }
        }
    }
    println!();
    println!("{evaluated} repositories evaluated");
    if !missing_trees.is_empty() {
        println!("no tree for: {}", missing_trees.join(", "));
    }
    println!("{}", kinds.line("kind"));
    println!("{}", services.line("services"));
    println!("{}", steps.line("steps"));
    println!("{}", sections.line("sections"));
    for (id, t) in &step_by_id {
        println!("  {}", t.line(id));
    }
    println!("false done: {}", false_done.len());
    for f in &false_done {
        println!("  {f}");
    }
    Ok(())
}

fn compare_repo(
    label: &Label,
    report: &Report,
    diffs: &mut Vec<String>,
    (kinds, services, steps, sections): (&mut Tally, &mut Tally, &mut Tally, &mut Tally),
    step_by_id: &mut BTreeMap<String, Tally>,
    false_done: &mut Vec<String>,
) {
    let found_kind = report
        .repository
        .as_ref()
        .map_or("(none)", |r| r.kind.as_str());
    kinds.add(found_kind == label.kind, false);
    if found_kind != label.kind {
        diffs.push(format!(
            "kind: label {} / kubeready {found_kind}",
            label.kind
        ));
    }

    let want: BTreeMap<&str, &str> = label
        .services
        .iter()
        .map(|s| (s.path.as_str(), s.language.as_str()))
        .collect();
    let got: BTreeMap<&str, &str> = report
        .services
        .iter()
        .map(|s| (s.path.as_str(), s.language.as_str()))
        .collect();
    services.add(want == got, false);
    for (path, lang) in &want {
        match got.get(path) {
            None => diffs.push(format!("service missed: {path} ({lang})")),
            Some(l) if l != lang => {
                diffs.push(format!("service {path}: label {lang} / kubeready {l}"))
            }
            Some(_) => {}
        }
    }
    for (path, lang) in &got {
        if !want.contains_key(path) {
            diffs.push(format!("service not in labels: {path} ({lang})"));
        }
    }

    for (which, labels, found, tally) in [
        ("step", &label.steps, &report.steps, steps),
        ("section", &label.sections, &report.sections, sections),
    ] {
        for (id, verdict) in labels {
            let got = found
                .iter()
                .find(|s| s.id == *id)
                .map_or("(none)", |s| s.status.as_str());
            let agrees = got == verdict.status;
            tally.add(agrees, verdict.uncertain);
            if which == "step" {
                step_by_id
                    .entry(id.clone())
                    .or_default()
                    .add(agrees, verdict.uncertain);
                if got == "done" && verdict.status != "done" {
                    false_done.push(format!("{} {id}: label {}", label.repo, verdict.status));
                }
            }
            if !agrees {
                let mark = if verdict.uncertain {
                    " (uncertain)"
                } else {
                    ""
                };
                diffs.push(format!(
                    "{which} {id}: label {} / kubeready {got}{mark}",
                    verdict.status
                ));
            }
        }
    }
}
