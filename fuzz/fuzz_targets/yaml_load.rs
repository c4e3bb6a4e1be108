//! The YAML loader under default and tight budgets, and its accessors.
#![no_main]

use kubeready_yaml::{load, Limits, Node, Value};
use libfuzzer_sys::fuzz_target;

fn walk(node: &Node, depth: usize) {
    let _ = (node.as_str(), node.as_bool(), node.as_i64(), node.as_f64());
    let _ = node.str_or_seq();
    if depth > 64 {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let _ = e.key_str();
                walk(&e.value, depth + 1);
            }
            let _ = node.get("services");
        }
        Value::Seq(items) => items.iter().for_each(|n| walk(n, depth + 1)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    for limits in [
        Limits::default(),
        Limits {
            max_nodes: 64,
            max_depth: 8,
        },
    ] {
        let loaded = load(src, &limits);
        for d in &loaded.documents {
            walk(d, 0);
        }
    }
});
