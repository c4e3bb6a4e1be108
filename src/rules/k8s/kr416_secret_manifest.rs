use super::object_key;
use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR416",
    name: "k8s-secret-in-repo",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A `kind: Secret` manifest is committed to the repository",
    what: "Reports `v1` objects of `kind: Secret` in the repo's manifests (Helm templates, read as text, are not judged). SealedSecrets, ExternalSecrets and SOPS-encrypted files are different kinds and are not reported. The Secret's data is not read or printed.",
    why: "A Secret's `data` is base64, not encryption: anyone who can read the repo can read it, and it stays in git history after it is removed. Commit a SealedSecret or an ExternalSecret (or encrypt with SOPS) and let the cluster produce the Secret.",
    bad: "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata:\n  password: cG9zdGdyZXM=",
    good: "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: db}\nspec:\n  secretStoreRef: {name: vault, kind: ClusterSecretStore}\n  target: {name: db}\n  data:\n  - secretKey: password\n    remoteRef: {key: prod/db, property: password}",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for o in cx
            .facts
            .orchestration
            .objects
            .iter()
            .filter(|o| o.kind == "Secret" && o.api_version == "v1")
        {
            out.emit(
                Location::new(&o.file, o.line),
                format!(
                    "Secret `{}` is committed as a manifest (base64 is not encryption); use a SealedSecret, an ExternalSecret or SOPS",
                    o.name
                ),
                object_key(o),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_secret_without_printing_data() {
        let s = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\ndata:\n  password: cG9zdGdyZXM=\n";
        let f = findings_of("KR416", &[("k8s/secret.yaml", s)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.line, f[0].subject.as_str()),
            (2, "Secret/shop/db")
        );
        assert!(!f[0].message.contains("cG9zd"));
    }

    #[test]
    fn clean_with_sealed_secret() {
        let s = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK\n";
        assert!(findings_of("KR416", &[("k8s/secret.yaml", s)]).is_empty());
    }
}
