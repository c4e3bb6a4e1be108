use crate::finding::{Location, Severity};
use crate::parse::compose::PortMapping;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR213",
    name: "compose-host-port-clash",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Two Compose services publish the same host port",
    what: "Reports a published port whose host port (or range), protocol and host address overlap a port another service of the same project publishes, when both services can run together (services whose profile sets do not overlap never start together). An address of `0.0.0.0`, `::` or none overlaps every address.",
    why: "Only one container can bind a host port: the second service fails with `Bind for 0.0.0.0:8080 failed: port is already allocated`, and `docker compose up` stops part-way.",
    bad: "# compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n  api:\n    build: .\n    ports: [\"8080:8080\"]\n",
    good: "# compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n  api:\n    build: .\n    ports: [\"8081:8080\"]\n",
};

/// A host port binding: address (None = all), ports, protocol.
struct Binding<'a> {
    ip: Option<&'a str>,
    range: (u32, u32),
    protocol: &'a str,
}

fn binding(p: &PortMapping) -> Option<Binding<'_>> {
    let host = p.host.as_deref()?;
    let range = match host.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let n: u32 = host.trim().parse().ok()?;
            (n, n)
        }
    };
    if range.0 == 0 || range.0 > range.1 {
        return None;
    }
    let ip = p
        .host_ip
        .as_deref()
        .map(|ip| ip.trim_matches(|c| c == '[' || c == ']'))
        .filter(|ip| !matches!(*ip, "" | "0.0.0.0" | "::"));
    Some(Binding {
        ip,
        range,
        protocol: p.protocol.as_deref().unwrap_or("tcp"),
    })
}

fn overlap(a: &Binding<'_>, b: &Binding<'_>) -> bool {
    a.protocol.eq_ignore_ascii_case(b.protocol)
        && a.range.0 <= b.range.1
        && b.range.0 <= a.range.1
        && (a.ip.is_none() || b.ip.is_none() || a.ip == b.ip)
}

fn show(b: &Binding<'_>) -> String {
    let ports = if b.range.0 == b.range.1 {
        b.range.0.to_string()
    } else {
        format!("{}-{}", b.range.0, b.range.1)
    };
    format!("{}:{ports}/{}", b.ip.unwrap_or("0.0.0.0"), b.protocol)
}

/// The services of a project by the host ports they publish, so a clash
/// is a lookup instead of a comparison of every pair of services.
struct PortOwners {
    by_port: std::collections::HashMap<u32, Vec<usize>>,
    /// Services publishing ranges too wide to list port by port.
    wide: Vec<usize>,
}

/// Ranges up to this many ports are indexed port by port.
const MAX_INDEXED_RANGE: u32 = 1024;

impl PortOwners {
    fn new(services: &[crate::parse::compose::ComposeService]) -> PortOwners {
        let mut owners = PortOwners {
            by_port: Default::default(),
            wide: Vec::new(),
        };
        for (i, s) in services.iter().enumerate() {
            for b in s.ports.iter().filter_map(binding) {
                if b.range.1 - b.range.0 >= MAX_INDEXED_RANGE {
                    owners.wide.push(i);
                    continue;
                }
                for port in b.range.0..=b.range.1 {
                    owners.by_port.entry(port).or_default().push(i);
                }
            }
        }
        owners
    }

    /// Services that may publish a port of `b`, sorted; `None` when `b`
    /// is too wide to look up port by port (then every service may).
    fn candidates(&self, b: &Binding<'_>) -> Option<Vec<usize>> {
        if b.range.1 - b.range.0 >= MAX_INDEXED_RANGE {
            return None;
        }
        let mut out: Vec<usize> = (b.range.0..=b.range.1)
            .filter_map(|p| self.by_port.get(&p))
            .flatten()
            .chain(&self.wide)
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        Some(out)
    }
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for project in &cx.facts.compose {
            let services = &project.services;
            let owners = PortOwners::new(services);
            for (j, svc) in services.iter().enumerate() {
                for (pj, port) in svc.ports.iter().enumerate() {
                    let Some(b) = binding(port) else { continue };
                    let earlier_self = svc.ports[..pj]
                        .iter()
                        .filter(|o| **o != *port)
                        .filter_map(binding)
                        .any(|o| overlap(&o, &b));
                    let candidates = match owners.candidates(&b) {
                        Some(c) => c,
                        None => (0..j).collect(),
                    };
                    let earlier = candidates
                        .into_iter()
                        .take_while(|o| *o < j)
                        .filter_map(|o| services.get(o))
                        .filter(|o| super::can_run_together(o, svc))
                        .find(|o| {
                            o.ports
                                .iter()
                                .filter_map(binding)
                                .any(|ob| overlap(&ob, &b))
                        });
                    let other = match (earlier, earlier_self) {
                        (Some(o), _) => format!("service `{}`", o.name),
                        (None, true) => "another of its ports".to_string(),
                        (None, false) => continue,
                    };
                    out.emit(
                        Location::new(&port.file, port.line),
                        format!(
                            "service `{}` publishes host port {}, already published by {other}; the second bind fails",
                            svc.name,
                            show(&b)
                        ),
                        super::subject(svc, &format!("ports.{}", show(&b))),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_clash_across_services_and_ranges() {
        let f = findings_of(
            "KR213",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n    ports:\n      - \"8080:8080\"\n  web:\n    image: nginx:1.27\n    ports:\n      - \"127.0.0.1:8079-8081:80\"\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 9);
        assert!(f[0].message.contains("`api`"));
    }

    #[test]
    fn clean_with_distinct_ports_protocols_addresses_profiles() {
        let f = findings_of(
            "KR213",
            &[(
                "compose.yaml",
                "services:\n  a:\n    image: acme/a:1\n    ports: [\"8080:80\", \"53:53/udp\", \"127.0.0.1:9000:9000\"]\n  b:\n    image: acme/b:1\n    ports: [\"8081:80\", \"53:53/tcp\", \"127.0.0.2:9000:9000\", \"80\"]\n  c:\n    image: acme/c:1\n    profiles: [x]\n    ports: [\"7000:7000\"]\n  d:\n    image: acme/d:1\n    profiles: [y]\n    ports: [\"7000:7000\"]\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
