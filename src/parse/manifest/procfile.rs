use super::*;

fn language_of(cmd: &str) -> Option<Language> {
    let words: Vec<&str> = cmd
        .split_whitespace()
        .filter(|w| !w.contains('='))
        .collect();
    let first = words.first().copied().unwrap_or("");
    let first = if first == "exec" || first == "bundle" && words.get(1) == Some(&"exec") {
        words
            .get(if first == "exec" { 1 } else { 2 })
            .copied()
            .unwrap_or(first)
    } else {
        first
    };
    Some(match first {
        "gunicorn" | "uvicorn" | "python" | "python3" | "daphne" | "hypercorn"
        | "waitress-serve" | "celery" | "streamlit" | "flask" | "granian" => Language::Python,
        "node" | "npm" | "yarn" | "pnpm" | "npx" | "next" | "bun" | "nuxt" => Language::Node,
        "bundle" | "rails" | "puma" | "rackup" | "unicorn" | "ruby" | "sidekiq" | "bin/rails" => {
            Language::Ruby
        }
        "java" => Language::Java,
        "dotnet" => Language::Dotnet,
        "php"
        | "heroku-php-apache2"
        | "heroku-php-nginx"
        | "vendor/bin/heroku-php-apache2"
        | "vendor/bin/heroku-php-nginx" => Language::Php,
        "mix" | "elixir" => Language::Elixir,
        _ => return None,
    })
}

pub fn apply(ctx: &mut Ctx<'_>, dir: &str, cands: &mut Vec<Cand>) {
    let path = join(dir, "Procfile");
    let Some(text) = ctx.read(&path) else { return };
    let Some((line, cmd)) = text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim();
        t.strip_prefix("web:")
            .map(|c| (i as u32 + 1, c.trim().to_string()))
    }) else {
        return;
    };
    let lang = language_of(&cmd);
    let ports = ports_in_command(&cmd);
    let target = match lang {
        Some(l) => cands.iter_mut().find(|c| c.p.language == l),
        None => cands.iter_mut().max_by_key(|c| role_rank(&c.p.role)),
    };
    if let Some(c) = target {
        if c.p.role != ProjectRole::Service {
            c.p.role = ProjectRole::Service;
            c.p.reason = format!("Procfile web process: `{}`", short_cmd(&cmd));
            c.p.line = 1;
        }
        c.p.web = true;
        c.p.ports.extend(ports);
        c.strength = c.strength.max(3);
        return;
    }
    if let Some(l) = lang {
        let mut p = new_project(
            dir,
            ctx.folder_name(dir),
            l,
            path.clone(),
            ProjectRole::Service,
            format!("Procfile web process: `{}`", short_cmd(&cmd)),
            line,
        );
        p.web = true;
        p.ports = ports;
        cands.push(Cand::new(p, 3));
    }
}
