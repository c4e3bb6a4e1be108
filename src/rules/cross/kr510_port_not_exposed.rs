use crate::finding::{Location, Severity};
use crate::parse::dockerfile::{DockerfileFile, Keyword, Stage};
use crate::rules::{Context, RuleDoc, Sink};

use super::StageVars;

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR510",
    name: "compose-port-not-exposed",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service forwards only to container ports its Dockerfile does not `EXPOSE`",
    what: "For services whose listening port is not found in their code (those are judged end to end by `KR511`), reports the `ports:` of a Compose service built from a Dockerfile when none of their container ports is among the ports the Dockerfile's target stage (`build.target`, else the last stage, with the stages it builds `FROM`) `EXPOSE`s, and it exposes at least one. When one forwarded port matches, the others are taken as extras (a debugger, metrics) and not reported. `ARG` and `ENV` values are resolved with Compose `build.args`; a Dockerfile whose `EXPOSE` cannot be resolved, or that exposes nothing, is skipped.",
    why: "A mismatch usually means the application listens on one port while Compose forwards another (`8080:80` against `EXPOSE 8080`): the service starts but every request gets `connection reset`. The same mismatch then reaches the Kubernetes Service's `targetPort`.",
    bad: "# Dockerfile: EXPOSE 8080\n# compose.yaml\nservices:\n  api:\n    build: .\n    ports: [\"8080:80\"]\n",
    good: "# Dockerfile: EXPOSE 8080\n# compose.yaml\nservices:\n  api:\n    build: .\n    ports: [\"8080:8080\"]\n",
};

/// `(port, protocol)` ranges a stage exposes; `None` when one of them
/// cannot be resolved.
fn exposed(
    df: &DockerfileFile,
    target: Option<&str>,
    args: &[(String, String)],
) -> Option<Vec<(u32, u32, String)>> {
    let stages = df.dockerfile.stages();
    let mut stage: &Stage = match target {
        Some(t) => stages
            .iter()
            .find(|s| s.name.as_deref() == Some(&t.to_ascii_lowercase()))?,
        None => stages.last()?,
    };
    let mut out = Vec::new();
    let mut hops = 0;
    loop {
        let range = stage.instructions.clone();
        for (i, ins) in df
            .dockerfile
            .instructions
            .iter()
            .enumerate()
            .take(range.end)
            .skip(range.start)
        {
            if ins.keyword != Keyword::Expose {
                continue;
            }
            let vars = StageVars::at(df, stage, i, args);
            for w in ins.words() {
                let w = vars.expand(&w)?;
                for piece in w.split_whitespace() {
                    let (ports, proto) = match piece.split_once('/') {
                        Some((p, pr)) => (p, pr.to_ascii_lowercase()),
                        None => (piece, "tcp".to_string()),
                    };
                    let (a, z) = parse_range(ports)?;
                    out.push((a, z, proto));
                }
            }
        }
        // A stage built FROM an earlier stage inherits its EXPOSEs.
        let base = stage.base.to_ascii_lowercase();
        match stages[..stage.index]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(base.as_str()))
        {
            Some(s) if hops < 16 => {
                stage = s;
                hops += 1;
            }
            _ => break,
        }
    }
    Some(out)
}

fn parse_range(s: &str) -> Option<(u32, u32)> {
    match s.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let n = s.trim().parse().ok()?;
            Some((n, n))
        }
    }
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        // Services whose listening port is known: KR511 judges their whole
        // chain, EXPOSE and Compose ports included.
        let chained: std::collections::BTreeSet<String> = cx
            .graph
            .port_chains
            .iter()
            .map(|c| c.service.clone())
            .collect();
        for (pi, project) in cx.facts.compose.iter().enumerate() {
            for svc in &project.services {
                let covered = cx
                    .graph
                    .compose_links
                    .iter()
                    .filter(|l| l.project == pi && l.service == svc.name)
                    .flat_map(|l| l.components.iter())
                    .filter_map(|c| cx.graph.components.get(*c)?.service)
                    .filter_map(|s| cx.graph.services.get(s))
                    .any(|s| chained.contains(&s.path));
                if covered {
                    continue;
                }
                let Some(b) = &svc.build else { continue };
                if b.remote || b.dockerfile_inline || svc.ports.is_empty() {
                    continue;
                }
                let path = b.dockerfile_path();
                let Some(df) = cx.facts.dockerfile(&path) else {
                    continue;
                };
                let Some(ports) = exposed(df, b.target.as_deref(), &b.args) else {
                    continue;
                };
                if ports.is_empty() {
                    continue;
                }
                // (mapping, protocol, whether the Dockerfile exposes it)
                let judged: Vec<(&crate::parse::compose::PortMapping, String, bool)> = svc
                    .ports
                    .iter()
                    .filter_map(|p| {
                        let (lo, hi) = parse_range(&p.container)?;
                        let proto = p.protocol.as_deref().unwrap_or("tcp").to_ascii_lowercase();
                        let hit = ports
                            .iter()
                            .any(|(a, z, pr)| *pr == proto && *a <= hi && lo <= *z);
                        Some((p, proto, hit))
                    })
                    .collect();
                // One forwarded port that the image exposes: the others are
                // extra (a debugger, metrics), not a mismatch.
                if judged.iter().any(|(_, _, hit)| *hit) {
                    continue;
                }
                for (p, proto, _) in judged {
                    let mut list: Vec<String> = ports
                        .iter()
                        .map(|(a, z, pr)| {
                            let n = if a == z {
                                a.to_string()
                            } else {
                                format!("{a}-{z}")
                            };
                            if pr == "tcp" {
                                n
                            } else {
                                format!("{n}/{pr}")
                            }
                        })
                        .collect();
                    list.dedup();
                    out.emit(
                        Location::new(&p.file, p.line),
                        format!(
                            "service `{}` forwards to container port {}{}, but `{path}` only EXPOSEs {}; check which port the application listens on",
                            svc.name,
                            p.container,
                            if proto == "tcp" { String::new() } else { format!("/{proto}") },
                            list.join(", ")
                        ),
                        format!("services.{}.ports.{}", svc.name, p.container),
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
    fn flags_port_the_dockerfile_does_not_expose() {
        let f = findings_of(
            "KR510",
            &[
                ("compose.yaml", "services:\n  api:\n    build: .\n    ports:\n      - \"8080:80\"\n      - \"9091:9091/udp\"\n  debug:\n    build: .\n    ports: [\"80:8080\", \"9229:9229\"]\n"),
                ("Dockerfile", "FROM node:20 AS base\nEXPOSE 9090\nFROM base\nARG PORT=8080\nEXPOSE ${PORT}\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("container port 80,"), "{f:?}");
        assert!(f[0].message.contains("only EXPOSEs 8080, 9090"), "{f:?}");
        assert_eq!(f[1].location.line, 6);
        assert!(f[1].message.contains("9091/udp"), "{f:?}");
    }

    #[test]
    fn clean_when_exposed_unknown_or_none() {
        let f = findings_of(
            "KR510",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    build:\n      context: .\n      args:\n        PORT: \"3000\"\n    ports: [\"80:3000\"]\n  web:\n    build: ./web\n    ports: [\"80:80\"]\n  dyn:\n    build: ./dyn\n    ports: [\"81:81\"]\n",
                ),
                ("Dockerfile", "FROM node:20\nARG PORT=8080\nEXPOSE $PORT\n"),
                ("web/Dockerfile", "FROM nginx:1.27\n"),
                ("dyn/Dockerfile", "FROM nginx:1.27\nARG P\nEXPOSE $P\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
