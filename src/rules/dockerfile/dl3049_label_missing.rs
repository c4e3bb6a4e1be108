use super::support::{declare_rule, dockerfiles, flag, Df};
use crate::config::hadolint::{HadolintConfig, LabelType};
use crate::finding::Severity;
use crate::parse::dockerfile::{Args, Keyword};
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "DL3049",
    name: "label-missing",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "A label required by the label schema is missing",
    what: "With a `label-schema` in `.hadolint.yaml`, reports each stage that defines none of a schema label, neither itself nor through the earlier stage it is built on. Stages only used as `COPY --from` sources are not judged. Without a schema nothing is reported.",
    why: "Teams use required labels (owner, source, version) to trace images in registries and clusters back to code and people.",
    bad: "# .hadolint.yaml: label-schema: {maintainer: text}\nFROM alpine:3.20\n",
    good: "# .hadolint.yaml: label-schema: {maintainer: text}\nFROM alpine:3.20\nLABEL maintainer=\"team-payments\"\n",
};

declare_rule!();

/// Labels of a schema type, with their values, per instruction.
pub fn schema_labels<'a>(
    hadolint: Option<&HadolintConfig>,
    df: &'a Df<'a>,
    ty: LabelType,
) -> Vec<(super::support::Inst<'a>, String, String)> {
    let Some(cfg) = hadolint else {
        return Vec::new();
    };
    let keys: Vec<&str> = cfg
        .label_schema
        .iter()
        .filter(|(_, t)| *t == ty)
        .map(|(k, _)| k.as_str())
        .collect();
    let mut out = Vec::new();
    for inst in df.insts() {
        if let (Keyword::Label, Args::KeyValues(kvs)) = (inst.keyword(), &inst.ins.args) {
            for kv in kvs {
                if keys.contains(&kv.key.as_str()) {
                    out.push((*inst, kv.key.clone(), kv.value.clone().unwrap_or_default()));
                }
            }
        }
    }
    out
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        let Some(cfg) = cx.hadolint else {
            continue;
        };
        let copied: Vec<String> = df
            .insts()
            .iter()
            .filter_map(|i| flag(i.ins, "from").map(str::to_ascii_lowercase))
            .collect();
        for (label, _) in &cfg.label_schema {
            let mut has = vec![false; df.stages.len()];
            for (i, st) in df.stages.iter().enumerate() {
                let own = df
                    .stage_insts(i)
                    .iter()
                    .any(|x| match (&x.ins.keyword, &x.ins.args) {
                        (Keyword::Label, Args::KeyValues(kvs)) => {
                            kvs.iter().any(|k| &k.key == label)
                        }
                        _ => false,
                    });
                let inherited = st.parent.and_then(|p| has.get(p).copied()).unwrap_or(false);
                if let Some(h) = has.get_mut(i) {
                    *h = own || inherited;
                }
                let only_copied = st.name.as_ref().is_some_and(|n| copied.contains(n));
                if !own && !inherited && !only_copied {
                    out.emit(
                        df.loc(st.line),
                        format!("label `{label}` is missing"),
                        format!("FROM {} label {label}", st.base_raw),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;
    const CFG: &str = "label-schema:\n  maintainer: text\n";

    #[test]
    fn flags_missing_schema_label() {
        assert_eq!(
            findings_of(
                "DL3049",
                &[(".hadolint.yaml", CFG), ("Dockerfile", "FROM a:1\n")]
            )
            .len(),
            1
        );
    }

    #[test]
    fn clean_with_label_or_without_schema() {
        let df = "FROM a:1 AS base\nLABEL maintainer=me\nFROM base\n";
        assert!(findings_of("DL3049", &[(".hadolint.yaml", CFG), ("Dockerfile", df)]).is_empty());
        assert!(findings_of("DL3049", &[("Dockerfile", "FROM a:1\n")]).is_empty());
    }
}
