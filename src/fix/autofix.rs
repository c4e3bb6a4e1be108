//! Autofixes: line-level edits for findings whose fix is certain. Every
//! other byte of the file is kept (line endings included).

use super::{Change, Plan, Selection};
use crate::audit::Audit;
use crate::finding::Finding;
use std::collections::BTreeMap;
use std::path::Path;

/// The rules `kubeready fix` can fix.
pub const FIXABLE_RULES: &[&str] = &[
    "DL3007", "DL3015", "DL3020", "DL3025", "DL4000", "KR108", "KR109", "KR201", "KR401",
];

const DOCKERIGNORE_MINIMAL: &str = include_str!("../../templates/dockerignore-minimal.txt");

pub(super) fn plan(root: &Path, audit: &Audit, selection: &Selection, plan: &mut Plan) {
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &audit.report.findings {
        if f.code == "KR108" {
            if selection.rule(f.code) {
                new_dockerignore(root, f, plan);
            }
        } else if FIXABLE_RULES.contains(&f.code) && selection.rule(f.code) {
            by_file.entry(&f.location.file).or_default().push(f);
        }
    }
    let tags = super::pin::known_tags(audit);
    for (file, findings) in by_file {
        // A link may lead out of the tree: only regular files are edited.
        let regular = std::fs::symlink_metadata(root.join(file)).is_ok_and(|m| m.is_file());
        if !regular {
            plan.skipped
                .push(format!("`{file}` is not a regular file; not edited"));
            continue;
        }
        let Ok(old) = std::fs::read_to_string(root.join(file)) else {
            plan.skipped.push(format!("`{file}` could not be read"));
            continue;
        };
        let mut lines: Vec<String> = old.split_inclusive('\n').map(str::to_string).collect();
        let mut reasons = Vec::new();
        let mut appended: Vec<String> = Vec::new();
        for f in findings {
            let idx = (f.location.line as usize).saturating_sub(1);
            let done = match f.code {
                "DL3020" => lines.get_mut(idx).is_some_and(add_to_copy),
                "DL4000" => lines.get_mut(idx).is_some_and(maintainer_to_label),
                "DL3007" | "KR201" | "KR401" => lines
                    .get_mut(idx)
                    .is_some_and(|l| super::pin::pin_line(l, &tags, f.code)),
                "DL3015" => no_install_recommends(&mut lines, idx),
                "DL3025" => {
                    let has_entrypoint = lines
                        .iter()
                        .any(|l| keyword(l).1.eq_ignore_ascii_case("ENTRYPOINT"));
                    !has_entrypoint && lines.get_mut(idx).is_some_and(cmd_to_exec_form)
                }
                "KR109" => {
                    for m in kr109_missing(&f.subject) {
                        if !appended.contains(&m) {
                            appended.push(m);
                        }
                    }
                    true
                }
                _ => false,
            };
            let what = format!("{} line {}", f.code, f.location.line);
            if done {
                if !reasons.contains(&what) {
                    reasons.push(what);
                }
            } else if matches!(f.code, "DL3007" | "KR201" | "KR401") {
                plan.skipped.push(format!(
                    "`{file}`: {what} not fixed (the repository uses no single tag for this image elsewhere)"
                ));
            } else {
                plan.skipped
                    .push(format!("`{file}`: {what} not fixed (unusual form)"));
            }
        }
        if !appended.is_empty() {
            let eol = if old.contains("\r\n") { "\r\n" } else { "\n" };
            if let Some(last) = lines.last_mut() {
                if !last.ends_with('\n') {
                    last.push_str(eol);
                }
            }
            for m in appended {
                lines.push(format!("{m}{eol}"));
            }
        }
        let new: String = lines.concat();
        if new != old {
            plan.changes.push(Change {
                path: file.to_string(),
                old: Some(old),
                new,
                reasons,
            });
        }
    }
}

/// KR108: a minimal `.dockerignore` (`.git`, and `node_modules` beside a
/// `package.json`) for a build context that has none, unless the
/// Dockerfile names either (it may need them).
fn new_dockerignore(root: &Path, f: &Finding, plan: &mut Plan) {
    let Some(context) = f.subject.strip_prefix("context ") else {
        return;
    };
    let context = if context == "." { "" } else { context };
    let path = super::join(context, ".dockerignore");
    if plan.changes.iter().any(|c| c.path == path) || root.join(&path).exists() {
        return;
    }
    let dockerfile = std::fs::read_to_string(root.join(&f.location.file)).unwrap_or_default();
    if dockerfile.contains(".git")
        || dockerfile.contains("node_modules")
        || dockerfile.contains("git ")
    {
        plan.skipped.push(format!(
            "`{path}` not written (KR108): `{}` names `.git` or `node_modules`",
            f.location.file
        ));
        return;
    }
    let node = root.join(context).join("package.json").is_file();
    let extra = if node { "node_modules" } else { "" };
    plan.changes.push(Change {
        path,
        old: None,
        new: super::render(DOCKERIGNORE_MINIMAL, &[("EXTRA", extra.to_string())]),
        reasons: vec![format!("KR108 for `{}`", f.location.file)],
    });
}

/// The entries a KR109 finding says are missing (its subject is
/// `FILE .git,node_modules`).
fn kr109_missing(subject: &str) -> Vec<String> {
    subject
        .rsplit_once(' ')
        .map(|(_, list)| {
            list.split(',')
                .filter(|m| matches!(*m, ".git" | "node_modules"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Splits a line into its leading whitespace, first word and the rest.
fn keyword(line: &str) -> (usize, &str) {
    let start = line.len() - line.trim_start().len();
    let word = line[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    (start, word)
}

/// `ADD src dest` → `COPY src dest` (DL3020 fires only for local files).
fn add_to_copy(line: &mut String) -> bool {
    let (start, word) = keyword(line);
    if !word.eq_ignore_ascii_case("ADD") {
        return false;
    }
    let copy = if word == "ADD" { "COPY" } else { "copy" };
    line.replace_range(start..start + 3, copy);
    true
}

/// `MAINTAINER Jane <j@x>` → `LABEL maintainer="Jane <j@x>"`.
fn maintainer_to_label(line: &mut String) -> bool {
    let (start, word) = keyword(line);
    if !word.eq_ignore_ascii_case("MAINTAINER") {
        return false;
    }
    let body_end = line.trim_end_matches(['\n', '\r']).len();
    let eol = line[body_end..].to_string();
    let value = line[start + word.len()..body_end].trim();
    if value.is_empty() || value.ends_with('\\') {
        return false;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    let indent = line[..start].to_string();
    *line = format!("{indent}LABEL maintainer=\"{escaped}\"{eol}");
    true
}

/// `CMD node server.js` → `CMD ["node", "server.js"]`, only when every
/// word is plain (no variable, quote, glob, redirection or operator the
/// shell would interpret) and the command fits on its line. The caller
/// makes sure no `ENTRYPOINT` receives the command as arguments.
fn cmd_to_exec_form(line: &mut String) -> bool {
    let (start, word) = keyword(line);
    if !word.eq_ignore_ascii_case("CMD") {
        return false;
    }
    let body_end = line.trim_end_matches(['\n', '\r']).len();
    let eol = line[body_end..].to_string();
    let words: Vec<&str> = line[start + word.len()..body_end]
        .split_whitespace()
        .collect();
    let plain = |w: &str| {
        w.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '/' | '.' | '-' | '_' | '=' | ':' | ',' | '@' | '+')
        })
    };
    if words.is_empty() || !words.iter().all(|w| plain(w)) {
        return false;
    }
    let json: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    let indent = line[..start].to_string();
    *line = format!("{indent}{word} [{}]{eol}", json.join(", "));
    true
}

/// Adds `--no-install-recommends` after each `apt-get install` of the
/// `RUN` starting at `idx` that lacks it (the instruction's continuation
/// lines included). Heredocs are left alone.
fn no_install_recommends(lines: &mut [String], idx: usize) -> bool {
    let mut end = idx;
    while end < lines.len() {
        let body = lines[end].trim_end_matches(['\n', '\r']).trim_end();
        if !body.ends_with('\\') {
            break;
        }
        end += 1;
    }
    if end >= lines.len() && idx >= lines.len() {
        return false;
    }
    let end = end.min(lines.len().saturating_sub(1));
    if lines[idx..=end].iter().any(|l| l.contains("<<")) {
        return false;
    }
    // Per line, the positions to insert at; a command's segment runs to
    // the next `&&`, `;` or `|`, across lines.
    let text: String = lines[idx..=end].concat();
    let mut inserts: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("apt-get") {
        let a = from + pos;
        let seg_end = ["&&", ";", "|"]
            .iter()
            .filter_map(|sep| text[a..].find(sep).map(|p| a + p))
            .min()
            .unwrap_or(text.len());
        let seg = &text[a..seg_end];
        if !seg.contains("--no-install-recommends") {
            if let Some(i) = find_word(seg, "install") {
                inserts.push(a + i + "install".len());
            }
        }
        from = seg_end.max(a + 1);
    }
    if inserts.is_empty() {
        return false;
    }
    let mut text = text;
    for at in inserts.into_iter().rev() {
        text.insert_str(at, " --no-install-recommends");
    }
    let new_lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if new_lines.len() != end - idx + 1 {
        return false;
    }
    for (slot, l) in lines[idx..=end].iter_mut().zip(new_lines) {
        *slot = l;
    }
    true
}

/// The byte offset of `word` standing alone (between whitespace).
fn find_word(s: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = s[from..].find(word) {
        let at = from + p;
        let before = s[..at].chars().next_back().is_none_or(char::is_whitespace);
        let after = s[at + word.len()..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
        if before && after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split_inclusive('\n').map(str::to_string).collect()
    }

    #[test]
    fn add_becomes_copy_keeping_the_rest() {
        let mut l = "  ADD --chown=1:1 app.py /app/\r\n".to_string();
        assert!(add_to_copy(&mut l));
        assert_eq!(l, "  COPY --chown=1:1 app.py /app/\r\n");
        let mut l = "RUN x\n".to_string();
        assert!(!add_to_copy(&mut l));
    }

    #[test]
    fn maintainer_becomes_label() {
        let mut l = "MAINTAINER Jane \"J\" <j@x.org>\n".to_string();
        assert!(maintainer_to_label(&mut l));
        assert_eq!(l, "LABEL maintainer=\"Jane \\\"J\\\" <j@x.org>\"\n");
    }

    #[test]
    fn apt_get_install_gets_the_flag_once_per_command() {
        let mut ls = lines(
            "FROM debian:12\nRUN apt-get update && apt-get -y install \\\n    curl=1 \\\n && apt-get install --no-install-recommends -y git=2\nUSER 1\n",
        );
        assert!(no_install_recommends(&mut ls, 1));
        assert_eq!(
            ls.concat(),
            "FROM debian:12\nRUN apt-get update && apt-get -y install --no-install-recommends \\\n    curl=1 \\\n && apt-get install --no-install-recommends -y git=2\nUSER 1\n"
        );
        assert!(!no_install_recommends(&mut ls, 1));
    }

    #[test]
    fn plain_cmd_becomes_exec_form() {
        let mut l = "CMD gunicorn --bind 0.0.0.0:8000 app:app\n".to_string();
        assert!(cmd_to_exec_form(&mut l));
        assert_eq!(
            l,
            "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n"
        );
        for shell in [
            "CMD node $MAIN\n",
            "CMD a && b\n",
            "CMD echo \"hi\"\n",
            "CMD run \\\n",
            "CMD ls *.txt\n",
        ] {
            let mut l = shell.to_string();
            assert!(!cmd_to_exec_form(&mut l), "{shell}");
            assert_eq!(l, shell);
        }
    }

    #[test]
    fn kr109_subject() {
        assert_eq!(
            kr109_missing("a/.dockerignore .git,node_modules"),
            vec![".git", "node_modules"]
        );
    }
}
