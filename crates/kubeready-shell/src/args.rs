//! A small, table-driven command-line option parser used by the classifier.

/// Which options take a value.
#[derive(Clone, Copy, Default)]
pub(crate) struct Spec<'a> {
    /// Short option letters that take a value (`-t X`, `-tX`).
    pub short_val: &'a str,
    /// Long option names (without `--`) that take a value.
    pub long_val: &'a [&'a str],
    /// Long options take a value unless listed in `long_bool`.
    pub long_default_val: bool,
    pub long_bool: &'a [&'a str],
    /// Stop at the first positional: it goes to `pos`, the rest to `rest`.
    pub stop_at_pos: bool,
    /// Go-style flags: `-name value` is one long option, not a cluster.
    pub single_dash_long: bool,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Parsed {
    /// Option name (single letter for short, without dashes for long) and value.
    pub opts: Vec<(String, Option<String>)>,
    pub pos: Vec<String>,
    pub rest: Vec<String>,
}

impl Parsed {
    pub fn values(&self, names: &[&str]) -> Vec<String> {
        self.opts
            .iter()
            .filter(|(k, _)| names.contains(&k.as_str()))
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    pub fn value(&self, names: &[&str]) -> Option<String> {
        self.values(names).pop()
    }

    /// Present, with `=true`/no value → `Some(true)`; `=false` → `Some(false)`.
    pub fn flag(&self, names: &[&str]) -> Option<bool> {
        self.opts
            .iter()
            .rev()
            .find(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| match v.as_deref() {
                Some(v) => !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no"),
                None => true,
            })
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.flag(names) == Some(true)
    }

    pub fn pos_at(&self, i: usize) -> Option<&str> {
        self.pos.get(i).map(String::as_str)
    }
}

pub(crate) fn parse(args: &[String], spec: &Spec) -> Parsed {
    let mut p = Parsed::default();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "--" {
            if spec.stop_at_pos {
                if let Some(first) = args.get(i) {
                    p.pos.push(first.clone());
                    p.rest = args.get(i + 1..).unwrap_or(&[]).to_vec();
                }
            } else {
                p.pos.extend(args.get(i..).unwrap_or(&[]).iter().cloned());
            }
            break;
        }
        let long = if let Some(l) = a.strip_prefix("--") {
            Some(l)
        } else if spec.single_dash_long && a.len() > 1 {
            a.strip_prefix('-')
        } else {
            None
        };
        if let Some(l) = long {
            if let Some((k, v)) = l.split_once('=') {
                p.opts.push((k.to_string(), Some(v.to_string())));
            } else if spec.long_val.contains(&l)
                || (spec.long_default_val && !spec.long_bool.contains(&l))
            {
                p.opts.push((l.to_string(), args.get(i).cloned()));
                i += 1;
            } else {
                p.opts.push((l.to_string(), None));
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let body: Vec<char> = a.chars().skip(1).collect();
            for (ci, ch) in body.iter().enumerate() {
                if spec.short_val.contains(*ch) {
                    let rest: String = body.iter().skip(ci + 1).collect();
                    let rest = rest.strip_prefix('=').unwrap_or(&rest).to_string();
                    let v = if rest.is_empty() {
                        let v = args.get(i).cloned();
                        i += 1;
                        v
                    } else {
                        Some(rest)
                    };
                    p.opts.push((ch.to_string(), v));
                    break;
                }
                p.opts.push((ch.to_string(), None));
            }
            continue;
        }
        p.pos.push(a.clone());
        if spec.stop_at_pos {
            p.rest = args.get(i..).unwrap_or(&[]).to_vec();
            break;
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn short_long_and_clusters() {
        let spec = Spec {
            short_val: "tf",
            long_val: &["tag"],
            ..Spec::default()
        };
        let p = parse(
            &s(&["-t", "a", "-tb", "--tag", "c", "--tag=d", "-qf", "F", "ctx"]),
            &spec,
        );
        assert_eq!(p.values(&["t", "tag"]), s(&["a", "b", "c", "d"]));
        assert_eq!(p.value(&["f"]).as_deref(), Some("F"));
        assert!(p.has(&["q"]));
        assert_eq!(p.pos, s(&["ctx"]));
    }

    #[test]
    fn stop_at_positional() {
        let spec = Spec {
            short_val: "e",
            stop_at_pos: true,
            ..Spec::default()
        };
        let p = parse(&s(&["-e", "X=1", "--rm", "img", "-e", "cmd"]), &spec);
        assert_eq!(p.pos, s(&["img"]));
        assert_eq!(p.rest, s(&["-e", "cmd"]));
    }

    #[test]
    fn bool_values_and_missing_value() {
        let p = parse(
            &s(&["--push=false", "-t"]),
            &Spec {
                short_val: "t",
                ..Spec::default()
            },
        );
        assert_eq!(p.flag(&["push"]), Some(false));
        assert_eq!(p.value(&["t"]), None);
    }

    #[test]
    fn go_style_flags() {
        let spec = Spec {
            long_val: &["var"],
            single_dash_long: true,
            ..Spec::default()
        };
        let p = parse(&s(&["-var", "image=x", "-detach", "job.nomad"]), &spec);
        assert_eq!(p.values(&["var"]), s(&["image=x"]));
        assert!(p.has(&["detach"]));
        assert_eq!(p.pos, s(&["job.nomad"]));
    }
}
