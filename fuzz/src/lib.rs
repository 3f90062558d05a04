//! Fuzzing support for tranche (issue 10): the in-memory pipeline the pipeline targets run, the
//! grammar-aware plan generator, and the fast-path-against-pest comparison (issue 16). See
//! fuzz/README.md for the commands.
#![forbid(unsafe_code)]

pub mod differential;
pub mod pipeline;
pub mod plan_gen;
