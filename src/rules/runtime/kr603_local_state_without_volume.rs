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
    hardening: false,
    summary: "A service keeps state in local files (SQLite, uploads) and nothing that runs it (Compose, Kubernetes) mounts a volume there",
    what: "Reports a SQLite database or upload folder named in a detected service's own code or production config (a literal path, not one read from the environment: `sqlite:///app.db`, Django's `sqlite3` engine, `new sqlite3.Database('data.db')`, multer `dest:`, Flask `UPLOAD_FOLDER`, Rails Active Storage `:local` or a `sqlite3` production database, `Data Source=app.db`, `jdbc:h2:file:`) when the service runs in Compose or Kubernetes and none of the Compose services and workload containers running its image mounts a volume that may hold it. An absolute path (`sqlite:////data/app.db`) is held only by a mount at or above it (Compose `volumes` target, Kubernetes `volumeMounts[].mountPath`); a relative path depends on the working directory, so any mount counts (it may cover the path). A service that nothing runs is left alone.",
    why: "A container's writable layer goes away with the container: `docker compose up` after a rebuild, a redeploy or a reschedule starts with an empty database and no uploads. State has to live on a volume (or in a database server or object store).",
    bad: "# compose.yaml\nservices:\n  web:\n    build: .\n# settings.py\nSQLALCHEMY_DATABASE_URI = \"sqlite:///app.db\"\n",
    good: "# compose.yaml\nservices:\n  web:\n    build: .\n    volumes: [\"data:/app/data\"]\nvolumes: {data: {}}\n# settings.py\nSQLALCHEMY_DATABASE_URI = os.environ[\"DATABASE_URL\"]\n",
};

declare_rule!();

/// Where a service's image runs and the container paths mounted there.
struct Runner {
    /// `Compose service `web``, `Deployment `api` (k8s/api.yaml)`.
    name: String,
    mounts: Vec<String>,
}

/// The Compose services and Kubernetes containers that run a service's
/// image, with their mounts.
fn runners(cx: &Context<'_>, service: usize) -> Vec<Runner> {
    let mut out: Vec<Runner> = compose_services(cx, service)
        .into_iter()
        .map(|c| Runner {
            name: format!("Compose service `{}`", c.name),
            mounts: c.volumes.iter().map(|v| v.target.clone()).collect(),
        })
        .collect();
    let Some(comp) = cx.graph.component_of_service(service) else {
        return out;
    };
    for w in workloads(cx, service) {
        for c in w
            .containers
            .iter()
            .filter(|c| !c.init && cx.graph.components_for_image(&c.image).contains(&comp))
        {
            out.push(Runner {
                name: format!("{} `{}` ({})", w.kind, w.name, w.file),
                mounts: c.volume_mounts.iter().map(|(p, _)| p.clone()).collect(),
            });
        }
    }
    out
}

/// The absolute container path a state path names, when it names one
/// (`sqlite:////data/app.db`, `/var/uploads`, `Data Source=/data/app.db`).
fn absolute(path: &str) -> Option<&str> {
    let p = ["sqlite:///", "jdbc:h2:file:", "Data Source=", "DataSource="]
        .iter()
        .find_map(|pre| path.strip_prefix(pre))
        .unwrap_or(path);
    p.starts_with('/').then_some(p)
}

/// Whether a mount may hold the state: at or above an absolute path; any
/// mount for a relative one.
fn may_hold(mount: &str, state: Option<&str>) -> bool {
    match state {
        None => true,
        Some(p) => {
            let m = mount.trim_end_matches('/');
            m.is_empty() || p == m || p.starts_with(&format!("{m}/"))
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for (i, svc) in services(cx) {
        let mut states = signals(cx, svc).filter_map(|s| match &s.kind {
            SignalKind::LocalState { what, path } => Some((s, *what, path)),
            _ => None,
        });
        let Some(first) = states.next() else {
            continue;
        };
        let runners = runners(cx, i);
        if runners.is_empty() {
            continue;
        }
        for (s, what, path) in std::iter::once(first).chain(states) {
            let at = absolute(path);
            if runners
                .iter()
                .any(|r| r.mounts.iter().any(|m| may_hold(m, at)))
            {
                continue;
            }
            let names: Vec<&str> = runners.iter().map(|r| r.name.as_str()).collect();
            out.emit(
                Location::new(&s.file, s.line),
                format!(
                    "service `{}` keeps a {} at `{path}`, but no volume {} it in {}: the data is lost when the container is replaced; mount a volume at that path or move the state to a database server or object store",
                    svc.name,
                    what.as_str(),
                    if at.is_some() { "holds" } else { "may hold" },
                    names.join(", ")
                ),
                s.excerpt.clone(),
            );
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

    const K8S_APP: &str = "from flask import Flask\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:////data/app.db'\n";

    fn k8s(mounts: &str) -> Vec<(&'static str, String)> {
        vec![
            ("requirements.txt", "flask\n".to_string()),
            ("app.py", K8S_APP.to_string()),
            ("Dockerfile", "FROM python:3.12\nCOPY . .\n".to_string()),
            (".github/workflows/ci.yml", "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t example.com/web:1 .\n".to_string()),
            (
                "k8s/web.yaml",
                format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: example.com/web:1\n{mounts}"),
            ),
        ]
    }

    fn run(files: &[(&'static str, String)]) -> Vec<crate::finding::Finding> {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        findings_of("KR603", &files)
    }

    #[test]
    fn flags_kubernetes_workload_without_a_mount_there() {
        let f = run(&k8s(""));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("Deployment `web` (k8s/web.yaml)"),
            "{f:?}"
        );
        // A mount elsewhere does not hold an absolute path.
        let f = run(&k8s(
            "        volumeMounts:\n        - {name: tmp, mountPath: /tmp}\n",
        ));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("no volume holds it"), "{f:?}");
    }

    #[test]
    fn clean_when_a_kubernetes_mount_holds_the_path() {
        assert!(run(&k8s(
            "        volumeMounts:\n        - {name: data, mountPath: /data}\n"
        ))
        .is_empty());
        assert!(run(&k8s(
            "        volumeMounts:\n        - {name: data, mountPath: /data/}\n"
        ))
        .is_empty());
    }
}
