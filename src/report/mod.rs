//! Renderers: one per format. They format an [`AuditReport`]; they never
//! compute.

pub mod json;
pub mod model;
pub mod table;

pub use model::*;
