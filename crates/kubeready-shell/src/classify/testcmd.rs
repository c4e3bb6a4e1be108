//! Test runners.

use super::build::{gradle_args, gradle_task_name, maven_args};
use crate::parser::basename;

fn is_test_script(name: &str) -> bool {
    name == "test"
        || name == "tests"
        || name.starts_with("test:")
        || name.starts_with("test-")
        || name.starts_with("test_")
        || name == "check"
        || name.starts_with("check-")
        || name.starts_with("check:")
}

fn positional(args: &[String], val: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if val.contains(&a.as_str()) {
            i += 1;
        } else if !a.starts_with('-') {
            out.push(a.clone());
        }
    }
    out
}

/// Runners that execute their arguments as a command.
fn strip_runner(argv: &[String]) -> Option<&[String]> {
    let name = basename(argv.first()?);
    let second = argv.get(1).map(String::as_str);
    let skip_opts = |from: usize, val: &[&str]| -> Option<&[String]> {
        let mut i = from;
        while let Some(a) = argv.get(i) {
            if val.contains(&a.as_str()) {
                i += 2;
            } else if a.starts_with('-') {
                i += 1;
            } else {
                break;
            }
        }
        argv.get(i..).filter(|r| !r.is_empty())
    };
    const VAL: &[&str] = &[
        "--with",
        "--python",
        "-p",
        "--extra",
        "--group",
        "--package",
        "--env-file",
        "--directory",
        "--project",
        "-C",
        "-e",
        "--env",
    ];
    match (name, second) {
        ("bundle", Some("exec")) | ("poetry" | "pipenv" | "pdm" | "rye" | "uv", Some("run")) => {
            skip_opts(2, VAL)
        }
        ("pnpm" | "yarn", Some("exec" | "dlx")) => skip_opts(2, VAL),
        ("npx" | "pnpx" | "bunx" | "uvx" | "xvfb-run" | "dotenv", _) => skip_opts(1, VAL),
        _ => None,
    }
}

fn node_pm(name: &str, args: &[String]) -> Option<String> {
    let pos = positional(
        args,
        &[
            "--prefix",
            "-w",
            "--workspace",
            "--filter",
            "-F",
            "--cwd",
            "-C",
            "--dir",
        ],
    );
    let first = pos.first().map(String::as_str)?;
    let is_test = match first {
        "test" | "t" | "tst" => true,
        "run" | "run-script" | "rum" | "urn" => pos.get(1).is_some_and(|s| is_test_script(s)),
        "workspace" if name == "yarn" => {
            pos.get(2).is_some_and(|s| is_test_script(s))
                || (pos.get(2).map(String::as_str) == Some("run")
                    && pos.get(3).is_some_and(|s| is_test_script(s)))
        }
        "jest" | "vitest" | "mocha" if name != "npm" => true,
        other if name != "npm" => other.starts_with("test:") || other.starts_with("test-"),
        _ => false,
    };
    if is_test {
        Some(name.to_string())
    } else {
        None
    }
}

fn python(args: &[String]) -> Option<String> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-W" | "-X" => i += 2,
            "-m" => {
                return match args.get(i + 1).map(String::as_str) {
                    Some("pytest") => Some("pytest".into()),
                    Some("unittest") => Some("unittest".into()),
                    Some("tox") => Some("tox".into()),
                    Some("nose2" | "nose") => Some("nose".into()),
                    _ => None,
                };
            }
            _ if a.starts_with('-') => i += 1,
            script => {
                let next = args.get(i + 1).map(String::as_str);
                return match (basename(script), next) {
                    ("manage.py", Some("test")) => Some("django".into()),
                    ("setup.py", Some("test")) => Some("setuptools".into()),
                    ("runtests.py", _) => Some("python".into()),
                    _ => None,
                };
            }
        }
    }
    None
}

fn make_like(args: &[String]) -> bool {
    let pos = positional(
        args,
        &[
            "-C",
            "-f",
            "--file",
            "--makefile",
            "-I",
            "-o",
            "-W",
            "--directory",
            "-d",
            "-t",
            "--taskfile",
            "--dir",
            "--justfile",
            "--working-directory",
        ],
    );
    pos.iter()
        .filter(|t| !t.contains('='))
        .any(|t| is_test_script(t))
}

/// The test runner a command line invokes, if any (`npm test` → `npm`,
/// `python -m pytest` → `pytest`, `./gradlew test` → `gradle`). Useful on an
/// `ImageRun`'s command, too.
pub fn test_tool(argv: &[String]) -> Option<String> {
    let mut argv = argv;
    for _ in 0..4 {
        match strip_runner(argv) {
            Some(inner) => argv = inner,
            None => break,
        }
    }
    let prog = argv.first()?;
    let name = basename(prog).trim_start_matches(['@', '-', '+']);
    let args = argv.get(1..).unwrap_or(&[]);
    let first = args.first().map(String::as_str);
    let tool = match name {
        "npm" | "yarn" | "pnpm" | "bun" => return node_pm(name, args),
        "jest" | "vitest" | "mocha" | "ava" | "jasmine" | "tap" | "bats" | "pytest" | "py.test"
        | "tox" | "nox" | "rspec" | "phpunit" | "paratest" | "pest" | "ctest" | "gotestsum"
        | "behave" | "cucumber" | "cucumber-js" | "nosetests" | "codecept" => {
            if name == "py.test" {
                "pytest"
            } else {
                name
            }
        }
        "karma" if first == Some("start") => "karma",
        "playwright" if first == Some("test") => "playwright",
        "cypress" if first == Some("run") => "cypress",
        "python" | "python3" | "python2" | "py" => return python(args),
        n if n.starts_with("python3.") => return python(args),
        "go" if first == Some("test") => "go",
        "cargo" => {
            let pos = positional(
                args,
                &["-p", "--package", "--manifest-path", "-j", "--features"],
            );
            match pos.iter().map(String::as_str).find(|p| !p.starts_with('+')) {
                Some("test" | "t" | "nextest") => "cargo",
                _ => return None,
            }
        }
        "mvn" | "mvnw" | "mvnd" => {
            let m = maven_args(args);
            let skip = m.prop_true("skipTests") || m.prop_true("maven.test.skip");
            let runs = m.goals.iter().any(|g| {
                matches!(
                    g.as_str(),
                    "test"
                        | "verify"
                        | "integration-test"
                        | "surefire:test"
                        | "failsafe:integration-test"
                )
            });
            if runs && !skip {
                "maven"
            } else {
                return None;
            }
        }
        "gradle" | "gradlew" => {
            let g = gradle_args(args);
            let excluded: Vec<&str> = g.excluded.iter().map(|t| gradle_task_name(t).1).collect();
            let runs = g.tasks.iter().any(|t| {
                let (_, n) = gradle_task_name(t);
                let is_test = n == "test"
                    || n == "check"
                    || n.ends_with("Test")
                    || (n.starts_with("test") && n.ends_with("UnitTest"));
                is_test && !excluded.contains(&n)
            });
            if runs {
                "gradle"
            } else {
                return None;
            }
        }
        "dotnet" if matches!(first, Some("test" | "vstest")) => "dotnet",
        "rake" => {
            let pos = positional(args, &["-f", "-C", "--rakefile"]);
            if pos.iter().any(|t| {
                t == "test" || t == "spec" || t.starts_with("test:") || t.starts_with("spec:")
            }) {
                "rake"
            } else {
                return None;
            }
        }
        "rails" => match first {
            Some(t) if t == "test" || t.starts_with("test:") || t == "spec" => "rails",
            _ => return None,
        },
        "mix" if first == Some("test") => "mix",
        "php" => {
            let pos = positional(args, &["-d", "-c"]);
            match pos
                .first()
                .map(|p| (basename(p), pos.get(1).map(String::as_str)))
            {
                Some(("artisan", Some("test"))) => "artisan",
                Some(("phpunit" | "paratest", _)) => "phpunit",
                Some(("pest", _)) => "pest",
                _ => return None,
            }
        }
        "composer" => {
            let pos = positional(args, &["-d", "--working-dir"]);
            match pos.as_slice() {
                [t, ..] if is_test_script(t) => "composer",
                [r, t, ..] if (r == "run-script" || r == "run") && is_test_script(t) => "composer",
                _ => return None,
            }
        }
        "make" | "gmake" | "just" | "task" | "mage" if make_like(args) => {
            if name == "gmake" {
                "make"
            } else {
                name
            }
        }
        "deno" | "swift" | "flutter" | "dart" | "lein" | "stack" | "cabal" | "zig" | "bazel"
        | "bazelisk" | "mill"
            if first == Some("test") =>
        {
            if name == "bazelisk" {
                "bazel"
            } else {
                name
            }
        }
        "sbt"
            if args
                .iter()
                .any(|a| a == "test" || a.ends_with(" test") || a == "+test") =>
        {
            "sbt"
        }
        _ => return None,
    };
    Some(tool.to_string())
}
