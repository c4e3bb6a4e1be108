//! Gradle projects: `build.gradle(.kts)` and `settings.gradle(.kts)`, read
//! as text (comments stripped, plugin ids and dependencies picked out).

use super::*;

#[derive(Default)]
struct GradleFacts {
    /// Plugin ids applied at the top level, with their lines.
    plugins: Vec<(String, u32)>,
    jib_image: Option<String>,
    boot_build_image: Option<(u32, Option<String>)>,
    main_class: Option<u32>,
}

fn strip_comment(line: &str, in_block: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_block {
            match rest.find("*/") {
                Some(e) => {
                    *in_block = false;
                    rest = &rest[e + 2..];
                }
                None => return out,
            }
        }
        let slash = rest
            .find("//")
            .filter(|i| *i == 0 || !rest[..*i].ends_with(':'));
        let block = rest.find("/*");
        match (slash, block) {
            (Some(s), Some(b)) if b < s => {
                out.push_str(&rest[..b]);
                *in_block = true;
                rest = &rest[b + 2..];
            }
            (None, Some(b)) => {
                out.push_str(&rest[..b]);
                *in_block = true;
                rest = &rest[b + 2..];
            }
            (Some(s), _) => {
                out.push_str(&rest[..s]);
                return out;
            }
            (None, None) => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// Plugin ids on one line of a `plugins {}` block (or an `apply plugin:`).
fn plugin_ids(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    if line.contains("apply false") || line.contains("apply(false)") {
        return out;
    }
    let t = line
        .trim()
        .trim_start_matches("plugins")
        .trim()
        .trim_start_matches('{')
        .trim();
    for part in t.split(';') {
        let part = part.trim().trim_end_matches('}').trim();
        if part.is_empty() {
            continue;
        }
        if part.starts_with("id") || part.contains("plugin:") || part.contains("plugin =") {
            if let Some(q) = first_quoted(part) {
                out.push(q.to_string());
            }
        } else if let Some(r) = part.strip_prefix("kotlin(") {
            if let Some(q) = first_quoted(r) {
                out.push(format!("org.jetbrains.kotlin.{q}"));
            }
        } else if let Some(r) = part.strip_prefix("alias(") {
            out.push(format!(
                "alias:{}",
                r.split(')').next().unwrap_or("").trim()
            ));
        } else {
            let w = part
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_matches('`');
            if matches!(
                w,
                "application" | "java" | "war" | "java-library" | "groovy" | "scala"
            ) {
                out.push(w.to_string());
            }
        }
    }
    out
}

fn scan_gradle_text(text: &str) -> GradleFacts {
    let mut f = GradleFacts::default();
    let mut stack: Vec<String> = Vec::new();
    let mut in_block_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = strip_comment(raw, &mut in_block_comment);
        let t = line.trim();
        let top = stack.first().map(String::as_str);
        let nested_in_other = stack.iter().any(|s| {
            s.starts_with("subprojects")
                || s.starts_with("allprojects")
                || s.starts_with("configure")
        });
        if !nested_in_other {
            let in_plugins = (stack.len() == 1 && top == Some("plugins"))
                || (stack.is_empty() && t.starts_with("plugins"));
            let apply_plugin = stack.is_empty()
                && t.starts_with("apply")
                && t.contains("plugin")
                && !t.contains("from");
            if in_plugins || apply_plugin {
                for id in plugin_ids(t) {
                    f.plugins.push((id, line_no));
                }
            }
            let in_jib = stack.iter().any(|s| s == "jib") || t.starts_with("jib");
            let in_to = stack.last().is_some_and(|s| s == "to")
                || t.contains("to.image")
                || t.contains("to {");
            if in_jib && in_to && t.contains("image") {
                let after = &t[t.find("image").unwrap_or(0)..];
                if let Some(q) = first_quoted(after) {
                    f.jib_image = Some(q.to_string());
                }
            }
            let in_boot = stack.iter().any(|s| s.contains("bootBuildImage"));
            if !in_boot && t.contains("bootBuildImage") && f.boot_build_image.is_none() {
                f.boot_build_image = Some((line_no, None));
            }
            if in_boot || t.contains("bootBuildImage") {
                if let Some(i) = t.find("imageName") {
                    if let Some(q) = first_quoted(&t[i..]) {
                        let l = f.boot_build_image.as_ref().map(|b| b.0).unwrap_or(line_no);
                        f.boot_build_image = Some((l, Some(q.to_string())));
                    }
                }
            }
            if (t.starts_with("mainClass") || t.starts_with("mainClassName"))
                && f.main_class.is_none()
            {
                f.main_class = Some(line_no);
            }
        }
        // Maintain the block stack.
        let mut seg_start = 0;
        for (ci, c) in line.char_indices() {
            match c {
                '{' => {
                    let seg = line[seg_start..ci].trim();
                    let name = seg.rsplit([';', '}', '{']).next().unwrap_or("").trim();
                    let name = name.strip_prefix("tasks.").unwrap_or(name);
                    let word = if name.contains("bootBuildImage") {
                        "bootBuildImage"
                    } else {
                        name.split(['(', ' ', '.']).next().unwrap_or("")
                    };
                    stack.push(word.to_string());
                    seg_start = ci + 1;
                }
                '}' => {
                    stack.pop();
                    seg_start = ci + 1;
                }
                _ => {}
            }
        }
    }
    f
}

pub(super) fn gradle(
    ctx: &mut Ctx<'_>,
    dir: &str,
    build: Option<&str>,
    settings: Option<&str>,
    quarkus_image: &Option<String>,
) -> Option<Cand> {
    let build_text = build.and_then(|b| ctx.read(b));
    let settings_text = settings.and_then(|s| ctx.read(s));
    let mut includes = 0usize;
    let mut root_name: Option<String> = None;
    if let Some(st) = &settings_text {
        let mut in_block = false;
        for raw in st.lines() {
            let l = strip_comment(raw, &mut in_block);
            let t = l.trim();
            if t.starts_with("include") && !t.starts_with("includeBuild") {
                includes += all_quoted(t).len();
            }
            if t.starts_with("rootProject.name") {
                root_name = first_quoted(t).map(str::to_string);
            }
        }
    }
    let manifest = build.or(settings)?.to_string();
    let name = root_name
        .filter(|_| true)
        .unwrap_or_else(|| ctx.folder_name(dir));
    let mut p = new_project(
        dir,
        name,
        Language::Java,
        manifest.clone(),
        ProjectRole::Library,
        String::new(),
        1,
    );
    let Some(text) = build_text else {
        if includes > 0 {
            p.role = ProjectRole::Aggregator;
            p.reason = format!("Gradle multi-project root (settings includes {includes} projects)");
        } else {
            p.reason = "library: Gradle settings without a build script".into();
        }
        return Some(Cand::new(p, 0));
    };
    let facts = scan_gradle_text(&text);
    let lower = text.to_ascii_lowercase();
    let mut frameworks: Vec<String> = Vec::new();
    let mut web = facts.plugins.iter().any(|(id, _)| id == "war");
    for (d, fw) in WEB_DEPS {
        if lower.contains(d) {
            web = true;
            frameworks.push(fw.to_string());
        }
    }
    let has_plugin = |pred: &dyn Fn(&str) -> bool| {
        facts
            .plugins
            .iter()
            .find(|(id, _)| pred(id))
            .map(|(id, l)| (id.clone(), *l))
    };
    let alias_has = |id: &str, words: &[&str]| {
        id.starts_with("alias:") && words.iter().all(|w| id.to_ascii_lowercase().contains(w))
    };
    let spring =
        has_plugin(&|id| id == "org.springframework.boot" || alias_has(id, &["spring", "boot"]));
    let quarkus = has_plugin(&|id| id == "io.quarkus" || alias_has(id, &["quarkus"]));
    let micronaut = has_plugin(&|id| {
        id == "io.micronaut.application"
            || id == "io.micronaut.minimal.application"
            || alias_has(id, &["micronaut", "application"])
    });
    let ktor = has_plugin(&|id| id == "io.ktor.plugin" || alias_has(id, &["ktor"]));
    let application = has_plugin(&|id| id == "application");
    let war = has_plugin(&|id| id == "war");
    let jib = has_plugin(&|id| id == "com.google.cloud.tools.jib" || alias_has(id, &["jib"]));
    let android = has_plugin(&|id| {
        id == "com.android.application" || alias_has(id, &["android", "application"])
    });
    for (sig, fw) in [
        (&spring, "spring-boot"),
        (&quarkus, "quarkus"),
        (&micronaut, "micronaut"),
        (&ktor, "ktor"),
    ] {
        if sig.is_some() {
            frameworks.push(fw.to_string());
        }
    }
    if let Some((_, line)) = &jib {
        p.image_builders.push(ImageBuilderConfig {
            tool: ImageBuilderTool::Jib,
            file: manifest.clone(),
            line: *line,
            image: facts.jib_image.clone(),
        });
    }
    if let Some((line, image)) = &facts.boot_build_image {
        p.image_builders.push(ImageBuilderConfig {
            tool: ImageBuilderTool::SpringBootBuildImage,
            file: manifest.clone(),
            line: *line,
            image: image.clone(),
        });
    }
    if let Some(line) = line_where(&text, |l| l.contains("quarkus-container-image-")) {
        p.image_builders.push(ImageBuilderConfig {
            tool: ImageBuilderTool::Quarkus,
            file: manifest.clone(),
            line,
            image: quarkus_image.clone(),
        });
    }
    p.frameworks = frameworks;
    if let Some((_, line)) = android {
        p.reason = "library: Android application, not a server".into();
        p.line = line;
        return Some(Cand::new(p, 0));
    }
    let signals = [
        (spring, "Spring Boot (org.springframework.boot plugin)", 3),
        (quarkus, "Quarkus (io.quarkus plugin)", 3),
        (micronaut, "Micronaut (io.micronaut.application plugin)", 3),
        (ktor, "Ktor (io.ktor.plugin)", 3),
        (war, "Gradle war plugin (servlet container)", 3),
        (application, "Gradle application plugin", 2),
        (jib, "Jib image build (com.google.cloud.tools.jib)", 2),
    ];
    for (sig, reason, strength) in signals {
        if let Some((_, line)) = sig {
            p.role = ProjectRole::Service;
            p.reason = reason.into();
            p.line = line;
            p.web = web || matches!(strength, 3) && !reason.starts_with("Spring");
            return Some(Cand::new(p, strength));
        }
    }
    if includes > 0 {
        p.role = ProjectRole::Aggregator;
        p.reason = format!("Gradle multi-project root (settings includes {includes} projects)");
        return Some(Cand::new(p, 0));
    }
    p.reason = "library: no Spring Boot/Quarkus/Micronaut/Ktor/application plugin".into();
    Some(Cand::new(p, 0))
}
