//! The checklist: the seven steps judged from the graph and parsed facts.

pub mod model;

pub use model::*;
