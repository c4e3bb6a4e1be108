//! Where an audit's time goes. Set `KUBEREADY_TIMINGS=1` and the audit
//! prints, on stderr, the time of each stage and of every rule that took
//! more than a millisecond (`KUBEREADY_TIMINGS=all`: every rule). It exists so a slow rule is found with one
//! run instead of a profiler session (see docs/benchmark.md); reports are
//! untouched, so their output stays deterministic.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ENABLED: AtomicU8 = AtomicU8::new(UNKNOWN);
const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;

static ENTRIES: Mutex<Vec<(String, Duration)>> = Mutex::new(Vec::new());

/// Whether `KUBEREADY_TIMINGS` is set (read once).
pub fn enabled() -> bool {
    match ENABLED.load(Ordering::Relaxed) {
        ON => true,
        OFF => false,
        _ => {
            let on = std::env::var_os("KUBEREADY_TIMINGS").is_some_and(|v| !v.is_empty());
            ENABLED.store(if on { ON } else { OFF }, Ordering::Relaxed);
            on
        }
    }
}

/// Runs `f`, recording its duration under `label` when timings are on.
pub fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    record(label, start.elapsed());
    out
}

/// Records a duration measured by the caller.
pub fn record(label: &str, took: Duration) {
    if let Ok(mut entries) = ENTRIES.lock() {
        entries.push((label.to_string(), took));
    }
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
    // `KUBEREADY_TIMINGS=all` lists every rule.
    let all = std::env::var("KUBEREADY_TIMINGS").is_ok_and(|v| v == "all");
    let floor = if all {
        Duration::ZERO
    } else {
        Duration::from_millis(1)
    };
    for (label, took) in rules.iter().filter(|(_, t)| *t >= floor) {
        eprintln!("timing {label:<28} {:>9.1} ms", took.as_secs_f64() * 1e3);
    }
}
