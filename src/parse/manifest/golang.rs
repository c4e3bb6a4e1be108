use super::*;

const FRAMEWORKS: &[(&str, &str)] = &[
    ("github.com/gin-gonic/gin", "gin"),
    ("github.com/labstack/echo", "echo"),
    ("github.com/gofiber/fiber", "fiber"),
    ("github.com/go-chi/chi", "chi"),
    ("github.com/gorilla/mux", "gorilla-mux"),
    ("google.golang.org/grpc", "grpc"),
    ("connectrpc.com/connect", "connect"),
    ("github.com/beego/beego", "beego"),
    ("github.com/revel/revel", "revel"),
    ("github.com/gobuffalo/buffalo", "buffalo"),
    ("github.com/valyala/fasthttp", "fasthttp"),
    ("github.com/julienschmidt/httprouter", "httprouter"),
];
const SKIP_DIRS: &[&str] = &[
    "testdata",
    "vendor",
    "examples",
    "example",
    "_examples",
    "samples",
    "sample",
];

pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
    let path = join(dir, "go.mod");
    let text = ctx.read(&path)?;
    let mut module: Option<(String, u32)> = None;
    let mut required: Vec<(String, u32)> = Vec::new();
    let mut indirect: Vec<u32> = Vec::new();
    let mut in_require = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.split("//").next().unwrap_or("").trim();
        let at = i as u32 + 1;
        if let Some(m) = t.strip_prefix("module") {
            if m.starts_with(char::is_whitespace) || m.starts_with('"') {
                module = Some((m.trim().trim_matches('"').to_string(), at));
            }
        } else if t.starts_with("require") && t.ends_with('(') {
            in_require = true;
        } else if in_require && t == ")" {
            in_require = false;
        } else if in_require {
            required.extend(t.split_whitespace().next().map(|m| (m.to_string(), at)));
        } else if let Some(r) = t.strip_prefix("require ") {
            required.extend(r.split_whitespace().next().map(|m| (m.to_string(), at)));
        } else {
            continue;
        }
        // `// indirect`: a dependency of a dependency, not the module's own.
        if line.contains("// indirect") {
            indirect.push(at);
        }
    }
    let requires: Vec<String> = required.iter().map(|(m, _)| m.clone()).collect();
    required.retain(|(_, at)| !indirect.contains(at));
    let module_line = module.as_ref().map(|m| m.1).unwrap_or(1);
    if module.is_none() {
        ctx.syntax(&path, 1, None, "go.mod has no module directive".into());
    }
    let name = module
        .as_ref()
        .map(|(m, _)| {
            let mut segs: Vec<&str> = m.split('/').filter(|s| !s.is_empty()).collect();
            if segs.len() > 1
                && segs.last().is_some_and(|s| {
                    s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit())
                })
            {
                segs.pop();
            }
            segs.last().map(|s| s.to_string()).unwrap_or_default()
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| ctx.folder_name(dir));
    let mut frameworks: Vec<String> = Vec::new();
    for (m, fw) in FRAMEWORKS {
        if requires
            .iter()
            .any(|r| r == m || r.starts_with(&format!("{m}/")))
        {
            frameworks.push(fw.to_string());
        }
    }
    let mut p = new_project(
        dir,
        name,
        Language::Go,
        path,
        ProjectRole::Library,
        "library: no package main in the module".into(),
        module_line,
    );
    p.dependencies = required;
    if let Some((main_file, head)) = find_main(ctx, dir) {
        let main_code = main_text(ctx, &main_file, &head);
        // A `go vet` analyzer (`multichecker.Main(...)`) checks the repo's
        // own code: a build helper like `cargo xtask`, never a service.
        if let Some((driver, line)) = analyzer_import(&main_code) {
            p.reason = format!(
                "library: go vet analyzer ({}:{line} imports {driver}), a development tool",
                rel(dir, &main_file)
            );
            return Some(Cand::new(p, 0));
        }
        p.role = ProjectRole::Service;
        p.reason = format!("go module with package main ({})", rel(dir, &main_file));
        let module_server = !frameworks.is_empty();
        if head.contains("\"net/http\"") {
            frameworks.push("net/http".into());
        }
        // The main file only calls into the module (`cli.Run()`): the
        // module's command-line framework tells.
        let module_cli = CLI_IMPORTS
            .iter()
            .find(|(m, _)| {
                requires
                    .iter()
                    .any(|r| r == m || r.starts_with(&format!("{m}/")))
            })
            .map(|(m, fw)| {
                let line = line_where(&text, |l| l.contains(m)).unwrap_or(1);
                (fw, format!("{}:{line} requires {fw}", p.manifest))
            });
        if let Some((program, evidence)) = go_program(&main_file, &main_code, module_server) {
            p.program = program;
            p.program_evidence = Some(evidence);
        } else if !module_server {
            if let Some((_, at)) = module_cli {
                p.program = Program::Cli;
                p.program_evidence = Some(format!("{at} (command line), no server framework"));
            }
        } else {
            // The server verdict will rest on go.mod alone: say whether
            // the entry point is a command line.
            p.entry_cli = cli_import(&main_file, &main_code)
                .or_else(|| module_cli.map(|(_, at)| format!("{at} (command line)")));
        }
    }
    p.web = !frameworks.is_empty();
    p.frameworks = frameworks;
    let strength = if p.role == ProjectRole::Service { 3 } else { 0 };
    Some(Cand::new(p, strength))
}

/// The first `.go` file of the module (nested modules, testdata, vendor,
/// examples and `_`/`.` folders excluded) that declares `package main`;
/// `main.go` files first, `cmd/` next, at most [`MAX_SNIFFED_FILES`].
/// Imports that start a server from `package main`.
const SERVER_IMPORTS: &[(&str, &str)] = &[
    ("github.com/gin-gonic/gin", "gin"),
    ("github.com/labstack/echo", "echo"),
    ("github.com/gofiber/fiber", "fiber"),
    ("github.com/go-chi/chi", "chi"),
    ("github.com/gorilla/mux", "gorilla/mux"),
    ("github.com/julienschmidt/httprouter", "httprouter"),
    ("github.com/valyala/fasthttp", "fasthttp"),
    ("connectrpc.com/connect", "connect"),
];
/// Command-line frameworks.
const CLI_IMPORTS: &[(&str, &str)] = &[
    ("github.com/spf13/cobra", "cobra"),
    ("github.com/urfave/cli", "urfave/cli"),
    ("github.com/alecthomas/kingpin", "kingpin"),
    ("github.com/alecthomas/kong", "kong"),
    ("github.com/peterbourgon/ff", "ff"),
    ("\"flag\"", "flag"),
];
/// How much of the main file is read for `ListenAndServe`/`NewServer`.
const MAIN_SNIFF_BYTES: usize = 32 * 1024;

/// The first [`MAIN_SNIFF_BYTES`] of the main file, read once for every
/// question about it: its `head` (the first [`SNIFF_BYTES`]) when that
/// already held the whole file, or when the file cannot be read again.
/// A head shorter than the limit by more than a character's width (a
/// prefix may stop before a character cut at the limit), with nothing
/// replaced by the lossy decoding, is the whole file.
fn main_text(ctx: &Ctx<'_>, main_file: &str, head: &str) -> String {
    if head.len() + 4 <= SNIFF_BYTES && !head.contains(char::REPLACEMENT_CHARACTER) {
        return head.to_string();
    }
    ctx.tree
        .read_prefix(main_file, MAIN_SNIFF_BYTES)
        .unwrap_or_else(|| head.to_string())
}

/// Server or CLI from the main file: a server import or a call that
/// listens (`http.ListenAndServe`, `grpc.NewServer`) makes a server; a
/// command-line framework (cobra, urfave/cli, kingpin, `flag`) with
/// neither, in a module that requires no server framework, makes a CLI.
/// Only the main file is read.
fn go_program(main_file: &str, text: &str, module_server: bool) -> Option<(Program, String)> {
    let code_line = |needle: &str| {
        line_where(text, |l| {
            let t = l.trim_start();
            !t.starts_with("//") && t.contains(needle)
        })
    };
    for call in [
        "ListenAndServe(",
        "ListenAndServeTLS(",
        "grpc.NewServer(",
        "http.Serve(",
        ".Serve(lis",
    ] {
        if let Some(line) = code_line(call) {
            let what = call.trim_end_matches('(');
            return Some((
                Program::Server,
                format!("{main_file}:{line} {what} (starts a server)"),
            ));
        }
    }
    for (imp, fw) in SERVER_IMPORTS {
        if let Some(line) = code_line(&format!("\"{imp}")) {
            return Some((
                Program::Server,
                format!("{main_file}:{line} imports {fw} (server framework)"),
            ));
        }
    }
    // go.mod requires a server framework: the binary may serve from a
    // subcommand; no CLI verdict.
    if module_server {
        return None;
    }
    cli_import(main_file, text)
        .map(|evidence| (Program::Cli, format!("{evidence}, no server import")))
}

/// The `golang.org/x/tools/go/analysis` driver a main file imports
/// (`multichecker`, `singlechecker`, `unitchecker`) and its line: the
/// binary is a `go vet` analyzer.
fn analyzer_import(text: &str) -> Option<(&'static str, u32)> {
    const DRIVERS: &[&str] = &["multichecker", "singlechecker", "unitchecker"];
    DRIVERS.iter().find_map(|d| {
        let needle = format!("\"golang.org/x/tools/go/analysis/{d}\"");
        line_where(text, |l| {
            let t = l.trim_start();
            !t.starts_with("//") && t.contains(&needle)
        })
        .map(|line| (*d, line))
    })
}

/// `main.go:12 imports cobra (command line)` when the main file imports a
/// command-line framework.
fn cli_import(main_file: &str, text: &str) -> Option<String> {
    for (imp, fw) in CLI_IMPORTS {
        let needle = if imp.starts_with('"') {
            imp.to_string()
        } else {
            format!("\"{imp}")
        };
        let line = line_where(text, |l| {
            let t = l.trim_start();
            !t.starts_with("//") && t.contains(&needle)
        });
        if let Some(line) = line {
            return Some(format!("{main_file}:{line} imports {fw} (command line)"));
        }
    }
    None
}

fn find_main(ctx: &Ctx<'_>, dir: &str) -> Option<(String, String)> {
    let in_module = |path: &str| -> bool {
        let r = rel(dir, path);
        let segs: Vec<&str> = r.split('/').collect();
        let folders = &segs[..segs.len().saturating_sub(1)];
        if folders
            .iter()
            .any(|s| s.starts_with('_') || s.starts_with('.') || SKIP_DIRS.contains(s))
        {
            return false;
        }
        // A `package main` under a test, e2e, fuzz or benchmark folder is a
        // harness the tests run (SPEC 1.2), not the module's program.
        let folder = folders.join("/");
        if crate::inventory::is_example_path(&folder)
            || crate::inventory::harness_path(&folder).is_some()
        {
            return false;
        }
        // Nested modules: any folder between the module and the file with a go.mod.
        let mut d = dir.to_string();
        for s in folders {
            d = join(&d, s);
            if ctx.go_modules.contains(&d) {
                return false;
            }
        }
        true
    };
    // Whether a file is in the module is asked in the order below, and
    // only until a main package is found (usually the first file).
    let go_files: Vec<&str> = ctx
        .tree
        .files_under(dir)
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".go") && !p.ends_with("_test.go"))
        .collect();
    let root_main = join(dir, "main.go");
    let cmd = join(dir, "cmd/");
    let mut ordered: Vec<&str> = Vec::new();
    ordered.extend(go_files.iter().filter(|p| **p == root_main));
    ordered.extend(
        go_files
            .iter()
            .filter(|p| **p != root_main && file_name(p) == "main.go" && p.starts_with(&cmd)),
    );
    ordered.extend(
        go_files
            .iter()
            .filter(|p| **p != root_main && file_name(p) == "main.go" && !p.starts_with(&cmd)),
    );
    ordered.extend(
        go_files
            .iter()
            .filter(|p| file_name(p) != "main.go" && p.starts_with(&cmd)),
    );
    ordered.extend(
        go_files
            .iter()
            .filter(|p| file_name(p) != "main.go" && !p.starts_with(&cmd)),
    );
    // Whether a file is in the module depends on its folder alone.
    let mut folders: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    let mut sniffed = 0usize;
    for path in ordered {
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        if !*folders.entry(folder).or_insert_with(|| in_module(path)) {
            continue;
        }
        if sniffed == MAX_SNIFFED_FILES {
            break;
        }
        sniffed += 1;
        let Some(head) = ctx.sniff(path) else {
            continue;
        };
        if package_clause(&head).as_deref() == Some("main") && !build_ignored(&head) {
            return Some((path.to_string(), head));
        }
    }
    None
}

/// The package name of a Go file's package clause (comments skipped).
pub fn package_clause(text: &str) -> Option<String> {
    let mut in_block = false;
    for line in text.lines() {
        let mut t = line.trim();
        if in_block {
            match t.find("*/") {
                Some(e) => {
                    in_block = false;
                    t = t[e + 2..].trim();
                }
                None => continue,
            }
        }
        while t.starts_with("/*") {
            match t.find("*/") {
                Some(e) => t = t[e + 2..].trim(),
                None => {
                    in_block = true;
                    t = "";
                }
            }
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        let rest = t.strip_prefix("package")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        return rest
            .split_whitespace()
            .next()
            .map(|s| s.trim_end_matches(';').to_string());
    }
    None
}

/// `//go:build ignore` generators are not part of the build.
fn build_ignored(head: &str) -> bool {
    head.lines()
        .take_while(|l| !l.trim_start().starts_with("package"))
        .any(|l| {
            let t = l.trim();
            (t.starts_with("//go:build") || t.starts_with("// +build"))
                && contains_word(t, "ignore")
        })
}

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    #[test]
    fn go_program_kinds() {
        let ps = projects(&[
            ("srv/go.mod", "module example.com/srv\n"),
            (
                "srv/main.go",
                "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tflag.Parse()\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
            ),
            ("cli/go.mod", "module example.com/cli\n"),
            (
                "cli/cmd/tool/main.go",
                "package main\n\nimport (\n\t\"net/http\"\n\t\"github.com/spf13/cobra\"\n)\n\nfunc main() { http.Get(\"x\") }\n",
            ),
            ("plain/go.mod", "module example.com/plain\n"),
            ("plain/main.go", "package main\n\nfunc main() {}\n"),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("srv").program, Program::Server);
        assert_eq!(
            at("srv").program_evidence.as_deref(),
            Some("srv/main.go:10 ListenAndServe (starts a server)")
        );
        assert_eq!(at("cli").program, Program::Cli);
        assert_eq!(
            at("cli").program_evidence.as_deref(),
            Some("cli/cmd/tool/main.go:5 imports cobra (command line), no server import")
        );
        assert_eq!(at("plain").program, Program::Unknown);
    }

    #[test]
    fn go_cli_framework_in_go_mod_when_the_main_file_only_delegates() {
        let ps = projects(&[
            (
                "go.mod",
                "module github.com/acme/dive\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n)\n",
            ),
            (
                "cmd/dive/main.go",
                "package main\n\nimport \"github.com/acme/dive/cmd/dive/cli\"\n\nfunc main() { cli.Run() }\n",
            ),
            (
                "srv/go.mod",
                "module example.com/srv\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n\tgithub.com/gin-gonic/gin v1.9.0\n)\n",
            ),
            ("srv/main.go", "package main\n\nfunc main() { run() }\n"),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("").program, Program::Cli);
        assert_eq!(
            at("").program_evidence.as_deref(),
            Some("go.mod:4 requires cobra (command line), no server framework")
        );
        assert_eq!(at("srv").program, Program::Server);
    }
}
