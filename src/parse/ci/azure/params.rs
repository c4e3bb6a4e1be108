//! Azure Pipelines template expressions resolved before a template is
//! read: `${{ parameters.x }}` (the invocation's values over the
//! template's defaults) and `${{ each v in parameters.list }}:` loops
//! (one copy of the body per item, `${{ v }}`/`${{ v.field }}` replaced).
//! Conditions (`${{ if }}`) are left to the caller (both branches read).

use super::super::common::MAX_COMBINATIONS;
use kubeready_yaml::{Node, Value};

/// A parameter value: a scalar, or a list of items (each item's fields
/// flattened: `""` for a scalar item, `name` for `{name: api}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    Scalar(String),
    List(Vec<Item>),
}

/// One item of a list parameter, its fields flattened.
pub type Item = Vec<(String, String)>;

pub type Params = Vec<(String, Param)>;

/// How deep the rewrite goes.
const MAX_DEPTH: usize = 32;

fn param_of(node: &Node) -> Option<Param> {
    if let Some(s) = node.as_scalar() {
        return Some(Param::Scalar(s.text.clone()));
    }
    let items = node.as_seq()?;
    Some(Param::List(
        items
            .iter()
            .map(|i| match i.as_map() {
                Some(m) => m
                    .iter()
                    .filter_map(|e| {
                        Some((e.key_str()?.to_string(), e.value.as_scalar()?.text.clone()))
                    })
                    .collect(),
                None => i
                    .as_scalar()
                    .map(|s| vec![(String::new(), s.text.clone())])
                    .unwrap_or_default(),
            })
            .collect(),
    ))
}

/// The template's declared defaults (`parameters:` as a list of
/// `{name, default}` or a `name: default` map), with the invocation's
/// `parameters:` over them.
pub fn params(template: &Node, invocation: Option<&Node>) -> Params {
    let mut out: Params = Vec::new();
    let set = |k: &str, v: Param, out: &mut Params| {
        out.retain(|(n, _)| n != k);
        out.push((k.to_string(), v));
    };
    match template.get("parameters") {
        Some(p) if p.as_seq().is_some() => {
            for d in p.as_seq().unwrap_or(&[]) {
                let Some(name) = d.get("name").and_then(Node::as_str) else {
                    continue;
                };
                if let Some(v) = d.get("default").and_then(param_of) {
                    set(name, v, &mut out);
                }
            }
        }
        Some(p) => {
            for e in p.as_map().unwrap_or(&[]) {
                if let (Some(k), Some(v)) = (e.key_str(), param_of(&e.value)) {
                    set(k, v, &mut out);
                }
            }
        }
        None => {}
    }
    for e in invocation.and_then(Node::as_map).unwrap_or(&[]) {
        if let (Some(k), Some(v)) = (e.key_str(), param_of(&e.value)) {
            set(k, v, &mut out);
        }
    }
    out
}

/// `${{ name }}` or `${{name}}` with any inner spacing: the inner text.
fn expressions(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("${{") {
        let start = from + i;
        let Some(j) = s[start..].find("}}") else {
            break;
        };
        let end = start + j + 2;
        out.push((start, end, s[start + 3..start + j].trim().to_string()));
        from = end;
    }
    out
}

/// Replaces the expressions `lookup` knows in `s`.
fn replace(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let exprs = expressions(s);
    if exprs.is_empty() {
        return s.to_string();
    }
    let mut out = String::new();
    let mut last = 0;
    for (start, end, inner) in exprs {
        out.push_str(&s[last..start]);
        match lookup(&inner) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&s[start..end]),
        }
        last = end;
    }
    out.push_str(&s[last..]);
    out
}

/// The value of `parameters.x` (scalars only).
fn param_lookup(params: &Params) -> impl Fn(&str) -> Option<String> + '_ {
    move |inner: &str| {
        let name = inner.strip_prefix("parameters.")?;
        params.iter().find_map(|(k, v)| match v {
            Param::Scalar(s) if k == name => Some(s.clone()),
            _ => None,
        })
    }
}

/// `each v in parameters.list` → (`v`, the list's items).
fn each_of<'p>(key: &str, params: &'p Params) -> Option<(String, &'p [Item])> {
    let inner = key.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let rest = inner.strip_prefix("each ")?;
    let (var, list) = rest.split_once(" in ")?;
    let name = list.trim().strip_prefix("parameters.")?;
    let items = params.iter().find_map(|(k, v)| match v {
        Param::List(items) if k == name => Some(items.as_slice()),
        _ => None,
    })?;
    Some((var.trim().to_string(), items))
}

/// Rewrites `node` with `lookup` applied to every scalar and key.
fn rewrite(node: &mut Node, lookup: &dyn Fn(&str) -> Option<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &mut node.value {
        Value::Scalar(s) => {
            if s.text.contains("${{") {
                s.text = replace(&s.text, lookup);
            }
        }
        Value::Seq(items) => {
            for i in items {
                rewrite(i, lookup, depth + 1);
            }
        }
        Value::Map(entries) => {
            for e in entries {
                rewrite(&mut e.key, lookup, depth + 1);
                rewrite(&mut e.value, lookup, depth + 1);
            }
        }
        Value::Null => {}
    }
}

/// Expands `${{ each }}` insertions in every sequence of `node` (the body
/// repeated once per item, at most [`MAX_COMBINATIONS`] copies in all),
/// then replaces `${{ parameters.x }}`.
pub fn resolve(node: &mut Node, params: &Params) {
    let mut budget = MAX_COMBINATIONS;
    expand_each(node, params, &mut budget, 0);
    rewrite(node, &param_lookup(params), 0);
}

fn expand_each(node: &mut Node, params: &Params, budget: &mut usize, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &mut node.value {
        Value::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for mut item in std::mem::take(items) {
                let each = match item.as_map() {
                    Some([e]) => e
                        .key_str()
                        .and_then(|k| each_of(k, params))
                        .map(|(var, list)| (var, list.to_vec(), e.value.clone())),
                    _ => None,
                };
                match each {
                    Some((var, list, body)) => {
                        for fields in list {
                            if *budget == 0 {
                                break;
                            }
                            *budget -= 1;
                            let mut copy = body.clone();
                            let lookup = |inner: &str| -> Option<String> {
                                let field = inner.strip_prefix(var.as_str())?;
                                let field = field.strip_prefix('.').unwrap_or(field);
                                if !field.is_empty() && !inner[var.len()..].starts_with('.') {
                                    return None;
                                }
                                fields
                                    .iter()
                                    .find(|(k, _)| k == field)
                                    .map(|(_, v)| v.clone())
                            };
                            rewrite(&mut copy, &lookup, 0);
                            expand_each(&mut copy, params, budget, depth + 1);
                            match copy.value {
                                Value::Seq(inner) => out.extend(inner),
                                _ => out.push(copy),
                            }
                        }
                    }
                    None => {
                        expand_each(&mut item, params, budget, depth + 1);
                        out.push(item);
                    }
                }
            }
            *items = out;
        }
        Value::Map(entries) => {
            for e in entries {
                expand_each(&mut e.value, params, budget, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Node {
        kubeready_yaml::load(s, &kubeready_yaml::Limits::default())
            .documents
            .into_iter()
            .next()
            .unwrap()
    }

    #[test]
    fn parameters_and_each_loops() {
        let mut t = load(concat!(
            "parameters:\n",
            "  - name: registry\n    default: acme.azurecr.io\n",
            "  - name: services\n    type: object\n    default: [api]\n",
            "steps:\n",
            "  - ${{ each svc in parameters.services }}:\n",
            "    - script: docker build -t ${{ parameters.registry }}/${{ svc }}:1 services/${{svc}}\n",
            "  - ${{ each s in parameters.sites }}:\n",
            "    - script: echo ${{ s.name }} ${{ s.port }}\n",
        ));
        let inv = load("services: [api, web]\nsites:\n  - {name: a, port: 1}\n");
        let p = params(&t, Some(&inv));
        resolve(&mut t, &p);
        let scripts: Vec<&str> = t
            .get("steps")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .filter_map(|s| s.get("script").and_then(Node::as_str))
            .collect();
        assert_eq!(
            scripts,
            [
                "docker build -t acme.azurecr.io/api:1 services/api",
                "docker build -t acme.azurecr.io/web:1 services/web",
                "echo a 1",
            ]
        );
    }
}
