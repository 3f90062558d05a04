//! The dependency graph: cycles reported once each, in order, through milestones and
//! programmes (issue 3), and `explain`'s driving chain.

mod schedule_support;

use schedule_support::*;
use tranche::diagnostic::Code;
use tranche::model::{LinkKind, MilestoneTiming};
use tranche::report;
use tranche::schedule;

#[test]
fn a_cycle_names_every_item_in_order_and_points_at_its_lines() {
    // b depends on a, c on b, a on c: one cycle; an unrelated pair x <-> y is a second one.
    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 1);
    let b = plan.project("b", 1);
    let c = plan.project("c", 1);
    let x = plan.project("x", 1);
    let y = plan.project("y", 1);
    plan.fs(b, a);
    plan.fs(c, b);
    plan.fs(a, c);
    plan.fs(x, y);
    plan.fs(y, x);
    let diagnostics = plan.network().expect_err("cycles");
    assert_eq!(diagnostics.len(), 2);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code == Code::E030DependencyCycle)
    );
    assert_eq!(
        diagnostics[0].message,
        "dependency cycle: `a` -> `b` -> `c` -> `a`"
    );
    assert_eq!(
        diagnostics[1].message,
        "dependency cycle: `x` -> `y` -> `x`"
    );
    // Pointed at the first dependency on the cycle (b's line), with notes at the other two.
    let first = &diagnostics[0];
    assert_eq!(first.span, Some(span(100_000)));
    let notes: Vec<&str> = first.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        ["`c` depends on `b` here", "`a` depends on `c` here"]
    );
    assert!(first.hint.is_some());
}

#[test]
fn cycles_through_a_milestone_and_through_a_programme_are_found() {
    // p's milestone `done` is at p's finish, and p depends on done: a cycle through the tie.
    let mut plan = Plan::new("2021-03-01");
    let p = plan.project("p", 1);
    let done = plan.milestone("done", MilestoneTiming::AtFinish, Some(p));
    plan.fs(p, done);
    let diagnostics = plan.network().expect_err("cycle");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "dependency cycle: `p` -> `done` -> `p`"
    );

    // a depends on programme g, which holds b, which depends on a.
    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 1);
    let b = plan.project("b", 1);
    let g = plan.programme("g", &[b]);
    plan.fs(a, g);
    plan.fs(b, a);
    let diagnostics = plan.network().expect_err("cycle");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "dependency cycle: `a` -> `b` -> `g` -> `a`"
    );
    let notes: Vec<&str> = diagnostics[0]
        .notes
        .iter()
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(
        notes,
        ["`b` is part of programme `g`", "`a` depends on `g` here"]
    );
}

#[test]
fn explain_walks_the_driving_chain_back_to_the_portfolio_start() {
    // The Easter chain of the textbook tests: a (Mar 29 - Apr 6), b FS a (Apr 7-9), c FS b
    // lag 2 (Apr 14); d (1 day, Mar 29) has float to the finish.
    let mut plan = Plan::new("2021-03-29");
    let a = plan.project("a", 5);
    let b = plan.project("b", 3);
    let c = plan.project("c", 1);
    plan.project("d", 1);
    plan.fs(b, a);
    plan.link(c, b, LinkKind::FinishToStart, 2);
    let run = plan.run();
    let e = schedule::explain(&run.portfolio, &run.network, &run.schedule, run.item("c"))
        .expect("c exists");
    assert_eq!(e.steps.len(), 2);
    assert_eq!(e.steps[0].predecessor, "b");
    assert_eq!(e.steps[0].lag_days, 2);
    assert_eq!(e.steps[1].predecessor, "a");
    assert_eq!(
        report::explain_text(&e),
        "`c` starts 2021-04-14 and finishes 2021-04-14

why then:
  `c` starts 2021-04-14 because `b` finishes 2021-04-09 (FS, lag 2 working days)
  `b` starts 2021-04-07 because `a` finishes 2021-04-06 (FS)
  `a` starts at the portfolio start 2021-03-29 (its first working day on or after)

float:
  total float 0 working days, free float 0 working days
  it can finish as late as 2021-04-14, the portfolio's forecast finish 2021-04-14
  it is critical: any delay to it delays the finish
"
    );
    let e = schedule::explain(&run.portfolio, &run.network, &run.schedule, run.item("d"))
        .expect("d exists");
    // d: Mar 29; it may finish Apr 14: Mar 30, 31, Apr 1, 6, 7, 8, 9, 12, 13, 14 = 10 days.
    assert_eq!(e.total_float_days, 10);
    assert!(e.steps.is_empty());
    assert!(report::explain_text(&e).contains("it can finish as late as 2021-04-14"));
}
