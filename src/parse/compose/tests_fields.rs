//! Field syntax tests.
