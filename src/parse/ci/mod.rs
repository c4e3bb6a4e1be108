//! CI/CD configurations, each system normalised into [`model::Pipeline`].

pub mod model;

pub use model::*;
