use crate::finding::{Location, Severity};
use crate::image_ref::ImageRef;
use crate::parse::k8s::{ImageMention, MentionSource};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR412",
    name: "helm-values-image-latest",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: true,
    summary: "A Helm values file sets an image tag to `latest`",
    what: "Reports image references in a chart's `values*.yaml` whose tag is `latest` (`image: repo:latest`, or `tag: latest` in an `image:` map), without a digest. An empty or absent tag is left alone: charts usually default it to the chart's `appVersion`.",
    why: "`latest` makes the release depend on when it was installed: `helm upgrade` with unchanged values does not roll out a new build, `helm rollback` does not go back to the old code, and two nodes may run different images. Set the tag per release (`--set image.tag=$GIT_SHA`) or default it to `.Chart.AppVersion`.",
    bad: "# chart/values.yaml\nimage:\n  repository: ghcr.io/acme/api\n  tag: latest",
    good: "# chart/values.yaml\nimage:\n  repository: ghcr.io/acme/api\n  tag: \"\"  # defaults to .Chart.AppVersion in the template",
};

/// Mentions from `source` whose tag is literally `latest`.
pub(crate) fn latest_mentions(
    mentions: &[ImageMention],
    source: MentionSource,
) -> impl Iterator<Item = &ImageMention> {
    mentions.iter().filter(move |m| {
        let r = ImageRef::parse(&m.image);
        m.source == source && r.digest.is_none() && r.tag.as_deref() == Some("latest")
    })
}

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for m in latest_mentions(&cx.facts.orchestration.mentions, MentionSource::HelmValues) {
            out.emit(
                Location::new(&m.file, m.line),
                format!("Helm values set image `{}` with the `latest` tag; pin a version or default to the chart's appVersion", m.image),
                format!("{}:{}", m.file, m.image),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const CHART: &str = "apiVersion: v2\nname: api\nversion: 0.1.0\nappVersion: \"1.4\"\n";

    #[test]
    fn flags_latest_tag() {
        let values = "image:\n  repository: ghcr.io/acme/api\n  tag: latest\nworker:\n  image: acme/worker:latest\n";
        let f = findings_of(
            "KR412",
            &[("chart/Chart.yaml", CHART), ("chart/values.yaml", values)],
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("chart/values.yaml", 1)
        );
        assert_eq!(f[0].subject, "chart/values.yaml:ghcr.io/acme/api:latest");
    }

    #[test]
    fn clean_with_pinned_or_empty_tag() {
        let values = "image:\n  repository: ghcr.io/acme/api\n  tag: \"\"\nworker:\n  image: acme/worker:2.1\n";
        let f = findings_of(
            "KR412",
            &[("chart/Chart.yaml", CHART), ("chart/values.yaml", values)],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
