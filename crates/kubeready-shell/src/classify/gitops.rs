//! GitOps image bumps: `kustomize edit set image`, `yq -i`, `sed -i`.

use super::{s, Meaning};

fn mentions_image(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    l.contains("image") || l.contains("newtag") || l.contains(".tag") || l.contains("tag:")
}

pub(crate) fn kustomize(args: &[String]) -> Vec<Meaning> {
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match pos.as_slice() {
        [e, st, im, images @ ..]
            if e.as_str() == "edit" && st.as_str() == "set" && im.as_str() == "image" =>
        {
            if images.is_empty() {
                return vec![Meaning::GitOpsBump {
                    tool: s("kustomize"),
                    image: None,
                    file: None,
                }];
            }
            images
                .iter()
                .map(|i| Meaning::GitOpsBump {
                    tool: s("kustomize"),
                    image: Some(i.to_string()),
                    file: None,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The right-hand side of the last `=`/`|=` assignment in a yq expression.
fn assignment_rhs(expr: &str) -> Option<String> {
    let b = expr.as_bytes();
    let mut found = None;
    for (i, &c) in b.iter().enumerate() {
        if c != b'=' {
            continue;
        }
        let prev = if i > 0 { b.get(i - 1).copied() } else { None };
        let next = b.get(i + 1).copied();
        if matches!(prev, Some(b'=' | b'!' | b'<' | b'>')) || next == Some(b'=') {
            continue;
        }
        found = Some(i);
    }
    let rhs = expr.get(found? + 1..)?.trim();
    let unq = rhs
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|r| !r.contains('"'))
        .unwrap_or(rhs);
    if unq.is_empty() {
        None
    } else {
        Some(unq.to_string())
    }
}

pub(crate) fn yq(args: &[String]) -> Vec<Meaning> {
    let mut inplace = false;
    let mut expr_flag = None;
    let mut pos: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-i" | "--inplace" | "--in-place" => inplace = true,
            "-o" | "-p" | "-I" | "--output-format" | "--input-format" | "--indent"
            | "--front-matter" | "--from-file" => i += 1,
            "--expression" => {
                expr_flag = args.get(i).cloned();
                i += 1;
            }
            "--arg" | "--argjson" => i += 2,
            _ if a.starts_with("--") => {}
            _ if a.starts_with('-') && a.len() > 1 => {
                if a.contains('i') {
                    inplace = true;
                }
            }
            _ => pos.push(a.clone()),
        }
    }
    if !inplace {
        return Vec::new();
    }
    let pos: &[String] = match pos.first().map(String::as_str) {
        Some("eval" | "e" | "eval-all" | "ea") => pos.get(1..).unwrap_or(&[]),
        Some("w" | "write") => {
            // yq v3: yq w -i FILE PATH VALUE
            let file = pos.get(1).cloned();
            let path = pos.get(2).cloned().unwrap_or_default();
            if !mentions_image(&path) {
                return Vec::new();
            }
            return vec![Meaning::GitOpsBump {
                tool: s("yq"),
                image: pos.get(3).cloned(),
                file,
            }];
        }
        _ => &pos,
    };
    let (expr, files) = match expr_flag {
        Some(e) => (e, pos),
        None => match pos.split_first() {
            Some((e, f)) => (e.clone(), f),
            None => return Vec::new(),
        },
    };
    if !mentions_image(&expr) {
        return Vec::new();
    }
    let image = assignment_rhs(&expr);
    bumps("yq", image, files)
}

fn bumps(tool: &str, image: Option<String>, files: &[String]) -> Vec<Meaning> {
    if files.is_empty() {
        return vec![Meaning::GitOpsBump {
            tool: s(tool),
            image,
            file: None,
        }];
    }
    files
        .iter()
        .map(|f| Meaning::GitOpsBump {
            tool: s(tool),
            image: image.clone(),
            file: Some(f.clone()),
        })
        .collect()
}

/// The replacement of the first `s<d>pattern<d>replacement<d>` command,
/// without a leading `image:`/`newTag:` key.
fn sed_replacement(script: &str) -> Option<String> {
    let start = script.find('s')?;
    let rest = script.get(start + 1..)?;
    let delim = rest.chars().next()?;
    if delim.is_alphanumeric() || delim.is_whitespace() || delim == '\\' {
        return None;
    }
    let parts: Vec<&str> = rest.get(delim.len_utf8()..)?.split(delim).collect();
    let repl = parts.get(1)?.trim();
    let l = repl.to_ascii_lowercase();
    for key in ["image:", "newtag:", "tag:"] {
        if let Some(p) = l.find(key) {
            let v = repl.get(p + key.len()..)?.trim().trim_matches(['"', '\'']);
            return if v.is_empty() {
                None
            } else {
                Some(v.to_string())
            };
        }
    }
    if repl.is_empty() {
        None
    } else {
        Some(repl.to_string())
    }
}

pub(crate) fn sed(args: &[String]) -> Vec<Meaning> {
    let mut inplace = false;
    let mut scripts: Vec<String> = Vec::new();
    let mut script_from_flag = false;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "--" {
            files.extend(args.get(i..).unwrap_or(&[]).iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            if l.starts_with("in-place") {
                inplace = true;
            } else if l == "expression" || l == "file" {
                if l == "expression" {
                    scripts.extend(args.get(i).cloned());
                    script_from_flag = true;
                }
                i += 1;
            } else if let Some(e) = l.strip_prefix("expression=") {
                scripts.push(e.to_string());
                script_from_flag = true;
            }
            continue;
        }
        if a == "-i" {
            inplace = true;
            // macOS: `sed -i '' ...`
            if args.get(i).is_some_and(|n| n.is_empty()) {
                i += 1;
            }
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            for (ci, ch) in a.chars().enumerate().skip(1) {
                match ch {
                    'i' => {
                        inplace = true;
                        break;
                    }
                    'e' => {
                        let rest: String = a.chars().skip(ci + 1).collect();
                        if rest.is_empty() {
                            scripts.extend(args.get(i).cloned());
                            i += 1;
                        } else {
                            scripts.push(rest);
                        }
                        script_from_flag = true;
                        break;
                    }
                    'f' | 'l' => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
            }
            continue;
        }
        if scripts.is_empty() && !script_from_flag {
            scripts.push(a.clone());
        } else {
            files.push(a.clone());
        }
    }
    if !inplace {
        return Vec::new();
    }
    let joined = scripts.join("\n");
    if !mentions_image(&joined) {
        return Vec::new();
    }
    let image = scripts.iter().find_map(|s| sed_replacement(s));
    bumps("sed", image, &files)
}
