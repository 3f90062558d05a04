//! The dependency graph: cycles reported once each, in order, through milestones and
//! programmes (issue 3), and `explain`'s driving chain. The plans are text, read through the
//! library's pipeline.

use crate::common::{self, Analysed};

use tranche::diagnostic::{Code, Diagnostic};
use tranche::model::ItemId;
use tranche::report;
use tranche::schedule;

/// A portfolio block starting on `start` (and ending far beyond any test's work), with
/// `more` lines inside it.
fn portfolio(start: &str, more: &str) -> String {
    format!("portfolio \"Test portfolio\" {{\n  start {start}\n  end 2040-12-31\n{more}}}\n")
}

/// The plan of [`portfolio`]`(start, more)` and then `items`, analysed.
fn plan(start: &str, more: &str, items: &str) -> Analysed {
    common::analysed_text(&(portfolio(start, more) + items))
}

/// The diagnostics of a plan whose dependencies form a cycle: it cannot be scheduled.
fn cycles(text: &str) -> Vec<Diagnostic> {
    let analysed = common::pipeline(text);
    assert!(analysed.analysis.is_none(), "a cycle cannot be scheduled");
    analysed.diagnostics
}

/// `id`'s explanation as `tranche explain` prints it.
fn explain(run: &Analysed, id: &str) -> String {
    report::explain_text(&explanation(run, id))
}

fn explanation(run: &Analysed, id: &str) -> schedule::Explanation {
    let item = tranche::graph::find_item(&run.portfolio, id).expect("known id");
    schedule::explain(
        &run.portfolio,
        &run.analysis.network,
        &run.analysis.schedule,
        item,
    )
    .expect("explained")
}

#[test]
fn a_cycle_names_every_item_in_order_and_points_at_its_lines() {
    // b depends on a, c on b, a on c: one cycle; an unrelated pair x <-> y is a second one.
    let text = portfolio("2021-03-01", "")
        + "project a {\n  duration 1 day\n  after c\n}\n\
           project b {\n  duration 1 day\n  after a\n}\n\
           project c {\n  duration 1 day\n  after b\n}\n\
           project x {\n  duration 1 day\n  after y\n}\n\
           project y {\n  duration 1 day\n  after x\n}\n";
    let diagnostics = cycles(&text);
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
    let span = first.span.expect("a place");
    let b = text.find("project b").expect("b");
    assert_eq!(&text[span.start as usize..span.end as usize], "a");
    let line = &text[..span.end as usize];
    assert!(
        span.start as usize > b && line.ends_with("after a"),
        "{span:?} is b's `after a`"
    );
    let notes: Vec<&str> = first.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        ["`c` depends on `b` here", "`a` depends on `c` here"]
    );
    assert!(first.hint.is_some());
}

#[test]
fn cycles_through_a_milestone_and_through_a_programme_are_found() {
    // p's milestone `done` is at p's finish, q waits for done, and p for q: a cycle through
    // the tie. (A project that waits for its own tied milestone is refused earlier, by the
    // validator, with a message of its own.)
    let text = portfolio("2021-03-01", "")
        + "project p {\n  duration 1 day\n  after q\n  milestone done at finish\n}\n\
           project q {\n  duration 1 day\n  after p.done\n}\n";
    let diagnostics = cycles(&text);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].message,
        "dependency cycle: `p` -> `done` -> `q` -> `p`"
    );

    // a depends on programme g, which holds b, which depends on a.
    let text = portfolio("2021-03-01", "")
        + "project a {\n  duration 1 day\n  after g\n}\n\
           programme g {\n  project b {\n    duration 1 day\n    after a\n  }\n}\n";
    let diagnostics = cycles(&text);
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
    let run = plan(
        "2021-03-29",
        "",
        "project a {\n  duration 5 days\n}\n\
               project b {\n  duration 3 days\n  after a\n}\n\
               project c {\n  duration 1 day\n  after b + 2 days\n}\n\
               project d {\n  duration 1 day\n}\n",
    );
    let e = explanation(&run, "c");
    assert_eq!(e.steps.len(), 2);
    assert_eq!(e.steps[0].predecessor, "b");
    assert_eq!(e.steps[0].lag_days, 2);
    assert_eq!(e.steps[1].predecessor, "a");
    assert_eq!(
        explain(&run, "c"),
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
    let e = explanation(&run, "d");
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
    let run = plan(
        "2021-03-01",
        "  status-date 2021-03-03\n",
        "programme core {\n  project a {\n    duration 2 days\n  }\n}\n\
               project b {\n  duration 1 day\n  after core + 1 day\n}\n\
               project c {\n  duration 5 days\n}\n\
               project d {\n  duration 1 day\n  after c\n  deadline 2021-03-10\n}\n",
    );
    let dates = |id: &str| {
        let item = tranche::graph::find_item(&run.portfolio, id).expect("known id");
        let t = run.analysis.schedule.timing(item).expect("a timing");
        (t.start.to_string(), t.finish.to_string())
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(dates("a"), pair("2021-03-03", "2021-03-04"));
    assert_eq!(dates("b"), pair("2021-03-08", "2021-03-08"));
    assert_eq!(dates("d"), pair("2021-03-10", "2021-03-10"));
    let text = |id: &str| explain(&run, id);
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
    // No one project may last more than 24,000 working days; three in a row, 60,000 working
    // days from 2021, run past the calendars' end (2200-12-31): the last one is cut there.
    let analysed = common::pipeline(
        &(portfolio("2021-03-01", "")
            + "project a {\n  duration 20000 days\n}\n\
               project b {\n  duration 20000 days\n  after a\n}\n\
               project forever {\n  duration 20000 days\n  after b\n}\n"),
    );
    // One error; the rest are W062, each project running past the plan's end (issue 17).
    let errors: Vec<Code> = analysed
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| *c != Code::W062WorkPastPlanEnd)
        .collect();
    assert_eq!(
        errors,
        [Code::E071BeyondCalendar],
        "{:?}",
        analysed.diagnostics
    );
    let portfolio = analysed.portfolio.expect("a portfolio");
    let schedule = analysed
        .analysis
        .expect("scheduled, to the calendars' end")
        .schedule;
    let forever = tranche::graph::find_item(&portfolio, "forever").expect("forever");
    let t = schedule.timing(forever).expect("a timing");
    assert_eq!(t.finish.to_string(), "2200-12-31");
}

#[test]
fn a_cycle_renders_with_its_lines() {
    use tranche::diagnostic::render;
    // The portfolio block comes last, so the projects' lines are numbered from 1.
    let text = "project a {\n  duration 1 day\n  after c\n}\nproject b {\n  duration 1 day\n  after a\n}\nproject c {\n  duration 1 day\n  after b\n}\n".to_string()
        + &portfolio("2021-03-01", "");
    let checked = tranche::source::check_text(&text);
    assert!(checked.analysis.is_none(), "a cycle cannot be scheduled");
    let shown = render::render(
        &checked.diagnostics,
        &checked.sources,
        render::Format::Human { color: false },
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn items_are_found_by_id_or_by_project_and_milestone() {
    let run = plan(
        "2021-03-01",
        "",
        "programme g {\n  project p {\n    duration 1 day\n    milestone done at finish\n  }\n}\n",
    );
    let find = |id: &str| tranche::graph::find_item(&run.portfolio, id);
    let named =
        |id: &str| find(id).map(|item| tranche::graph::name_of(&run.portfolio, item).to_string());
    assert!(matches!(find("p"), Some(ItemId::Project(_))));
    assert_eq!(named("p").as_deref(), Some("p"));
    assert!(matches!(find("done"), Some(ItemId::Milestone(_))));
    assert_eq!(named("done").as_deref(), Some("done"));
    assert_eq!(find("p.done"), find("done"));
    assert!(matches!(find("g"), Some(ItemId::Programme(_))));
    assert_eq!(named("g").as_deref(), Some("g"));
    assert_eq!(find("g.done"), None);
    assert_eq!(find("nothing"), None);
}
