use super::*;

const FRAMEWORKS: &[(&str, &str, bool)] = &[
    ("rails", "rails", true),
    ("sinatra", "sinatra", true),
    ("hanami", "hanami", true),
    ("roda", "roda", true),
    ("grape", "grape", true),
    ("padrino", "padrino", true),
    ("puma", "puma", true),
    ("unicorn", "unicorn", true),
    ("sidekiq", "sidekiq", false),
    ("resque", "resque", false),
];

pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
    let gemfile = join(dir, "Gemfile");
    let config_ru = join(dir, "config.ru");
    let app_rb = join(dir, "config/application.rb");
    let text = if ctx.has(&gemfile) {
        ctx.read(&gemfile)
    } else {
        None
    };
    let mut gems: Vec<(String, u32)> = Vec::new();
    let mut gemspec: Option<u32> = None;
    if let Some(t) = &text {
        for (i, line) in t.lines().enumerate() {
            let l = line.trim();
            if let Some(r) = l.strip_prefix("gem ").or_else(|| l.strip_prefix("gem(")) {
                if let Some(q) = first_quoted(r) {
                    gems.push((q.to_string(), i as u32 + 1));
                }
            } else if l == "gemspec" || l.starts_with("gemspec ") || l.starts_with("gemspec(") {
                gemspec = Some(i as u32 + 1);
            }
        }
    }
    let manifest = if ctx.has(&gemfile) {
        gemfile.clone()
    } else {
        config_ru.clone()
    };
    let has_ru = ctx.has(&config_ru);
    let has_app = ctx.has(&app_rb);
    let mut p = new_project(
        dir,
        ctx.folder_name(dir),
        Language::Ruby,
        manifest,
        ProjectRole::Library,
        String::new(),
        1,
    );
    let mut web = false;
    let mut first: Option<(String, u32, bool)> = None;
    for (g, fw, is_web) in FRAMEWORKS {
        if let Some((_, line)) = gems.iter().find(|(n, _)| n == g) {
            p.frameworks.push(fw.to_string());
            web |= *is_web;
            if first.is_none() {
                first = Some((fw.to_string(), *line, *is_web));
            }
        }
    }
    if has_app {
        p.frameworks.push("rails".into());
        web = true;
    }
    if gemspec.is_some() && !has_app && !has_ru {
        p.reason = "library: Gemfile defers to a gemspec".into();
        p.line = gemspec.unwrap_or(1);
        return Some(Cand::new(p, 0));
    }
    p.web = web || has_ru;
    if has_app {
        p.role = ProjectRole::Service;
        p.reason = "Rails (config/application.rb)".into();
        p.line = gems
            .iter()
            .find(|(n, _)| n == "rails")
            .map(|g| g.1)
            .unwrap_or(1);
    } else if let Some((fw, line, _)) = first {
        p.role = ProjectRole::Service;
        p.reason = format!("{fw} in Gemfile");
        p.line = line;
    } else if has_ru {
        p.role = ProjectRole::Service;
        p.reason = "Rack app (config.ru)".into();
        p.frameworks.push("rack".into());
    } else {
        p.reason = "library: no Rails/Sinatra/Rack app".into();
        return Some(Cand::new(p, 0));
    }
    if let Some(puma) = ctx.read_quiet(&join(dir, "config/puma.rb")) {
        for l in puma
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("port ") || l.starts_with("port("))
        {
            let digits: String = l
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            p.ports
                .extend(digits.parse::<u16>().ok().filter(|p| *p > 0));
        }
    }
    Some(Cand::new(p, 3))
}
