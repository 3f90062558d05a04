//! tranche: plan-as-code for digital transformation portfolios.
//!
//! The pipeline, one module a stage, data flowing one way:
//!
//! ```text
//! source::load   files -> Plan (parsed files, includes followed)      [syntax::parse per file]
//! model::validate Plan -> Portfolio (names resolved, units converted)
//! graph::build   Portfolio -> Network (petgraph; dependency cycles)
//! schedule::compute  Portfolio + Network -> Schedule (critical path on working days)
//! risk::simulate     the above, many times over sampled ranges -> RiskSummary (Monte Carlo)
//! trend::build       analysed versions from git, one at a time -> Trend (reporting points)
//! cli            the only module that reads files, prints or exits
//! ```
//!
//! Every mistake in a user's plan is a [`diagnostic::Diagnostic`]; stages collect them and
//! `diagnostic::render` shows them. See docs/ARCHITECTURE.md.
#![forbid(unsafe_code)]

// pest_derive without `std` (its stack guard off, see Cargo.toml) names `::alloc` in the parser
// it generates.
extern crate alloc;

pub mod analysis;
pub mod calendar;
pub mod capacity;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod finance;
pub mod fmt;
pub mod graph;
pub mod import;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod money;
pub mod options;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod select;
pub mod source;
pub mod syntax;
pub mod trend;
