//! Renderers: one per format. They format an [`AuditReport`]; they never
//! compute.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod markdown;
pub mod model;
pub mod sarif;
pub mod table;

pub use model::*;
