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

/// What was recorded under one label.
struct Entry {
    label: String,
    wall: Duration,
    /// What the whole process used meanwhile (all threads: for a stage,
    /// `cpu / wall` is how many cores it kept busy).
    usage: Usage,
}

static ENTRIES: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// CPU time (user + system) and page faults of the whole process.
#[derive(Clone, Copy, Default)]
struct Usage {
    cpu: Duration,
    page_faults: u64,
}

impl Usage {
    #[cfg(unix)]
    fn now() -> Usage {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage only writes the struct it is given, and it was
        // zeroed, so it is initialised even if the call fails.
        let usage = unsafe {
            libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
            usage.assume_init()
        };
        let time = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec.max(0) as u64)
                + Duration::from_micros(t.tv_usec.max(0) as u64)
        };
        Usage {
            cpu: time(usage.ru_utime) + time(usage.ru_stime),
            page_faults: (usage.ru_minflt.max(0) + usage.ru_majflt.max(0)) as u64,
        }
    }

    #[cfg(not(unix))]
    fn now() -> Usage {
        Usage::default()
    }

    fn since(self, start: Usage) -> Usage {
        Usage {
            cpu: self.cpu.saturating_sub(start.cpu),
            page_faults: self.page_faults.saturating_sub(start.page_faults),
        }
    }
}

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
    let usage_start = Usage::now();
    let out = f();
    let wall = start.elapsed();
    let usage = Usage::now().since(usage_start);
    if let Ok(mut entries) = ENTRIES.lock() {
        entries.push(Entry {
            label: label(),
            wall,
            usage,
        });
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
        .partition(|e| e.label.starts_with("rule "));
    for e in stages {
        eprintln!(
            "timing {:<28} {:>9.1} ms   cpu {:>7.1} ms {:>7} page faults",
            e.label,
            e.wall.as_secs_f64() * 1e3,
            e.usage.cpu.as_secs_f64() * 1e3,
            e.usage.page_faults
        );
    }
    if !rules.is_empty() {
        let sum: Duration = rules.iter().map(|e| e.wall).sum();
        eprintln!(
            "timing {:<28} {:>9.1} ms",
            format!("rules: sum of {}", rules.len()),
            sum.as_secs_f64() * 1e3
        );
    }
    rules.sort_by(|a, b| b.wall.cmp(&a.wall).then_with(|| a.label.cmp(&b.label)));
    let floor = if level() == Level::All {
        Duration::ZERO
    } else {
        Duration::from_millis(1)
    };
    for e in rules.iter().filter(|e| e.wall >= floor) {
        eprintln!(
            "timing {:<28} {:>9.1} ms",
            e.label,
            e.wall.as_secs_f64() * 1e3
        );
    }
}
