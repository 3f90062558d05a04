//! Levelling (issue 20) on random plans with teams: after `--level` no team is needed by more
//! people than it has on any of its working days; every dependency still holds; nothing starts
//! before its unlevelled early start; the same plan gives the same bytes; and a plan whose
//! demand already fits is left as it was. The checks are written for obviousness: demand is
//! counted day by day from the schedule's dates, and "every dependency holds" is shown by
//! scheduling the plan again, without levelling, with each project held to its levelled start
//! by a `not-before`: logic that the levelled dates broke would move something.

use std::path::Path;

use proptest::prelude::*;
use tranche::analysis::{Analysis, Level};
use tranche::diagnostic::SourceMap;
use tranche::finance::Detail;
use tranche::model::Portfolio;
use tranche::source::{self, Includes, MemoryFs, Options};

/// A project: duration in working days, needs (team, people in hundredths), priority.
type Work = (u32, Vec<(usize, u32)>, Option<u32>);

#[derive(Debug, Clone)]
struct Plan {
    projects: Vec<Work>,
    /// (successor, predecessor, kind 0..4, lag) with predecessor < successor.
    links: Vec<(usize, usize, u8, i32)>,
    /// Each team's size (hundredths) and, sometimes, a change (days after the start, size).
    teams: Vec<(u32, Option<(u32, u32)>)>,
    /// Some projects wait for a date: (project, days after the start).
    not_before: Vec<(usize, u32)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (1usize..16, 1usize..4)
        .prop_flat_map(|(n, n_teams)| {
            let need = (
                0..n_teams,
                prop_oneof![Just(50u32), Just(100), Just(200), Just(300)],
            );
            let projects = proptest::collection::vec(
                (
                    1u32..40,
                    proptest::collection::vec(need, 0..3),
                    proptest::option::of(1u32..4),
                ),
                n,
            );
            let links = proptest::collection::vec(
                (1usize..n.max(2), 0usize..n, 0u8..4, -3i32..6),
                0..n * 2,
            );
            let teams = proptest::collection::vec(
                (
                    prop_oneof![Just(100u32), Just(200), Just(300), Just(450)],
                    proptest::option::of((10u32..200, prop_oneof![Just(100u32), Just(500)])),
                ),
                n_teams,
            );
            let not_before = proptest::collection::vec((0usize..n, 0u32..120), 0..3);
            (projects, links, teams, not_before)
        })
        .prop_map(|(projects, links, teams, not_before)| {
            let n = projects.len();
            let mut seen = std::collections::BTreeSet::new();
            Plan {
                // One link per pair (a repeated one is E032).
                links: links
                    .into_iter()
                    .filter(|(s, p, ..)| *s < n && p < s && seen.insert((*s, *p)))
                    .collect(),
                projects,
                teams,
                not_before,
            }
        })
}

const START: &str = "2024-04-01";

fn date_after(days: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 4, 1).expect("a date")
        + chrono::Days::new(u64::from(days))
}

fn people(hundredths: u32) -> String {
    tranche::model::Fte(hundredths).text()
}

/// The plan's text; `held[i]`, when given, holds project `i` to that date (`not-before`).
fn text(plan: &Plan, held: &[Option<chrono::NaiveDate>]) -> String {
    let mut out = format!("portfolio \"Levelling\" {{\n  start {START}\n  end 2027-03-31\n}}\n");
    for (t, (size, change)) in plan.teams.iter().enumerate() {
        out.push_str(&format!("team t{t} {{\n  size {}\n", people(*size)));
        if let Some((after, size)) = change {
            out.push_str(&format!(
                "  size {} from {}\n",
                people(*size),
                date_after(*after)
            ));
        }
        out.push_str("}\n");
    }
    for (i, (days, needs, priority)) in plan.projects.iter().enumerate() {
        out.push_str(&format!("project p{i} {{\n  duration {days} days\n"));
        let mut seen = Vec::new();
        for (team, fte) in needs {
            if !seen.contains(team) {
                seen.push(*team);
                out.push_str(&format!("  needs t{team} {}\n", people(*fte)));
            }
        }
        if let Some(priority) = priority {
            out.push_str(&format!("  priority {priority}\n"));
        }
        let own = plan
            .not_before
            .iter()
            .filter(|(p, _)| *p == i)
            .map(|(_, d)| date_after(*d))
            .max();
        let held = held.get(i).copied().flatten();
        if let Some(date) = own.into_iter().chain(held).max() {
            out.push_str(&format!("  not-before {date}\n"));
        }
        for (s, p, kind, lag) in &plan.links {
            if *s != i {
                continue;
            }
            let (head, start_of) = match kind {
                0 => ("after", ""),
                1 => ("after", "start of "),
                2 => ("finishes after", ""),
                _ => ("finishes after", "start of "),
            };
            let lag = match lag {
                0 => String::new(),
                l if *l > 0 => format!(" + {l} days"),
                l => format!(" - {} days", -l),
            };
            out.push_str(&format!("  {head} {start_of}p{p}{lag}\n"));
        }
        out.push_str("}\n");
    }
    out
}

/// `text` through the pipeline every command takes, levelled as `level` says, years of money kept.
fn analysed_at(text: &str, level: Level) -> source::Analysed {
    let fs = MemoryFs::single(text);
    let mut sources = SourceMap::new();
    let options = Options {
        includes: Includes::InsideFolder,
        detail: Detail::ProjectYearsOnly,
        lints: false,
        level,
    };
    source::analyse_files(&fs, Path::new("plan.tranche"), &mut sources, options)
}

fn analyse(text: &str, level: bool) -> (Portfolio, Analysis) {
    let (portfolio, analysis, _) = analyse_noting(text, level);
    (portfolio, analysis)
}

/// [`analyse`], with the projects levelling could not place (W074), by index.
fn analyse_noting(text: &str, level: bool) -> (Portfolio, Analysis, Vec<usize>) {
    let fs = MemoryFs::single(text);
    let mut sources = SourceMap::new();
    let options = Options {
        includes: Includes::InsideFolder,
        detail: Detail::ChecksOnly,
        lints: false,
        level: if level { Level::Teams } else { Level::Off },
    };
    let analysed = source::analyse_files(&fs, Path::new("plan.tranche"), &mut sources, options);
    let errors: Vec<String> = analysed
        .diagnostics
        .iter()
        // E072 (more than a team ever has) is a verdict on a plan that still schedules.
        .filter(|d| d.code.stops_commands())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    let left: Vec<String> = analysed
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "W074")
        .filter_map(|d| d.message.split('`').nth(1).map(str::to_string))
        .collect();
    match (analysed.portfolio, analysed.analysis) {
        (Some(p), Some(a)) if errors.is_empty() => {
            let left = p
                .projects
                .iter()
                .enumerate()
                .filter(|(_, project)| left.iter().any(|id| *id == project.id.as_str()))
                .map(|(i, _)| i)
                .collect();
            (p, a, left)
        }
        _ => panic!("the plan analyses:\n{text}\n{errors:?}"),
    }
}

/// Day by day over the horizon: the people each team is asked for, counted from the
/// schedule's dates, never more than it has on a working day of its calendar. Needs larger
/// than the team ever is (E072), and work levelling said it could not place (W074, `left`),
/// are left out, as levelling leaves them.
fn fits(portfolio: &Portfolio, analysis: &Analysis, left: &[usize]) -> Result<(), String> {
    let last = analysis.schedule.finish;
    for (t, team) in portfolio.teams.iter().enumerate() {
        let calendar = &analysis.calendars[team.calendar.0 as usize];
        let mut day = portfolio.start;
        while day <= last {
            if calendar.is_working(day) {
                let mut asked = 0u32;
                for (i, (project, timing)) in portfolio
                    .projects
                    .iter()
                    .zip(&analysis.schedule.projects)
                    .enumerate()
                {
                    if left.contains(&i)
                        || timing.duration_days == 0
                        || day < timing.start
                        || day > timing.finish
                    {
                        continue;
                    }
                    for need in project.needs() {
                        if need.team.0 as usize == t && need.fte <= team.largest() {
                            asked += need.fte.0;
                        }
                    }
                }
                let has = team.size_on(day).0;
                if asked > has {
                    return Err(format!("team t{t} on {day}: {asked} needed, {has} there"));
                }
            }
            day = day.succ_opt().ok_or("dates run out")?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn levelling_fits_keeps_logic_and_only_delays(plan in plan()) {
        let plain = text(&plan, &[]);
        let (portfolio, unlevelled) = analyse(&plain, false);
        let (_, levelled, left) = analyse_noting(&plain, true);
        // No team over its size on any working day.
        if let Err(e) = fits(&portfolio, &levelled, &left) {
            prop_assert!(false, "{e}\n{plain}");
        }
        // Nothing earlier than without levelling.
        for (i, (l, u)) in levelled.schedule.projects.iter().zip(&unlevelled.schedule.projects).enumerate() {
            prop_assert!(l.early_start >= u.early_start, "p{i}: {} before {}\n{plain}", l.early_start, u.early_start);
        }
        // Every dependency holds: held to the levelled starts, the plain schedule moves nothing.
        let held: Vec<Option<chrono::NaiveDate>> =
            levelled.schedule.projects.iter().map(|t| Some(t.early_start)).collect();
        let (_, again) = analyse(&text(&plan, &held), false);
        for (i, (a, l)) in again.schedule.projects.iter().zip(&levelled.schedule.projects).enumerate() {
            prop_assert_eq!((a.early_start, a.early_finish), (l.early_start, l.early_finish), "p{}\n{}", i, plain);
        }
        // The same bytes every time.
        let (_, twice) = analyse(&plain, true);
        prop_assert_eq!(format!("{:?}", twice.schedule), format!("{:?}", levelled.schedule));
    }

    #[test]
    fn a_plan_that_fits_is_left_as_it_was(mut plan in plan()) {
        // Teams larger than everything the plan could ask of them at once.
        for team in &mut plan.teams {
            *team = (100 * 100, None);
        }
        let plain = text(&plan, &[]);
        let (_, unlevelled) = analyse(&plain, false);
        let (_, levelled) = analyse(&plain, true);
        prop_assert_eq!(format!("{:?}", levelled.schedule), format!("{:?}", unlevelled.schedule));
    }
}

/// Priority decides who goes first when both cannot: `b` (priority 1) keeps its dates and `a`
/// waits for it, though `a` has less float; without priorities `a`, with less float, goes first.
#[test]
fn priority_then_float_decide_who_waits() {
    let plan = |priority: &str| {
        format!(
            "portfolio \"P\" {{\n  start {START}\n  end 2027-03-31\n}}\n\
             team ict {{\n  size 4\n}}\n\
             project a {{\n  duration 60 days\n  needs ict 3\n}}\n\
             project b {{\n  duration 40 days\n  needs ict 2\n{priority}}}\n\
             project c {{\n  duration 20 days\n  after a\n}}\n"
        )
    };
    let (_, with) = analyse(&plan("  priority 1\n"), true);
    let [a, b, _] = with.schedule.projects.as_slice() else {
        panic!("three projects");
    };
    assert_eq!(b.start.to_string(), "2024-04-02", "b goes first");
    // b runs 40 working days from 2 April (Easter Monday is 1 April 2024): to 29 May.
    assert_eq!(b.finish.to_string(), "2024-05-29");
    assert_eq!(a.start.to_string(), "2024-05-30", "a waits for b");
    let (_, without) = analyse(&plan(""), true);
    let [a, b, _] = without.schedule.projects.as_slice() else {
        panic!("three projects");
    };
    assert_eq!(
        a.start.to_string(),
        "2024-04-02",
        "a, with no float, goes first"
    );
    assert!(b.start > a.start, "b waits");
}

/// A plan over its capital budget in 2024/25: `build` (£600k, priority 1), `pilot` (£300k) and
/// `portal` (£400k, no priority) all start on 2 April 2024 (1 April is Easter Monday), £1.3m
/// against a budget of £1m. Levelled to the budget, the least priority work moves first:
/// `portal` (no priority) to 1 April 2025; that brings 2024/25 to £900k, within £1m, so
/// nothing else moves. The finance figures afterwards keep every budget, and the move says what
/// it forgoes: `portal`'s £100k a year of savings starts a year later.
#[test]
fn levelling_to_the_budget_moves_the_least_priority_work_into_the_next_year() {
    let text = format!(
        "portfolio \"P\" {{\n  start {START}\n  end 2027-03-31\n  budget capital £1m in 2024/25\n  budget capital £1m in 2025/26\n}}\n\
         project build {{\n  duration 3 months\n  cost capital £600k\n  priority 1\n}}\n\
         project pilot {{\n  duration 2 months\n  cost capital £300k\n  priority 2\n}}\n\
         project portal {{\n  duration 4 months\n  cost capital £400k\n  saving £100k per year from finish\n}}\n"
    );
    let analysed = |level: Level| analysed_at(&text, level);
    let before = analysed(Level::Off);
    assert!(
        before.diagnostics.iter().any(|d| d.code.as_str() == "E061"),
        "over budget before levelling"
    );
    let after = analysed(Level::Budget);
    let analysis = after.analysis.expect("levelled");
    for check in &analysis.finance.checks {
        assert!(check.met, "{check:?} after levelling");
    }
    assert!(!after.diagnostics.iter().any(|d| d.code.as_str() == "E061"));
    let moved: Vec<&str> = after
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "W075")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0].starts_with("`portal` is moved from 2024-04-02 to 2025-04-01"),
        "{}",
        moved[0]
    );
    let [build, pilot, portal] = analysis.schedule.projects.as_slice() else {
        panic!("three projects");
    };
    assert_eq!(build.start.to_string(), "2024-04-02");
    assert_eq!(pilot.start.to_string(), "2024-04-02");
    assert_eq!(portal.start.to_string(), "2025-04-01");
}

/// When no work left can move out of a year, levelling says so (W076) and the budget stays
/// missed (E061): here the only capital is in work already started.
#[test]
fn a_year_no_order_of_work_fits_is_named() {
    let text = format!(
        "portfolio \"P\" {{\n  start {START}\n  end 2027-03-31\n  status-date 2024-06-03\n  budget capital £100k in 2024/25\n}}\n\
         project build {{\n  duration 3 months\n  cost capital £600k\n  actual-start 2024-04-02\n  complete 50%\n}}\n"
    );
    let after = analysed_at(&text, Level::Budget);
    let codes: Vec<&str> = after.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"W076"), "{codes:?}");
    assert!(codes.contains(&"E061"), "{codes:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Levelled to the budgets, every year's capital is within its budget, or W076 names the
    /// year levelling could not fit; nothing starts earlier than before; W075 names each move.
    #[test]
    fn levelling_to_budgets_keeps_them_or_says_which_year_it_cannot(
        projects in proptest::collection::vec((1u32..80, 1u32..60, proptest::option::of(1u32..4)), 1..10),
        links in proptest::collection::vec((1usize..10, 0usize..10), 0..12),
        budgets in proptest::collection::vec(2u32..30, 3),
    ) {
        let n = projects.len();
        let mut text = format!("portfolio \"B\" {{\n  start {START}\n  end 2028-03-31\n");
        for (k, b) in budgets.iter().enumerate() {
            let y = 2024 + k;
            text.push_str(&format!("  budget capital £{}k in {y}/{:02}\n", b * 50, (y + 1) % 100));
        }
        text.push_str("}\n");
        let mut seen = std::collections::BTreeSet::new();
        for (i, (days, capital, priority)) in projects.iter().enumerate() {
            text.push_str(&format!("project p{i} {{\n  duration {days} days\n  cost capital £{}k\n", capital * 10));
            if let Some(p) = priority {
                text.push_str(&format!("  priority {p}\n"));
            }
            for (s, p) in &links {
                if *s == i && p < s && *s < n && seen.insert((*s, *p)) {
                    text.push_str(&format!("  after p{p}\n"));
                }
            }
            text.push_str("}\n");
        }
        let run = |level: Level| analysed_at(&text, level);
        let before = run(Level::Off).analysis.expect("analysed");
        let after = run(Level::Budget);
        let analysis = after.analysis.as_ref().expect("levelled");
        for check in analysis.finance.checks.iter().filter(|c| !c.met) {
            let named = after.diagnostics.iter().any(|d| {
                d.code.as_str() == "W076" && d.message.contains(&check.year_label)
            });
            prop_assert!(named, "{} over its budget with no W076\n{text}", check.year_label);
        }
        for (i, (b, a)) in before.schedule.projects.iter().zip(&analysis.schedule.projects).enumerate() {
            prop_assert!(a.start >= b.start, "p{i} earlier\n{text}");
            if a.start > b.start {
                let said = after.diagnostics.iter().any(|d| {
                    d.code.as_str() == "W075" && d.message.starts_with(&format!("`p{i}`"))
                });
                // A project may also move because what it waits for moved.
                let waits = text.contains(&format!("project p{i} {{")) && links.iter().any(|(s, _)| *s == i);
                prop_assert!(said || waits, "p{i} moved unannounced\n{text}");
            }
        }
    }
}

/// `risk --level`: every iteration is levelled, so the planned finish is `schedule --level`'s
/// and the spread moves with it: two projects that cannot run together finish later levelled,
/// in the plan and at every percentile.
#[test]
fn the_risk_simulation_levels_each_iteration() {
    let text = format!(
        "portfolio \"R\" {{\n  start {START}\n  end 2026-03-31\n}}\nteam ict {{\n  size 4\n}}\n\
         project a {{\n  duration 60 days range 40 to 90 days\n  needs ict 3\n}}\n\
         project b {{\n  duration 40 days range 30 to 60 days\n  needs ict 2\n}}\n"
    );
    let (portfolio, levelled) = analyse(&text, true);
    let simulate = |level: bool| {
        let options = tranche::risk::Options {
            iterations: 400,
            level,
            ..tranche::risk::Options::default()
        };
        tranche::risk::simulate(
            &portfolio,
            &levelled.network,
            &levelled.calendars,
            &options,
            &|_| {},
        )
    };
    let (plain, level) = (simulate(false), simulate(true));
    assert_eq!(level.finish.planned, levelled.schedule.finish);
    assert!(level.finish.planned > plain.finish.planned);
    for (l, p) in level.finish.in_order().iter().zip(plain.finish.in_order()) {
        assert!(*l > p, "levelled {l} against {p}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// `tranche capacity`'s figures (and the report's) against a day-by-day count: for every
    /// team and every month and financial year, the working days, the person-days the team
    /// has and the person-days the projects running on them need, levelled or not.
    #[test]
    fn capacity_by_period_matches_a_day_by_day_count(plan in plan(), level in any::<bool>()) {
        let text = text(&plan, &[]);
        let (portfolio, analysis) = analyse(&text, level);
        for (t, (team, load)) in portfolio.teams.iter().zip(&analysis.load.teams).enumerate() {
            let calendar = &analysis.calendars[team.calendar.0 as usize];
            for period in [tranche::capacity::Period::Year, tranche::capacity::Period::Month] {
                let rows = tranche::capacity::by_period(load, calendar, period, portfolio.financial_year_start);
                for row in &rows {
                    let (mut days, mut has, mut needed) = (0u32, 0u64, 0u64);
                    let mut day = row.from.max(portfolio.start);
                    let last = row.to.min(portfolio.end.max(analysis.schedule.finish));
                    while day <= last {
                        if calendar.is_working(day) {
                            days += 1;
                            has += u64::from(team.size_on(day).0);
                            for (project, timing) in portfolio.projects.iter().zip(&analysis.schedule.projects) {
                                if timing.duration_days == 0 || day < timing.start || day > timing.finish {
                                    continue;
                                }
                                for need in project.needs().iter().filter(|n| n.team.0 as usize == t) {
                                    needed += u64::from(need.fte.0);
                                }
                            }
                        }
                        day = day.succ_opt().expect("a next day");
                    }
                    prop_assert_eq!(
                        (row.working_days, row.capacity_days, row.demand_days),
                        (days, has, needed),
                        "team t{} {}\n{}", t, row.label, text
                    );
                }
            }
        }
    }
}
