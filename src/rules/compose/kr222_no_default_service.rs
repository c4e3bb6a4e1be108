use crate::finding::{Location, Severity};
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR222",
    name: "compose-no-default-service",
    severity: Severity::Info,
    enabled_by_default: true,
    hardening: false,
    summary: "Every service of a Compose project is behind a profile",
    what: "Reports a Compose project in which every service lists `profiles:`, so a plain `docker compose up` starts nothing.",
    why: "Newcomers and tooling (CI jobs, devcontainers, kubeready's own checklist) run `docker compose up` and get `no service selected`. Leaving the core services without a profile, or documenting the profile to use (`COMPOSE_PROFILES` in `.env`), makes the default useful.",
    bad: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n    profiles: [app]\n  db:\n    image: postgres:16\n    profiles: [app]\n",
    good: "# compose.yaml\nservices:\n  api:\n    image: acme/api:1.0\n  db:\n    image: postgres:16\n  adminer:\n    image: adminer:4\n    profiles: [tools]\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        for project in cx.facts.compose.iter().filter(|p| !p.variant) {
            if project.services.is_empty() || project.services.iter().any(|s| s.profiles.is_empty())
            {
                continue;
            }
            let Some(first) = project
                .services
                .iter()
                .filter(|s| s.file == project.file)
                .min_by_key(|s| s.line)
            else {
                continue;
            };
            let mut profiles: Vec<&str> = project
                .services
                .iter()
                .flat_map(|s| s.profiles.iter().map(String::as_str))
                .collect();
            profiles.sort_unstable();
            profiles.dedup();
            out.emit(
                Location::new(&first.file, first.line),
                format!(
                    "every service has a profile ({}), so `docker compose up` starts nothing; leave the core services without one or set `COMPOSE_PROFILES`",
                    profiles.join(", ")
                ),
                "services",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_all_profiled() {
        let f = findings_of(
            "KR222",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    profiles: [dev]\n  api:\n    image: acme/api:1\n    profiles: [dev, prod]\n",
            )],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 2);
        assert!(f[0].message.contains("dev, prod"));
    }

    #[test]
    fn clean_with_a_default_service() {
        let f = findings_of(
            "KR222",
            &[(
                "compose.yaml",
                "services:\n  db:\n    image: postgres:16\n  admin:\n    image: adminer:4\n    profiles: [tools]\n",
            )],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
