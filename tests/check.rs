//! `tranche check` on real files through the real binary: every example portfolio checks
//! clean, every failing fixture gives its code, and what users see is under snapshot.

mod common;

use common::{plans_under, tranche};

#[test]
fn every_example_portfolio_checks_clean() {
    let plans = plans_under("portfolios");
    assert!(!plans.is_empty(), "portfolios/ has example plans");
    for plan in plans {
        // Included workstream files are checked through the plan that includes them.
        if plan.contains("/workstreams/") {
            continue;
        }
        let run = tranche(&["check", &plan]);
        assert_eq!(
            run.code,
            0,
            "{plan} should check clean:\n{}",
            run.transcript()
        );
        assert!(run.stderr.contains(" 0 errors"), "{}", run.stderr);
    }
}

/// Each fixture `err_E0xx_*.tranche` must report its code (and exit 1 for errors); the whole
/// human transcript is snapshotted so a change in wording is reviewed.
#[test]
fn failing_fixtures_report_their_code() {
    insta::glob!("fixtures/check/err_*.tranche", |path| {
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let code = name
            .strip_prefix("err_")
            .and_then(|rest| rest.split('_').next())
            .expect("fixture named err_CODE_what.tranche");
        let rel = format!("tests/fixtures/check/{name}");
        let run = tranche(&["check", &rel]);
        assert!(
            run.stderr.contains(&format!("[{code}]")),
            "{rel} should report {code}:\n{}",
            run.transcript()
        );
        let expected_exit = if code.starts_with('W') { 0 } else { 1 };
        assert_eq!(run.code, expected_exit, "{}", run.transcript());
        insta::assert_snapshot!(run.transcript());
    });
}

#[test]
fn clean_fixtures_check_clean() {
    for plan in plans_under("tests/fixtures/check") {
        let name = plan.rsplit('/').next().unwrap_or_default();
        if !name.starts_with("ok_") {
            continue;
        }
        let run = tranche(&["check", &plan]);
        assert_eq!(run.code, 0, "{plan}:\n{}", run.transcript());
    }
}
