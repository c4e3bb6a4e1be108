//! Image references: parsing `registry/repo:tag@digest`, and deciding
//! whether two references name the same image when CI variables stand in
//! for parts of them.

/// An image reference split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host when the first segment looks like one.
    pub registry: Option<String>,
    /// Repository path without registry, tag or digest (`library/` dropped).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

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
        let mut repository = parts.join("/");
        if matches!(
            registry.as_deref(),
            None | Some("docker.io") | Some("index.docker.io") | Some("registry-1.docker.io")
        ) {
            if let Some(r) = repository.strip_prefix("library/") {
                repository = r.to_string();
            }
        }
        ImageRef {
            registry: registry.filter(|r| r != "docker.io" && r != "index.docker.io"),
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

    pub fn has_variables(&self) -> bool {
        self.key().contains('$') || self.key().contains("{{")
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

/// Removes `${...}`, `$(...)`, `${{ ... }}` and `$VAR` pieces.
fn strip_variables(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let close = match b.get(i + 1) {
                Some(b'{') => Some(b'}'),
                Some(b'(') => Some(b')'),
                _ => None,
            };
            match close {
                Some(c) => {
                    let mut depth = 0usize;
                    let open = b[i + 1];
                    let mut j = i + 1;
                    while j < b.len() {
                        if b[j] == open {
                            depth += 1;
                        } else if b[j] == c {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        j += 1;
                    }
                    i = j + 1;
                }
                None => {
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                }
            }
            continue;
        }
        if b[i] == b'{' && b.get(i + 1) == Some(&b'{') {
            match s[i..].find("}}") {
                Some(end) => {
                    i += end + 2;
                    continue;
                }
                None => break,
            }
        }
        out.push(b[i] as char);
        i += 1;
    }
    out
}

/// The key [`same_image`] can only match on: the short name without
/// variables and separators, lowercased. Equal keys are necessary (not
/// sufficient) for two references to name the same image.
pub fn match_key(s: &str) -> String {
    match_key_of(&ImageRef::parse(s))
}

fn match_key_of(r: &ImageRef) -> String {
    strip_variables(r.short_name())
        .trim_matches(|c: char| c == '-' || c == '_' || c == '/')
        .to_ascii_lowercase()
}

/// Image names with a value each, grouped by [`match_key`], so finding the
/// names that match a reference costs one hash lookup plus a few
/// [`same_image`] checks instead of a scan of every name. Names are parsed
/// once, when inserted.
#[derive(Clone, Debug)]
pub struct NameIndex<T> {
    by_key: std::collections::HashMap<String, Vec<(ImageRef, T)>>,
}

impl<T> Default for NameIndex<T> {
    fn default() -> Self {
        NameIndex {
            by_key: std::collections::HashMap::new(),
        }
    }
}

impl<T> NameIndex<T> {
    pub fn insert(&mut self, name: &str, value: T) {
        let r = ImageRef::parse(name);
        self.by_key
            .entry(match_key_of(&r))
            .or_default()
            .push((r, value));
    }

    /// The values of every name that [`same_image`] matches with `image`.
    pub fn matches<'a>(&'a self, image: &str) -> impl Iterator<Item = &'a T> + 'a {
        let r = ImageRef::parse(image);
        self.by_key
            .get(&match_key_of(&r))
            .into_iter()
            .flatten()
            .filter(move |(n, _)| same_image_ref(n, &r))
            .map(|(_, v)| v)
    }
}

/// Whether two references name the same image. Exact keys match; when
/// either side is built from variables, the last path segments (with the
/// variables removed) must agree and be meaningful.
pub fn same_image(a: &str, b: &str) -> bool {
    same_image_ref(&ImageRef::parse(a), &ImageRef::parse(b))
}

/// [`same_image`] over parsed references.
pub fn same_image_ref(ra: &ImageRef, rb: &ImageRef) -> bool {
    if ra.repository.is_empty() || rb.repository.is_empty() {
        return false;
    }
    let (key_a, key_b) = (ra.key(), rb.key());
    if key_a.eq_ignore_ascii_case(&key_b) {
        return true;
    }
    let (sa, sb) = (
        strip_variables(ra.short_name()),
        strip_variables(rb.short_name()),
    );
    let sa = sa.trim_matches(|c: char| c == '-' || c == '_' || c == '/');
    let sb = sb.trim_matches(|c: char| c == '-' || c == '_' || c == '/');
    if sa.len() < 2 || sb.len() < 2 || !sa.eq_ignore_ascii_case(sb) {
        return false;
    }
    // Same short name: accept when registries don't contradict each other.
    let ka = strip_variables(&key_a);
    let kb = strip_variables(&key_b);
    ra.has_variables()
        || rb.has_variables()
        || ka.ends_with(&kb)
        || kb.ends_with(&ka)
        || ra.registry.is_none()
        || rb.registry.is_none()
}

/// Well-known public registries (Docker Hub has no registry part).
pub fn is_public_registry(registry: Option<&str>) -> bool {
    match registry {
        None => true,
        Some(r) => {
            matches!(
                r,
                "docker.io"
                    | "ghcr.io"
                    | "quay.io"
                    | "gcr.io"
                    | "mcr.microsoft.com"
                    | "public.ecr.aws"
                    | "registry.k8s.io"
                    | "k8s.gcr.io"
                    | "registry.gitlab.com"
                    | "docker.elastic.co"
                    | "nvcr.io"
                    | "cgr.dev"
            ) || r.ends_with(".gcr.io")
        }
    }
}

/// Base images that start a server by themselves.
const RUNTIME_BASES: &[&str] = &[
    "nginx",
    "httpd",
    "caddy",
    "traefik",
    "haproxy",
    "tomcat",
    "jetty",
    "wildfly",
    "openresty",
    "envoy",
    "kong",
    "varnish",
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "rabbitmq",
    "elasticsearch",
    "memcached",
    "grafana",
    "prometheus",
    "minio",
    "keycloak",
    "nginx-unprivileged",
    "apache",
    "php",
    "unit",
    "wordpress",
    "ghost",
    "nextcloud",
    "sonarqube",
    "jenkins",
    "consul",
    "vault",
];

/// Whether `image` (e.g. `nginx:1.27-alpine`, `php:8.3-apache`) is a base
/// that runs something without a CMD of our own.
pub fn is_runtime_base(image: &str) -> bool {
    let r = ImageRef::parse(image);
    let short = r.short_name().to_ascii_lowercase();
    if short == "php" {
        return r
            .tag
            .as_deref()
            .is_some_and(|t| t.contains("apache") || t.contains("fpm"));
    }
    RUNTIME_BASES.contains(&short.as_str())
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
        assert!(r.digest.is_some());
        let r = ImageRef::parse("localhost:5000/api");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        let r = ImageRef::parse("docker.io/library/nginx:latest");
        assert_eq!(r.key(), "nginx");
        assert!(!r.is_pinned());
        assert!(ImageRef::parse("postgres:16").is_pinned());
        let r = ImageRef::parse("$REGISTRY/api:${TAG:-dev}");
        assert_eq!(r.short_name(), "api");
    }

    #[test]
    fn matches_across_variables() {
        assert!(same_image("acme/api:1", "acme/api:2"));
        assert!(same_image(
            "ghcr.io/${{ github.repository_owner }}/api:${{ github.sha }}",
            "ghcr.io/acme/api:1.0"
        ));
        assert!(same_image(
            "$CI_REGISTRY_IMAGE/worker:$CI_COMMIT_SHA",
            "registry.gitlab.com/acme/shop/worker"
        ));
        assert!(!same_image("acme/api", "acme/web"));
        assert!(!same_image("ghcr.io/acme/api", "quay.io/other/api"));
        assert!(!same_image("$IMAGE", "acme/api"));
    }
}
