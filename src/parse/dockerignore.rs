//! `.dockerignore` files with Docker's matching semantics
//! (moby/patternmatcher): patterns are cleaned paths relative to the build
//! context, `*` and `?` stay within one path segment, `**` spans any number
//! of segments, a pattern that matches a folder excludes everything under
//! it, `!` re-includes, and the last matching pattern wins.

use globset::{GlobBuilder, GlobMatcher};
use std::sync::OnceLock;

#[derive(Clone, Debug)]
pub struct DockerIgnore {
    pub file: String,
    pub patterns: Vec<IgnorePattern>,
}

#[derive(Clone, Debug)]
pub struct IgnorePattern {
    pub line: u32,
    /// The pattern as cleaned (no leading `/` or `./`, no `!`).
    pub pattern: String,
    pub negated: bool,
    /// Compiled on first use: most `.dockerignore` files of a big tree are
    /// never matched against, and compiling a glob builds a regex.
    matcher: OnceLock<Matcher>,
}

/// A compiled pattern. The common shapes (`.git`, `*.md`, `**/*.log`
/// needs the glob, `**/node_modules` does not) are matched as strings:
/// a monorepo has a thousand `.dockerignore` files, and building a regex
/// for each of their patterns dominated the rules that read them.
#[derive(Clone, Debug)]
enum Matcher {
    /// No glob syntax: the path itself.
    Exact(String),
    /// `*<suffix>`: one segment ending with the suffix.
    SegmentSuffix(String),
    /// `**/<name>`: the name at any depth.
    AnyDepth(String),
    Glob(GlobMatcher),
    /// Not a valid pattern: never matches.
    Invalid,
}

impl Matcher {
    fn new(pattern: &str) -> Matcher {
        let literal = |s: &str| !s.contains(['*', '?', '[', ']', '{', '}', '\\']);
        if literal(pattern) {
            return Matcher::Exact(pattern.to_string());
        }
        if let Some(suffix) = pattern.strip_prefix('*') {
            if literal(suffix) && !suffix.contains('/') {
                return Matcher::SegmentSuffix(suffix.to_string());
            }
        }
        if let Some(name) = pattern.strip_prefix("**/") {
            if literal(name) && !name.is_empty() {
                return Matcher::AnyDepth(name.to_string());
            }
        }
        match compile(pattern) {
            Some(g) => Matcher::Glob(g),
            None => Matcher::Invalid,
        }
    }

    fn is_match(&self, path: &str) -> bool {
        match self {
            Matcher::Exact(p) => path == p,
            Matcher::SegmentSuffix(s) => !path.contains('/') && path.ends_with(s.as_str()),
            Matcher::AnyDepth(n) => {
                path == n
                    || path
                        .strip_suffix(n.as_str())
                        .is_some_and(|head| head.ends_with('/'))
            }
            Matcher::Glob(g) => g.is_match(path),
            Matcher::Invalid => false,
        }
    }
}

impl IgnorePattern {
    /// Whether this pattern matches `path` or one of its parent folders.
    fn matches(&self, path: &str) -> bool {
        let m = self.matcher.get_or_init(|| Matcher::new(&self.pattern));
        if matches!(m, Matcher::Invalid) {
            return false;
        }
        if m.is_match(path) {
            return true;
        }
        // A pattern matching a parent folder excludes its contents.
        let mut end = path.len();
        while let Some(i) = path[..end].rfind('/') {
            if m.is_match(&path[..i]) {
                return true;
            }
            end = i;
        }
        false
    }
}

/// Parses a `.dockerignore`. Invalid patterns are kept but never match
/// (Docker would refuse the build; a rule may flag them).
pub fn parse(file: &str, text: &str) -> DockerIgnore {
    let mut patterns = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negated, body) = match line.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let pattern = clean(body).into_owned();
        if pattern.is_empty() {
            continue;
        }
        patterns.push(IgnorePattern {
            line: i as u32 + 1,
            pattern,
            negated,
            matcher: OnceLock::new(),
        });
    }
    DockerIgnore {
        file: file.to_string(),
        patterns,
    }
}

fn compile(pattern: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// Cleans a pattern like Go's `filepath.Clean`, relative to the context.
/// Already clean paths (the listed files rules ask about) are borrowed.
fn clean(p: &str) -> std::borrow::Cow<'_, str> {
    let is_clean = !p.is_empty() && p.split('/').all(|seg| !matches!(seg, "" | "." | ".."));
    if is_clean {
        return std::borrow::Cow::Borrowed(p);
    }
    std::borrow::Cow::Owned(clean_owned(p))
}

fn clean_owned(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

impl DockerIgnore {
    /// Whether `path` (relative to the build context) is excluded from it.
    pub fn is_excluded(&self, path: &str) -> bool {
        let path = clean(path);
        let mut excluded = false;
        for p in &self.patterns {
            if p.matches(&path) {
                excluded = !p.negated;
            }
        }
        excluded
    }

    /// The pattern that decides `path`'s exclusion, if it is excluded.
    pub fn excluding_pattern(&self, path: &str) -> Option<&IgnorePattern> {
        let path = clean(path);
        let mut decisive = None;
        for p in &self.patterns {
            if p.matches(&path) {
                decisive = if p.negated { None } else { Some(p) };
            }
        }
        decisive
    }

    /// Whether the file mentions a pattern that excludes `name` at the
    /// context's top level (e.g. `.git`, `node_modules`).
    pub fn excludes_top_level(&self, name: &str) -> bool {
        self.is_excluded(name) || self.is_excluded(&format!("{name}/x"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_stays_in_segment_and_double_star_spans() {
        let d = parse(".dockerignore", "*.md\n**/*.log\ndocs\n");
        assert!(d.is_excluded("README.md"));
        assert!(!d.is_excluded("sub/README.md"));
        assert!(d.is_excluded("a/b/c.log"));
        assert!(d.is_excluded("c.log"));
        assert!(
            d.is_excluded("docs/x/y.txt"),
            "folder match excludes contents"
        );
    }

    #[test]
    fn negation_and_last_match_wins() {
        let d = parse(".dockerignore", "*.md\n!README.md\n");
        assert!(d.is_excluded("CHANGES.md"));
        assert!(!d.is_excluded("README.md"));
        let d = parse(".dockerignore", "!README.md\n*.md\n");
        assert!(d.is_excluded("README.md"));
    }

    #[test]
    fn leading_slash_dot_and_comments() {
        let d = parse(".dockerignore", "# comment\n/node_modules\n./.git\n\n  \n");
        assert_eq!(d.patterns.len(), 2);
        assert_eq!(d.patterns[0].line, 2);
        assert!(d.excludes_top_level("node_modules"));
        assert!(d.excludes_top_level(".git"));
        assert!(d.is_excluded("node_modules/a/b.js"));
        assert!(!d.excludes_top_level("src"));
    }

    #[test]
    fn exclude_everything_then_include() {
        let d = parse(".dockerignore", "*\n!src\n!package.json\n");
        assert!(d.is_excluded("README.md"));
        assert!(!d.is_excluded("src/index.js"));
        assert!(!d.is_excluded("package.json"));
        assert_eq!(d.excluding_pattern("x").map(|p| p.line), Some(1));
    }

    /// The string fast paths agree with the glob they stand for.
    #[test]
    fn fast_paths_agree_with_globset() {
        let patterns = [
            ".git",
            "node_modules",
            "docs/build",
            "*.md",
            "*",
            "*~",
            "**/node_modules",
            "**/.env",
            "**/a/b",
            "**/*.log",
            "src/*.tmp",
            "a?c",
            "[ab]x",
        ];
        let paths = [
            ".git",
            "x/.git",
            "node_modules",
            "a/node_modules",
            "a/b/node_modules",
            "anode_modules",
            "docs/build",
            "docs",
            "README.md",
            "sub/README.md",
            ".md",
            "x",
            "x~",
            "a/b",
            "z/a/b",
            "za/b",
            ".env",
            "d/.env",
            "e.log",
            "d/e.log",
            "src/x.tmp",
            "abc",
            "ax",
            "",
        ];
        for pattern in patterns {
            let glob = compile(pattern).expect("valid");
            let fast = Matcher::new(pattern);
            for path in paths {
                assert_eq!(
                    fast.is_match(path),
                    glob.is_match(path),
                    "pattern {pattern:?} path {path:?} ({fast:?})"
                );
            }
        }
        assert!(matches!(Matcher::new(".git"), Matcher::Exact(_)));
        assert!(matches!(Matcher::new("*.md"), Matcher::SegmentSuffix(_)));
        assert!(matches!(
            Matcher::new("**/node_modules"),
            Matcher::AnyDepth(_)
        ));
        assert!(matches!(Matcher::new("**/*.log"), Matcher::Glob(_)));
    }

    #[test]
    fn invalid_patterns_never_match_or_panic() {
        let d = parse(".dockerignore", "[\n\\\n!\n");
        assert!(!d.is_excluded("a"));
    }
}
