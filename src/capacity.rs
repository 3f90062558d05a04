//! Teams' demand against their capacity (issue 20): from the schedule's forecast dates, how
//! many people each team is asked for on each day, against how many it has.
//!
//! Input: a [`Portfolio`] with its teams and `needs`, its [`Schedule`] (levelled or not) and
//! the working calendars. Output: a [`Load`] (for each team, runs of days over which demand,
//! capacity and the projects asking stay the same) and diagnostics: E072 where a project needs
//! more people than its team ever has (no schedule can fit it), W073 where a team is needed by
//! more people than it has on some of its working days from the status date on.
//!
//! Demand is counted on the team's working days between a project's forecast start and finish
//! (both inclusive): a project needs its people for the whole of its work. Milestones and work
//! of no duration need no one. People are exact hundredths ([`Fte`]), so demand adds up without
//! rounding.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::model::{Fte, Portfolio, ProjectId, Team, TeamId};
use crate::schedule::Schedule;

/// Every team's demand against its capacity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Load {
    pub teams: Vec<TeamLoad>,
}

/// One team's days, as runs with the same demand, capacity and projects, from the plan's
/// start to its end (or to the forecast finish, when that is later).
#[derive(Debug, Clone, Serialize)]
pub struct TeamLoad {
    pub id: String,
    pub title: String,
    pub runs: Vec<Run>,
}

/// Days `from` to `to` (inclusive) over which nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The team's size on these days.
    pub capacity: Fte,
    /// The people the projects running on these days need of it, in all.
    pub demand: Fte,
    /// The team's working days in the run.
    pub working_days: u32,
    /// The projects asking, each with the people it needs, in project order.
    pub projects: Vec<(ProjectId, Fte)>,
}

impl Run {
    pub fn over(&self) -> bool {
        self.demand > self.capacity && self.working_days > 0
    }
}

/// The load of every team on `schedule`, and E072/W073.
pub fn load(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
) -> (Load, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if portfolio.teams.is_empty() {
        return (Load::default(), diagnostics);
    }
    // Each team's needs, gathered in one pass over the projects.
    let mut needs: Vec<Vec<(ProjectId, Fte)>> = vec![Vec::new(); portfolio.teams.len()];
    for (i, project) in portfolio.projects.iter().enumerate() {
        let id = ProjectId(u32::try_from(i).unwrap_or(u32::MAX));
        for need in project.needs() {
            let Some(team) = portfolio.teams.get(need.team.0 as usize) else {
                continue;
            };
            if need.fte > team.largest() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E072NeedsMoreThanTeam,
                        need.span,
                        format!(
                            "`{}` needs {} of team `{}`, which never has more than {}",
                            project.id,
                            need.fte.people(),
                            team.id,
                            team.largest().people()
                        ),
                    )
                    .with_note(
                        Some(keyword(team)),
                        format!("team `{}` is declared here", team.id),
                    )
                    .with_hint(
                        "grow the team (`size N from DATE`), or split the work so it needs fewer people at once",
                    ),
                );
            }
            if let Some(list) = needs.get_mut(need.team.0 as usize) {
                list.push((id, need.fte));
            }
        }
    }
    let horizon_end = portfolio.end.max(schedule.finish);
    let from_status = portfolio.status_date.unwrap_or(portfolio.start);
    let mut teams = Vec::with_capacity(portfolio.teams.len());
    for (t, (team, needs)) in portfolio.teams.iter().zip(&needs).enumerate() {
        let calendar = calendars.get(team.calendar.0 as usize);
        let runs = runs(
            team,
            needs,
            schedule,
            calendar,
            portfolio.start,
            horizon_end,
        );
        let id = TeamId(u32::try_from(t).unwrap_or(u32::MAX));
        if let Some(warning) = over_allocation(portfolio, id, team, &runs, from_status) {
            diagnostics.push(warning);
        }
        teams.push(TeamLoad {
            id: team.id.to_string(),
            title: team.title.to_string(),
            runs,
        });
    }
    (Load { teams }, diagnostics)
}

/// The runs of one team from `start` to `end`: a boundary wherever a project starts or
/// finishes or the team's size changes.
fn runs(
    team: &Team,
    needs: &[(ProjectId, Fte)],
    schedule: &Schedule,
    calendar: Option<&WorkCalendar>,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<Run> {
    // (day, project, starts): a project is counted from its start to the day after its finish.
    let mut events: Vec<(NaiveDate, ProjectId, Fte, bool)> = Vec::with_capacity(needs.len() * 2);
    for &(p, fte) in needs {
        let Some(timing) = schedule.projects.get(p.0 as usize) else {
            continue;
        };
        if timing.duration_days == 0 || timing.finish < start || timing.start > end {
            continue;
        }
        events.push((timing.start.max(start), p, fte, true));
        if let Some(after) = timing.finish.succ_opt() {
            events.push((after, p, fte, false));
        }
    }
    events.sort_by_key(|&(day, p, _, starts)| (day, starts, p));
    let mut boundaries: Vec<NaiveDate> = events.iter().map(|e| e.0).collect();
    boundaries.extend(team.sizes.iter().filter_map(|s| s.from));
    boundaries.push(start);
    boundaries.retain(|d| *d >= start && *d <= end);
    boundaries.sort_unstable();
    boundaries.dedup();
    let mut active: BTreeMap<ProjectId, Fte> = BTreeMap::new();
    let mut next_event = events.iter().peekable();
    let mut runs: Vec<Run> = Vec::with_capacity(boundaries.len());
    for (i, &from) in boundaries.iter().enumerate() {
        while let Some(&&(day, p, fte, starts)) = next_event.peek() {
            if day > from {
                break;
            }
            if starts {
                active.insert(p, fte);
            } else {
                active.remove(&p);
            }
            next_event.next();
        }
        let to = match boundaries.get(i + 1).and_then(|next| next.pred_opt()) {
            Some(to) => to,
            None => end,
        };
        let working_days = calendar.map_or(0, |c| c.working_days_between(from, to));
        let demand = Fte(active.values().map(|f| f.0).sum());
        runs.push(Run {
            from,
            to,
            capacity: team.size_on(from),
            demand,
            working_days: u32::try_from(working_days).unwrap_or(0),
            projects: active.iter().map(|(p, f)| (*p, *f)).collect(),
        });
    }
    runs
}

/// W073 for a team needed by more people than it has on working days from `from` on: the
/// periods (consecutive over-allocated runs), the worst of them, and the projects asking.
fn over_allocation(
    portfolio: &Portfolio,
    id: TeamId,
    team: &Team,
    runs: &[Run],
    from: NaiveDate,
) -> Option<Diagnostic> {
    let over: Vec<&Run> = runs.iter().filter(|r| r.over() && r.to >= from).collect();
    if over.is_empty() {
        return None;
    }
    // Consecutive runs make one period: (first day, last day, working days, worst run).
    let mut periods: Vec<(NaiveDate, NaiveDate, u32, &Run)> = Vec::new();
    for run in &over {
        match periods.last_mut() {
            Some(last) if last.1.succ_opt() == Some(run.from) => {
                last.1 = run.to;
                last.2 += run.working_days;
                if run.demand.0.saturating_sub(run.capacity.0)
                    > last.3.demand.0.saturating_sub(last.3.capacity.0)
                {
                    last.3 = run;
                }
            }
            _ => periods.push((run.from.max(from), run.to, run.working_days, run)),
        }
    }
    let days: u32 = periods.iter().map(|p| p.2).sum();
    const SHOWN: usize = 3;
    let mut shown: Vec<String> = periods
        .iter()
        .take(SHOWN)
        .map(|(first, last, _, worst)| {
            let who: Vec<String> = worst
                .projects
                .iter()
                .map(|(p, fte)| format!("`{}` {}", project_id(portfolio, *p), fte.text()))
                .collect();
            format!(
                "{first} to {last} ({} needed of {}: {})",
                worst.demand.text(),
                worst.capacity.text(),
                who.join(", ")
            )
        })
        .collect();
    if periods.len() > SHOWN {
        shown.push(format!("and {} more periods", periods.len() - SHOWN));
    }
    let mut asking: Vec<ProjectId> = over
        .iter()
        .flat_map(|r| r.projects.iter().map(|(p, _)| *p))
        .collect();
    asking.sort_unstable();
    asking.dedup();
    let mut diagnostic = Diagnostic::new(
        Code::W073OverAllocated,
        keyword(team),
        format!(
            "team `{}` is over-allocated on {} working {}: {}",
            team.id,
            days,
            if days == 1 { "day" } else { "days" },
            shown.join("; ")
        ),
    );
    for p in asking.iter().take(8) {
        let need = portfolio
            .projects
            .get(p.0 as usize)
            .and_then(|project| project.needs().iter().find(|n| n.team == id));
        if let Some(need) = need {
            diagnostic = diagnostic.with_note(
                Some(need.span),
                format!(
                    "`{}` needs {} here",
                    project_id(portfolio, *p),
                    need.fte.people()
                ),
            );
        }
    }
    Some(diagnostic.with_hint(
        "grow the team for those months (`size N from DATE`), move work apart with `after` or `not-before`, or level the plan (`tranche schedule --level`)",
    ))
}

/// The `team` keyword of a team's declaration: underlining the whole block says less.
fn keyword(team: &Team) -> Span {
    team.span.head("team".len())
}

fn project_id(portfolio: &Portfolio, p: ProjectId) -> &str {
    portfolio
        .projects
        .get(p.0 as usize)
        .map_or("?", |project| project.id.as_str())
}

/// A period of the capacity table: a month or a financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Year,
}

/// One team's figures over one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodLoad {
    /// `Apr 2021` or `2021/22`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The team's working days in the period.
    pub working_days: u32,
    /// People available, summed over the working days (person-days, in hundredths).
    pub capacity_days: u64,
    /// People needed, summed over the working days (person-days, in hundredths).
    pub demand_days: u64,
    /// The most people needed on any working day, and the team's size on that day.
    pub peak_demand: Fte,
    pub capacity_at_peak: Fte,
    /// Working days on which more people are needed than the team has.
    pub over_days: u32,
    /// The projects asking in the period, in project order.
    pub projects: Vec<ProjectId>,
    /// Each project's people summed over the period's working days (person-days, in
    /// hundredths), in project order: what a stacked chart draws.
    pub project_days: Vec<(ProjectId, u64)>,
}

/// Person-days (hundredths) over `days` working days, as average people to two decimals, rounded
/// half up: the one rule every table and chart of capacity shows its averages by.
pub fn average(person_days: u64, days: u32) -> Fte {
    if days == 0 {
        return Fte(0);
    }
    let days = u64::from(days);
    Fte(u32::try_from((person_days + days / 2) / days).unwrap_or(u32::MAX))
}

impl PeriodLoad {
    /// The team's people on average over the period's working days.
    pub fn capacity(&self) -> Fte {
        average(self.capacity_days, self.working_days)
    }

    /// The people needed on average over the period's working days.
    pub fn demand(&self) -> Fte {
        average(self.demand_days, self.working_days)
    }
}

/// A team's runs gathered into months or financial years (`fy_start` the month they begin),
/// working days counted on the team's `calendar`.
pub fn by_period(
    team: &TeamLoad,
    calendar: &WorkCalendar,
    period: Period,
    fy_start: u32,
) -> Vec<PeriodLoad> {
    let mut out: Vec<PeriodLoad> = Vec::new();
    for run in &team.runs {
        // A run may cross period boundaries: split it at each.
        let mut from = run.from;
        while from <= run.to {
            let (label, period_from, period_to) = period_of(from, period, fy_start);
            let to = run.to.min(period_to);
            let share = if to == run.to && from == run.from {
                run.working_days
            } else {
                u32::try_from(calendar.working_days_between(from, to)).unwrap_or(0)
            };
            let row = match out.last_mut() {
                Some(last) if last.from == period_from => last,
                _ => {
                    out.push(PeriodLoad {
                        label,
                        from: period_from,
                        to: period_to,
                        working_days: 0,
                        capacity_days: 0,
                        demand_days: 0,
                        peak_demand: Fte(0),
                        capacity_at_peak: run.capacity,
                        over_days: 0,
                        projects: Vec::new(),
                        project_days: Vec::new(),
                    });
                    match out.last_mut() {
                        Some(row) => row,
                        None => break,
                    }
                }
            };
            row.working_days += share;
            row.capacity_days += u64::from(run.capacity.0) * u64::from(share);
            row.demand_days += u64::from(run.demand.0) * u64::from(share);
            if share > 0 && run.demand > row.peak_demand {
                row.peak_demand = run.demand;
                row.capacity_at_peak = run.capacity;
            }
            if run.over() && share > 0 {
                row.over_days += share;
            }
            for (p, fte) in &run.projects {
                if share == 0 {
                    continue;
                }
                if !row.projects.contains(p) {
                    row.projects.push(*p);
                }
                let days = u64::from(fte.0) * u64::from(share);
                match row.project_days.iter_mut().find(|(q, _)| q == p) {
                    Some((_, total)) => *total += days,
                    None => row.project_days.push((*p, days)),
                }
            }
            match to.succ_opt() {
                Some(next) => from = next,
                None => break,
            }
        }
    }
    for row in &mut out {
        row.projects.sort_unstable();
        row.project_days.sort_unstable();
    }
    out
}

/// The period `date` falls in: its label, first and last day.
fn period_of(date: NaiveDate, period: Period, fy_start: u32) -> (String, NaiveDate, NaiveDate) {
    let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(date);
    match period {
        Period::Month => {
            let first = first_of(date.year(), date.month());
            let next = if date.month() == 12 {
                first_of(date.year() + 1, 1)
            } else {
                first_of(date.year(), date.month() + 1)
            };
            let label = date.format("%b %Y").to_string();
            (label, first, next.pred_opt().unwrap_or(next))
        }
        Period::Year => {
            let year = if date.month() >= fy_start {
                date.year()
            } else {
                date.year() - 1
            };
            let first = first_of(year, fy_start);
            let next = first_of(year + 1, fy_start);
            let label = format!("{year}/{:02}", (year + 1).rem_euclid(100));
            (label, first, next.pred_opt().unwrap_or(next))
        }
    }
}
