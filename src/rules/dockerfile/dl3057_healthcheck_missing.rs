use super::support::{declare_rule, dockerfiles};
use crate::finding::Severity;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3057",
    name: "healthcheck-missing",
    severity: Severity::Info,
    enabled_by_default: false,
    hardening: false,
    summary: "HEALTHCHECK instruction missing",
    what: "Reports a stage that has no `HEALTHCHECK`, neither its own nor one inherited from an earlier stage it is built on. Off by default, like hadolint; enable it in the config or with a `.hadolint.yaml` override. KR102 is the service-aware version that is on by default.",
    why: "Without a health check Docker and Compose only know whether the process is alive, not whether it serves; `depends_on: condition: service_healthy` cannot work.",
    bad: "FROM nginx:1.27\n",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let mut has = vec![false; df.stages.len()];
        for (i, st) in df.stages.iter().enumerate() {
            let own = df
                .stage_insts(i)
                .iter()
                .any(|x| *x.keyword() == Keyword::Healthcheck);
            let inherited = st.parent.and_then(|p| has.get(p).copied()).unwrap_or(false);
            if let Some(h) = has.get_mut(i) {
                *h = own || inherited;
            }
        }
        // A stage is fine when it, or a later stage built on it, has one.
        for (i, st) in df.stages.iter().enumerate() {
            let good = has.get(i).copied().unwrap_or(false)
                || df
                    .stages
                    .iter()
                    .enumerate()
                    .any(|(j, s)| s.parent == Some(i) && has.get(j).copied().unwrap_or(false));
            if !good {
                out.emit(
                    df.loc(st.line),
                    "this stage has no `HEALTHCHECK`",
                    format!("FROM {}", st.base_raw),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::{Audit, AuditOptions};

    fn run(files: &[(&str, &str)]) -> usize {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            std::fs::write(dir.path().join(p), t).unwrap();
        }
        let a = Audit::run(dir.path(), &AuditOptions::default());
        a.report
            .findings
            .iter()
            .filter(|f| f.code == "DL3057")
            .count()
    }

    const ON: &str = "override:\n  info:\n    - DL3057\n";

    #[test]
    fn flags_when_enabled_by_override() {
        assert_eq!(
            run(&[("Dockerfile", "FROM nginx:1\n"), (".hadolint.yaml", ON)]),
            1
        );
    }

    #[test]
    fn off_by_default_and_clean_with_healthcheck() {
        assert_eq!(run(&[("Dockerfile", "FROM nginx:1\n")]), 0);
        let df = "FROM nginx:1\nHEALTHCHECK CMD true\n";
        assert_eq!(run(&[("Dockerfile", df), (".hadolint.yaml", ON)]), 0);
    }
}
