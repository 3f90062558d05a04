//! `optimism-bias capital N%` written in a plan (issue 4): the portfolio's uplift applies to
//! every project that does not set its own, and figures are shown with and without it.

use crate::common;

use common::tranche;

const PLAN: &str = "tests/fixtures/finance/optimism_bias.tranche";

#[test]
fn the_uplift_follows_the_portfolio_unless_a_project_sets_its_own() {
    let run = tranche(&["finance", "--format", "json", "--by", "project", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let bias = |id: &str| {
        let group = common::json_find(&value, "groups", "id", id);
        (
            group["total"]["capital"].as_i64().expect("pence"),
            group["total"]["optimism_bias"].as_i64().expect("pence"),
        )
    };
    // £100,000 x 24% = £24,000 (the portfolio's rate).
    assert_eq!(bias("kiosks"), (10_000_000, 2_400_000));
    // £250,000 x 40% = £100,000 (the project's own rate replaces the portfolio's).
    assert_eq!(bias("case-system"), (25_000_000, 10_000_000));
    let portfolio = common::json_find(&value, "groups", "kind", "portfolio");
    assert_eq!(
        portfolio["total"]["optimism_bias"].as_i64(),
        Some(12_400_000)
    );
    // NPV is shown both ways, and the bias only makes it worse.
    let appraisal = &portfolio["appraisal"];
    assert!(
        appraisal["npv_with_bias"].as_i64() < appraisal["npv"].as_i64(),
        "{appraisal}"
    );
}

#[test]
fn the_table_shows_the_optimism_bias_column() {
    let run = tranche(&["finance", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    run.assert_stdout_has("optimism bias");
    run.assert_stdout_has("£124,000.00");
}

#[test]
fn optimism_bias_belongs_in_the_portfolio_or_a_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "portfolio \"P\" {\n  start 2021-04-01\n  end 2023-03-31\n}\n\ncalendar c {\n  optimism-bias capital 10%\n}\n";
    std::fs::write(dir.path().join("p.tranche"), text).expect("write");
    let run = common::tranche_in(dir.path(), &["check", "p.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stderr_has("E050");
    run.assert_stderr_has("or in a project");
}

#[test]
fn fmt_keeps_it() {
    let run = tranche(&["fmt", "--check", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
}
