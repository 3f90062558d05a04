//! Critical path scheduling on working-day calendars.
//!
//! Input: a validated `Portfolio`, its [`Network`] and its calendars (`calendar::build_all`).
//! Output: a [`Schedule`] giving every project, milestone and programme its dates and float,
//! and the portfolio's finish and critical path, plus diagnostics for missed deadlines.
//!
//! Invariant: both passes are single loops over the network's topological order (no
//! recursion), and nothing depends on hash order, so the same plan gives the same schedule.
//!
//! Time is counted in working days on each item's own calendar (a project's calendar; a
//! milestone's project's calendar, or the portfolio's). A project with duration D starting on
//! working day `es` works days `es .. es + D - 1`; its early finish `ef = es + D` is exclusive,
//! as in docs/scheduling.md. A milestone is a boundary `b` between working days, shown as the end
//! of day `b - 1` or (when it happens as a day begins) the start of day `b`; work after it (FS,
//! lag 0) starts on day `b`. Links between items on different calendars convert through dates:
//! a finish is the end of its last day, a start the beginning of its first; the lag is then
//! counted on the successor's calendar. Progress follows P6's retained logic (see
//! docs/scheduling.md, "Progress at the status date").

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::calendar::{FIRST_DATE, LAST_DATE, WorkCalendar};
use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Link, Network, name_of};
use crate::model::{
    ItemId, LinkKind, MilestoneId, MilestoneTiming, Portfolio, Progress, ProjectId,
};

mod explain;
mod level;

pub use explain::{Explanation, FloatLimit, Origin, Step, explain, explain_traced};

/// RAG status from slippage against baseline (thresholds in the portfolio's `rag` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    /// The word in lower case, as the JSON, CSV and workbook write it (serde's name).
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// The computed dates of one project, milestone or programme. Dates are inclusive: `finish` is
/// the last day of work (for a milestone, the day it happens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    /// The forecast dates: actuals where known, early dates otherwise.
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub early_start: NaiveDate,
    pub early_finish: NaiveDate,
    pub late_start: NaiveDate,
    pub late_finish: NaiveDate,
    /// Working days on the item's calendar from start to finish (0 for milestones): the planned
    /// duration for work not started, the actual one for finished work.
    pub duration_days: u32,
    /// Working days; negative when a deadline cannot be met.
    pub total_float_days: i64,
    pub free_float_days: i64,
    pub critical: bool,
    /// Working days the forecast finish is later than the baseline finish (negative: earlier).
    pub slip_days: Option<i64>,
    pub rag: Option<Rag>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    /// Indexed by `ProjectId`.
    pub projects: Vec<Timing>,
    /// Indexed by `MilestoneId`.
    pub milestones: Vec<Timing>,
    /// Indexed by `ProgrammeId`: the span of their work.
    pub programmes: Vec<Timing>,
    /// The latest forecast finish of any work.
    pub finish: NaiveDate,
    /// The longest path, from its first item to the item that finishes last, in order.
    pub critical_path: Vec<ItemId>,
    /// Indexed by `MilestoneId`: whether the milestone happens as its day begins (`at start`
    /// of work, at the plan's start, at the status date) rather than as it ends. Money and
    /// lints that start `from` a milestone read it through [`Schedule::day_from_milestone`].
    pub milestones_at_day_start: Vec<bool>,
}

/// What `compute` learnt on the way that the [`Schedule`] does not hold: for each project and
/// milestone, what set its early and late dates (for `explain`) and whether it is finished.
/// Kept apart so that `Schedule` and `Timing`
/// stay the plain values later stages build by hand.
#[derive(Debug, Clone)]
pub struct Trace {
    n_projects: usize,
    pub(crate) early_drivers: Vec<Driver>,
    pub(crate) late_drivers: Vec<LateDriver>,
    finished: Vec<bool>,
}

impl Trace {
    fn node(&self, item: ItemId) -> Option<usize> {
        match item {
            ItemId::Project(p) => Some(p.0 as usize),
            ItemId::Milestone(m) => Some(self.n_projects + m.0 as usize),
            ItemId::Programme(_) => None,
        }
    }

    /// Finished at the status date: actual dates, no float, never critical. A milestone at
    /// the finish (or start) of finished (or started) work has happened with it.
    pub fn finished(&self, item: ItemId) -> bool {
        self.node(item)
            .and_then(|n| self.finished.get(n).copied())
            .unwrap_or(false)
    }

    /// For each node, whether its float is measured to the plan's finish: following what set
    /// each late date (a link to a successor, a tied milestone's project) ends at the plan's
    /// finish rather than at a deadline. In a portfolio that float is only the distance to
    /// the end of the longest programme (lint W107 under `lint profile portfolio`).
    pub(crate) fn float_to_plan_finish(
        &self,
        portfolio: &Portfolio,
        network: &Network,
    ) -> Vec<bool> {
        let n_nodes = self.late_drivers.len();
        let mut known: Vec<Option<bool>> = vec![None; n_nodes];
        let mut chain = Vec::new();
        for start in 0..n_nodes {
            chain.clear();
            let mut n = start;
            // Each node joins one chain at most once; the bound only guards against a
            // driver loop, which the backward pass cannot make.
            let answer = loop {
                if let Some(answer) = known[n] {
                    break answer;
                }
                if chain.len() > n_nodes {
                    break false;
                }
                chain.push(n);
                let next = match self.late_drivers[n] {
                    LateDriver::PlanFinish => break true,
                    LateDriver::Deadline | LateDriver::Finished => break false,
                    LateDriver::Link(l) => network
                        .links
                        .get(l)
                        .and_then(|link| network.node(link.successor)),
                    LateDriver::Project => match network.item(n) {
                        ItemId::Milestone(m) => portfolio
                            .milestones
                            .get(m.0 as usize)
                            .and_then(|m| m.tied_to())
                            .and_then(|p| network.node(ItemId::Project(p))),
                        _ => None,
                    },
                };
                match next {
                    Some(next) => n = next,
                    None => break false,
                }
            };
            for &c in &chain {
                known[c] = Some(answer);
            }
        }
        known.into_iter().map(|k| k.unwrap_or(false)).collect()
    }
}

impl Schedule {
    /// Each programme's status, indexed by `ProgrammeId`: its own (when it has a baseline of
    /// its own), or else the worst of the projects in it and in the programmes inside it. The
    /// report's programme table and lint W114 both read it, so they never disagree.
    pub fn programme_rags(&self, portfolio: &Portfolio) -> Vec<Option<Rag>> {
        let n = portfolio.programmes.len();
        let mut worst: Vec<Option<Rag>> = vec![None; n];
        for (index, project) in portfolio.projects.iter().enumerate() {
            let rag = self.projects.get(index).and_then(|t| t.rag);
            let mut current = project.programme;
            // Bounded by the number of programmes, so even a (never valid) cycle ends.
            for _ in 0..n {
                let Some(id) = current else { break };
                if let Some(slot) = worst.get_mut(id.0 as usize) {
                    *slot = (*slot).max(rag);
                }
                current = portfolio
                    .programmes
                    .get(id.0 as usize)
                    .and_then(|p| p.parent);
            }
        }
        worst
            .into_iter()
            .enumerate()
            .map(|(i, worst)| self.programmes.get(i).and_then(|t| t.rag).or(worst))
            .collect()
    }

    /// The timing of any item.
    pub fn timing(&self, item: ItemId) -> Option<&Timing> {
        match item {
            ItemId::Project(p) => self.projects.get(p.0 as usize),
            ItemId::Milestone(m) => self.milestones.get(m.0 as usize),
            ItemId::Programme(g) => self.programmes.get(g.0 as usize),
        }
    }

    /// The earliest forecast start of any project or milestone; `None` when there are none.
    /// (Programmes only span their work, so they cannot start earlier.)
    pub fn first_start(&self) -> Option<NaiveDate> {
        self.projects
            .iter()
            .chain(&self.milestones)
            .map(|t| t.start)
            .min()
    }

    /// A milestone that happens as its day begins (at the plan's start, the status date, or
    /// the start of work it is linked to without a lag) rather than at the end of its day.
    /// Its date is then that day; the same point in working time as the end of the day before.
    /// `false` for anything but a milestone.
    pub fn at_day_start(&self, item: ItemId) -> bool {
        match item {
            ItemId::Milestone(m) => self
                .milestones_at_day_start
                .get(m.0 as usize)
                .copied()
                .unwrap_or(false),
            ItemId::Project(_) | ItemId::Programme(_) => false,
        }
    }

    /// The first day of whatever starts at milestone `m`'s instant: the milestone's own day
    /// when it happens as that day begins, the next day when it happens as its day ends. So
    /// money `from` an `at start` milestone starts with its project's start, and money `from`
    /// an `at finish` one with the day after the finish (docs/finance.md).
    pub fn day_from_milestone(&self, m: MilestoneId) -> Option<NaiveDate> {
        let timing = self.milestones.get(m.0 as usize)?;
        Some(if self.at_day_start(ItemId::Milestone(m)) {
            timing.finish
        } else {
            timing.finish.succ_opt().unwrap_or(timing.finish)
        })
    }
}

/// What set an item's early dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Driver {
    PlanStart,
    StatusDate,
    NotBefore,
    /// Actual dates (finished work, an achieved milestone, or the start of work in progress).
    Actual,
    /// A milestone fixed `on` a date.
    Fixed,
    /// A link, by index into `Network::links`.
    Link(usize),
    /// Levelling: the team (by index into `Portfolio::teams`) that had no room earlier.
    Resource(u32),
}

/// What set an item's late finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LateDriver {
    PlanFinish,
    Deadline,
    Link(usize),
    /// Finished work: no late dates of its own.
    Finished,
    /// A milestone at the start or finish of its project shares its project's late dates.
    Project,
}

/// Schedules `portfolio`. `calendars` must be `calendar::build_all(&portfolio.calendars)`.
pub fn compute(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
) -> (Schedule, Vec<Diagnostic>) {
    let (schedule, _, diagnostics) = compute_traced(portfolio, network, calendars);
    (schedule, diagnostics)
}

/// [`compute`], with the [`Trace`] of how each date was set.
///
/// The passes run in the order docs/scheduling.md describes them, each over the whole network
/// and each with its own invariant (on its doc comment).
pub fn compute_traced(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
) -> (Schedule, Trace, Vec<Diagnostic>) {
    let mut passes = Passes::new(portfolio, network, calendars);
    passes.early_dates();
    passes.after_early_dates()
}

/// [`compute_traced`] with levelling (docs/scheduling.md "Levelling"): the same passes, with
/// the forward pass placing work where its teams have room (`level`), so the plan's finish,
/// late dates, float and the critical path are those of the levelled schedule. A plan with no
/// `needs` comes out as [`compute_traced`] gives it.
pub fn compute_levelled(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
) -> (Schedule, Trace, Vec<Diagnostic>) {
    let unlevelled = compute_traced(portfolio, network, calendars);
    if portfolio.projects.iter().all(|p| p.needs().is_empty()) {
        return unlevelled;
    }
    let mut passes = Passes::new(portfolio, network, calendars);
    passes.level(&unlevelled.0);
    passes.cannot_level();
    passes.after_early_dates()
}

/// The state the passes share: one entry per schedulable node (projects, then milestones, as
/// `Network` numbers them) in each array, indices on each node's own calendar.
struct Passes<'a> {
    portfolio: &'a Portfolio,
    network: &'a Network,
    calendars: &'a [WorkCalendar],
    nodes: Vec<Node>,
    early_drivers: Vec<Driver>,
    late_drivers: Vec<LateDriver>,
    total_float: Vec<i64>,
    free_float: Vec<i64>,
    /// The plan's finish: the latest finish of any work, as a date and whether at the end of
    /// that day (false: a milestone at the start of a day); set by [`Passes::plan_finish`].
    finish_instant: (NaiveDate, bool),
    diagnostics: Vec<Diagnostic>,
    /// Levelling: work that no later start could fit, and the team it waited for (W074).
    unlevelled: Vec<(usize, u32)>,
}

impl<'a> Passes<'a> {
    fn new(portfolio: &'a Portfolio, network: &'a Network, calendars: &'a [WorkCalendar]) -> Self {
        let n_nodes = network.n_nodes();
        Passes {
            portfolio,
            network,
            calendars,
            nodes: (0..n_nodes)
                .map(|n| Node::new(portfolio, network.item(n)))
                .collect(),
            early_drivers: vec![Driver::PlanStart; n_nodes],
            late_drivers: vec![LateDriver::PlanFinish; n_nodes],
            total_float: vec![0; n_nodes],
            free_float: vec![0; n_nodes],
            finish_instant: (portfolio.start, false),
            diagnostics: Vec::new(),
            unlevelled: Vec::new(),
        }
    }

    /// The passes after the early dates, levelled or not: the plan's finish, late dates, float
    /// and the critical path are worked out on whatever early dates the nodes hold.
    fn after_early_dates(mut self) -> (Schedule, Trace, Vec<Diagnostic>) {
        self.plan_finish();
        self.late_dates();
        self.tie_milestones();
        self.floats();
        self.missed_deadlines();
        self.finish()
    }

    /// Sets node `n`'s early dates and what set them.
    fn set_early(&mut self, n: usize, early: (i64, i64, i64, State, Driver)) {
        let (es, ef, resume, state, driver) = early;
        let node = &mut self.nodes[n];
        node.es = es;
        node.ef = ef;
        node.resume = resume;
        node.state = state;
        self.early_drivers[n] = driver;
    }

    fn cal(&self, id: u32) -> &'a WorkCalendar {
        let calendars = self.calendars;
        calendars.get(id as usize).unwrap_or_else(|| {
            panic!("schedule::compute: calendar {id} missing; pass calendar::build_all's result")
        })
    }

    /// **Early dates** (the forward pass, docs/scheduling.md "Early dates" and "Progress at
    /// the status date"). In topological order, each node's early start and finish, where work
    /// in progress resumes, its progress state and what set its dates.
    ///
    /// Invariant: when a node is reached, every predecessor's early dates are final (the
    /// network's order puts predecessors first), and it is one loop, so no plan can overflow
    /// the stack.
    fn early_dates(&mut self) {
        let network = self.network;
        for &n in &network.order {
            let n = n as usize;
            let early = match network.item(n) {
                ItemId::Project(p) => self.early_project(n, p),
                ItemId::Milestone(m) => self.early_milestone(n, m),
                ItemId::Programme(_) => unreachable!("graph::Network holds no programme nodes"),
            };
            self.set_early(n, early);
        }
    }

    /// A project's early dates: `(es, ef, resume, state, driver)`.
    fn early_project(&self, n: usize, p: ProjectId) -> (i64, i64, i64, State, Driver) {
        let portfolio = self.portfolio;
        let node = self.nodes[n];
        let c = self.cal(node.cal);
        // Most projects have no progress and no `not-before` (their node says so): their
        // `Project`, a scattered read in this order, is then left alone.
        let project = (!node.plain).then(|| &portfolio.projects[p.0 as usize]);
        let d = i64::from(node.duration);
        let progress = project.map_or(&NO_PROGRESS, |p| p.progress());
        if let Some(af) = progress.actual_finish {
            let ef = i64::from(c.index_on_or_before(af.date)) + 1;
            let es = match progress.actual_start {
                Some(a) => i64::from(c.index_on_or_after(a.date)),
                None => ef - d,
            };
            return (es.min(ef), ef, es.min(ef), State::Finished, Driver::Actual);
        }
        let mut start = Bound::new(i64::from(c.index_on_or_after(portfolio.start)));
        if let Some(nb) = project.and_then(|p| p.not_before()) {
            start.raise(i64::from(c.index_on_or_after(nb.date)), Driver::NotBefore);
        }
        let status_index = portfolio
            .status_date
            .map(|s| i64::from(c.index_on_or_after(s)));
        if let Some(s) = status_index {
            start.raise(s, Driver::StatusDate);
        }
        let mut finish = Bound::none();
        // In progress: the start is a fact; what remains waits for the status date and for
        // every FS predecessor plus its lag, finished or not (retained logic).
        let started = progress.actual_start;
        let mut resume = Bound::none();
        if started.is_some() {
            if let Some(s) = status_index {
                resume.raise(s, Driver::StatusDate);
            }
        }
        for edge in self.network.edges_into(n) {
            let l = edge.link as usize;
            let pred = self.nodes[edge.node as usize];
            let pc = self.cal(pred.cal);
            let lag = i64::from(edge.lag_days);
            match edge.kind {
                LinkKind::FinishToStart => {
                    let v = pred.finish_on(pc, c) + lag;
                    if started.is_some() {
                        resume.link(v, l);
                    } else {
                        start.link(v, l);
                    }
                }
                LinkKind::StartToStart => {
                    if started.is_none() {
                        start.link(pred.start_on(pc, c) + lag, l);
                    }
                }
                LinkKind::FinishToFinish => finish.link(pred.finish_on(pc, c) + lag, l),
                LinkKind::StartToFinish => finish.link(pred.start_on(pc, c) + lag, l),
            }
        }
        match started {
            Some(a) => {
                let es = i64::from(c.index_on_or_after(a.date));
                let complete = progress.complete.map_or(0, |p| p.0.clamp(0, 10_000));
                // Rounded up: a part-day still to do takes a working day.
                let remaining = (d * (10_000 - complete) + 9_999) / 10_000;
                let resume_at = resume.value.unwrap_or(es).max(es);
                let mut end = Bound::new(resume_at + remaining);
                end.driver = match resume.value {
                    Some(_) => resume.driver,
                    None => Driver::Actual,
                };
                if let Some(v) = finish.value {
                    if v >= end.value.unwrap_or(i64::MIN) {
                        end = finish;
                    }
                }
                let ef = end.value.unwrap_or(es + remaining);
                // At most the duration, a u32.
                let remaining = u32::try_from(remaining).unwrap_or(u32::MAX);
                (
                    es,
                    ef,
                    resume_at,
                    State::InProgress { remaining },
                    end.driver,
                )
            }
            None => {
                if let Some(v) = finish.value {
                    if v - d >= start.value.unwrap_or(i64::MIN) {
                        start = Bound {
                            value: Some(v - d),
                            driver: finish.driver,
                        };
                    }
                }
                let es = start.value.unwrap_or(0);
                (es, es + d, es, State::NotStarted, start.driver)
            }
        }
    }

    /// A milestone's early instant: `(b, b, b, state, driver)`, and its node's `sod`.
    ///
    /// A milestone is the moment its driving work finishes (or starts), on its own calendar:
    /// an instant at the end of a day that is not a working day of that calendar moves forward
    /// to the start of its next working day, never back, so nothing after the milestone can
    /// start before the work that drives it has finished.
    fn early_milestone(&mut self, n: usize, m: MilestoneId) -> (i64, i64, i64, State, Driver) {
        let portfolio = self.portfolio;
        let milestone = &portfolio.milestones[m.0 as usize];
        let c = self.cal(self.nodes[n].cal);
        let mut state = State::NotStarted;
        // The milestone's instant: a boundary and whether it is the start of day `b` (true)
        // or the end of day `b - 1` (false). Both are the same point in working time; the flag
        // decides the date shown, as in Primavera P6.
        let mut at: Option<(i64, bool, Driver)> = None;
        let mut offer = |v: i64, sod: bool, d: Driver| {
            // The later instant wins; a link wins a tie, so driving chains run back as far as
            // they can.
            let better = at.is_none_or(|(bv, bs, _)| {
                (v, sod) > (bv, bs) || ((v, sod) == (bv, bs) && matches!(d, Driver::Link(_)))
            });
            if better {
                at = Some((v, sod, d));
            }
        };
        if let Some(a) = milestone.actual() {
            offer(
                i64::from(c.index_on_or_before(a.date)) + 1,
                false,
                Driver::Actual,
            );
            state = State::Finished;
        } else if let MilestoneTiming::On(date) = milestone.timing {
            offer(
                i64::from(c.index_on_or_before(date)) + 1,
                false,
                Driver::Fixed,
            );
        } else {
            let tied = matches!(
                milestone.timing,
                MilestoneTiming::AtStart | MilestoneTiming::AtFinish
            );
            if !tied {
                // At the earliest, the start of the plan's first working day, or of the
                // status date.
                offer(
                    i64::from(c.index_on_or_after(portfolio.start)),
                    true,
                    Driver::PlanStart,
                );
                if let Some(s) = portfolio.status_date {
                    offer(i64::from(c.index_on_or_after(s)), true, Driver::StatusDate);
                }
            }
            for edge in self.network.edges_into(n) {
                let l = edge.link as usize;
                let pred = self.nodes[edge.node as usize];
                let pc = self.cal(pred.cal);
                let lag = i64::from(edge.lag_days);
                // A project's start is the start of a day, its finish the end of one; a
                // milestone is its own instant. `own` is that boundary on the predecessor's
                // calendar.
                let (v, mut sod, own) = match edge.kind {
                    LinkKind::FinishToStart | LinkKind::FinishToFinish => {
                        (pred.finish_on(pc, c), pred.starts_day(false), pred.ef)
                    }
                    LinkKind::StartToStart | LinkKind::StartToFinish => {
                        (pred.start_on(pc, c), pred.starts_day(true), pred.es)
                    }
                };
                // The end of a day that is not a working day here: the start of the next one.
                if !sod && !std::ptr::eq(pc, c) && !c.is_working(date_of(pc, own - 1)) {
                    sod = true;
                }
                // Adding a lag lands at the end of a working day.
                offer(v + lag, sod && lag == 0, Driver::Link(l));
                if tied {
                    // A milestone tied to finished (or, at start, started) work has happened
                    // with it.
                    let done = match milestone.timing {
                        MilestoneTiming::AtStart => pred.state != State::NotStarted,
                        _ => pred.state == State::Finished,
                    };
                    if done {
                        state = State::Finished;
                    }
                }
            }
        }
        let (b, sod, driver) = at.unwrap_or((0, false, Driver::PlanStart));
        self.nodes[n].sod = sod;
        (b, b, b, state, driver)
    }

    /// **The plan's finish**: the latest finish of any work, as an instant (the end of a day
    /// is later than the start of the same day), and E071 for work that would finish past
    /// the calendars' last date.
    fn plan_finish(&mut self) {
        let portfolio = self.portfolio;
        // A label (a milestone tied to its project) is not work of its own: its project stands
        // for it, so adding one never moves the plan's finish.
        self.finish_instant = (0..self.nodes.len())
            .filter(|&n| self.tied_project(n).is_none())
            .map(|n| self.finish_instant_of(n))
            .max()
            .unwrap_or((portfolio.start, false));
        let beyond = (0..self.nodes.len()).find(|&n| {
            let node = &self.nodes[n];
            self.cal(node.cal)
                .date(to_i32(node.ef.max(1) - 1))
                .is_none()
        });
        if let Some(n) = beyond {
            let item = self.network.item(n);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E071BeyondCalendar,
                    item_span(portfolio, item),
                    format!("`{}` would finish after {LAST_DATE}, the last date tranche can schedule", name_of(portfolio, item)),
                )
                .with_hint("check the durations and lags for a typing mistake (days for weeks, or an extra digit)"),
            );
        }
    }

    /// Node `n`'s finish as an instant: its date, and whether at the end of that day.
    fn finish_instant_of(&self, n: usize) -> (NaiveDate, bool) {
        let node = &self.nodes[n];
        (
            node.finish_date(self.cal(node.cal)),
            !(node.milestone && node.sod),
        )
    }

    /// The plan's finish as a boundary on calendar `c`.
    fn plan_end(&self, c: &WorkCalendar) -> i64 {
        let (date, end_of_day) = self.finish_instant;
        if end_of_day {
            i64::from(c.index_on_or_before(date)) + 1
        } else {
            i64::from(c.index_on_or_after(date))
        }
    }

    /// **Late dates** (the backward pass, docs/scheduling.md "Late dates"). In reverse
    /// topological order, each unfinished node's late finish: the least of the plan's finish,
    /// its deadline and every successor link's bound; its late start is that less its
    /// (remaining) duration, or its actual start for work in progress.
    ///
    /// Invariant: when a node is reached, every successor's late dates are final.
    fn late_dates(&mut self) {
        let portfolio = self.portfolio;
        let network = self.network;
        // Deadlines are gathered in node order first: read in the pass's order, each would be
        // a cache miss into its project or milestone.
        let deadlines: Vec<Option<NaiveDate>> = (0..self.nodes.len())
            .map(|n| deadline_of(portfolio, network.item(n)))
            .collect();
        for &n in network.order.iter().rev() {
            let n = n as usize;
            let node = self.nodes[n];
            if node.state == State::Finished {
                self.nodes[n].ls = node.es;
                self.nodes[n].lf = node.ef;
                self.late_drivers[n] = LateDriver::Finished;
                continue;
            }
            let c = self.cal(node.cal);
            let mut lf = self.plan_end(c);
            let mut driver = LateDriver::PlanFinish;
            if let Some(deadline) = deadlines[n] {
                let v = i64::from(c.index_on_or_before(deadline)) + 1;
                // On a tie the deadline is named: it is what the author set.
                if v <= lf {
                    lf = v;
                    driver = LateDriver::Deadline;
                }
            }
            let started = matches!(node.state, State::InProgress { .. });
            for edge in network.edges_out(n) {
                let succ = self.nodes[edge.node as usize];
                if succ.state == State::Finished {
                    continue;
                }
                let sc = self.cal(succ.cal);
                let lag = i64::from(edge.lag_days);
                let succ_started = matches!(succ.state, State::InProgress { .. });
                let bound = match edge.kind {
                    // Work in progress waits for its FS predecessors to resume (retained logic).
                    LinkKind::FinishToStart => {
                        Some(node.latest_finish(c, sc, succ.late_resume() - lag))
                    }
                    LinkKind::StartToStart => (!succ_started && !started)
                        .then(|| node.latest_start(c, sc, succ.ls - lag) + node.kept_duration()),
                    LinkKind::FinishToFinish => Some(node.latest_finish(c, sc, succ.lf - lag)),
                    LinkKind::StartToFinish => (!started)
                        .then(|| node.latest_start(c, sc, succ.lf - lag) + node.kept_duration()),
                };
                if let Some(v) = bound {
                    if v < lf || (v == lf && driver == LateDriver::PlanFinish) {
                        lf = v;
                        driver = LateDriver::Link(edge.link as usize);
                    }
                }
            }
            self.nodes[n].lf = lf;
            self.nodes[n].ls = match node.state {
                State::InProgress { .. } => node.es,
                _ => lf - node.kept_duration(),
            };
            self.late_drivers[n] = driver;
        }
    }

    /// **Tied milestones** (docs/scheduling.md "Milestones"): a milestone `at start` or `at
    /// finish` cannot move without its project, so its late dates are its project's start or
    /// finish.
    ///
    /// Invariant: afterwards a tied milestone's total float is its project's.
    fn tie_milestones(&mut self) {
        for n in self.network.n_projects..self.nodes.len() {
            if self.nodes[n].state == State::Finished {
                continue;
            }
            let Some((pn, timing)) = self.tied_project(n) else {
                continue;
            };
            let v = match timing {
                MilestoneTiming::AtStart => self.nodes[pn].ls,
                _ => self.nodes[pn].lf,
            };
            if v < self.nodes[n].lf {
                self.nodes[n].lf = v;
                self.nodes[n].ls = v;
                self.late_drivers[n] = LateDriver::Project;
            }
        }
    }

    /// For a milestone node tied to its project (`at start`/`at finish`), the project's node
    /// and the tie.
    fn tied_project(&self, n: usize) -> Option<(usize, MilestoneTiming)> {
        let ItemId::Milestone(m) = self.network.item(n) else {
            return None;
        };
        let milestone = self.portfolio.milestones.get(m.0 as usize)?;
        let pn = self.network.node(ItemId::Project(milestone.tied_to()?))?;
        Some((pn, milestone.timing))
    }

    /// **Float** (docs/scheduling.md "Late dates (backward pass), float, critical"). Total
    /// float is `LF - EF` on the node's calendar. Free float is how far the node can slip
    /// before a successor's early dates move: for work in progress, the early finish is the
    /// only one that can. A project's free float counts what follows its tied milestones (and
    /// not the tie itself); a tied milestone has its project's.
    ///
    /// Invariant: free float is never negative and never more than a positive total float.
    fn floats(&mut self) {
        let n_nodes = self.nodes.len();
        for n in 0..n_nodes {
            let node = self.nodes[n];
            if node.state == State::Finished {
                continue;
            }
            self.total_float[n] = node.lf - node.ef;
            if self.tied_project(n).is_some() {
                continue;
            }
            let c = self.cal(node.cal);
            let ff = self
                .successor_slack(n, n)
                .unwrap_or(self.plan_end(c) - node.ef)
                .max(0);
            // Slipping past a positive total float would move the finish: not free.
            self.free_float[n] = ff.min(self.total_float[n].max(0));
        }
        for n in self.network.n_projects..n_nodes {
            if self.nodes[n].state == State::Finished {
                continue;
            }
            if let Some((pn, _)) = self.tied_project(n) {
                self.free_float[n] = self.free_float[pn];
            }
        }
    }

    /// The least slack of node `n`'s links to unfinished successors, measured on `of`'s
    /// calendar (a tied milestone's slack is its project's), going through tied milestones to
    /// what follows them; `None` when nothing follows.
    fn successor_slack(&self, n: usize, of: usize) -> Option<i64> {
        let node = self.nodes[n];
        let c = self.cal(node.cal);
        let started = matches!(node.state, State::InProgress { .. });
        let mut least: Option<i64> = None;
        for edge in self.network.edges_out(n) {
            let s = edge.node as usize;
            let succ = self.nodes[s];
            if succ.state == State::Finished {
                continue;
            }
            let slack = if n == of && succ.milestone && self.tie_of(s, n).is_some() {
                // The tie itself: the milestone moves with this project, so what holds this
                // project is what follows the milestone.
                self.successor_slack(s, of)
            } else {
                let sc = self.cal(succ.cal);
                let lag = i64::from(edge.lag_days);
                let succ_started = matches!(succ.state, State::InProgress { .. });
                // How far this node's own dates can move, on its own calendar, before the
                // successor's early dates would have to.
                match edge.kind {
                    LinkKind::FinishToStart => {
                        Some(node.latest_finish(c, sc, succ.latest_early_resume() - lag) - node.ef)
                    }
                    LinkKind::StartToStart => (!started && !succ_started)
                        .then(|| node.latest_start(c, sc, succ.es - lag) - node.es),
                    LinkKind::FinishToFinish => {
                        Some(node.latest_finish(c, sc, succ.ef - lag) - node.ef)
                    }
                    LinkKind::StartToFinish => {
                        (!started).then(|| node.latest_start(c, sc, succ.ef - lag) - node.es)
                    }
                }
            };
            if let Some(s) = slack {
                least = Some(least.map_or(s, |f| f.min(s)));
            }
        }
        least
    }

    /// `Some((n, tie))` when milestone node `s` is tied to project node `n`.
    fn tie_of(&self, s: usize, n: usize) -> Option<(usize, MilestoneTiming)> {
        self.tied_project(s).filter(|(pn, _)| *pn == n)
    }

    /// **Missed deadlines**: E070 for each item whose early finish is after its deadline.
    /// Early dates stay where the logic puts them.
    fn missed_deadlines(&mut self) {
        let portfolio = self.portfolio;
        for (n, node) in self.nodes.iter().enumerate() {
            let item = self.network.item(n);
            let Some((deadline, span)) = deadline_with_span(portfolio, item) else {
                continue;
            };
            let c = self.cal(node.cal);
            let bound = i64::from(c.index_on_or_before(deadline)) + 1;
            if node.ef > bound {
                let late = node.ef - bound;
                let finish = node.finish_date(c);
                let plural = if late == 1 { "" } else { "s" };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E070DeadlineMissed,
                        span,
                        format!(
                            "`{}` {} on {finish}, {late} working day{plural} after its deadline {deadline}",
                            name_of(portfolio, item),
                            if node.milestone { "happens" } else { "finishes" }
                        ),
                    )
                    .with_hint(format!(
                        "run `tranche explain` on `{}` to see what drives it; shorten or overlap that work, or move the deadline",
                        name_of(portfolio, item)
                    )),
                );
            }
        }
    }

    /// **Timings**: dates as users see them (inclusive finishes, actual dates where known),
    /// slippage and RAG, the programmes' spans and the critical path.
    fn finish(self) -> (Schedule, Trace, Vec<Diagnostic>) {
        let network = self.network;
        let n_nodes = self.nodes.len();
        let projects: Vec<Timing> = (0..network.n_projects).map(|n| self.timing(n)).collect();
        let milestones: Vec<Timing> = (network.n_projects..n_nodes)
            .map(|n| self.timing(n))
            .collect();
        let finished: Vec<bool> = self
            .nodes
            .iter()
            .map(|n| n.state == State::Finished)
            .collect();
        let programmes = programme_timings(
            self.portfolio,
            network,
            self.calendars,
            &projects,
            &milestones,
            &finished,
        );
        // The latest finish of any work; labels are not work of their own (see `plan_finish`).
        let finish = projects
            .iter()
            .chain(
                milestones
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| self.tied_project(network.n_projects + i).is_none())
                    .map(|(_, t)| t),
            )
            .map(|t| t.finish)
            .max()
            .unwrap_or(self.portfolio.start);
        let critical_path = critical_path(
            network,
            &self.nodes,
            &self.early_drivers,
            |n| self.finish_instant_of(n),
            &self.total_float,
            |n| self.tied_project(n).is_some(),
        );
        let milestones_at_day_start: Vec<bool> = self
            .nodes
            .get(network.n_projects..)
            .unwrap_or_default()
            .iter()
            .map(|n| n.milestone && n.sod)
            .collect();
        let trace = Trace {
            n_projects: network.n_projects,
            early_drivers: self.early_drivers,
            late_drivers: self.late_drivers,
            finished,
        };
        (
            Schedule {
                projects,
                milestones,
                programmes,
                finish,
                critical_path,
                milestones_at_day_start,
            },
            trace,
            self.diagnostics,
        )
    }

    /// Node `n`'s dates as users see them.
    fn timing(&self, n: usize) -> Timing {
        let portfolio = self.portfolio;
        let node = self.nodes[n];
        let c = self.cal(node.cal);
        let item = self.network.item(n);
        let finished = node.state == State::Finished;
        let (early_start, early_finish, late_start, late_finish) = if node.milestone {
            let e = node.finish_date(c);
            // The late instant on the same side of its day as the early one, so a milestone
            // with no float shows one date.
            let l = if node.sod {
                date_of(c, node.lf)
            } else {
                date_of(c, node.lf - 1)
            };
            (e, e, l, l)
        } else {
            let late_finish = if node.lf > node.ls || matches!(node.state, State::InProgress { .. })
            {
                // For work in progress, the date its float implies, even before its actual start.
                date_of(c, node.lf - 1)
            } else {
                date_of(c, node.ls)
            };
            (
                date_of(c, node.es),
                node.finish_date(c),
                date_of(c, node.ls),
                late_finish,
            )
        };
        let (mut start, mut finish) = (early_start, early_finish);
        if let ItemId::Project(p) = item {
            let progress = portfolio.projects[p.0 as usize].progress();
            if let Some(a) = progress.actual_start {
                start = a.date;
            }
            if let Some(a) = progress.actual_finish {
                finish = a.date;
            }
        }
        if let ItemId::Milestone(m) = item {
            if let Some(a) = portfolio.milestones[m.0 as usize].actual() {
                start = a.date;
                finish = a.date;
            }
        }
        let slip_days = baseline_finish(portfolio, item)
            .map(|b| i64::from(c.index_on_or_before(finish)) - i64::from(c.index_on_or_before(b)));
        let rag = slip_days.map(|s| rag_of(&portfolio.rag, s));
        Timing {
            start,
            finish,
            early_start,
            early_finish,
            late_start,
            late_finish,
            duration_days: u32::try_from((node.ef - node.es).max(0)).unwrap_or(u32::MAX),
            total_float_days: self.total_float[n],
            free_float_days: self.free_float[n],
            critical: !finished && self.total_float[n] <= 0,
            slip_days,
            rag,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Finished,
    InProgress { remaining: u32 },
    NotStarted,
}

/// One project or milestone during the passes; indices on its own calendar. Kept to one cache
/// line (small fields, 64-byte aligned): the passes read a predecessor or successor per link,
/// scattered over the whole network.
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
struct Node {
    /// Its calendar's `CalendarId`.
    cal: u32,
    /// Planned working days (0 for milestones).
    duration: u32,
    state: State,
    milestone: bool,
    /// A milestone at the start of day `es` rather than the end of day `es - 1`.
    sod: bool,
    /// A project with no progress and no `not-before`: the forward pass needs nothing more
    /// of it than this node.
    plain: bool,
    es: i64,
    ef: i64,
    /// Where the successor side of FS links meets this item: its start, or for work in
    /// progress the day its remaining work resumes.
    resume: i64,
    ls: i64,
    lf: i64,
}

/// What a project without progress reports.
const NO_PROGRESS: Progress = Progress {
    actual_start: None,
    actual_finish: None,
    complete: None,
};

// One cache line, as the passes want it.
const _: () = assert!(std::mem::size_of::<Node>() == 64);

impl Node {
    fn new(portfolio: &Portfolio, item: ItemId) -> Node {
        let (cal, duration, milestone, plain) = match item {
            ItemId::Project(p) => {
                let project = &portfolio.projects[p.0 as usize];
                let progress = project.progress();
                let plain = progress.actual_start.is_none()
                    && progress.actual_finish.is_none()
                    && project.not_before().is_none();
                (
                    project.calendar.0,
                    project.duration.likely_days,
                    false,
                    plain,
                )
            }
            ItemId::Milestone(m) => {
                let milestone = &portfolio.milestones[m.0 as usize];
                let cal = milestone
                    .project
                    .and_then(|p| portfolio.projects.get(p.0 as usize))
                    .map_or(portfolio.calendar, |p| p.calendar);
                (cal.0, 0, true, false)
            }
            ItemId::Programme(_) => unreachable!("graph::Network holds no programme nodes"),
        };
        Node {
            cal,
            duration,
            milestone,
            sod: false,
            plain,
            state: State::NotStarted,
            es: 0,
            ef: 0,
            resume: 0,
            ls: 0,
            lf: 0,
        }
    }

    /// Whether this item's start (or, `start_side` false, its finish) is the start of a day:
    /// a project's start is, its finish is the end of one; a milestone is its own instant.
    fn starts_day(&self, start_side: bool) -> bool {
        if self.milestone { self.sod } else { start_side }
    }

    /// This item's start as a boundary on calendar `to` (its own is `from`).
    fn start_on(&self, from: &WorkCalendar, to: &WorkCalendar) -> i64 {
        convert(from, to, self.es, self.starts_day(true))
    }

    /// This item's finish as a boundary on calendar `to`.
    fn finish_on(&self, from: &WorkCalendar, to: &WorkCalendar) -> i64 {
        convert(from, to, self.ef, self.starts_day(false))
    }

    /// The latest start (own calendar `own`) whose [`Node::start_on`] `succ` is at most `y`.
    fn latest_start(&self, own: &WorkCalendar, succ: &WorkCalendar, y: i64) -> i64 {
        convert_back(own, succ, y, self.starts_day(true))
    }

    /// The latest finish whose [`Node::finish_on`] `succ` is at most `y`.
    fn latest_finish(&self, own: &WorkCalendar, succ: &WorkCalendar, y: i64) -> i64 {
        convert_back(own, succ, y, self.starts_day(false))
    }

    /// The duration the late dates keep between start and finish: the remaining duration of
    /// work in progress, the whole of anything else.
    fn kept_duration(&self) -> i64 {
        match self.state {
            State::InProgress { remaining } => i64::from(remaining),
            _ => self.ef - self.es,
        }
    }

    /// The latest day its remaining work can resume (its late start when not started).
    fn late_resume(&self) -> i64 {
        match self.state {
            State::InProgress { remaining } => self.lf - i64::from(remaining),
            _ => self.ls,
        }
    }

    /// The latest its remaining work can resume without moving its early finish: for work in
    /// progress, the early finish less the remaining duration (another link may hold the
    /// finish later than where the work resumes); otherwise its early start.
    fn latest_early_resume(&self) -> i64 {
        match self.state {
            State::InProgress { remaining } => self.ef - i64::from(remaining),
            _ => self.resume,
        }
    }

    /// The last day of work (a milestone: the day at whose end it happens).
    fn finish_date(&self, c: &WorkCalendar) -> NaiveDate {
        if self.milestone && self.sod {
            date_of(c, self.ef)
        } else if self.milestone || self.ef > self.es {
            date_of(c, self.ef - 1)
        } else {
            date_of(c, self.es)
        }
    }
}

/// The largest of some lower bounds on a working-day index, and what set it. A link that
/// equals the current bound takes over, so driving chains run back as far as they can.
#[derive(Debug, Clone, Copy)]
struct Bound {
    value: Option<i64>,
    driver: Driver,
}

impl Bound {
    fn new(value: i64) -> Bound {
        Bound {
            value: Some(value),
            driver: Driver::PlanStart,
        }
    }

    fn none() -> Bound {
        Bound {
            value: None,
            driver: Driver::PlanStart,
        }
    }

    fn raise(&mut self, value: i64, driver: Driver) {
        if self.value.is_none_or(|v| value > v) {
            *self = Bound {
                value: Some(value),
                driver,
            };
        }
    }

    fn link(&mut self, value: i64, link: usize) {
        if self.value.is_none_or(|v| value >= v) {
            *self = Bound {
                value: Some(value),
                driver: Driver::Link(link),
            };
        }
    }
}

fn to_i32(index: i64) -> i32 {
    i32::try_from(index.clamp(i64::from(i32::MIN), i64::from(i32::MAX))).unwrap_or(0)
}

/// The date of working day `index`, clamped to the calendars' range.
pub(crate) fn date_of(c: &WorkCalendar, index: i64) -> NaiveDate {
    if index < 0 {
        return FIRST_DATE;
    }
    c.date(to_i32(index)).unwrap_or(LAST_DATE)
}

/// A boundary of `from` on calendar `to`: as the start of day `b` (`starts_day`) or as the end
/// of day `b - 1`. The same boundary on one calendar can be two instants on another.
fn convert(from: &WorkCalendar, to: &WorkCalendar, b: i64, starts_day: bool) -> i64 {
    if std::ptr::eq(from, to) {
        return b;
    }
    if starts_day {
        // The beginning of working day `b` of `from`: the first working day of `to` from then.
        i64::from(to.index_on_or_after(date_of(from, b)))
    } else {
        // The end of working day `b - 1` of `from`: the end of `to`'s last working day by then.
        i64::from(to.index_on_or_before(date_of(from, b - 1))) + 1
    }
}

/// [`convert`] backwards: the latest boundary `b` on `pred` with
/// `convert(pred, succ, b, starts_day) <= y`.
fn convert_back(pred: &WorkCalendar, succ: &WorkCalendar, y: i64, starts_day: bool) -> i64 {
    if std::ptr::eq(pred, succ) {
        return y;
    }
    if starts_day {
        i64::from(pred.index_on_or_before(date_of(succ, y)))
    } else {
        let day_before = date_of(succ, y)
            .checked_sub_days(Days::new(1))
            .unwrap_or(FIRST_DATE);
        i64::from(pred.index_on_or_before(day_before)) + 1
    }
}

fn deadline_with_span(
    portfolio: &Portfolio,
    item: ItemId,
) -> Option<(NaiveDate, crate::diagnostic::Span)> {
    let d = match item {
        ItemId::Project(p) => portfolio.projects.get(p.0 as usize)?.deadline,
        ItemId::Milestone(m) => portfolio.milestones.get(m.0 as usize)?.deadline,
        ItemId::Programme(_) => None,
    }?;
    Some((d.date, d.span))
}

pub(crate) fn deadline_of(portfolio: &Portfolio, item: ItemId) -> Option<NaiveDate> {
    deadline_with_span(portfolio, item).map(|(d, _)| d)
}

fn baseline_finish(portfolio: &Portfolio, item: ItemId) -> Option<NaiveDate> {
    match item {
        ItemId::Project(p) => portfolio
            .projects
            .get(p.0 as usize)?
            .baseline()
            .map(|b| b.finish),
        ItemId::Milestone(m) => portfolio
            .milestones
            .get(m.0 as usize)?
            .baseline()
            .map(|b| b.finish),
        ItemId::Programme(_) => None,
    }
}

fn item_span(portfolio: &Portfolio, item: ItemId) -> crate::diagnostic::Span {
    match item {
        ItemId::Project(p) => portfolio.projects.get(p.0 as usize).map(|p| p.span),
        ItemId::Milestone(m) => portfolio.milestones.get(m.0 as usize).map(|m| m.span),
        ItemId::Programme(g) => portfolio.programmes.get(g.0 as usize).map(|g| g.span),
    }
    .unwrap_or(portfolio.span)
}

/// Red at or beyond the red threshold, amber at or beyond amber, green below.
fn rag_of(thresholds: &crate::model::RagThresholds, slip: i64) -> Rag {
    if slip >= i64::from(thresholds.red_days) {
        Rag::Red
    } else if slip >= i64::from(thresholds.amber_days) {
        Rag::Amber
    } else {
        Rag::Green
    }
}

/// A programme spans its work: earliest start to latest finish, the least float of its work.
fn programme_timings(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
    projects: &[Timing],
    milestones: &[Timing],
    finished: &[bool],
) -> Vec<Timing> {
    let c = calendars.get(portfolio.calendar.0 as usize);
    (0..portfolio.programmes.len())
        .map(|g| {
            // Each piece of work's timing, and whether it is finished.
            let pieces: Vec<(&Timing, bool)> = network
                .programme_work
                .get(g)
                .into_iter()
                .flatten()
                .filter_map(|item| {
                    let node = network.node(*item)?;
                    let timing = match item {
                        ItemId::Project(p) => projects.get(p.0 as usize),
                        ItemId::Milestone(m) => milestones.get(m.0 as usize),
                        ItemId::Programme(_) => None,
                    }?;
                    Some((timing, finished.get(node).copied().unwrap_or(false)))
                })
                .collect();
            let work: Vec<&Timing> = pieces.iter().map(|(t, _)| *t).collect();
            let min = |f: fn(&Timing) -> NaiveDate| {
                work.iter().map(|t| f(t)).min().unwrap_or(portfolio.start)
            };
            let max = |f: fn(&Timing) -> NaiveDate| {
                work.iter().map(|t| f(t)).max().unwrap_or(portfolio.start)
            };
            let start = min(|t| t.start);
            let finish = max(|t| t.finish);
            let open: Vec<&Timing> = pieces
                .iter()
                .filter(|(_, done)| !done)
                .map(|(t, _)| *t)
                .collect();
            let total_float_days = open.iter().map(|t| t.total_float_days).min().unwrap_or(0);
            let free_float_days = open.iter().map(|t| t.free_float_days).min().unwrap_or(0);
            Timing {
                start,
                finish,
                early_start: min(|t| t.early_start),
                early_finish: max(|t| t.early_finish),
                late_start: min(|t| t.late_start),
                late_finish: max(|t| t.late_finish),
                // An empty programme has no duration (docs/scheduling.md "Programmes"), though
                // its start and finish are one day, which may be a working one.
                duration_days: c
                    .filter(|_| !work.is_empty())
                    .map(|c| u32::try_from(c.working_days_between(start, finish)).unwrap_or(0))
                    .unwrap_or(0),
                total_float_days,
                // Never negative, never more than a positive total float (as for its work).
                free_float_days: free_float_days.min(total_float_days.max(0)),
                critical: work.iter().any(|t| t.critical),
                slip_days: None,
                rag: None,
            }
        })
        .collect()
}

/// The chain of driving links back from the unfinished item that finishes last.
fn critical_path(
    network: &Network,
    nodes: &[Node],
    drivers: &[Driver],
    finish_instant: impl Fn(usize) -> (NaiveDate, bool),
    total_float: &[i64],
    is_label: impl Fn(usize) -> bool,
) -> Vec<ItemId> {
    // The last item: latest finish; among equals, a critical one, then one that is not a label
    // (a milestone tied to its project ends the path only when nothing else finishes then),
    // then the one latest in the network's order (the end of a chain of equal finishes, so the
    // path is the longest).
    let mut position = vec![0usize; nodes.len()];
    for (i, &n) in network.order.iter().enumerate() {
        position[n as usize] = i;
    }
    let last = (0..nodes.len())
        .filter(|&n| nodes[n].state != State::Finished)
        .max_by_key(|&n| {
            (
                finish_instant(n),
                total_float[n] <= 0,
                !is_label(n),
                position[n],
            )
        });
    let mut path = Vec::new();
    let mut at = last;
    while let Some(n) = at {
        path.push(network.item(n));
        if path.len() > nodes.len() {
            panic!("schedule: driving links form a cycle, which graph::build rules out");
        }
        at = match drivers.get(n) {
            Some(Driver::Link(l)) => network
                .links
                .get(*l)
                .and_then(|link: &Link| network.node(link.predecessor))
                .filter(|&p| nodes[p].state != State::Finished),
            _ => None,
        };
    }
    path.reverse();
    path
}

#[cfg(test)]
mod regressions;
#[cfg(test)]
mod tests;
