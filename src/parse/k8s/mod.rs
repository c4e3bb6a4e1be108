//! Kubernetes manifests, Helm charts (templates as text), Kustomize.

pub mod model;

pub use model::*;
