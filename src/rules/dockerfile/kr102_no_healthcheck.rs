use super::support::{declare_rule, dockerfiles, final_chain_has, services_of};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR102",
    name: "no-healthcheck",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "A service image has no HEALTHCHECK",
    what: "Reports a Dockerfile that builds a detected service and whose final stage (with the stages it is built on) has no `HEALTHCHECK`. Images of no detected service (tools, jobs) are not judged.",
    why: "Docker and Compose only know a container is healthy if it says so: without a health check, `depends_on: condition: service_healthy` cannot work and a hung server looks alive. (Kubernetes uses its own probes; see the KR4xx rules.)",
    bad: "FROM node:20-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    good: "FROM node:20-slim\nCOPY . /app\nHEALTHCHECK CMD node /app/healthcheck.js || exit 1\nCMD [\"node\", \"/app/server.js\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let services = services_of(cx, df.path());
        let Some(svc) = services.first() else {
            continue;
        };
        let Some(last) = df.final_stage() else {
            continue;
        };
        if final_chain_has(df, &Keyword::Healthcheck) {
            continue;
        }
        out.emit(
            df.loc(last.line),
            format!("the image of service `{}` has no `HEALTHCHECK`", svc.name),
            format!("FROM {}", last.base_raw),
        );
    }
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
}
