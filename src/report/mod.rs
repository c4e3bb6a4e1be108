//! Renderers: one per format. They format an [`AuditReport`]; they never
//! compute.

pub mod github;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod markdown;
pub mod model;
pub mod sarif;
pub mod table;

pub use model::*;
