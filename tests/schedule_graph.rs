//! The dependency graph: cycles reported once each, in order, through milestones and
//! programmes (issue 3), and `explain`'s driving chain.

use crate::schedule_support;

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

#[test]
fn explain_names_the_status_date_a_programme_and_the_successor_that_limits_float() {
    // Start Mon 2021-03-01, status date Wed 2021-03-03. `a` (2 days) in programme `core`
    // cannot start before the status date: Mar 3-4. `b` FS core, lag 1: Fri Mar 5 is the lag,
    // so Mon Mar 8. `c` (5 days from the status date: Mar 3-9) feeds `d` FS c: Mar 10, which
    // is also d's deadline and the plan's finish.
    let mut plan = Plan::new("2021-03-01");
    plan.portfolio.status_date = Some(d("2021-03-03"));
    let a = plan.project("a", 2);
    let core = plan.programme("core", &[a]);
    let b = plan.project("b", 1);
    let c = plan.project("c", 5);
    let dd = plan.project("d", 1);
    plan.link(b, core, LinkKind::FinishToStart, 1);
    plan.fs(dd, c);
    plan.project_mut(dd).deadline = Some(dated("2021-03-10"));
    let run = plan.run();
    assert_eq!(run.dates("a"), pair("2021-03-03", "2021-03-04"));
    assert_eq!(run.dates("b"), pair("2021-03-08", "2021-03-08"));
    assert_eq!(run.dates("d"), pair("2021-03-10", "2021-03-10"));
    let text = |id: &str| {
        let item = tranche::graph::find_item(&run.portfolio, id).expect("known id");
        let e = schedule::explain(&run.portfolio, &run.network, &run.schedule, item)
            .expect("explained");
        report::explain_text(&e)
    };
    assert_eq!(
        text("b"),
        "`b` starts 2021-03-08 and finishes 2021-03-08

why then:
  `b` starts 2021-03-08 because `a` finishes 2021-03-04 (FS, lag 1 working day, through programme `core`)
  `a` cannot start before the status date 2021-03-03: work still to do starts then

float:
  total float 2 working days, free float 2 working days
  it can finish as late as 2021-03-10, the portfolio's forecast finish 2021-03-10
"
    );
    // a: b may start as late as Mar 10, so a may finish Mar 8 (lag 1): float 2, limited by b.
    assert!(text("a").contains(
        "it can finish as late as 2021-03-08 before it delays `b` (FS, lag 1 working day)"
    ));
    // d: its deadline is its own finish: no float, critical.
    assert!(text("d").contains("limited by its deadline 2021-03-10"));
    // A programme is explained through its work that finishes last.
    assert!(text("core").starts_with(
        "`core` starts 2021-03-03 and finishes 2021-03-04\nits work that finishes last is `a`\n"
    ));
}

#[test]
fn work_beyond_the_calendars_is_an_error_not_a_panic() {
    let mut plan = Plan::new("2021-03-01");
    plan.project("forever", 4_000_000);
    let run = plan.run();
    assert_eq!(run.diagnostics.len(), 1);
    assert_eq!(run.diagnostics[0].code, Code::E071BeyondCalendar);
    assert_eq!(run.t("forever").finish.to_string(), "2200-12-31");
}

#[test]
fn a_cycle_renders_with_its_lines() {
    use tranche::diagnostic::{SourceMap, Span, render};
    let text = "project a {\n  duration 1 day\n  after c\n}\nproject b {\n  duration 1 day\n  after a\n}\nproject c {\n  duration 1 day\n  after b\n}\n";
    let mut sources = SourceMap::new();
    let file = sources.add("plan.tranche", text);
    let at = |needle: &str| {
        let start = text.find(needle).expect("needle in the text");
        Span::new(file, start, start + needle.len())
    };
    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 1);
    let b = plan.project("b", 1);
    let c = plan.project("c", 1);
    plan.fs(a, c);
    plan.fs(b, a);
    plan.fs(c, b);
    plan.project_mut(a).dependencies[0].span = at("after c");
    plan.project_mut(b).dependencies[0].span = at("after a");
    plan.project_mut(c).dependencies[0].span = at("after b");
    let diagnostics = plan.network().expect_err("a cycle");
    let shown = render::render(
        &diagnostics,
        &sources,
        render::Format::Human { color: false },
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn items_are_found_by_id_or_by_project_and_milestone() {
    let mut plan = Plan::new("2021-03-01");
    let p = plan.project("p", 1);
    let done = plan.milestone("done", MilestoneTiming::AtFinish, Some(p));
    let g = plan.programme("g", &[p]);
    let find = |id: &str| tranche::graph::find_item(&plan.portfolio, id);
    assert_eq!(find("p"), Some(p));
    assert_eq!(find("done"), Some(done));
    assert_eq!(find("p.done"), Some(done));
    assert_eq!(find("g"), Some(g));
    assert_eq!(find("g.done"), None);
    assert_eq!(find("nothing"), None);
}
