//! `KR9xx`: input kubeready could not read or parse. Each becomes a
//! warning with file and line, and the audit goes on.

mod kr901_unreadable_file;
mod kr902_file_too_large;
mod kr903_syntax_error;
mod kr904_symlink_out_of_root;
mod kr905_broken_symlink;
mod kr906_unreadable_path;
mod kr907_non_utf8_path;
mod kr908_partly_understood;

use super::Rule;
use crate::parse::{Facts, ParseProblem, ProblemKind};
use crate::walk::{WalkProblem, WalkProblemKind};

pub static RULES: &[&dyn Rule] = &[
    &kr901_unreadable_file::Rule,
    &kr902_file_too_large::Rule,
    &kr903_syntax_error::Rule,
    &kr904_symlink_out_of_root::Rule,
    &kr905_broken_symlink::Rule,
    &kr906_unreadable_path::Rule,
    &kr907_non_utf8_path::Rule,
    &kr908_partly_understood::Rule,
];

fn parse_problems(facts: &Facts, kind: ProblemKind) -> impl Iterator<Item = &ParseProblem> {
    facts.problems.iter().filter(move |p| p.kind == kind)
}

fn walk_problems(
    facts: &Facts,
    pred: fn(&WalkProblemKind) -> bool,
) -> impl Iterator<Item = &WalkProblem> {
    facts.listing.problems.iter().filter(move |p| pred(&p.kind))
}
