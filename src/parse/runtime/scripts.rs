//! Shell entrypoints (does the script `exec` its server?) and Procfile
//! `web:` commands.

use super::{EntrypointScript, Out, SignalKind};
use crate::walk::Tree;

/// Reads a shell script named like a container entrypoint.
pub fn entrypoint(tree: &Tree, path: &str) -> Option<EntrypointScript> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if !(name.contains("entrypoint") || name.starts_with("start") || name.starts_with("run")) {
        return None;
    }
    let text = tree.read_prefix(path, super::MAX_BYTES)?;
    let mut last = None;
    let mut execs = false;
    let mut traps_term = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if t.starts_with("exec ") && !t[5..].trim_start().starts_with(['>', '<', '2', '1']) {
            execs = true;
        }
        // `trap 'kill -TERM "$child"' TERM INT`: the script handles the
        // signal itself (and passes it on, as a trap is written for).
        if t.starts_with("trap ")
            && t.split_whitespace()
                .skip(2)
                .any(|w| matches!(w, "TERM" | "SIGTERM" | "15"))
        {
            traps_term = true;
        }
        let closing = matches!(
            t,
            "fi" | "done" | "esac" | "}" | ";;" | "else" | "then" | "do"
        ) || t.starts_with("fi ")
            || t.starts_with("done ");
        if !closing {
            last = Some((n, t.to_string()));
        }
    }
    Some(EntrypointScript {
        file: path.to_string(),
        last,
        execs,
        traps_term,
    })
}

/// A Procfile's `web:` command: loopback binds and ports.
pub fn procfile(_rel: &str, out: &mut Out<'_>) {
    for (n, l) in out.lines().collect::<Vec<_>>() {
        let Some(cmd) = l.trim().strip_prefix("web:") else {
            continue;
        };
        let words: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
        let sc = super::server_command(&words);
        if let Some(h) = sc.explicit_loopback {
            out.push(n, SignalKind::LoopbackBind { host: h });
        }
        if sc.port.is_some() || sc.port_env.is_some() {
            out.push(
                n,
                SignalKind::ListenPort {
                    port: sc.port,
                    env: sc.port_env,
                },
            );
        }
    }
}
