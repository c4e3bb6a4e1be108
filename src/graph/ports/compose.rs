//! Port links from the Compose services that run a component: `ports`
//! (container side), `expose`, and a `healthcheck` that calls a local
//! port; and the variables their `environment` sets.

use super::{range, EnvValue, LinkKind, PortLink};
use crate::graph::Graph;
use crate::parse::Facts;

/// Adds the links and variables of the Compose services running
/// component `ci`; `true` when one of them may take variables from
/// elsewhere (an `env_file`).
pub(super) fn links(
    facts: &Facts,
    g: &Graph,
    ci: usize,
    links: &mut Vec<PortLink>,
    env: &mut Vec<(String, EnvValue)>,
) -> bool {
    let mut elsewhere = false;
    for l in g
        .compose_links_of(ci)
        .iter()
        .filter_map(|&i| g.compose_links.get(i))
    {
        let Some(cs) = facts
            .compose
            .get(l.project)
            .and_then(|p| p.services.get(l.service_index))
        else {
            continue;
        };
        elsewhere |= !cs.env_files.is_empty();
        for e in &cs.environment {
            // No value: passed through from the environment, unknown here.
            let v = e.value.as_deref().unwrap_or_default();
            env.push((e.key.clone(), EnvValue::new(v, &e.file, e.line)));
        }
        let how = format!("service `{}`", cs.name);
        for p in &cs.ports {
            if let Some(ports) = range(&p.container) {
                links.push(PortLink {
                    kind: LinkKind::ComposePorts,
                    file: p.file.clone(),
                    line: p.line,
                    ports,
                    how: how.clone(),
                });
            }
        }
        for e in &cs.expose {
            let v = e.value.split('/').next().unwrap_or(&e.value);
            if let Some(ports) = range(v) {
                links.push(PortLink {
                    kind: LinkKind::ComposeExpose,
                    file: e.file.clone(),
                    line: e.line,
                    ports,
                    how: how.clone(),
                });
            }
        }
        let test = cs
            .healthcheck
            .as_ref()
            .filter(|h| !h.disabled)
            .and_then(|h| Some((h, h.test.as_ref()?)));
        if let Some((h, (test, line))) = test {
            if let Some(p) = healthcheck_port(test) {
                links.push(PortLink {
                    kind: LinkKind::ComposeHealthcheck,
                    file: h.file.clone(),
                    line: *line,
                    ports: vec![p],
                    how: how.clone(),
                });
            }
        }
    }
    elsewhere
}

/// The local port a Compose healthcheck calls (`curl -f
/// http://localhost:8080/health`, `wget -qO- 127.0.0.1:3000`, `nc -z
/// localhost 5432` is not read): the one port when exactly one is named.
fn healthcheck_port(test: &str) -> Option<u16> {
    let re = crate::parse::runtime::re!(
        r"(?:^|[\s/@'\x22])(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d{1,5})\b"
    )?;
    let mut ports: Vec<u16> = re
        .captures_iter(test)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .collect();
    ports.sort_unstable();
    ports.dedup();
    match ports.as_slice() {
        [p] if *p > 0 => Some(*p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::healthcheck_port;

    #[test]
    fn healthcheck_ports() {
        assert_eq!(
            healthcheck_port("curl -f http://localhost:8080/health"),
            Some(8080)
        );
        assert_eq!(healthcheck_port("wget -qO- 127.0.0.1:3000"), Some(3000));
        assert_eq!(healthcheck_port("curl -f http://db:5432"), None);
        assert_eq!(healthcheck_port("nc -z localhost 5432"), None);
        // Two ports: which one is the server's is unknown.
        assert_eq!(
            healthcheck_port("curl localhost:80 && curl localhost:81"),
            None
        );
    }
}
