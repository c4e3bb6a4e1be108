//! PHP: Monolog stream handlers writing to a path (code, and Symfony's
//! production `monolog.yaml`), and Laravel's default log channel.

use super::{re, Out, Scanner, SignalKind};

pub fn scanner(rel: &str, ext: &str) -> Option<Scanner> {
    if rel.to_ascii_lowercase().ends_with("config/logging.php") {
        return Some(laravel_logging);
    }
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

/// Laravel channels that write under `storage/logs`.
const FILE_CHANNELS: &[&str] = &["single", "daily"];

/// Laravel's `config/logging.php`: a default channel (`'default' =>
/// env('LOG_CHANNEL', 'stack')`) that is, or stacks, a file channel.
fn laravel_logging(_rel: &str, out: &mut Out<'_>) {
    let lines: Vec<(u32, &str)> = out.lines().collect();
    let Some((line, env, channel)) = lines.iter().find_map(|(n, l)| {
        let c = super::caps(
            re!(r#"^\s*['"]default['"]\s*=>\s*(?:env\(\s*['"](\w+)['"]\s*,\s*)?['"](\w+)['"]"#),
            l,
        )?;
        let env = c.get(1).cloned().flatten();
        let channel = c.get(2).cloned().flatten()?;
        Some((*n, env, channel))
    }) else {
        return;
    };
    let file_channel = if FILE_CHANNELS.contains(&channel.as_str()) {
        Some(channel.clone())
    } else if channel == "stack" {
        stacked_file_channel(&lines)
    } else {
        None
    };
    let Some(file_channel) = file_channel else {
        return;
    };
    let via = if file_channel == channel {
        format!("Laravel's default log channel `{channel}`, storage/logs")
    } else {
        format!("Laravel's default log channel `{channel}` stacks `{file_channel}`, storage/logs")
    };
    match env {
        Some(env) => out.push(line, SignalKind::FileLoggingByDefault { via, env }),
        None => out.push(line, SignalKind::FileLogging { via }),
    }
}

/// The file channel that the `'stack'` channel's `'channels'` name (a
/// list, or `explode(',', env('LOG_STACK', 'single'))`'s default).
fn stacked_file_channel(lines: &[(u32, &str)]) -> Option<String> {
    let at = lines.iter().position(|(_, l)| {
        l.trim_start().starts_with("'stack' =>") || l.trim_start().starts_with("\"stack\" =>")
    })?;
    let channels = lines
        .get(at + 1..)?
        .iter()
        .take(6)
        .map(|(_, l)| *l)
        .find(|l| l.contains("'channels'") || l.contains("\"channels\""))?;
    let r = re!(r#"['"](\w+)['"]"#)?;
    r.captures_iter(channels)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .find(|c| FILE_CHANNELS.contains(c))
        .map(str::to_string)
}
