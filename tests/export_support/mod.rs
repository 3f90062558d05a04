//! The sample plan the exports are checked on (tests/fixtures/export/council.tranche, read as
//! text through the library's pipeline), and helpers that run the exports and the external
//! checkers on it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use tranche::export::{Format, export};

/// The council plan of tests/fixtures/export/council.tranche, which the export fixtures
/// snapshot in every format: two programmes (one nested), all four link kinds with lags and a
/// lead, a not-before, deadlines, work finished and in progress, baselines, milestones at
/// finish, at start, on a date and placed by links, a council calendar with a Christmas
/// closure, and capital costs.
pub const SAMPLE: &str = "tests/fixtures/export/council.tranche";

pub use crate::common::Analysed as Plan;

/// The sample plan (see [`SAMPLE`]).
pub fn sample() -> Plan {
    crate::common::analysed_file(SAMPLE)
}

pub fn exported(plan: &Plan, format: Format) -> String {
    export(&plan.portfolio, &plan.analysis, format)
}

/// Runs a checker; `None` (with the reason printed) when the program is not installed.
pub fn run_tool(program: &str, args: &[&str], dir: &Path) -> Option<std::process::Output> {
    match Command::new(program).args(args).current_dir(dir).output() {
        Ok(output) => Some(output),
        Err(e) => {
            println!("skipped: cannot run `{program}` ({e})");
            None
        }
    }
}

pub fn interop_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// The plan imported from the MSPDI text `xml` (called `name` in diagnostics), which must come
/// back whole: nothing left out (no W081). `context` follows the diagnostics in the panic.
pub fn imported_whole(xml: &str, name: &str, context: &str) -> String {
    let imported = tranche::import::mspdi(tranche::diagnostic::FileId(0), xml, name);
    assert!(
        imported.diagnostics.is_empty(),
        "the import of {name} left things out: {:#?}\n{context}",
        imported.diagnostics
    );
    imported.text.expect("a plan")
}
