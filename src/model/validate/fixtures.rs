//! Every fixture in tests/fixtures/check/ through `source::load`, `validate` and the analysis, in
//! process:
//! `err_CODE_*.tranche` must report CODE, `ok_*.tranche` must report nothing. The lead's
//! tests/check.rs runs the same files through the binary and snapshots what users see.

use std::path::{Path, PathBuf};

use crate::cli::StdFs;
use crate::diagnostic::{Diagnostic, SourceMap};
use crate::source;

/// Every fixture's file name (which says what it must report) and path, in name order.
fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/check exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tranche"))
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, path)
        })
        .collect()
}

/// Everything said about one plan: load failures and the validator's diagnostics.
fn check(path: &Path) -> Vec<Diagnostic> {
    let mut sources = SourceMap::new();
    match source::load(path, &StdFs, &mut sources) {
        Err(diagnostic) => vec![diagnostic],
        Ok((plan, mut diagnostics)) => {
            // A plan's scenarios are checked on the plans they describe (E083): keep a copy.
            let scenarios = crate::scenario::any(&plan).then(|| plan.clone());
            let (portfolio, more) = super::validate(plan);
            diagnostics.extend(more);
            // Some fixtures trip later stages (cycles, deadlines, targets): run them too.
            if let Some(portfolio) = portfolio {
                let detail = crate::finance::Detail::ProjectYearsOnly;
                diagnostics.extend(crate::analysis::analyse(&portfolio, detail).1);
                if let Some(plan) = scenarios {
                    let options = source::Options {
                        includes: source::Includes::InsideFolder,
                        detail,
                        lints: true,
                        level: crate::analysis::Level::Off,
                    };
                    diagnostics.extend(crate::scenario::check(&plan, options));
                }
            }
            diagnostics
        }
    }
}

#[test]
fn each_failing_fixture_reports_the_code_in_its_name() {
    let mut checked = 0;
    for (name, path) in fixtures() {
        let Some(code) = name.strip_prefix("err_").and_then(|r| r.split('_').next()) else {
            continue;
        };
        let diagnostics = check(&path);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(
            codes.contains(&code),
            "{name} should report {code}, got {codes:?}: {diagnostics:#?}"
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} failing fixtures found");
}

#[test]
fn each_clean_fixture_checks_clean() {
    let mut checked = 0;
    for (name, path) in fixtures() {
        if !name.starts_with("ok_") {
            continue;
        }
        let diagnostics = check(&path);
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:#?}");
        checked += 1;
    }
    assert!(checked >= 2);
}
