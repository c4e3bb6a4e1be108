//! Tree-level tests.
