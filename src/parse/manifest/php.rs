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
    let mut name = None;
    let mut kind = String::new();
    let mut text = String::new();
    if ctx.has(&composer) {
        if let Some(t) = ctx.read(&composer) {
            if let Some(m) = json_parse(ctx, &composer, &t) {
                requires = str_keys(m.get("require"));
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
    } else if let Some((fw, line)) = first
        .filter(|_| kind != "library" && !kind.ends_with("-bundle") && !kind.ends_with("-plugin"))
    {
        p.role = ProjectRole::Service;
        p.reason = format!("{fw} in composer.json");
        p.line = line;
    } else {
        p.web = false;
        p.reason = "library: no Laravel/Symfony app or public/index.php".into();
        return Some(Cand::new(p, 0));
    }
    Some(Cand::new(p, 3))
}
