//! Procfiles and image builders outside manifests.

use super::*;

#[test]
fn procfile_web_line_makes_a_service() {
    let ps = projects(&[
        ("requirements.txt", "requests\n"),
        (
            "Procfile",
            "release: python migrate.py\nweb: gunicorn app.wsgi --bind 0.0.0.0:8000\n",
        ),
        ("node/Procfile", "web: node index.js\n"),
    ]);
    let root = at(&ps, "");
    assert_eq!(root.role, ProjectRole::Service);
    assert_eq!(
        root.reason,
        "Procfile web process: `gunicorn app.wsgi --bind 0.0.0.0:8000`"
    );
    assert_eq!(root.ports, vec![8000]);
    let node = at(&ps, "node");
    assert_eq!(node.language, Language::Node);
    assert_eq!(node.manifest, "node/Procfile");
    assert_eq!(node.line, 1);
}

#[test]
fn image_builders_outside_manifests() {
    let ps = projects(&[
        ("go.mod", "module example.com/mono\n"),
        ("lib.go", "package mono\n"),
        (".ko.yaml", "builds:\n- id: api\n  dir: ./services/api\n  main: ./cmd/api\n"),
        ("services/api/go.mod", "module example.com/api\n"),
        ("services/api/main.go", "package main\n"),
        ("services/cli/go.mod", "module example.com/cli\n"),
        ("services/cli/main.go", "package main\n"),
        ("services/cli/.ko.yaml", "defaultBaseImage: cgr.dev/chainguard/static\n"),
        ("node/package.json", r#"{"scripts":{"start":"node ."}}"#),
        ("node/project.toml", "[_]\nschema-version = \"0.2\"\n[io.buildpacks]\nbuilder = \"paketobuildpacks/builder\"\n"),
        ("py/requirements.txt", "flask\n"),
        ("py/nixpacks.toml", "[start]\ncmd = \"gunicorn app:app\"\n"),
    ]);
    let api = at(&ps, "services/api");
    assert_eq!(
        api.image_builders,
        vec![ImageBuilderConfig {
            tool: ImageBuilderTool::Ko,
            file: ".ko.yaml".into(),
            line: 3,
            image: None
        }]
    );
    assert_eq!(
        at(&ps, "services/cli").image_builders[0].file,
        "services/cli/.ko.yaml"
    );
    assert!(at(&ps, "").image_builders.is_empty());
    assert_eq!(at(&ps, "node").name, "node");
    assert_eq!(
        at(&ps, "node").image_builders[0].tool,
        ImageBuilderTool::Buildpacks
    );
    assert_eq!(at(&ps, "node").image_builders[0].line, 1);
    assert_eq!(
        at(&ps, "py").image_builders[0].tool,
        ImageBuilderTool::Nixpacks
    );
}
