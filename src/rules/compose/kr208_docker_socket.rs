use crate::finding::{Location, Severity};
use crate::parse::compose::MountKind;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR208",
    name: "compose-docker-socket-mounted",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service mounts the Docker socket",
    what: "Reports a bind mount of the Docker daemon's socket (`/var/run/docker.sock`, `/run/docker.sock`, or the Windows named pipe) into a service, read-only or not.",
    why: "Whoever can talk to the Docker socket can start a privileged container with the host's filesystem mounted: the service is root on the host. Read-only mounts do not help (`:ro` applies to the socket file, not to the API). Tools that need it (Traefik, Watchtower, CI runners) are better fed through a socket proxy that allows only the calls they make; and Kubernetes nodes often have no Docker socket at all.",
    bad: "# compose.yaml\nservices:\n  proxy:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n",
    good: "# compose.yaml\nservices:\n  socket-proxy:\n    image: tecnativa/docker-socket-proxy:0.2\n    environment: [CONTAINERS=1]\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n  proxy:\n    image: traefik:v3.1\n    command: --providers.docker.endpoint=tcp://socket-proxy:2375\n",
};

/// Whether a host path is the Docker daemon's socket.
fn is_docker_socket(source: &str) -> bool {
    let s = source.trim_start_matches('/');
    matches!(s, "var/run/docker.sock" | "run/docker.sock")
        || source.ends_with("/.docker/run/docker.sock")
        || source.contains("pipe\\docker_engine")
        || source.contains("pipe/docker_engine")
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (_, svc) in super::services(cx.facts) {
            for m in &svc.volumes {
                let Some(source) = &m.source else { continue };
                if m.kind != MountKind::Bind || !is_docker_socket(source) {
                    continue;
                }
                // The socket proxy pattern is the recommended fix: a
                // service whose only job is to guard the socket.
                if svc
                    .image
                    .as_ref()
                    .is_some_and(|i| i.value.contains("socket-proxy"))
                {
                    continue;
                }
                out.emit(
                    Location::new(&m.file, m.line),
                    format!(
                        "service `{}` mounts the Docker socket `{source}`: it can control the Docker daemon and so the host{}",
                        svc.name,
                        if m.read_only { " (`:ro` does not restrict the API)" } else { "" }
                    ),
                    super::subject(svc, &format!("volumes.{}", m.target)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_socket_mounts() {
        let f = findings_of(
            "KR208",
            &[(
                "compose.yaml",
                "services:\n  proxy:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - type: bind\n        source: /run/docker.sock\n        target: /sock\n",
            )],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains(":ro"));
        assert_eq!(f[1].location.line, 6);
    }

    #[test]
    fn clean_with_other_mounts_and_socket_proxy() {
        let f = findings_of(
            "KR208",
            &[(
                "compose.yaml",
                "services:\n  app:\n    image: acme/app:1\n    volumes:\n      - ./src:/app\n      - data:/var/lib/app\n  guard:\n    image: tecnativa/docker-socket-proxy:0.2\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\nvolumes:\n  data: {}\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
