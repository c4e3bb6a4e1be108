//! Reading a Makefile as CI's follower needs it: simple variables (with
//! `addprefix`/`addsuffix`), the rule a target name selects (explicit,
//! static pattern `$(X): build-%:` or pattern `build-%:`/`%:`, with its
//! stem), prerequisites and recipe lines.

/// The rule a target name selects.
#[derive(Debug, PartialEq)]
pub struct Rule {
    /// 1-based line of the rule's head.
    pub line: usize,
    /// The target name (what `$@` expands to).
    pub name: String,
    /// The pattern stem (what `$*` expands to), for pattern rules.
    pub stem: Option<String>,
    /// The prerequisites, variables expanded, the stem substituted.
    pub prerequisites: Vec<String>,
}

/// Where a rule head's separating colon is: the first `:` outside
/// `$(...)`/`${...}` that is not an assignment (`:=`, `::=`), on a line that
/// is not a recipe, comment or variable assignment.
fn head_colon(line: &str) -> Option<usize> {
    if line.starts_with('\t') || line.starts_with('#') || line.starts_with(' ') {
        return None;
    }
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.saturating_sub(1),
            b'=' if depth == 0 => return None,
            b':' if depth == 0 => {
                let rest = &line[i..];
                if rest.starts_with(":=") || rest.starts_with("::=") {
                    return None;
                }
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

/// Whether `name` matches the pattern `pat` (one `%`), and the stem.
fn pattern_stem(pat: &str, name: &str) -> Option<String> {
    let (pre, post) = pat.split_once('%')?;
    if post.contains('%') || name.len() < pre.len() + post.len() {
        return None;
    }
    let stem = name.strip_prefix(pre)?.strip_suffix(post)?;
    (!stem.is_empty()).then(|| stem.to_string())
}

/// The rule that makes `target` (the first rule when `None`): an explicit
/// rule wins over a pattern rule, a longer pattern prefix over a shorter one.
/// A target named by several rule lines gets the prerequisites of all and
/// the recipe of the one that has one (as make does).
pub fn find_rule(lines: &[&str], vars: &[(String, String)], target: Option<&str>) -> Option<Rule> {
    let mut pattern: Option<(usize, Rule)> = None;
    let mut explicit: Option<Rule> = None;
    for (i, full) in lines.iter().enumerate() {
        // `#` starts a comment on a rule line (`build: ## Builds "a:b"`).
        let line = full.split('#').next().unwrap_or("");
        let Some(colon) = head_colon(line) else {
            continue;
        };
        let names = expand(&line[..colon], vars);
        let rest = line[colon + 1..].trim_start_matches(':');
        let rest = rest.split(';').next().unwrap_or("");
        if rest.contains('=') && !rest.contains("$(") && !rest.contains("${") {
            continue; // a target-specific variable: `build: TAG = x`
        }
        // A static pattern rule: `targets: target-pattern: prerequisites`.
        let (static_pat, prereqs) = match head_colon(rest.trim_start()) {
            Some(c) => {
                let r = rest.trim_start();
                (Some(r[..c].trim().to_string()), r[c + 1..].to_string())
            }
            None => (None, rest.to_string()),
        };
        let target = target.or_else(|| explicit.as_ref().map(|r| r.name.as_str()));
        for name in names.split_whitespace() {
            if name.starts_with('.') && !name.contains('/') {
                continue; // .PHONY, .DEFAULT_GOAL, ...
            }
            let (matched, stem) = match (target, &static_pat) {
                (None, _) if name.contains('%') || name.contains('$') => continue,
                (None, Some(p)) => (true, pattern_stem(p, name)),
                (None, None) => (true, None),
                (Some(t), Some(p)) if name == t => (true, pattern_stem(p, t)),
                (Some(t), None) if name == t => (true, None),
                (Some(t), None) if name.contains('%') => match pattern_stem(name, t) {
                    Some(s) => (false, Some(s)),
                    None => continue,
                },
                _ => continue,
            };
            let rule_name = target.unwrap_or(name).to_string();
            let prerequisites = prerequisites(&prereqs, vars, stem.as_deref());
            let rule = Rule {
                line: i + 1,
                name: rule_name,
                stem,
                prerequisites,
            };
            if matched {
                explicit = Some(match explicit.take() {
                    None => rule,
                    Some(mut first) => {
                        first.prerequisites.extend(rule.prerequisites);
                        if !recipe_lines(lines, rule.line, '\t').is_empty() {
                            first.line = rule.line;
                            first.stem = rule.stem;
                        }
                        first
                    }
                });
                break;
            }
            let prefix = name.split('%').next().map_or(0, str::len);
            if pattern.as_ref().is_none_or(|(p, _)| prefix > *p) {
                pattern = Some((prefix, rule));
            }
        }
    }
    explicit.or(pattern.map(|(_, r)| r))
}

/// Prerequisites (`deps | order-only`), variables expanded, `%` replaced by
/// the stem; names still holding a variable or a pattern are dropped.
fn prerequisites(text: &str, vars: &[(String, String)], stem: Option<&str>) -> Vec<String> {
    let mut s = expand(text, vars);
    if let Some(stem) = stem {
        s = s.replace('%', stem);
    }
    s.split_whitespace()
        .filter(|w| *w != "|" && !w.contains('$') && !w.contains('%'))
        .map(str::to_string)
        .collect()
}

/// The recipe lines after the rule at 1-based `rule_line`: lines starting
/// with `indent` (a tab for make, any indentation for just), blank and
/// comment lines skipped, `\` continuations joined (kept on their lines).
pub fn recipe_lines(lines: &[&str], rule_line: usize, indent: char) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut continuing = false;
    for (i, l) in lines.iter().enumerate().skip(rule_line) {
        let lineno = i as u32 + 1;
        let indented = if indent == '\t' {
            l.starts_with('\t')
        } else {
            l.starts_with(' ') || l.starts_with('\t')
        };
        if continuing {
            if let Some((_, cmd)) = out.last_mut() {
                cmd.push('\n');
                cmd.push_str(l.trim_start_matches('\t'));
            }
            continuing = l.trim_end().ends_with('\\');
            continue;
        }
        if !indented {
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            break;
        }
        let cmd = l.trim().trim_start_matches(['@', '-', '+']).trim_start();
        if cmd.is_empty() || cmd.starts_with('#') {
            continue;
        }
        continuing = cmd.trim_end().ends_with('\\');
        out.push((lineno, cmd.to_string()));
    }
    out
}

/// Simple Makefile variables: `NAME = v`, `:=`, `::=`, `?=`, `export`.
pub fn variables(lines: &[&str]) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = Vec::new();
    for l in lines {
        if l.starts_with('\t') || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some(eq) = l.find('=') else { continue };
        let (name, value) = (&l[..eq], &l[eq + 1..]);
        let name = name.trim_end_matches([':', '?', '+', '!']).trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            continue;
        }
        let value = value.trim().to_string();
        if l[..eq].ends_with('?') && vars.iter().any(|(n, _)| n == name) {
            continue;
        }
        vars.retain(|(n, _)| n != name);
        vars.push((name.to_string(), value));
    }
    vars
}

/// Sets command-line variables (`make push IMAGE=x`): they override the
/// Makefile's own.
pub fn override_variables(vars: &mut Vec<(String, String)>, overrides: &[(String, String)]) {
    for (n, v) in overrides {
        vars.retain(|(x, _)| x != n);
        vars.push((n.clone(), v.clone()));
    }
}

/// Expands `$(VAR)`/`${VAR}` from the Makefile's variables (two rounds),
/// then `addprefix`/`addsuffix` calls whose arguments are plain.
fn expand(text: &str, vars: &[(String, String)]) -> String {
    let mut s = text.to_string();
    for _ in 0..2 {
        for (n, v) in vars {
            if !s.contains('$') {
                return s;
            }
            s = s
                .replace(&format!("$({n})"), v)
                .replace(&format!("${{{n}}}"), v);
        }
        s = expand_functions(&s);
    }
    s
}

/// `$(addprefix p,a b)` → `pa pb`, `$(addsuffix s,a b)` → `as bs`, when
/// the arguments hold no further reference.
fn expand_functions(text: &str) -> String {
    let mut s = text.to_string();
    for (func, prefix) in [("addprefix", true), ("addsuffix", false)] {
        let open = format!("$({func} ");
        while let Some(start) = s.find(&open) {
            let args_start = start + open.len();
            let Some(len) = s[args_start..].find(')') else {
                break;
            };
            let args = &s[args_start..args_start + len];
            let Some((affix, list)) = args.split_once(',').filter(|_| !args.contains('$')) else {
                break;
            };
            let words: Vec<String> = list
                .split_whitespace()
                .map(|w| {
                    if prefix {
                        format!("{affix}{w}")
                    } else {
                        format!("{w}{affix}")
                    }
                })
                .collect();
            s.replace_range(start..args_start + len + 1, &words.join(" "));
        }
    }
    s
}

/// A recipe line as make runs it: `$@` and `$*` of the rule, `$(MAKE)` as
/// `make`, `$(CURDIR)` as `.`, the variables, then `$$` as `$`.
pub fn expand_recipe(cmd: &str, rule: &Rule, vars: &[(String, String)]) -> String {
    let mut s = cmd
        .replace("$(MAKE)", "make")
        .replace("${MAKE}", "make")
        .replace("$(CURDIR)", ".")
        .replace("${CURDIR}", ".")
        .replace("$@", &rule.name);
    if let Some(stem) = &rule.stem {
        s = s.replace("$*", stem);
    }
    opaque_references(&expand(&s, vars)).replace("$$", "$")
}

/// What make would expand but this reading cannot (`$(shell ...)`,
/// `$(subst ...)`, an unknown `$(VAR)`) becomes a plain variable
/// (`${shell}`, `${VAR}`): left as `$(...)` the shell would read a command
/// substitution, and its spaces and slashes would break image names.
fn opaque_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("$(") {
        let escaped = rest[..at].ends_with('$');
        out.push_str(&rest[..at]);
        let inner = &rest[at + 2..];
        let mut depth = 1usize;
        let end = inner.char_indices().find_map(|(i, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        match end {
            Some(end) if !escaped => {
                let name: String = inner[..end]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                out.push_str(&format!("${{{name}}}"));
                rest = &inner[end + 1..];
            }
            _ => {
                out.push_str("$(");
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAKEFILE: &[&str] = &[
        "IMAGE ?= acme/api",
        "ARCHS ?= amd64 arm64",
        "BUILD_ARCHS = $(addprefix docker-build-,$(ARCHS))",
        ".PHONY: docker-build $(BUILD_ARCHS)",
        "docker-build: $(BUILD_ARCHS)",
        "$(BUILD_ARCHS): docker-build-%:",
        "\t@docker build -t \"$(IMAGE)-$*\" .",
        "build: deps ## Builds \"a:b\"",
        "build: | dir",
        "\t@docker build -t $(IMAGE) \\",
        "\t  .",
        "",
        "\t$(MAKE) push",
        "%:",
        "\t@./task $@",
    ];

    #[test]
    fn explicit_static_pattern_and_match_anything_rules() {
        let vars = variables(MAKEFILE);
        let r = find_rule(MAKEFILE, &vars, Some("docker-build")).unwrap_or_else(|| unreachable!());
        assert_eq!(r.line, 5);
        assert_eq!(
            r.prerequisites,
            vec!["docker-build-amd64", "docker-build-arm64"]
        );
        let r = find_rule(MAKEFILE, &vars, Some("docker-build-arm64"))
            .unwrap_or_else(|| unreachable!());
        assert_eq!((r.line, r.stem.as_deref()), (6, Some("arm64")));
        let lines = recipe_lines(MAKEFILE, r.line, '\t');
        assert_eq!(
            expand_recipe(&lines[0].1, &r, &vars),
            "docker build -t \"acme/api-arm64\" ."
        );
        let r = find_rule(MAKEFILE, &vars, Some("build")).unwrap_or_else(|| unreachable!());
        assert_eq!(r.prerequisites, vec!["deps", "dir"]);
        let lines = recipe_lines(MAKEFILE, r.line, '\t');
        assert_eq!(lines.len(), 2);
        assert_eq!((r.line, lines[0].0, lines[1].0), (9, 10, 13));
        assert_eq!(expand_recipe(&lines[1].1, &r, &vars), "make push");
        let r = find_rule(MAKEFILE, &vars, Some("snapshot")).unwrap_or_else(|| unreachable!());
        assert_eq!((r.line, r.name.as_str()), (14, "snapshot"));
        let lines = recipe_lines(MAKEFILE, r.line, '\t');
        assert_eq!(expand_recipe(&lines[0].1, &r, &vars), "./task snapshot");
        assert_eq!(
            expand_recipe("push $(R):$(subst /,-,$(shell git x)) $$(id -u)", &r, &vars),
            "push ${R}:${subst} $(id -u)"
        );
        // The first rule is the default goal.
        let r = find_rule(MAKEFILE, &vars, None).unwrap_or_else(|| unreachable!());
        assert_eq!(r.line, 5);
    }

    #[test]
    fn assignments_are_not_rules() {
        let lines = [
            "A := x:y",
            "B = $(shell echo a:b)",
            "C ::= 1",
            "build: TAG = 2",
        ];
        assert!(find_rule(&lines, &[], None).is_none());
        let mut vars = variables(&lines);
        override_variables(&mut vars, &[("A".into(), "z".into())]);
        assert_eq!(expand("$(A)", &vars), "z");
    }
}
