//! The fast scanner must agree with saphyr-parser on everything it accepts.

use super::events;
use crate::build::{load as load_fast, load_with_saphyr};
use crate::Limits;
use saphyr_parser::{Event, Marker, Parser};

/// Character index, line and column.
type Position = (usize, usize, usize);

/// An event with the position the tree uses: the start of nodes. Ends and
/// document boundaries carry none (the tree never reads them).
fn comparable<'a>(event: Event<'a>, start: Marker) -> (Event<'a>, Option<Position>) {
    let at = match event {
        Event::Scalar(..)
        | Event::SequenceStart(..)
        | Event::MappingStart(..)
        | Event::Alias(_) => Some((start.index(), start.line(), start.col())),
        _ => None,
    };
    (event, at)
}

fn saphyr(src: &str) -> Option<Vec<(Event<'_>, Option<Position>)>> {
    let mut parser = Parser::new_from_str(src);
    let mut out = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.ok()?;
        out.push(comparable(event, span.start));
    }
    Some(out)
}

/// Whether the fast path took `src`; panics if it took it and disagrees
/// with saphyr (events, positions, or the loaded tree).
fn check(src: &str) -> bool {
    let Some(fast) = events(src) else {
        return false;
    };
    let fast: Vec<_> = fast
        .into_iter()
        .map(|(e, s)| comparable(e, s.start))
        .collect();
    let Some(reference) = saphyr(src) else {
        panic!("the fast path accepted input saphyr rejects:\n{src}");
    };
    assert_eq!(fast, reference, "events differ for:\n{src}");
    // Tight budgets too: their errors point at events.
    for limits in [
        Limits::default(),
        Limits {
            max_nodes: 12,
            max_depth: 3,
        },
    ] {
        assert_eq!(
            format!("{:?}", load_fast(src, &limits)),
            format!("{:?}", load_with_saphyr(src, &limits)),
            "trees differ for:\n{src}"
        );
    }
    true
}

#[test]
fn accepts_and_matches_plain_block_yaml() {
    let cases = [
        "",
        "# only a comment\n\n",
        "a: 1\n",
        "a: 1",
        "a: 1 # c",
        "a:\n  b: 1",
        "- x\n- y",
        "a: [x] ",
        "a:",
        "---",
        "---\n",
        "a: 1\n---\n",
        "---\na: 1\n---\n# nothing\n---\nb: 2\n",
        "a: 1 # c\nb:   # comment\nc:\n  d: x\n",
        "a: http://x:80/p#f  \nb: \"q # r\"  # c\nc: a#b\n",
        "\"b c\": x\n'd''e': y\n",
        "s: 'it''s'\n",
        "a:\n  - b\n  -   \n  - # c\n  -\nc: 1\n",
        "a:\n- b\nc:\n- d\n- e: 1\n  f: 2\ng: 3\n",
        "l:\n  - name: x\n    env:\n    - a\n    - b\n    more: 1\n  - name: y\n",
        "x: &a 1\ny: *a\nz:\n  - &b\n    k: v\n  - *b\n",
        "base: &base\n  restart: always\nweb:\n  <<: *base\n  image: nginx\n",
        "r: [x, \"y\", 'z']\ne: []\nf: [ ]\nm: {}\nn: { }\ng: [a b, c]\n",
        "  indented: root\n  second: 2\n",
        "- a\n- b\n- - c\n",
        "- a\n- b: 1\n-\n  c: 2\n- -\n",
        "key : spaced\n",
        "a: 1\na: 2\n",
        "a:\n    deep: 1\n",
        "-\n  - x\n",
        "h: {path: /healthz, port: 8042}\ni: { a: \"x\" , b: 'c' }\n",
        "- {a: 1}\n- [b]\n",
        "a: |\n  x\n    y\n\n  z\n\nb: |-\n  q\nc:\n  - |+\n    k\n\n  - e\nd: |  # c\n  one\n",
        "a: |\n  x\n \n  y\n   \n",
        "a: |\n\n  x\n  # not a comment\n# a comment\nb: 1\n",
        "jobs:\n  - run: |\n      echo hi\n      make\n    name: build\n",
        "a: -x\nb: [-y, --z, a-b]\n-c: d\n",
        // Found by the fuzz target: a budget error on an anchored
        // collection is reported where the collection ends.
        "# c\n\n.patterns: &patterns\n  - \"a\"\n  - \"b\"\n  - \"c\" # c\n\n.more: &more\n  - x\n  - y\n  - z\n  - w\n  - v\n  - u\n  - t\n\nlast: *patterns\n",
        "name: caf\u{e9} \u{2615}\nb: [\u{e9}, '\u{e9}']\nc: &\u{e9} x\nd: *\u{e9}\n",
    ];
    for src in cases {
        check(src);
    }
    // The common shapes must take the fast path, or it is pointless.
    for src in [
        "a: 1\n",
        "a:\n  - b\n  - c: d\n",
        "x: &a\n  k: v\ny:\n  <<: *a\n",
        "t: [\"CMD\", \"wget\"]\n",
        "---\napiVersion: v1\nkind: Service\n---\napiVersion: v1\n",
    ] {
        assert!(check(src), "not taken: {src}");
    }
}

#[test]
fn leaves_everything_else_to_saphyr() {
    for src in [
        // Outside the subset.
        "a: >-\n  folded\n",
        "c: - x\n",
        "a: !reference [x, y]\n",
        "a: multi\n  line\n",
        "a: \"multi\n  line\"\n",
        "a: \"esc\\n\"\n",
        "a: [x, [y]]\n",
        "a: {b: {c: 1}}\n",
        "a: {b: 1,}\n",
        "a: {b}\n",
        "a: {b:1}\n",
        "a: {url: http://x}\n",
        "a: [x,\n  y]\n",
        "a:\tb\n",
        "a: b\r\n",
        "a: |2\n  x\n",
        "a: |\n  x",
        "a: |\n",
        "a: |\n  \n  x\n",
        "a: &x |\n  x\n",
        "a: |x\n  x\n",
        "a: b\u{2028}c\n",
        "a: b\u{85}c\n",
        "a: \u{1}\n",
        "a: -\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "--- a\n",
        // Found by the fuzz target: only spaces may follow `---` (U+2000
        // is Unicode white space, and content to YAML).
        "--- \u{2000}",
        // Found by the fuzz target: `-` before a flow indicator.
        "a: [ master -]\n",
        "a: [b -, c]\n",
        // Found by the fuzz target: blocks end at odd places before a last
        // line of spaces without a line break.
        "a: &x\n  b:\n  c:\n    d: 1\n  e:\n ",
        "a:\n  b: 1\n # c",
        "? complex\n: key\n",
        "a: &x\n",
        "a: *unknown\n",
        "scalar root\n",
        "a: [x, ]\n",
        // Invalid YAML: saphyr reports it.
        "a: b: c\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n  - x\n  b: 1\n",
        "a: 1\n  b: 2\n",
        "a: \"x\"y\n",
    ] {
        assert!(!check(src), "taken: {src:?}");
    }
}

fn yaml_files(root: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Checks every file and its line prefixes; returns how many files took
/// the fast path.
fn check_files(files: &[std::path::PathBuf]) -> usize {
    let mut taken = 0;
    for path in files {
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        if check(&src) {
            taken += 1;
        }
        // Every prefix of a line boundary is a stream too (documents cut
        // short, pending keys at the end).
        for (i, _) in src.match_indices('\n').take(200) {
            check(&src[..i]);
            check(&src[..=i]);
        }
    }
    taken
}

/// Every YAML file of the repository's fixtures goes through both paths.
#[test]
fn agrees_with_saphyr_on_every_fixture() {
    let files = yaml_files(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures"));
    assert!(files.len() > 30, "fixtures not found: {}", files.len());
    let taken = check_files(&files);
    assert!(
        taken * 2 > files.len(),
        "only {taken} of {} files took the fast path",
        files.len()
    );
}

/// The same over real repositories:
/// `KUBEREADY_YAML_CORPUS=/path/to/repos cargo test -p kubeready-yaml -- --ignored`.
#[test]
#[ignore = "needs KUBEREADY_YAML_CORPUS"]
fn agrees_with_saphyr_on_a_corpus() {
    let Some(root) = std::env::var_os("KUBEREADY_YAML_CORPUS") else {
        return;
    };
    let files = yaml_files(root.into());
    let taken = check_files(&files);
    eprintln!("{taken} of {} files took the fast path", files.len());
}

/// Why a file misses the fast path: the first line whose prefix it refuses
/// (`YAML_FILE=f cargo test -p kubeready-yaml first_refused -- --ignored --nocapture`).
#[test]
#[ignore = "needs YAML_FILE"]
fn first_refused_line() {
    let Some(path) = std::env::var_os("YAML_FILE") else {
        return;
    };
    let src = std::fs::read_to_string(path).unwrap();
    eprintln!(
        "whole file taken: {}; saphyr: {:?}",
        events(&src).is_some(),
        load_with_saphyr(&src, &Limits::default()).error
    );
    let mut prev = 0;
    for (i, _) in src.match_indices('\n') {
        if events(&src[..=i]).is_none() {
            eprintln!("refused at: {:?}", &src[prev..=i]);
            return;
        }
        prev = i + 1;
    }
}
