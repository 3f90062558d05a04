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
use crate::model::{ItemId, LinkKind, MilestoneTiming, Portfolio, Progress};

mod explain;

pub use explain::{Explanation, FloatLimit, Origin, Step, explain, explain_traced};

/// RAG status from slippage against baseline (thresholds in the portfolio's `rag` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
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
}

/// What `compute` learnt on the way that the [`Schedule`] does not hold: for each project and
/// milestone, what set its early and late dates (for `explain`), whether it is finished, and
/// whether a milestone happens as its day begins. Kept apart so that `Schedule` and `Timing`
/// stay the plain values later stages build by hand.
#[derive(Debug, Clone)]
pub struct Trace {
    n_projects: usize,
    pub(crate) early_drivers: Vec<Driver>,
    pub(crate) late_drivers: Vec<LateDriver>,
    finished: Vec<bool>,
    at_day_start: Vec<bool>,
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

    /// A milestone that happens as its day begins (at the plan's start, the status date, or
    /// the start of work it is linked to without a lag) rather than at the end of its day.
    /// Its date is then that day; the same point in working time as the end of the day before.
    pub fn at_day_start(&self, item: ItemId) -> bool {
        self.node(item)
            .and_then(|n| self.at_day_start.get(n).copied())
            .unwrap_or(false)
    }
}

impl Schedule {
    /// The timing of any item.
    pub fn timing(&self, item: ItemId) -> Option<&Timing> {
        match item {
            ItemId::Project(p) => self.projects.get(p.0 as usize),
            ItemId::Milestone(m) => self.milestones.get(m.0 as usize),
            ItemId::Programme(g) => self.programmes.get(g.0 as usize),
        }
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
pub fn compute_traced(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
) -> (Schedule, Trace, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let n_nodes = network.n_nodes();
    let cal = |id: u32| -> &WorkCalendar {
        calendars.get(id as usize).unwrap_or_else(|| {
            panic!("schedule::compute: calendar {id} missing; pass calendar::build_all's result")
        })
    };
    let mut nodes: Vec<Node> = (0..n_nodes)
        .map(|n| Node::new(portfolio, network.item(n)))
        .collect();
    let mut early_drivers = vec![Driver::PlanStart; n_nodes];
    let mut late_drivers = vec![LateDriver::PlanFinish; n_nodes];
    let status = portfolio.status_date;

    // Forward pass.
    for &n in &network.order {
        let n = n as usize;
        let node = nodes[n];
        let c = cal(node.cal);
        let item = network.item(n);
        let driver;
        let (es, ef, resume, state) = match item {
            ItemId::Project(p) => {
                // Most projects have no progress and no `not-before` (their node says so):
                // their `Project`, a scattered read in this order, is then left alone.
                let project = (!node.plain).then(|| &portfolio.projects[p.0 as usize]);
                let d = i64::from(node.duration);
                let progress = project.map_or(&NO_PROGRESS, |p| p.progress());
                if let Some(af) = progress.actual_finish {
                    driver = Driver::Actual;
                    let ef = i64::from(c.index_on_or_before(af.date)) + 1;
                    let es = match progress.actual_start {
                        Some(a) => i64::from(c.index_on_or_after(a.date)),
                        None => ef - d,
                    };
                    (es.min(ef), ef, es.min(ef), State::Finished)
                } else {
                    let mut start = Bound::new(i64::from(c.index_on_or_after(portfolio.start)));
                    if let Some(nb) = project.and_then(|p| p.not_before()) {
                        start.raise(i64::from(c.index_on_or_after(nb.date)), Driver::NotBefore);
                    }
                    let status_index = status.map(|s| i64::from(c.index_on_or_after(s)));
                    if let Some(s) = status_index {
                        start.raise(s, Driver::StatusDate);
                    }
                    let mut finish = Bound::none();
                    // In progress: the start is a fact; what remains waits for the status date
                    // and for unfinished FS predecessors (retained logic).
                    let started = progress.actual_start;
                    let mut resume = Bound::none();
                    if started.is_some() {
                        if let Some(s) = status_index {
                            resume.raise(s, Driver::StatusDate);
                        }
                    }
                    for edge in network.edges_into(n) {
                        let l = edge.link as usize;
                        let pred = nodes[edge.node as usize];
                        let pc = cal(pred.cal);
                        let lag = i64::from(edge.lag_days);
                        match edge.kind {
                            LinkKind::FinishToStart => {
                                let v = pred.finish_on(pc, c) + lag;
                                if started.is_some() {
                                    if pred.state != State::Finished {
                                        resume.link(v, l);
                                    }
                                } else {
                                    start.link(v, l);
                                }
                            }
                            LinkKind::StartToStart => {
                                if started.is_none() {
                                    start.link(pred.start_on(pc, c) + lag, l);
                                }
                            }
                            LinkKind::FinishToFinish => {
                                finish.link(pred.finish_on(pc, c) + lag, l);
                            }
                            LinkKind::StartToFinish => {
                                finish.link(pred.start_on(pc, c) + lag, l);
                            }
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
                            end.driver = resume.driver;
                            if resume.value.is_none() {
                                end.driver = Driver::Actual;
                            }
                            if let Some(v) = finish.value {
                                if v >= end.value.unwrap_or(i64::MIN) {
                                    end = finish;
                                }
                            }
                            driver = end.driver;
                            let ef = end.value.unwrap_or(es + remaining);
                            // At most the duration, a u32.
                            let remaining = u32::try_from(remaining).unwrap_or(u32::MAX);
                            (es, ef, resume_at, State::InProgress { remaining })
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
                            driver = start.driver;
                            let es = start.value.unwrap_or(0);
                            (es, es + d, es, State::NotStarted)
                        }
                    }
                }
            }
            ItemId::Milestone(m) => {
                let milestone = &portfolio.milestones[m.0 as usize];
                let mut state = State::NotStarted;
                // The milestone's instant: a boundary and whether it is the start of day `b`
                // (true) or the end of day `b - 1` (false). Both are the same point in working
                // time; the flag only decides the date shown, as in Primavera P6.
                let mut at: Option<(i64, bool, Driver)> = None;
                let mut offer = |v: i64, sod: bool, d: Driver| {
                    // The later instant wins; a link wins a tie, so driving chains run back
                    // as far as they can.
                    let better = at.is_none_or(|(bv, bs, _)| {
                        (v, sod) > (bv, bs)
                            || ((v, sod) == (bv, bs) && matches!(d, Driver::Link(_)))
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
                        if let Some(s) = status {
                            offer(i64::from(c.index_on_or_after(s)), true, Driver::StatusDate);
                        }
                    }
                    for edge in network.edges_into(n) {
                        let l = edge.link as usize;
                        let pred = nodes[edge.node as usize];
                        let pc = cal(pred.cal);
                        let lag = i64::from(edge.lag_days);
                        // A project's start is the start of a day, its finish the end of one;
                        // a milestone is its own instant.
                        let (v, sod) = match edge.kind {
                            LinkKind::FinishToStart | LinkKind::FinishToFinish => {
                                (pred.finish_on(pc, c), pred.milestone && pred.sod)
                            }
                            LinkKind::StartToStart | LinkKind::StartToFinish => {
                                (pred.start_on(pc, c), !pred.milestone || pred.sod)
                            }
                        };
                        // Adding a lag lands at the end of a working day.
                        offer(v + lag, sod && lag == 0, Driver::Link(l));
                        if tied {
                            // A milestone tied to finished (or, at start, started) work has
                            // happened with it.
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
                let (b, sod, d) = at.unwrap_or((0, false, Driver::PlanStart));
                driver = d;
                nodes[n].sod = sod;
                (b, b, b, state)
            }
            ItemId::Programme(_) => unreachable!("graph::Network holds no programme nodes"),
        };
        nodes[n].es = es;
        nodes[n].ef = ef;
        nodes[n].resume = resume;
        nodes[n].state = state;
        early_drivers[n] = driver;
    }

    // The plan's finish: the latest finish of any work, as a date.
    // An instant: the date, and whether at the end of that day (true) or its start (a
    // milestone at the start of a day); the end of a day is the later.
    let finish_instant = (0..n_nodes)
        .map(|n| {
            let node = &nodes[n];
            (
                node.finish_date(cal(node.cal)),
                !(node.milestone && node.sod),
            )
        })
        .max()
        .unwrap_or((portfolio.start, false));
    // The plan's finish as a boundary on calendar `c`.
    let plan_end = |c: &WorkCalendar| -> i64 {
        let (date, end_of_day) = finish_instant;
        if end_of_day {
            i64::from(c.index_on_or_before(date)) + 1
        } else {
            i64::from(c.index_on_or_after(date))
        }
    };
    if let Some(n) = (0..n_nodes).find(|&n| {
        cal(nodes[n].cal)
            .date(to_i32(nodes[n].ef.max(1) - 1))
            .is_none()
    }) {
        let item = network.item(n);
        diagnostics.push(
            Diagnostic::new(
                Code::E071BeyondCalendar,
                item_span(portfolio, item),
                format!("`{}` would finish after {LAST_DATE}, the last date tranche can schedule", name_of(portfolio, item)),
            )
            .with_hint("check the durations and lags for a typing mistake (days for weeks, or an extra digit)"),
        );
    }

    // Backward pass. Deadlines are gathered in node order first: read in the pass's order,
    // each would be a cache miss into its project or milestone.
    let deadlines: Vec<Option<NaiveDate>> = (0..n_nodes)
        .map(|n| deadline_of(portfolio, network.item(n)))
        .collect();
    for &n in network.order.iter().rev() {
        let n = n as usize;
        let node = nodes[n];
        if node.state == State::Finished {
            nodes[n].ls = node.es;
            nodes[n].lf = node.ef;
            late_drivers[n] = LateDriver::Finished;
            continue;
        }
        let c = cal(node.cal);
        let mut lf = plan_end(c);
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
            let l = edge.link as usize;
            let succ = nodes[edge.node as usize];
            if succ.state == State::Finished {
                continue;
            }
            let sc = cal(succ.cal);
            let lag = i64::from(edge.lag_days);
            let succ_started = matches!(succ.state, State::InProgress { .. });
            let bound = match edge.kind {
                // Work in progress waits for its FS predecessors to resume (retained logic).
                LinkKind::FinishToStart => {
                    Some(node.latest_finish(c, sc, succ.late_resume() - lag))
                }
                LinkKind::StartToStart => (!succ_started && !started).then(|| {
                    node.latest_start(c, sc, succ.ls - lag)
                        + node.duration_of_milestone_or_project()
                }),
                LinkKind::FinishToFinish => Some(node.latest_finish(c, sc, succ.lf - lag)),
                LinkKind::StartToFinish => (!started).then(|| {
                    node.latest_start(c, sc, succ.lf - lag)
                        + node.duration_of_milestone_or_project()
                }),
            };
            if let Some(v) = bound {
                if v < lf || (v == lf && driver == LateDriver::PlanFinish) {
                    lf = v;
                    driver = LateDriver::Link(l);
                }
            }
        }
        nodes[n].lf = lf;
        nodes[n].ls = match node.state {
            State::InProgress { .. } => node.es,
            _ => lf - node.duration_of_milestone_or_project(),
        };
        late_drivers[n] = driver;
    }
    // A milestone at the start or finish of its project cannot move without it.
    for n in 0..n_nodes {
        if nodes[n].state == State::Finished {
            continue;
        }
        if let ItemId::Milestone(m) = network.item(n) {
            let milestone = &portfolio.milestones[m.0 as usize];
            let Some(pn) = milestone
                .project
                .and_then(|p| network.node(ItemId::Project(p)))
            else {
                continue;
            };
            let tied = match milestone.timing {
                MilestoneTiming::AtStart => Some(nodes[pn].ls),
                MilestoneTiming::AtFinish => Some(nodes[pn].lf),
                _ => None,
            };
            if let Some(v) = tied {
                if v < nodes[n].lf {
                    nodes[n].lf = v;
                    nodes[n].ls = v;
                    late_drivers[n] = LateDriver::Project;
                }
            }
        }
    }

    // Float.
    let mut total_float = vec![0i64; n_nodes];
    let mut free_float = vec![0i64; n_nodes];
    for n in 0..n_nodes {
        let node = nodes[n];
        if node.state == State::Finished {
            continue;
        }
        let c = cal(node.cal);
        let tf = node.lf - node.ef;
        let started = matches!(node.state, State::InProgress { .. });
        let mut ff: Option<i64> = None;
        for edge in network.edges_out(n) {
            let succ = nodes[edge.node as usize];
            if succ.state == State::Finished {
                continue;
            }
            let sc = cal(succ.cal);
            let lag = i64::from(edge.lag_days);
            let succ_started = matches!(succ.state, State::InProgress { .. });
            // How far this item's own dates can move, on its own calendar, before the
            // successor's early dates would have to move.
            let slack = match edge.kind {
                LinkKind::FinishToStart => {
                    Some(node.latest_finish(c, sc, succ.resume - lag) - node.ef)
                }
                LinkKind::StartToStart => (!started && !succ_started)
                    .then(|| node.latest_start(c, sc, succ.es - lag) - node.es),
                LinkKind::FinishToFinish => {
                    Some(node.latest_finish(c, sc, succ.ef - lag) - node.ef)
                }
                LinkKind::StartToFinish => {
                    (!started).then(|| node.latest_start(c, sc, succ.ef - lag) - node.es)
                }
            };
            if let Some(s) = slack {
                ff = Some(ff.map_or(s, |f| f.min(s)));
            }
        }
        let ff = ff.unwrap_or(plan_end(c) - node.ef).max(0);
        total_float[n] = tf;
        // Free float is never negative (as in P6) and never more than total float when that
        // is positive.
        free_float[n] = ff.min(tf.max(0));
    }

    // Timings.
    let timing_of = |n: usize| -> Timing {
        let node = nodes[n];
        let c = cal(node.cal);
        let item = network.item(n);
        let finished = node.state == State::Finished;
        let (early_start, early_finish, late_start, late_finish) = if node.milestone {
            let e = node.finish_date(c);
            let l = date_of(c, node.lf - 1);
            (e, e, l, l)
        } else {
            (
                date_of(c, node.es),
                node.finish_date(c),
                date_of(c, node.ls),
                if node.lf > node.ls {
                    date_of(c, node.lf - 1)
                } else {
                    date_of(c, node.ls)
                },
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
            total_float_days: total_float[n],
            free_float_days: free_float[n],
            critical: !finished && total_float[n] <= 0,
            slip_days,
            rag,
        }
    };
    let projects: Vec<Timing> = (0..network.n_projects).map(timing_of).collect();
    let milestones: Vec<Timing> = (network.n_projects..n_nodes).map(timing_of).collect();

    // Missed deadlines.
    for (n, node) in nodes.iter().enumerate() {
        let item = network.item(n);
        let Some((deadline, span)) = deadline_with_span(portfolio, item) else {
            continue;
        };
        let c = cal(node.cal);
        let bound = i64::from(c.index_on_or_before(deadline)) + 1;
        if node.ef > bound {
            let late = node.ef - bound;
            let finish = node.finish_date(c);
            let plural = if late == 1 { "" } else { "s" };
            diagnostics.push(
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

    let finished: Vec<bool> = nodes.iter().map(|n| n.state == State::Finished).collect();
    let programmes = programme_timings(
        portfolio,
        network,
        calendars,
        &projects,
        &milestones,
        &finished,
    );
    let finish = projects
        .iter()
        .chain(&milestones)
        .map(|t| t.finish)
        .max()
        .unwrap_or(portfolio.start);
    let critical_path = critical_path(
        network,
        &nodes,
        &early_drivers,
        |n| {
            let node = &nodes[n];
            (
                node.finish_date(cal(node.cal)),
                !(node.milestone && node.sod),
            )
        },
        &total_float,
    );

    let trace = Trace {
        n_projects: network.n_projects,
        early_drivers,
        late_drivers,
        at_day_start: nodes.iter().map(|n| n.milestone && n.sod).collect(),
        finished,
    };
    (
        Schedule {
            projects,
            milestones,
            programmes,
            finish,
            critical_path,
        },
        trace,
        diagnostics,
    )
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
        if self.starts_day(true) {
            back_start(own, succ, y)
        } else {
            back_finish(own, succ, y)
        }
    }

    /// The latest finish whose [`Node::finish_on`] `succ` is at most `y`.
    fn latest_finish(&self, own: &WorkCalendar, succ: &WorkCalendar, y: i64) -> i64 {
        if self.starts_day(false) {
            back_start(own, succ, y)
        } else {
            back_finish(own, succ, y)
        }
    }

    /// The duration the late dates keep between start and finish.
    fn duration_of_milestone_or_project(&self) -> i64 {
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
    if starts_day {
        start_to(from, to, b)
    } else {
        finish_to(from, to, b)
    }
}

/// A start boundary (the beginning of working day `b` of `from`) on calendar `to`.
fn start_to(from: &WorkCalendar, to: &WorkCalendar, b: i64) -> i64 {
    if std::ptr::eq(from, to) {
        return b;
    }
    i64::from(to.index_on_or_after(date_of(from, b)))
}

/// A finish boundary (the end of working day `b - 1` of `from`) on calendar `to`.
fn finish_to(from: &WorkCalendar, to: &WorkCalendar, b: i64) -> i64 {
    if std::ptr::eq(from, to) {
        return b;
    }
    i64::from(to.index_on_or_before(date_of(from, b - 1))) + 1
}

/// The latest start boundary `b` on `pred` with `start_to(pred, succ, b) <= y`.
fn back_start(pred: &WorkCalendar, succ: &WorkCalendar, y: i64) -> i64 {
    if std::ptr::eq(pred, succ) {
        return y;
    }
    i64::from(pred.index_on_or_before(date_of(succ, y)))
}

/// The latest finish boundary `b` on `pred` with `finish_to(pred, succ, b) <= y`.
fn back_finish(pred: &WorkCalendar, succ: &WorkCalendar, y: i64) -> i64 {
    if std::ptr::eq(pred, succ) {
        return y;
    }
    let day_before = date_of(succ, y)
        .checked_sub_days(Days::new(1))
        .unwrap_or(FIRST_DATE);
    i64::from(pred.index_on_or_before(day_before)) + 1
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
                duration_days: c
                    .map(|c| u32::try_from(c.working_days_between(start, finish)).unwrap_or(0))
                    .unwrap_or(0),
                total_float_days,
                free_float_days: free_float_days.min(total_float_days),
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
) -> Vec<ItemId> {
    // The last item: latest finish; among equals, a critical one, then the one latest in the
    // network's order (the end of a chain of equal finishes, so the path is the longest).
    let mut position = vec![0usize; nodes.len()];
    for (i, &n) in network.order.iter().enumerate() {
        position[n as usize] = i;
    }
    let last = (0..nodes.len())
        .filter(|&n| nodes[n].state != State::Finished)
        .max_by_key(|&n| (finish_instant(n), total_float[n] <= 0, position[n]));
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
mod tests {
    use super::*;
    use crate::calendar::build_all;
    use crate::model::{CalendarDef, CalendarId};

    fn calendars() -> Vec<WorkCalendar> {
        let def = |id: &str, bank_holidays: bool| CalendarDef {
            id: id.to_string(),
            based_on: None,
            weekend: None,
            closed: Vec::new(),
            bank_holidays,
            span: crate::diagnostic::Span::default(),
        };
        build_all(&[def("england-and-wales", true), def("weekdays", false)])
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn conversions_between_calendars_go_through_dates() {
        let cals = calendars();
        let (ew, wd) = (&cals[CalendarId::ENGLAND_AND_WALES.0 as usize], &cals[1]);
        // Work on the weekdays calendar finishing on Christmas Day 2020 (a Friday) is followed
        // on england-and-wales by Tue Dec 29 (Mon 28 is the Boxing Day substitute).
        let christmas = i64::from(wd.index_on_or_after(day("2020-12-25")));
        let after = finish_to(wd, ew, christmas + 1);
        assert_eq!(date_of(ew, after), day("2020-12-29"));
        // Back again: the latest weekdays finish that still lets work start Dec 29 is the end
        // of Mon Dec 28.
        assert_eq!(
            date_of(wd, back_finish(wd, ew, after) - 1),
            day("2020-12-28")
        );
        // A start on Christmas Day on weekdays is the start of Dec 29 on england-and-wales.
        assert_eq!(date_of(ew, start_to(wd, ew, christmas)), day("2020-12-29"));
        assert_eq!(
            date_of(wd, back_start(wd, ew, start_to(wd, ew, christmas))),
            day("2020-12-29")
        );
        // The same calendar converts to itself.
        assert_eq!(finish_to(ew, ew, 42), 42);
        assert_eq!(back_start(ew, ew, 42), 42);
    }

    #[test]
    fn a_link_wins_a_tie_with_a_floor_so_chains_run_back() {
        let mut bound = Bound::new(10);
        bound.raise(10, Driver::StatusDate);
        assert_eq!(bound.driver, Driver::PlanStart);
        bound.link(10, 3);
        assert_eq!(bound.driver, Driver::Link(3));
        bound.raise(11, Driver::NotBefore);
        assert_eq!((bound.value, bound.driver), (Some(11), Driver::NotBefore));
    }

    #[test]
    fn rag_thresholds_are_inclusive() {
        let mut thresholds = crate::model::RagThresholds {
            amber_days: 10,
            red_days: 30,
        };
        assert_eq!(rag_of(&thresholds, 9), Rag::Green);
        assert_eq!(rag_of(&thresholds, 10), Rag::Amber);
        assert_eq!(rag_of(&thresholds, 30), Rag::Red);
        assert_eq!(rag_of(&thresholds, -5), Rag::Green);
        thresholds.red_days = 10;
        assert_eq!(rag_of(&thresholds, 10), Rag::Red);
    }
}
