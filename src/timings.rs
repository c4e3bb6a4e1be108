//! Where an audit's time goes. Set `KUBEREADY_TIMINGS=1` and the audit
//! prints, on stderr, the time of each stage and of every rule that took
//! more than a millisecond (`KUBEREADY_TIMINGS=all`: every rule). It exists
//! so a slow rule is found with one run instead of a profiler session (see
//! docs/benchmark.md); reports are untouched, so their output stays
//! deterministic.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Off,
    On,
    /// Every rule, not only those over a millisecond.
    All,
}

static ENTRIES: Mutex<Vec<(String, Duration)>> = Mutex::new(Vec::new());

/// `KUBEREADY_TIMINGS`, read once.
fn level() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| match std::env::var_os("KUBEREADY_TIMINGS") {
        Some(v) if v == "all" => Level::All,
        Some(v) if !v.is_empty() => Level::On,
        _ => Level::Off,
    })
}

/// Whether `KUBEREADY_TIMINGS` is set.
pub fn enabled() -> bool {
    level() != Level::Off
}

/// Runs `f`, recording its duration under `label` when timings are on.
pub fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    time_with(|| label.to_string(), f)
}

/// [`time`] with a label built only when timings are on (per-rule and
/// per-step labels would otherwise be formatted on every audit).
pub fn time_with<T>(label: impl FnOnce() -> String, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    if let Ok(mut entries) = ENTRIES.lock() {
        entries.push((label(), took));
    }
    out
}

/// Prints what was recorded (stages in order, then rules slowest first)
/// and forgets it.
pub fn print() {
    if !enabled() {
        return;
    }
    let entries = match ENTRIES.lock() {
        Ok(mut e) => std::mem::take(&mut *e),
        Err(_) => return,
    };
    let (mut rules, stages): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(l, _)| l.starts_with("rule "));
    for (label, took) in stages {
        eprintln!("timing {label:<28} {:>9.1} ms", took.as_secs_f64() * 1e3);
    }
    if !rules.is_empty() {
        let sum: Duration = rules.iter().map(|(_, t)| *t).sum();
        eprintln!(
            "timing {:<28} {:>9.1} ms",
            format!("rules: sum of {}", rules.len()),
            sum.as_secs_f64() * 1e3
        );
    }
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let floor = if level() == Level::All {
        Duration::ZERO
    } else {
        Duration::from_millis(1)
    };
    for (label, took) in rules.iter().filter(|(_, t)| *t >= floor) {
        eprintln!("timing {label:<28} {:>9.1} ms", took.as_secs_f64() * 1e3);
    }
}
