//! The schedule checked against a reference scheduler (issue 15): random plan text with every
//! construct that moves a date (`schedule_reference/generate.rs`), scheduled by the engine and
//! by an independent, day-by-day reference written from docs/scheduling.md
//! (`schedule_reference/reference.rs`), compared field by field; metamorphic tests (reordering,
//! renaming, splitting across files, labelling change no date); and a guard that the generator
//! covers every dependency kind, milestone form and progress state of the grammar.
//!
//! `cargo test --test schedule_reference` runs a few thousand plans. For a longer run:
//! `TRANCHE_REFERENCE_CASES=100000 cargo test --release --test schedule_reference`.

mod schedule_reference {
    pub mod compare;
    pub mod generate;
    pub mod reference;
}

use proptest::test_runner::{Config, TestCaseError, TestRunner};
use schedule_reference::compare::{self, run};
use schedule_reference::generate::{self, Plan};
use tranche::source::MemoryFs;

/// Cases for the differential test: `TRANCHE_REFERENCE_CASES`, or 2,000.
fn cases() -> u32 {
    std::env::var("TRANCHE_REFERENCE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Plans the validator refuses are skipped, not failures; `rejection_rate_is_low`
        // keeps them rare.
        max_global_rejects: cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The engine's schedule JSON against the reference, for one plan.
fn differential(plan: &Plan) -> Result<(), TestCaseError> {
    let text = plan.text();
    let run = match run(&MemoryFs::single(&text), "plan.tranche") {
        Ok(run) => run,
        Err(why) => return Err(TestCaseError::reject(why)),
    };
    let diffs = compare::differences(&run);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "the engine and the reference disagree on\n{text}\n{}",
            diffs.join("\n")
        )))
    }
}

#[test]
fn the_engine_agrees_with_the_reference() {
    let mut runner = TestRunner::new(config(cases()));
    let result = runner.run(&generate::plan(), |plan| differential(&plan));
    if let Err(e) = result {
        panic!("{e}");
    }
}
