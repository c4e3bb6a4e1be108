//! The audit's result as renderers see it. Built once by [`crate::audit`];
//! every renderer only formats it.

use crate::checklist::{StepResult, Summary};
use crate::finding::Finding;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

/// The whole audit, as `--format json` prints it (the JSON contract;
/// `kubeready schema` describes it).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AuditReport {
    /// The version of this shape.
    pub schema_version: u32,
    /// The audited path as given on the command line.
    pub root: String,
    /// The repository's kind (SPEC 1.2), with the facts it rests on.
    pub repository: crate::kind::Repository,
    /// The score and the step reached.
    pub summary: Summary,
    /// The seven checklist steps, in order.
    pub steps: Vec<StepResult>,
    /// After the checklist: orchestration and beyond (same shape as steps).
    pub sections: Vec<StepResult>,
    /// The detected services, by path.
    pub services: Vec<ServiceEntry>,
    /// Image definitions whose context holds no detected service (custom
    /// nginx, cron images, ...).
    pub image_only_components: Vec<ComponentEntry>,
    /// Every image definition with its role (SPEC 1.2), by definition.
    pub images: Vec<ImageEntry>,
    /// Every finding not suppressed, in a stable order.
    pub findings: Vec<Finding>,
    /// All next steps, most important first (the terminal and Markdown
    /// show the first ten).
    pub next_steps: Vec<String>,
    /// Counts by severity, after suppression.
    pub finding_counts: FindingCounts,
    /// Findings silenced by an inline pragma, `.hadolint.yaml` or the
    /// config, each with what silenced it; counted, never dropped.
    pub suppressed: Vec<SuppressedFinding>,
    /// The pipeline graph: services, images, builds, runs, deploys.
    pub graph: crate::graph::view::GraphView,
    /// How the report is shown: paths from the working directory, the
    /// gate's result. Not part of the JSON contract.
    #[serde(skip)]
    pub display: Display,
}

/// Presentation facts the caller knows and the renderers need: where the
/// audited root is from the working directory, and the gate's verdict.
#[derive(Clone, Debug, Default)]
pub struct Display {
    /// The audited path from the working directory, `/`-separated, without
    /// a leading `./`; empty when it is the working directory. Formats read
    /// by other tools (`github`, `sarif`, `gitlab`, `concise`) join it to
    /// each root-relative file so annotations land on the right file.
    pub file_prefix: String,
    /// The root as a title shows it: never an absolute path of the machine
    /// the audit ran on (that becomes the folder's name).
    pub title: String,
    /// The gate, when it was evaluated before rendering.
    pub gate: Option<GateDisplay>,
}

/// The gate's verdict as the renderers show it.
#[derive(Clone, Debug, Default)]
pub struct GateDisplay {
    /// Whether the gate passed.
    pub passed: bool,
    /// `gate passed` or `gate failed: ...` (the line printed on stderr).
    pub line: String,
    /// Indices into `findings` of the findings that failed the gate.
    pub failing: Vec<usize>,
}

impl AuditReport {
    /// `file` (relative to the audited root) as reached from the working
    /// directory.
    pub fn shown_path(&self, file: &str) -> String {
        join_display(&self.display.file_prefix, file)
    }

    /// The root for titles: the display title, else the root as given.
    pub fn title(&self) -> &str {
        if self.display.title.is_empty() {
            &self.root
        } else {
            &self.display.title
        }
    }
}

/// `prefix/file`, or `file` without a prefix; `.` (the root itself) is the
/// prefix alone.
pub fn join_display(prefix: &str, file: &str) -> String {
    if prefix.is_empty() {
        return file.to_string();
    }
    if file.is_empty() || file == "." {
        return prefix.to_string();
    }
    format!(
        "{}/{}",
        prefix.trim_end_matches('/'),
        file.trim_start_matches("./")
    )
}

/// The [`Display::file_prefix`] for an audited path, given the working
/// directory: relative paths as given (without `./`, with `/`), absolute
/// paths under the working directory made relative to it, other absolute
/// paths kept.
pub fn file_prefix(audited: &std::path::Path, cwd: Option<&std::path::Path>) -> String {
    use std::path::Component;
    let path = match cwd {
        Some(cwd) if audited.is_absolute() => audited.strip_prefix(cwd).unwrap_or(audited),
        _ => audited,
    };
    // A single file audited: its folder is the root.
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => absolute = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The title for an audited path: relative paths as given, absolute ones
/// relative to the working directory when under it, else the folder name.
pub fn title(audited: &std::path::Path, cwd: Option<&std::path::Path>) -> String {
    if !audited.is_absolute() {
        return audited.display().to_string();
    }
    if let Some(rel) = cwd.and_then(|c| audited.strip_prefix(c).ok()) {
        let rel = rel.display().to_string();
        return if rel.is_empty() { ".".into() } else { rel };
    }
    audited
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "/".into())
}

#[cfg(test)]
mod display_tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn prefixes_and_joins() {
        assert_eq!(file_prefix(Path::new("."), None), "");
        assert_eq!(
            file_prefix(Path::new("./services/shop/"), None),
            "services/shop"
        );
        assert_eq!(file_prefix(Path::new("../other"), None), "../other");
        assert_eq!(
            file_prefix(
                Path::new("/ci/work/repo/services/shop"),
                Some(Path::new("/ci/work/repo"))
            ),
            "services/shop"
        );
        assert_eq!(
            file_prefix(Path::new("/ci/work/repo"), Some(Path::new("/ci/work/repo"))),
            ""
        );
        assert_eq!(
            file_prefix(Path::new("/elsewhere/x"), Some(Path::new("/ci"))),
            "/elsewhere/x"
        );
        assert_eq!(join_display("", "Dockerfile"), "Dockerfile");
        assert_eq!(
            join_display("services/shop", "Dockerfile"),
            "services/shop/Dockerfile"
        );
        assert_eq!(join_display("services/shop", "."), "services/shop");
    }

    #[test]
    fn titles_never_show_a_foreign_absolute_path() {
        assert_eq!(title(Path::new("services/shop"), None), "services/shop");
        assert_eq!(
            title(
                Path::new("/runner/_work/r/r/svc"),
                Some(Path::new("/runner/_work/r/r"))
            ),
            "svc"
        );
        assert_eq!(
            title(
                Path::new("/runner/_work/r/r"),
                Some(Path::new("/runner/_work/r/r"))
            ),
            "."
        );
        assert_eq!(
            title(Path::new("/tmp/checkout/shop"), Some(Path::new("/runner"))),
            "shop"
        );
    }
}

/// A detected service.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ServiceEntry {
    /// Relative path; `.` for the root.
    pub path: String,
    /// The service's name.
    pub name: String,
    /// The service's language (`node`, `python`, `go`, ...).
    pub language: String,
    /// The manifest it was detected from, relative to the root.
    pub manifest: String,
    /// Whether an image definition builds it.
    pub containerized: bool,
    /// Dockerfiles or builder configs that build it.
    pub image_definitions: Vec<String>,
}

/// An image-only component: a build context that holds no service.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ComponentEntry {
    /// The build context, relative to the root.
    pub path: String,
    /// The component's name.
    pub name: String,
    /// Dockerfiles or builder configs that build it.
    pub image_definitions: Vec<String>,
}

/// An image definition and its role.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ImageEntry {
    /// The Dockerfile or builder config, relative to the root.
    pub definition: String,
    /// `service`, `component`, `variant`, `ci-tool`, `test` or `dev`.
    pub role: crate::graph::ImageRole,
    /// Why it has that role.
    pub evidence: String,
    /// Where it is used (Compose services, CI jobs, workloads): the
    /// consumers whose advice its findings follow.
    pub consumers: Vec<crate::graph::consumers::Consumer>,
}

/// Findings by severity.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct FindingCounts {
    /// `error` findings.
    pub error: usize,
    /// `warning` findings.
    pub warning: usize,
    /// `info` findings.
    pub info: usize,
    /// Findings silenced by suppressions (listed in `suppressed`).
    pub suppressed: usize,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// The pragma (with its reason) or config that silenced it.
    pub suppressed_by: String,
}
