//! PHP: Monolog stream handlers writing to a path (code, and Symfony's
//! production `monolog.yaml`).

use super::{re, Out, Scanner, SignalKind};

pub fn scanner(rel: &str, ext: &str) -> Option<Scanner> {
    if rel.ends_with("config/packages/prod/monolog.yaml")
        || rel.ends_with("config/packages/monolog.yaml")
    {
        return Some(monolog_yaml);
    }
    (ext == "php" && !rel.starts_with("config/")).then_some(code as Scanner)
}

fn code(_rel: &str, out: &mut Out<'_>) {
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if let Some(arg) = super::caps(
            re!(
                r"new\s+(?:\\?Monolog\\Handler\\)?(?:Rotating)?(?:Stream|File)Handler\(\s*([^,)]+)"
            ),
            l,
        )
        .and_then(|c| c.get(1).cloned().flatten())
        {
            if !arg.contains("php://")
                && !arg.contains("STDOUT")
                && !arg.contains("STDERR")
                && !arg.trim().starts_with('$')
            {
                out.push(
                    n,
                    SignalKind::FileLogging {
                        via: "a Monolog stream handler to a file".into(),
                    },
                );
            }
        }
    }
}

/// `path:` of a stream handler, in the prod file or a `when@prod:` block.
fn monolog_yaml(rel: &str, out: &mut Out<'_>) {
    let whole = rel.contains("/prod/");
    let mut in_prod = whole;
    for (n, l) in out.lines().collect::<Vec<_>>() {
        if !whole && !l.starts_with(' ') && !l.trim().is_empty() {
            in_prod = l.starts_with("when@prod:");
            continue;
        }
        if !in_prod {
            continue;
        }
        if let Some(v) = super::caps(re!(r#"^\s*path\s*:\s*['"]?([^'"\s]+)"#), l)
            .and_then(|c| c.get(1).cloned().flatten())
        {
            if !v.starts_with("php://") {
                out.push(
                    n,
                    SignalKind::FileLogging {
                        via: "a Monolog handler `path`".into(),
                    },
                );
            }
        }
    }
}
