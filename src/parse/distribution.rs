//! Release channels to end users: the package managers and OS packages a
//! repository publishes its program through. GoReleaser's `brews`,
//! `nfpms`, `scoops`, `winget`, `snapcrafts`, `aurs`, `chocolateys`,
//! `homebrew_casks` and `nix` sections, a `snapcraft.yaml`, and scripts or
//! task-runner recipes that build `.deb`/`.rpm` packages (fpm, nfpm,
//! `dpkg-deb --build`, `rpmbuild`). The kind detector weighs them: a
//! program people install with `brew` or `apt` ships a binary, and its
//! image is one distribution channel among others (SPEC 1.2).

use super::devenv::{TaskRunner, TaskTarget};
use crate::walk::Tree;

/// One release channel, where the repository declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub file: String,
    pub line: u32,
    /// What it is, for evidence: "GoReleaser `nfpms` (deb/rpm packages)".
    pub what: String,
}

/// GoReleaser config names at the root (the tool's own lookup order).
const GORELEASER_CONFIGS: &[&str] = &[
    ".goreleaser.yml",
    ".goreleaser.yaml",
    "goreleaser.yml",
    "goreleaser.yaml",
];

/// GoReleaser top-level sections that publish to end-user package
/// managers, with what they make.
const GORELEASER_CHANNELS: &[(&str, &str)] = &[
    ("brews", "Homebrew formulae"),
    ("homebrew_casks", "Homebrew casks"),
    ("nfpms", "deb/rpm/apk packages"),
    ("scoops", "Scoop manifests"),
    ("winget", "winget manifests"),
    ("snapcrafts", "Snap packages"),
    ("aurs", "AUR packages"),
    ("chocolateys", "Chocolatey packages"),
    ("nix", "Nix packages"),
];

const SNAPCRAFT_FILES: &[&str] = &["snapcraft.yaml", "snap/snapcraft.yaml", ".snapcraft.yaml"];

/// Every channel found, in file order. `tasks` are the task-runner targets
/// and scripts the dev-environment parser read (their recipes are scanned;
/// those of tests, examples and harnesses are not).
pub fn channels(tree: &Tree, tasks: &[TaskTarget]) -> Vec<Channel> {
    let mut out = Vec::new();
    for name in GORELEASER_CONFIGS {
        let Ok(text) = tree.read_text(name) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let Some(key) = line.strip_suffix(':').or_else(|| {
                line.split_once(':')
                    .filter(|(_, rest)| rest.trim().starts_with('#') || rest.trim().is_empty())
                    .map(|(k, _)| k)
            }) else {
                continue;
            };
            if let Some((key, what)) = GORELEASER_CHANNELS.iter().find(|(k, _)| *k == key) {
                out.push(Channel {
                    file: name.to_string(),
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    what: format!("GoReleaser `{key}` ({what})"),
                });
            }
        }
    }
    for name in SNAPCRAFT_FILES {
        if tree.read_text(name).is_ok() {
            out.push(Channel {
                file: name.to_string(),
                line: 1,
                what: "a Snap package (`snapcraft.yaml`)".into(),
            });
        }
    }
    for t in tasks {
        let dir = crate::paths::parent(&t.file);
        if crate::inventory::demonstrates_or_tests(dir) {
            continue;
        }
        // Scripts hold the whole file (line 1 is the recipe's first
        // line); other targets' recipes start below the target line.
        let first = if t.runner == TaskRunner::Script {
            1
        } else {
            t.line.saturating_add(1)
        };
        if let Some((offset, what)) = package_build(&t.recipe) {
            out.push(Channel {
                file: t.file.clone(),
                line: first.saturating_add(offset),
                what: what.into(),
            });
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out.dedup();
    out
}

/// The first command of a recipe that builds an OS package, with its line
/// offset (continuation lines joined) and what it builds.
fn package_build(recipe: &str) -> Option<(u32, &'static str)> {
    let mut logical = String::new();
    let mut start = 0u32;
    for (i, line) in recipe.lines().enumerate() {
        if logical.is_empty() {
            start = u32::try_from(i).unwrap_or(u32::MAX);
        }
        let t = line.trim_end();
        if let Some(cont) = t.strip_suffix('\\') {
            logical.push_str(cont);
            logical.push(' ');
            continue;
        }
        logical.push_str(t);
        if let Some(what) = builds_package(&logical) {
            return Some((start, what));
        }
        logical.clear();
    }
    None
}

/// Whether one command line builds an OS package.
fn builds_package(command: &str) -> Option<&'static str> {
    let command = command.split('#').next().unwrap_or("");
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .collect();
    if words
        .first()
        .is_some_and(|w| matches!(*w, "echo" | "printf"))
    {
        return None;
    }
    let at = |name: &str| words.iter().position(|w| *w == name);
    if let Some(i) = at("fpm") {
        let rest = words.get(i + 1..).unwrap_or(&[]);
        let target = rest
            .windows(2)
            .find_map(|w| (w[0] == "-t" || w[0] == "--output-type").then_some(w[1]));
        if target.is_some_and(|t| matches!(t, "deb" | "rpm" | "apk" | "pacman" | "osxpkg")) {
            return Some("fpm builds OS packages (deb/rpm)");
        }
    }
    if let Some(i) = at("nfpm") {
        if words
            .get(i + 1)
            .is_some_and(|w| *w == "pkg" || *w == "package")
        {
            return Some("nfpm builds OS packages (deb/rpm)");
        }
    }
    if let Some(i) = at("dpkg-deb") {
        if words
            .get(i + 1..)
            .unwrap_or(&[])
            .iter()
            .any(|w| *w == "--build" || *w == "-b")
        {
            return Some("`dpkg-deb --build` builds a Debian package");
        }
    }
    if let Some(i) = at("rpmbuild") {
        if words
            .get(i + 1..)
            .unwrap_or(&[])
            .iter()
            .any(|w| w.starts_with("-b") || w.starts_with("-t"))
        {
            return Some("`rpmbuild` builds an RPM package");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_builds_in_recipes() {
        let script =
            "#!/bin/sh\nset -e\nbundle exec fpm -s \"dir\" \\\n  -t \"deb\" \\\n  -n agent\n";
        assert_eq!(
            package_build(script),
            Some((2, "fpm builds OS packages (deb/rpm)"))
        );
        assert_eq!(
            package_build("nfpm package --config nfpm/cli.yaml --packager rpm\n"),
            Some((0, "nfpm builds OS packages (deb/rpm)"))
        );
        assert!(package_build("dpkg-deb --build pkgroot out.deb").is_some());
        assert!(package_build("rpmbuild -bb app.spec").is_some());
    }

    #[test]
    fn installing_or_naming_the_tools_is_no_package_build() {
        assert_eq!(package_build("gem install fpm\n"), None);
        assert_eq!(
            package_build("go install github.com/goreleaser/nfpm/v2/cmd/nfpm@v2\n"),
            None
        );
        assert_eq!(
            package_build("echo 'run fpm -t deb later' # fpm -t deb\n"),
            None
        );
        assert_eq!(package_build("sudo dpkg -i agent.deb\n"), None);
    }
}
