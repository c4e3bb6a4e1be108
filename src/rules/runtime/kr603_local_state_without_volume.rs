use super::{compose_services, services, signals, workloads};
use crate::finding::{Location, Severity};
use crate::parse::runtime::SignalKind;
use crate::rules::dockerfile::support::declare_rule;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR603",
    name: "local-state-without-volume",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "A service keeps state in local files (SQLite, uploads) and the Compose services that run it mount no volume",
    what: "Reports a SQLite database or upload folder named in a detected service's own code or production config (a literal path, not one read from the environment: `sqlite:///app.db`, Django's `sqlite3` engine, `new sqlite3.Database('data.db')`, multer `dest:`, Flask `UPLOAD_FOLDER`, Rails Active Storage `:local` or a `sqlite3` production database, `Data Source=app.db`, `jdbc:h2:file:`) when the service runs in Compose and none of the Compose services running it mounts any volume. Services that Kubernetes runs are left alone (the volume mounts of pods are not judged yet), and so is a Compose service with any volume (it may cover the path).",
    why: "A container's writable layer goes away with the container: `docker compose up` after a rebuild, a redeploy or a reschedule starts with an empty database and no uploads. State has to live on a volume (or in a database server or object store).",
    bad: "# compose.yaml\nservices:\n  web:\n    build: .\n# settings.py\nSQLALCHEMY_DATABASE_URI = \"sqlite:///app.db\"\n",
    good: "# compose.yaml\nservices:\n  web:\n    build: .\n    volumes: [\"data:/app/data\"]\nvolumes: {data: {}}\n# settings.py\nSQLALCHEMY_DATABASE_URI = os.environ[\"DATABASE_URL\"]\n",
};

declare_rule!();

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        let composed = compose_services(cx, i);
        if composed.is_empty() || !workloads(cx, i).is_empty() {
            continue;
        }
        if composed.iter().any(|c| !c.volumes.is_empty()) {
            continue;
        }
        let names: Vec<String> = composed.iter().map(|c| format!("`{}`", c.name)).collect();
        for s in signals(cx, svc) {
            if let SignalKind::LocalState { what, path } = &s.kind {
                out.emit(
                    Location::new(&s.file, s.line),
                    format!(
                        "service `{}` keeps a {} at `{path}`, but Compose service {} mounts no volume: the data is lost when the container is replaced; mount a volume at that path or move the state to a database server or object store",
                        svc.name,
                        what.as_str(),
                        names.join(", ")
                    ),
                    s.excerpt.clone(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    const APP: &str = "from flask import Flask\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///app.db'\n";

    #[test]
    fn flags_sqlite_without_volume() {
        let f = findings_of(
            "KR603",
            &[
                ("requirements.txt", "flask\n"),
                ("app.py", APP),
                ("Dockerfile", "FROM python:3.12\nCOPY . .\n"),
                ("compose.yaml", "services:\n  web:\n    build: .\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].location.file.as_str(), f[0].location.line),
            ("app.py", 3)
        );
    }

    #[test]
    fn clean_with_a_volume_or_not_composed() {
        let files = |compose: &'static str| {
            vec![
                ("requirements.txt", "flask\n"),
                ("app.py", APP),
                ("Dockerfile", "FROM python:3.12\nCOPY . .\n"),
                ("compose.yaml", compose),
            ]
        };
        assert!(findings_of("KR603", &files("services:\n  web:\n    build: .\n    volumes: [\"data:/app/instance\"]\nvolumes:\n  data: {}\n")).is_empty());
        assert!(findings_of(
            "KR603",
            &files("services:\n  db:\n    image: postgres:16\n")
        )
        .is_empty());
    }
}
