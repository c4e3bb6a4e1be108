use super::*;

pub fn is_project_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".csproj") || n.ends_with(".fsproj") || n.ends_with(".vbproj")
}

pub fn scan(ctx: &mut Ctx<'_>, dir: &str, path: &str) -> Option<Cand> {
    let text = ctx.read(path)?;
    let (doc, err) = xml::parse(&text);
    if let Some((line, msg)) = err {
        ctx.syntax(
            path,
            line,
            None,
            format!("{} is not well-formed XML: {msg}", file_name(path)),
        );
    }
    let root = doc.root().filter(|r| doc.name(*r) == "Project")?;
    let fname = file_name(path);
    let name = fname
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(fname)
        .to_string();
    let mut sdk = doc.attr(root, "Sdk").unwrap_or("").to_string();
    let mut sdk_line = doc.line(root);
    if sdk.is_empty() {
        if let Some(n) = doc.descendants(root).into_iter().find(|n| {
            matches!(doc.name(*n), "Sdk" | "Import")
                && doc
                    .attr(*n, if doc.name(*n) == "Sdk" { "Name" } else { "Sdk" })
                    .is_some()
        }) {
            sdk = doc
                .attr(n, "Name")
                .or_else(|| doc.attr(n, "Sdk"))
                .unwrap_or("")
                .to_string();
            sdk_line = doc.line(n);
        }
    }
    let prop = |name: &str| -> Option<(String, u32)> {
        doc.children(root, "PropertyGroup")
            .flat_map(|g| doc.children(g, name).collect::<Vec<_>>())
            .find(|n| !doc.text(*n).is_empty())
            .map(|n| (doc.text(n).to_string(), doc.line(n)))
    };
    let is_true = |name: &str| prop(name).is_some_and(|(v, _)| v.eq_ignore_ascii_case("true"));
    let dependencies: Vec<(String, u32)> = doc
        .children(root, "ItemGroup")
        .flat_map(|g| doc.children(g, "PackageReference").collect::<Vec<_>>())
        .filter_map(|n| doc.attr(n, "Include").map(|i| (i.to_string(), doc.line(n))))
        .collect();
    let package_refs: Vec<String> = dependencies.iter().map(|(d, _)| d.clone()).collect();
    let mut p = new_project(
        dir,
        name,
        Language::Dotnet,
        path.to_string(),
        ProjectRole::Library,
        String::new(),
        1,
    );
    p.dependencies = dependencies;
    if is_true("IsTestProject") || package_refs.iter().any(|r| r == "Microsoft.NET.Test.Sdk") {
        p.reason = "library: test project".into();
        return Some(Cand::new(p, 0));
    }
    if let Some(b) = package_refs
        .iter()
        .find(|r| r.as_str() == "BenchmarkDotNet" || r.starts_with("BenchmarkDotNet."))
    {
        p.reason = format!("library: benchmark console ({b})");
        p.line = ref_line(&doc, root, b);
        return Some(Cand::new(p, 0));
    }
    if sdk.starts_with("Aspire.AppHost") || is_true("IsAspireHost") {
        p.reason = "library: .NET Aspire app host (orchestrates other projects)".into();
        return Some(Cand::new(p, 0));
    }
    if is_true("UseMaui") || is_true("UseWPF") || is_true("UseWindowsForms") {
        p.reason = "library: desktop/mobile app, not a server".into();
        return Some(Cand::new(p, 0));
    }
    let output = prop("OutputType");
    if sdk.eq_ignore_ascii_case("Microsoft.NET.Sdk.Web")
        || sdk.starts_with("Microsoft.NET.Sdk.BlazorWebAssembly")
    {
        p.role = ProjectRole::Service;
        p.reason = format!("ASP.NET Core (Sdk=\"{sdk}\")");
        p.line = sdk_line;
        p.web = true;
        p.frameworks.push("aspnetcore".into());
    } else if sdk.eq_ignore_ascii_case("Microsoft.NET.Sdk.Worker") {
        p.role = ProjectRole::Service;
        p.reason = "worker service (Sdk=\"Microsoft.NET.Sdk.Worker\")".into();
        p.line = sdk_line;
    } else if let Some((v, line)) = prop("AzureFunctionsVersion") {
        p.role = ProjectRole::Service;
        p.reason = format!("Azure Functions app ({v})");
        p.line = line;
        p.web = true;
        p.frameworks.push("azure-functions".into());
    } else if let Some((v, line)) = output
        .as_ref()
        .filter(|(v, _)| v.eq_ignore_ascii_case("Exe") || v.eq_ignore_ascii_case("WinExe"))
    {
        p.role = ProjectRole::Service;
        p.reason = format!("<OutputType>{v}</OutputType>");
        p.line = *line;
    } else {
        p.reason = "library: no Web SDK or Exe output".into();
        return Some(Cand::new(p, 0));
    }
    if package_refs
        .iter()
        .any(|r| r.starts_with("Microsoft.AspNetCore") || r.starts_with("Grpc.AspNetCore"))
    {
        p.web = true;
        p.frameworks.push("aspnetcore".into());
    }
    if let Some(ls) = ctx.read_quiet(&join(dir, "Properties/launchSettings.json")) {
        p.ports = launch_ports(&ls);
        p.web = p.web || !p.ports.is_empty();
    }
    let file = p.manifest.clone();
    if p.web {
        p.program = Program::Server;
        p.program_evidence = Some(format!("{file}:{} {}", p.line, p.reason));
    } else if sdk.eq_ignore_ascii_case("Microsoft.NET.Sdk.Worker") {
        p.program = Program::Worker;
        p.program_evidence = Some(format!("{file}:{sdk_line} Sdk=\"{sdk}\" (worker service)"));
    } else if let Some((_, line)) =
        prop("PackAsTool").filter(|(v, _)| v.eq_ignore_ascii_case("true"))
    {
        p.program = Program::Cli;
        p.program_evidence = Some(format!(
            "{file}:{line} <PackAsTool>true</PackAsTool> (.NET tool)"
        ));
    } else if let Some(r) = package_refs
        .iter()
        .find(|r| CLI_PARSERS.contains(&r.as_str()))
    {
        p.program = Program::Cli;
        p.program_evidence = Some(format!(
            "{file}:{} console app with {r}, no web SDK",
            ref_line(&doc, root, r)
        ));
    }
    Some(Cand::new(p, 3))
}

/// Command-line parsers: a console app with one and no web SDK is a CLI.
const CLI_PARSERS: &[&str] = &[
    "System.CommandLine",
    "CommandLineParser",
    "Spectre.Console.Cli",
    "McMaster.Extensions.CommandLineUtils",
    "Cocona",
];

/// Line of the `<PackageReference Include="name">`.
fn ref_line(doc: &xml::Doc, root: usize, name: &str) -> u32 {
    doc.children(root, "ItemGroup")
        .flat_map(|g| doc.children(g, "PackageReference").collect::<Vec<_>>())
        .find(|n| doc.attr(*n, "Include") == Some(name))
        .map(|n| doc.line(n))
        .unwrap_or(1)
}

/// Ports from `applicationUrl` values of `launchSettings.json`.
fn launch_ports(text: &str) -> Vec<u16> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(profiles) = v.get("profiles").and_then(|p| p.as_object()) {
        for prof in profiles.values() {
            if let Some(urls) = prof.get("applicationUrl").and_then(|u| u.as_str()) {
                out.extend(urls.split(';').filter_map(port_value));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::projects;
    use super::*;

    #[test]
    fn benchmark_consoles_are_not_services() {
        let ps = projects(&[(
            "perf/Micro/Micro.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"BenchmarkDotNet\" Version=\"0.13\" />\n  </ItemGroup>\n</Project>\n",
        )]);
        assert_eq!(ps[0].role, ProjectRole::Library);
        assert_eq!(ps[0].reason, "library: benchmark console (BenchmarkDotNet)");
        assert_eq!(ps[0].line, 4);
    }

    #[test]
    fn dotnet_program_kinds() {
        let ps = projects(&[
            (
                "web/Web.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>\n",
            ),
            (
                "worker/Worker.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Worker\"></Project>\n",
            ),
            (
                "tool/Tool.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n    <PackAsTool>true</PackAsTool>\n  </PropertyGroup>\n</Project>\n",
            ),
            (
                "plain/Plain.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>\n",
            ),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("web").program, Program::Server);
        assert_eq!(at("worker").program, Program::Worker);
        assert_eq!(at("tool").program, Program::Cli);
        assert_eq!(
            at("tool").program_evidence.as_deref(),
            Some("tool/Tool.csproj:4 <PackAsTool>true</PackAsTool> (.NET tool)")
        );
        assert_eq!(at("plain").program, Program::Unknown);
    }
}
