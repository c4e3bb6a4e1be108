//! `latest` → the tag the repository already uses for the same image
//! elsewhere (another Dockerfile's `FROM`, a Compose `image:`, a
//! Kubernetes container, a CI job image). Only when every other mention
//! of that image agrees on one tag: otherwise the choice is the team's.

use crate::audit::Audit;
use crate::image_ref::ImageRef;
use std::collections::BTreeMap;

/// Image key → the one tag the repository uses for it elsewhere.
pub(super) fn known_tags(audit: &Audit) -> BTreeMap<String, String> {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut note = |image: &str| {
        let r = ImageRef::parse(image);
        if r.has_variables() || r.tag_has_variables() {
            return;
        }
        if let Some(tag) = r.tag.clone().filter(|t| t != "latest") {
            let tags = seen.entry(r.key()).or_default();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    };
    let f = &audit.facts;
    for d in &f.dockerfiles {
        for st in d.dockerfile.stages() {
            note(&st.base);
        }
    }
    for p in &f.compose {
        for s in &p.services {
            if let Some(i) = &s.image {
                note(&i.value);
            }
        }
    }
    for o in &f.orchestration.objects {
        for c in &o.containers {
            note(&c.image);
        }
    }
    for p in &f.pipelines {
        for j in &p.jobs {
            for i in j.container.iter().chain(&j.services) {
                note(&i.image);
            }
        }
    }
    seen.into_iter()
        .filter_map(|(k, tags)| match tags.as_slice() {
            [one] => Some((k, one.clone())),
            _ => None,
        })
        .collect()
}

/// Rewrites the image on a line to the known tag: `name:latest` →
/// `name:TAG`, and (Compose, Kubernetes) an untagged `name` → `name:TAG`.
/// Only one image on the line may need it.
pub(super) fn pin_line(line: &mut String, tags: &BTreeMap<String, String>, code: &str) -> bool {
    let mut body_end = line.trim_end_matches(['\n', '\r']).len();
    if code != "DL3007" {
        // A YAML comment is not an image.
        body_end = line[..body_end].find(" #").unwrap_or(body_end);
    }
    let mut hits = Vec::new();
    let mut start = None;
    let body = &line[..body_end];
    for (i, c) in body.char_indices().chain(std::iter::once((body_end, ' '))) {
        let boundary = matches!(c, ' ' | '\t' | '"' | '\'' | '=');
        match (start, boundary) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                hits.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let mut edits = Vec::new();
    for (s, e) in hits {
        let word = &line[s..e];
        if word.ends_with(':') || word.contains("://") {
            continue;
        }
        let r = ImageRef::parse(word);
        if r.digest.is_some() || r.has_variables() {
            continue;
        }
        let Some(tag) = tags.get(&r.key()) else {
            continue;
        };
        match r.tag.as_deref() {
            Some("latest") => edits.push((e - "latest".len(), e, tag.clone())),
            None if code != "DL3007" && word.contains(r.short_name()) => {
                edits.push((e, e, format!(":{tag}")))
            }
            _ => {}
        }
    }
    if edits.len() != 1 {
        return false;
    }
    let (s, e, text) = &edits[0];
    line.replace_range(*s..*e, text);
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn latest_becomes_the_known_tag() {
        let tags: BTreeMap<String, String> = [
            ("node".to_string(), "22.12.0-bookworm-slim".to_string()),
            ("ghcr.io/acme/api".to_string(), "1.4.2".to_string()),
        ]
        .into();
        let mut l = "FROM node:latest AS build\n".to_string();
        assert!(pin_line(&mut l, &tags, "DL3007"));
        assert_eq!(l, "FROM node:22.12.0-bookworm-slim AS build\n");
        let mut l = "    image: \"ghcr.io/acme/api\"  # the API\r\n".to_string();
        assert!(pin_line(&mut l, &tags, "KR201"));
        assert_eq!(l, "    image: \"ghcr.io/acme/api:1.4.2\"  # the API\r\n");
        // An untagged FROM is DL3006's, not this fix's.
        let mut l = "FROM node\n".to_string();
        assert!(!pin_line(&mut l, &tags, "DL3007"));
        // An image the repository never tags is left alone.
        let mut l = "FROM python:latest\n".to_string();
        assert!(!pin_line(&mut l, &tags, "DL3007"));
    }
}
