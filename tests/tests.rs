//! The integration tests, one test binary (ripgrep's `tests/tests.rs` pattern): each file
//! beside this one is a module of it, so the crate is linked once rather than once per file,
//! which on a two-core CI was most of `cargo test`'s time. The support modules are shared.
//! `Cargo.toml` sets `autotests = false` so that Cargo does not also build each file alone.

// Support shared by the test modules.
mod common;
mod export_support;
mod report_common;
mod schedule_support;

// The tests, one module per file.
mod calendar_properties;
mod check;
mod cli;
mod cli_fmt;
mod determinism;
mod diff_cli;
mod editors;
mod export_formats;
mod export_mspdi;
mod export_tools;
mod export_tutorial;
mod finance_example;
mod finance_optimism;
mod finance_profile;
mod finance_properties;
mod fmt_files;
mod fmt_model;
mod fuzz_corpus;
mod hostile_input;
mod hostile_output;
mod import_mspdi;
mod import_roundtrip;
mod levelling;
mod lint_fixtures;
mod lsp;
mod memory;
mod options_example;
mod options_worked;
mod report_browser;
mod report_mermaid;
mod report_pipeline;
mod report_print;
mod report_render;
mod report_risk;
mod report_watch;
mod risk_cli;
mod risk_events;
mod risk_statistics;
mod robustness;
mod schedule_graph;
mod schedule_large;
mod schedule_mpxj;
mod schedule_properties;
mod schedule_reference;
mod schedule_text;
mod schedule_textbook;
mod select_cli;
mod select_properties;
mod trend_cli;
