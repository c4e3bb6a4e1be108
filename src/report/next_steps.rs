//! The report's next steps: the same advice for several subjects is one
//! step that lists them ("Run the tests of `api`, `web` and `worker`
//! inside their built images"), never a dozen lines that differ only in
//! the service. Built once with the report model; renderers only cap how
//! many they print.

/// How many subjects a grouped step names before "and N more".
const MAX_SUBJECTS: usize = 8;

/// Groups steps that differ only in one backticked subject (and in the
/// other backticked spans that contain it, such as `build: ./api`), in
/// the order the first of each group came; a step said twice is said once.
pub fn group(steps: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let steps: Vec<String> = steps
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect();
    // Every way to read each step as (template, subject). A template keeps
    // the text outside the backticks verbatim, so two steps share one
    // only if that text is the same, and two readings of one step agree
    // only if two of its spans say the same: a step with neither keeps its
    // text, and its readings (quadratic in its spans: 1.2 billion
    // instructions for a step naming 894 Dockerfiles) are not built.
    let mut outlines: std::collections::HashMap<String, usize> = Default::default();
    for s in &steps {
        *outlines.entry(outline(s)).or_default() += 1;
    }
    // Templates are interned: a thousand steps that share one keep one
    // copy of it (the readings of every step as owned strings were the
    // peak of memory on some monorepos).
    let mut templates = Templates::default();
    let readings: Vec<Vec<(usize, &str)>> = steps
        .iter()
        .map(|s| {
            let shared = outlines.get(&outline(s)).is_some_and(|&n| n >= 2);
            if shared || repeats_a_span(s) || s.contains(SUBJECT) {
                readings(s, &mut templates)
            } else {
                Vec::new()
            }
        })
        .collect();
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
    let mut index: std::collections::HashMap<usize, usize> = Default::default();
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

/// Distinct templates, each stored once, by number.
#[derive(Default)]
struct Templates {
    texts: Vec<String>,
    ids: std::collections::HashMap<String, usize>,
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

/// The marker standing for the subject in a template.
const SUBJECT: char = '\u{0}';

/// Byte ranges of the backticked spans' contents.
fn spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in s.char_indices() {
        if c == '`' {
            match open.take() {
                None => open = Some(i + 1),
                Some(start) => out.push((start, i)),
            }
        }
    }
    out
}

/// The step with the contents of its backticked spans left out.
fn outline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, b) in spans(s) {
        out.push_str(&s[last..a]);
        last = b;
    }
    out.push_str(&s[last..]);
    out
}

/// Whether two backticked spans of the step have the same content.
fn repeats_a_span(s: &str) -> bool {
    let mut contents: Vec<&str> = spans(s).into_iter().map(|(a, b)| &s[a..b]).collect();
    contents.sort_unstable();
    contents.windows(2).any(|w| w[0] == w[1])
}

/// Each backticked span as the subject: the step with that span's content
/// replaced by the marker, here and inside the other spans (the template,
/// by its number in `templates`).
fn readings<'s>(s: &'s str, templates: &mut Templates) -> Vec<(usize, &'s str)> {
    let sp = spans(s);
    let mut out = Vec::new();
    for &(start, end) in &sp {
        let subject = &s[start..end];
        if subject.is_empty() || subject.contains(SUBJECT) {
            continue;
        }
        let mut template = String::with_capacity(s.len());
        let mut last = 0;
        for &(a, b) in &sp {
            template.push_str(&s[last..a]);
            if (a, b) == (start, end) {
                template.push(SUBJECT);
            } else {
                template.push_str(&replace_within(&s[a..b], subject));
            }
            last = b;
        }
        template.push_str(&s[last..]);
        out.push((templates.intern(template), subject));
    }
    out
}

/// `inner` with `subject` replaced by the marker where it stands as a
/// whole path segment (`./api` or `api/Dockerfile`, not `apis`).
fn replace_within(inner: &str, subject: &str) -> String {
    let mut out = String::new();
    let mut rest = inner;
    while let Some(i) = rest.find(subject) {
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
    out
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
        assert_eq!(
            replace_within("apis/api/Dockerfile", "api"),
            "apis/\u{0}/Dockerfile"
        );
    }

    #[test]
    fn steps_that_cannot_share_a_reading_skip_building_readings() {
        // Two spans with the same content: its readings agree with each
        // other, as they did before the shortcut.
        let out = group(v(&["Copy `a` to `a`."]));
        assert_eq!(out, v(&["Copy `a` to `<each>`."]));
        let mut templates = Templates::default();
        let every = readings("Copy `a` to `a`.", &mut templates);
        assert_eq!(every[0].0, every[1].0);
        assert_eq!(templates.texts.len(), 1);
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
