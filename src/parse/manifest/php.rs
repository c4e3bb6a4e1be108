use super::*;

const FRAMEWORKS: &[(&str, &str)] = &[
    ("laravel/framework", "laravel"),
    ("laravel/lumen-framework", "lumen"),
    ("symfony/framework-bundle", "symfony"),
    ("slim/slim", "slim"),
    ("laminas/laminas-mvc", "laminas"),
    ("cakephp/cakephp", "cakephp"),
    ("yiisoft/yii2", "yii"),
    ("codeigniter4/framework", "codeigniter"),
];

pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
    let composer = join(dir, "composer.json");
    let artisan = join(dir, "artisan");
    let index = join(dir, "public/index.php");
    let mut requires: Vec<String> = Vec::new();
    let mut bin_line: Option<u32> = None;
    let mut name = None;
    let mut kind = String::new();
    let mut text = String::new();
    if ctx.has(&composer) {
        if let Some(t) = ctx.read(&composer) {
            if let Some(m) = json_parse(ctx, &composer, &t) {
                requires = str_keys(m.get("require"));
                let has_bin = match m.get("bin") {
                    Some(serde_json::Value::Array(a)) => !a.is_empty(),
                    Some(serde_json::Value::String(b)) => !b.is_empty(),
                    _ => false,
                };
                if has_bin {
                    bin_line = json_key_line(&t, None, "bin");
                }
                name = m
                    .get("name")
                    .and_then(|v| v.as_str())
                    .map(|n| n.rsplit('/').next().unwrap_or(n).to_string());
                kind = m
                    .get("type")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
            } else if !ctx.has(&artisan) {
                return None;
            }
            text = t;
        }
    }
    let manifest = if ctx.has(&composer) {
        composer.clone()
    } else {
        artisan.clone()
    };
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| ctx.folder_name(dir));
    let mut p = new_project(
        dir,
        name,
        Language::Php,
        manifest,
        ProjectRole::Library,
        String::new(),
        1,
    );
    let mut first: Option<(&str, u32)> = None;
    for (pkg, fw) in FRAMEWORKS {
        if requires.iter().any(|r| r == pkg) {
            p.frameworks.push(fw.to_string());
            if first.is_none() {
                first = Some((fw, json_key_line(&text, Some("require"), pkg).unwrap_or(1)));
            }
        }
    }
    let has_artisan = ctx.has(&artisan);
    let has_index = ctx.has(&index);
    // A front controller at the package root (`index.php` beside
    // `composer.json`, no `public/`), in a package that does not call
    // itself a library: the older PHP web-app layout.
    let root_index = ctx.has(&composer)
        && ctx.has(&join(dir, "index.php"))
        && !(kind == "library" || kind.ends_with("-bundle") || kind.ends_with("-plugin"));
    if has_artisan {
        p.frameworks.push("laravel".into());
    }
    p.web = true;
    if has_artisan {
        p.role = ProjectRole::Service;
        p.reason = "Laravel (artisan)".into();
        p.line = first.map(|f| f.1).unwrap_or(1);
    } else if has_index {
        p.role = ProjectRole::Service;
        p.reason = match first {
            Some((fw, _)) => format!("{fw} app (public/index.php)"),
            None => "PHP web app (public/index.php)".into(),
        };
        p.line = first.map(|f| f.1).unwrap_or(1);
    } else if root_index {
        p.role = ProjectRole::Service;
        p.reason = match first {
            Some((fw, _)) => format!("{fw} app (index.php)"),
            None => "PHP web app (index.php at the root of the package)".into(),
        };
        p.line = first.map(|f| f.1).unwrap_or(1);
    } else if let Some((fw, line)) = first
        .filter(|_| kind != "library" && !kind.ends_with("-bundle") && !kind.ends_with("-plugin"))
    {
        p.role = ProjectRole::Service;
        p.reason = format!("{fw} in composer.json");
        p.line = line;
    } else {
        p.web = false;
        p.reason = "library: no Laravel/Symfony app or public/index.php".into();
        if let Some(line) = bin_line {
            p.program = Program::Cli;
            p.program_evidence = Some(format!("{}:{line} composer `bin`, no web app", p.manifest));
            // SPEC 1.2: a CLI tool's binary is its buildable service, when
            // the package is the repository's own.
            if dir.is_empty() {
                p.role = ProjectRole::Service;
                p.reason = "PHP command-line tool (composer.json `bin`)".into();
                p.line = line;
                return Some(Cand::new(p, 1));
            }
        }
        return Some(Cand::new(p, 0));
    }
    Some(Cand::new(p, 3))
}

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    #[test]
    fn composer_bin_makes_the_root_package_a_cli_service() {
        let json = "{\n  \"name\": \"composer/composer\",\n  \"type\": \"library\",\n  \"bin\": [\n    \"bin/composer\"\n  ]\n}\n";
        let ps = projects(&[("composer.json", json), ("tools/x/composer.json", json)]);
        let root = ps.iter().find(|p| p.dir.is_empty()).unwrap();
        assert_eq!(root.role, ProjectRole::Service, "{}", root.reason);
        assert_eq!(root.line, 4);
        assert_eq!(root.program, Program::Cli);
        assert_eq!(
            root.program_evidence.as_deref(),
            Some("composer.json:4 composer `bin`, no web app")
        );
        let x = ps.iter().find(|p| p.dir == "tools/x").unwrap();
        assert_eq!(x.role, ProjectRole::Library);
    }
}
