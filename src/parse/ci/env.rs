//! Literal variables a CI file sets for its jobs (GitHub `env:`, GitLab
//! and Azure `variables:`, CircleCI and Drone `environment:`, Travis
//! `env:`, Cloud Build `env: [K=V]`, ...), found by shape in any YAML CI
//! file, so that rules can judge the values (never printed).

use kubeready_yaml::Node;

/// One `KEY: value` a CI file sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub key: String,
    pub value: String,
    pub file: String,
    pub line: u32,
}

/// Keys that hold variables.
const ENV_KEYS: &[&str] = &["env", "environment", "variables", "global"];
/// Keys under an env block whose values are not values: encrypted
/// (`secure:`), or names of secrets in a store (CodeBuild).
const NOT_VALUES: &[&str] = &[
    "secure",
    "parameter-store",
    "secrets-manager",
    "exported-variables",
    "secrets",
];
/// How deep the walk goes (CI files are shallow; this bounds hostile ones).
const MAX_DEPTH: usize = 32;

/// Every literal variable set in a YAML CI file.
pub fn literal_vars(file: &str, text: &str) -> Vec<EnvVar> {
    let loaded = kubeready_yaml::load(text, &kubeready_yaml::Limits::default());
    let mut out = Vec::new();
    for doc in &loaded.documents {
        walk(doc, file, 0, &mut out);
    }
    out
}

fn walk(node: &Node, file: &str, depth: usize, out: &mut Vec<EnvVar>) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(entries) = node.as_map() {
        for e in entries {
            let Some(k) = e.key_str() else { continue };
            if NOT_VALUES.contains(&k) {
                continue;
            }
            if ENV_KEYS.contains(&k) {
                block(&e.value, file, depth + 1, out);
            }
            walk(&e.value, file, depth + 1, out);
        }
    } else if let Some(items) = node.as_seq() {
        for i in items {
            walk(i, file, depth + 1, out);
        }
    }
}

/// The variables of one env block: a mapping (`KEY: value`, GitLab's
/// `KEY: {value: ...}`), or a list (`- KEY=value`, Azure's
/// `- name: KEY` + `value:`).
fn block(node: &Node, file: &str, depth: usize, out: &mut Vec<EnvVar>) {
    if let Some(entries) = node.as_map() {
        for e in entries {
            let Some(k) = e.key_str() else { continue };
            if NOT_VALUES.contains(&k) || ENV_KEYS.contains(&k) {
                continue;
            }
            let value = e
                .value
                .as_str()
                .or_else(|| e.value.get("value").and_then(Node::as_str));
            if let Some(v) = value {
                push(out, k, v, file, e.key.line);
            }
        }
    } else if let Some(items) = node.as_seq() {
        for i in items {
            if let Some(kv) = i.as_str() {
                if let Some((k, v)) = kv.split_once('=') {
                    let k = k.trim();
                    if !k.is_empty() && !k.contains(char::is_whitespace) {
                        push(out, k, v, file, i.line);
                    }
                }
            } else if let (Some(k), Some(v)) = (
                i.get("name").and_then(Node::as_str),
                i.get("value").and_then(Node::as_str),
            ) {
                push(out, k, v, file, i.line);
            }
        }
    }
    let _ = depth;
}

fn push(out: &mut Vec<EnvVar>, key: &str, value: &str, file: &str, line: u32) {
    let var = EnvVar {
        key: key.to_string(),
        value: value.to_string(),
        file: file.to_string(),
        line,
    };
    if !out.contains(&var) {
        out.push(var);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, u32)> {
        literal_vars("ci.yml", text)
            .into_iter()
            .map(|v| (v.key, v.line))
            .collect()
    }

    #[test]
    fn finds_every_shape() {
        let k = keys(concat!(
            "env:\n  A: x\n",
            "variables:\n  B: {value: y, description: d}\n",
            "jobs:\n  j:\n    environment:\n      - C=z\n",
            "    steps:\n      - env: {D: w}\n",
            "travis:\n  env:\n    global:\n      - E=v\n      - secure: abc\n",
            "azure:\n  variables:\n    - name: F\n      value: u\n    - group: g\n",
            "codebuild:\n  env:\n    variables: {G: t}\n    parameter-store: {H: /ssm/h}\n",
        ));
        let names: Vec<&str> = k.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["A", "B", "C", "D", "E", "F", "G"]);
        assert_eq!(k[0].1, 2);
        assert_eq!(k[2].1, 8);
    }
}
