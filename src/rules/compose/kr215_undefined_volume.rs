use crate::finding::Severity;
use crate::rules::{Context, RuleDoc, Sink};

pub struct Rule;

static DOC: RuleDoc = RuleDoc {
    code: "KR215",
    name: "compose-undefined-volume",
    severity: Severity::Error,
    enabled_by_default: true,
    hardening: false,
    summary: "A Compose service mounts a named volume the project does not declare",
    what: "Reports a service volume whose source is a name (not a host path) missing from the top-level `volumes:` (of the project, or of the main Compose file for a variant file). Bind mounts (`./data:/data`, `/srv:/srv`), anonymous volumes and tmpfs need no declaration.",
    why: "Compose refuses to start the project: `service \"db\" refers to undefined volume pgdata`. A missing `./` also turns an intended bind mount into an undeclared named volume.",
    bad: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    volumes: [\"pgdata:/var/lib/postgresql/data\"]\n",
    good: "# compose.yaml\nservices:\n  db:\n    image: postgres:16\n    volumes: [\"pgdata:/var/lib/postgresql/data\"]\nvolumes:\n  pgdata: {}\n",
};

impl crate::rules::Rule for Rule {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }
    fn check(&self, cx: &Context<'_>, out: &mut Sink<'_>) {
        super::report_undeclared(cx, out, &SECTION);
    }
}

static SECTION: super::Section = super::Section {
    key: "volumes",
    what: "named volume",
    uses: |svc| {
        svc.volumes
            .iter()
            .filter(|m| m.kind == crate::parse::compose::MountKind::Volume)
            .filter_map(|m| Some((m.source.as_deref()?, m.file.as_str(), m.line)))
            .collect()
    },
    declared: |p| &p.volumes,
    implicit: |name| name.is_empty() || name.contains('$'),
};

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn flags_undeclared() {
        let f = findings_of(
            "KR215",
            &[("compose.yaml", "services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./init:/docker-entrypoint-initdb.d\n      - pgdata:/var/lib/postgresql/data\n")],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].location.line, 6);
        assert!(f[0].message.contains("`pgdata`"), "{f:?}");
    }

    #[test]
    fn clean_when_declared() {
        let f = findings_of(
            "KR215",
            &[("compose.yaml", "services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./init:/docker-entrypoint-initdb.d\n      - pgdata:/var/lib/postgresql/data\n      - /tmp/cache\n      - type: tmpfs\n        target: /run\nvolumes:\n  pgdata:\n")],
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
