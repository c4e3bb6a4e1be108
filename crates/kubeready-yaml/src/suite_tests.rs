//! The YAML test suite (yaml/yaml-test-suite, `data` branch) through both
//! ways this crate parses: the fast scanner and saphyr-parser.
//!
//! The suite is read in place from `$KUBEREADY_SHARED/corpus/yaml-test-suite`
//! or, without that variable, from `../shared/corpus/yaml-test-suite`
//! beside the workspace root; when neither exists the test prints a notice
//! and passes.
//!
//! What must hold, case by case:
//!
//! * the fast scanner may decline any case, but a case it takes must give
//!   saphyr's events (with their positions) and saphyr's trees, and must not
//!   be one the suite marks as an error;
//! * saphyr's result (and that of [`crate::load`], which retries some
//!   rejected streams) differs from the suite only on the cases listed
//!   below, whose reasons are in the crate's README.
//!
//! The figures are printed (`cargo test -p kubeready-yaml suite --
//! --nocapture`).

use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::{build, fast, Limits};

/// Valid cases whose events from saphyr-parser differ from the suite's.
const SAPHYR_DIFFERS: &[&str] = &[];

/// Valid cases saphyr-parser rejects.
const SAPHYR_REJECTS: &[&str] = &[];

/// Error cases saphyr-parser accepts.
const SAPHYR_ACCEPTS_ERROR: &[&str] = &[];

/// Error cases [`crate::load`] accepts although saphyr-parser rejects them
/// (the retry with indented closing brackets).
const LOAD_ACCEPTS_ERROR: &[&str] = &[];

fn suite_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("KUBEREADY_SHARED") {
        Some(shared) => PathBuf::from(shared).join("corpus/yaml-test-suite"),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/yaml-test-suite")
        }
    };
    dir.is_dir().then_some(dir)
}

struct Case {
    id: String,
    src: String,
    /// The suite's events, normalised as [`expected_events`] says.
    events: Vec<String>,
    error: bool,
    /// `out.yaml` and `emit.yaml`, where the case has them.
    emitted: Vec<(&'static str, String)>,
}

/// Every case: a folder with `in.yaml`, either a test id or a numbered
/// sub-case (`2G84/00` is `2G84-00`).
fn cases(dir: &Path) -> Vec<Case> {
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable suite").flatten() {
        let path = entry.path();
        if path.join("in.yaml").is_file() {
            folders.push(path);
        } else if path.is_dir() {
            for sub in std::fs::read_dir(&path).expect("readable case").flatten() {
                if sub.path().join("in.yaml").is_file() {
                    folders.push(sub.path());
                }
            }
        }
    }
    folders.sort();
    folders
        .into_iter()
        .map(|folder| {
            let rel = folder.strip_prefix(dir).expect("under the suite");
            let id = rel.to_string_lossy().replace('/', "-");
            let src = std::fs::read_to_string(folder.join("in.yaml")).expect("UTF-8 input");
            let events = std::fs::read_to_string(folder.join("test.event")).unwrap_or_default();
            Case {
                id,
                src,
                events: expected_events(&events),
                error: folder.join("error").is_file(),
                emitted: ["out.yaml", "emit.yaml"]
                    .into_iter()
                    .filter_map(|name| {
                        let text = std::fs::read_to_string(folder.join(name)).ok()?;
                        Some((name, text))
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The suite's events in the form [`event_line`] writes: anchors numbered
/// in order of definition (saphyr's events carry ids, not names), and
/// without what saphyr's events do not record (flow or block style of
/// collections, explicit document ends).
fn expected_events(text: &str) -> Vec<String> {
    let mut anchors: Vec<String> = Vec::new();
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut line = line.to_string();
            if let Some(rest) = line.strip_prefix("=ALI *") {
                let id = anchors.iter().rposition(|a| a == rest).map_or(0, |i| i + 1);
                return format!("=ALI *{id}");
            }
            // An anchor is the first word starting with `&` before the
            // scalar's text.
            let head_end = line.find([':', '\'', '"', '|', '>']).unwrap_or(line.len());
            if let Some(start) = line[..head_end].find(" &") {
                let name_end = line[start + 2..]
                    .find(' ')
                    .map_or(line.len(), |e| start + 2 + e);
                anchors.push(line[start + 2..name_end].to_string());
                line.replace_range(start + 2..name_end, &anchors.len().to_string());
            }
            for (from, to) in [
                ("+DOC ---", "+DOC"),
                ("-DOC ...", "-DOC"),
                ("+SEQ []", "+SEQ"),
                ("+MAP {}", "+MAP"),
            ] {
                if let Some(rest) = line.strip_prefix(from) {
                    line = format!("{to}{rest}");
                }
            }
            line
        })
        .collect()
}

/// One event in the suite's notation (saphyr does not tell explicit
/// document starts apart in a way the suite's `+DOC ---` could be
/// checked against for implicit ones, so both are `+DOC`).
fn event_line(event: &Event<'_>) -> Option<String> {
    let props = |anchor: usize, tag: &Option<std::borrow::Cow<'_, saphyr_parser::Tag>>| {
        let mut s = String::new();
        if anchor > 0 {
            s.push_str(&format!(" &{anchor}"));
        }
        if let Some(tag) = tag {
            s.push_str(&format!(" <{}{}>", tag.handle, tag.suffix));
        }
        s
    };
    Some(match event {
        Event::Nothing => return None,
        Event::StreamStart => "+STR".into(),
        Event::StreamEnd => "-STR".into(),
        Event::DocumentStart(_) => "+DOC".into(),
        Event::DocumentEnd => "-DOC".into(),
        Event::Alias(id) => format!("=ALI *{id}"),
        Event::SequenceStart(anchor, tag) => format!("+SEQ{}", props(*anchor, tag)),
        Event::SequenceEnd => "-SEQ".into(),
        Event::MappingStart(anchor, tag) => format!("+MAP{}", props(*anchor, tag)),
        Event::MappingEnd => "-MAP".into(),
        Event::Scalar(text, style, anchor, tag) => {
            let indicator = match style {
                ScalarStyle::Plain => ':',
                ScalarStyle::SingleQuoted => '\'',
                ScalarStyle::DoubleQuoted => '"',
                ScalarStyle::Literal => '|',
                ScalarStyle::Folded => '>',
            };
            let mut escaped = String::with_capacity(text.len());
            for c in text.chars() {
                match c {
                    '\\' => escaped.push_str("\\\\"),
                    '\n' => escaped.push_str("\\n"),
                    '\r' => escaped.push_str("\\r"),
                    '\t' => escaped.push_str("\\t"),
                    '\u{8}' => escaped.push_str("\\b"),
                    c => escaped.push(c),
                }
            }
            format!("=VAL{} {indicator}{escaped}", props(*anchor, tag))
        }
    })
}

/// An event with the start position of nodes (what the tree reads).
type Positioned<'a> = (Event<'a>, Option<(usize, usize, usize)>);

fn positioned(event: Event<'_>, span: Span) -> Positioned<'_> {
    let start = span.start;
    let at = match event {
        Event::Scalar(..)
        | Event::SequenceStart(..)
        | Event::MappingStart(..)
        | Event::Alias(_) => Some((start.index(), start.line(), start.col())),
        _ => None,
    };
    (event, at)
}

/// saphyr's events for `src`, or `None` when it rejects it.
fn saphyr_events(src: &str) -> Option<Vec<Positioned<'_>>> {
    let mut parser = Parser::new_from_str(src);
    let mut out = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.ok()?;
        out.push(positioned(event, span));
    }
    Some(out)
}

/// How the fast scanner's take on `src` differs from saphyr's (`reference`).
fn fast_differences<'a>(
    src: &'a str,
    fast: Vec<(Event<'a>, Span)>,
    reference: &Option<Vec<Positioned<'a>>>,
) -> Vec<&'static str> {
    let fast: Vec<_> = fast.into_iter().map(|(e, s)| positioned(e, s)).collect();
    let mut wrong = Vec::new();
    match reference {
        None => wrong.push("saphyr rejects it"),
        Some(events) if *events != fast => wrong.push("events differ from saphyr's"),
        Some(_) => {}
    }
    let tight = Limits {
        max_nodes: 12,
        max_depth: 3,
    };
    for limits in [Limits::default(), tight] {
        let a = format!("{:?}", build::load(src, &limits));
        let b = format!("{:?}", build::load_with_saphyr(src, &limits));
        if a != b {
            wrong.push("trees differ from saphyr's");
        }
    }
    wrong
}

fn lines<T>(events: &[(Event<'_>, T)]) -> Vec<String> {
    events.iter().filter_map(|(e, _)| event_line(e)).collect()
}

#[derive(Default)]
struct Figures {
    cases: usize,
    valid: usize,
    errors: usize,
    saphyr_matches: usize,
    saphyr_rejects_error: usize,
    fast_takes: usize,
    fast_takes_matching_suite: usize,
    emitted: usize,
    fast_takes_emitted: usize,
    load_rejects_error: usize,
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn known(list: &[&str]) -> Vec<String> {
    sorted(list.iter().map(|s| s.to_string()).collect())
}

#[test]
fn yaml_test_suite() {
    let Some(dir) = suite_dir() else {
        // Straight to stderr, past the test harness's capture, so the
        // notice shows in a plain `cargo test`.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: yaml-test-suite not found (set KUBEREADY_SHARED to the folder holding \
             corpus/yaml-test-suite, or put shared/ beside the repository)"
        );
        return;
    };
    let mut f = Figures::default();
    let mut fast_wrong = Vec::new();
    let mut saphyr_differs = Vec::new();
    let mut saphyr_rejects = Vec::new();
    let mut saphyr_accepts_error = Vec::new();
    let mut load_accepts_error = Vec::new();
    for case in cases(&dir) {
        f.cases += 1;
        // The crate strips a byte order mark before either parser sees it.
        let src = case.src.strip_prefix('\u{feff}').unwrap_or(&case.src);
        let reference = saphyr_events(src);
        match (&reference, case.error) {
            (Some(events), false) => {
                f.valid += 1;
                if lines(events) == case.events {
                    f.saphyr_matches += 1;
                } else {
                    saphyr_differs.push(case.id.clone());
                }
            }
            (None, false) => {
                f.valid += 1;
                saphyr_rejects.push(case.id.clone());
            }
            (Some(_), true) => {
                f.errors += 1;
                saphyr_accepts_error.push(case.id.clone());
            }
            (None, true) => {
                f.errors += 1;
                f.saphyr_rejects_error += 1;
            }
        }
        if case.error {
            if crate::load(&case.src, &Limits::default()).error.is_some() {
                f.load_rejects_error += 1;
            } else if reference.is_none() {
                load_accepts_error.push(case.id.clone());
            }
        }
        if let Some(fast) = fast::events(src) {
            f.fast_takes += 1;
            if lines(&fast) == case.events {
                f.fast_takes_matching_suite += 1;
            }
            let mut wrong = fast_differences(src, fast, &reference);
            if case.error {
                wrong.push("the suite says it is an error");
            }
            if !wrong.is_empty() {
                fast_wrong.push(format!("{}: {}", case.id, wrong.join("; ")));
            }
        }
        // The suite's re-emitted forms of the input are valid YAML too, and
        // closer to what configuration files look like: the fast path must
        // agree with saphyr on them as well.
        for (name, other) in &case.emitted {
            let other = other.strip_prefix('\u{feff}').unwrap_or(other);
            f.emitted += 1;
            if let Some(fast) = fast::events(other) {
                f.fast_takes_emitted += 1;
                let wrong = fast_differences(other, fast, &saphyr_events(other));
                if !wrong.is_empty() {
                    fast_wrong.push(format!("{}/{name}: {}", case.id, wrong.join("; ")));
                }
            }
        }
    }
    println!("yaml-test-suite at {}", dir.display());
    println!(
        "  {} cases: {} valid, {} errors",
        f.cases, f.valid, f.errors
    );
    println!(
        "  saphyr: {} of {} valid cases give the suite's events, {} differ, {} rejected; \
         {} of {} error cases rejected, {} accepted",
        f.saphyr_matches,
        f.valid,
        saphyr_differs.len(),
        saphyr_rejects.len(),
        f.saphyr_rejects_error,
        f.errors,
        saphyr_accepts_error.len()
    );
    println!(
        "  load(): {} of {} error cases rejected; accepted although saphyr rejects: {:?}",
        f.load_rejects_error, f.errors, load_accepts_error
    );
    println!(
        "  fast path: takes {} of {} cases ({} give the suite's events), declines {}; \
         and {} of the {} re-emitted inputs (out.yaml, emit.yaml); wrong: {}",
        f.fast_takes,
        f.cases,
        f.fast_takes_matching_suite,
        f.cases - f.fast_takes,
        f.fast_takes_emitted,
        f.emitted,
        fast_wrong.len()
    );
    println!("  saphyr differs: {saphyr_differs:?}");
    println!("  saphyr rejects: {saphyr_rejects:?}");
    println!("  saphyr accepts error: {saphyr_accepts_error:?}");
    assert!(
        fast_wrong.is_empty(),
        "the fast path took cases it must decline:\n{}",
        fast_wrong.join("\n")
    );
    assert_eq!(
        sorted(saphyr_differs),
        known(SAPHYR_DIFFERS),
        "SAPHYR_DIFFERS"
    );
    assert_eq!(
        sorted(saphyr_rejects),
        known(SAPHYR_REJECTS),
        "SAPHYR_REJECTS"
    );
    assert_eq!(
        sorted(saphyr_accepts_error),
        known(SAPHYR_ACCEPTS_ERROR),
        "SAPHYR_ACCEPTS_ERROR"
    );
    assert_eq!(
        sorted(load_accepts_error),
        known(LOAD_ACCEPTS_ERROR),
        "LOAD_ACCEPTS_ERROR"
    );
}
