//! Import of plans from other tools: Microsoft Project XML (MSPDI) to a tranche portfolio.
//!
//! Input: the text of an MSPDI file and its [`FileId`] (so diagnostics point into it). Output:
//! the text of a tranche portfolio, and a W081 warning for everything the plan cannot say
//! (each pointing at the XML element it comes from), or an E080 error and no text when the
//! file is not MSPDI at all or says what no plan can (links in a circle, a UID twice, an
//! outline deeper than a plan nests, an element with more than 64 attributes), located in the
//! XML too.
//!
//! Invariant: the text written is a plan that `tranche check` accepts without errors: ids are
//! valid, unique names; every date lies in the plan window; actual dates lie on or before the
//! status date; every reference names an item written. `cli::import` checks the text once more
//! before writing it, so a bug here shows as an error, not as a broken file.
//!
//! What carries over: tasks in their outline (summary tasks become programmes), durations in
//! working days, the four link kinds with lags, start-no-earlier-than (not-before), deadlines,
//! must-start/finish-on milestones (`on DATE`), actual dates and percent complete, baselines,
//! fixed costs (as capital), contacts (owner), notes (description), calendars (weekends and
//! closures, recognising the England and Wales bank holidays) and the status date. The tranche
//! ids that `tranche export` keeps in `Text1` come back as the same ids, so a plan exported and
//! imported exports to the same file. See docs/interop.md.

use crate::diagnostic::{Diagnostic, FileId};

mod mspdi;
mod write;

/// What an import produced.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The tranche portfolio, absent when the file could not be read as MSPDI.
    pub text: Option<String>,
    /// E080 when the file is not MSPDI or no plan can hold it; W081 for each thing not
    /// carried over.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the MSPDI document `xml` (the file `file` in the caller's source map) and writes it
/// as a tranche portfolio. `source_name` is named in the text's opening comment.
pub fn mspdi(file: FileId, xml: &str, source_name: &str) -> Imported {
    let mut diagnostics = Vec::new();
    let plan = mspdi::read(file, xml, &mut diagnostics);
    Imported {
        text: plan.map(|plan| write::portfolio(&plan, source_name)),
        diagnostics,
    }
}
