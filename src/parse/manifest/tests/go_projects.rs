//! Go modules.

use super::*;

#[test]
fn go_module_with_package_main() {
    let ps = projects(&[
        ("svc/go.mod", "// comment\nmodule github.com/acme/payments/v2\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n"),
        ("svc/internal/x.go", "package internal\n"),
        ("svc/cmd/api/main.go", "// Copyright\n/* block\n comment */\npackage main\n\nimport \"net/http\"\n"),
    ]);
    let p = at(&ps, "svc");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.name, "payments");
    assert_eq!(p.reason, "go module with package main (cmd/api/main.go)");
    assert_eq!(p.line, 2);
    assert_eq!(p.frameworks, vec!["gin", "net/http"]);
    assert!(p.web);
}

#[test]
fn go_library_nested_module_testdata_and_ignored_generators() {
    let ps = projects(&[
        ("go.mod", "module example.com/lib\n"),
        ("lib.go", "package lib\n"),
        ("gen.go", "//go:build ignore\n\npackage main\n"),
        ("testdata/prog/main.go", "package main\n"),
        ("examples/hello/main.go", "package main\n"),
        ("pkg/e2e/cmd/fault-server/main.go", "package main\n"),
        ("fuzz/main.go", "package main\n"),
        ("tools/go.mod", "module example.com/lib/tools\n"),
        ("tools/cmd/gen/main.go", "package main\n"),
    ]);
    let root = at(&ps, "");
    assert_eq!(root.role, ProjectRole::Library, "{}", root.reason);
    assert_eq!(root.reason, "library: no package main in the module");
    let tools = at(&ps, "tools");
    assert_eq!(tools.role, ProjectRole::Service);
    assert_eq!(tools.name, "tools");
}

#[test]
fn go_vet_analyzer_is_a_development_tool() {
    let ps = projects(&[
        ("internal/vet/go.mod", "module example.com/lib/internal/vet\n"),
        (
            "internal/vet/main.go",
            "package main\n\nimport (\n\t\"golang.org/x/tools/go/analysis/multichecker\"\n)\n\nfunc main() { multichecker.Main() }\n",
        ),
    ]);
    let vet = at(&ps, "internal/vet");
    assert_eq!(vet.role, ProjectRole::Library, "{}", vet.reason);
    assert_eq!(
        vet.reason,
        "library: go vet analyzer (main.go:4 imports multichecker), a development tool"
    );
}

#[test]
fn go_package_clause() {
    assert_eq!(
        golang::package_clause("// a\n\n/* b */ package main // x\n").as_deref(),
        Some("main")
    );
    assert_eq!(
        golang::package_clause("/*\n package main\n*/\npackage foo\n").as_deref(),
        Some("foo")
    );
    assert_eq!(golang::package_clause("packagemain\n"), None);
}
