use super::support::{declare_rule, dockerfiles, final_chain_has, services_of};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR111",
    name: "web-service-without-expose",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: true,
    summary: "A web service image does not EXPOSE its port",
    what: "Reports a Dockerfile that builds a detected web service (an HTTP framework or server) whose final stage, including the stages it is built on, has no `EXPOSE`.",
    why: "EXPOSE documents which port the container listens on; `docker run -P`, Compose readers and tools that generate Kubernetes manifests rely on it, and without it the port has to be guessed from the code.",
    bad: "FROM node:20-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    good: "FROM node:20-slim\nCOPY . /app\nEXPOSE 3000\nCMD [\"node\", \"/app/server.js\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let services = services_of(cx, df.path());
        let Some(svc) = services.iter().find(|s| s.web) else {
            continue;
        };
        let Some(last) = df.final_stage() else {
            continue;
        };
        if final_chain_has(df, &Keyword::Expose) {
            continue;
        }
        let port = svc
            .ports
            .first()
            .map(|p| format!(" (it listens on {p})"))
            .unwrap_or_default();
        out.emit(
            df.loc(last.line),
            format!("web service `{}` is built without `EXPOSE`{port}", svc.name),
            format!("FROM {}", last.base_raw),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const PKG: &str = "{\"name\":\"api\",\"scripts\":{\"start\":\"node server.js\"},\"dependencies\":{\"express\":\"4\"}}";

    #[test]
    fn flags_web_service_without_expose() {
        let f = findings_of(
            "KR111",
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
    fn clean_with_expose_or_non_web() {
        let df = "FROM node:20\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
        assert!(findings_of(
            "KR111",
            &[("package.json", PKG), ("server.js", ""), ("Dockerfile", df)]
        )
        .is_empty());
        assert!(findings_of("KR111", &[("Dockerfile", "FROM alpine:3\n")]).is_empty());
    }
}
