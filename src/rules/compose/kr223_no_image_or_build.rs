use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR223",
    name: "compose-service-without-image",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service has neither `image:` nor `build:`",
    what: "Reports a service with no `image:` and no `build:` once overrides, `include:` and `extends:` are applied. Services of a variant file that the main Compose file beside it defines are skipped (the variant only overrides them), as are services whose `extends:` kubeready could not resolve.",
    why: "Compose refuses the project: `service \"worker\" has neither an image nor a build context specified`. Often an override file defines a service that the main file was meant to declare.",
    bad: "# compose.yaml\nservices:\n  worker:\n    command: celery worker\n",
    good: "# compose.yaml\nservices:\n  worker:\n    build: .\n    command: celery worker\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for (project, svc) in super::services(cx.facts) {
            if super::incomplete(cx.facts, project) {
                continue;
            }
            if svc.image.is_some() || svc.build.is_some() || svc.extends.is_some() {
                continue;
            }
            if super::main_of(cx.facts, project)
                .is_some_and(|m| m.services.iter().any(|s| s.name == svc.name))
            {
                continue;
            }
            out.emit(
                Location::new(&svc.file, svc.line),
                format!(
                    "service `{}` has neither `image:` nor `build:`; Compose refuses to start",
                    svc.name
                ),
                super::subject(svc, ""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_service_without_image() {
        let f = findings_of(
            "KR223",
            &[(
                "compose.yaml",
                "services:\n  api:\n    image: acme/api:1\n  worker:\n    command: run\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 4);
    }

    #[test]
    fn clean_with_override_variant_and_extends() {
        let f = findings_of(
            "KR223",
            &[
                (
                    "compose.yaml",
                    "services:\n  api:\n    image: acme/api:1\n  worker:\n    extends: api\n    command: run\n",
                ),
                ("compose.override.yaml", "services:\n  api:\n    ports: [\"8080:80\"]\n"),
                (
                    "docker-compose.prod.yml",
                    "services:\n  api:\n    restart: always\n  proxy:\n    image: nginx:1.27\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
