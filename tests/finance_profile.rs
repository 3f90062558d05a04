//! Hand-computed finance cases (issue 4). They are fixtures now, each with its arithmetic in
//! comments: tests/fixtures/money/, run by `fixtures_by_stage` in tests/check.rs. What stays
//! here is what no plan text can reach, or only the library shows.

use std::path::Path;

use tranche::finance::{self, Detail, Month};
use tranche::money::Money;
use tranche::source::{MemoryFs, check_files, check_text};

/// The small plan of tests/fixtures/money/npv_and_payback_of_a_small_plan.tranche.
const SMALL_PLAN: &str = r#"portfolio "Test plan" {
  start 2020-04-01
  end 2023-03-31
}

project p {
  duration 253 days
  cost capital £100,000
  saving £60,000 per year from finish
}
"#;

/// The profiler's guard: a recurring line stops at the end of the calendars' range (the day
/// after 2200-12-31). The validator keeps text from reaching it (`for` is at most 100 years,
/// a plan ends by 2200-12-31), so the line is lengthened after validation.
///
/// `for` 1,000 years from 2021-01-01 stops at 2201-01-01: 180 years of £1,200 = £216,000, and
/// the profile ends in December 2200 instead of running for 12,000 months.
#[test]
fn a_recurring_line_stops_at_the_end_of_the_calendars_range() {
    let checked = check_text(
        r#"portfolio "Test plan" {
  start 2020-04-01
  end 2022-03-31
}

project p {
  duration 60 days
  saving £1,200 per year from 2021-01-01 for 100 years
}
"#,
    );
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let mut portfolio = checked.portfolio.expect("a valid plan");
    let analysis = checked.analysis.expect("an analysed plan");
    portfolio.projects[0].savings[0].recurrence.months = Some(12_000);
    let f = finance::profile(&portfolio, &analysis.schedule, &analysis.calendars);
    assert_eq!(f.portfolio.total.savings, Money(21_600_000));
    assert_eq!(
        f.months.last(),
        Some(&Month::of(
            chrono::NaiveDate::from_ymd_opt(2200, 12, 1).expect("a date")
        ))
    );
}

/// Commands that show no project's months keep only the projects' years; everything else is
/// the same as the full profile.
#[test]
fn project_years_only_keeps_everything_but_project_months() {
    let full = check_text(SMALL_PLAN).analysis.expect("analysed").finance;
    let lean = check_files(
        &MemoryFs::single(SMALL_PLAN),
        Path::new("plan.tranche"),
        Detail::ProjectYearsOnly,
    )
    .analysis
    .expect("analysed")
    .finance;
    assert!(!full.projects[0].monthly.is_empty());
    assert!(lean.projects[0].monthly.is_empty());
    assert_eq!(lean.projects[0].yearly, full.projects[0].yearly);
    assert_eq!(lean.projects[0].appraisal, full.projects[0].appraisal);
    assert_eq!(lean.portfolio.monthly, full.portfolio.monthly);
}
