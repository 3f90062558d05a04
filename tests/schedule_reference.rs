//! The schedule checked against a reference scheduler (issue 15): random plan text with every
//! construct that moves a date (`schedule_reference/generate.rs`), scheduled by the engine and
//! by an independent, day-by-day reference written from docs/scheduling.md
//! (`schedule_reference/reference.rs`), compared field by field; metamorphic tests (reordering,
//! renaming, splitting across files, labelling change no date); and a guard that the generator
//! covers every dependency kind, milestone form and progress state of the grammar.
//!
//! `cargo test --test tests schedule_reference` runs a few thousand plans. For a longer run:
//! `TRANCHE_REFERENCE_CASES=100000 cargo test --release --test tests schedule_reference`.

pub mod compare;
pub mod coverage;
pub mod generate;
pub mod metamorphic;
pub mod reference;

use self::compare::{run, run_fast};
use self::generate::Plan;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
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
    let run = match run_fast(&MemoryFs::single(&text), "plan.tranche") {
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

/// Plans the validator refuses are skipped; this keeps them few, so the differential test
/// really runs its cases. Reports what was refused, and why, when there are too many.
#[test]
fn rejection_rate_is_low() {
    let mut runner = TestRunner::deterministic();
    let strategy = generate::plan();
    let mut refused: Vec<String> = Vec::new();
    let n = 300;
    let t = std::time::Instant::now();
    let mut engine = std::time::Duration::ZERO;
    for _ in 0..n {
        let plan = strategy.new_tree(&mut runner).expect("a plan").current();
        let e = std::time::Instant::now();
        let r = run_fast(&MemoryFs::single(&plan.text()), "plan.tranche");
        engine += e.elapsed();
        if let Err(why) = r {
            refused.push(why);
        }
    }
    eprintln!(
        "{} of {n} refused; {:?} in all, {:?} in the engine",
        refused.len(),
        t.elapsed(),
        engine
    );
    assert!(
        refused.len() * 20 <= n,
        "{} of {n} plans refused:\n{}",
        refused.len(),
        refused.join("\n")
    );
}

/// The differential test's shortcut (cached calendars, no money or lints) gives the bytes
/// `check_files` gives.
#[test]
fn the_fast_path_matches_check_files() {
    let mut runner = TestRunner::deterministic();
    let strategy = generate::plan();
    for _ in 0..60 {
        let plan = strategy.new_tree(&mut runner).expect("a plan").current();
        let fs = MemoryFs::single(&plan.text());
        match (run(&fs, "plan.tranche"), run_fast(&fs, "plan.tranche")) {
            (Ok(a), Ok(b)) => assert_eq!(a.json, b.json, "{plan:?}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{plan:?}\ncheck_files {:?}\nfast {:?}", a.err(), b.err()),
        }
    }
}
