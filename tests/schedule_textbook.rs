//! Textbook networks with answers worked by hand (issue 3). They are fixtures now, each with
//! its working in comments: tests/fixtures/schedule/, run by `fixtures_by_stage` in
//! tests/check.rs. What stays here is what only the library shows.

use tranche::graph::find_item;
use tranche::source::check_text;

/// tests/fixtures/schedule/milestones_at_start_at_finish_fixed_and_free.tranche: `kickoff`,
/// at the start of `p`, happens as p's first day (Mon 2021-03-01) begins, not at its end as
/// `done` does; the schedule shows both on their day, so only the trace tells them apart.
#[test]
fn a_milestone_at_start_happens_as_its_day_begins() {
    let text =
        include_str!("fixtures/schedule/milestones_at_start_at_finish_fixed_and_free.tranche");
    let checked = check_text(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let portfolio = checked.portfolio.expect("a valid plan");
    let analysis = checked.analysis.expect("a scheduled plan");
    let item = |id: &str| find_item(&portfolio, id).expect("declared in the fixture");
    let kickoff = item("kickoff");
    assert!(analysis.schedule.at_day_start(kickoff));
    assert_eq!(
        analysis
            .schedule
            .timing(kickoff)
            .map(|t| t.start.to_string()),
        Some("2021-03-01".to_string())
    );
    assert!(!analysis.schedule.at_day_start(item("done")));
}
