#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use crate::finding::Severity;

fn err(text: &str) -> String {
    load_str(text, ".kubeready.yaml").unwrap_err().to_string()
}

#[test]
fn empty_and_comment_only_configs_are_defaults() {
    assert!(load_str("", "c").unwrap().ignore.is_empty());
    assert!(load_str("# nothing\n", "c").unwrap().ignore.is_empty());
}

#[test]
fn full_config() {
    let c = load_str(
        r#"
ignore: [legacy/, "*.bak"]
max-file-size: 2MB
rules:
  KR903: error
  file-too-large: off
overrides:
  - paths: [vendor/**]
    rules: {KR903: off}
services:
  declare:
    - {path: tools/cli, name: cli, language: golang}
    - jobs
  exclude: [examples/*]
steps:
  cd-staging: {not-applicable: "deployed by the platform team"}
gate:
  fail-on: warning
  fail-under: 60
  require-steps: [dockerfile, "compose,ci-images"]
trusted-registries: [ghcr.io/acme/]
forbid-inline-ignores: true
"#,
        "c",
    )
    .unwrap();
    assert_eq!(c.ignore, vec!["legacy/", "*.bak"]);
    assert_eq!(c.max_file_size, Some(2_000_000));
    assert_eq!(
        c.policy.rules,
        vec![
            ("KR903", RuleLevel::On(Severity::Error)),
            ("KR902", RuleLevel::Off)
        ]
    );
    assert_eq!(c.policy.overrides.len(), 1);
    assert!(c.policy.overrides[0].paths.matches("vendor/x/Dockerfile"));
    assert!(!c.policy.overrides[0].paths.matches("src/Dockerfile"));
    assert_eq!(c.declare.len(), 2);
    assert_eq!(c.declare[0].language, Some(Language::Go));
    assert_eq!(c.declare[1].path, "jobs");
    assert_eq!(c.exclude, vec!["examples/*"]);
    assert_eq!(
        c.not_applicable,
        vec![(StepId::CdStaging, "deployed by the platform team".into())]
    );
    assert_eq!(c.gate.fail_on, Some(FailOn::Warning));
    assert_eq!(c.gate.fail_under, Some(60));
    assert_eq!(
        c.gate.require_steps,
        vec![StepId::Dockerfile, StepId::Compose, StepId::CiImages]
    );
    assert_eq!(c.trusted_registries, vec!["ghcr.io/acme"]);
    assert!(c.forbid_inline_ignores);
}

#[test]
fn errors_have_positions_and_suggestions() {
    assert_eq!(
        err("ignore: []\n\nrulez: {}\n"),
        ".kubeready.yaml:3:1: unknown key `rulez` (did you mean `rules`?)"
    );
    assert_eq!(
        err("rules:\n  KR9O3: off\n"),
        ".kubeready.yaml:2:3: unknown rule `KR9O3` (did you mean `KR903`?) (see `kubeready rules`)"
    );
    assert!(err("rules:\n  KR903: of\n").starts_with(
        ".kubeready.yaml:2:10: invalid level `of` for rule `KR903` (did you mean `off`?)"
    ));
    assert!(err("steps:\n  compse: {not-applicable: x}\n")
        .starts_with(".kubeready.yaml:2:3: unknown step `compse` (did you mean `compose`?)"));
    assert!(err("ignore: \"[oops\"\n").starts_with(".kubeready.yaml:1:9: invalid pattern"));
    assert!(err("services:\n  exclude: ['{a']\n")
        .starts_with(".kubeready.yaml:2:13: invalid glob `{a`"));
    assert_eq!(
            err("max-file-size: [1]\n"),
            ".kubeready.yaml:1:16: `max-file-size` must be a number of bytes (e.g. 2000000 or \"2MB\"), found a list"
        );
    assert!(err("gate:\n  fail-under: 101\n").contains("2:15: `fail-under` must be a score"));
    assert!(err("gate:\n  fail-on: warn\n").contains("invalid `fail-on` value `warn`"));
    assert!(err("a: [\n").contains(": invalid YAML: "));
    assert!(err("rules: {}\nrules: {}\n").contains("2: duplicate key `rules`"));
    assert!(err("- a\n").contains("1:1: the config must be a mapping"));
    assert!(err("forbid-inline-ignores: yes\n").contains("must be `true` or `false`"));
    assert!(err("services:\n  declare:\n    - {name: x}\n").contains("needs a `path`"));
    assert!(
        err("services:\n  declare:\n    - {path: x, language: haskel}\n")
            .contains("unknown language `haskel`")
    );
    assert!(err("services:\n  declare: [../x]\n").contains("must be relative"));
    assert!(err("overrides:\n  - rules: {KR903: off}\n").contains("has no `paths`"));
    assert!(err("steps:\n  compose: {not-applicable: true}\n").contains("takes the reason"));
    assert!(err("fail_on: x\n").contains("unknown key `fail_on`"));
}

#[test]
fn services_list_shorthand_declares() {
    let c = load_str("services:\n  - {path: ., language: python}\n", "c").unwrap();
    assert_eq!(c.declare.len(), 1);
    assert_eq!(c.declare[0].path, ".");
}
