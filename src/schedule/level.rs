//! **Levelling** (issue 20, docs/scheduling.md "Levelling"): the forward pass again, placing
//! work that needs people where its teams have room.
//!
//! A serial schedule generation scheme. Nodes are placed one at a time in a precedence-feasible
//! order: of the nodes whose predecessors are all placed, work that needs no team first (it
//! takes no one's time, and the chains behind it should flow), then projects by `priority`
//! (lower first; none is last), then least total float in the unlevelled schedule, then file
//! order. Each node's early dates are worked out from its placed predecessors exactly as the
//! forward pass does (`early_project`, `early_milestone`); a project not yet started that needs
//! people is then delayed, never brought forward, to the first start at which every team it
//! needs has room on each of the team's working days from its start to its finish. Work already
//! started or finished stays where its facts put it, and takes its people as scheduled.
//!
//! Invariants: a node's levelled early start is never before its unlevelled one (every bound
//! the forward pass takes grows with its predecessors' dates, and levelling only delays); no
//! team is asked for more people than it has on a working day by work placed here, except work
//! that needs more than the team ever has (E072, placed by its logic alone); and the order is
//! total, so the result is the same on every run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::Days;

use super::{Driver, Passes, Schedule, State};
use crate::calendar::WorkCalendar;
use crate::model::{Fte, ItemId, Team};

/// A team's people, day by day, on its own calendar's working days.
struct TeamDays<'a> {
    calendar: &'a WorkCalendar,
    /// People the team has on working day `j` (hundredths).
    capacity: Vec<u32>,
    /// People placed work takes on working day `j` (hundredths).
    used: Vec<u32>,
    largest: Fte,
    /// The size it keeps from its last change on, and the first working day of that size.
    last: (Fte, usize),
}

impl<'a> TeamDays<'a> {
    fn new(team: &Team, calendar: &'a WorkCalendar) -> TeamDays<'a> {
        let n = usize::try_from(calendar.n_working_days()).unwrap_or(0);
        let mut capacity = vec![0u32; n];
        // The sizes are in date order, the first from the plan's start: each holds from its
        // first working day to the next one's.
        for (i, size) in team.sizes.iter().enumerate() {
            let from = size.from.map_or(0, |d| {
                usize::try_from(calendar.index_on_or_after(d)).unwrap_or(0)
            });
            let to = team
                .sizes
                .get(i + 1)
                .and_then(|next| next.from)
                .map_or(n, |d| {
                    usize::try_from(calendar.index_on_or_after(d)).unwrap_or(n)
                });
            for slot in capacity.get_mut(from..to.max(from)).into_iter().flatten() {
                *slot = size.size.0;
            }
        }
        let last = team.sizes.last().map_or((Fte(0), 0), |s| {
            let from = s.from.map_or(0, |d| {
                usize::try_from(calendar.index_on_or_after(d)).unwrap_or(0)
            });
            (s.size, from)
        });
        TeamDays {
            calendar,
            capacity,
            used: vec![0u32; n],
            largest: team.largest(),
            last,
        }
    }

    /// The team's working days from `start` to `finish` (dates, inclusive), as indices.
    fn window(
        &self,
        start: chrono::NaiveDate,
        finish: chrono::NaiveDate,
    ) -> std::ops::Range<usize> {
        let a = usize::try_from(self.calendar.index_on_or_after(start)).unwrap_or(0);
        let b = usize::try_from(self.calendar.index_on_or_before(finish)).unwrap_or(0);
        // A window with no working day of the team's (`a > b`) is empty.
        let end = if b >= a { b + 1 } else { a };
        a..end.min(self.used.len())
    }

    /// The last day in `window` on which `fte` more people do not fit.
    fn last_clash(&self, window: std::ops::Range<usize>, fte: Fte) -> Option<usize> {
        window.rev().find(|&j| {
            let used = self.used.get(j).copied().unwrap_or(0);
            let capacity = self.capacity.get(j).copied().unwrap_or(0);
            used.saturating_add(fte.0) > capacity
        })
    }

    fn take(&mut self, window: std::ops::Range<usize>, fte: Fte) {
        for slot in self.used.get_mut(window).into_iter().flatten() {
            *slot = slot.saturating_add(fte.0);
        }
    }
}

impl Passes<'_> {
    /// The forward pass with people: see the module doc. `unlevelled` is the schedule without
    /// levelling, whose float orders the work.
    pub(super) fn level(&mut self, unlevelled: &Schedule) {
        let portfolio = self.portfolio;
        let network = self.network;
        let n_nodes = self.nodes.len();
        let mut teams: Vec<TeamDays> = portfolio
            .teams
            .iter()
            .map(|t| TeamDays::new(t, self.cal(t.calendar.0)))
            .collect();
        // The order among ready nodes: (needs people, priority, float, node), smallest first.
        let key = |n: usize| -> (bool, u32, i64, usize) {
            match network.item(n) {
                ItemId::Project(p) => {
                    let project = &portfolio.projects[p.0 as usize];
                    if project.needs().is_empty() {
                        (false, 0, 0, n)
                    } else {
                        let float = unlevelled
                            .projects
                            .get(p.0 as usize)
                            .map_or(0, |t| t.total_float_days);
                        (true, project.priority().unwrap_or(u32::MAX), float, n)
                    }
                }
                _ => (false, 0, 0, n),
            }
        };
        let mut waiting: Vec<usize> = (0..n_nodes).map(|n| network.edges_into(n).len()).collect();
        let mut ready: BinaryHeap<Reverse<(bool, u32, i64, usize)>> = (0..n_nodes)
            .filter(|&n| waiting[n] == 0)
            .map(|n| Reverse(key(n)))
            .collect();
        while let Some(Reverse((_, _, _, n))) = ready.pop() {
            self.place(n, &mut teams);
            for edge in network.edges_out(n) {
                let s = edge.node as usize;
                if let Some(w) = waiting.get_mut(s) {
                    *w -= 1;
                    if *w == 0 {
                        ready.push(Reverse(key(s)));
                    }
                }
            }
        }
    }

    /// W074 for each project levelling had to leave where its logic put it.
    pub(super) fn cannot_level(&mut self) {
        for (n, t) in std::mem::take(&mut self.unlevelled) {
            let ItemId::Project(p) = self.network.item(n) else {
                continue;
            };
            let project = &self.portfolio.projects[p.0 as usize];
            let (Some(team), Some(need)) = (
                self.portfolio.teams.get(t as usize),
                project.needs().iter().find(|need| need.team.0 == t),
            ) else {
                continue;
            };
            let last = team.sizes.last();
            let from = last
                .and_then(|s| s.from)
                .map_or_else(|| "the plan's start".to_string(), |d| d.to_string());
            self.diagnostics.push(
                crate::diagnostic::Diagnostic::new(
                    crate::diagnostic::Code::W074CannotLevel,
                    need.span,
                    format!(
                        "`{}` cannot be levelled: it needs {} of team `{}`, which has {} from {from} on, so no later start fits; it stays where its dependencies put it",
                        project.id,
                        need.fte.people(),
                        team.id,
                        last.map_or(Fte(0), |s| s.size).people(),
                    ),
                )
                .with_hint("keep the team larger for longer (`size N from DATE`), or make the work need fewer people"),
            );
        }
    }

    /// Node `n`'s early dates from its placed predecessors, then, for work not started that
    /// needs people, the first start at which they have room; its people are then taken.
    fn place(&mut self, n: usize, teams: &mut [TeamDays]) {
        let (mut es, mut ef, resume, state, mut driver) = match self.network.item(n) {
            ItemId::Project(p) => self.early_project(n, p),
            ItemId::Milestone(m) => self.early_milestone(n, m),
            ItemId::Programme(_) => unreachable!("graph::Network holds no programme nodes"),
        };
        let mut resume = resume;
        if let ItemId::Project(p) = self.network.item(n) {
            let project = &self.portfolio.projects[p.0 as usize];
            let needs: Vec<_> = project
                .needs()
                .iter()
                .filter(|need| {
                    teams
                        .get(need.team.0 as usize)
                        .is_some_and(|t| need.fte <= t.largest)
                })
                .copied()
                .collect();
            let c = self.cal(self.nodes[n].cal);
            let d = ef - es;
            if !needs.is_empty() && d > 0 {
                let logic = (es, ef, resume, driver);
                if state == State::NotStarted {
                    // Later and later starts until every team has room; each try jumps past
                    // the last clash in its window, which every earlier start would hit too.
                    while let (Some(start), Some(finish)) = (to_date(c, es), to_date(c, es + d - 1))
                    {
                        let mut clash: Option<(chrono::NaiveDate, u32)> = None;
                        for need in &needs {
                            let Some(team) = teams.get(need.team.0 as usize) else {
                                continue;
                            };
                            let window = team.window(start, finish);
                            if let Some(j) = team.last_clash(window, need.fte) {
                                let day = team.calendar.date(i32::try_from(j).unwrap_or(i32::MAX));
                                if let Some(day) = day {
                                    if clash.is_none_or(|(c, _)| day > c) {
                                        clash = Some((day, need.team.0));
                                    }
                                }
                            }
                        }
                        let Some((day, team)) = clash else { break };
                        // Past the team's last change, a need larger than the size it keeps
                        // can never fit: the work stays where its logic puts it (W074).
                        let hopeless = needs.iter().find(|need| {
                            teams.get(need.team.0 as usize).is_some_and(|t| {
                                need.fte > t.last.0 && t.window(start, finish).start >= t.last.1
                            })
                        });
                        if let Some(need) = hopeless {
                            (es, ef, resume, driver) = logic;
                            self.unlevelled.push((n, need.team.0));
                            break;
                        }
                        let Some(next) = day.checked_add_days(Days::new(1)) else {
                            break;
                        };
                        let moved = i64::from(c.index_on_or_after(next));
                        if moved <= es {
                            break;
                        }
                        es = moved;
                        ef = es + d;
                        resume = es;
                        driver = Driver::Resource(team);
                    }
                }
                // Placed (or held by its facts): its people are taken from its start to its
                // finish.
                if let (Some(start), Some(finish)) = (to_date(c, es), to_date(c, ef - 1)) {
                    for need in &needs {
                        if let Some(team) = teams.get_mut(need.team.0 as usize) {
                            let window = team.window(start, finish);
                            team.take(window, need.fte);
                        }
                    }
                }
            }
        }
        self.set_early(n, (es, ef, resume, state, driver));
    }
}

/// The date of working day `index` of `c`, `None` outside the calendar.
fn to_date(c: &WorkCalendar, index: i64) -> Option<chrono::NaiveDate> {
    c.date(i32::try_from(index).ok()?)
}
