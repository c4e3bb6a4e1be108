use super::support::{declare_rule, dockerfiles, emit, expand, flag};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3026",
    name: "untrusted-registry",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "Use only trusted registries for base images",
    what: "When trusted registries are configured (`trustedRegistries` in `.hadolint.yaml`), reports a `FROM` image or `COPY --from` image from any other registry. Entries may use `*` as a prefix or suffix wildcard (`*.gcr.io`) and may name a path within a registry (`ghcr.io/acme` trusts `ghcr.io/acme/*` only); images without a registry are Docker Hub (`docker.io`). The kubeready config's `trusted-registries` replaces hadolint's when set. Without configuration nothing is reported.",
    why: "Platform teams restrict where images come from so that every base image is scanned and mirrored; an image from elsewhere bypasses that supply-chain control.",
    bad: "# .hadolint.yaml: trustedRegistries: [registry.example.com]\nFROM docker.io/library/node:20\n",
    good: "# .hadolint.yaml: trustedRegistries: [registry.example.com]\nFROM registry.example.com/node:20\n",
};

declare_rule!();

fn matches(allow: &str, registry: &str) -> bool {
    if allow == "*" {
        return true;
    }
    if let Some(suffix) = allow.strip_prefix('*') {
        return registry.ends_with(suffix);
    }
    if let Some(prefix) = allow.strip_suffix('*') {
        return registry.starts_with(prefix);
    }
    allow == registry
}

fn allowed(trusted: &[String], image: &str) -> bool {
    let r = ImageRef::parse(image);
    if r.has_variables()
        || r.tag_has_variables()
        || (r.registry.is_none() && r.repository == "scratch")
    {
        return true;
    }
    let registries: Vec<&str> = match &r.registry {
        Some(reg) => vec![reg.as_str()],
        None => vec!["docker.io", "hub.docker.com"],
    };
    trusted.iter().any(|t| {
        match t.split_once('/') {
            // `ghcr.io/acme` trusts the images under that path.
            Some((reg, path)) => {
                registries.iter().any(|r2| matches(reg, r2)) && {
                    let name = if r.registry.is_none() && !r.repository.contains('/') {
                        format!("library/{}", r.repository)
                    } else {
                        r.repository.clone()
                    };
                    name == path || name.starts_with(&format!("{}/", path.trim_end_matches('/')))
                }
            }
            None => registries.iter().any(|r2| matches(t, r2)),
        }
    })
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let Some(cfg) = cx.hadolint else {
            continue;
        };
        let trusted = &cfg.trusted_registries;
        if trusted.is_empty() {
            continue;
        }
        for st in &df.stages {
            if st.base_is_image() && !allowed(trusted, &st.base) {
                out.emit(
                    df.loc(st.line),
                    format!("base image `{}` is not from a trusted registry", st.base),
                    format!("FROM {}", st.base_raw),
                );
            }
        }
        for inst in df.insts() {
            if *inst.keyword() != Keyword::Copy {
                continue;
            }
            let Some(from) = flag(inst.ins, "from") else {
                continue;
            };
            let from = expand(from, &df.vars_at(inst.index));
            if df.is_stage_name(&from) || from.parse::<usize>().is_ok() {
                continue;
            }
            if !allowed(trusted, &from) {
                emit(
                    out,
                    df,
                    inst,
                    format!("`--from={from}` is not from a trusted registry"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str =
        "trustedRegistries:\n  - registry.example.com\n  - '*.gcr.io'\n  - ghcr.io/acme\n";

    #[test]
    fn flags_untrusted_registry() {
        let f = findings_of(
            "DL3026",
            &[
                (".hadolint.yaml", CFG),
                ("Dockerfile", "FROM node:20\nFROM quay.io/x/y:1\n"),
            ],
        );
        assert_eq!(f.len(), 2, "{f:?}");
    }

    #[test]
    fn clean_on_trusted_or_unconfigured() {
        let df = "FROM registry.example.com/node:20 AS b\nFROM eu.gcr.io/p/x:1\nCOPY --from=b /a /a\nFROM scratch\nFROM ghcr.io/acme/api:1\n";
        assert!(findings_of("DL3026", &[(".hadolint.yaml", CFG), ("Dockerfile", df)]).is_empty());
        assert!(findings_of("DL3026", &[("Dockerfile", "FROM quay.io/x/y:1\n")]).is_empty());
    }

    #[test]
    fn docker_hub_is_one_registry_however_spelled() {
        let cfg = "trustedRegistries:\n  - docker.io/library\n";
        let df = "FROM node:20\nFROM docker.io/library/node:20\nFROM index.docker.io/library/node:20\nFROM registry-1.docker.io/node:20\n";
        assert!(findings_of("DL3026", &[(".hadolint.yaml", cfg), ("Dockerfile", df)]).is_empty());
        let f = findings_of(
            "DL3026",
            &[
                (".hadolint.yaml", cfg),
                ("Dockerfile", "FROM docker.io/acme/x:1\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn trusted_registries_come_from_the_rule_context() {
        use crate::config::hadolint::HadolintConfig;
        use crate::rules::{Context, Sink};
        let facts = crate::parse::Facts {
            dockerfiles: vec![crate::parse::dockerfile::parse(
                "Dockerfile",
                "FROM quay.io/x/y:1\nFROM registry.example.com/z:1\n",
                &mut Vec::new(),
            )],
            ..Default::default()
        };
        let graph = crate::graph::build_graph(&facts, Vec::new());
        let cfg = HadolintConfig {
            trusted_registries: vec!["registry.example.com".into()],
            ..Default::default()
        };
        let run = |hadolint: Option<&HadolintConfig>| {
            let mut findings = Vec::new();
            let mut sink = Sink {
                doc: &super::DOC,
                findings: &mut findings,
            };
            super::check(
                &Context::new(&facts, &graph).with_hadolint(hadolint),
                &mut sink,
            );
            findings
        };
        let f = run(Some(&cfg));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 1);
        assert!(run(None).is_empty());
    }
}
