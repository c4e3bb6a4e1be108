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
        if let Some((file, line)) = gemspec_executables(ctx, dir) {
            p.program = Program::Cli;
            p.program_evidence = Some(format!("{file}:{line} gem executables, no server"));
            // SPEC 1.2: a CLI tool's binary is its buildable service, when
            // the gem is the repository's own.
            if dir.is_empty() {
                p.role = ProjectRole::Service;
                p.reason = format!(
                    "Ruby command-line tool ({}:{line} executables)",
                    rel(dir, &file)
                );
                p.frameworks.clear();
                return Some(Cand::new(p, 1));
            }
        }
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
    } else if let Some((fw, line, _)) = &first {
        p.role = ProjectRole::Service;
        p.reason = format!("{fw} in Gemfile");
        p.line = *line;
    } else if has_ru {
        p.role = ProjectRole::Service;
        p.reason = "Rack app (config.ru)".into();
        p.frameworks.push("rack".into());
    } else {
        p.reason = "library: no Rails/Sinatra/Rack app".into();
        return Some(Cand::new(p, 0));
    }
    if !web && !has_ru {
        if let Some((fw, line, _)) = first.as_ref().filter(|f| !f.2) {
            p.program = Program::Worker;
            p.program_evidence = Some(format!(
                "{}:{line} {fw} (background jobs), no web framework",
                p.manifest
            ));
        }
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

/// The `*.gemspec` beside the Gemfile that declares executables
/// (`spec.executables = ['rubocop']`, `= %w[...]`, `= ...grep(%r{^exe/})`),
/// with the line.
fn gemspec_executables(ctx: &Ctx<'_>, dir: &str) -> Option<(String, u32)> {
    let specs: Vec<String> = ctx
        .tree
        .files_under(dir)
        .filter(|f| parent_dir(&f.path) == dir && f.path.ends_with(".gemspec"))
        .take(4)
        .map(|f| f.path.clone())
        .collect();
    for spec in specs {
        let Some(text) = ctx.sniff(&spec) else {
            continue;
        };
        let line = line_where(&text, |l| {
            let t = l.trim_start();
            if t.starts_with('#') {
                return false;
            }
            let Some(i) = t.find(".executables") else {
                return false;
            };
            let rhs = t[i + ".executables".len()..].trim_start();
            let Some(v) = rhs.strip_prefix('=').or_else(|| rhs.strip_prefix("<<")) else {
                return false;
            };
            let v = v.trim();
            !v.is_empty() && v != "[]" && v != "%w[]" && v != "%w()"
        });
        if let Some(line) = line {
            return Some((spec, line));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    const SPEC: &str = "Gem::Specification.new do |s|\n  s.name = 'rubocop'\n  s.bindir = 'exe'\n  s.executables = ['rubocop']\nend\n";

    #[test]
    fn gem_executables_make_the_root_gem_a_cli_service() {
        let ps = projects(&[
            ("Gemfile", "source 'https://rubygems.org'\ngemspec\n"),
            ("rubocop.gemspec", SPEC),
            ("gems/helper/Gemfile", "gemspec\n"),
            ("gems/helper/helper.gemspec", SPEC),
            ("gems/lib/Gemfile", "gemspec\n"),
            (
                "gems/lib/lib.gemspec",
                "Gem::Specification.new do |s|\n  s.executables = []\nend\n",
            ),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        let root = at("");
        assert_eq!(root.role, ProjectRole::Service, "{}", root.reason);
        assert_eq!(root.program, Program::Cli);
        assert_eq!(
            root.program_evidence.as_deref(),
            Some("rubocop.gemspec:4 gem executables, no server")
        );
        assert_eq!(at("gems/helper").role, ProjectRole::Library);
        assert_eq!(at("gems/helper").program, Program::Cli);
        assert_eq!(at("gems/lib").program, Program::Unknown);
    }

    #[test]
    fn sidekiq_without_a_web_framework_is_a_worker() {
        let ps = projects(&[
            ("jobs/Gemfile", "gem 'sidekiq'\n"),
            ("web/Gemfile", "gem 'rails'\ngem 'sidekiq'\n"),
            ("web/config/application.rb", "module W; end\n"),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("jobs").program, Program::Worker);
        assert_eq!(
            at("jobs").program_evidence.as_deref(),
            Some("jobs/Gemfile:1 sidekiq (background jobs), no web framework")
        );
        assert_eq!(at("web").program, Program::Server);
    }
}
