use super::*;

const FRAMEWORKS: &[&str] = &[
    "actix-web",
    "axum",
    "rocket",
    "warp",
    "poem",
    "salvo",
    "tide",
    "tonic",
    "loco-rs",
    "ntex",
    "gotham",
];

/// Command-line argument parsers: a binary with one and no server crate is
/// a command-line tool.
const ARG_PARSERS: &[&str] = &[
    "clap",
    "structopt",
    "argh",
    "lexopt",
    "pico-args",
    "gumdrop",
    "bpaf",
    "docopt",
];
/// Crates that ask a person at a terminal (a migration assistant): the
/// binary is a tool someone runs, as with an argument parser.
const TERMINAL_PROMPTS: &[&str] = &["requestty", "dialoguer", "inquire"];
/// Server crates besides the web frameworks.
const SERVER_CRATES: &[&str] = &["hyper", "tower-http", "tokio-tungstenite", "tiny_http"];

pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
    let path = join(dir, "Cargo.toml");
    let text = ctx.read(&path)?;
    let t = toml_parse(ctx, &path, &text)?;
    let section_line = |s: &str| line_where(&text, |l| l.trim() == s).unwrap_or(1);
    let package = t.get("package").and_then(|v| v.as_table());
    let Some(package) = package else {
        let name = ctx.folder_name(dir);
        if t.contains_key("workspace") {
            let p = new_project(
                dir,
                name,
                Language::Rust,
                path,
                ProjectRole::WorkspaceRoot,
                "Cargo workspace root (no [package])".into(),
                section_line("[workspace]"),
            );
            return Some(Cand::new(p, 0));
        }
        let p = new_project(
            dir,
            name,
            Language::Rust,
            path,
            ProjectRole::Library,
            "library: Cargo.toml has no [package]".into(),
            1,
        );
        return Some(Cand::new(p, 0));
    };
    let name = package
        .get("name")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| ctx.folder_name(dir));
    let dep_table = t.get("dependencies").and_then(|v| v.as_table());
    let deps: Vec<String> = dep_table
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    let dep_line = |d: &str| {
        line_where(&text, |l| {
            let l = l.trim_start();
            l.starts_with(d) && l[d.len()..].trim_start().starts_with(['=', '.'])
        })
        .unwrap_or(1)
    };
    let frameworks: Vec<String> = FRAMEWORKS
        .iter()
        .filter(|f| deps.iter().any(|d| d == *f))
        .map(|f| f.to_string())
        .collect();
    let autobins = package
        .get("autobins")
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    let bins: Vec<String> = t
        .get("bin")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|b| {
                    b.get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("?")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    let main_rs = join(dir, "src/main.rs");
    let bin_dir = join(dir, "src/bin");
    let auto_bin = if !autobins {
        None
    } else if ctx.has(&main_rs) {
        Some("src/main.rs".to_string())
    } else {
        ctx.tree
            .files_under(&bin_dir)
            .find(|f| {
                let r = rel(&bin_dir, &f.path);
                (!r.contains('/') && r.ends_with(".rs"))
                    || r.ends_with("/main.rs") && r.matches('/').count() == 1
            })
            .map(|f| rel(dir, &f.path).to_string())
    };
    let mut p = new_project(
        dir,
        name.clone(),
        Language::Rust,
        path,
        ProjectRole::Library,
        "library: no binary target".into(),
        section_line("[package]"),
    );
    if name == "xtask" || file_name(dir) == "xtask" {
        p.reason = "library: cargo xtask build helper".into();
        return Some(Cand::new(p, 0));
    }
    // Desktop apps (Tauri) run on a user's machine, not in a container.
    if deps.iter().any(|d| d == "tauri") {
        p.reason = "library: desktop app (tauri), not a server".into();
        p.line = dep_line("tauri");
        return Some(Cand::new(p, 0));
    }
    // cargo-fuzz crates (`fuzz/Cargo.toml`): fuzz targets, never services.
    let cargo_fuzz = package
        .get("metadata")
        .and_then(|m| m.get("cargo-fuzz"))
        .and_then(|v| v.as_bool())
        == Some(true);
    if cargo_fuzz
        || deps
            .iter()
            .any(|d| d == "libfuzzer-sys" || d == "afl" || d == "honggfuzz")
    {
        p.reason = if cargo_fuzz {
            "library: fuzz targets ([package.metadata] cargo-fuzz = true)".into()
        } else {
            "library: fuzz targets (libfuzzer-sys)".into()
        };
        p.line = if cargo_fuzz {
            line_where(&text, |l| l.trim_start().starts_with("cargo-fuzz")).unwrap_or(1)
        } else {
            dep_line("libfuzzer-sys")
        };
        return Some(Cand::new(p, 0));
    }
    if let Some(b) = &auto_bin {
        p.role = ProjectRole::Service;
        p.reason = format!("Rust binary target ({b})");
    } else if !bins.is_empty() {
        p.role = ProjectRole::Service;
        p.reason = format!("Rust binary target ([[bin]] {})", bins.join(", "));
        p.line = section_line("[[bin]]");
    }
    if p.role == ProjectRole::Service {
        let manifest = p.manifest.clone();
        if let Some(fw) = frameworks.first() {
            p.program = Program::Server;
            p.program_evidence = Some(format!(
                "{manifest}:{} depends on {fw} (server framework)",
                dep_line(fw)
            ));
        } else if let Some(s) = SERVER_CRATES.iter().find(|s| {
            deps.iter().any(|d| d == *s)
                && (**s != "hyper" || hyper_server(dep_table.and_then(|d| d.get("hyper"))))
        }) {
            p.program = Program::Server;
            p.program_evidence = Some(format!(
                "{manifest}:{} depends on {s} (HTTP server)",
                dep_line(s)
            ));
        } else if let Some(a) = ARG_PARSERS.iter().find(|a| deps.iter().any(|d| d == *a)) {
            p.program = Program::Cli;
            p.program_evidence = Some(format!(
                "{manifest}:{} binary with {a} (argument parser), no server crate",
                dep_line(a)
            ));
        } else if let Some(a) = TERMINAL_PROMPTS
            .iter()
            .find(|a| deps.iter().any(|d| d == *a))
        {
            p.program = Program::Cli;
            p.program_evidence = Some(format!(
                "{manifest}:{} binary with {a} (terminal prompts), no server crate",
                dep_line(a)
            ));
        }
    }
    p.web = !frameworks.is_empty();
    p.frameworks = frameworks;
    let strength = if p.role == ProjectRole::Service { 3 } else { 0 };
    Some(Cand::new(p, strength))
}

/// Whether a `hyper` dependency enables its server (`features` with
/// `server` or `full`); a plain `hyper` is as often a client.
fn hyper_server(v: Option<&toml::Value>) -> bool {
    v.and_then(|v| v.get("features"))
        .and_then(|f| f.as_array())
        .is_some_and(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .any(|f| f == "server" || f == "full")
        })
}

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    #[test]
    fn cargo_fuzz_crates_are_not_services() {
        let ps = projects(&[
            (
                "fuzz/Cargo.toml",
                "[package]\nname = \"fuzz\"\n\n[package.metadata]\ncargo-fuzz = true\n\n[dependencies]\nlibfuzzer-sys = \"0.4\"\n\n[[bin]]\nname = \"fuzz_glob\"\npath = \"fuzz_targets/fuzz_glob.rs\"\n",
            ),
            (
                "other/Cargo.toml",
                "[package]\nname = \"f2\"\n[dependencies]\nlibfuzzer-sys = \"0.4\"\n",
            ),
            ("other/src/main.rs", "fn main() {}\n"),
        ]);
        let f = ps.iter().find(|p| p.dir == "fuzz").unwrap();
        assert_eq!(f.role, ProjectRole::Library);
        assert_eq!(f.line, 5);
        assert!(f.reason.contains("cargo-fuzz"), "{}", f.reason);
        let o = ps.iter().find(|p| p.dir == "other").unwrap();
        assert_eq!(o.role, ProjectRole::Library);
        assert_eq!(o.line, 4);
    }

    #[test]
    fn tauri_desktop_apps_are_not_services() {
        let ps = projects(&[
            (
                "desk/src-tauri/Cargo.toml",
                "[package]\nname = \"desk\"\n\n[dependencies]\ntauri-build = \"2\"\ntauri = { version = \"2\" }\n",
            ),
            ("desk/src-tauri/src/main.rs", "fn main() {}\n"),
        ]);
        assert_eq!(ps[0].role, ProjectRole::Library);
        assert_eq!(ps[0].reason, "library: desktop app (tauri), not a server");
        assert_eq!(ps[0].line, 6);
    }

    #[test]
    fn rust_program_kinds() {
        let ps = projects(&[
            (
                "cli/Cargo.toml",
                "[package]\nname = \"rg\"\n\n[dependencies]\nlexopt = \"0.3\"\nregex = \"1\"\n",
            ),
            ("cli/src/main.rs", "fn main() {}\n"),
            (
                "srv/Cargo.toml",
                "[package]\nname = \"srv\"\n[dependencies]\nclap = \"4\"\naxum = \"0.7\"\n",
            ),
            ("srv/src/main.rs", "fn main() {}\n"),
            (
                "hy/Cargo.toml",
                "[package]\nname = \"hy\"\n[dependencies]\nclap = \"4\"\nhyper = { version = \"1\", features = [\"server\", \"http1\"] }\n",
            ),
            ("hy/src/main.rs", "fn main() {}\n"),
            (
                "client/Cargo.toml",
                "[package]\nname = \"client\"\n[dependencies]\nhyper = { version = \"1\", features = [\"client\"] }\n",
            ),
            ("client/src/main.rs", "fn main() {}\n"),
            (
                "migrate/Cargo.toml",
                "[package]\nname = \"migrate\"\n[dependencies]\nrequestty = \"0.6\"\nreqwest = \"0.12\"\n",
            ),
            ("migrate/src/main.rs", "fn main() {}\n"),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("cli").program, Program::Cli);
        assert_eq!(
            at("cli").program_evidence.as_deref(),
            Some("cli/Cargo.toml:5 binary with lexopt (argument parser), no server crate")
        );
        assert_eq!(at("srv").program, Program::Server);
        assert_eq!(
            at("srv").program_evidence.as_deref(),
            Some("srv/Cargo.toml:5 depends on axum (server framework)")
        );
        assert_eq!(at("hy").program, Program::Server);
        assert_eq!(at("client").program, Program::Unknown);
        // An interactive assistant is a tool someone runs, not a service.
        assert_eq!(at("migrate").program, Program::Cli);
        assert_eq!(
            at("migrate").program_evidence.as_deref(),
            Some("migrate/Cargo.toml:4 binary with requestty (terminal prompts), no server crate")
        );
    }
}
