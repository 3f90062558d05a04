//! The example portfolio's money through the real binary (issue 4): its targets and budgets are
//! evaluated and met, and its finance table is what docs/finance.md shows.

use crate::common;

use common::tranche;

const PLAN: &str = "portfolios/children-and-families.tranche";

#[test]
fn every_target_and_budget_of_the_example_is_evaluated() {
    let run = tranche(&["finance", "--format", "json", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let checks = value["checks"].as_array().expect("checks");
    let count = |kind: &str| checks.iter().filter(|c| c["kind"] == kind).count();
    assert_eq!(count("savings-target"), 3, "{checks:?}");
    assert_eq!(count("capital-budget"), 5, "{checks:?}");
    for check in checks {
        assert_eq!(check["met"], true, "{check}");
        let (limit, actual) = (
            check["limit"].as_i64().expect("pence"),
            check["actual"].as_i64().expect("pence"),
        );
        if check["kind"] == "savings-target" {
            assert!(actual >= limit, "{check}");
        } else {
            assert!(actual <= limit, "{check}");
        }
    }
    // The check's figure is the portfolio's savings for that year in the same output.
    let periods = value["periods"].as_array().expect("periods");
    let portfolio = common::json_find(&value, "groups", "kind", "portfolio");
    for check in checks.iter().filter(|c| c["kind"] == "savings-target") {
        let i = periods
            .iter()
            .position(|p| p == &check["year_label"])
            .expect("year in periods");
        assert_eq!(portfolio["periods"][i]["savings"], check["actual"]);
    }
}

#[test]
fn the_example_finance_table() {
    let run = tranche(&["finance", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_missed_target_fails_check_and_shows_in_finance() {
    let plan = "tests/fixtures/check/err_E060_savings_target_missed.tranche";
    let run = tranche(&["finance", plan]);
    assert_eq!(
        run.code, 0,
        "finance shows the money even when a target is missed"
    );
    run.assert_stdout_has("MISSED");
    run.assert_stderr_has("E060");
    assert_eq!(tranche(&["check", plan]).code, 1);
}
