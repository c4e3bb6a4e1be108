//! GitHub Actions `strategy.matrix`: one job per combination (lists of
//! values, object values, `include`, `exclude`), capped at [`MAX_MATRIX`].

use super::super::common;
use super::expr::{subst, Vars};
use crate::parse::ParseProblem;
use kubeready_yaml::Node;

/// Most matrix combinations read per job.
pub const MAX_MATRIX: usize = common::MAX_COMBINATIONS;

/// Flattened matrix values: `service` → `catalog`, `os.name` → `linux`.
type Pairs = Vec<(String, String)>;

#[derive(Clone, Debug, Default)]
pub struct Combo {
    /// `service` → `catalog`, `os.name` → `linux` for object values.
    pub values: Vec<(String, String)>,
    /// What GitHub shows after the job id: `images (catalog)`.
    pub label: Vec<String>,
}

fn flatten(key: &str, node: &Node, vars: &Vars) -> Vec<(String, String)> {
    match node.as_map() {
        Some(m) => m
            .iter()
            .filter_map(|e| {
                let k = e.key.as_str()?;
                let v = e.value.as_str()?;
                Some((format!("{key}.{k}"), subst(v, vars)))
            })
            .collect(),
        None => node
            .as_str()
            .map(|v| vec![(key.to_string(), subst(v, vars))])
            .unwrap_or_default(),
    }
}

fn flatten_map(node: &Node, vars: &Vars) -> Vec<(String, String)> {
    node.as_map()
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some(flatten(e.key.as_str()?, &e.value, vars)))
        .flatten()
        .collect()
}

fn label(v: &[(String, String)]) -> String {
    v.iter()
        .map(|(_, x)| x.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Matrix combinations (one empty combination without a matrix, or
/// when the matrix is computed at run time).
pub fn matrix(
    problems: &mut Vec<ParseProblem>,
    node: Option<&Node>,
    vars: &Vars,
    file: &str,
) -> Vec<Combo> {
    let single = vec![Combo::default()];
    let Some(entries) = node.and_then(|n| n.as_map()) else {
        return single;
    };
    let mut dims: Vec<(String, Vec<Pairs>)> = Vec::new();
    let mut include: &[Node] = &[];
    let mut exclude: &[Node] = &[];
    for e in entries {
        let Some(k) = e.key.as_str() else { continue };
        match k {
            "include" => include = e.value.as_seq().unwrap_or(&[]),
            "exclude" => exclude = e.value.as_seq().unwrap_or(&[]),
            _ => {
                let Some(items) = e.value.as_seq() else {
                    return single;
                };
                let values: Vec<Pairs> = items.iter().map(|i| flatten(k, i, vars)).collect();
                dims.push((k.to_string(), values));
            }
        }
    }
    let mut combos: Vec<Combo> = if dims.is_empty() {
        Vec::new()
    } else {
        vec![Combo::default()]
    };
    let mut capped = false;
    for (_, values) in &dims {
        let mut next = Vec::new();
        for c in &combos {
            for v in values {
                if next.len() >= MAX_MATRIX {
                    capped = true;
                    break;
                }
                let mut c = c.clone();
                c.values.extend(v.iter().cloned());
                c.label.push(label(v));
                next.push(c);
            }
        }
        combos = next;
    }
    let dim_keys: Vec<&str> = dims.iter().map(|(k, _)| k.as_str()).collect();
    let matches = |c: &Combo, pairs: &[(String, String)], only_dims: bool| {
        pairs.iter().all(|(k, v)| {
            let top = k.split('.').next().unwrap_or(k);
            (only_dims && !dim_keys.contains(&top))
                || c.values.iter().any(|(ck, cv)| ck == k && cv == v)
        })
    };
    for x in exclude {
        let pairs = flatten_map(x, vars);
        if !pairs.is_empty() {
            combos.retain(|c| !matches(c, &pairs, false));
        }
    }
    // An `include` entry extends the combinations the dimensions made,
    // never one an earlier entry added: with no dimensions, every entry is
    // a job of its own (GitHub's rule).
    let original = combos.len();
    for inc in include {
        let pairs = flatten_map(inc, vars);
        if pairs.is_empty() {
            continue;
        }
        let mut added = false;
        for c in combos.iter_mut().take(original) {
            if matches(c, &pairs, true) {
                for (k, v) in &pairs {
                    let top = k.split('.').next().unwrap_or(k);
                    if !dim_keys.contains(&top) {
                        c.values.retain(|(ck, _)| ck != k);
                        c.values.push((k.clone(), v.clone()));
                    }
                }
                added = true;
            }
        }
        if !added {
            if combos.len() >= MAX_MATRIX {
                capped = true;
                continue;
            }
            let top: Vec<String> = match inc.as_map() {
                Some(m) => m
                    .iter()
                    .filter_map(|e| {
                        let k = e.key.as_str()?;
                        Some(label(&flatten(k, &e.value, vars)))
                    })
                    .collect(),
                None => Vec::new(),
            };
            combos.push(Combo {
                values: pairs,
                label: top,
            });
        }
    }
    if capped {
        common::problem(
            problems,
            file,
            node.map(|n| n.line).unwrap_or(1),
            format!("the matrix has more than {MAX_MATRIX} combinations; only the first {MAX_MATRIX} are read"),
        );
    }
    if combos.is_empty() {
        single
    } else {
        combos
    }
}
