//! Renderers: one per format. They format an [`AuditReport`]; they never
//! compute.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod markdown;
pub mod model;
pub mod next_steps;
pub mod sarif;
pub mod table;

pub use model::*;

/// How many next steps the terminal and Markdown show (JSON keeps all).
pub const SHOWN_NEXT_STEPS: usize = 10;

/// The line after the shown next steps, when some are left out.
pub fn more_next_steps(total: usize) -> Option<String> {
    (total > SHOWN_NEXT_STEPS).then(|| {
        format!(
            "… and {} more (all of them in `--format json`).",
            total - SHOWN_NEXT_STEPS
        )
    })
}
