//! The schedule's reports (table, JSON, CSV, `--critical`) on a small plan with a programme,
//! milestones, a baseline and progress: what users see, snapshotted.

use crate::schedule_support;

use schedule_support::*;
use tranche::model::{Baseline, LinkKind, MilestoneTiming};
use tranche::money::Percent;
use tranche::report::{self, ScheduleFormat};

fn plan() -> Plan {
    // Start Mon 2021-03-01, status date Mon 2021-03-08.
    let mut plan = Plan::new("2021-03-01");
    plan.portfolio.status_date = Some(d("2021-03-08"));
    let discovery = plan.project("discovery", 5);
    let build = plan.project("build", 10);
    let migrate = plan.project("migrate", 4);
    let comms = plan.project("comms", 3);
    let live = plan.milestone("go-live", MilestoneTiming::AtFinish, Some(migrate));
    plan.programme("platform", &[discovery, build, migrate]);
    plan.fs(build, discovery);
    plan.link(migrate, build, LinkKind::StartToStart, 6);
    plan.link(comms, live, LinkKind::FinishToStart, -2);
    plan.project_mut(discovery)
        .details_mut()
        .progress
        .actual_start = Some(dated("2021-03-01"));
    plan.project_mut(discovery)
        .details_mut()
        .progress
        .actual_finish = Some(dated("2021-03-05"));
    // build started early, out of sequence, and is 12.5% done: 9 days remain (8.75 rounded
    // up) from the status date: Mar 8-18. migrate SS build lag 6: Mar 12-17; go-live at its
    // finish, Mar 17; comms FS go-live with a 2-day lead: Mar 16-18.
    plan.project_mut(build).details_mut().progress.actual_start = Some(dated("2021-03-04"));
    plan.project_mut(build).details_mut().progress.complete = Some(Percent(1250));
    plan.project_mut(build).details_mut().baseline = Some(Baseline {
        start: d("2021-03-08"),
        finish: d("2021-03-12"),
        span: span(1),
    });
    plan.project_mut(comms).title = "Comms, \"launch\" & training".to_string().into();
    let _ = live;
    plan
}

#[test]
fn table_json_and_csv() {
    let run = plan().run();
    let table =
        report::render_schedule(&run.portfolio, &run.schedule, ScheduleFormat::Table, false);
    insta::assert_snapshot!("table", table);
    let critical =
        report::render_schedule(&run.portfolio, &run.schedule, ScheduleFormat::Table, true);
    insta::assert_snapshot!("table_critical", critical);
    let json = report::render_schedule(&run.portfolio, &run.schedule, ScheduleFormat::Json, false);
    insta::assert_snapshot!("json", json);
    let csv = report::render_schedule(&run.portfolio, &run.schedule, ScheduleFormat::Csv, false);
    insta::assert_snapshot!("csv", csv);
}
