//! Spring, Quarkus and Micronaut application configuration (ports and the
//! Quarkus container image), read beside a Maven or Gradle build.

use super::*;

/// Ports from Spring/Quarkus/Micronaut `application.properties` and
/// `application.yml`, plus the Quarkus container image name.
pub(super) fn jvm_app_config(ctx: &Ctx<'_>, dir: &str) -> (Vec<u16>, Option<String>) {
    let mut ports = Vec::new();
    let mut quarkus_image: Option<String> = None;
    let (mut q_group, mut q_name) = (None, None);
    let res = join(dir, "src/main/resources");
    if let Some(text) = ctx.read_quiet(&join(&res, "application.properties")) {
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with('#') || l.starts_with('!') {
                continue;
            }
            let Some((k, v)) = l.split_once(['=', ':']) else {
                continue;
            };
            let k = k.trim();
            let v = v.trim();
            match k {
                "server.port" | "quarkus.http.port" | "micronaut.server.port" => {
                    ports.extend(port_value(v))
                }
                "quarkus.container-image.image" => quarkus_image = Some(v.to_string()),
                "quarkus.container-image.group" => q_group = Some(v.to_string()),
                "quarkus.container-image.name" => q_name = Some(v.to_string()),
                _ => {}
            }
        }
    }
    for name in ["application.yml", "application.yaml"] {
        let Some(text) = ctx.read_quiet(&join(&res, name)) else {
            continue;
        };
        let mut top = String::new();
        for line in text.lines() {
            if line.trim_start().starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let l = line.trim();
            if indent == 0 {
                top = l.split(':').next().unwrap_or("").trim().to_string();
                if let Some(v) = l.strip_prefix("server.port:") {
                    ports.extend(port_value(v));
                }
                continue;
            }
            if (top == "server" || top == "micronaut") && l.starts_with("port:") {
                ports.extend(port_value(l.trim_start_matches("port:")));
            }
        }
    }
    if quarkus_image.is_none() {
        if let Some(n) = q_name {
            quarkus_image = Some(match q_group {
                Some(g) if !g.is_empty() => format!("{g}/{n}"),
                _ => n,
            });
        }
    }
    (ports, quarkus_image)
}
