//! Committee reports of real plans, through the whole pipeline (load, validate, graph,
//! schedule, finance): reviewed snapshots for the example portfolio and the tutorial, and for
//! every plan under portfolios/ the same figures in all three formats and one Gantt bar per
//! project.

use crate::common;
use crate::report_common;

use report_common::{
    analysed_report, assert_one_mark_per_item, assert_same_chances, assert_same_money,
    report_of_plan, report_with_risk_of_plan,
};
use tranche::report::view::{Report, ReportFormat, render};

/// The page without its stylesheet, which the hand-built report's snapshot already covers, so a
/// change of style does not churn these snapshots.
fn html_without_css(report: &Report) -> String {
    let html = render(report, ReportFormat::Html);
    match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}<style>/* report.css */{}", &html[..start], &html[end..])
        }
        _ => html,
    }
}

/// The report of the plan at `plan` (from the repository root) as reviewed snapshots
/// `NAME_markdown` and `NAME_html`.
fn assert_report_snapshots(plan: &str, name: &str) {
    let report = analysed_report(plan);
    // The plan is read by its absolute path, which its diagnostics name: written from the
    // repository root, so the snapshots hold wherever the repository is checked out.
    let root = format!("{}/", common::root().display());
    insta::assert_snapshot!(
        format!("{name}_markdown"),
        render(&report, ReportFormat::Markdown).replace(&root, "")
    );
    insta::assert_snapshot!(
        format!("{name}_html"),
        html_without_css(&report).replace(&root, "")
    );
}

#[test]
fn example_portfolio_report() {
    assert_report_snapshots("portfolios/children-and-families.tranche", "example");
}

#[test]
fn tutorial_report() {
    assert_report_snapshots("portfolios/tutorial.tranche", "tutorial");
}

#[test]
fn every_example_portfolio_reports_the_same_figures_everywhere() {
    let plans = common::plans_under("portfolios");
    for plan in plans {
        let Some(report) = report_of_plan(&common::root().join(&plan)) else {
            // Included fragments and plans with errors have no report of their own.
            continue;
        };
        assert_same_money(&report);
        // With a risk section (a few iterations: the figures, not the statistics, are checked).
        let with_risk = report_with_risk_of_plan(&common::root().join(&plan), 64, 1)
            .unwrap_or_else(|| panic!("{plan}: analyses with risk as without"));
        assert_same_money(&with_risk);
        assert_same_chances(&with_risk);
        let html = render(&report, ReportFormat::Html);
        assert_one_mark_per_item(&html, &report, &plan);
    }
}

/// Issue 18: budgets are drawn on the finance chart, one heavy line per budget at its amount,
/// each titled with the year and the amount; the example sets five capital budgets.
#[test]
fn the_finance_chart_draws_every_budget() {
    let path = crate::common::root().join("portfolios/children-and-families.tranche");
    let report =
        report_common::report_of_plan(&path).unwrap_or_else(|| panic!("the example reports"));
    let html = tranche::report::view::render(&report, tranche::report::view::ReportFormat::Html);
    let drawn: Vec<&str> = html
        .split("<g class=\"budget\" data-chart=\"budget\"><title>")
        .skip(1)
        .filter_map(|g| g.split("</title>").next())
        .collect();
    assert_eq!(
        drawn,
        [
            "Capital budget 2020/21: £2,300,000.00",
            "Capital budget 2021/22: £3,900,000.00",
            "Capital budget 2022/23: £600,000.00",
            "Capital budget 2023/24: £300,000.00",
            "Capital budget 2024/25: £100,000.00",
        ]
    );
    assert!(html.contains("Capital or revenue budget</li>"));
    // A plan without budgets draws none and says nothing of them.
    let tutorial = crate::common::root().join("portfolios/tutorial.tranche");
    let report =
        report_common::report_of_plan(&tutorial).unwrap_or_else(|| panic!("the tutorial reports"));
    let html = tranche::report::view::render(&report, tranche::report::view::ReportFormat::Html);
    assert_eq!(
        html.contains("data-chart=\"budget\""),
        !report
            .years
            .iter()
            .all(|y| y.capital_budget.is_none() && y.revenue_budget.is_none())
    );
}
