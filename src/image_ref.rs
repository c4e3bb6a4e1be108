//! Image references (`registry/repository:tag@digest`), one reading for
//! every layer: the graph, the Compose, CI and Kubernetes rules and the
//! Dockerfile rules judge pinning, registries and names from the same
//! parts, so `docker.io/library/node:20` and `node:20` are one image
//! wherever they are written.

/// An image reference split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host when the first segment looks like one (a dot, a
    /// port, `localhost`, or a variable), lower-cased. Docker Hub
    /// (`docker.io`, `index.docker.io`, `registry-1.docker.io`) is `None`.
    pub registry: Option<String>,
    /// Repository path without registry, tag or digest; Docker Hub's
    /// `library/` is dropped (`library/node` is `node`).
    pub repository: String,
    /// The tag, if any (an empty tag is none).
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// Docker Hub's host names.
const DOCKER_HUB: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];

impl ImageRef {
    pub fn parse(s: &str) -> ImageRef {
        let s = s.trim().trim_matches(|c| c == '"' || c == '\'');
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (s, None),
        };
        // The tag starts at the first ':' after the last '/', both outside
        // `${...}` / `{{...}}` so variables with defaults stay whole.
        let (name, tag) = split_tag(rest);
        let mut parts: Vec<&str> = name.split('/').collect();
        let registry = if parts.len() > 1 && looks_like_registry(parts[0]) {
            Some(parts.remove(0).to_ascii_lowercase())
        } else {
            None
        };
        let registry = registry.filter(|r| !DOCKER_HUB.contains(&r.as_str()));
        let mut repository = parts.join("/");
        if registry.is_none() {
            if let Some(r) = repository.strip_prefix("library/") {
                repository = r.to_string();
            }
        }
        ImageRef {
            registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest,
        }
    }

    /// The last path segment of the repository (`api` in `acme/shop/api`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// Registry and repository, the key images are compared by.
    pub fn key(&self) -> String {
        match &self.registry {
            Some(r) => format!("{r}/{}", self.repository),
            None => self.repository.clone(),
        }
    }

    /// The registry or repository holds a variable (`$X`, `${X}`, `{{ x }}`).
    pub fn has_variables(&self) -> bool {
        // `{{` cannot straddle the `/` that joins the two in the key.
        let holds = |s: &str| s.contains('$') || s.contains("{{");
        self.registry.as_deref().is_some_and(holds) || holds(&self.repository)
    }

    /// The tag holds a variable.
    pub fn tag_has_variables(&self) -> bool {
        self.tag
            .as_deref()
            .is_some_and(|t| t.contains('$') || t.contains("{{"))
    }

    /// Pinned: a tag other than `latest`, or a digest.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some() || self.tag.as_deref().is_some_and(|t| t != "latest")
    }
}

fn split_tag(s: &str) -> (&str, Option<String>) {
    let mut depth = 0i32;
    let mut last_slash = 0usize;
    let mut colon: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            '/' if depth <= 0 => {
                last_slash = i + 1;
                colon = None;
            }
            ':' if depth <= 0 && colon.is_none() && i >= last_slash => colon = Some(i),
            _ => {}
        }
    }
    match colon {
        Some(i) => (&s[..i], Some(s[i + 1..].to_string())),
        None => (s, None),
    }
}

fn looks_like_registry(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost" || first.starts_with('$')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts() {
        let r = ImageRef::parse("ghcr.io/acme/api:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(r.repository, "acme/api");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("localhost:5000/api");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        assert_eq!(ImageRef::parse("node:20").tag.as_deref(), Some("20"));
        let r = ImageRef::parse("docker.io/library/nginx:latest");
        assert_eq!(r.key(), "nginx");
        assert!(!r.is_pinned());
        assert!(ImageRef::parse("postgres:16").is_pinned());
        let r = ImageRef::parse("$REGISTRY/api:${TAG:-dev}");
        assert_eq!(r.short_name(), "api");
        assert_eq!(r.tag.as_deref(), Some("${TAG:-dev}"));
        assert!(r.has_variables() && r.tag_has_variables());
    }

    #[test]
    fn docker_hub_spellings_are_one_image() {
        let plain = ImageRef::parse("x:latest");
        for s in [
            "docker.io/library/x:latest",
            "docker.io/x:latest",
            "library/x:latest",
            "index.docker.io/library/x:latest",
            "registry-1.docker.io/library/x:latest",
        ] {
            assert_eq!(ImageRef::parse(s), plain, "{s}");
        }
        assert_eq!(
            ImageRef::parse("docker.io/acme/x:1"),
            ImageRef::parse("acme/x:1")
        );
        // `library/` is Docker Hub's only.
        assert_eq!(ImageRef::parse("ghcr.io/library/x").repository, "library/x");
    }
}
