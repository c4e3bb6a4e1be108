use super::line_at;

#[derive(Debug, Default)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub line: u32,
    pub children: Vec<usize>,
}

/// Node 0 is a virtual document node.
#[derive(Debug, Default)]
pub struct Doc {
    pub nodes: Vec<Node>,
}

impl Doc {
    pub fn root(&self) -> Option<usize> {
        self.nodes.first().and_then(|n| n.children.first().copied())
    }

    pub fn children<'a>(&'a self, i: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes
            .get(i)
            .map(|n| n.children.as_slice())
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(move |c| {
                self.nodes
                    .get(*c)
                    .is_some_and(|n| n.name.eq_ignore_ascii_case(name))
            })
    }

    pub fn child(&self, i: usize, name: &str) -> Option<usize> {
        self.children(i, name).next()
    }

    /// Follows a `/`-separated path of child names.
    pub fn path(&self, i: usize, path: &str) -> Option<usize> {
        let mut cur = i;
        for seg in path.split('/') {
            cur = self.child(cur, seg)?;
        }
        Some(cur)
    }

    pub fn text(&self, i: usize) -> &str {
        self.nodes.get(i).map(|n| n.text.trim()).unwrap_or("")
    }

    pub fn path_text(&self, i: usize, path: &str) -> Option<&str> {
        self.path(i, path)
            .map(|n| self.text(n))
            .filter(|t| !t.is_empty())
    }

    pub fn line(&self, i: usize) -> u32 {
        self.nodes.get(i).map(|n| n.line).unwrap_or(1)
    }

    pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
        self.nodes
            .get(i)?
            .attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every descendant of `i` (iteratively, any depth).
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self
            .nodes
            .get(i)
            .map(|n| n.children.iter().rev().copied().collect())
            .unwrap_or_default();
        while let Some(c) = stack.pop() {
            out.push(c);
            if let Some(n) = self.nodes.get(c) {
                stack.extend(n.children.iter().rev().copied());
            }
        }
        out
    }

    pub fn name(&self, i: usize) -> &str {
        self.nodes.get(i).map(|n| n.name.as_str()).unwrap_or("")
    }
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

/// Parses leniently; returns the document and the first structural error
/// (line, message) if any.
pub fn parse(text: &str) -> (Doc, Option<(u32, String)>) {
    let mut doc = Doc {
        nodes: vec![Node::default()],
    };
    let mut stack: Vec<usize> = vec![0];
    let mut err: Option<(u32, String)> = None;
    let mut i = 0;
    let b = text.as_bytes();
    let set_err = |line: u32, msg: String, err: &mut Option<(u32, String)>| {
        if err.is_none() {
            *err = Some((line, msg));
        }
    };
    while i < b.len() {
        let Some(lt) = text[i..].find('<').map(|o| o + i) else {
            if let Some(&top) = stack.last() {
                if let Some(n) = doc.nodes.get_mut(top) {
                    n.text.push_str(&decode(&text[i..]));
                }
            }
            break;
        };
        if lt > i {
            if let Some(&top) = stack.last() {
                if let Some(n) = doc.nodes.get_mut(top) {
                    n.text.push_str(&decode(&text[i..lt]));
                }
            }
        }
        let rest = &text[lt..];
        if rest.starts_with("<!--") {
            match rest.find("-->") {
                Some(e) => i = lt + e + 3,
                None => {
                    set_err(line_at(text, lt), "unterminated comment".into(), &mut err);
                    break;
                }
            }
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            match rest.find("]]>") {
                Some(e) => {
                    if let Some(&top) = stack.last() {
                        if let Some(n) = doc.nodes.get_mut(top) {
                            n.text.push_str(&rest[9..e]);
                        }
                    }
                    i = lt + e + 3;
                }
                None => {
                    set_err(
                        line_at(text, lt),
                        "unterminated CDATA section".into(),
                        &mut err,
                    );
                    break;
                }
            }
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            let end = if rest.starts_with("<?") {
                rest.find("?>").map(|e| e + 2)
            } else {
                rest.find('>').map(|e| e + 1)
            };
            match end {
                Some(e) => i = lt + e,
                None => {
                    set_err(
                        line_at(text, lt),
                        "unterminated declaration".into(),
                        &mut err,
                    );
                    break;
                }
            }
            continue;
        }
        // A tag: find its end, honouring quotes.
        let mut j = lt + 1;
        let mut quote: Option<u8> = None;
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => break,
                None => {}
            }
            j += 1;
        }
        if j >= b.len() {
            set_err(line_at(text, lt), "unterminated tag".into(), &mut err);
            break;
        }
        let inner = &text[lt + 1..j];
        i = j + 1;
        if let Some(name) = inner.strip_prefix('/') {
            let name = local(name.trim());
            match stack
                .iter()
                .rposition(|&n| doc.nodes.get(n).is_some_and(|x| x.name == name))
            {
                Some(pos) if pos > 0 => {
                    if pos != stack.len() - 1 {
                        set_err(
                            line_at(text, lt),
                            format!("closing tag </{name}> does not match the open element"),
                            &mut err,
                        );
                    }
                    stack.truncate(pos);
                }
                _ => set_err(
                    line_at(text, lt),
                    format!("closing tag </{name}> has no open element"),
                    &mut err,
                ),
            }
            continue;
        }
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = local(&inner[..name_end]);
        if name.is_empty() {
            set_err(line_at(text, lt), "empty tag name".into(), &mut err);
            continue;
        }
        let attrs = parse_attrs(&inner[name_end..]);
        let idx = doc.nodes.len();
        doc.nodes.push(Node {
            name,
            attrs,
            text: String::new(),
            line: line_at(text, lt),
            children: Vec::new(),
        });
        if let Some(&top) = stack.last() {
            if let Some(n) = doc.nodes.get_mut(top) {
                n.children.push(idx);
            }
        }
        if !self_closing {
            stack.push(idx);
        }
    }
    if stack.len() > 1 && err.is_none() {
        let open = stack.last().copied().unwrap_or(0);
        let name = doc.name(open).to_string();
        err = Some((doc.line(open), format!("element <{name}> is never closed")));
    }
    (doc, err)
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let body = &after[1..];
        let Some(end) = body.find(q) else { break };
        out.push((local(&key), decode(&body[..end])));
        rest = &body[end + 1..];
    }
    out
}
