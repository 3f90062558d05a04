//! `fmt` never changes the meaning of a plan (issue 2): every example and fixture, formatted,
//! validates to the same model as the original, and formatting twice changes nothing.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{plans_under, root};
use tranche::diagnostic::{FileId, SourceMap};
use tranche::source::FileSystem;

/// A file system that serves every `.tranche` file formatted (or as it is, when `format` is
/// off), so whole plans with their includes can be validated before and after.
struct Formatted {
    format: bool,
}

impl FileSystem for Formatted {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let bytes = std::fs::read(path)?;
        if !self.format {
            return Ok(bytes);
        }
        let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
        let formatted = tranche::fmt::format_source(FileId(0), &text)
            .map_err(|_| std::io::Error::other("does not parse"))?;
        Ok(formatted.into_bytes())
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// The model of a plan as JSON (spans are not serialised), or `None` if it does not validate.
fn model_json(path: &Path, format: bool) -> Option<String> {
    let mut sources = SourceMap::new();
    let (plan, _) = tranche::source::load(path, &Formatted { format }, &mut sources).ok()?;
    let (portfolio, _) = tranche::model::validate(plan);
    portfolio.map(|p| serde_json::to_string_pretty(&p).expect("the model serialises"))
}

fn every_plan() -> Vec<String> {
    let mut plans = plans_under("portfolios");
    plans.extend(plans_under("tests/fixtures"));
    plans
}

#[test]
fn formatted_plans_validate_to_the_same_model() {
    let mut compared = 0;
    for plan in every_plan() {
        let path = root().join(&plan);
        // fmt refuses a file it cannot parse (a fixture of a syntax error may still validate,
        // its broken line held back): there is no formatted plan to compare.
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if tranche::fmt::format_source(FileId(0), &text).is_err() {
            continue;
        }
        let Some(before) = model_json(&path, false) else {
            continue;
        };
        let after = model_json(&path, true);
        assert_eq!(Some(before), after, "{plan}: formatting changed the model");
        compared += 1;
    }
    assert!(
        compared >= 3,
        "only {compared} plans validated; the test compares too little"
    );
}

#[test]
fn formatting_is_idempotent_on_every_plan() {
    let mut formatted_files = BTreeMap::new();
    for plan in every_plan() {
        let text = std::fs::read_to_string(root().join(&plan)).expect("fixtures are text");
        let Ok(once) = tranche::fmt::format_source(FileId(0), &text) else {
            continue;
        };
        let twice = tranche::fmt::format_source(FileId(0), &once).expect("formatted text parses");
        assert_eq!(once, twice, "{plan}: fmt is not idempotent");
        formatted_files.insert(plan, once);
    }
    assert!(formatted_files.len() >= 3);
    // The examples are committed in the canonical layout.
    for (plan, once) in &formatted_files {
        if plan.starts_with("portfolios/") {
            let text = std::fs::read_to_string(root().join(plan)).expect("text");
            assert_eq!(
                &text, once,
                "{plan} is not formatted: run `tranche fmt {plan}`"
            );
        }
    }
}
