//! GoReleaser: the images its config declares (`dockers:`, `dockers_v2:`,
//! `kos:`), wherever CI runs it (the GitHub action, `goreleaser release`
//! in a script, `docker run goreleaser/goreleaser release`).

use crate::walk::Tree;
use kubeready_shell::ImageBuild;

/// The config names GoReleaser looks for, in order.
const CONFIG_NAMES: &[&str] = &[
    ".goreleaser.yml",
    ".goreleaser.yaml",
    "goreleaser.yml",
    "goreleaser.yaml",
];

/// Whether these arguments publish: `release` (the default command)
/// without `--snapshot` or a skipped publish.
pub fn publishes(args: &[&str]) -> bool {
    let first = args.iter().find(|a| !a.starts_with('-')).copied();
    let releases = first.is_none_or(|w| w == "release");
    releases
        && !args.iter().any(|a| {
            *a == "--snapshot"
                || *a == "--skip-publish"
                || a.strip_prefix("--skip=").is_some_and(|v| {
                    v.split(',')
                        .any(|x| x == "publish" || x == "docker" || x == "ko")
                })
        })
}

/// Whether these arguments run a GoReleaser command that builds
/// (`release`, `build` does not build images; the default is `release`).
fn builds_images(args: &[&str]) -> bool {
    let first = args.iter().find(|a| !a.starts_with('-')).copied();
    first.is_none_or(|w| w == "release")
}

/// The image builds of a GoReleaser run in `dir` (a repo folder) with
/// `args` (after the program name), their paths relative to `dir`;
/// `push` when the run publishes. Empty when the config is not found.
pub fn builds(tree: &Tree, dir: &str, args: &[&str]) -> Vec<ImageBuild> {
    if !builds_images(args) {
        return Vec::new();
    }
    let configured = args
        .iter()
        .position(|a| *a == "-f" || *a == "--config")
        .and_then(|i| args.get(i + 1))
        .map(|c| c.to_string())
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--config="))
                .map(str::to_string)
        });
    // A `--config` the repo does not hold is written when CI runs (often
    // the default config copied under a temporary folder): the default
    // names are read then.
    let candidates: Vec<String> = configured
        .into_iter()
        .chain(CONFIG_NAMES.iter().map(|n| n.to_string()))
        .collect();
    let Some(text) = candidates.iter().find_map(|c| {
        let p = crate::paths::join(dir, c)?;
        tree.read_text(&p).ok()
    }) else {
        return Vec::new();
    };
    let loaded = kubeready_yaml::load(&text, &kubeready_yaml::Limits::default());
    let Some(doc) = loaded.documents.first() else {
        return Vec::new();
    };
    let push = publishes(args);
    let strs = |n: Option<&kubeready_yaml::Node>| super::common::strings(n);
    let mut out = Vec::new();
    for key in ["dockers", "dockers_v2"] {
        for d in doc.get(key).and_then(|d| d.as_seq()).unwrap_or(&[]) {
            let mut tags = strs(d.get("image_templates"));
            let images = strs(d.get("images"));
            let ttags = strs(d.get("tags"));
            for i in &images {
                for t in &ttags {
                    tags.push(format!("{i}:{t}"));
                }
            }
            let dockerfile = d
                .get("dockerfile")
                .and_then(|f| f.as_str())
                .unwrap_or("Dockerfile");
            out.push(ImageBuild {
                tool: "goreleaser".into(),
                dockerfile: Some(dockerfile.to_string()),
                context: Some(".".into()),
                tags,
                push,
                platforms: strs(d.get("platforms")),
                ..Default::default()
            });
        }
    }
    for k in doc.get("kos").and_then(|d| d.as_seq()).unwrap_or(&[]) {
        let repo = k.get("repository").and_then(|r| r.as_str()).unwrap_or("");
        let tags = strs(k.get("tags"))
            .into_iter()
            .map(|t| {
                if repo.is_empty() {
                    t
                } else {
                    format!("{repo}:{t}")
                }
            })
            .collect();
        out.push(ImageBuild {
            tool: "ko".into(),
            context: Some(
                k.get("working_dir")
                    .and_then(|w| w.as_str())
                    .unwrap_or(".")
                    .to_string(),
            ),
            tags,
            push,
            ..Default::default()
        });
    }
    out
}

/// The GoReleaser arguments of a command line: `goreleaser release ...`,
/// or `docker run ... goreleaser/goreleaser[-cross|-pro][:tag] release ...`
/// (given as the run's image and command).
pub fn args_of_command(argv: &[String]) -> Option<Vec<&str>> {
    let prog = argv.first()?;
    let name = prog.rsplit('/').next().unwrap_or(prog);
    (name == "goreleaser").then(|| argv[1..].iter().map(String::as_str).collect())
}

/// Whether `image` is a GoReleaser image (its entrypoint is `goreleaser`).
pub fn is_goreleaser_image(image: &str) -> bool {
    let repo = image.split(['@']).next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    [
        "goreleaser/goreleaser",
        "goreleaser/goreleaser-cross",
        "goreleaser/goreleaser-pro",
    ]
    .iter()
    .any(|n| repo == *n || repo.ends_with(&format!("/{n}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_and_images() {
        assert!(publishes(&["release", "--clean"]));
        assert!(publishes(&[]));
        assert!(!publishes(&["release", "--snapshot"]));
        assert!(!publishes(&["release", "--skip=publish,validate"]));
        assert!(!builds_images(&["build", "--single-target"]));
        assert!(is_goreleaser_image("goreleaser/goreleaser:v2.3.2"));
        assert!(is_goreleaser_image("docker.io/goreleaser/goreleaser-cross"));
        assert!(!is_goreleaser_image("acme/goreleaser"));
        let argv: Vec<String> = ["/usr/local/bin/goreleaser", "release"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(args_of_command(&argv), Some(vec!["release"]));
    }
}
