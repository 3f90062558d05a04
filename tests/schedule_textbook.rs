//! Textbook networks with answers worked by hand (issue 3). Each test shows its working in
//! comments: working days are counted on the england-and-wales calendar unless it says
//! otherwise, finish dates are the last day of work, and a milestone's date is the day at whose
//! end it happens.

use crate::schedule_support;

use schedule_support::*;
use tranche::diagnostic::Code;
use tranche::model::{CalendarId, LinkKind, MilestoneTiming};
use tranche::money::Percent;

#[test]
fn finish_to_start_with_lag_across_easter_2021() {
    // Start Mon 2021-03-29. `a` 5 days: Mar 29, 30, 31, Apr 1, (Good Friday Apr 2, weekend,
    // Easter Monday Apr 5 closed) Apr 6. `b` FS `a`, 3 days: Apr 7, 8, 9. `c` FS `b` lag 2:
    // the next working day after Fri Apr 9 is Mon Apr 12, plus 2 is Wed Apr 14; 1 day.
    let mut plan = Plan::new("2021-03-29");
    let a = plan.project("a", 5);
    let b = plan.project("b", 3);
    let c = plan.project("c", 1);
    plan.fs(b, a);
    plan.link(c, b, LinkKind::FinishToStart, 2);
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2021-03-29", "2021-04-06"));
    assert_eq!(run.dates("b"), pair("2021-04-07", "2021-04-09"));
    assert_eq!(run.dates("c"), pair("2021-04-14", "2021-04-14"));
    assert_eq!(run.schedule.finish.to_string(), "2021-04-14");
    // One chain: everything critical, no float anywhere.
    for id in ["a", "b", "c"] {
        assert_eq!(run.t(id).total_float_days, 0, "{id}");
        assert!(run.t(id).critical, "{id}");
    }
    assert_eq!(run.t("a").duration_days, 5);
    assert_eq!(run.path(), ["a", "b", "c"]);
    assert!(run.diagnostics.is_empty());
}

#[test]
fn start_to_start_finish_to_finish_and_start_to_finish_over_christmas_2020() {
    // Start Mon 2020-12-21. `a` 10 days: Dec 21, 22, 23, 24, (Christmas Fri 25, weekend,
    // Boxing Day substitute Mon 28) 29, 30, 31, (New Year Fri Jan 1, weekend) Jan 4, 5, 6.
    // `b` SS `a` lag 4: starts on a's 5th working day, Dec 29; 2 days: Dec 29, 30.
    // `c` FF `a` lead 2: finishes 2 working days before a's finish: Jan 4; 3 days: Dec 30,
    // 31, Jan 4. `d` SF `a` lag 3: finishes on a's 3rd working day, Dec 23; 1 day.
    let mut plan = Plan::new("2020-12-21");
    let a = plan.project("a", 10);
    let b = plan.project("b", 2);
    let c = plan.project("c", 3);
    let dd = plan.project("d", 1);
    plan.link(b, a, LinkKind::StartToStart, 4);
    plan.link(c, a, LinkKind::FinishToFinish, -2);
    plan.link(dd, a, LinkKind::StartToFinish, 3);
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2020-12-21", "2021-01-06"));
    assert_eq!(run.dates("b"), pair("2020-12-29", "2020-12-30"));
    assert_eq!(run.dates("c"), pair("2020-12-30", "2021-01-04"));
    assert_eq!(run.dates("d"), pair("2020-12-23", "2020-12-23"));
    // Late dates from the finish Jan 6: b may finish Jan 6 (late start Jan 5): float 4
    // (Dec 31, Jan 4, 5, 6 after Dec 30). c: Jan 5, 6 after Jan 4: float 2. d: Dec 24, 29,
    // 30, 31, Jan 4, 5, 6: float 7. None has a successor, so free float = total float.
    assert_eq!(run.late("b"), pair("2021-01-05", "2021-01-06"));
    assert_eq!(run.t("b").total_float_days, 4);
    assert_eq!(run.t("c").total_float_days, 2);
    assert_eq!(run.t("d").total_float_days, 7);
    assert_eq!(run.t("d").free_float_days, 7);
    assert_eq!(run.t("a").total_float_days, 0);
    assert_eq!(run.path(), ["a"]);
}

#[test]
fn a_portfolio_start_on_a_bank_holiday_starts_work_on_the_next_working_day() {
    // 2021-01-01 is New Year's Day (Friday): work starts Mon Jan 4. 2020-12-26 is a Saturday
    // followed by Sunday and the Boxing Day substitute (Mon 28): work starts Tue Dec 29.
    let mut plan = Plan::new("2021-01-01");
    plan.project("a", 2);
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2021-01-04", "2021-01-05"));

    let mut plan = Plan::new("2020-12-26");
    plan.project("a", 1);
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2020-12-29", "2020-12-29"));
}

#[test]
fn milestones_at_start_at_finish_fixed_and_free() {
    // Start Mon 2021-03-01. `p` 5 days: Mar 1-5. `kickoff` at start of p: as p's first day
    // begins, Mar 1. `done` at finish of p: Mar 5. `q` FS done, 2 days: Mar 8, 9. `gate` on
    // Sun 2021-03-14: the end of the last working day on or before, Fri Mar 12. `r` FS gate:
    // Mon Mar 15. `checked` FS q: the end of q's last day, Mar 9.
    let mut plan = Plan::new("2021-03-01");
    let p = plan.project("p", 5);
    let q = plan.project("q", 2);
    let r = plan.project("r", 1);
    plan.milestone("kickoff", MilestoneTiming::AtStart, Some(p));
    let done = plan.milestone("done", MilestoneTiming::AtFinish, Some(p));
    let gate = plan.milestone("gate", MilestoneTiming::On(d("2021-03-14")), None);
    let checked = plan.milestone("checked", MilestoneTiming::Free, None);
    plan.fs(q, done);
    plan.fs(r, gate);
    plan.fs(checked, q);
    let run = plan.run();
    assert_eq!(run.dates("kickoff"), pair("2021-03-01", "2021-03-01"));
    assert_eq!(run.dates("done"), pair("2021-03-05", "2021-03-05"));
    assert_eq!(run.dates("q"), pair("2021-03-08", "2021-03-09"));
    assert_eq!(run.dates("gate"), pair("2021-03-12", "2021-03-12"));
    assert_eq!(run.dates("r"), pair("2021-03-15", "2021-03-15"));
    assert_eq!(run.dates("checked"), pair("2021-03-09", "2021-03-09"));
    assert_eq!(run.t("done").duration_days, 0);
    // The finish is Mar 15, driven by the fixed gate: [gate, r] is the critical path.
    assert_eq!(run.path(), ["gate", "r"]);
    assert_eq!(run.t("gate").total_float_days, 0);
    // q may finish Mar 15: float 4 (Mar 10, 11, 12, 15); p and its milestones move with it.
    assert_eq!(run.t("q").total_float_days, 4);
    assert_eq!(run.t("done").total_float_days, 4);
    assert_eq!(run.t("p").total_float_days, 4);
    assert_eq!(run.late("p"), pair("2021-03-05", "2021-03-11"));
    // kickoff happens as p's first day begins; at the latest as p's late first day (Mar 5)
    // begins. A milestone's late date is shown on the same side of its day as its early date
    // (docs/scheduling.md), so the start of Mar 5 is shown as Mar 5: float 4.
    assert!(run.trace.at_day_start(run.item("kickoff")));
    assert_eq!(run.t("kickoff").total_float_days, 4);
    assert_eq!(run.late("kickoff"), pair("2021-03-05", "2021-03-05"));
    assert_eq!(run.t("checked").total_float_days, 4);
}

#[test]
fn a_missed_deadline_gives_negative_float_but_never_moves_the_plan() {
    // Start Mon 2021-03-01. `a` 10 days: Mar 1-12. `b` FS a, 5 days: Mar 15-19, deadline Wed
    // Mar 17: b must finish 2 working days earlier, so both have total float -2, and b is
    // reported 2 working days late. The early dates stay where the logic puts them.
    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 10);
    let b = plan.project("b", 5);
    plan.fs(b, a);
    plan.project_mut(b).deadline = Some(dated("2021-03-17"));
    let run = plan.run();
    assert_eq!(run.dates("b"), pair("2021-03-15", "2021-03-19"));
    assert_eq!(run.late("b"), pair("2021-03-11", "2021-03-17"));
    assert_eq!(run.t("b").total_float_days, -2);
    assert_eq!(run.t("a").total_float_days, -2);
    assert_eq!(run.late("a"), pair("2021-02-25", "2021-03-10"));
    assert!(run.t("a").critical && run.t("b").critical);
    // Free float is never negative (b has no successor to delay).
    assert_eq!(run.t("b").free_float_days, 0);
    assert_eq!(run.diagnostics.len(), 1);
    let diagnostic = &run.diagnostics[0];
    assert_eq!(diagnostic.code, Code::E070DeadlineMissed);
    assert_eq!(
        diagnostic.message,
        "`b` finishes on 2021-03-19, 2 working days after its deadline 2021-03-17"
    );
    assert!(diagnostic.hint.is_some());
}

#[test]
fn not_before_holds_work_back() {
    // `a` 2 days not before Thu 2021-04-01: Apr 1, then (Good Friday, weekend, Easter Monday)
    // Apr 6.
    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 2);
    plan.project_mut(a).details_mut().not_before = Some(dated("2021-04-01"));
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2021-04-01", "2021-04-06"));
    assert_eq!(run.path(), ["a"]);
}

#[test]
fn progress_at_the_status_date() {
    // Start Mon 2021-03-01, status date Wed 2021-03-10 (the first day of work still to do).
    // `f` finished: actual Mar 1 to Mar 4: keeps its actual dates, no float, not critical.
    // `g` FS f, 10 days, started Fri Mar 5, 45% complete: remaining 10 x 55% = 5.5, rounded
    // up to 6 days from the status date: Mar 10, 11, 12, 15, 16, 17.
    // `h` FS g, 2 days, not started: Mar 18, 19.
    // `i` 3 days, no logic, not started: not before the status date: Mar 10, 11, 12.
    // `k` FS h, 4 days, started out of sequence on Mon Mar 8 (before h even began), 50%
    // complete: it keeps its start; its remaining 2 days wait for h (retained logic): Mar 22,
    // 23. `m` achieved on Wed Mar 3.
    let mut plan = Plan::new("2021-03-01");
    plan.portfolio.status_date = Some(d("2021-03-10"));
    let f = plan.project("f", 5);
    let g = plan.project("g", 10);
    let h = plan.project("h", 2);
    plan.project("i", 3);
    let k = plan.project("k", 4);
    let m = plan.milestone("m", MilestoneTiming::Free, None);
    plan.fs(g, f);
    plan.fs(h, g);
    plan.fs(k, h);
    plan.project_mut(f).details_mut().progress.actual_start = Some(dated("2021-03-01"));
    plan.project_mut(f).details_mut().progress.actual_finish = Some(dated("2021-03-04"));
    plan.project_mut(g).details_mut().progress.actual_start = Some(dated("2021-03-05"));
    plan.project_mut(g).details_mut().progress.complete = Some(Percent(4500));
    plan.project_mut(k).details_mut().progress.actual_start = Some(dated("2021-03-08"));
    plan.project_mut(k).details_mut().progress.complete = Some(Percent(5000));
    plan.milestone_mut(m).details_mut().actual = Some(dated("2021-03-03"));
    let run = plan.run();
    assert_eq!(run.dates("f"), pair("2021-03-01", "2021-03-04"));
    assert!(run.trace.finished(run.item("f")) && !run.t("f").critical);
    assert_eq!(run.t("f").total_float_days, 0);
    assert_eq!(run.dates("g"), pair("2021-03-05", "2021-03-17"));
    assert_eq!(run.dates("h"), pair("2021-03-18", "2021-03-19"));
    assert_eq!(run.dates("i"), pair("2021-03-10", "2021-03-12"));
    assert_eq!(run.dates("k"), pair("2021-03-08", "2021-03-23"));
    assert_eq!(run.dates("m"), pair("2021-03-03", "2021-03-03"));
    assert!(run.trace.finished(run.item("m")));
    // Float: the chain g, h, k is critical; i can slip to the finish Mar 23: Mar 15-19, 22,
    // 23 is 7 working days.
    assert_eq!(run.t("g").total_float_days, 0);
    assert_eq!(run.t("h").total_float_days, 0);
    assert_eq!(run.t("k").total_float_days, 0);
    assert_eq!(run.t("i").total_float_days, 7);
    // The path starts from the status date (g's remaining work), not the finished f.
    assert_eq!(run.path(), ["g", "h", "k"]);
    // explain says so: k waits for h, h for g, whose remaining work resumes at the status date.
    let e = tranche::schedule::explain(&run.portfolio, &run.network, &run.schedule, run.item("k"))
        .expect("k exists");
    assert_eq!(
        e.origin,
        tranche::schedule::Origin::Resumes {
            id: "g".to_string(),
            started: d("2021-03-05"),
            date: d("2021-03-10"),
        }
    );
}

#[test]
fn a_dependency_on_a_programme_is_on_all_its_work() {
    // Programme `core` holds `a` (3 days) and `b` (5 days, from Mon 2021-03-01: Mar 1-5).
    // `c` FS core waits for b: Mar 8. `e` SS core lag 1: after every start in core, plus 1:
    // Mar 2. The programme spans Mar 1-5.
    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 3);
    let b = plan.project("b", 5);
    let core = plan.programme("core", &[a, b]);
    let c = plan.project("c", 1);
    let e = plan.project("e", 1);
    plan.fs(c, core);
    plan.link(e, core, LinkKind::StartToStart, 1);
    let run = plan.run();
    assert_eq!(run.dates("c"), pair("2021-03-08", "2021-03-08"));
    assert_eq!(run.dates("e"), pair("2021-03-02", "2021-03-02"));
    assert_eq!(run.dates("core"), pair("2021-03-01", "2021-03-05"));
    assert_eq!(run.t("core").duration_days, 5);
    // a can finish as late as Mar 5 (c waits for it too): float 2.
    assert_eq!(run.t("a").total_float_days, 2);
    assert_eq!(run.t("core").total_float_days, 0);
    assert!(run.t("core").critical);
    assert_eq!(run.path(), ["b", "c"]);
}

#[test]
fn links_between_calendars_convert_through_dates() {
    // `p` on the weekdays calendar (no bank holidays), 5 days from Mon 2020-12-21: Dec 21-25,
    // working Christmas Day. `q` on england-and-wales FS p starts on q's next working day
    // after Dec 25: Tue Dec 29 (Mon 28 is the Boxing Day substitute); 3 days: Dec 29-31.
    // Backwards, p may finish as late as the end of Mon Dec 28 (a weekday for p) without
    // delaying q: total float 1 on p's calendar.
    let mut plan = Plan::new("2020-12-21");
    let p = plan.project("p", 5);
    let q = plan.project("q", 3);
    plan.project_mut(p).calendar = CalendarId::WEEKDAYS;
    plan.fs(q, p);
    let run = plan.run();
    assert_eq!(run.dates("p"), pair("2020-12-21", "2020-12-25"));
    assert_eq!(run.dates("q"), pair("2020-12-29", "2020-12-31"));
    assert_eq!(run.late("p"), pair("2020-12-22", "2020-12-28"));
    assert_eq!(run.t("p").total_float_days, 1);
    assert_eq!(run.t("p").free_float_days, 1);
    assert_eq!(run.t("q").total_float_days, 0);
}

#[test]
fn slip_against_baseline_sets_rag_by_the_portfolio_thresholds() {
    // Thresholds amber 10, red 20. `a` 20 days from Mon 2021-03-01: Mar 1-5, 8-12, 15-19,
    // 22-26; baseline finish Mar 26: slip 0, green. `b` FS a, 5 days: Mar 29, 30, 31, Apr 1,
    // (Easter) Apr 6; baseline finish Mar 24: slip is the working days after Mar 24 up to
    // Apr 6: Mar 25, 26, 29, 30, 31, Apr 1, 6 = 7, green. `c` 1 day on Mar 1, baseline
    // finish Fri 2021-01-29: Feb's 20 working days and Mar 1 = 21, red.
    let mut plan = Plan::new("2021-03-01");
    plan.portfolio.rag.red_days = 20;
    let a = plan.project("a", 20);
    let b = plan.project("b", 5);
    let c = plan.project("c", 1);
    plan.fs(b, a);
    let baseline = |start: &str, finish: &str| tranche::model::Baseline {
        start: d(start),
        finish: d(finish),
        span: span(7_000),
    };
    plan.project_mut(a).details_mut().baseline = Some(baseline("2021-03-01", "2021-03-26"));
    plan.project_mut(b).details_mut().baseline = Some(baseline("2021-03-18", "2021-03-24"));
    plan.project_mut(c).details_mut().baseline = Some(baseline("2021-01-29", "2021-01-29"));
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2021-03-01", "2021-03-26"));
    assert_eq!(run.t("a").slip_days, Some(0));
    assert_eq!(run.t("a").rag, Some(tranche::schedule::Rag::Green));
    assert_eq!(run.dates("b"), pair("2021-03-29", "2021-04-06"));
    assert_eq!(run.t("b").slip_days, Some(7));
    assert_eq!(run.t("b").rag, Some(tranche::schedule::Rag::Green));
    assert_eq!(run.t("c").slip_days, Some(21));
    assert_eq!(run.t("c").rag, Some(tranche::schedule::Rag::Red));
}

#[test]
fn a_lead_reaches_back_over_easter_2020() {
    // Start Mon 2020-04-06. Working days: Apr 6, 7, 8, 9, (Good Friday Apr 10, weekend,
    // Easter Monday Apr 13) 14, 15, 16. `a` 6 days: Apr 6-15. `b` FS a with a 3-day lead:
    // 3 working days before the day after a's finish (Apr 16): Thu Apr 9; 2 days: Apr 9, 14.
    // `c` FF b lag 1, 1 day: finishes the working day after b's finish: Apr 15.
    let mut plan = Plan::new("2020-04-06");
    let a = plan.project("a", 6);
    let b = plan.project("b", 2);
    let c = plan.project("c", 1);
    plan.link(b, a, LinkKind::FinishToStart, -3);
    plan.link(c, b, LinkKind::FinishToFinish, 1);
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2020-04-06", "2020-04-15"));
    assert_eq!(run.dates("b"), pair("2020-04-09", "2020-04-14"));
    assert_eq!(run.dates("c"), pair("2020-04-15", "2020-04-15"));
    // The plan finishes Apr 15 with both a and c: c cannot slip, nor can b (its finish drives
    // c's), so all three are critical.
    assert_eq!(run.t("c").total_float_days, 0);
    assert_eq!(run.t("b").total_float_days, 0);
    assert_eq!(run.t("a").total_float_days, 0);
}

#[test]
fn a_milestone_past_its_deadline_is_reported_in_working_days() {
    // `a` 3 days from Thu 2020-12-24: Dec 24, (Christmas, weekend, Boxing Day substitute)
    // Dec 29, 30. `done` at its finish, Dec 30, with deadline Thu Dec 24: 2 working days late
    // (Dec 29, 30).
    let mut plan = Plan::new("2020-12-24");
    let a = plan.project("a", 3);
    let done = plan.milestone("done", MilestoneTiming::AtFinish, Some(a));
    plan.milestone_mut(done).deadline = Some(dated("2020-12-24"));
    let run = plan.run();
    assert_eq!(run.dates("done"), pair("2020-12-30", "2020-12-30"));
    assert_eq!(run.t("done").total_float_days, -2);
    assert_eq!(run.t("a").total_float_days, -2);
    assert_eq!(
        run.diagnostics[0].message,
        "`done` happens on 2020-12-30, 2 working days after its deadline 2020-12-24"
    );
}
