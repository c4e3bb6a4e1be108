//! What a scaffold reads from a service's own files: its start command,
//! its binary or package, its lockfile.

use super::safe_name;
use std::path::Path;

pub(super) fn has(dir: &Path, file: &str) -> bool {
    dir.join(file).is_file()
}

pub(super) fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_default()
}

/// The binary a Cargo package builds: its only `[[bin]]`, else the
/// `[[bin]]` named like the package, else the package name.
pub(super) fn rust_binary(dir: &Path) -> Option<String> {
    let manifest: toml::Table = read(dir, "Cargo.toml").parse().ok()?;
    let package = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let bins: Vec<String> = manifest
        .get("bin")
        .and_then(|b| b.as_array())
        .map(|bins| {
            bins.iter()
                .filter_map(|b| b.get("name").and_then(|n| n.as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let chosen = match bins.as_slice() {
        [] => package,
        [one] => Some(one.clone()),
        many => many
            .iter()
            .find(|b| Some(*b) == package.as_ref())
            .cloned()
            .or(package),
    };
    chosen.map(|n| safe_name(&n))
}

/// A script of `package.json`.
pub(super) fn node_script(dir: &Path, name: &str) -> Option<String> {
    let pkg: serde_json::Value = serde_json::from_str(&read(dir, "package.json")).ok()?;
    pkg.get("scripts")?.get(name)?.as_str().map(str::to_string)
}

/// `npm start`'s `node FILE` as `["node", "FILE"]`, else `npm start`, else
/// `main`, else `index.js`.
pub(super) fn node_start(dir: &Path) -> Vec<String> {
    let pkg: serde_json::Value =
        serde_json::from_str(&read(dir, "package.json")).unwrap_or_default();
    if let Some(start) = node_script(dir, "start") {
        let words: Vec<&str> = start.split_whitespace().collect();
        if words.len() == 2 && words[0] == "node" && safe_arg(words[1]) {
            return vec!["node".into(), words[1].into()];
        }
        return vec!["npm".into(), "start".into()];
    }
    let main = pkg
        .get("main")
        .and_then(|m| m.as_str())
        .filter(|m| safe_arg(m))
        .unwrap_or("index.js");
    vec!["node".into(), main.into()]
}

pub(super) fn safe_arg(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
}

pub(super) fn python_start(dir: &Path, frameworks: &[String], port: &str) -> Vec<String> {
    let reqs = read(dir, "requirements.txt").to_ascii_lowercase()
        + &read(dir, "pyproject.toml").to_ascii_lowercase();
    let gunicorn = reqs.contains("gunicorn");
    let bind = format!("0.0.0.0:{port}");
    if has(dir, "manage.py") {
        if gunicorn {
            if let Some(project) = django_project(dir) {
                return vec![
                    "gunicorn".into(),
                    "--bind".into(),
                    bind,
                    format!("{project}.wsgi"),
                ];
            }
        }
        return vec![
            "python".into(),
            "manage.py".into(),
            "runserver".into(),
            bind,
        ];
    }
    let main = ["app.py", "main.py", "server.py", "wsgi.py"]
        .into_iter()
        .find(|f| has(dir, f));
    if let Some(main) = main {
        let module = main.trim_end_matches(".py");
        if gunicorn && frameworks.iter().any(|f| f == "flask") {
            return vec![
                "gunicorn".into(),
                "--bind".into(),
                bind,
                format!("{module}:app"),
            ];
        }
        if frameworks.iter().any(|f| f == "fastapi") && reqs.contains("uvicorn") {
            return vec![
                "uvicorn".into(),
                format!("{module}:app"),
                "--host".into(),
                "0.0.0.0".into(),
                "--port".into(),
                port.into(),
            ];
        }
        return vec!["python".into(), main.into()];
    }
    vec!["python".into(), "-m".into(), "app".into()]
}

/// The Django project package: the folder beside `manage.py` with a `wsgi.py`.
fn django_project(dir: &Path) -> Option<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().join("wsgi.py").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    found.sort();
    found.into_iter().next()
}

/// `.` when `main.go` is at the module root, else `./cmd/NAME` when
/// `cmd/` has exactly one folder.
pub(super) fn go_package(dir: &Path) -> String {
    if has(dir, "main.go") {
        return ".".into();
    }
    let mut cmds: Vec<String> = std::fs::read_dir(dir.join("cmd"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    cmds.sort();
    match cmds.as_slice() {
        [one] if safe_arg(one) => format!("./cmd/{one}"),
        _ => ".".into(),
    }
}

/// How a Node service installs its dependencies, from its lockfile.
pub(super) struct NodeInstall {
    /// The manifest and lockfile copy before the install.
    pub copy: String,
    /// Production dependencies only.
    pub run_prod: String,
    /// Every dependency (a build stage).
    pub run_all: String,
    /// The build, then the development dependencies dropped.
    pub build_run: String,
}

/// pnpm for `pnpm-lock.yaml`, Yarn for `yarn.lock` (Berry when a
/// `.yarnrc.yml` or a `packageManager` of Yarn 2 or later says so), `npm
/// ci` for `package-lock.json`, else `npm install`.
pub(super) fn node_install(dir: &Path) -> NodeInstall {
    let with = |files: &[&str]| {
        let mut present = vec!["package.json"];
        present.extend(files.iter().copied().filter(|f| has(dir, f)));
        format!("COPY {} ./", present.join(" "))
    };
    let build = |build: &str, prune: &str| format!("RUN {build} \\\n    && {prune}");
    if has(dir, "pnpm-lock.yaml") {
        return NodeInstall {
            copy: with(&["pnpm-lock.yaml", ".npmrc"]),
            run_prod: "RUN corepack enable && pnpm install --frozen-lockfile --prod".into(),
            run_all: "RUN corepack enable && pnpm install --frozen-lockfile".into(),
            build_run: build("pnpm run build", "pnpm prune --prod"),
        };
    }
    if has(dir, "yarn.lock") {
        let pkg: serde_json::Value =
            serde_json::from_str(&read(dir, "package.json")).unwrap_or_default();
        let manager = pkg
            .get("packageManager")
            .and_then(|m| m.as_str())
            .unwrap_or("");
        let berry = has(dir, ".yarnrc.yml")
            || manager
                .strip_prefix("yarn@")
                .is_some_and(|v| !v.starts_with("1."));
        if berry {
            return NodeInstall {
                copy: with(&["yarn.lock", ".yarnrc.yml"]),
                run_prod: "RUN corepack enable && yarn workspaces focus --all --production".into(),
                run_all: "RUN corepack enable && yarn install --immutable".into(),
                build_run: build("yarn run build", "yarn workspaces focus --all --production"),
            };
        }
        return NodeInstall {
            copy: with(&["yarn.lock"]),
            run_prod: "RUN yarn install --frozen-lockfile --production && yarn cache clean".into(),
            run_all: "RUN yarn install --frozen-lockfile".into(),
            build_run: build(
                "yarn run build",
                "yarn install --frozen-lockfile --production && yarn cache clean",
            ),
        };
    }
    let npm_prune = "npm prune --omit=dev";
    if has(dir, "package-lock.json") {
        return NodeInstall {
            copy: with(&["package-lock.json"]),
            run_prod: "RUN npm ci --omit=dev".into(),
            run_all: "RUN npm ci".into(),
            build_run: build("npm run build", npm_prune),
        };
    }
    NodeInstall {
        copy: with(&[]),
        run_prod: "RUN npm install --omit=dev".into(),
        run_all: "RUN npm install".into(),
        build_run: build("npm run build", npm_prune),
    }
}
