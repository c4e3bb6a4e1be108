use super::*;

/// The module folders (relative to the config's folder) that the
/// `builds:` of a `.ko.yaml` build; a build without `dir:` builds the
/// module of the config's own folder, as does a config without builds.
fn ko_build_dirs(text: &str) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    let mut in_builds = false;
    let mut entry: Option<(Option<String>, u32)> = None;
    let mut saw_builds = false;
    let flush = |entry: &mut Option<(Option<String>, u32)>, out: &mut Vec<(String, u32)>| {
        if let Some((d, l)) = entry.take() {
            out.push((d.unwrap_or_default(), l));
        }
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if indent == 0 && !t.starts_with('-') {
            flush(&mut entry, &mut out);
            in_builds = t.starts_with("builds:");
            saw_builds |= in_builds;
            continue;
        }
        if !in_builds {
            continue;
        }
        let body = if let Some(b) = t.strip_prefix("- ") {
            flush(&mut entry, &mut out);
            entry = Some((None, i as u32 + 1));
            b.trim()
        } else {
            t
        };
        if let Some(v) = body.strip_prefix("dir:") {
            let v = v.trim().trim_matches(['"', '\'']);
            let d: Vec<&str> = v
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .collect();
            if let Some(e) = entry.as_mut() {
                e.0 = Some(d.join("/"));
                e.1 = i as u32 + 1;
            }
        }
    }
    flush(&mut entry, &mut out);
    if !saw_builds {
        out.push((String::new(), 1));
    }
    out
}

pub fn attach(ctx: &mut Ctx<'_>, projects: &mut [Project]) {
    let ko_files: Vec<String> = ctx
        .tree
        .files()
        .iter()
        .filter(|f| file_name(&f.path) == ".ko.yaml")
        .map(|f| f.path.clone())
        .take(MAX_SNIFFED_FILES)
        .collect();
    let mut ko_targets: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for f in &ko_files {
        let Some(text) = ctx.read_quiet(f) else {
            continue;
        };
        for (d, line) in ko_build_dirs(&text) {
            ko_targets
                .entry(join(parent_dir(f), &d))
                .or_insert((f.clone(), line));
        }
    }
    for p in projects.iter_mut() {
        if p.language == Language::Go {
            if let Some((file, line)) = ko_targets.get(&p.dir) {
                p.image_builders.push(ImageBuilderConfig {
                    tool: ImageBuilderTool::Ko,
                    file: file.clone(),
                    line: *line,
                    image: None,
                });
            }
        }
        let pt = join(&p.dir, "project.toml");
        if let Some(text) = ctx.read_quiet(&pt) {
            if text.contains("buildpacks")
                || text.contains("[_]")
                || text.contains("[[build.")
                || text.contains("[build]")
            {
                let line = line_where(&text, |l| l.contains("buildpacks") || l.trim() == "[_]")
                    .unwrap_or(1);
                p.image_builders.push(ImageBuilderConfig {
                    tool: ImageBuilderTool::Buildpacks,
                    file: pt,
                    line,
                    image: None,
                });
            }
        }
        let nx = join(&p.dir, "nixpacks.toml");
        if ctx.has(&nx) {
            p.image_builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::Nixpacks,
                file: nx,
                line: 1,
                image: None,
            });
        }
    }
}
