//! `KR3xx`: CI/CD pipelines.

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];
