//! Every fixture says what it tests: a `README.md` of its own, or an entry
//! in `fixtures/INDEX.md` for the older ones (where a README would be
//! audited content and change the fixture).

use std::fs;
use std::path::Path;

#[test]
fn every_fixture_is_described() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let index = fs::read_to_string(root.join("INDEX.md")).unwrap();
    let mut undescribed = Vec::new();
    for entry in fs::read_dir(&root).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let own = entry.path().join("README.md").is_file();
        let indexed = index.contains(&format!("- `{name}`: "));
        if !own && !indexed {
            undescribed.push(name);
        }
    }
    undescribed.sort();
    assert!(
        undescribed.is_empty(),
        "fixtures without a README.md or an entry in fixtures/INDEX.md: {undescribed:?}"
    );
}
