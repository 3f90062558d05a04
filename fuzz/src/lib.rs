//! Fuzzing support for tranche (issue 10): the in-memory pipeline every target runs, and the
//! grammar-aware plan generator. See fuzz/README.md for the commands.
#![forbid(unsafe_code)]

pub mod pipeline;
pub mod plan_gen;
