use super::kr412_helm_values_latest::latest_mentions;
use crate::finding::{Location, Severity};
use crate::parse::k8s::MentionSource;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR413",
    name: "kustomize-image-latest",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A Kustomize `images:` override sets `newTag: latest`",
    what: "Reports entries of a `kustomization.yaml`'s `images:` list whose effective tag is `latest` (`newTag: latest`), without a digest. An entry with only `name`/`newName` keeps the manifests' tag and is left alone.",
    why: "The `images:` override is where an overlay pins what it deploys; `latest` there defeats it: `kubectl apply -k` of an unchanged overlay does not roll out a new build, and the overlay's history in git no longer says what ran. `kustomize edit set image api=ghcr.io/acme/api:$GIT_SHA` in CI keeps it exact.",
    bad: "images:\n- name: acme/api\n  newName: ghcr.io/acme/api\n  newTag: latest",
    good: "images:\n- name: acme/api\n  newName: ghcr.io/acme/api\n  newTag: 1.4.2",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for m in latest_mentions(&cx.facts.orchestration.mentions, MentionSource::Kustomize) {
            out.emit(
                Location::new(&m.file, m.line),
                format!("Kustomize sets image `{}` with the `latest` tag; pin a version tag or a digest", m.image),
                format!("{}:{}", m.file, m.image),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    fn kustomization(images: &str) -> String {
        format!("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\nimages:\n{images}")
    }

    #[test]
    fn flags_new_tag_latest() {
        let k = kustomization("- name: acme/api\n  newName: ghcr.io/acme/api\n  newTag: latest\n");
        let f = findings_of("KR413", &[("overlays/prod/kustomization.yaml", &k)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 5);
        assert!(f[0].message.contains("ghcr.io/acme/api:latest"));
    }

    #[test]
    fn clean_with_pinned_or_name_only() {
        let k = kustomization("- name: acme/api\n  newTag: \"1.4\"\n- name: redis\n  digest: sha256:deadbeef\n- name: nginx\n");
        assert!(findings_of("KR413", &[("overlays/prod/kustomization.yaml", &k)]).is_empty());
    }
}
