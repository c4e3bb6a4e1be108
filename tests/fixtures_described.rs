//! Every fixture says what it tests in a `README.md` of its own, and
//! `fixtures/INDEX.md` (the overview) names every fixture. The
//! sub-projects of `fixtures/fix` are inputs of one fixture: its README
//! names each of them (a README inside one would change what `fix` does,
//! which writes a README where there is none).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

/// The sub-folders of `dir`, sorted.
fn folders(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn every_fixture_has_a_readme_and_an_index_entry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let index = fs::read_to_string(root.join("INDEX.md")).unwrap();
    let names = folders(&root);
    let without_readme: Vec<&String> = names
        .iter()
        .filter(|n| !root.join(n).join("README.md").is_file())
        .collect();
    assert!(
        without_readme.is_empty(),
        "fixtures without a README.md saying what they test: {without_readme:?}"
    );
    let not_indexed: Vec<&String> = names
        .iter()
        .filter(|n| {
            !index.contains(&format!("- `{n}`: ")) && !index.contains(&format!("- `{n}` ("))
        })
        .collect();
    assert!(
        not_indexed.is_empty(),
        "fixtures missing from fixtures/INDEX.md: {not_indexed:?}"
    );
}

#[test]
fn every_fix_input_is_named_in_the_fix_readme() {
    let fix = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fix");
    let readme = fs::read_to_string(fix.join("README.md")).unwrap();
    let unnamed: Vec<String> = folders(&fix)
        .into_iter()
        .filter(|n| !readme.contains(&format!("`{n}`")))
        .collect();
    assert!(
        unnamed.is_empty(),
        "fixtures/fix inputs not described in fixtures/fix/README.md: {unnamed:?}"
    );
}
