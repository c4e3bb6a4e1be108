//! The `.dockerignore` matcher: patterns, then (after a NUL) paths to test.
#![no_main]

use kubeready::parse::dockerignore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let (patterns, paths) = src.split_once('\0').unwrap_or((src, "a/b/c\n.git\nnode_modules/x"));
    let ignore = dockerignore::parse(".dockerignore", patterns);
    for path in paths.lines() {
        let excluded = ignore.is_excluded(path);
        let decisive = ignore.excluding_pattern(path);
        assert_eq!(excluded, decisive.is_some(), "{path:?}");
        let _ = ignore.excludes_top_level(path);
    }
});
