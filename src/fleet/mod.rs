//! `kubeready fleet`: many repositories audited (or their reports read)
//! and rolled up. [`model`] computes the roll-up; [`render`] and
//! [`crate::report::html::fleet`] format it; [`run`] drives the command.

pub mod args;
pub mod discover;
pub mod model;
pub mod render;
pub mod run;

pub use args::FleetArgs;
pub use model::{FleetReport, FLEET_SCHEMA_VERSION};
pub use run::run;
