//! The report's next steps: the same advice for several subjects is one
//! step that lists them ("Run the tests of `api`, `web` and `worker`
//! inside their built images"), never a dozen lines that differ only in
//! the service. Built once with the report model; renderers only cap how
//! many they print.

use crate::fast_hash::{FastMap, FastSet};

/// How many subjects a grouped step names before "and N more".
const MAX_SUBJECTS: usize = 8;

/// Groups steps that differ only in one backticked subject (and in the
/// other backticked spans that contain it, such as `build: ./api`), in
/// the order the first of each group came; a step said twice is said once.
pub fn group(steps: Vec<String>) -> Vec<String> {
    let mut seen: FastSet<&str> = Default::default();
    let mut kept = vec![false; steps.len()];
    for (k, s) in kept.iter_mut().zip(&steps) {
        *k = seen.insert(s.as_str());
    }
    drop(seen);
    let steps: Vec<String> = steps
        .into_iter()
        .zip(kept)
        .filter_map(|(s, k)| k.then_some(s))
        .collect();
    let (spans, outlines): (Vec<Spans>, Vec<String>) = map(&steps, |s| {
        let sp = spans(s);
        let outline = outline_of(s, &sp);
        (sp, outline)
    })
    .into_iter()
    .unzip();
    // Every way to read each step as (template, subject). A template keeps
    // the text outside the backticks verbatim, so two steps share one
    // only if that text is the same, and two readings of one step agree
    // only if two of its spans say the same: a step with neither keeps its
    // text, and its readings (quadratic in its spans: 1.2 billion
    // instructions for a step naming 894 Dockerfiles) are not built.
    let mut outline_counts: FastMap<&str, usize> = Default::default();
    for o in &outlines {
        *outline_counts.entry(o.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = outlines
        .iter()
        .map(|o| outline_counts.get(o.as_str()).is_some_and(|&n| n >= 2))
        .collect();
    let with_spans: Vec<(&String, &Spans, bool)> = steps
        .iter()
        .zip(&spans)
        .zip(shared)
        .map(|((s, sp), shared)| (s, sp, shared))
        .collect();
    // Templates are interned: a thousand steps that share one keep one
    // copy of it (the readings of every step as owned strings were the
    // peak of memory on some monorepos). Readings are built on every core
    // a batch at a time and interned as each batch comes back.
    let mut templates = Templates::default();
    let mut readings: Vec<Vec<(usize, &str)>> = Vec::with_capacity(steps.len());
    for batch in with_spans.chunks(READING_BATCH) {
        let built = map(batch, |(s, sp, shared)| {
            if *shared || repeats_a_span(s, sp) || s.contains(SUBJECT) {
                readings_of(s, sp)
            } else {
                Vec::new()
            }
        });
        for r in built {
            readings.push(
                r.into_iter()
                    .map(|(template, subject)| (templates.intern(template), subject))
                    .collect(),
            );
        }
    }
    let mut counts: Vec<usize> = vec![0; templates.texts.len()];
    for r in &readings {
        for &(template, _) in r {
            if let Some(c) = counts.get_mut(template) {
                *c += 1;
            }
        }
    }
    // Each step takes its reading with the largest group (the earliest
    // span on ties); groups of one stay as they are.
    let mut groups: Vec<(Option<usize>, Vec<String>)> = Vec::new();
    let mut index: FastMap<usize, usize> = Default::default();
    for (step, r) in steps.iter().zip(&readings) {
        let best = r
            .iter()
            .map(|&(t, subject)| (counts.get(t).copied().unwrap_or(0), t, subject))
            .filter(|(n, _, _)| *n >= 2)
            .fold(None::<(usize, usize, &str)>, |acc, x| match acc {
                Some(a) if a.0 >= x.0 => Some(a),
                _ => Some(x),
            });
        match best {
            Some((_, template, subject)) => match index.get(&template) {
                Some(&g) => groups[g].1.push(subject.to_string()),
                None => {
                    index.insert(template, groups.len());
                    groups.push((Some(template), vec![subject.to_string()]));
                }
            },
            None => groups.push((None, vec![step.clone()])),
        }
    }
    groups
        .into_iter()
        .map(
            |(template, subjects)| match template.and_then(|t| templates.texts.get(t)) {
                Some(template) => render(template, &subjects),
                None => subjects.into_iter().next().unwrap_or_default(),
            },
        )
        .collect()
}

/// How many steps' readings are built before they are interned.
const READING_BATCH: usize = 512;

/// Distinct templates, each stored once, by number.
#[derive(Default)]
struct Templates {
    texts: Vec<String>,
    ids: FastMap<String, usize>,
}

impl Templates {
    fn intern(&mut self, template: String) -> usize {
        if let Some(&id) = self.ids.get(&template) {
            return id;
        }
        let id = self.texts.len();
        self.texts.push(template.clone());
        self.ids.insert(template, id);
        id
    }
}

/// `f` over the steps, on every core when there are many (a next step a
/// service at 1,000 services: its spans, outline and readings are most of
/// the report model's time).
fn map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    if items.len() < 256 {
        items.iter().map(f).collect()
    } else {
        crate::par::map(items, f)
    }
}

/// Byte ranges of a step's backticked spans' contents.
type Spans = Vec<(usize, usize)>;

/// The marker standing for the subject in a template.
const SUBJECT: char = '\u{0}';

/// Byte ranges of the backticked spans' contents.
fn spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    // A backtick is one byte, never part of another character.
    for (i, _) in s.bytes().enumerate().filter(|(_, b)| *b == b'`') {
        match open.take() {
            None => open = Some(i + 1),
            Some(start) => out.push((start, i)),
        }
    }
    out
}

/// The step with the contents of its backticked spans left out.
#[cfg(test)]
fn outline(s: &str) -> String {
    outline_of(s, &spans(s))
}

fn outline_of(s: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for &(a, b) in spans {
        out.push_str(&s[last..a]);
        last = b;
    }
    out.push_str(&s[last..]);
    out
}

/// Whether two backticked spans of the step have the same content.
fn repeats_a_span(s: &str, spans: &[(usize, usize)]) -> bool {
    let mut contents: Vec<&str> = spans.iter().map(|&(a, b)| &s[a..b]).collect();
    contents.sort_unstable();
    contents.windows(2).any(|w| w[0] == w[1])
}

/// Each backticked span as the subject: the step with that span's content
/// replaced by the marker, here and inside the other spans.
#[cfg(test)]
fn readings(s: &str) -> Vec<(String, String)> {
    readings_of(s, &spans(s))
        .into_iter()
        .map(|(t, subject)| (t, subject.to_string()))
        .collect()
}

fn readings_of<'s>(s: &'s str, sp: &[(usize, usize)]) -> Vec<(String, &'s str)> {
    let mut out = Vec::new();
    for &(start, end) in sp {
        let subject = &s[start..end];
        if subject.is_empty() || subject.contains(SUBJECT) {
            continue;
        }
        let mut template = String::with_capacity(s.len());
        let mut last = 0;
        for &(a, b) in sp {
            template.push_str(&s[last..a]);
            if (a, b) == (start, end) {
                template.push(SUBJECT);
            } else {
                replace_within(&s[a..b], subject, &mut template);
            }
            last = b;
        }
        template.push_str(&s[last..]);
        out.push((template, subject));
    }
    out
}

/// `inner` with `subject` replaced by the marker where it stands as a
/// whole path segment (`./api` or `api/Dockerfile`, not `apis`), pushed
/// onto `out`.
fn replace_within(inner: &str, subject: &str, out: &mut String) {
    let mut rest = inner;
    while let Some(i) = find(rest, subject) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + subject.len()..].chars().next();
        let bounded = before.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-')
            && after.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-');
        out.push_str(&rest[..i]);
        if bounded {
            out.push(SUBJECT);
        } else {
            out.push_str(subject);
        }
        rest = &rest[i + subject.len()..];
    }
    out.push_str(rest);
}

/// Where `needle` (not empty) first occurs in `hay`: `str::find` without
/// its searcher's set-up, which cost more than the search on these short
/// spans. A match of a whole UTF-8 string starts and ends on character
/// boundaries.
fn find(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let first = *needle.first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut i = 0;
    while i <= last_start {
        i += hay[i..=last_start].iter().position(|&b| b == first)?;
        if hay[i..].starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn render(template: &str, subjects: &[String]) -> String {
    let shown: Vec<String> = subjects
        .iter()
        .take(MAX_SUBJECTS)
        .map(|s| format!("`{s}`"))
        .collect();
    let list = match (shown.len(), subjects.len()) {
        (_, n) if n > MAX_SUBJECTS => {
            format!("{} and {} more", shown.join(", "), n - MAX_SUBJECTS)
        }
        (1, _) => shown.join(""),
        _ => {
            let (last, first) = shown
                .split_last()
                .map_or((String::new(), &[][..]), |(l, f)| (l.clone(), f));
            format!("{} and {last}", first.join(", "))
        }
    };
    // The first marker (in backticks) takes the list; markers inside other
    // spans stand for "each of them".
    let mut out = template.replacen(&format!("`{SUBJECT}`"), &list, 1);
    out = out.replace(SUBJECT, "<each>");
    if subjects.len() > 1 {
        out = out.replace(" its ", " their ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn same_advice_for_several_services_is_one_step() {
        let out = group(v(&[
            "Write a Dockerfile for `api`.",
            "Run the tests of `api` inside its built image in CI.",
            "Run the tests of `web` inside its built image in CI.",
            "Run the tests of `worker` inside its built image in CI.",
        ]));
        assert_eq!(
            out,
            v(&[
                "Write a Dockerfile for `api`.",
                "Run the tests of `api`, `web` and `worker` inside their built image in CI.",
            ])
        );
    }

    #[test]
    fn spans_that_contain_the_subject_follow_it() {
        let out = group(v(&[
            "Add a service for `src/Api` to `compose.yml` (`build: ./src/Api`).",
            "Add a service for `src/Web` to `compose.yml` (`build: ./src/Web`).",
        ]));
        assert_eq!(
            out,
            v(&["Add a service for `src/Api` and `src/Web` to `compose.yml` (`build: ./<each>`)."])
        );
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        let lines: Vec<String> = (0..12)
            .map(|i| format!("Add a `.dockerignore` to the build context `svc{i:02}`."))
            .collect();
        let out = group(lines);
        assert_eq!(out.len(), 1);
        assert!(out[0].ends_with("`svc07` and 4 more."), "{}", out[0]);
    }

    #[test]
    fn different_advice_and_duplicates() {
        let out = group(v(&[
            "Fix `a`.",
            "Fix `a`.",
            "Document how to start the app in `README.md`.",
            "Write a Dockerfile for `x` (Go, `x/go.mod`).",
            "Write a Dockerfile for `y` (Python, `y/pyproject.toml`).",
        ]));
        assert_eq!(
            out,
            v(&[
                "Fix `a`.",
                "Document how to start the app in `README.md`.",
                "Write a Dockerfile for `x` (Go, `x/go.mod`).",
                "Write a Dockerfile for `y` (Python, `y/pyproject.toml`).",
            ])
        );
    }

    #[test]
    fn a_subject_inside_a_longer_name_is_not_replaced() {
        let mut out = String::new();
        replace_within("apis/api/Dockerfile", "api", &mut out);
        assert_eq!(out, "apis/\u{0}/Dockerfile");
        assert_eq!(find("aab", "ab"), Some(1));
        assert_eq!(find("ab", "abc"), None);
        assert_eq!(find("ééx", "éx"), Some(2));
    }

    #[test]
    fn steps_that_cannot_share_a_reading_skip_building_readings() {
        // Two spans with the same content: its readings agree with each
        // other, as they did before the shortcut.
        let out = group(v(&["Copy `a` to `a`."]));
        assert_eq!(out, v(&["Copy `a` to `<each>`."]));
        let every: Vec<(String, String)> = readings("Copy `a` to `a`.");
        assert_eq!(every[0].0, every[1].0);
        // A step whose outline no other step has is kept as written,
        // however many spans it has.
        let long = format!(
            "Check {}.",
            (0..900)
                .map(|i| format!("`svc{i}/Dockerfile`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let out = group(vec![long.clone(), "Write a Dockerfile for `api`.".into()]);
        assert_eq!(out, vec![long, "Write a Dockerfile for `api`.".to_string()]);
        assert_eq!(outline("a `b` c `d"), "a `` c `d");
    }
}
