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
    let deps: Vec<String> = t
        .get("dependencies")
        .and_then(|v| v.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
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
    if let Some(b) = &auto_bin {
        p.role = ProjectRole::Service;
        p.reason = format!("Rust binary target ({b})");
    } else if !bins.is_empty() {
        p.role = ProjectRole::Service;
        p.reason = format!("Rust binary target ([[bin]] {})", bins.join(", "));
        p.line = section_line("[[bin]]");
    }
    p.web = !frameworks.is_empty();
    p.frameworks = frameworks;
    let strength = if p.role == ProjectRole::Service { 3 } else { 0 };
    Some(Cand::new(p, strength))
}
