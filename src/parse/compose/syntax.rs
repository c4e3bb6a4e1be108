//! Compose short syntaxes (ports, volumes) and path resolution.

use super::model::MountKind;
use crate::paths;

/// A port in short syntax, split: `[[host_ip:]host:]container[/protocol]`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ShortPort {
    pub host_ip: Option<String>,
    pub host: Option<String>,
    pub container: String,
    pub protocol: Option<String>,
}

/// Parses `80`, `3000-3005`, `8080:80`, `127.0.0.1:8080:80/udp`,
/// `[::1]:8080:80`, `127.0.0.1::80`. `None` when there is no container port.
pub(super) fn short_port(text: &str) -> Option<ShortPort> {
    let text = text.trim();
    let (rest, protocol) = match text.rsplit_once('/') {
        Some((r, p)) if !p.is_empty() && !p.contains(':') => (r, Some(p.to_string())),
        _ => (text, None),
    };
    let (host_ip, rest) = if let Some(after) = rest.strip_prefix('[') {
        let (ip, tail) = after.split_once(']')?;
        (Some(ip.to_string()), tail.strip_prefix(':').unwrap_or(tail))
    } else {
        (None, rest)
    };
    let mut parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    parts.reverse();
    let (ip, host, container) = match (host_ip.is_some(), parts.as_slice()) {
        (false, [c]) => (None, None, *c),
        (false, [h, c]) => (None, Some(*h), *c),
        (false, [ip, h, c]) => (Some((*ip).to_string()), Some(*h), *c),
        (true, [c]) => (host_ip, None, *c),
        (true, [h, c]) => (host_ip, Some(*h), *c),
        _ => return None,
    };
    if container.is_empty() {
        return None;
    }
    Some(ShortPort {
        host_ip: ip.filter(|s| !s.is_empty()),
        host: host.filter(|s| !s.is_empty()).map(str::to_string),
        container: container.to_string(),
        protocol,
    })
}

/// A volume in short syntax: `[source:]target[:mode]`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ShortVolume {
    pub kind: MountKind,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

/// Parses `./src:/app:ro`, `data:/var/lib/x`, `/abs:/x`, `/anonymous`,
/// `~/.ssh:/root/.ssh:ro`, `C:\data:/data`. Bind sources are resolved
/// against `dir` when relative.
pub(super) fn short_volume(text: &str, dir: &str) -> Option<ShortVolume> {
    let parts = split_volume(text);
    let (source, target, mode) = match parts.as_slice() {
        [t] => (None, *t, ""),
        [s, t] => (Some(*s), *t, ""),
        [s, t, m] => (Some(*s), *t, *m),
        _ => return None,
    };
    if target.is_empty() {
        return None;
    }
    let read_only = mode.split(',').any(|m| m == "ro");
    let (kind, source) = match source {
        None => (MountKind::Volume, None),
        Some(s) if is_host_path(s) => (MountKind::Bind, Some(resolve_host(dir, s))),
        Some(s) => (MountKind::Volume, Some(s.to_string())),
    };
    Some(ShortVolume {
        kind,
        source,
        target: target.to_string(),
        read_only,
    })
}

/// Splits on `:` but keeps a Windows drive letter (`C:\x`, `C:/x`) whole.
fn split_volume(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b':' {
            continue;
        }
        let drive = i == start + 1
            && bytes[start].is_ascii_alphabetic()
            && matches!(bytes.get(i + 1), Some(b'\\') | Some(b'/'));
        if drive {
            continue;
        }
        parts.push(&text[start..i]);
        start = i + 1;
    }
    parts.push(&text[start..]);
    parts
}

/// Whether a volume source is a host path rather than a named volume.
pub(super) fn is_host_path(s: &str) -> bool {
    s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with('~')
        || s.starts_with('\\')
        || (s.len() > 2 && s.as_bytes()[0].is_ascii_alphabetic() && s.as_bytes()[1] == b':')
}

/// A host path as Compose resolves it: relative paths against `dir`,
/// normalised; absolute paths, `~` paths and Windows paths as written. A
/// relative path that climbs above the root is kept lexically
/// (`../data` from the root stays `../data`).
pub(super) fn resolve_host(dir: &str, path: &str) -> String {
    if path.starts_with('/')
        || path.starts_with('~')
        || path.starts_with('\\')
        || path.get(1..2) == Some(":")
    {
        return path.to_string();
    }
    resolve(dir, path)
}

/// `rel` joined onto `dir` and normalised; absolute paths kept; a path
/// that climbs above the root is kept lexically.
pub(super) fn resolve(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        return rel.to_string();
    }
    match paths::join(dir, rel) {
        Some(p) => p,
        None if dir.is_empty() => rel.trim_end_matches('/').to_string(),
        None => format!("{dir}/{}", rel.trim_end_matches('/')),
    }
}

/// Whether a build context is remote (a Git repository or URL).
pub(super) fn is_remote_context(context: &str) -> bool {
    context.contains("://")
        || context.starts_with("git@")
        || context.starts_with("github.com/")
        || context.contains(".git#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        let p = |t: &str| short_port(t).map(|p| (p.host_ip, p.host, p.container, p.protocol));
        let s = |x: &str| Some(x.to_string());
        assert_eq!(p("80"), Some((None, None, "80".into(), None)));
        assert_eq!(p("3000-3005"), Some((None, None, "3000-3005".into(), None)));
        assert_eq!(p("8080:80"), Some((None, s("8080"), "80".into(), None)));
        assert_eq!(
            p("127.0.0.1:8080:80/udp"),
            Some((s("127.0.0.1"), s("8080"), "80".into(), s("udp")))
        );
        assert_eq!(
            p("127.0.0.1::80"),
            Some((s("127.0.0.1"), None, "80".into(), None))
        );
        assert_eq!(
            p("[::1]:8080:80"),
            Some((s("::1"), s("8080"), "80".into(), None))
        );
        assert_eq!(
            p("9090-9091:8080-8081/tcp"),
            Some((None, s("9090-9091"), "8080-8081".into(), s("tcp")))
        );
        assert_eq!(p("8080:"), None);
    }

    #[test]
    fn volumes() {
        let v = |t: &str| short_volume(t, "app").map(|v| (v.kind, v.source, v.target, v.read_only));
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            v("./src:/app:ro"),
            Some((MountKind::Bind, s("app/src"), "/app".into(), true))
        );
        assert_eq!(
            v("../lib:/lib:rw,z"),
            Some((MountKind::Bind, s("lib"), "/lib".into(), false))
        );
        assert_eq!(
            v("data:/var/lib/x"),
            Some((MountKind::Volume, s("data"), "/var/lib/x".into(), false))
        );
        assert_eq!(
            v("/abs:/x"),
            Some((MountKind::Bind, s("/abs"), "/x".into(), false))
        );
        assert_eq!(
            v("~/.ssh:/srv/.ssh:ro"),
            Some((MountKind::Bind, s("~/.ssh"), "/srv/.ssh".into(), true))
        );
        assert_eq!(
            v("/anon"),
            Some((MountKind::Volume, None, "/anon".into(), false))
        );
        assert_eq!(
            v("C:\\data:/data"),
            Some((MountKind::Bind, s("C:\\data"), "/data".into(), false))
        );
        assert_eq!(
            short_volume("../../up:/x", "app").and_then(|v| v.source),
            s("app/../../up")
        );
        assert_eq!(v("a:b:c:d"), None);
    }

    #[test]
    fn remote_contexts() {
        assert!(is_remote_context("https://github.com/a/b.git#main"));
        assert!(is_remote_context("git@github.com:a/b.git"));
        assert!(is_remote_context("github.com/a/b#main:dir"));
        assert!(!is_remote_context("./api"));
    }
}
