//! When a GitLab CI job runs: `rules:` (`if:` expressions evaluated for
//! each kind of pipeline, in three-valued logic), `only:`/`except:`, and
//! `when:`. Unknown conditions (user variables, `changes:`) never exclude
//! a branch or tag pipeline.

use super::super::{Trigger, TriggerKind};
use kubeready_yaml::Node;

/// A kind of pipeline a job may be part of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    PushDefault,
    PushOther,
    Tag,
    MergeRequest,
    Schedule,
    Web,
    Api,
    Trigger,
    Parent,
}

pub const EVENTS: &[Event] = &[
    Event::PushDefault,
    Event::PushOther,
    Event::Tag,
    Event::MergeRequest,
    Event::Schedule,
    Event::Web,
    Event::Api,
    Event::Trigger,
    Event::Parent,
];

impl Event {
    /// Branch and tag pipelines happen whatever the rules say; the other
    /// kinds only count when a rule names them.
    fn is_common(self) -> bool {
        matches!(self, Event::PushDefault | Event::PushOther | Event::Tag)
    }

    fn source(self) -> &'static str {
        match self {
            Event::PushDefault | Event::PushOther | Event::Tag => "push",
            Event::MergeRequest => "merge_request_event",
            Event::Schedule => "schedule",
            Event::Web => "web",
            Event::Api => "api",
            Event::Trigger => "trigger",
            Event::Parent => "parent_pipeline",
        }
    }

    pub fn kind(self) -> TriggerKind {
        match self {
            Event::PushDefault | Event::PushOther => TriggerKind::Push,
            Event::Tag => TriggerKind::Tag,
            Event::MergeRequest => TriggerKind::PullRequest,
            Event::Schedule => TriggerKind::Schedule,
            Event::Web => TriggerKind::Manual,
            Event::Api => TriggerKind::Other("api".into()),
            Event::Trigger => TriggerKind::Other("trigger".into()),
            Event::Parent => TriggerKind::WorkflowRun,
        }
    }

    fn var(self, name: &str) -> Val {
        let sym = |s: &str| Val::Sym(s.to_string());
        let name = name.trim_start_matches('$').trim_matches(['{', '}']);
        match name {
            "CI_PIPELINE_SOURCE" => Val::Str(self.source().into()),
            "CI_DEFAULT_BRANCH" => sym("default"),
            "CI_COMMIT_BRANCH" => match self {
                Event::PushDefault => sym("default"),
                Event::PushOther => sym("other"),
                Event::Tag | Event::MergeRequest => Val::Null,
                _ => Val::Unknown,
            },
            "CI_COMMIT_REF_NAME" | "CI_COMMIT_REF_SLUG" => match self {
                Event::PushDefault => sym("default"),
                Event::PushOther | Event::MergeRequest => sym("other"),
                Event::Tag => sym("tag"),
                _ => Val::Unknown,
            },
            "CI_COMMIT_TAG" => match self {
                Event::Tag => sym("tag"),
                Event::PushDefault | Event::PushOther | Event::MergeRequest | Event::Schedule => {
                    Val::Null
                }
                _ => Val::Unknown,
            },
            n if n.starts_with("CI_MERGE_REQUEST_") => match self {
                Event::MergeRequest => Val::Unknown,
                _ => Val::Null,
            },
            _ => Val::Unknown,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Str(String),
    /// A value known only by identity (the default branch, a tag).
    Sym(String),
    Null,
    Bool(Option<bool>),
    Regex,
    Unknown,
}

impl Val {
    fn truth(&self) -> Option<bool> {
        match self {
            Val::Str(s) => Some(!s.is_empty()),
            Val::Sym(_) => Some(true),
            Val::Null => Some(false),
            Val::Bool(b) => *b,
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Var(String),
    Str(String),
    Regex,
    Null,
    Eq,
    Ne,
    Match,
    NoMatch,
    And,
    Or,
    LParen,
    RParen,
    Other,
}

fn lex(src: &str) -> Vec<Tok> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            '"' | '\'' => {
                let mut s = String::new();
                i += 1;
                while let Some(&d) = chars.get(i) {
                    i += 1;
                    if d == c {
                        break;
                    }
                    s.push(d);
                }
                out.push(Tok::Str(s));
            }
            '/' => {
                i += 1;
                while let Some(&d) = chars.get(i) {
                    i += 1;
                    if d == '\\' {
                        i += 1;
                        continue;
                    }
                    if d == '/' {
                        break;
                    }
                }
                // flags such as /i
                while chars.get(i).is_some_and(|d| d.is_ascii_alphabetic()) {
                    i += 1;
                }
                out.push(Tok::Regex);
            }
            '$' => {
                let mut s = String::new();
                i += 1;
                while let Some(&d) = chars.get(i) {
                    if d.is_ascii_alphanumeric() || d == '_' || d == '{' || d == '}' {
                        s.push(d);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(Tok::Var(s));
            }
            '=' | '!' | '&' | '|' => {
                let (t, n) = match (c, next) {
                    ('=', Some('=')) => (Tok::Eq, 2),
                    ('!', Some('=')) => (Tok::Ne, 2),
                    ('=', Some('~')) => (Tok::Match, 2),
                    ('!', Some('~')) => (Tok::NoMatch, 2),
                    ('&', Some('&')) => (Tok::And, 2),
                    ('|', Some('|')) => (Tok::Or, 2),
                    _ => (Tok::Other, 1),
                };
                out.push(t);
                i += n;
            }
            c if c.is_ascii_alphabetic() => {
                let mut s = String::new();
                while let Some(&d) = chars.get(i) {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        s.push(d);
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push(if s == "null" { Tok::Null } else { Tok::Other });
            }
            _ => {
                out.push(Tok::Other);
                i += 1;
            }
        }
    }
    out
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    ev: Event,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn or(&mut self, depth: usize) -> Val {
        let mut v = self.and(depth);
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            let r = self.and(depth);
            v = Val::Bool(crate::parse::ci::common::either(v.truth(), r.truth()));
        }
        v
    }
    fn and(&mut self, depth: usize) -> Val {
        let mut v = self.cmp(depth);
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            let r = self.cmp(depth);
            v = Val::Bool(crate::parse::ci::common::both(v.truth(), r.truth()));
        }
        v
    }
    fn cmp(&mut self, depth: usize) -> Val {
        let l = self.atom(depth);
        let op = match self.peek() {
            Some(t @ (Tok::Eq | Tok::Ne | Tok::Match | Tok::NoMatch)) => t.clone(),
            _ => return l,
        };
        self.pos += 1;
        let r = self.atom(depth);
        let res = match op {
            Tok::Eq | Tok::Ne => {
                let eq = equals(&l, &r);
                if op == Tok::Ne {
                    eq.map(|b| !b)
                } else {
                    eq
                }
            }
            _ => {
                // A regex never matches an unset variable.
                let m = if l == Val::Null { Some(false) } else { None };
                if op == Tok::NoMatch {
                    m.map(|b| !b)
                } else {
                    m
                }
            }
        };
        Val::Bool(res)
    }
    fn atom(&mut self, depth: usize) -> Val {
        let t = self.peek().cloned();
        self.pos += 1;
        match t {
            Some(Tok::LParen) if depth < 32 => {
                let v = self.or(depth + 1);
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                }
                v
            }
            Some(Tok::Var(v)) => self.ev.var(&v),
            Some(Tok::Str(s)) => Val::Str(s),
            Some(Tok::Null) => Val::Null,
            Some(Tok::Regex) => Val::Regex,
            _ => Val::Unknown,
        }
    }
}

fn equals(a: &Val, b: &Val) -> Option<bool> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some(x == y),
        (Val::Sym(x), Val::Sym(y)) => Some(x == y),
        (Val::Null, Val::Null) => Some(true),
        (Val::Null, Val::Str(s)) | (Val::Str(s), Val::Null) => Some(s.is_empty()),
        (Val::Null, Val::Sym(_)) | (Val::Sym(_), Val::Null) => Some(false),
        _ => None,
    }
}

/// Whether `cond` holds in a pipeline of kind `ev` (`None`: unknown).
pub fn holds(cond: &str, ev: Event) -> Option<bool> {
    let toks = lex(cond);
    if toks.is_empty() {
        return Some(true);
    }
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        ev,
    };
    let v = p.or(0);
    if p.pos < toks.len() {
        return None;
    }
    v.truth()
}

/// How a rule list decides for one kind of pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Runs,
    Manual,
    Excluded,
}

fn when_outcome(when: Option<&str>) -> Outcome {
    match when {
        Some("never") => Outcome::Excluded,
        Some("manual") => Outcome::Manual,
        _ => Outcome::Runs,
    }
}

/// The outcome of `rules:` for `ev`, with the line of the deciding rule.
pub fn rules_outcome(rules: &[Node], ev: Event, default_when: Option<&str>) -> (Outcome, u32) {
    for r in rules {
        let cond = r.get("if").and_then(|c| c.as_str());
        // A rule without `if:` decides for branch and tag pipelines; the
        // other kinds count only when a condition names them.
        let matched = match cond {
            None if ev.is_common() => Some(true),
            None => None,
            Some(c) => holds(c, ev),
        };
        let decides = match matched {
            Some(true) => true,
            None => ev.is_common(),
            Some(false) => false,
        };
        if decides {
            let when = r.get("when").and_then(|w| w.as_str()).or(default_when);
            return (when_outcome(when), r.line);
        }
    }
    (Outcome::Excluded, 0)
}

/// Triggers from the outcomes of each kind of pipeline.
pub fn triggers_from(outcomes: &[(Event, Outcome, u32)]) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = Vec::new();
    let runs = |e: Event| {
        outcomes
            .iter()
            .find(|(x, o, _)| *x == e && *o == Outcome::Runs)
            .map(|(_, _, l)| *l)
    };
    let mut push = |t: Trigger| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    match (runs(Event::PushDefault), runs(Event::PushOther)) {
        (Some(l), None) => push(super::super::common::trigger(
            TriggerKind::Push,
            l,
            vec!["$CI_DEFAULT_BRANCH".into()],
        )),
        (Some(l), Some(_)) | (None, Some(l)) => {
            push(super::super::common::trigger(TriggerKind::Push, l, vec![]))
        }
        (None, None) => {}
    }
    for (e, o, l) in outcomes {
        match o {
            Outcome::Runs if !matches!(e, Event::PushDefault | Event::PushOther) => {
                push(super::super::common::trigger(e.kind(), *l, vec![]))
            }
            Outcome::Manual => push(super::super::common::trigger(
                TriggerKind::Manual,
                *l,
                vec![],
            )),
            _ => {}
        }
    }
    out
}

/// `only:`/`except:` refs as trigger kinds; `None` when nothing is said.
pub fn only_except(only: Option<&Node>, except: Option<&Node>, line: u32) -> Option<Vec<Trigger>> {
    let refs = |n: Option<&Node>| -> Option<Vec<(String, u32)>> {
        Some(
            n?.str_or_seq()
                .into_iter()
                .filter_map(|x| x.as_str().map(|s| (s.to_string(), x.line)))
                .collect(),
        )
    };
    let only_refs = refs(only);
    let except_refs = refs(except);
    if only_refs.is_none() && except_refs.is_none() {
        return None;
    }
    let keyword = |r: &str| -> Option<Vec<TriggerKind>> {
        Some(match r {
            "branches" => vec![TriggerKind::Push],
            "tags" => vec![TriggerKind::Tag],
            "merge_requests" | "external_pull_requests" => vec![TriggerKind::PullRequest],
            "schedules" => vec![TriggerKind::Schedule],
            "web" => vec![TriggerKind::Manual],
            "api" => vec![TriggerKind::Other("api".into())],
            "triggers" => vec![TriggerKind::Other("trigger".into())],
            "pipelines" => vec![TriggerKind::WorkflowRun],
            "pushes" => vec![TriggerKind::Push, TriggerKind::Tag],
            "chat" | "external" => vec![TriggerKind::Other(r.to_string())],
            _ => return None,
        })
    };
    let mut out: Vec<Trigger> = Vec::new();
    match only_refs {
        None => {
            out.push(super::super::common::trigger(
                TriggerKind::Push,
                line,
                vec![],
            ));
            out.push(super::super::common::trigger(
                TriggerKind::Tag,
                line,
                vec![],
            ));
        }
        Some(refs) => {
            for (r, l) in refs {
                match keyword(&r) {
                    Some(kinds) => {
                        for k in kinds {
                            if !out.iter().any(|t| t.kind == k) {
                                out.push(super::super::common::trigger(k, l, vec![]));
                            }
                        }
                    }
                    None => {
                        // A branch name or pattern.
                        match out.iter_mut().find(|t| t.kind == TriggerKind::Push) {
                            Some(t) if !t.branches.is_empty() => t.branches.push(r),
                            Some(_) => {}
                            None => out.push(super::super::common::trigger(
                                TriggerKind::Push,
                                l,
                                vec![r],
                            )),
                        }
                    }
                }
            }
        }
    }
    for (r, _) in except_refs.unwrap_or_default() {
        if let Some(kinds) = keyword(&r) {
            out.retain(|t| !kinds.contains(&t.kind));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        let c = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH";
        assert_eq!(holds(c, Event::PushDefault), Some(true));
        assert_eq!(holds(c, Event::PushOther), Some(false));
        assert_eq!(holds(c, Event::Tag), Some(false));
        assert_eq!(holds(c, Event::MergeRequest), Some(false));
        assert_eq!(holds("$CI_COMMIT_TAG", Event::Tag), Some(true));
        assert_eq!(holds("$CI_COMMIT_TAG", Event::PushDefault), Some(false));
        assert_eq!(
            holds("$CI_COMMIT_TAG =~ /^v\\d+/", Event::PushOther),
            Some(false)
        );
        assert_eq!(holds("$CI_COMMIT_TAG =~ /^v\\d+/", Event::Tag), None);
        let c = "$CI_PIPELINE_SOURCE == \"merge_request_event\"";
        assert_eq!(holds(c, Event::MergeRequest), Some(true));
        assert_eq!(holds(c, Event::PushDefault), Some(false));
        assert_eq!(
            holds("$CI_COMMIT_BRANCH == \"main\"", Event::PushDefault),
            None
        );
        assert_eq!(
            holds("$CI_COMMIT_BRANCH == \"main\"", Event::Tag),
            Some(false)
        );
        assert_eq!(
            holds(
                "($CI_PIPELINE_SOURCE == 'schedule') && $NIGHTLY",
                Event::Schedule
            ),
            None
        );
        assert_eq!(
            holds("$CI_PIPELINE_SOURCE == 'schedule' && $X", Event::PushOther),
            Some(false)
        );
        assert_eq!(
            holds("$CI_MERGE_REQUEST_IID", Event::PushDefault),
            Some(false)
        );
    }
}
