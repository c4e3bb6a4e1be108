//! GitHub Actions expressions, as far as kubeready needs them: `${{ ... }}`
//! substitution of known values (`matrix.*`, `inputs.*`, `env.*`), and
//! evaluating `if:` conditions against each trigger, in three-valued logic
//! (unknown parts never exclude a trigger).

use super::super::{Trigger, TriggerKind};
use std::collections::BTreeMap;

/// Known expression values: `matrix.service` → `catalog`, `inputs.x`, `env.X`.
pub type Vars = BTreeMap<String, String>;

/// Replaces each `${{ path }}` whose path is known; leaves the rest as is.
pub fn subst(text: &str, vars: &Vars) -> String {
    if vars.is_empty() || !text.contains("${{") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = after[..end].trim();
        match lookup(inner, vars) {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[start..start + 3 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn lookup<'a>(path: &str, vars: &'a Vars) -> Option<&'a str> {
    if let Some(v) = vars.get(path) {
        return Some(v);
    }
    // `matrix['x']`, `inputs["x"]`
    let (head, key) = path.split_once('[')?;
    let key = key.strip_suffix(']')?.trim_matches(['\'', '"']);
    vars.get(&format!("{head}.{key}")).map(String::as_str)
}

/// Replaces `$NAME`/`${NAME}` of workflow/job/step `env:` values in a
/// shell script (see [`super::super::common::subst_vars`]).
pub fn subst_shell_env(script: &str, env: &[(String, String)]) -> String {
    super::super::common::subst_vars(script, env)
}

/// A value in an expression, as far as it is known for one trigger.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Str(String),
    /// A string known to start with this.
    Prefix(String),
    Bool(Option<bool>),
    Unknown,
}

impl Val {
    fn truth(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => *b,
            Val::Str(s) => Some(!s.is_empty()),
            Val::Prefix(p) if !p.is_empty() => Some(true),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String),
    Ident(String),
    LParen,
    RParen,
    Comma,
    And,
    Or,
    Not,
    Eq,
    Ne,
    Other,
}

fn lex(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                while let Some(&c) = chars.get(i) {
                    if c == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            s.push('\'');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    s.push(c);
                    i += 1;
                }
                i += 1;
                out.push(Tok::Str(s));
            }
            '&' | '|' | '=' | '!' => {
                let next = chars.get(i + 1).copied();
                let (t, n) = match (c, next) {
                    ('&', Some('&')) => (Tok::And, 2),
                    ('|', Some('|')) => (Tok::Or, 2),
                    ('=', Some('=')) => (Tok::Eq, 2),
                    ('!', Some('=')) => (Tok::Ne, 2),
                    ('!', _) => (Tok::Not, 1),
                    _ => (Tok::Other, 1),
                };
                out.push(t);
                i += n;
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '*' => {
                let mut s = String::new();
                while let Some(&c) = chars.get(i) {
                    if c.is_alphanumeric() || "_.-*[]".contains(c) {
                        s.push(c);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(Tok::Ident(s));
            }
            _ => {
                out.push(Tok::Other);
                i += 1
            }
        }
    }
    out
}

/// What a trigger fixes about the `github` context.
struct Event {
    name: Option<&'static str>,
    ref_: Val,
    ref_type: Val,
    ref_name: Val,
}

fn event_of(t: &Trigger) -> Event {
    let single = |b: &[String]| match b {
        [one] if !one.contains(['*', '?', '[', '!']) => Some(one.clone()),
        _ => None,
    };
    match &t.kind {
        TriggerKind::Push => Event {
            name: Some("push"),
            ref_: single(&t.branches)
                .map(|b| Val::Str(format!("refs/heads/{b}")))
                .unwrap_or_else(|| Val::Prefix("refs/heads/".into())),
            ref_type: Val::Str("branch".into()),
            ref_name: single(&t.branches).map(Val::Str).unwrap_or(Val::Unknown),
        },
        TriggerKind::Tag => Event {
            name: Some("push"),
            ref_: Val::Prefix("refs/tags/".into()),
            ref_type: Val::Str("tag".into()),
            ref_name: Val::Unknown,
        },
        TriggerKind::PullRequest => Event {
            name: Some("pull_request"),
            ref_: Val::Prefix("refs/pull/".into()),
            ref_type: Val::Str("branch".into()),
            ref_name: Val::Unknown,
        },
        k => Event {
            name: match k {
                TriggerKind::Manual => Some("workflow_dispatch"),
                TriggerKind::Schedule => Some("schedule"),
                TriggerKind::Release => Some("release"),
                TriggerKind::WorkflowRun => Some("workflow_run"),
                _ => None,
            },
            ref_: Val::Unknown,
            ref_type: Val::Unknown,
            ref_name: Val::Unknown,
        },
    }
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    ev: &'a Event,
    /// Known `inputs.*` of a called reusable workflow (empty elsewhere).
    inputs: Option<&'a Vars>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn bump(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn or(&mut self, depth: usize) -> Val {
        let mut v = self.and(depth);
        while self.peek() == Some(&Tok::Or) {
            self.bump();
            let r = self.and(depth);
            v = Val::Bool(crate::parse::ci::common::either(v.truth(), r.truth()));
        }
        v
    }
    fn and(&mut self, depth: usize) -> Val {
        let mut v = self.cmp(depth);
        while self.peek() == Some(&Tok::And) {
            self.bump();
            let r = self.cmp(depth);
            v = Val::Bool(crate::parse::ci::common::both(v.truth(), r.truth()));
        }
        v
    }
    fn cmp(&mut self, depth: usize) -> Val {
        let l = self.unary(depth);
        match self.peek() {
            Some(Tok::Eq) | Some(Tok::Ne) => {
                let ne = self.bump() == Some(Tok::Ne);
                let r = self.unary(depth);
                let eq = equals(&l, &r);
                Val::Bool(if ne { eq.map(|b| !b) } else { eq })
            }
            _ => l,
        }
    }
    fn unary(&mut self, depth: usize) -> Val {
        if depth > 32 {
            return Val::Unknown;
        }
        match self.bump() {
            Some(Tok::Not) => {
                let v = self.unary(depth + 1);
                Val::Bool(v.truth().map(|b| !b))
            }
            Some(Tok::LParen) => {
                let v = self.or(depth + 1);
                if self.peek() == Some(&Tok::RParen) {
                    self.bump();
                }
                v
            }
            Some(Tok::Str(s)) => Val::Str(s),
            Some(Tok::Ident(id)) => {
                if self.peek() == Some(&Tok::LParen) {
                    self.bump();
                    let mut args = Vec::new();
                    while !matches!(self.peek(), None | Some(Tok::RParen)) {
                        args.push(self.or(depth + 1));
                        if self.peek() == Some(&Tok::Comma) {
                            self.bump();
                        } else {
                            break;
                        }
                    }
                    if self.peek() == Some(&Tok::RParen) {
                        self.bump();
                    }
                    return call(&id, &args);
                }
                self.ident(&id)
            }
            _ => Val::Unknown,
        }
    }
    fn ident(&self, id: &str) -> Val {
        let l = id.to_ascii_lowercase();
        match l.as_str() {
            "true" => Val::Bool(Some(true)),
            "false" => Val::Bool(Some(false)),
            "github.event_name" => match self.ev.name {
                Some(n) => Val::Str(n.into()),
                None => Val::Unknown,
            },
            "github.ref" => self.ev.ref_.clone(),
            "github.ref_type" => self.ev.ref_type.clone(),
            "github.ref_name" => self.ev.ref_name.clone(),
            "github.event.pull_request" | "github.head_ref" | "github.base_ref" => {
                match self.ev.name {
                    Some("pull_request") => Val::Unknown,
                    Some(_) => Val::Str(String::new()),
                    None => Val::Unknown,
                }
            }
            _ => self.input(id).unwrap_or(Val::Unknown),
        }
    }
    /// The value of `inputs.name` when the caller fixed it: a `boolean`
    /// input (marked by [`BOOLEAN_INPUT`]) is a boolean, any other a string.
    fn input(&self, id: &str) -> Option<Val> {
        let vars = self.inputs?;
        id.strip_prefix("inputs.")?;
        let value = vars.get(id)?;
        // A value the caller computes (`${{ github.ref == ... }}`) is unknown.
        if value.contains("${{") {
            return None;
        }
        if vars.contains_key(&format!("{id}{BOOLEAN_INPUT}")) {
            return match value.as_str() {
                "true" => Some(Val::Bool(Some(true))),
                "false" => Some(Val::Bool(Some(false))),
                _ => None,
            };
        }
        Some(Val::Str(value.clone()))
    }
}

/// Suffix of a [`Vars`] key marking `inputs.<name>` as declared
/// `type: boolean` (a key no expression can name).
pub const BOOLEAN_INPUT: &str = "#boolean";

/// Whether a step's `if:` cannot hold for the inputs its caller passed to a
/// reusable workflow, whatever the event (`inputs.health_check == 'true'`
/// with `health_check` left at `false`). Unknown parts never make it false.
pub fn false_by_inputs(cond: &str, vars: &Vars) -> bool {
    if !cond.contains("inputs") {
        return false;
    }
    let unknown = Event {
        name: None,
        ref_: Val::Unknown,
        ref_type: Val::Unknown,
        ref_name: Val::Unknown,
    };
    evaluate(cond, &unknown, Some(vars)) == Some(false)
}

fn equals(l: &Val, r: &Val) -> Option<bool> {
    match (l, r) {
        // A pull-request trigger may be `pull_request` or `pull_request_target`.
        (Val::Str(a), Val::Str(b))
            if a != b && a.starts_with("pull_request") && b.starts_with("pull_request") =>
        {
            None
        }
        (Val::Str(a), Val::Str(b)) => Some(a.eq_ignore_ascii_case(b)),
        (Val::Prefix(p), Val::Str(s)) | (Val::Str(s), Val::Prefix(p)) => {
            if s.to_ascii_lowercase().starts_with(&p.to_ascii_lowercase()) {
                None
            } else {
                Some(false)
            }
        }
        (Val::Bool(Some(a)), Val::Bool(Some(b))) => Some(a == b),
        // Mixed types compare as numbers (GitHub's coercion): `true` is 1,
        // `'true'` is NaN, so `inputs.flag == 'true'` never holds for a
        // boolean input.
        (Val::Bool(Some(b)), Val::Str(s)) | (Val::Str(s), Val::Bool(Some(b))) => {
            let t = s.trim();
            let n = if t.is_empty() {
                Some(0.0)
            } else {
                t.parse::<f64>().ok()
            };
            Some(n == Some(if *b { 1.0 } else { 0.0 }))
        }
        _ => None,
    }
}

fn call(name: &str, args: &[Val]) -> Val {
    match (name.to_ascii_lowercase().as_str(), args) {
        ("success" | "always", _) => Val::Bool(Some(true)),
        ("startswith", [a, Val::Str(b)]) => {
            let b = b.to_ascii_lowercase();
            Val::Bool(match a {
                Val::Str(s) => Some(s.to_ascii_lowercase().starts_with(&b)),
                Val::Prefix(p) => {
                    let p = p.to_ascii_lowercase();
                    if p.starts_with(&b) {
                        Some(true)
                    } else if b.starts_with(&p) {
                        None
                    } else {
                        Some(false)
                    }
                }
                _ => None,
            })
        }
        ("contains", [Val::Str(hay), Val::Str(needle)]) => Val::Bool(Some(
            hay.to_ascii_lowercase()
                .contains(&needle.to_ascii_lowercase()),
        )),
        _ => Val::Unknown,
    }
}

/// Whether `cond` can hold for trigger `t`: `Some(false)` when it cannot,
/// `None` when unknown.
pub fn holds_for(cond: &str, t: &Trigger) -> Option<bool> {
    evaluate(cond, &event_of(t), None)
}

/// Evaluates an `if:` condition (with or without `${{ }}`) for an event
/// and the known inputs: `None` when unknown or not fully understood.
fn evaluate(cond: &str, ev: &Event, inputs: Option<&Vars>) -> Option<bool> {
    let src = cond.trim();
    let src = src
        .strip_prefix("${{")
        .and_then(|s| s.strip_suffix("}}"))
        .unwrap_or(src);
    let toks = lex(src);
    if toks.is_empty() {
        return Some(true);
    }
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        ev,
        inputs,
    };
    let v = p.or(0);
    if p.pos < toks.len() {
        return None;
    }
    v.truth()
}

/// The triggers under which a job (or step) with `if: cond` runs, or `None`
/// when the condition excludes none of them.
pub fn narrow(triggers: &[Trigger], cond: &str) -> Option<Vec<Trigger>> {
    let kept: Vec<Trigger> = triggers
        .iter()
        .filter(|t| holds_for(cond, t) != Some(false))
        .cloned()
        .collect();
    (kept.len() != triggers.len()).then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_false_by_the_callers_inputs() {
        let mut vars = Vars::new();
        vars.insert("inputs.health_check".into(), "false".into());
        vars.insert(format!("inputs.health_check{BOOLEAN_INPUT}"), String::new());
        vars.insert("inputs.mode".into(), "dev".into());
        let skip = |c: &str| false_by_inputs(c, &vars);
        assert!(skip(
            "${{ inputs.health_check && steps.b.outcome == 'success' }}"
        ));
        assert!(skip("inputs.mode == 'prod'"));
        assert!(!skip("inputs.mode == 'dev'"));
        // A boolean input against a string is compared as numbers: never equal.
        assert!(skip("${{ inputs.health_check == 'true' }}"));
        vars.insert("inputs.health_check".into(), "true".into());
        let skip = |c: &str| false_by_inputs(c, &vars);
        assert!(!skip("${{ inputs.health_check }}"));
        assert!(skip("${{ inputs.health_check == 'true' }}"));
        // Unknown inputs and other contexts never make a condition false.
        assert!(!skip("inputs.other == 'x'"));
        assert!(!skip("github.ref == 'refs/heads/main'"));
        assert!(!skip(
            "inputs.mode == 'prod' || github.event_name == 'push'"
        ));
        // A value the caller computes is unknown.
        vars.insert("inputs.mode".into(), "${{ github.ref_name }}".into());
        assert!(!false_by_inputs("inputs.mode == 'prod'", &vars));
    }

    fn t(kind: TriggerKind, branches: &[&str]) -> Trigger {
        Trigger {
            kind,
            line: 1,
            branches: branches.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn substitution() {
        let mut v = Vars::new();
        v.insert("matrix.service".into(), "catalog".into());
        assert_eq!(
            subst("ghcr.io/${{ matrix.service }}:${{ github.sha }}", &v),
            "ghcr.io/catalog:${{ github.sha }}"
        );
        assert_eq!(subst("${{matrix['service']}}", &v), "catalog");
        assert_eq!(subst("x ${{ unclosed", &v), "x ${{ unclosed");
        let env = vec![("IMAGE".to_string(), "acme/api".to_string())];
        assert_eq!(
            subst_shell_env("docker build -t $IMAGE:1 -t ${IMAGE} $IMAGES .", &env),
            "docker build -t acme/api:1 -t acme/api $IMAGES ."
        );
    }

    #[test]
    fn conditions() {
        let push = t(TriggerKind::Push, &["main"]);
        let pr = t(TriggerKind::PullRequest, &[]);
        let tag = t(TriggerKind::Tag, &["v*"]);
        let manual = t(TriggerKind::Manual, &[]);
        let c = "github.event_name == 'push'";
        assert_eq!(holds_for(c, &push), Some(true));
        assert_eq!(holds_for(c, &pr), Some(false));
        assert_eq!(holds_for(c, &tag), Some(true));
        let c = "${{ github.event_name != 'pull_request' }}";
        assert_eq!(holds_for(c, &pr), Some(false));
        assert_eq!(holds_for(c, &push), Some(true));
        let c = "github.ref == 'refs/heads/main'";
        assert_eq!(holds_for(c, &push), Some(true));
        assert_eq!(holds_for(c, &pr), Some(false));
        assert_eq!(holds_for(c, &tag), Some(false));
        assert_eq!(holds_for(c, &manual), None);
        let c = "startsWith(github.ref, 'refs/tags/')";
        assert_eq!(holds_for(c, &tag), Some(true));
        assert_eq!(holds_for(c, &push), Some(false));
        let c = "github.event_name == 'workflow_dispatch'";
        assert_eq!(holds_for(c, &manual), Some(true));
        assert_eq!(holds_for(c, &push), Some(false));
        let c = "success() && (github.event_name == 'push' || github.event_name == 'release')";
        assert_eq!(holds_for(c, &pr), Some(false));
        assert_eq!(
            holds_for("contains(github.event.head_commit.message, 'x')", &pr),
            None
        );
        assert_eq!(holds_for("!cancelled()", &pr), None);
        let n = narrow(&[push.clone(), pr.clone()], "github.event_name == 'push'");
        assert_eq!(n, Some(vec![push.clone()]));
        assert_eq!(narrow(&[push], "always()"), None);
    }
}
