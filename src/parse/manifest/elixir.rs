use super::*;

pub fn scan(ctx: &mut Ctx<'_>, dir: &str) -> Option<Cand> {
    let path = join(dir, "mix.exs");
    let text = ctx.read(&path)?;
    let find = |needle: &str| {
        line_where(&text, |l| {
            l.contains(needle) && !l.trim_start().starts_with('#')
        })
    };
    let name = text
        .find("app:")
        .and_then(|i| {
            let r = text[i + 4..].trim_start().strip_prefix(':')?;
            let n: String = r
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!n.is_empty()).then_some(n)
        })
        .unwrap_or_else(|| ctx.folder_name(dir));
    let mut p = new_project(
        dir,
        name,
        Language::Elixir,
        path,
        ProjectRole::Library,
        String::new(),
        1,
    );
    if let Some(line) = find("apps_path:") {
        p.role = ProjectRole::WorkspaceRoot;
        p.reason = "Elixir umbrella project (apps_path)".into();
        p.line = line;
        return Some(Cand::new(p, 0));
    }
    let phoenix = find("{:phoenix,");
    let module = find("mod:");
    let package = find("package:");
    if phoenix.is_some() {
        p.frameworks.push("phoenix".into());
    }
    for (dep, fw) in [("{:plug_cowboy", "plug"), ("{:bandit", "bandit")] {
        if find(dep).is_some() {
            p.frameworks.push(fw.into());
        }
    }
    p.web = !p.frameworks.is_empty();
    let escript = find("escript:");
    if let (Some(line), false) = (escript, p.web) {
        p.program = Program::Cli;
        p.program_evidence = Some(format!("{}:{line} escript, no web framework", p.manifest));
    } else if let (Some(line), false) = (find("{:oban,").or_else(|| find("{:broadway,")), p.web) {
        p.program = Program::Worker;
        p.program_evidence = Some(format!(
            "{}:{line} background jobs (Oban/Broadway), no web framework",
            p.manifest
        ));
    }
    if package.is_some() {
        p.web = false;
        p.reason = "library: Hex package (package: metadata)".into();
        p.line = package.unwrap_or(1);
        return Some(Cand::new(p, 0));
    }
    if let Some(line) = phoenix {
        p.role = ProjectRole::Service;
        p.reason = "Phoenix (mix.exs)".into();
        p.line = line;
        return Some(Cand::new(p, 3));
    }
    if let Some(line) = module {
        p.role = ProjectRole::Service;
        p.reason = "OTP application with a start module (mod:)".into();
        p.line = line;
        return Some(Cand::new(p, 2));
    }
    p.reason = "library: no Phoenix dependency or application mod:".into();
    Some(Cand::new(p, 0))
}

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    #[test]
    fn elixir_program_kinds() {
        let ps = projects(&[
            (
                "cli/mix.exs",
                "defmodule Cli.MixProject do\n  def project do\n    [app: :cli, escript: [main_module: Cli]]\n  end\nend\n",
            ),
            (
                "jobs/mix.exs",
                "defmodule Jobs do\n  def application, do: [mod: {Jobs.App, []}]\n  defp deps, do: [{:oban, \"~> 2.0\"}]\nend\n",
            ),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("cli").program, Program::Cli);
        assert_eq!(
            at("cli").program_evidence.as_deref(),
            Some("cli/mix.exs:3 escript, no web framework")
        );
        assert_eq!(at("jobs").program, Program::Worker);
        assert_eq!(at("jobs").role, ProjectRole::Service);
    }
}
