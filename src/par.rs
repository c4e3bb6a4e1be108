//! Independent pure computations run side by side. The audit's stages are
//! sequential, but the work inside one (rules, checklist steps, sections)
//! is a list of independent questions over shared read-only facts.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` over every item, on up to one thread per core, each thread taking
/// the next item not yet taken; results come back in item order whatever
/// the scheduling. Runs on the caller's thread alone when no other thread
/// can be had.
pub fn map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(MAX_THREADS)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, T)> = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut all = work();
        for h in helpers {
            match h.join() {
                Ok(r) => all.extend(r),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        all
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Work started on a scoped thread, or already done when no thread could
/// be had.
pub enum Job<'scope, T> {
    Running(std::thread::ScopedJoinHandle<'scope, T>),
    Done(T),
}

impl<T> Job<'_, T> {
    /// The work's result; a panic in the thread is passed on as it is.
    pub fn get(self) -> T {
        match self {
            Job::Done(v) => v,
            Job::Running(h) => match h.join() {
                Ok(v) => v,
                Err(payload) => std::panic::resume_unwind(payload),
            },
        }
    }
}

/// Starts `work` on a scoped thread, or does it now when no thread can be
/// had.
pub fn spawn_or_run<'scope, 'env, T, F>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    work: F,
) -> Job<'scope, T>
where
    T: Send + 'scope,
    F: FnOnce() -> T + Send + Clone + 'scope,
{
    match std::thread::Builder::new().spawn_scoped(scope, work.clone()) {
        Ok(h) => Job::Running(h),
        Err(_) => Job::Done(work()),
    }
}

/// More threads than this only add contention on the shared caches.
const MAX_THREADS: usize = 8;

#[cfg(test)]
mod tests {
    #[test]
    fn results_in_item_order() {
        let items: Vec<u64> = (0..200).collect();
        let out = super::map(&items, |i| {
            // Uneven work, so threads finish out of order.
            (0..(i % 7) * 1000).fold(*i, |a, b| a.wrapping_add(b % 3))
        });
        let expected: Vec<u64> = items
            .iter()
            .map(|i| (0..(i % 7) * 1000).fold(*i, |a, b| a.wrapping_add(b % 3)))
            .collect();
        assert_eq!(out, expected);
        assert!(super::map(&Vec::<u8>::new(), |_| 1).is_empty());
    }
}
