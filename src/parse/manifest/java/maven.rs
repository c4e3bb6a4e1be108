//! Maven modules: `pom.xml`, with what a module inherits from its parent
//! poms in the repository.

use super::*;

pub(super) fn maven(ctx: &mut Ctx<'_>, dir: &str, quarkus_image: &Option<String>) -> Option<Cand> {
    let path = join(dir, "pom.xml");
    let text = ctx.read(&path)?;
    let (doc, err) = xml::parse(&text);
    if let Some((line, msg)) = err {
        ctx.syntax(
            &path,
            line,
            None,
            format!("pom.xml is not well-formed XML: {msg}"),
        );
    }
    let Some(project) = doc.root().filter(|r| doc.name(*r) == "project") else {
        ctx.syntax(&path, 1, None, "pom.xml has no <project> element".into());
        return None;
    };
    let name = doc
        .path_text(project, "artifactId")
        .map(str::to_string)
        .unwrap_or_else(|| ctx.folder_name(dir));
    let packaging = doc
        .path_text(project, "packaging")
        .unwrap_or("jar")
        .to_string();
    let modules: Vec<usize> = doc
        .path(project, "modules")
        .map(|m| doc.children(m, "module").collect())
        .unwrap_or_default();
    let parent_artifact = doc
        .path_text(project, "parent/artifactId")
        .unwrap_or("")
        .to_string();

    // Build plugins and dependencies, of the project and of its profiles.
    let mut scopes = vec![project];
    if let Some(profiles) = doc.child(project, "profiles") {
        scopes.extend(doc.children(profiles, "profile"));
    }
    let mut plugins: Vec<usize> = Vec::new();
    let mut deps: Vec<(String, u32)> = Vec::new();
    for s in &scopes {
        if let Some(pl) = doc.path(*s, "build/plugins") {
            plugins.extend(doc.children(pl, "plugin"));
        }
        if let Some(ds) = doc.child(*s, "dependencies") {
            for d in doc.children(ds, "dependency") {
                if let Some(a) = doc.child(d, "artifactId") {
                    deps.push((doc.text(a).to_string(), doc.line(a)));
                }
            }
        }
    }
    let plugin = |artifact: &str| {
        plugins
            .iter()
            .copied()
            .find(|p| doc.path_text(*p, "artifactId") == Some(artifact))
    };
    let plugin_line = |p: usize| {
        doc.child(p, "artifactId")
            .map(|a| doc.line(a))
            .unwrap_or_else(|| doc.line(p))
    };

    // What the in-repo parent poms pass down: the Spring Boot parent and a
    // spring-boot-maven-plugin applied in their <build><plugins>.
    let inherited = inherited_from_parents(ctx, dir, &doc, project);
    let mut frameworks: Vec<String> = Vec::new();
    let mut web = packaging == "war";
    let spring_parent =
        parent_artifact == "spring-boot-starter-parent" || inherited.spring_boot_parent;
    if spring_parent
        || deps
            .iter()
            .any(|(a, _)| a.starts_with("spring-boot-starter"))
        || plugin("spring-boot-maven-plugin").is_some()
    {
        frameworks.push("spring-boot".into());
    }
    if plugin("quarkus-maven-plugin").is_some()
        || deps.iter().any(|(a, _)| a.starts_with("quarkus-"))
    {
        frameworks.push("quarkus".into());
    }
    if plugin("micronaut-maven-plugin").is_some()
        || parent_artifact == "micronaut-parent"
        || deps.iter().any(|(a, _)| a.starts_with("micronaut-"))
    {
        frameworks.push("micronaut".into());
    }
    for (d, fw) in WEB_DEPS {
        if deps
            .iter()
            .any(|(a, _)| a == d || a.starts_with(&format!("{d}-")))
        {
            web = true;
            frameworks.push(fw.to_string());
        }
    }

    // Image builders.
    let mut builders: Vec<ImageBuilderConfig> = Vec::new();
    if let Some(j) = plugin("jib-maven-plugin") {
        let image = doc
            .path_text(j, "configuration/to/image")
            .map(str::to_string);
        builders.push(ImageBuilderConfig {
            tool: ImageBuilderTool::Jib,
            file: path.clone(),
            line: plugin_line(j),
            image,
        });
    }
    if let Some(sb) = plugin("spring-boot-maven-plugin") {
        let image_cfg = doc.path(sb, "configuration/image");
        let goal = doc
            .descendants(sb)
            .into_iter()
            .any(|n| doc.name(n) == "goal" && doc.text(n) == "build-image");
        if image_cfg.is_some() || goal {
            let image = image_cfg
                .and_then(|i| doc.path_text(i, "name"))
                .map(str::to_string);
            builders.push(ImageBuilderConfig {
                tool: ImageBuilderTool::SpringBootBuildImage,
                file: path.clone(),
                line: plugin_line(sb),
                image,
            });
        }
    }
    if let Some((_, line)) = deps
        .iter()
        .find(|(a, _)| a.starts_with("quarkus-container-image-"))
    {
        builders.push(ImageBuilderConfig {
            tool: ImageBuilderTool::Quarkus,
            file: path.clone(),
            line: *line,
            image: quarkus_image.clone(),
        });
    }

    let mut p = new_project(
        dir,
        name,
        Language::Java,
        path.clone(),
        ProjectRole::Library,
        String::new(),
        1,
    );
    p.image_builders = builders;
    let finish = |mut p: Project,
                  role: ProjectRole,
                  reason: String,
                  line: u32,
                  web: bool,
                  frameworks: Vec<String>| {
        p.role = role;
        p.reason = reason;
        p.line = line;
        p.web = web && p.role == ProjectRole::Service;
        p.frameworks = frameworks;
        p
    };
    if packaging == "pom" {
        let line = doc
            .path(project, "packaging")
            .map(|n| doc.line(n))
            .unwrap_or(1);
        if !modules.is_empty() {
            let p = finish(
                p,
                ProjectRole::Aggregator,
                format!(
                    "Maven aggregator (packaging pom, {} modules)",
                    modules.len()
                ),
                line,
                false,
                frameworks,
            );
            return Some(Cand::new(p, 0));
        }
        let p = finish(
            p,
            ProjectRole::Library,
            "library: parent/BOM pom (packaging pom)".into(),
            line,
            false,
            frameworks,
        );
        return Some(Cand::new(p, 0));
    }
    let signals: [(Option<usize>, &str); 3] = [
        (
            plugin("spring-boot-maven-plugin"),
            "Spring Boot (spring-boot-maven-plugin)",
        ),
        (
            plugin("quarkus-maven-plugin"),
            "Quarkus (quarkus-maven-plugin)",
        ),
        (
            plugin("micronaut-maven-plugin"),
            "Micronaut (micronaut-maven-plugin)",
        ),
    ];
    for (pl, reason) in signals {
        if let Some(pl) = pl {
            let line = plugin_line(pl);
            let p = finish(
                p,
                ProjectRole::Service,
                reason.into(),
                line,
                web || !reason.starts_with("Spring"),
                frameworks,
            );
            return Some(Cand::new(p, 3));
        }
    }
    if let Some(from) = &inherited.boot_plugin {
        let line = doc
            .path(project, "parent")
            .map(|n| doc.line(n))
            .unwrap_or(1);
        if !frameworks.iter().any(|f| f == "spring-boot") {
            frameworks.push("spring-boot".into());
        }
        let p = finish(
            p,
            ProjectRole::Service,
            format!("Spring Boot (spring-boot-maven-plugin from the parent {from})"),
            line,
            web,
            frameworks,
        );
        return Some(Cand::new(p, 3));
    }
    if spring_parent {
        if let Some((a, line)) = deps
            .iter()
            .find(|(a, _)| a.starts_with("spring-boot-starter-web"))
        {
            let p = finish(
                p,
                ProjectRole::Service,
                format!("Spring Boot ({a})"),
                *line,
                true,
                frameworks,
            );
            return Some(Cand::new(p, 3));
        }
    }
    if parent_artifact == "micronaut-parent" {
        let line = doc
            .path(project, "parent")
            .map(|n| doc.line(n))
            .unwrap_or(1);
        let p = finish(
            p,
            ProjectRole::Service,
            "Micronaut (micronaut-parent)".into(),
            line,
            true,
            frameworks,
        );
        return Some(Cand::new(p, 3));
    }
    if packaging == "war" {
        let line = doc
            .path(project, "packaging")
            .map(|n| doc.line(n))
            .unwrap_or(1);
        let p = finish(
            p,
            ProjectRole::Service,
            "war packaging (servlet container)".into(),
            line,
            true,
            frameworks,
        );
        return Some(Cand::new(p, 3));
    }
    // A main class in a plugin configuration or the properties.
    let mut main: Option<(String, u32)> = None;
    for pl in &plugins {
        if let Some(n) = doc.descendants(*pl).into_iter().find(|n| {
            matches!(doc.name(*n), "mainClass" | "Main-Class" | "mainClassName")
                && !doc.text(*n).is_empty()
        }) {
            main = Some((doc.text(n).to_string(), doc.line(n)));
            break;
        }
    }
    if main.is_none() {
        if let Some(props) = doc.child(project, "properties") {
            if let Some(&n) = doc
                .nodes
                .get(props)
                .map(|x| x.children.as_slice())
                .unwrap_or(&[])
                .iter()
                .find(|n| {
                    let nm = doc.name(**n);
                    (nm == "start-class" || nm.ends_with("mainClass") || nm.ends_with("main.class"))
                        && !doc.text(**n).is_empty()
                })
            {
                main = Some((doc.text(n).to_string(), doc.line(n)));
            }
        }
    }
    if let Some((class, line)) = main {
        let p = finish(
            p,
            ProjectRole::Service,
            format!("Maven main class ({class})"),
            line,
            web,
            frameworks,
        );
        return Some(Cand::new(p, 2));
    }
    if let Some(j) = plugin("jib-maven-plugin") {
        let line = plugin_line(j);
        let p = finish(
            p,
            ProjectRole::Service,
            "Jib image build (jib-maven-plugin)".into(),
            line,
            web,
            frameworks,
        );
        return Some(Cand::new(p, 2));
    }
    let p = finish(
        p,
        ProjectRole::Library,
        "library: no Spring Boot/Quarkus/Micronaut plugin, war packaging or main class".into(),
        1,
        false,
        frameworks,
    );
    Some(Cand::new(p, 0))
}

/// What a Maven module inherits from its parent poms in the repository.
#[derive(Default)]
struct Inherited {
    /// A parent up the chain has `spring-boot-starter-parent` as its parent.
    spring_boot_parent: bool,
    /// `pom.xml:90` of the parent whose <build><plugins> (or a profile
    /// active for this module) applies spring-boot-maven-plugin.
    boot_plugin: Option<String>,
}

/// Follows `<parent>` to poms in the repository (`<relativePath>`, default
/// `../pom.xml`, when its artifactId matches), at most four levels up.
/// A profile counts when it is active by default or activated by a file
/// that exists in the module (`<activation><file><exists>`).
fn inherited_from_parents(ctx: &Ctx<'_>, dir: &str, doc: &xml::Doc, project: usize) -> Inherited {
    let mut out = Inherited::default();
    let mut cur_dir = dir.to_string();
    let mut want = doc
        .path_text(project, "parent/artifactId")
        .map(str::to_string);
    let mut rel_path = doc
        .path_text(project, "parent/relativePath")
        .map(str::to_string);
    for _ in 0..4 {
        let Some(artifact) = want.take() else { break };
        if artifact == "spring-boot-starter-parent" {
            out.spring_boot_parent = true;
            break;
        }
        let rp = rel_path.take().unwrap_or_else(|| "../pom.xml".into());
        if rp.is_empty() {
            break;
        }
        let Some(path) = resolve_relative(&cur_dir, &rp) else {
            break;
        };
        let path = if path.ends_with(".xml") {
            path
        } else {
            join(&path, "pom.xml")
        };
        let Some(text) = ctx.read_quiet(&path) else {
            break;
        };
        let (pdoc, _) = xml::parse(&text);
        let Some(proj) = pdoc.root().filter(|r| pdoc.name(*r) == "project") else {
            break;
        };
        if pdoc.path_text(proj, "artifactId") != Some(artifact.as_str()) {
            break;
        }
        if out.boot_plugin.is_none() {
            let mut scopes = vec![proj];
            if let Some(profiles) = pdoc.child(proj, "profiles") {
                scopes.extend(pdoc.children(profiles, "profile").filter(|pr| {
                    let act = pdoc.child(*pr, "activation");
                    act.and_then(|a| pdoc.path_text(a, "activeByDefault")) == Some("true")
                        || act
                            .and_then(|a| pdoc.path_text(a, "file/exists"))
                            .is_some_and(|f| !f.contains('$') && ctx.has(&join(dir, f)))
                }));
            }
            for sc in scopes {
                let Some(pl) = pdoc.path(sc, "build/plugins") else {
                    continue;
                };
                if let Some(a) = pdoc
                    .children(pl, "plugin")
                    .filter_map(|x| pdoc.child(x, "artifactId"))
                    .find(|a| pdoc.text(*a) == "spring-boot-maven-plugin")
                {
                    out.boot_plugin = Some(format!("{path}:{}", pdoc.line(a)));
                    break;
                }
            }
        }
        cur_dir = parent_dir(&path).to_string();
        want = pdoc
            .path_text(proj, "parent/artifactId")
            .map(str::to_string);
        rel_path = pdoc
            .path_text(proj, "parent/relativePath")
            .map(str::to_string);
    }
    out
}

/// `dir` joined with a relative path (`../pom.xml`, `../../parent`), or
/// `None` when it leaves the repository.
fn resolve_relative(dir: &str, rel_path: &str) -> Option<String> {
    let mut segs: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in rel_path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop()?;
            }
            p => segs.push(p),
        }
    }
    Some(segs.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::manifest::tests::projects;

    const ROOT: &str = r#"<project>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <artifactId>shop</artifactId>
  <packaging>pom</packaging>
  <modules><module>vets</module><module>config</module><module>lib</module></modules>
  <profiles>
    <profile>
      <id>springboot</id>
      <activation><file><exists>src/main/resources/application.yml</exists></file></activation>
      <build>
        <plugins>
          <plugin>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-maven-plugin</artifactId>
          </plugin>
        </plugins>
      </build>
    </profile>
  </profiles>
</project>
"#;

    fn module(name: &str, dep: &str) -> String {
        format!(
            "<project>\n  <parent>\n    <artifactId>shop</artifactId>\n  </parent>\n  <artifactId>{name}</artifactId>\n  <dependencies><dependency><artifactId>{dep}</artifactId></dependency></dependencies>\n</project>\n"
        )
    }

    #[test]
    fn spring_boot_plugin_inherited_from_the_repository_parent() {
        let vets = module("vets", "spring-boot-starter-webmvc");
        let config = module("config", "spring-cloud-config-server");
        let lib = module("lib", "spring-boot-starter");
        let orders = module("orders", "spring-boot-starter-webmvc");
        let ps = projects(&[
            ("pom.xml", ROOT),
            ("vets/pom.xml", &vets),
            (
                "vets/src/main/resources/application.yml",
                "server:\n  port: 8081\n",
            ),
            ("orders/pom.xml", &orders),
            ("orders/src/main/resources/application.yml", "x: 1\n"),
            ("config/pom.xml", &config),
            ("config/src/main/resources/application.yml", "x: 1\n"),
            ("lib/pom.xml", &lib),
        ]);
        let at = |d: &str| ps.iter().find(|p| p.dir == d).unwrap();
        assert_eq!(at("").role, ProjectRole::Aggregator);
        for d in ["vets", "config"] {
            let p = at(d);
            assert_eq!(p.role, ProjectRole::Service, "{d}: {}", p.reason);
            assert_eq!(
                p.reason,
                "Spring Boot (spring-boot-maven-plugin from the parent pom.xml:17)"
            );
            assert_eq!(p.line, 2);
        }
        assert_eq!(at("vets").ports, vec![8081]);
        assert!(at("vets").web);
        assert_eq!(at("vets").program, Program::Server);
        assert_eq!(at("vets").frameworks, vec!["spring-boot"]);
        // The profile is active only where application.yml exists.
        assert_eq!(at("lib").role, ProjectRole::Library, "{}", at("lib").reason);
        // Spring Boot 4 names the servlet starter spring-boot-starter-webmvc.
        assert_eq!(at("orders").program, Program::Server);
        assert_eq!(
            at("orders").program_evidence.as_deref(),
            Some("orders/pom.xml:2 web framework: spring-boot")
        );
    }

    #[test]
    fn parent_outside_the_repository_or_another_artifact_is_not_followed() {
        let other = "<project><parent><artifactId>unrelated</artifactId></parent><artifactId>x</artifactId></project>";
        let ps = projects(&[
            ("pom.xml", ROOT.replace("<activation><file><exists>src/main/resources/application.yml</exists></file></activation>", "").as_str()),
            ("x/pom.xml", other),
        ]);
        let x = ps.iter().find(|p| p.dir == "x").unwrap();
        assert_eq!(x.role, ProjectRole::Library, "{}", x.reason);
        assert_eq!(resolve_relative("a", "../../pom.xml"), None);
        assert_eq!(
            resolve_relative("a/b", "../pom.xml").as_deref(),
            Some("a/pom.xml")
        );
    }
}
