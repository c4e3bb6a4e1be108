//! Whether two image references name the same image when CI variables
//! stand in for parts of them (the references themselves are
//! [`crate::image_ref::ImageRef`]).

use crate::image_ref::ImageRef;

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
    // Equal keys, compared without building them (most lookups match).
    if keys_equal_ignoring_case(ra, rb) {
        return true;
    }
    let (key_a, key_b) = (ra.key(), rb.key());
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

/// `ra.key().eq_ignore_ascii_case(&rb.key())`, without the two strings.
fn keys_equal_ignoring_case(ra: &ImageRef, rb: &ImageRef) -> bool {
    fn parts(r: &ImageRef) -> [&[u8]; 3] {
        match &r.registry {
            Some(reg) => [reg.as_bytes(), b"/", r.repository.as_bytes()],
            None => [b"", b"", r.repository.as_bytes()],
        }
    }
    let (pa, pb) = (parts(ra), parts(rb));
    let len = |p: &[&[u8]; 3]| p.iter().map(|x| x.len()).sum::<usize>();
    if len(&pa) != len(&pb) {
        return false;
    }
    // Walk both part lists chunk by chunk (byte-wise iteration over the
    // flattened parts cost 30 instructions a byte).
    let (mut a, mut b) = (pa.iter().copied(), pb.iter().copied());
    let (mut x, mut y): (&[u8], &[u8]) = (&[], &[]);
    loop {
        while x.is_empty() {
            match a.next() {
                Some(p) => x = p,
                None => return true,
            }
        }
        while y.is_empty() {
            match b.next() {
                Some(p) => y = p,
                None => return true,
            }
        }
        let n = x.len().min(y.len());
        if !x[..n].eq_ignore_ascii_case(&y[..n]) {
            return false;
        }
        (x, y) = (&x[n..], &y[n..]);
    }
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
        assert!(same_image("GHCR.io/Acme/API", "ghcr.io/acme/api:2"));
        assert!(!same_image("ghcr.io/acme/api", "ghcr.ioacme/api"));
    }
}
