//! Helm charts: `Chart.yaml` metadata, image references in values files,
//! and templates read as text (`image:` lines, top-level `kind:` lines).

use super::model::{
    HelmChart, HelmDependency, ImageMention, MentionSource, OrchestrationFacts, TemplateCommand,
    TemplateKind,
};
use super::util::{duplicate_problem, load_yaml, seq_at, string_at};
use crate::parse::ParseProblem;
use crate::paths;
use kubeready_yaml::{Node, Value};
use std::collections::BTreeSet;

/// Values trees nest deeply rarely; this bounds the walk.
const MAX_VALUES_DEPTH: usize = 64;

/// Reads a `Chart.yaml`. The chart is recorded even when the file does not parse.
pub fn parse_chart(
    file: &str,
    text: &str,
    facts: &mut OrchestrationFacts,
    problems: &mut Vec<ParseProblem>,
) {
    let dir = paths::parent(file).to_string();
    let loaded = load_yaml(file, text, true, problems);
    problems.extend(loaded.duplicates.iter().map(|d| duplicate_problem(file, d)));
    let mut chart = HelmChart {
        file: file.to_string(),
        dir: dir.clone(),
        ..HelmChart::default()
    };
    if let Some(doc) = loaded.documents.first() {
        chart.name = string_at(doc, &["name"]);
        chart.version = string_at(doc, &["version"]);
        chart.app_version = string_at(doc, &["appVersion"]);
        chart.chart_type = string_at(doc, &["type"]);
        for d in seq_at(doc, &["dependencies"]) {
            if let Some(name) = string_at(d, &["name"]) {
                chart.dependencies.push(HelmDependency {
                    name,
                    version: string_at(d, &["version"]),
                    repository: string_at(d, &["repository"]),
                    line: d.line,
                });
            }
        }
    }
    facts.helm_charts.push((dir, 1));
    facts.charts.push(chart);
}

/// Chart folders, from the listed `Chart.yaml` files.
pub fn chart_dirs<'a>(charts: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    charts.map(|f| paths::parent(f).to_string()).collect()
}

/// Whether `path` lies in one of the chart folders.
pub fn in_chart(path: &str, dirs: &BTreeSet<String>) -> bool {
    let mut dir = paths::parent(path);
    loop {
        if dirs.contains(dir) {
            return true;
        }
        if dir.is_empty() {
            return false;
        }
        dir = paths::parent(dir);
    }
}

/// `values*.yaml` directly in a chart folder, or chart-testing's
/// `ci/*values*.yaml`.
pub fn is_values_file(path: &str, dirs: &BTreeSet<String>) -> bool {
    let name = paths::file_name(path).to_ascii_lowercase();
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        return false;
    }
    let dir = paths::parent(path);
    (name.starts_with("values") && dirs.contains(dir))
        || (paths::file_name(dir) == "ci"
            && name.contains("values")
            && dirs.contains(paths::parent(dir)))
}

/// A `values*.yaml` outside any chart folder (`helm upgrade -f
/// deploy/values-staging.yaml`): read quietly, as it may be another tool's.
pub fn is_loose_values_file(path: &str) -> bool {
    let name = paths::file_name(path).to_ascii_lowercase();
    name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// Reads a values file: every image reference it holds. When `ours`,
/// syntax errors and duplicate keys are problems.
pub fn parse_values(
    file: &str,
    text: &str,
    ours: bool,
    facts: &mut OrchestrationFacts,
    problems: &mut Vec<ParseProblem>,
) {
    let loaded = load_yaml(file, text, ours, problems);
    if ours {
        problems.extend(loaded.duplicates.iter().map(|d| duplicate_problem(file, d)));
    }
    for doc in &loaded.documents {
        values_mentions(file, doc, &mut facts.mentions);
    }
}

/// Image references in a Helm values tree: `image: repo:tag`, and
/// `image: {registry, repository, tag, digest}` under any key; keys ending
/// in `image` (`initImage`) and the entries of an `images:` map count too.
pub fn values_mentions(file: &str, node: &Node, out: &mut Vec<ImageMention>) {
    walk(file, node, out, 0);
}

fn walk(file: &str, node: &Node, out: &mut Vec<ImageMention>, depth: usize) {
    if depth > MAX_VALUES_DEPTH {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let key = e.key_str().unwrap_or_default().to_ascii_lowercase();
                if key.ends_with("image") {
                    if let Some(image) = image_value(&e.value) {
                        out.push(mention(file, e.key.line, image));
                        continue;
                    }
                }
                if key == "images" {
                    let mut found = false;
                    for img in e.value.as_map().unwrap_or_default() {
                        if let Some(image) = image_value(&img.value) {
                            out.push(mention(file, img.key.line, image));
                            found = true;
                        }
                    }
                    if found {
                        continue;
                    }
                }
                walk(file, &e.value, out, depth + 1);
            }
        }
        Value::Seq(items) => {
            for item in items {
                walk(file, item, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn mention(file: &str, line: u32, image: String) -> ImageMention {
    ImageMention {
        file: file.to_string(),
        line,
        image,
        source: MentionSource::HelmValues,
    }
}

/// An image reference written as a string or as a `{registry, repository,
/// tag, digest}` map (`name` for `repository` when a tag is given).
fn image_value(node: &Node) -> Option<String> {
    if node.as_scalar().is_some() {
        if node.as_bool().is_some() || node.as_f64().is_some() {
            return None;
        }
        let s = node.as_str()?.trim();
        if s.is_empty() || s.contains(char::is_whitespace) && !s.contains("{{") {
            return None;
        }
        return Some(s.to_string());
    }
    node.as_map()?;
    let tag = string_at(node, &["tag"]);
    let repo = string_at(node, &["repository"])
        .or_else(|| tag.as_ref().and(string_at(node, &["name"])))?;
    let mut image = match string_at(node, &["registry"]) {
        Some(reg) => format!("{}/{}", reg.trim_end_matches('/'), repo),
        None => repo,
    };
    if let Some(tag) = tag {
        image.push(':');
        image.push_str(&tag);
    }
    if let Some(digest) = string_at(node, &["digest"]) {
        image.push('@');
        image.push_str(&digest);
    }
    Some(image)
}

/// Scans a template's text: `image:` lines (raw text, quotes removed),
/// top-level `kind:` lines and literal `command:` programs.
pub fn scan_template(file: &str, text: &str, facts: &mut OrchestrationFacts) {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some((line, program)) = command_program(&lines, i) {
            facts.template_commands.push(TemplateCommand {
                file: file.to_string(),
                line,
                program,
            });
        }
        if let Some(kind) = line.strip_prefix("kind:") {
            let kind = unquote(strip_comment(kind).trim());
            if !kind.is_empty() {
                facts.template_kinds.push(TemplateKind {
                    file: file.to_string(),
                    line: n,
                    kind: kind.to_string(),
                });
            }
            continue;
        }
        let mut t = line.trim_start();
        while let Some(rest) = t.strip_prefix("- ") {
            t = rest.trim_start();
        }
        if let Some(rest) = t.strip_prefix("image:") {
            let raw = unquote(strip_comment(rest).trim());
            if !raw.is_empty() {
                facts.mentions.push(ImageMention {
                    file: file.to_string(),
                    line: n,
                    image: raw.to_string(),
                    source: MentionSource::HelmTemplate,
                });
            }
        }
    }
}

/// Drops a trailing ` # comment` outside quotes and template actions.
/// The program of a `command:` key on line `i` (0-based) with its 1-based
/// line: `command: ["/bin/x", "--flag"]`, or a block list whose first item
/// follows. Template expressions are not programs.
fn command_program(lines: &[&str], i: usize) -> Option<(u32, String)> {
    let rest = lines.get(i)?.trim_start().strip_prefix("command:")?;
    let rest = strip_comment(rest).trim();
    let (at, first) = if let Some(list) = rest.strip_prefix('[') {
        (i, list.split([',', ']']).next()?.trim().to_string())
    } else if rest.is_empty() {
        let (j, item) = lines
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
        let first = item.trim_start().strip_prefix('-')?;
        (j, strip_comment(first).trim().to_string())
    } else {
        return None;
    };
    let program = unquote(&first).split_whitespace().next()?.to_string();
    if program.contains("{{") || program.is_empty() {
        return None;
    }
    Some((u32::try_from(at + 1).unwrap_or(u32::MAX), program))
}

fn strip_comment(s: &str) -> &str {
    let bytes = s.as_bytes();
    let (mut quote, mut actions) = (None, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if actions == 0 => quote = Some(b),
            (None, b'{') if bytes.get(i + 1) == Some(&b'{') => actions += 1,
            (None, b'}') if bytes.get(i + 1) == Some(&b'}') => actions = actions.saturating_sub(1),
            (None, b'#')
                if actions == 0 && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') =>
            {
                return &s[..i]
            }
            _ => {}
        }
    }
    s
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_shapes() {
        let doc = kubeready_yaml::load_one(
            "image:\n  registry: docker.io\n  repository: bitnami/nginx\n  tag: 1.25\n  digest: sha256:abc\nworker:\n  image: ghcr.io/acme/worker:2\n  initImage: busybox:1.36\n  pullImage: true\nimages:\n  api: {repository: acme/api, tag: v3}\nsidecar:\n  image: {name: envoy, tag: v1.30}\nimagePullPolicy: Always\nlist:\n- image: \"\"\n",
        )
        .unwrap();
        let mut out = Vec::new();
        values_mentions("v.yaml", &doc, &mut out);
        let got: Vec<_> = out.iter().map(|m| (m.line, m.image.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (1, "docker.io/bitnami/nginx:1.25@sha256:abc"),
                (7, "ghcr.io/acme/worker:2"),
                (8, "busybox:1.36"),
                (11, "acme/api:v3"),
                (13, "envoy:v1.30"),
            ]
        );
    }

    #[test]
    fn literal_container_commands() {
        let mut f = OrchestrationFacts::default();
        let text = "kind: DaemonSet\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          command:\n          -  /bin/reloader\n          - --interval={{ .Values.interval }}\n        - name: b\n          command: [\"/usr/bin/agent\", \"start\"]\n        - name: c\n          command:\n            - {{ .Values.cmd }}\n        - name: d\n          command: {{ toYaml .Values.command }}\n";
        scan_template("c/templates/ds.yaml", text, &mut f);
        let got: Vec<_> = f
            .template_commands
            .iter()
            .map(|c| (c.line, c.program.as_str()))
            .collect();
        assert_eq!(got, vec![(8, "/bin/reloader"), (11, "/usr/bin/agent")]);
    }

    #[test]
    fn template_lines() {
        let mut f = OrchestrationFacts::default();
        scan_template(
            "c/templates/d.yaml",
            "{{- if .Values.enabled }}\nkind: Deployment\nspec:\n  scaleTargetRef:\n    kind: Deployment\n      containers:\n        - image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\" # app\n          name: x\n        - name: y\n          image: busybox # sidecar\n",
            &mut f,
        );
        assert_eq!(
            f.template_kinds,
            vec![TemplateKind {
                file: "c/templates/d.yaml".into(),
                line: 2,
                kind: "Deployment".into()
            }]
        );
        let got: Vec<_> = f
            .mentions
            .iter()
            .map(|m| (m.line, m.image.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(7, "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"), (10, "busybox")]
        );
    }

    #[test]
    fn chart_membership() {
        let dirs = chart_dirs(["charts/api/Chart.yaml", "Chart.yaml"].into_iter());
        assert!(in_chart("charts/api/templates/x.yaml", &dirs));
        assert!(is_values_file("charts/api/values-prod.yaml", &dirs));
        assert!(is_values_file("charts/api/ci/test-values.yaml", &dirs));
        assert!(!is_values_file("charts/api/templates/values.yaml", &dirs));
        let dirs = chart_dirs(["charts/api/Chart.yaml"].into_iter());
        assert!(!in_chart("templates/x.yaml", &dirs));
    }
}
