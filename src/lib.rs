//! kubeready: how far is this repository from running in containers?
//!
//! Data flows one way: [`walk`] → [`parse`] → [`graph`] → [`rules`] and
//! [`checklist`] → [`report`].

pub mod finding;
pub mod inventory;
pub mod parse;
pub mod walk;
