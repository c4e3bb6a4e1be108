//! Docker Buildx bake files (`docker-bake.hcl`, `docker-bake.json`): a
//! bake build in CI (`docker buildx bake [targets]`, `docker/bake-action`)
//! is one build per target it names (or the `default` group), each with
//! its context, Dockerfile and tags, so that CI builds link to the
//! Dockerfiles they build.

use crate::paths;
use crate::walk::Tree;
use kubeready_shell::ImageBuild;

/// Most targets one bake build expands to.
const MAX_TARGETS: usize = 256;
/// How deep groups and `inherits` are followed.
const MAX_DEPTH: usize = 16;

/// Bake's default file names, in its order.
const DEFAULT_FILES: &[&str] = &[
    "docker-bake.json",
    "docker-bake.override.json",
    "docker-bake.hcl",
    "docker-bake.override.hcl",
];

/// One `target` block, as written.
#[derive(Clone, Debug, Default)]
struct Target {
    name: String,
    context: Option<String>,
    dockerfile: Option<String>,
    tags: Vec<String>,
    target: Option<String>,
    output: Vec<String>,
    inherits: Vec<String>,
}

#[derive(Debug, Default)]
struct BakeFile {
    targets: Vec<Target>,
    groups: Vec<(String, Vec<String>)>,
    variables: Vec<(String, String)>,
}

/// The builds a bake build stands for, its paths relative to the CI
/// step's folder `workdir`; `None` when no bake file is found (the build
/// is then kept as it is).
pub fn expand(tree: &Tree, workdir: &str, b: &ImageBuild) -> Option<Vec<ImageBuild>> {
    let dir_rel = b.context.clone().unwrap_or_else(|| ".".into());
    let dir = paths::join(workdir, &dir_rel)?;
    let names: Vec<String> = if b.files.is_empty() {
        DEFAULT_FILES.iter().map(|f| f.to_string()).collect()
    } else {
        b.files.clone()
    };
    let mut bake = BakeFile::default();
    let mut found = false;
    for n in names {
        if n.contains('$') || n.contains("://") {
            continue;
        }
        let Some(path) = paths::join(&dir, &n) else {
            continue;
        };
        let Ok(text) = tree.read_text(&path) else {
            continue;
        };
        found = true;
        let f = if path.ends_with(".json") {
            parse_json(&text)
        } else {
            parse_hcl(&text)
        };
        bake.targets.extend(f.targets);
        bake.groups.extend(f.groups);
        bake.variables.extend(f.variables);
    }
    if !found {
        return None;
    }
    let wanted = if b.targets.is_empty() {
        vec!["default".to_string()]
    } else {
        b.targets.clone()
    };
    let mut names = Vec::new();
    for w in &wanted {
        resolve_group(&bake, w, &mut names, 0);
    }
    let mut out = Vec::new();
    for name in names.iter().take(MAX_TARGETS) {
        let Some(t) = merged(&bake, name, 0) else {
            continue;
        };
        let var = |s: &str| interpolate(s, &bake.variables);
        let context = var(t.context.as_deref().unwrap_or("."));
        let dockerfile = var(t.dockerfile.as_deref().unwrap_or("Dockerfile"));
        let ctx_rel = super::follow::rel_join(&dir_rel, &context);
        let push_out = t.output.iter().any(|o| {
            let l = o.to_ascii_lowercase();
            l.contains("type=registry") || (l.contains("type=image") && l.contains("push=true"))
        });
        let mut tags: Vec<String> = t.tags.iter().map(|x| var(x)).collect();
        if !b.tags.is_empty() {
            tags = b.tags.clone();
        }
        out.push(ImageBuild {
            tool: b.tool.clone(),
            dockerfile: Some(if dockerfile.starts_with('/') || dockerfile.contains('$') {
                dockerfile
            } else {
                super::follow::rel_join(&ctx_rel, &dockerfile)
            }),
            context: Some(ctx_rel),
            tags,
            target: b.target.clone().or_else(|| t.target.clone()),
            push: b.push || push_out,
            build_args: b.build_args.clone(),
            platforms: b.platforms.clone(),
            files: b.files.clone(),
            targets: vec![name.clone()],
            load: b.load,
        });
    }
    Some(out)
}

/// The targets a name stands for: a group's (recursively) or itself.
fn resolve_group(bake: &BakeFile, name: &str, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH || out.len() >= MAX_TARGETS {
        return;
    }
    let groups: Vec<&Vec<String>> = bake
        .groups
        .iter()
        .filter(|(g, _)| g == name)
        .map(|(_, t)| t)
        .collect();
    if groups.is_empty() {
        if bake.targets.iter().any(|t| t.name == name) && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
        return;
    }
    // The last definition of a group wins (override files).
    if let Some(targets) = groups.last() {
        for t in targets.iter() {
            resolve_group(bake, t, out, depth + 1);
        }
    }
}

/// A target with what it inherits filled in (and later definitions of
/// the same target over earlier ones).
fn merged(bake: &BakeFile, name: &str, depth: usize) -> Option<Target> {
    if depth > MAX_DEPTH {
        return None;
    }
    let defs: Vec<&Target> = bake.targets.iter().filter(|t| t.name == name).collect();
    let mut t = Target {
        name: name.to_string(),
        ..Default::default()
    };
    let first = defs.first()?;
    for parent in &first.inherits {
        if let Some(p) = merged(bake, parent, depth + 1) {
            fill(&mut t, &p);
        }
    }
    for d in defs {
        over(&mut t, d);
    }
    Some(t)
}

/// Fields of `from` where `t` has none.
fn fill(t: &mut Target, from: &Target) {
    if t.context.is_none() {
        t.context = from.context.clone();
    }
    if t.dockerfile.is_none() {
        t.dockerfile = from.dockerfile.clone();
    }
    if t.tags.is_empty() {
        t.tags = from.tags.clone();
    }
    if t.target.is_none() {
        t.target = from.target.clone();
    }
    if t.output.is_empty() {
        t.output = from.output.clone();
    }
}

/// Fields `from` sets, over `t`'s.
fn over(t: &mut Target, from: &Target) {
    if from.context.is_some() {
        t.context = from.context.clone();
    }
    if from.dockerfile.is_some() {
        t.dockerfile = from.dockerfile.clone();
    }
    if !from.tags.is_empty() {
        t.tags = from.tags.clone();
    }
    if from.target.is_some() {
        t.target = from.target.clone();
    }
    if !from.output.is_empty() {
        t.output = from.output.clone();
    }
}

/// `${NAME}` replaced with a variable's default.
fn interpolate(s: &str, vars: &[(String, String)]) -> String {
    let mut out = s.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v);
    }
    out
}

fn parse_json(text: &str) -> BakeFile {
    let loaded = kubeready_yaml::load(text, &kubeready_yaml::Limits::default());
    let mut f = BakeFile::default();
    let Some(doc) = loaded.documents.first() else {
        return f;
    };
    let strs = |n: Option<&kubeready_yaml::Node>| super::common::strings(n);
    let s = |n: Option<&kubeready_yaml::Node>| n.and_then(|x| x.as_str()).map(str::to_string);
    for e in doc.get("group").and_then(|g| g.as_map()).unwrap_or(&[]) {
        if let Some(k) = e.key_str() {
            f.groups.push((k.to_string(), strs(e.value.get("targets"))));
        }
    }
    for e in doc.get("target").and_then(|g| g.as_map()).unwrap_or(&[]) {
        let Some(k) = e.key_str() else { continue };
        let v = &e.value;
        f.targets.push(Target {
            name: k.to_string(),
            context: s(v.get("context")),
            dockerfile: s(v.get("dockerfile")),
            tags: strs(v.get("tags")),
            target: s(v.get("target")),
            output: strs(v.get("output")),
            inherits: strs(v.get("inherits")),
        });
    }
    for e in doc.get("variable").and_then(|g| g.as_map()).unwrap_or(&[]) {
        if let (Some(k), Some(d)) = (e.key_str(), s(e.value.get("default"))) {
            f.variables.push((k.to_string(), d));
        }
    }
    f
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

/// HCL tokens: identifiers (numbers and bools too), strings (escapes
/// kept simple), punctuation; comments dropped.
fn lex(text: &str) -> Vec<Tok> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&ch) = c.get(i) {
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '#' || (ch == '/' && c.get(i + 1) == Some(&'/')) {
            while c.get(i).is_some_and(|x| *x != '\n') {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            i += 2;
            while i < c.len() && !(c[i] == '*' && c.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if ch == '"' {
            let mut s = String::new();
            i += 1;
            while let Some(&x) = c.get(i) {
                if x == '\\' {
                    if let Some(&n) = c.get(i + 1) {
                        s.push(n);
                    }
                    i += 2;
                    continue;
                }
                i += 1;
                if x == '"' {
                    break;
                }
                s.push(x);
            }
            out.push(Tok::Str(s));
        } else if ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.' {
            let mut s = String::new();
            while let Some(&x) = c.get(i) {
                if x.is_alphanumeric() || x == '_' || x == '-' || x == '.' {
                    s.push(x);
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Tok::Ident(s));
        } else {
            out.push(Tok::Punct(ch));
            i += 1;
        }
    }
    out
}

/// The index after the bracket closing the one at `open`.
fn skip_nested(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while let Some(t) = toks.get(i) {
        match t {
            Tok::Punct('{' | '[' | '(') => depth += 1,
            Tok::Punct('}' | ']' | ')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// A string or list-of-strings value at `i`: (strings, index after).
fn value(toks: &[Tok], i: usize) -> (Vec<String>, usize) {
    match toks.get(i) {
        Some(Tok::Str(s)) => (vec![s.clone()], i + 1),
        Some(Tok::Punct('[')) => {
            let end = skip_nested(toks, i);
            let items = toks
                .get(i + 1..end.saturating_sub(1))
                .unwrap_or(&[])
                .iter()
                .filter_map(|t| match t {
                    Tok::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            (items, end)
        }
        Some(Tok::Punct('{' | '(')) => (Vec::new(), skip_nested(toks, i)),
        Some(Tok::Ident(_)) => {
            // An expression (`null`, `true`, a function call): skipped.
            let mut j = i + 1;
            if toks.get(j) == Some(&Tok::Punct('(')) {
                j = skip_nested(toks, j);
            }
            (Vec::new(), j)
        }
        _ => (Vec::new(), i + 1),
    }
}

fn parse_hcl(text: &str) -> BakeFile {
    let toks = lex(text);
    let mut f = BakeFile::default();
    let mut i = 0;
    while i < toks.len() {
        // `kind "name" {`
        let (Some(Tok::Ident(kind)), Some(Tok::Str(name)), Some(Tok::Punct('{'))) =
            (toks.get(i), toks.get(i + 1), toks.get(i + 2))
        else {
            i += 1;
            continue;
        };
        let end = skip_nested(&toks, i + 2);
        let body = toks.get(i + 3..end.saturating_sub(1)).unwrap_or(&[]);
        let mut attrs: Vec<(String, Vec<String>)> = Vec::new();
        let mut j = 0;
        while j < body.len() {
            match (body.get(j), body.get(j + 1)) {
                (Some(Tok::Ident(k)), Some(Tok::Punct('='))) => {
                    let (v, next) = value(body, j + 2);
                    attrs.push((k.clone(), v));
                    j = next;
                }
                (Some(Tok::Punct('{' | '[' | '(')), _) => j = skip_nested(body, j),
                _ => j += 1,
            }
        }
        let one = |k: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == k)
                .and_then(|(_, v)| v.first().cloned())
        };
        let many = |k: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        match kind.as_str() {
            "target" => f.targets.push(Target {
                name: name.clone(),
                context: one("context"),
                dockerfile: one("dockerfile"),
                tags: many("tags"),
                target: one("target"),
                output: many("output"),
                inherits: many("inherits"),
            }),
            "group" => f.groups.push((name.clone(), many("targets"))),
            "variable" => {
                if let Some(d) = one("default") {
                    f.variables.push((name.clone(), d));
                }
            }
            _ => {}
        }
        i = end;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_targets_groups_inherits_and_variables() {
        let f = parse_hcl(concat!(
            "# bake\n",
            "variable \"REGISTRY\" { default = \"ghcr.io/acme\" }\n",
            "group \"default\" { targets = [\"api\", \"web\"] }\n",
            "target \"_common\" {\n  dockerfile = \"Dockerfile\"\n  args = { GO = \"1.22\" }\n  output = [\"type=registry\"]\n}\n",
            "target \"api\" {\n  inherits = [\"_common\"]\n  context = \"services/api\"\n  tags = [\"${REGISTRY}/api:latest\"]\n}\n",
            "target \"web\" {\n  context = \"web\" // the front\n  dockerfile = \"docker/Dockerfile.prod\"\n  platforms = [\"linux/amd64\"]\n}\n",
        ));
        assert_eq!(f.targets.len(), 3);
        assert_eq!(
            f.groups,
            [(
                "default".to_string(),
                vec!["api".to_string(), "web".to_string()]
            )]
        );
        let mut names = Vec::new();
        resolve_group(&f, "default", &mut names, 0);
        assert_eq!(names, ["api", "web"]);
        let api = merged(&f, "api", 0).unwrap();
        assert_eq!(api.dockerfile.as_deref(), Some("Dockerfile"));
        assert_eq!(api.output, ["type=registry"]);
        assert_eq!(
            interpolate(&api.tags[0], &f.variables),
            "ghcr.io/acme/api:latest"
        );
    }

    #[test]
    fn json_bake_file() {
        let f = parse_json(
            r#"{"group": {"default": {"targets": ["app"]}}, "target": {"app": {"context": "app", "tags": ["acme/app:1"]}}}"#,
        );
        assert_eq!(f.targets[0].context.as_deref(), Some("app"));
        assert_eq!(f.groups[0].1, ["app"]);
    }
}
