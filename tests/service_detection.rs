//! End to end: service detection over `fixtures/service-detection`, the
//! hand-written cases real repositories got wrong (SPEC 2, 1.2).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

#[test]
fn services_found_and_harnesses_left_out() {
    let r = audit_json("service-detection");
    let found: Vec<(String, String)> = services(&r).into_iter().map(|(p, l, _)| (p, l)).collect();
    let want: Vec<(String, String)> = [
        ("admin", "node"),
        ("apps/webhook", "node"),
        ("board", "php"),
        ("currency", "node"),
        ("email", "python"),
        ("shop/config", "java"),
        ("shop/vets", "java"),
        ("web", "node"),
    ]
    .iter()
    .map(|(p, l)| (p.to_string(), l.to_string()))
    .collect();
    assert_eq!(found, want);
}
