//! Java and Kotlin projects: Maven (`java/maven.rs`) and Gradle
//! (`java/gradle.rs`), with the ports and image settings of JVM
//! application config.

use super::*;

mod gradle;
mod maven;

use gradle::gradle;
use maven::maven;

pub fn is_gradle(name: &str) -> bool {
    matches!(
        name,
        "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts"
    )
}

/// Dependencies (artifact ids or Gradle coordinates) that make an app a web server.
const WEB_DEPS: &[(&str, &str)] = &[
    ("spring-boot-starter-web", "spring-boot"),
    ("spring-boot-starter-webmvc", "spring-boot"),
    ("spring-boot-starter-webflux", "spring-boot"),
    ("spring-cloud-starter-gateway", "spring-boot"),
    ("spring-cloud-config-server", "spring-boot"),
    ("spring-cloud-starter-netflix-eureka-server", "spring-boot"),
    ("spring-boot-admin-starter-server", "spring-boot"),
    ("spring-boot-starter-jersey", "spring-boot"),
    ("quarkus-resteasy", "quarkus"),
    ("quarkus-rest", "quarkus"),
    ("quarkus-vertx-http", "quarkus"),
    ("quarkus-undertow", "quarkus"),
    ("micronaut-http-server", "micronaut"),
    ("ktor-server", "ktor"),
    ("javalin", "javalin"),
    ("dropwizard-core", "dropwizard"),
    ("vertx-web", "vertx"),
    ("helidon-webserver", "helidon"),
];

pub fn scan(ctx: &mut Ctx<'_>, dir: &str, files: &[String]) -> Vec<Cand> {
    let (ports, quarkus_image) = jvm_app_config(ctx, dir);
    let mut out = Vec::new();
    if files.iter().any(|p| file_name(p) == "pom.xml") {
        out.extend(maven(ctx, dir, &quarkus_image));
    }
    let build = ["build.gradle.kts", "build.gradle"]
        .iter()
        .map(|n| join(dir, n))
        .find(|p| files.contains(p));
    let settings = ["settings.gradle.kts", "settings.gradle"]
        .iter()
        .map(|n| join(dir, n))
        .find(|p| files.contains(p));
    if build.is_some() || settings.is_some() {
        out.extend(gradle(
            ctx,
            dir,
            build.as_deref(),
            settings.as_deref(),
            &quarkus_image,
        ));
    }
    for c in &mut out {
        if c.p.role == ProjectRole::Service {
            c.p.ports.extend(ports.iter().copied());
            c.p.web = c.p.web || !ports.is_empty();
        }
    }
    out
}
