//! Relative path arithmetic on `/`-separated paths, the way build tools
//! resolve them (lexically, never touching the filesystem).

/// Joins `rel` onto `base` and normalises `.` and `..`. An absolute `rel`
/// (starting with `/`) is returned cleaned and marked by a leading `/`.
/// Returns `None` when the result escapes the root.
pub fn join(base: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') {
        return Some(format!("/{}", normalize(rel)?));
    }
    if base.is_empty() {
        return normalize(rel);
    }
    normalize(&format!("{base}/{rel}"))
}

/// Normalises a relative path lexically: drops `.` and empty segments and
/// resolves `..`; `None` when it climbs above the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The parent folder (`""` for a top-level entry).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

/// The last segment.
pub fn file_name(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// Whether `path` is `dir` or lies under it (`""` contains everything).
pub fn is_within(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// `path` relative to `dir`, one of its ancestors (or `""`, the root);
/// `path` itself when it is not under `dir`.
pub fn relative_to<'p>(dir: &str, path: &'p str) -> &'p str {
    if dir.is_empty() {
        path
    } else {
        path.strip_prefix(dir)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    }
}

/// How a path is shown in reports: `.` for the root.
pub fn display(path: &str) -> &str {
    if path.is_empty() {
        "."
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_to_an_ancestor() {
        use super::relative_to;
        assert_eq!(relative_to("", "a/b"), "a/b");
        assert_eq!(relative_to("a", "a/b/c"), "b/c");
        assert_eq!(relative_to("a", "ab/c"), "ab/c");
    }

    use super::*;

    #[test]
    fn joins_and_normalises() {
        assert_eq!(join("", "./api/").as_deref(), Some("api"));
        assert_eq!(join("deploy", "../api").as_deref(), Some("api"));
        assert_eq!(join("deploy", "..").as_deref(), Some(""));
        assert_eq!(join("", "../x"), None);
        assert_eq!(join("a", "/etc/x").as_deref(), Some("/etc/x"));
        assert_eq!(parent("a/b/c"), "a/b");
        assert_eq!(parent("c"), "");
        assert!(is_within("a/b", "a"));
        assert!(!is_within("ab", "a"));
        assert!(is_within("x", ""));
        assert_eq!(display(""), ".");
    }
}
