use super::support::{declare_rule, dockerfiles, final_chain_has, services_of};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR102",
    name: "no-healthcheck",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: true,
    summary: "A service image has no HEALTHCHECK",
    what: "Reports a Dockerfile that builds a detected service and whose final stage (with the stages it is built on) has no `HEALTHCHECK`. Images of no detected service (tools, jobs) are not judged, nor an image whose every Compose service has a `healthcheck` and every Kubernetes container a probe.",
    why: "Docker and Compose only know a container is healthy if it says so: without a health check, `depends_on: condition: service_healthy` cannot work and a hung server looks alive. (Kubernetes uses its own probes; see the KR4xx rules.)",
    bad: "FROM node:20-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    good: "FROM node:20-slim\nCOPY . /app\nHEALTHCHECK CMD node /app/healthcheck.js || exit 1\nCMD [\"node\", \"/app/server.js\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    let health = health_by_component(cx);
    for df in dockerfiles(cx) {
        let services = services_of(cx, df.path());
        let Some(svc) = services.first() else {
            continue;
        };
        let Some(last) = df.final_stage() else {
            continue;
        };
        if final_chain_has(df, &Keyword::Healthcheck)
            || health_checked_where_it_runs(cx, &health, df.path())
        {
            continue;
        }
        // The places that run it without checking its health decided
        // the advice (SPEC 1.2).
        let g = cx.graph;
        let mut unchecked: Vec<String> = g
            .image_defs_for_file(df.path())
            .iter()
            .flat_map(|&d| g.consumers_of(d))
            .filter(|c| c.checks_health == Some(false))
            .map(|c| c.describe())
            .collect();
        unchecked.sort();
        unchecked.dedup();
        let why = match unchecked.len() {
            0 => String::new(),
            1..=3 => format!(" (run without a health check by {})", unchecked.join(", ")),
            n => format!(
                " (run without a health check by {} and {} more)",
                unchecked[..3].join(", "),
                n - 3
            ),
        };
        out.emit(
            df.loc(last.line),
            format!(
                "the image of service `{}` has no `HEALTHCHECK`{why}",
                svc.name
            ),
            format!("FROM {}", last.base_raw),
        );
    }
}

/// Per component: how many places run its image, and whether each checks
/// its health (each Compose service running it has a `healthcheck`, each
/// Kubernetes container running it a probe). One pass over the Compose
/// links and the containers, so the rule stays linear (SPEC 1.2: the
/// advice follows the image to where it runs; a linter asking for both is
/// noise).
fn health_by_component(cx: &Context<'_>) -> std::collections::HashMap<usize, (usize, bool)> {
    let g = cx.graph;
    let mut by: std::collections::HashMap<usize, (usize, bool)> = Default::default();
    let mut note = |c: usize, checked: bool| {
        let e = by.entry(c).or_insert((0, true));
        e.0 += 1;
        e.1 &= checked;
    };
    let by_name = crate::rules::compose::ServicesByName::new(cx.facts);
    for link in &g.compose_links {
        let checked = by_name
            .get(link.project, &link.service)
            .and_then(|s| s.healthcheck.as_ref())
            .is_some_and(|h| !h.disabled);
        for &c in &link.components {
            note(c, checked);
        }
    }
    for obj in cx
        .facts
        .orchestration
        .objects
        .iter()
        .filter(|o| o.is_workload())
    {
        for c in obj.containers.iter().filter(|c| !c.init) {
            let checked = c.readiness_probe || c.liveness_probe;
            for comp in g.components_for_image(&c.image) {
                note(comp, checked);
            }
        }
    }
    by
}

/// Whether the Dockerfile's image runs somewhere and every place checks
/// its health.
fn health_checked_where_it_runs(
    cx: &Context<'_>,
    health: &std::collections::HashMap<usize, (usize, bool)>,
    dockerfile: &str,
) -> bool {
    let g = cx.graph;
    let mut runs = 0;
    for c in g
        .image_defs_for_file(dockerfile)
        .iter()
        .filter_map(|&d| g.image_defs.get(d))
        .flat_map(|d| d.components.iter())
    {
        match health.get(c) {
            Some((n, true)) => runs += n,
            Some((_, false)) => return false,
            None => {}
        }
    }
    runs > 0
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const PKG: &str = "{\"name\":\"api\",\"scripts\":{\"start\":\"node server.js\"},\"dependencies\":{\"express\":\"4\"}}";

    #[test]
    fn flags_service_image_without_healthcheck() {
        let f = findings_of(
            "KR102",
            &[
                ("package.json", PKG),
                ("server.js", ""),
                (
                    "Dockerfile",
                    "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn clean_with_healthcheck_or_no_service() {
        let df = "FROM node:20\nHEALTHCHECK CMD true\nCMD [\"node\", \"server.js\"]\n";
        assert!(findings_of(
            "KR102",
            &[("package.json", PKG), ("server.js", ""), ("Dockerfile", df)]
        )
        .is_empty());
        assert!(findings_of("KR102", &[("Dockerfile", "FROM alpine:3\n")]).is_empty());
    }

    #[test]
    fn clean_when_every_place_it_runs_checks_health() {
        let df = "FROM node:20\nCMD [\"node\", \"server.js\"]\n";
        let checked =
            "services:\n  api:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";
        let unchecked = "services:\n  api:\n    build: .\n";
        let files = |compose| {
            vec![
                ("package.json", PKG),
                ("server.js", ""),
                ("Dockerfile", df),
                ("compose.yaml", compose),
            ]
        };
        assert!(findings_of("KR102", &files(checked)).is_empty());
        let f = findings_of("KR102", &files(unchecked));
        assert_eq!(f.len(), 1);
        // The finding names the consumer that decided it.
        assert!(
            f[0].message
                .contains("run without a health check by Compose service `api` (compose.yaml:2)"),
            "{f:?}"
        );
    }

    #[test]
    fn follows_the_image_to_its_kubernetes_workloads() {
        let df = "FROM node:20\nCMD [\"node\", \"server.js\"]\n";
        let compose = "services:\n  api:\n    build: .\n    image: ghcr.io/acme/api\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";
        let deploy = |probe: &str| {
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0\n{probe}"
            )
        };
        let probed =
            deploy("          readinessProbe:\n            tcpSocket:\n              port: 3000\n");
        let bare = deploy("");
        let files = |k8s: &str| {
            vec![
                ("package.json", PKG.to_string()),
                ("server.js", String::new()),
                ("Dockerfile", df.to_string()),
                ("compose.yaml", compose.to_string()),
                ("k8s/api.yaml", k8s.to_string()),
            ]
        };
        let run = |k8s: &str| {
            let owned = files(k8s);
            let refs: Vec<(&str, &str)> = owned.iter().map(|(p, t)| (*p, t.as_str())).collect();
            findings_of("KR102", &refs)
        };
        // Compose checks its health and the only workload has a probe.
        assert!(run(&probed).is_empty());
        // A workload without probes: reported, naming that workload only.
        let f = run(&bare);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("workload `Deployment api` (k8s/api.yaml:"),
            "{f:?}"
        );
        assert!(!f[0].message.contains("Compose service"), "{f:?}");
    }
}
