//! Microsoft Project XML (MSPDI, the schema of Project 2007, `mspdi_pj12.xsd`).
//!
//! Input: a portfolio and its analysis. Output: an XML document that MS Project, ProjectLibre
//! and MPXJ open: every calendar the plan uses, with its weekend and its closures (bank
//! holidays and the author's closures) as exceptions; programmes as summary tasks; projects
//! and milestones with durations, links (all four kinds, lags in tenths of minutes), not-before
//! (SNET) and deadline constraints, progress, baselines and money; and tranche's own computed
//! dates, so viewers that do not reschedule show tranche's schedule.
//!
//! Invariant: elements appear in the order the schema's sequences require (MS Project refuses
//! a file otherwise), and the same plan gives the same bytes. Conventions: a working day is
//! 08:00-12:00 and 13:00-17:00 (480 minutes, Project's default), so 1 day = `PT8H0M0S` and a
//! lag of 1 day = `LinkLag` 4800; work starts at 08:00 and finishes at 17:00; a milestone is at
//! 17:00 of its day, or 08:00 when it happens as its day begins. A milestone declared inside a
//! project becomes a sibling task after it, linked FS (at finish) or SS (at start), since a task
//! with children is a summary; its `Text2` field (alias "tranche milestone") says `at start` or
//! `at finish`. The tranche id of every task is kept in the `Text1` field (alias "tranche
//! id"), so `tranche import` gives the same plan back.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Step, outline, title_of};
use crate::analysis::Analysis;
use crate::calendar::{WEEK_FROM_SUNDAY, WorkCalendar};
use crate::model::{
    CalendarDef, CalendarId, Cost, Dependency, ItemId, LinkKind, Milestone, MilestoneTiming,
    Portfolio, ProgrammeId, Project,
};
use crate::report::text::{escape_with, markup_entity};
use crate::schedule::Timing;

/// The field id of Task Text1 in MSPDI's extended attributes.
pub(crate) const TEXT1_FIELD_ID: &str = "188743731";
/// The alias under which the tranche id is kept.
pub(crate) const ID_ALIAS: &str = "tranche id";
/// The field id of Task Text2, which says `at start` or `at finish` for a milestone declared
/// in a project: a link alone cannot tell it from a milestone that only follows the project.
pub(crate) const TEXT2_FIELD_ID: &str = "188743734";
pub(crate) const TIE_ALIAS: &str = "tranche milestone";
/// The field id of Task Number1, which holds `complete` exactly (`12.5`) when it has decimals:
/// MSPDI's `PercentComplete` is a whole number, and the work left (tranche's rule rounds it up
/// to whole days) does not say which percentage gave it.
pub(crate) const NUMBER1_FIELD_ID: &str = "188743767";
pub(crate) const COMPLETE_ALIAS: &str = "tranche complete";
/// Minutes in a working day, and tenths of minutes (the unit of `LinkLag`).
pub(crate) const MINUTES_PER_DAY: i64 = 480;
const TENTHS_PER_DAY: i64 = MINUTES_PER_DAY * 10;

/// The document as one string, for callers that keep it in memory (tests, the fuzzer, the
/// library's `export`).
pub(crate) fn render(portfolio: &Portfolio, analysis: &Analysis) -> String {
    crate::report::to_string(|sink| write(portfolio, analysis, sink))
}

/// Writes the document into `sink` a calendar and a task at a time, so at 100,000 projects
/// the XML (170 MB) is never held whole (docs/limits.md): the same bytes as [`render`].
pub(crate) fn write(
    portfolio: &Portfolio,
    analysis: &Analysis,
    sink: &mut dyn io::Write,
) -> io::Result<()> {
    let steps = outline(portfolio);
    let mut x = Xml::default();
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
    x.raw("<Project xmlns=\"http://schemas.microsoft.com/project\">");
    x.depth = 1;
    // Number1 is declared only when a figure needs it, so plans in whole percent give the
    // same file as before it existed.
    let exact_complete = portfolio.projects.iter().any(|p| {
        let progress = p.progress();
        progress.actual_finish.is_none() && progress.complete.is_some_and(|c| c.0 % 100 != 0)
    });
    write_header(&mut x, portfolio, exact_complete);
    write_calendars(&mut x, portfolio, analysis, sink)?;
    write_tasks(&mut x, portfolio, analysis, &steps, sink)?;
    x.depth = 0;
    x.raw("</Project>");
    x.drain(sink)
}

/// Unique ids in outline order; 0 is the project summary task.
fn unique_ids(steps: &[Step]) -> BTreeMap<ItemId, usize> {
    let mut uids: BTreeMap<ItemId, usize> = BTreeMap::new();
    for step in steps {
        match *step {
            Step::Open { programme, .. } => {
                let n = uids.len() + 1;
                uids.insert(ItemId::Programme(programme), n);
            }
            Step::Work { item, .. } => {
                let n = uids.len() + 1;
                uids.insert(item, n);
            }
            Step::Close { .. } => {}
        }
    }
    uids
}

/// Each calendar the plan's work uses, its exceptions over whole years from the plan's start
/// to the later of its end and the schedule's finish.
fn write_calendars(
    x: &mut Xml,
    portfolio: &Portfolio,
    analysis: &Analysis,
    sink: &mut dyn io::Write,
) -> io::Result<()> {
    let last_year = portfolio.end.max(analysis.schedule.finish).year();
    let window = (
        NaiveDate::from_ymd_opt(portfolio.start.year(), 1, 1).unwrap_or(portfolio.start),
        NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or(portfolio.end),
    );
    x.open("Calendars");
    for &id in &calendars_used(portfolio) {
        if let (Some(def), Some(work)) = (
            portfolio.calendars.get(id.0 as usize),
            analysis.calendars.get(id.0 as usize),
        ) {
            write_calendar(
                x,
                calendar_uid(id),
                def,
                &weekend_of(&portfolio.calendars, id),
                work,
                window,
            );
        }
        x.drain(sink)?;
    }
    x.close("Calendars");
    Ok(())
}

/// The project summary task (UID 0), then a task for each step of the outline: a summary task
/// for a programme, a task for a project or milestone.
fn write_tasks(
    x: &mut Xml,
    portfolio: &Portfolio,
    analysis: &Analysis,
    steps: &[Step],
    sink: &mut dyn io::Write,
) -> io::Result<()> {
    let schedule = &analysis.schedule;
    let uids = unique_ids(steps);
    let targets = Targets {
        uids: &uids,
        programme_work: &analysis.network.programme_work,
    };
    x.open("Tasks");
    let first = schedule.first_start().unwrap_or(portfolio.start);
    let critical_any = schedule
        .projects
        .iter()
        .chain(&schedule.milestones)
        .any(|t| t.critical);
    write_task(
        x,
        &Task {
            uid: 0,
            name: &portfolio.title,
            outline_number: "0".to_string(),
            level: 0,
            start: start_of(first),
            finish: finish_of(schedule.finish),
            duration_days: span_days(portfolio, analysis, first, schedule.finish),
            milestone: false,
            summary: true,
            critical: critical_any,
            tranche_id: None,
            ..Task::default()
        },
    );
    x.drain(sink)?;
    let mut numbers: Vec<usize> = vec![0];
    for step in steps {
        let (item, depth) = match *step {
            Step::Close { .. } => {
                numbers.pop();
                continue;
            }
            Step::Open { programme, depth } => (ItemId::Programme(programme), depth),
            Step::Work { item, depth } => (item, depth),
        };
        let outline_number = next_outline_number(&mut numbers, depth);
        let Some(timing) = schedule.timing(item) else {
            continue;
        };
        let uid = uids.get(&item).copied().unwrap_or(0);
        let mut task = Task {
            uid,
            name: title_of(portfolio, item),
            outline_number,
            level: depth + 1,
            tranche_id: Some(crate::graph::name_of(portfolio, item)),
            critical: timing.critical,
            ..Task::default()
        };
        match item {
            ItemId::Programme(g) => programme_task(&mut task, portfolio, analysis, g, timing),
            ItemId::Project(p) => {
                let Some(project) = portfolio.projects.get(p.0 as usize) else {
                    continue;
                };
                project_task(&mut task, portfolio, analysis, timing, project, &targets);
            }
            ItemId::Milestone(m) => {
                let Some(milestone) = portfolio.milestones.get(m.0 as usize) else {
                    continue;
                };
                let at_day_start = analysis.schedule.at_day_start(item);
                milestone_task(
                    &mut task,
                    portfolio,
                    item,
                    timing,
                    milestone,
                    at_day_start,
                    &targets,
                );
            }
        }
        write_task(x, &task);
        x.drain(sink)?;
    }
    x.close("Tasks");
    Ok(())
}

/// A programme's summary task: the dates of its work, its owner and description.
fn programme_task<'a>(
    task: &mut Task<'a>,
    portfolio: &'a Portfolio,
    analysis: &Analysis,
    programme: ProgrammeId,
    timing: &Timing,
) {
    let programme = portfolio.programmes.get(programme.0 as usize);
    task.summary = true;
    task.start = start_of(timing.start);
    task.finish = finish_of(timing.finish);
    task.duration_days = span_days(portfolio, analysis, timing.start, timing.finish);
    task.owner = programme.and_then(|g| g.owner.as_deref());
    task.notes = programme.and_then(|g| g.description.as_deref());
    // Summary tasks show the dates of their work and have no float of their own.
    task.dates = None;
}

/// The working days a summary task spans, on the plan's own calendar.
fn span_days(
    portfolio: &Portfolio,
    analysis: &Analysis,
    start: NaiveDate,
    finish: NaiveDate,
) -> i64 {
    analysis
        .calendars
        .get(portfolio.calendar.0 as usize)
        .map_or(0, |c| i64::from(c.working_days_between(start, finish)))
}

/// The outline number (`1.2.3`) of the next task `depth` levels down, where `numbers` holds
/// the last number at each level so far.
fn next_outline_number(numbers: &mut Vec<usize>, depth: usize) -> String {
    numbers.truncate(depth + 1);
    while numbers.len() < depth + 1 {
        numbers.push(0);
    }
    if let Some(last) = numbers.last_mut() {
        *last += 1;
    }
    numbers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The project's own elements, up to its calendars.
fn write_header(x: &mut Xml, portfolio: &Portfolio, exact_complete: bool) {
    x.leaf("SaveVersion", "14");
    x.leaf("Name", limit(&portfolio.title, 255));
    x.leaf("Title", limit(&portfolio.title, 512));
    x.leaf("ScheduleFromStart", "1");
    x.leaf("StartDate", &start_of(portfolio.start));
    // The plan window's end, which `tranche import` reads back; the summary task (UID 0)
    // carries the schedule's finish.
    x.leaf("FinishDate", &finish_of(portfolio.end));
    x.leaf("FYStartDate", &portfolio.financial_year_start.to_string());
    x.leaf("CurrencyCode", &portfolio.currency);
    x.leaf("CalendarUID", &calendar_uid(portfolio.calendar).to_string());
    x.leaf("DefaultStartTime", "08:00:00");
    x.leaf("DefaultFinishTime", "17:00:00");
    x.leaf("MinutesPerDay", &MINUTES_PER_DAY.to_string());
    x.leaf("MinutesPerWeek", &(MINUTES_PER_DAY * 5).to_string());
    x.leaf("DaysPerMonth", "20");
    x.leaf("DurationFormat", "7");
    if let Some(status) = portfolio.status_date {
        x.leaf("StatusDate", &start_of(status));
    }
    // The custom fields tasks fill, as (field id, field name, alias); the exact percentage
    // only when some project needs it.
    let mut fields = vec![
        (TEXT1_FIELD_ID, "Text1", ID_ALIAS),
        (TEXT2_FIELD_ID, "Text2", TIE_ALIAS),
    ];
    if exact_complete {
        fields.push((NUMBER1_FIELD_ID, "Number1", COMPLETE_ALIAS));
    }
    x.open("ExtendedAttributes");
    for (id, name, alias) in fields {
        x.open("ExtendedAttribute");
        x.leaf("FieldID", id);
        x.leaf("FieldName", name);
        x.leaf("Alias", alias);
        x.close("ExtendedAttribute");
    }
    x.close("ExtendedAttributes");
}

/// A project's task: its work, constraints, progress, baseline and capital.
fn project_task<'a>(
    task: &mut Task<'a>,
    portfolio: &Portfolio,
    analysis: &Analysis,
    timing: &Timing,
    project: &'a Project,
    targets: &Targets<'_>,
) {
    let cal = analysis.calendars.get(project.calendar.0 as usize);
    fill_work(task, timing, false, false);
    // Finished work lasted what its actual dates say (as MS Project shows a task done),
    // unless they hold no working day; other work has the plan's duration.
    task.duration_days = if project.progress().actual_finish.is_some() && timing.duration_days > 0 {
        i64::from(timing.duration_days)
    } else {
        i64::from(project.duration.likely_days)
    };
    task.owner = project.owner();
    task.notes = project.description();
    if project.calendar != portfolio.calendar {
        task.calendar_uid = Some(calendar_uid(project.calendar));
    }
    if let Some(nb) = project.not_before() {
        task.constraint = Some((4, start_of(nb.date)));
    }
    task.deadline = project.deadline.map(|d| finish_of(d.date));
    let progress = project.progress();
    task.actual_start = progress.actual_start.map(|d| start_of(d.date));
    task.actual_finish = progress.actual_finish.map(|d| finish_of(d.date));
    let complete = if progress.actual_finish.is_some() {
        Some(10_000)
    } else {
        progress.complete.map(|c| c.0.clamp(0, 10_000))
    };
    if let Some(bp) = complete {
        let d = task.duration_days;
        // What remains is rounded up to whole days, as the scheduler does.
        let remaining = (d * (10_000 - bp) + 9_999) / 10_000;
        task.progress = Some(Progress {
            percent: bp / 100,
            exact: (bp % 100 != 0).then_some(crate::money::Percent(bp)),
            actual_days: d - remaining,
            remaining_days: remaining,
        });
    }
    task.baseline = project.baseline().map(|b| {
        let days = cal.map_or(0, |c| i64::from(c.working_days_between(b.start, b.finish)));
        (start_of(b.start), finish_of(b.finish), days)
    });
    let capital: i64 = project
        .costs
        .iter()
        .filter_map(|c| match c {
            Cost::Capital { amount, .. } => Some(amount.pence()),
            _ => None,
        })
        .fold(0i64, i64::saturating_add);
    if capital != 0 {
        // MSPDI holds costs in hundredths of the currency: pence, exactly.
        task.fixed_cost = Some(capital.to_string());
    }
    task.links = links(&project.dependencies, targets);
}

/// A milestone's task: its instant, date, deadline, achievement, baseline and links (with
/// the tie to its project, marked in Text2).
fn milestone_task<'a>(
    task: &mut Task<'a>,
    portfolio: &Portfolio,
    item: ItemId,
    timing: &Timing,
    milestone: &'a Milestone,
    at_day_start: bool,
    targets: &Targets<'_>,
) {
    task.milestone = true;
    fill_work(task, timing, true, at_day_start);
    task.duration_days = 0;
    task.owner = milestone.owner();
    task.notes = milestone.description();
    if let MilestoneTiming::On(date) = milestone.timing {
        // Must finish on: the end of that day.
        task.constraint = Some((3, finish_of(date)));
    }
    task.deadline = milestone.deadline.map(|d| finish_of(d.date));
    // Only the author's actual date: a milestone tranche counts as achieved with its work is
    // left for the viewer to derive, so that an import gives the same plan.
    if let Some(a) = milestone.actual() {
        let at = finish_of(a.date);
        task.actual_start = Some(at.clone());
        task.actual_finish = Some(at);
        task.progress = Some(Progress {
            percent: 100,
            exact: None,
            actual_days: 0,
            remaining_days: 0,
        });
    }
    task.baseline = milestone
        .baseline()
        .map(|b| (finish_of(b.start), finish_of(b.finish), 0));
    if milestone.project.is_some() {
        task.tie = match milestone.timing {
            MilestoneTiming::AtStart => Some("at start"),
            MilestoneTiming::AtFinish => Some("at finish"),
            _ => None,
        };
    }
    task.links = links(&super::links_of(portfolio, item), targets);
}

/// Calendars the plan uses (its own and its projects'), by id.
fn calendars_used(portfolio: &Portfolio) -> Vec<CalendarId> {
    let mut used: Vec<CalendarId> = std::iter::once(portfolio.calendar)
        .chain(portfolio.projects.iter().map(|p| p.calendar))
        .collect();
    used.sort();
    used.dedup();
    used
}

/// The weekend of calendar `id`: its own, or inherited along `based-on`, or Saturday and Sunday.
pub(crate) fn weekend_of(defs: &[CalendarDef], id: CalendarId) -> Vec<Weekday> {
    let mut next = Some(id);
    // A chain can be no longer than the list of calendars (the validator refuses cycles).
    for _ in 0..defs.len() {
        let Some(def) = next.and_then(|id| defs.get(id.0 as usize)) else {
            break;
        };
        if let Some(weekend) = &def.weekend {
            return weekend.clone();
        }
        next = def.based_on;
    }
    vec![Weekday::Sat, Weekday::Sun]
}

/// Closed days other than weekends in `window`, as runs of consecutive days with one reason.
pub(crate) fn closures(
    work: &WorkCalendar,
    window: (NaiveDate, NaiveDate),
) -> Vec<(NaiveDate, NaiveDate, String)> {
    let mut runs: Vec<(NaiveDate, NaiveDate, String)> = Vec::new();
    let mut day = window.0;
    while day <= window.1 {
        if let Some(reason) = work.why_closed(day).filter(|r| *r != "weekend") {
            match runs.last_mut() {
                Some((_, to, why)) if to.succ_opt() == Some(day) && why == reason => *to = day,
                _ => runs.push((day, day, reason.to_string())),
            }
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    runs
}

fn write_calendar(
    x: &mut Xml,
    uid: usize,
    def: &CalendarDef,
    weekend: &[Weekday],
    work: &WorkCalendar,
    window: (NaiveDate, NaiveDate),
) {
    x.open("Calendar");
    x.leaf("UID", &uid.to_string());
    x.leaf("Name", &def.id);
    x.leaf("IsBaseCalendar", "1");
    x.leaf("BaseCalendarUID", "-1");
    x.open("WeekDays");
    for (n, day) in WEEK_FROM_SUNDAY.iter().enumerate() {
        x.open("WeekDay");
        x.leaf("DayType", &(n + 1).to_string());
        if weekend.contains(day) {
            x.leaf("DayWorking", "0");
        } else {
            x.leaf("DayWorking", "1");
            x.open("WorkingTimes");
            for (from, to) in [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")] {
                x.open("WorkingTime");
                x.leaf("FromTime", from);
                x.leaf("ToTime", to);
                x.close("WorkingTime");
            }
            x.close("WorkingTimes");
        }
        x.close("WeekDay");
    }
    x.close("WeekDays");
    let runs = closures(work, window);
    if !runs.is_empty() {
        x.open("Exceptions");
        for (from, to, reason) in runs {
            x.open("Exception");
            x.leaf("EnteredByOccurrences", "0");
            x.open("TimePeriod");
            x.leaf("FromDate", &format!("{from}T00:00:00"));
            x.leaf("ToDate", &format!("{to}T23:59:00"));
            x.close("TimePeriod");
            x.leaf("Occurrences", "1");
            x.leaf("Name", &reason);
            x.leaf("Type", "1");
            x.leaf("DayWorking", "0");
            x.close("Exception");
        }
        x.close("Exceptions");
    }
    x.close("Calendar");
}

#[derive(Debug, Default)]
struct Task<'a> {
    uid: usize,
    name: &'a str,
    outline_number: String,
    level: usize,
    start: String,
    finish: String,
    duration_days: i64,
    milestone: bool,
    summary: bool,
    critical: bool,
    /// Early and late dates and float (not for summaries).
    dates: Option<Dates>,
    progress: Option<Progress>,
    actual_start: Option<String>,
    actual_finish: Option<String>,
    /// Constraint type (4 start no earlier than, 3 must finish on) and date.
    constraint: Option<(u32, String)>,
    calendar_uid: Option<usize>,
    deadline: Option<String>,
    owner: Option<&'a str>,
    notes: Option<&'a str>,
    fixed_cost: Option<String>,
    /// (predecessor uid, MSPDI link type, lag in tenths of minutes)
    links: Vec<(usize, u32, i64)>,
    tranche_id: Option<&'a str>,
    /// `at start` or `at finish` for a milestone declared in a project.
    tie: Option<&'static str>,
    /// Baseline start, finish and duration in working days.
    baseline: Option<(String, String, i64)>,
}

#[derive(Debug)]
struct Dates {
    early_start: String,
    early_finish: String,
    late_start: String,
    late_finish: String,
    free_float_days: i64,
    total_float_days: i64,
}

#[derive(Debug)]
struct Progress {
    /// Whole percent, rounded down: `PercentComplete` is an integer in the schema.
    percent: i64,
    /// The figure with its decimals, for Number1, when it has any.
    exact: Option<crate::money::Percent>,
    actual_days: i64,
    remaining_days: i64,
}

fn fill_work(task: &mut Task<'_>, timing: &Timing, milestone: bool, at_day_start: bool) {
    // Work starts as its first day begins and finishes as its last ends; a milestone is one
    // instant, at the end of its day unless it happens as the day begins.
    let start = |d: NaiveDate| {
        if milestone && !at_day_start {
            finish_of(d)
        } else {
            start_of(d)
        }
    };
    let finish = |d: NaiveDate| {
        if milestone && at_day_start {
            start_of(d)
        } else {
            finish_of(d)
        }
    };
    task.start = start(timing.start);
    task.finish = finish(timing.finish);
    task.dates = Some(Dates {
        early_start: start(timing.early_start),
        early_finish: finish(timing.early_finish),
        late_start: start(timing.late_start),
        late_finish: finish(timing.late_finish),
        free_float_days: timing.free_float_days,
        total_float_days: timing.total_float_days,
    });
}

/// What a link can name: each item's task UID, and each programme's work (for the links
/// that stand for a dependency on a programme).
#[derive(Debug, Clone, Copy)]
struct Targets<'u> {
    uids: &'u BTreeMap<ItemId, usize>,
    programme_work: &'u [Vec<ItemId>],
}

/// The task's predecessor links. A dependency on a programme means one on each piece of its
/// work (docs/scheduling.md, "Links"). MS Project reads a link from a summary task at the
/// summary's dates: its finish is the latest finish of its work, so FS and FF keep their
/// meaning as one link from the summary; its start is the *earliest* start, so SS and SF
/// would not, and become one link from each piece of work, at any depth, in outline order.
/// An empty programme constrains nothing and gives no link. MS Project holds one link
/// between two tasks: a piece of work linked twice with the same kind keeps the larger lag,
/// which implies the other.
fn links(deps: &[Dependency], targets: &Targets<'_>) -> Vec<(usize, u32, i64)> {
    let Targets {
        uids,
        programme_work,
    } = *targets;
    let mut out: Vec<(usize, u32, i64)> = Vec::new();
    let mut add = |uid: usize, kind: LinkKind, lag_days: i32| {
        let (kind, lag) = (link_type(kind), i64::from(lag_days) * TENTHS_PER_DAY);
        match out.iter_mut().find(|(u, k, _)| *u == uid && *k == kind) {
            Some(link) => link.2 = link.2.max(lag),
            None => out.push((uid, kind, lag)),
        }
    };
    for d in deps {
        let work = match d.predecessor {
            ItemId::Programme(g) => programme_work.get(g.0 as usize).map(Vec::as_slice),
            _ => None,
        };
        match (work, d.kind) {
            (Some([]), _) => {}
            (Some(work), LinkKind::StartToStart | LinkKind::StartToFinish) => {
                let mut pieces: Vec<usize> =
                    work.iter().filter_map(|w| uids.get(w).copied()).collect();
                pieces.sort_unstable();
                for uid in pieces {
                    add(uid, d.kind, d.lag_days);
                }
            }
            _ => {
                if let Some(&uid) = uids.get(&d.predecessor) {
                    add(uid, d.kind, d.lag_days);
                }
            }
        }
    }
    out
}

/// MSPDI's link types: 0 FF, 1 FS, 2 SF, 3 SS.
pub(crate) fn link_type(kind: LinkKind) -> u32 {
    match kind {
        LinkKind::FinishToFinish => 0,
        LinkKind::FinishToStart => 1,
        LinkKind::StartToFinish => 2,
        LinkKind::StartToStart => 3,
    }
}

/// One task element, its children in the order the schema gives them.
fn write_task(x: &mut Xml, t: &Task<'_>) {
    x.open("Task");
    write_identity(x, t);
    write_schedule(x, t);
    write_cost_and_progress(x, t);
    write_constraint(x, t);
    if let Some(notes) = t.notes {
        x.leaf("Notes", notes);
    }
    write_predecessor_links(x, &t.links);
    write_extended_attributes(x, t);
    write_baseline(x, t);
    x.close("Task");
}

/// "1" or "0", MSPDI's booleans.
fn flag(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

/// What the task is and where it sits: its ids, name, type, owner and outline place.
fn write_identity(x: &mut Xml, t: &Task<'_>) {
    x.leaf("UID", &t.uid.to_string());
    x.leaf("ID", &t.uid.to_string());
    x.leaf("Name", limit(t.name, 512));
    // Fixed duration: the length of the work is what the plan says.
    x.leaf("Type", "1");
    x.leaf("IsNull", "0");
    if let Some(owner) = t.owner {
        x.leaf("Contact", limit(owner, 512));
    }
    x.leaf("WBS", &t.outline_number);
    x.leaf("OutlineNumber", &t.outline_number);
    x.leaf("OutlineLevel", &t.level.to_string());
}

/// The scheduled dates and duration, what kind of task it is, and (but for a summary) the
/// early and late dates and float.
fn write_schedule(x: &mut Xml, t: &Task<'_>) {
    x.leaf("Start", &t.start);
    x.leaf("Finish", &t.finish);
    x.leaf("Duration", &duration(t.duration_days));
    x.leaf("DurationFormat", "7");
    x.leaf("Estimated", "0");
    x.leaf("Milestone", flag(t.milestone));
    x.leaf("Summary", flag(t.summary));
    x.leaf("Critical", flag(t.critical));
    if let Some(d) = &t.dates {
        x.leaf("EarlyStart", &d.early_start);
        x.leaf("EarlyFinish", &d.early_finish);
        x.leaf("LateStart", &d.late_start);
        x.leaf("LateFinish", &d.late_finish);
        x.leaf(
            "FreeSlack",
            &(d.free_float_days * TENTHS_PER_DAY).to_string(),
        );
        x.leaf(
            "TotalSlack",
            &(d.total_float_days * TENTHS_PER_DAY).to_string(),
        );
    }
}

/// The capital as a fixed cost, and the progress at the status date.
fn write_cost_and_progress(x: &mut Xml, t: &Task<'_>) {
    if let Some(cost) = &t.fixed_cost {
        x.leaf("FixedCost", cost);
        // Prorated: spread over the work, as tranche spreads capital.
        x.leaf("FixedCostAccrual", "2");
    }
    x.leaf(
        "PercentComplete",
        &t.progress.as_ref().map_or(0, |p| p.percent).to_string(),
    );
    if let Some(a) = &t.actual_start {
        x.leaf("ActualStart", a);
    }
    if let Some(a) = &t.actual_finish {
        x.leaf("ActualFinish", a);
    }
    if let Some(p) = &t.progress {
        x.leaf("ActualDuration", &duration(p.actual_days));
        x.leaf("RemainingDuration", &duration(p.remaining_days));
    }
}

/// The constraint (none is type 0), the task's calendar between its type and its date as
/// the schema has them, and the deadline.
fn write_constraint(x: &mut Xml, t: &Task<'_>) {
    let (constraint_type, constraint_date) = match &t.constraint {
        Some((kind, date)) => (*kind, Some(date)),
        None => (0, None),
    };
    x.leaf("ConstraintType", &constraint_type.to_string());
    if let Some(uid) = t.calendar_uid {
        x.leaf("CalendarUID", &uid.to_string());
    }
    if let Some(date) = constraint_date {
        x.leaf("ConstraintDate", date);
    }
    if let Some(deadline) = &t.deadline {
        x.leaf("Deadline", deadline);
    }
}

/// A `PredecessorLink` for each of the task's links.
fn write_predecessor_links(x: &mut Xml, links: &[(usize, u32, i64)]) {
    for &(uid, kind, lag) in links {
        x.open("PredecessorLink");
        x.leaf("PredecessorUID", &uid.to_string());
        x.leaf("Type", &kind.to_string());
        x.leaf("CrossProject", "0");
        x.leaf("LinkLag", &lag.to_string());
        x.leaf("LagFormat", "7");
        x.close("PredecessorLink");
    }
}

/// What MS Project has no field for, in the custom fields the header declares: the tranche
/// id, a milestone's tie to its project, and an exact percent complete.
fn write_extended_attributes(x: &mut Xml, t: &Task<'_>) {
    if let Some(id) = t.tranche_id {
        extended_attribute(x, TEXT1_FIELD_ID, id);
    }
    if let Some(tie) = t.tie {
        extended_attribute(x, TEXT2_FIELD_ID, tie);
    }
    if let Some(exact) = t.progress.as_ref().and_then(|p| p.exact) {
        // `12.5%` without its sign: a number field.
        extended_attribute(x, NUMBER1_FIELD_ID, exact.to_string().trim_end_matches('%'));
    }
}

fn extended_attribute(x: &mut Xml, field_id: &str, value: &str) {
    x.open("ExtendedAttribute");
    x.leaf("FieldID", field_id);
    x.leaf("Value", value);
    x.close("ExtendedAttribute");
}

/// The baseline's start, finish and duration, as baseline 0.
fn write_baseline(x: &mut Xml, t: &Task<'_>) {
    if let Some((start, finish, days)) = &t.baseline {
        x.open("Baseline");
        x.leaf("Number", "0");
        x.leaf("Start", start);
        x.leaf("Finish", finish);
        x.leaf("Duration", &duration(*days));
        x.leaf("DurationFormat", "7");
        x.close("Baseline");
    }
}

/// At most `max` characters: the schema's limit on names (MS Project refuses longer ones).
fn limit(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

/// A calendar's UID: its index, from 1.
fn calendar_uid(id: CalendarId) -> usize {
    id.0 as usize + 1
}

/// Working days as an XML duration of working hours: 10 days is `PT80H0M0S`.
fn duration(days: i64) -> String {
    format!("PT{}H0M0S", days * MINUTES_PER_DAY / 60)
}

fn start_of(date: NaiveDate) -> String {
    format!("{date}T08:00:00")
}

fn finish_of(date: NaiveDate) -> String {
    format!("{date}T17:00:00")
}

/// An indented XML writer: elements on their own lines, text escaped.
#[derive(Debug, Default)]
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    /// Hands what has been written so far to `sink`, and starts again empty.
    fn drain(&mut self, sink: &mut dyn io::Write) -> io::Result<()> {
        sink.write_all(self.out.as_bytes())?;
        self.out.clear();
        Ok(())
    }

    fn raw(&mut self, line: &str) {
        self.indent();
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    fn leaf(&mut self, name: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(text));
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

/// Escapes text for XML, and keeps out what XML 1.0 cannot hold (its `Char` production): the
/// control characters are dropped, and the noncharacters U+FFFE and U+FFFF, which a plan may
/// hold, become U+FFFD, the replacement character, so a reader sees that something was there.
pub(crate) fn escape(text: &str) -> String {
    escape_with(text, |c| match c {
        '\n' => Some("&#10;"),
        '\t' => Some("&#9;"),
        c if c < ' ' => Some(""),
        '\u{FFFE}' | '\u{FFFF}' => Some("\u{FFFD}"),
        c => markup_entity(c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_lags_use_eight_hour_days() {
        assert_eq!(duration(0), "PT0H0M0S");
        assert_eq!(duration(10), "PT80H0M0S");
        assert_eq!(TENTHS_PER_DAY, 4800);
        assert_eq!(link_type(LinkKind::FinishToStart), 1);
        assert_eq!(link_type(LinkKind::StartToStart), 3);
        assert_eq!(link_type(LinkKind::FinishToFinish), 0);
        assert_eq!(link_type(LinkKind::StartToFinish), 2);
    }

    #[test]
    fn names_are_cut_to_the_schemas_limit_on_a_character_boundary() {
        assert_eq!(limit("££££", 2), "££");
        assert_eq!(limit("short", 512), "short");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("A & B <c> \"d\""),
            "A &amp; B &lt;c&gt; &quot;d&quot;"
        );
        assert_eq!(escape("a\u{1}b\nc"), "ab&#10;c");
        assert_eq!(escape("x\u{FFFE}y\u{FFFF}z"), "x\u{FFFD}y\u{FFFD}z");
    }
}
