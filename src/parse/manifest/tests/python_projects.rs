//! Python projects: frameworks, libraries, entry points.

use super::*;

#[test]
fn django_beside_asset_package_json_is_one_python_service() {
    let ps = projects(&[
        ("manage.py", "#!/usr/bin/env python\nimport os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"),
        ("requirements.txt", "# deps\nDjango==5.0\npsycopg[binary]>=3\n"),
        ("package.json", r#"{"name":"assets","scripts":{"build":"webpack","start":"webpack serve"},"devDependencies":{"webpack":"5"}}"#),
    ]);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    let p = &ps[0];
    assert_eq!(p.language, Language::Python);
    assert_eq!(p.reason, "Django (manage.py)");
    assert_eq!(p.manifest, "requirements.txt");
    assert_eq!(p.line, 2);
    assert!(p.frameworks.contains(&"django".to_string()));
    assert!(p.web);
}

#[test]
fn python_framework_dependencies() {
    let ps = projects(&[
        ("api/pyproject.toml", "[project]\nname = \"api\"\ndependencies = [\n  \"fastapi>=0.110\",\n  \"uvicorn[standard]\",\n]\n"),
        ("worker/Pipfile", "[packages]\ncelery = \"*\"\n"),
        ("poetry/pyproject.toml", "[tool.poetry]\nname = \"shop\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\nFlask = \"^3\"\n"),
        ("cfg/setup.cfg", "[metadata]\nname = svc\n[options]\ninstall_requires =\n    requests\n    gunicorn>=21\n"),
        ("sp/setup.py", "from setuptools import setup\nsetup(\n    name='sp',\n    install_requires=['tornado>=6', 'click'],\n)\n"),
        ("sp/requirements.txt", "tornado\n"),
    ]);
    let api = at(&ps, "api");
    assert_eq!(api.role, ProjectRole::Service);
    assert_eq!(api.frameworks, vec!["fastapi", "uvicorn"]);
    assert_eq!(api.line, 4);
    assert_eq!(api.reason, "fastapi in pyproject.toml");
    let w = at(&ps, "worker");
    assert_eq!(w.role, ProjectRole::Service);
    assert!(!w.web);
    assert_eq!(at(&ps, "poetry").name, "shop");
    assert_eq!(at(&ps, "poetry").frameworks, vec!["flask"]);
    assert_eq!(at(&ps, "cfg").role, ProjectRole::Service);
    assert_eq!(at(&ps, "cfg").line, 6);
    assert_eq!(at(&ps, "sp").role, ProjectRole::Service);
}

#[test]
fn python_libraries() {
    let ps = projects(&[
        ("lib/pyproject.toml", "[project]\nname = \"lib\"\ndependencies = [\"requests\"]\n[project.scripts]\nlib = \"lib:main\"\n"),
        ("ext/pyproject.toml", "[project]\nname = \"django-widgets\"\ndependencies = [\"django>=4\"]\n"),
        ("client/pyproject.toml", "[project]\nname = \"client\"\ndependencies = [\"aiohttp\"]\n"),
        ("devonly/setup.py", "setup(name='x', install_requires=['click'])\n"),
        ("devonly/requirements-dev.txt", "flask\npytest\n"),
    ]);
    for d in ["lib", "ext", "client", "devonly"] {
        assert_eq!(
            at(&ps, d).role,
            ProjectRole::Library,
            "{d}: {}",
            at(&ps, d).reason
        );
    }
    assert!(at(&ps, "lib").reason.contains("console scripts"));
    assert!(at(&ps, "ext").reason.contains("django extension"));
}

#[test]
fn python_entry_point_and_requirements_includes() {
    let ps = projects(&[
        ("svc/requirements.txt", "-r requirements/base.txt\n"),
        ("svc/requirements/base.txt", "streamlit==1.30\n"),
        ("bot/requirements.txt", "requests\n"),
        (
            "bot/app.py",
            "from flask import Flask\napp = Flask(__name__)\n",
        ),
    ]);
    assert_eq!(at(&ps, "svc").role, ProjectRole::Service);
    assert_eq!(at(&ps, "svc").frameworks, vec!["streamlit"]);
    let bot = at(&ps, "bot");
    assert_eq!(bot.role, ProjectRole::Service);
    assert_eq!(bot.reason, "Python entry point app.py (flask)");
    assert!(bot.web);
}

#[test]
fn nested_manage_py_folds_into_the_enclosing_python_project() {
    let ps = projects(&[
        ("requirements.txt", "django\n"),
        ("mysite/manage.py", "import django\n"),
        ("mysite/mysite/settings.py", ""),
    ]);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].dir, "");
    assert_eq!(ps[0].reason, "Django (mysite/manage.py)");
}

#[test]
fn malformed_pyproject_reports_line() {
    let (ps, problems) = scan(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\n",
        ),
        ("requirements.txt", "flask\n"),
    ]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::Syntax);
    assert!(problems[0].line >= 3, "{problems:?}");
    assert_eq!(ps[0].role, ProjectRole::Service);
}
