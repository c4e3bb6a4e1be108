//! .NET projects.

use super::*;

#[test]
fn dotnet_projects() {
    let ps = projects(&[
        ("src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n</Project>\n"),
        ("src/Api/Properties/launchSettings.json", r#"{"profiles":{"http":{"applicationUrl":"http://localhost:5080;https://localhost:7080"}}}"#),
        ("src/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"),
        ("src/Tool/Tool.fsproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n<PropertyGroup>\n<OutputType>Exe</OutputType>\n</PropertyGroup>\n</Project>"),
        (
            "tests/Api.Tests/Api.Tests.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" Version=\"17\" /></ItemGroup></Project>",
        ),
    ]);
    let api = at(&ps, "src/Api");
    assert_eq!(api.role, ProjectRole::Service);
    assert_eq!(api.name, "Api");
    assert_eq!(api.language, Language::Dotnet);
    assert!(api.web);
    assert_eq!(api.ports, vec![5080, 7080]);
    assert_eq!(at(&ps, "src/Core").role, ProjectRole::Library);
    assert_eq!(at(&ps, "src/Tool").role, ProjectRole::Service);
    assert_eq!(at(&ps, "src/Tool").line, 3);
    assert_eq!(at(&ps, "tests/Api.Tests").role, ProjectRole::Library);
}
