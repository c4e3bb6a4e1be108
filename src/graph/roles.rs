//! Image roles (SPEC 1.2): every image definition is a `service`, a
//! `component`, a `variant`, a `ci-tool`, a `test` or a `dev` image.
//! Steps 3, 5 and 6 count services and components; a variant is covered
//! by what it packages; `ci-tool`, `test` and `dev` images are listed,
//! never counted.
//!
//! Two passes: [`listed_role`] decides, from where a Dockerfile lies, its
//! name and which Compose file builds it, the roles that keep an image out
//! of the counts (before owners are looked for, so such an image never
//! containerizes a service); [`assign`] gives the others their role once
//! their components are known.

use super::{Graph, ImageDefKind};
use crate::parse::Facts;
use crate::paths;
use serde::Serialize;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ImageRole {
    /// Builds a detected service.
    Service,
    /// Part of the running app without a detected service (a custom
    /// nginx front, a cron image).
    Component,
    /// Another packaging of a service or component (all-in-one, a
    /// platform folder, `heroku.Dockerfile`, debug/slim flavours, an image
    /// `FROM` the repo's own image).
    Variant,
    /// Used only to run CI (Dockerfiles under CI folders).
    CiTool,
    /// A test harness (under a tests folder, a Compose test file's `sut`).
    Test,
    /// For development only (devcontainer, `Dockerfile.dev`).
    Dev,
}

impl ImageRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageRole::Service => "service",
            ImageRole::Component => "component",
            ImageRole::Variant => "variant",
            ImageRole::CiTool => "ci-tool",
            ImageRole::Test => "test",
            ImageRole::Dev => "dev",
        }
    }

    /// Whether steps 3, 5 and 6 count the image (directly or, for a
    /// variant, through what it packages).
    pub fn is_app(self) -> bool {
        matches!(
            self,
            ImageRole::Service | ImageRole::Component | ImageRole::Variant
        )
    }
}

/// Folders that hold CI configuration (any path segment).
const CI_FOLDERS: &[&str] = &[
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    ".tekton",
    ".woodpecker",
    ".drone",
    ".ci",
    "ci",
    ".jenkins",
    "jenkins",
    ".azure-pipelines",
    ".azuredevops",
    ".teamcity",
    ".travis",
];

/// Folders of test harnesses (any path segment).
fn is_test_segment(s: &str) -> bool {
    matches!(
        s,
        "test"
            | "tests"
            | "testing"
            | "testdata"
            | "test-data"
            | "test_data"
            | "e2e"
            | "it"
            | "integration-test"
            | "integration-tests"
            | "integration_tests"
            | "__tests__"
            | "fixtures"
            | "fixture"
            | "spec"
    ) || s.ends_with("-tests")
        || s.ends_with("_tests")
        || s.ends_with("-test")
        || s.ends_with("-e2e")
        || s.ends_with("_e2e")
}

/// The flavour a Dockerfile's name gives (`Dockerfile.dev` → `dev`,
/// `test.Dockerfile` → `test`, `Dockerfile` → none).
fn name_flavour(file: &str) -> Option<String> {
    let name = paths::file_name(file).to_ascii_lowercase();
    let stem = name
        .strip_prefix("dockerfile.")
        .or_else(|| name.strip_prefix("containerfile."))
        .or_else(|| name.strip_suffix(".dockerfile"))
        .or_else(|| name.strip_suffix(".containerfile"))
        .or_else(|| name.strip_prefix("dockerfile-"))
        .or_else(|| name.strip_prefix("dockerfile_"))?;
    Some(stem.to_string())
}

fn flavour_words(flavour: &str) -> impl Iterator<Item = &str> {
    flavour.split(['.', '-', '_']).filter(|w| !w.is_empty())
}

/// The role an image definition has by where it lies, its name and the
/// Compose files that build it, when that role keeps it out of the counts
/// (`ci-tool`, `test`, `dev`), with the evidence. `built` says whether a
/// CI build builds it (a `Dockerfile.dev` that CI builds is no dev
/// image), `pushed` whether one publishes it (an image that only moves
/// files out may be an init container when published).
pub fn listed_role(
    facts: &Facts,
    file: &str,
    built: bool,
    pushed: bool,
) -> Option<(ImageRole, String)> {
    let dir = paths::parent(file);
    let segments: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if let Some(d) = segments
        .iter()
        .find(|s| matches!(s.as_str(), ".devcontainer" | ".gitpod"))
    {
        return Some((
            ImageRole::Dev,
            format!("under `{d}/`: a development container"),
        ));
    }
    if let Some(ci) = segments.iter().find(|s| CI_FOLDERS.contains(&s.as_str())) {
        return Some((
            ImageRole::CiTool,
            format!("under the CI folder `{ci}/`: an image to run CI"),
        ));
    }
    if let Some(t) = segments.iter().find(|s| is_test_segment(s)) {
        return Some((
            ImageRole::Test,
            format!("under the test folder `{t}/`: a test harness"),
        ));
    }
    if let Some(why) = load_generator(facts, dir, &segments) {
        return Some((ImageRole::Test, why));
    }
    if let Some(e) = segments.iter().find(|s| {
        matches!(
            s.as_str(),
            "examples" | "example" | "_examples" | "samples" | "sample" | "_samples"
        ) || s.ends_with("-examples")
            || s.ends_with("-example")
            || s.ends_with("_examples")
    }) {
        return Some((
            ImageRole::Test,
            format!("under `{e}/`: an example or sample, not part of the app"),
        ));
    }
    if let Some(flavour) = name_flavour(file) {
        let words: Vec<&str> = flavour_words(&flavour).collect();
        let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
        if has(&["test", "tests", "e2e", "integration", "sut"]) {
            return Some((
                ImageRole::Test,
                format!("named `{}`: a test image", paths::file_name(file)),
            ));
        }
        if has(&["ci"]) {
            return Some((
                ImageRole::CiTool,
                format!("named `{}`: an image to run CI", paths::file_name(file)),
            ));
        }
        // `.gitpod.Dockerfile`: a Gitpod workspace, like a devcontainer.
        if has(&[
            "dev",
            "develop",
            "development",
            "local",
            "devcontainer",
            "gitpod",
        ]) && !built
        {
            return Some((
                ImageRole::Dev,
                format!(
                    "named `{}` and never published by CI: a development image",
                    paths::file_name(file)
                ),
            ));
        }
    }
    if let Some(why) = builder_entrypoint(facts, file).filter(|_| !pushed) {
        return Some((ImageRole::CiTool, why));
    }
    if let Some(why) = package_builder(facts, file).filter(|_| !pushed) {
        return Some((ImageRole::CiTool, why));
    }
    if let Some(why) = shell_toolbox(facts, file).filter(|_| !built) {
        return Some((ImageRole::Dev, why));
    }
    // A Compose test file's `sut` service (Docker Hub automated tests).
    for project in &facts.compose {
        let compose_name = paths::file_name(&project.file).to_ascii_lowercase();
        if !compose_name.contains("test") {
            continue;
        }
        for svc in &project.services {
            let Some(build) = &svc.build else { continue };
            if svc.name == "sut" && build.dockerfile_path() == file {
                return Some((
                    ImageRole::Test,
                    format!("the `sut` service of `{}`: a test harness", project.file),
                ));
            }
        }
    }
    None
}

/// A stage's base with the global ARGs' defaults put in (`FROM
/// acme/app:${TAG}` after `ARG TAG=latest`); `None` when it names a
/// variable without a default, whose value only the build knows.
fn base_with_defaults(df: &crate::parse::dockerfile::Dockerfile, base: &str) -> Option<String> {
    if !base.contains('$') {
        return Some(base.to_string());
    }
    let args: Vec<(String, String)> = df
        .global_args()
        .into_iter()
        .filter_map(|(kv, _)| kv.value.map(|v| (kv.key, v)))
        .collect();
    let unknown = std::cell::Cell::new(false);
    let lookup = |name: &str| {
        let v = args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        if v.is_none() {
            unknown.set(true);
        }
        v
    };
    let out = kubeready_dockerfile::expand_args(base, &lookup);
    (!unknown.get() && !out.is_empty()).then_some(out)
}

/// Folder names of load generators (any path segment).
fn is_load_generator_segment(s: &str) -> bool {
    matches!(
        s,
        "load-generator"
            | "load-generators"
            | "loadgenerator"
            | "load_generator"
            | "loadgen"
            | "load-gen"
            | "load-test"
            | "load-tests"
            | "loadtest"
            | "loadtests"
            | "load_test"
            | "load_tests"
            | "load-testing"
            | "stress-test"
            | "stress-tests"
    )
}

/// Why an image is a load generator (SPEC 1.2 `test`: it drives synthetic
/// traffic at the app to test it, it is not part of the app): it lies in a
/// folder named like one (`load-generator/`, `loadtest/`) that holds no
/// detected service. A load generator that the repo's service detection
/// finds (a locust service in its own folder) keeps its service image.
fn load_generator(facts: &Facts, dir: &str, segments: &[String]) -> Option<String> {
    use crate::parse::manifest::ProjectRole;
    let seg = segments.iter().find(|s| is_load_generator_segment(s))?;
    let service_here = facts
        .projects
        .iter()
        .any(|p| p.role == ProjectRole::Service && paths::is_within(&p.dir, dir));
    (!service_here).then(|| {
        format!("under `{seg}/`, no detected service there: a load generator that tests the app, not part of it")
    })
}

/// Programs that only move files: an image whose entry point is one of
/// them runs nothing of the app; it hands build output to a mounted folder.
const FILE_MOVERS: &[&str] = &["mv", "cp", "rsync", "install"];

/// Why an image is a builder image: its final stage's entry point (or
/// command, without one) only moves files out (`ENTRYPOINT ["mv",
/// "dist/", "/artifacts"]`, the PyInstaller/fpm packaging pattern). A
/// published image is not judged by this (an init container copying
/// plugins into a volume is part of the app).
fn builder_entrypoint(facts: &Facts, file: &str) -> Option<String> {
    use crate::parse::dockerfile::{Args, Keyword};
    let df = &facts.dockerfile(file)?.dockerfile;
    let last = df.stages().pop()?;
    let insts = df.instructions.get(last.instructions.clone())?;
    let start = insts
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::Entrypoint)
        .or_else(|| insts.iter().rev().find(|i| i.keyword == Keyword::Cmd))?;
    let program = match &start.args {
        Args::Json(words) => words.first().cloned(),
        Args::Shell(text) => text.split_whitespace().next().map(str::to_string),
        _ => None,
    }?;
    let name = paths::file_name(&program);
    FILE_MOVERS.contains(&name).then(|| {
        format!(
            "{file}:{} its entry point `{name}` only moves build output out: a builder image, never run as the app",
            start.line
        )
    })
}

/// Tools that make OS packages (`.deb`, `.rpm`, ...): an image whose final
/// stage installs one is a package builder.
const PACKAGING_TOOLS: &[&str] = &[
    "debhelper",
    "devscripts",
    "dh-make",
    "dpkg-buildpackage",
    "rpm-build",
    "rpmdevtools",
    "rpmbuild",
    "fpm",
    "nfpm",
];

/// Why an image is a package builder: its final stage installs a tool
/// that makes OS packages (`apt-get install debhelper devscripts`, `dnf
/// install rpm-build`): run by a packaging job to write a `.deb` or
/// `.rpm`, never as the app. A published image is not judged by this.
fn package_builder(facts: &Facts, file: &str) -> Option<String> {
    use crate::parse::dockerfile::Keyword;
    let df = &facts.dockerfile(file)?.dockerfile;
    let last = df.stages().pop()?;
    let insts = df.instructions.get(last.instructions.clone())?;
    insts
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .find_map(|i| {
            let words: Vec<&str> = i
                .args_text()
                .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|' || c == '\\')
                .filter(|w| !w.is_empty())
                .collect();
            let installs = words.windows(2).any(|w| {
                matches!(
                    w,
                    [
                        "apt-get" | "apt" | "dnf" | "yum" | "microdnf" | "zypper" | "apk" | "gem",
                        "install" | "add"
                    ]
                )
            });
            let tool = words.iter().find(|w| {
                let name = w.split(['=', ':']).next().unwrap_or(w);
                PACKAGING_TOOLS.contains(&name)
            })?;
            installs.then(|| {
                format!(
                    "{file}:{} its final stage installs the packaging tool `{tool}`: a package builder, never run as the app",
                    i.line
                )
            })
        })
}

/// Shells: an image whose only command is one of them starts nothing.
const SHELLS: &[&str] = &["sh", "bash", "ash", "zsh", "dash"];

/// Why an image is a toolbox to work in: its final stage has no entry
/// point and its command is a bare shell (`CMD ["/bin/sh"]`, the
/// `docker run -it -v $PWD:/build` build-environment pattern): it starts
/// nothing of the app. An image CI builds is not judged by this.
fn shell_toolbox(facts: &Facts, file: &str) -> Option<String> {
    use crate::parse::dockerfile::{Args, Keyword};
    let df = &facts.dockerfile(file)?.dockerfile;
    let last = df.stages().pop()?;
    let insts = df.instructions.get(last.instructions.clone())?;
    if insts.iter().any(|i| i.keyword == Keyword::Entrypoint) {
        return None;
    }
    let cmd = insts.iter().rev().find(|i| i.keyword == Keyword::Cmd)?;
    let words: Vec<String> = match &cmd.args {
        Args::Json(words) => words.clone(),
        Args::Shell(text) => text.split_whitespace().map(str::to_string).collect(),
        _ => return None,
    };
    let [program] = words.as_slice() else {
        return None;
    };
    let name = paths::file_name(program);
    SHELLS.contains(&name).then(|| {
        format!(
            "{file}:{} its only command is the shell `{name}`: a toolbox to work in, never run as the app",
            cmd.line
        )
    })
}

/// Gives every image definition without a listed role its role, once the
/// components are known: the primary definition of a component is its
/// `service` (or `component`) image, the others are `variant`s; an image
/// built `FROM` another of the repo's images is a variant of it.
pub fn assign(facts: &Facts, g: &mut Graph) {
    // Primary definition per component: one that CI builds (a stale
    // Dockerfile beside the published one is not the service's image),
    // then `Dockerfile`/`Containerfile` by that exact name nearest to the
    // component's folder, then the shortest path, then by name.
    let mut primary: Vec<Option<usize>> = vec![None; g.components.len()];
    for (ci, comp) in g.components.iter().enumerate() {
        let mut defs: Vec<usize> = comp
            .image_defs
            .iter()
            .copied()
            .filter(|&d| g.image_defs.get(d).is_some_and(|x| x.role.is_none()))
            .collect();
        defs.sort_by_key(|&d| {
            let def = &g.image_defs[d];
            let name = paths::file_name(&def.file).to_ascii_lowercase();
            let plain = name == "dockerfile" || name == "containerfile";
            let in_folder = paths::parent(&def.file) == comp.path;
            (
                !def.built_in_ci,
                !(plain && in_folder),
                !plain,
                def.kind != ImageDefKind::Dockerfile,
                def.file.matches('/').count(),
                def.file.clone(),
            )
        });
        if let Some(slot) = primary.get_mut(ci) {
            *slot = defs.first().copied();
        }
    }
    for di in 0..g.image_defs.len() {
        if g.image_defs[di].role.is_some() {
            continue;
        }
        let comps = g.image_defs[di].components.clone();
        let is_primary = comps
            .iter()
            .any(|&c| primary.get(c).copied().flatten() == Some(di));
        let service_owned = comps
            .iter()
            .any(|&c| g.components.get(c).is_some_and(|x| x.service.is_some()));
        let (role, why) = if is_primary && service_owned {
            (ImageRole::Service, g.image_defs[di].owner_reason.clone())
        } else if is_primary {
            (
                ImageRole::Component,
                "part of the app: its folder holds no detected service".to_string(),
            )
        } else {
            let main = comps
                .iter()
                .find_map(|&c| primary.get(c).copied().flatten())
                .and_then(|p| g.image_defs.get(p))
                .map(|p| p.file.clone())
                .unwrap_or_default();
            (
                ImageRole::Variant,
                format!("another packaging of what `{main}` builds"),
            )
        };
        g.image_defs[di].role = Some(role);
        g.image_defs[di].role_evidence = why;
    }
    // An image-only component whose Dockerfile starts `FROM` an image the
    // repo builds is a variant of that image's component.
    for di in 0..g.image_defs.len() {
        let def = &g.image_defs[di];
        if def.role != Some(ImageRole::Component) || def.kind != ImageDefKind::Dockerfile {
            continue;
        }
        let Some(df) = facts.dockerfile(&def.file) else {
            continue;
        };
        let own: Vec<usize> = def.components.clone();
        let stage_names: Vec<String> = df
            .dockerfile
            .stages()
            .iter()
            .filter_map(|s| s.name.clone())
            .map(|n| n.to_ascii_lowercase())
            .collect();
        let from_repo = df
            .dockerfile
            .stages()
            .iter()
            .filter_map(|s| base_with_defaults(&df.dockerfile, &s.base))
            .filter(|b| !stage_names.contains(&b.to_ascii_lowercase()))
            .find_map(|b| {
                let comps: Vec<usize> = g
                    .components_for_image(&b)
                    .into_iter()
                    .filter(|c| !own.contains(c))
                    .collect();
                (!comps.is_empty()).then_some((b, comps))
            });
        if let Some((base, _)) = from_repo {
            let def = &mut g.image_defs[di];
            def.role = Some(ImageRole::Variant);
            def.role_evidence = format!("built `FROM {base}`, an image the repo builds");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::default()
    }

    #[test]
    fn location_and_name_decide_listed_roles() {
        let f = facts();
        let role = |file: &str| listed_role(&f, file, false, false).map(|(r, _)| r);
        assert_eq!(role(".devcontainer/Dockerfile"), Some(ImageRole::Dev));
        assert_eq!(role(".gitpod.Dockerfile"), Some(ImageRole::Dev));
        assert_eq!(role(".gitpod.dockerfile"), Some(ImageRole::Dev));
        assert_eq!(role(".gitpod/Dockerfile"), Some(ImageRole::Dev));
        assert_eq!(
            role(".github/workflows/Dockerfile"),
            Some(ImageRole::CiTool)
        );
        assert_eq!(role("ci/image/Dockerfile"), Some(ImageRole::CiTool));
        assert_eq!(role("api/tests/Dockerfile"), Some(ImageRole::Test));
        assert_eq!(role("e2e/Dockerfile"), Some(ImageRole::Test));
        assert_eq!(role("Dockerfile.test"), Some(ImageRole::Test));
        assert_eq!(role("integration.test.Dockerfile"), Some(ImageRole::Test));
        assert_eq!(role("Dockerfile.dev"), Some(ImageRole::Dev));
        assert_eq!(role("docker/dev.Dockerfile"), Some(ImageRole::Dev));
        assert_eq!(role("examples/hello/Dockerfile"), Some(ImageRole::Test));
        // App images.
        assert_eq!(role("Dockerfile"), None);
        assert_eq!(role("services/api/Dockerfile"), None);
        assert_eq!(role("heroku.Dockerfile"), None);
        assert_eq!(role("Dockerfile.prod"), None);
        assert_eq!(role("deploy/docker/Dockerfile"), None);
        // Words inside other words are not flavours.
        assert_eq!(role("Dockerfile.latest"), None);
        assert_eq!(role("contest/Dockerfile"), None);
    }

    #[test]
    fn an_image_whose_entry_point_moves_files_out_is_a_builder() {
        let parse =
            |path: &str, text: &str| crate::parse::dockerfile::parse(path, text, &mut Vec::new());
        let f = Facts {
            dockerfiles: vec![
                parse(
                    "packaging/Dockerfile",
                    "FROM ubuntu:22.04\nCOPY . /app\nRUN make dist\nENTRYPOINT [\"mv\", \"/app/dist/\", \"/artifacts\"]\n",
                ),
                parse(
                    "web/Dockerfile",
                    "FROM node:20\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
                ),
            ],
            ..Facts::default()
        };
        let (role, why) = listed_role(&f, "packaging/Dockerfile", false, false).unwrap();
        assert_eq!(role, ImageRole::CiTool);
        assert!(why.contains("packaging/Dockerfile:4"), "{why}");
        // Built by CI to hand over its files, it is still a builder.
        assert_eq!(
            listed_role(&f, "packaging/Dockerfile", true, false).map(|r| r.0),
            Some(ImageRole::CiTool)
        );
        // Published, it may be an init container copying files: not judged.
        assert_eq!(listed_role(&f, "packaging/Dockerfile", true, true), None);
        assert_eq!(listed_role(&f, "web/Dockerfile", false, false), None);
    }

    #[test]
    fn an_image_installing_packaging_tools_is_a_package_builder() {
        let parse =
            |path: &str, text: &str| crate::parse::dockerfile::parse(path, text, &mut Vec::new());
        let f = Facts {
            dockerfiles: vec![
                parse(
                    "Dockerfile",
                    "FROM golang:1 AS build\nRUN apt-get install -y rpm-build\nFROM alpine:3.21\nRUN apk add --no-cache ca-certificates\nENTRYPOINT [\"/app\"]\n",
                ),
                parse(
                    "packaging/debian/Dockerfile",
                    "FROM golang:1-trixie\nRUN apt-get update -q && \\\n    apt-get install -y -qq build-essential devscripts dh-make debhelper\nADD . /src\nCMD [\"/src/packaging/debian/build.sh\"]\n",
                ),
            ],
            ..Facts::default()
        };
        // Sorted by path, as the parser leaves them.
        let (role, why) = listed_role(&f, "packaging/debian/Dockerfile", true, false).unwrap();
        assert_eq!(role, ImageRole::CiTool);
        assert!(why.contains("`devscripts`"), "{why}");
        // Published, it is judged as any image; packaging tools in a build
        // stage only do not make a builder.
        assert!(listed_role(&f, "packaging/debian/Dockerfile", true, true).is_none());
        assert!(listed_role(&f, "Dockerfile", true, false).is_none());
    }

    #[test]
    fn a_bare_shell_image_is_a_toolbox() {
        let parse =
            |path: &str, text: &str| crate::parse::dockerfile::parse(path, text, &mut Vec::new());
        // Sorted by path, as the parser gives them.
        let f = Facts {
            dockerfiles: vec![
                parse(
                    "Dockerfile",
                    "FROM alpine\nCOPY app /app\nENTRYPOINT [\"/app\"]\nCMD [\"sh\"]\n",
                ),
                parse(
                    "docker/Dockerfile.make",
                    "FROM golang:1.22\nCOPY Makefile /\nRUN make install-tools\nWORKDIR /build\nCMD [ \"/bin/sh\" ]\n",
                ),
                parse(
                    "web/Dockerfile",
                    "FROM node:20\nCMD [\"sh\", \"-c\", \"node server.js\"]\n",
                ),
            ],
            ..Facts::default()
        };
        let (role, why) = listed_role(&f, "docker/Dockerfile.make", false, false).unwrap();
        assert_eq!(role, ImageRole::Dev);
        assert!(why.contains("docker/Dockerfile.make:5"), "{why}");
        // CI builds it: not judged.
        assert_eq!(listed_role(&f, "docker/Dockerfile.make", true, false), None);
        // An entry point, or a shell running a command, starts something.
        assert_eq!(listed_role(&f, "Dockerfile", false, false), None);
        assert_eq!(listed_role(&f, "web/Dockerfile", false, false), None);
    }

    #[test]
    fn a_published_dev_image_is_no_dev_image() {
        let f = facts();
        assert_eq!(listed_role(&f, "Dockerfile.dev", true, true), None);
        // The devcontainer stays dev whatever CI does with it.
        assert_eq!(
            listed_role(&f, ".devcontainer/Dockerfile", true, true).map(|r| r.0),
            Some(ImageRole::Dev)
        );
    }
}
