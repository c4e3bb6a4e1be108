//! Surgical edits of an existing `.gitlab-ci.yml`: the stages the new jobs
//! need added to its `stages:` list, and its top-level keys read, line by
//! line, so that every other line (comments, order, formatting) stays as
//! it was.

/// The line index of the top-level `key:` (a key at column 0).
pub(super) fn top_level_key(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| is_key(l, key))
}

fn is_key(line: &str, key: &str) -> bool {
    let unquoted = line
        .strip_prefix(key)
        .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
        .or_else(|| line.strip_prefix(&format!("'{key}'")));
    unquoted.is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// Every top-level key (job names, `stages`, `include`, ...).
pub(super) fn top_level_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']) && !l.starts_with("---"))
        .filter_map(|l| {
            let (key, _) = l.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']);
            (!key.is_empty()).then(|| key.to_string())
        })
        .collect()
}

/// `text` with each of `wanted` (in pipeline order) that its top-level
/// `stages:` list lacks inserted: before the first later one of `wanted`
/// the list has, else at its end. `Ok(None)` when nothing is missing or
/// there is no `stages:`; `Err` (why) for a form it does not edit (a flow
/// list over several lines, an anchor or alias).
pub(super) fn add_stages(text: &str, wanted: &[&str]) -> Result<Option<String>, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(at) = lines.iter().position(|l| is_key(l, "stages")) else {
        return Ok(None);
    };
    let line = lines[at];
    let (_, value) = line.split_once(':').unwrap_or((line, ""));
    let value_code = strip_comment(value).trim();
    let new_lines = if value_code.is_empty() {
        block(&lines, at, wanted)?
    } else if value_code.starts_with('[') && value_code.ends_with(']') {
        flow(&lines, at, wanted)?
    } else {
        return Err(format!(
            "its `stages:` is written as `{value_code}`, which kubeready does not edit"
        ));
    };
    Ok(new_lines.map(|l| l.concat()))
}

/// The line without a trailing ` # comment` (outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

fn unquote(item: &str) -> &str {
    item.trim().trim_matches(['"', '\''])
}

/// Where to insert `stage` into `have`: before the first of the stages
/// after it in `wanted` that `have` lists, else at the end.
fn insert_at(have: &[String], wanted: &[&str], stage: &str) -> usize {
    let later: Vec<&str> = wanted
        .iter()
        .skip_while(|w| **w != stage)
        .skip(1)
        .copied()
        .collect();
    have.iter()
        .position(|h| later.contains(&h.as_str()))
        .unwrap_or(have.len())
}

/// `stages: [a, b]` on one line.
fn flow(lines: &[&str], at: usize, wanted: &[&str]) -> Result<Option<Vec<String>>, String> {
    let line = lines[at];
    let (Some(open), Some(close)) = (line.find('['), line.rfind(']')) else {
        return Err("its `stages:` list could not be read".into());
    };
    let inner = &line[open + 1..close];
    if inner.contains(['&', '*', '[', '{']) {
        return Err("its `stages:` list uses YAML kubeready does not edit".into());
    }
    let mut items: Vec<String> = inner
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let mut names: Vec<String> = items.iter().map(|i| unquote(i).to_string()).collect();
    let mut changed = false;
    for stage in wanted {
        if !names.iter().any(|n| n == stage) {
            let i = insert_at(&names, wanted, stage);
            names.insert(i, stage.to_string());
            items.insert(i, stage.to_string());
            changed = true;
        }
    }
    if !changed {
        return Ok(None);
    }
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[at] = format!("{}{}{}", &line[..=open], items.join(", "), &line[close..]);
    Ok(Some(out))
}

/// `stages:` followed by `- a` lines.
fn block(lines: &[&str], at: usize, wanted: &[&str]) -> Result<Option<Vec<String>>, String> {
    // The list's item lines (comments and blank lines between them kept).
    let mut items: Vec<(usize, String)> = Vec::new();
    let mut indent = None;
    for (i, l) in lines.iter().enumerate().skip(at + 1) {
        let t = l.trim_start();
        if t.trim().is_empty() || t.starts_with('#') {
            continue;
        }
        let Some(rest) = t.strip_prefix('-') else {
            break;
        };
        let this = l.len() - t.len();
        if indent.is_some_and(|n| n != this) {
            return Err("its `stages:` list is indented unevenly".into());
        }
        indent = Some(this);
        let item = strip_comment(rest).trim();
        if item.is_empty() || item.contains(['&', '*', '[', '{']) {
            return Err("its `stages:` list uses YAML kubeready does not edit".into());
        }
        items.push((i, unquote(item).to_string()));
    }
    let Some(indent) = indent else {
        return Err("its `stages:` list is empty or not a list".into());
    };
    let eol = if lines[at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut names: Vec<String> = items.iter().map(|(_, n)| n.clone()).collect();
    // Where each name's line is (an inserted one goes before the line of
    // the item it precedes, or after the last item).
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut positions: Vec<usize> = items.iter().map(|(i, _)| *i).collect();
    let mut changed = false;
    for stage in wanted {
        if names.iter().any(|n| n == stage) {
            continue;
        }
        let k = insert_at(&names, wanted, stage);
        let line_at = match positions.get(k) {
            Some(p) => *p,
            None => positions.last().map_or(at + 1, |p| p + 1),
        };
        let mut last = out
            .get(line_at.wrapping_sub(1))
            .cloned()
            .unwrap_or_default();
        // A list that ends the file without a newline.
        if line_at == out.len() && !last.ends_with('\n') {
            last.push_str(eol);
            out[line_at - 1] = last;
        }
        out.insert(line_at, format!("{}- {stage}{eol}", " ".repeat(indent)));
        for p in positions.iter_mut() {
            if *p >= line_at {
                *p += 1;
            }
        }
        positions.insert(k, line_at);
        names.insert(k, stage.to_string());
        changed = true;
    }
    Ok(changed.then_some(out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const WANTED: &[&str] = &["build", "test", "deploy"];

    #[test]
    fn flow_stages_get_the_missing_ones_in_pipeline_order() {
        let old = "# ci\nstages: [lint, test] # two\nlint:\n  script: [x]\n";
        let new = add_stages(old, WANTED).unwrap().unwrap();
        assert_eq!(
            new,
            "# ci\nstages: [lint, build, test, deploy] # two\nlint:\n  script: [x]\n"
        );
        assert_eq!(add_stages(&new, WANTED).unwrap(), None);
        assert_eq!(
            add_stages("stages: [\"deploy\"]\n", WANTED)
                .unwrap()
                .unwrap(),
            "stages: [build, test, \"deploy\"]\n"
        );
    }

    #[test]
    fn block_stages_keep_comments_and_indentation() {
        let old =
            "stages:\n    # first\n    - lint  # lint it\n    - deploy\n\nlint:\n  script: [x]\n";
        let new = add_stages(old, WANTED).unwrap().unwrap();
        assert_eq!(
            new,
            "stages:\n    # first\n    - lint  # lint it\n    - build\n    - test\n    - deploy\n\nlint:\n  script: [x]\n"
        );
        assert_eq!(add_stages(&new, WANTED).unwrap(), None);
        // At column 0, at the end of a file without a final newline.
        assert_eq!(
            add_stages("stages:\n- lint", WANTED).unwrap().unwrap(),
            "stages:\n- lint\n- build\n- test\n- deploy\n"
        );
        // CRLF stays CRLF.
        assert_eq!(
            add_stages("stages:\r\n  - test\r\nx: 1\r\n", &["build", "test"])
                .unwrap()
                .unwrap(),
            "stages:\r\n  - build\r\n  - test\r\nx: 1\r\n"
        );
    }

    #[test]
    fn forms_it_does_not_edit_are_refused_and_no_stages_is_nothing() {
        assert_eq!(add_stages("lint:\n  stage: test\n", WANTED).unwrap(), None);
        assert!(add_stages("stages: *defaults\n", WANTED).is_err());
        assert!(add_stages("stages: [\n  a,\n]\n", WANTED).is_err());
        assert!(add_stages("stages:\n  - *a\n", WANTED).is_err());
        assert!(add_stages("stages:\nlint: {}\n", WANTED).is_err());
    }

    #[test]
    fn top_level_keys_are_read() {
        let text =
            "# c\ninclude:\n  - local: a.yml\n\"quoted job\":\n  script: [x]\n.hidden:\n  x: 1\n";
        assert_eq!(top_level_keys(text), ["include", "quoted job", ".hidden"]);
        assert_eq!(top_level_key(text, "include"), Some(1));
        assert_eq!(top_level_key(text, "stages"), None);
    }
}
