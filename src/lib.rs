//! kubeready: how far is this repository from running in containers?
//!
//! Data flows one way: [`walk`] → [`parse`] → [`graph`] → [`rules`] and
//! [`checklist`] → [`report`].

pub mod audit;
pub mod baseline;
pub mod checklist;
pub mod cli;
pub mod config;
pub mod explain;
pub mod fast_hash;
pub mod finding;
pub mod fix;
pub mod fleet;
pub mod gate;
pub mod graph;
pub mod image_ref;
pub mod inventory;
pub mod kind;
pub mod par;
pub mod parse;
pub mod paths;
pub mod report;
pub mod rules;
pub mod sections;
pub mod shellcheck;
pub mod suppress;
pub mod timings;
pub mod walk;
