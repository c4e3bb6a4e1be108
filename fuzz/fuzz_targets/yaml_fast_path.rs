//! The fast YAML scanner against saphyr-parser: whatever the fast path
//! takes must load exactly as through saphyr (same trees, values, styles,
//! lines and columns, duplicates, and the same errors: a syntax error
//! saphyr reports would show up as a difference) under any budget.
#![no_main]

use kubeready_yaml::{fast_path, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if !fast_path::takes(src) {
        return;
    }
    for limits in [
        Limits::default(),
        Limits {
            max_nodes: 16,
            max_depth: 4,
        },
    ] {
        let fast = fast_path::load(src, &limits);
        let reference = fast_path::load_with_saphyr(src, &limits);
        assert_eq!(format!("{fast:?}"), format!("{reference:?}"), "{src:?}");
    }
});
