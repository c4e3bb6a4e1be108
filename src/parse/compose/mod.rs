//! Compose files: parsed, merged with their overrides and includes.

pub mod model;

pub use model::*;
