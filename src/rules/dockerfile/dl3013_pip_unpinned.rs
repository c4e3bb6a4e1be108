use super::support::{declare_rule, each_run, Cmd};
use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3013",
    name: "pip-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "Pin versions in pip install",
    what: "Reports a `pip install` (any `pip*`, or `python -m pip install`) naming a package without a version specifier (`==`, `>=`, `~=`, ...), unless it installs from a requirements file (`-r`), a constraints file (`-c`), the local project (`.`), a path, a wheel or sdist file, or a VCS URL pinned with `@`.",
    why: "An unpinned pip install resolves to the newest release on build day, so builds are not reproducible and a new major version can break the image.",
    bad: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n",
    good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
};

declare_rule!();

const PIP_VALUED: &[&str] = &[
    "abi",
    "b",
    "build",
    "e",
    "editable",
    "extra-index-url",
    "f",
    "find-links",
    "i",
    "index-url",
    "implementation",
    "no-binary",
    "only-binary",
    "platform",
    "prefix",
    "progress-bar",
    "proxy",
    "python",
    "python-version",
    "root",
    "root-user-action",
    "src",
    "t",
    "target",
    "trusted-host",
    "upgrade-strategy",
    "c",
    "constraint",
    "r",
    "requirement",
    "log",
    "cache-dir",
    "timeout",
    "retries",
];

const VCS: &[&str] = &["git+", "git:", "hg+", "svn+", "svn:", "bzr+"];

/// `pip install` or `python -m pip install`, returning the words after
/// `install`.
pub fn pip_install(c: &Cmd) -> Option<Vec<String>> {
    let name = c.name();
    let args = c.args();
    if name.starts_with("pip") && !name.starts_with("pipenv") && !name.starts_with("pipx") {
        let pos = args.iter().position(|a| a == "install")?;
        return Some(args.get(pos + 1..).unwrap_or(&[]).to_vec());
    }
    if name.starts_with("python") {
        let m = args
            .windows(3)
            .position(|w| w[0] == "-m" && w[1] == "pip" && w[2] == "install")?;
        return Some(args.get(m + 3..).unwrap_or(&[]).to_vec());
    }
    None
}

fn pinned(p: &str) -> bool {
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| p.contains(s))
        || (VCS.iter().any(|v| p.starts_with(v))
            && p.rsplit('/').next().is_some_and(|last| last.contains('@')))
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || p.ends_with(".zip")
        || (!VCS.iter().any(|v| p.starts_with(v)) && p.contains('/'))
        || p.starts_with('.')
        || p.contains('$')
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    each_run(cx, out, true, |_, _, sh| {
        let mut unpinned = Vec::new();
        for c in &sh.cmds {
            let Some(rest) = pip_install(c) else { continue };
            let sub = Cmd::from_argv(
                std::iter::once("pip".to_string()).chain(rest).collect(),
                c.nested,
            );
            if sub.has_any_flag(&["r", "requirement", "c", "constraint"]) {
                continue;
            }
            for p in sub.positional(PIP_VALUED) {
                if !pinned(p) {
                    unpinned.push(p.to_string());
                }
            }
        }
        (!unpinned.is_empty()).then(|| format!("pin versions in `pip install` (`{}==<version>`) or use a requirements file; unpinned: {}", unpinned[0], unpinned.join(", ")))
    });
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_unpinned() {
        assert_eq!(
            lines("DL3013", "FROM python:3\nRUN pip install flask\n"),
            vec![2]
        );
        assert_eq!(
            lines(
                "DL3013",
                "FROM python:3\nRUN python3 -m pip install --upgrade pip\n"
            ),
            vec![2]
        );
    }

    #[test]
    fn clean_on_pins_requirements_and_local() {
        let df = "FROM python:3\nRUN pip install flask==3.0 'django>=4,<5' -r requirements.txt\nRUN pip install . && pip install ./dist/x.whl git+https://github.com/a/b@v1 -i https://mirror/simple pkg==1\nRUN pip install --no-cache-dir -r requirements.txt\n";
        assert!(lines("DL3013", df).is_empty());
    }
}
