//! kubeready: how far is this repository from running in containers?
//!
//! Data flows one way: [`walk`] → [`parse`] → [`graph`] → [`rules`] and
//! [`checklist`] → [`report`].

pub mod checklist;
pub mod finding;
pub mod graph;
pub mod inventory;
pub mod paths;
pub mod parse;
pub mod report;
pub mod walk;
