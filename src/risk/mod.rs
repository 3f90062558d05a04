//! Schedule and savings risk: a Monte Carlo simulation over the plan's three-point estimates.
//!
//! Input: a validated [`Portfolio`], its [`Network`] and calendars (as `analysis::analyse`
//! builds them), and [`Options`] (iterations, seed, distribution). Output: a [`RiskSummary`],
//! a plain serde value that the table, Markdown and JSON renderers (and the HTML report) show.
//!
//! Each iteration samples every uncertain duration (`duration D range LOW to HIGH`) and every
//! uncertain saving (`saving … range LOW to HIGH`) from a Beta-PERT (or triangular)
//! distribution with the stated value as its mode, schedules the plan with the full critical
//! path method (`schedule::compute`: link kinds, calendars, progress) and profiles its money
//! (`finance::profile_portfolio`: the portfolio's money only). Finished work is not sampled: its dates are facts.
//!
//! Invariant: the same plan, options and seed give the same summary, to the byte, whatever
//! the number of threads. Iterations are cut into chunks of [`CHUNK`]; chunk `k` draws from
//! its own Xoshiro256++ generator seeded from `(seed, k)` alone, chunks run in parallel
//! (rayon) and their samples are combined in chunk order before any floating-point sum.

use chrono::{Datelike, NaiveDate};
use rand::SeedableRng;
use rand_distr::{Distribution as _, Pert, Triangular};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::finance::{self, year_label};
use crate::graph::Network;
use crate::model::{Cost, ItemId, Portfolio, RaidKind};
use crate::money::Money;
use crate::schedule;

mod compare;
mod events;
mod stats;

pub use compare::{
    COMPARISON_JSON_VERSION, Comparison, MitigationEffect, TargetChange, compare_mitigations,
    mitigated_risks,
};

/// Iterations in one chunk: the unit of seeding and of parallel work. Changing it changes the
/// samples drawn for a seed, so it is part of the output's definition (docs/risk.md).
pub const CHUNK: u32 = 128;

/// Iterations when not told otherwise.
pub const DEFAULT_ITERATIONS: u32 = 10_000;

/// The seed when not told otherwise, so that two runs of the same plan agree.
pub const DEFAULT_SEED: u64 = 1;

/// The version of the JSON shape of [`RiskSummary`] (docs/risk.md).
pub const RISK_JSON_VERSION: u32 = 1;

/// The distribution three-point estimates are sampled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// Beta-PERT (shape 4): mean (low + 4 likely + high) / 6. The default.
    Pert,
    /// Triangular: mean (low + likely + high) / 3; heavier tails than PERT.
    Triangular,
}

/// How to run the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// At least 1.
    pub iterations: u32,
    pub seed: u64,
    pub distribution: Distribution,
    /// Which of the RAID log's events are drawn, and with which mitigations.
    pub register: Register,
    /// Level every iteration's schedule to the teams' capacity (`risk --level`), so the
    /// percentiles are those of the levelled plan.
    pub level: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            iterations: DEFAULT_ITERATIONS,
            seed: DEFAULT_SEED,
            distribution: Distribution::Pert,
            register: Register::Mitigated,
            level: false,
        }
    }
}

/// How the RAID log enters a run (docs/risk.md, "Risk events").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    /// Every open risk and issue, each risk with its mitigation in place: the plan as written.
    Mitigated,
    /// As `Mitigated`, but the risk at this index of `Portfolio::raid` without its mitigation
    /// (its own probability, and the mitigation not paid for).
    WithoutMitigation(usize),
    /// No events: the ranges alone, as before the register.
    Off,
}

/// What the simulation found. Every probability is a share of iterations (0 to 1); every
/// percentile is a nearest-rank percentile of the sampled values (docs/risk.md); `planned` is
/// the plan's own critical-path figure with every estimate at its likely value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskSummary {
    /// Always `tranche-risk`, so a reader can tell this JSON from the schedule's.
    pub schema: &'static str,
    pub version: u32,
    pub title: String,
    pub iterations: u32,
    pub seed: u64,
    pub distribution: Distribution,
    /// Projects whose duration is sampled (unfinished, with a range wider than a day).
    pub uncertain_durations: usize,
    /// Savings lines whose yearly amount is sampled.
    pub uncertain_savings: usize,
    /// Capital costs whose amount is sampled (`cost capital X range LOW to HIGH`).
    pub uncertain_costs: usize,
    /// The portfolio's finish (the latest finish of any work).
    pub finish: DateRisk,
    /// The share of iterations finishing on or before the planned finish (`finish.planned`).
    pub finish_by_planned: f64,
    /// The last day of the plan window (`end`), and the share finishing on or before it.
    pub end: NaiveDate,
    pub finish_by_end: f64,
    /// The finish S-curve: each sampled finish date and the share of iterations finishing on
    /// or before it, in date order.
    pub finish_curve: Vec<CurvePoint>,
    /// Every milestone, in the plan's order.
    pub milestones: Vec<MilestoneRisk>,
    /// Every project and milestone with a deadline, projects first, each in the plan's order.
    pub deadlines: Vec<DeadlineRisk>,
    /// Every savings target, in the plan's order.
    pub targets: Vec<TargetRisk>,
    /// The portfolio's cashable net present value.
    pub npv: MoneyRisk,
    /// The portfolio's capital and revenue costs over the plan, as declared (before optimism
    /// bias), with sampled cost ranges, risk impacts and mitigations' costs.
    pub cost: MoneyRisk,
    /// The RAID log's risks and issues drawn in this run, in the plan's order (empty, and left
    /// out of the JSON, when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventRisk>,
    /// Every project, in the plan's order.
    pub projects: Vec<ProjectRisk>,
    /// Projects and risk events with a cruciality, largest first (by size, then id): the bars
    /// of a tornado chart, ranges and events ranked together.
    pub tornado: Vec<TornadoBar>,
}

/// A risk or issue of the RAID log, as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRisk {
    /// `risk` or `issue`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// The chance it was drawn with (0 to 1): mitigated where a mitigation is in place.
    pub probability: f64,
    /// The share of iterations in which it occurred.
    pub occurred: f64,
    /// What its mitigation cost in every iteration (zero without one in place).
    pub mitigation_cost: Money,
}

/// Percentiles of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateRisk {
    pub planned: NaiveDate,
    pub p10: NaiveDate,
    pub p50: NaiveDate,
    pub p80: NaiveDate,
    pub p90: NaiveDate,
}

impl DateRisk {
    /// Planned, P10, P50, P80 and P90: the order every table of the spread shows.
    pub fn in_order(&self) -> [NaiveDate; 5] {
        [self.planned, self.p10, self.p50, self.p80, self.p90]
    }
}

/// Percentiles of an amount of money, and its mean (rounded to the penny, half away from zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MoneyRisk {
    pub planned: Money,
    pub p10: Money,
    pub p50: Money,
    pub p80: Money,
    pub p90: Money,
    pub mean: Money,
}

impl MoneyRisk {
    /// Planned, P10, P50, P80, P90 and mean: the order every table of the spread shows.
    pub fn in_order(&self) -> [Money; 6] {
        [
            self.planned,
            self.p10,
            self.p50,
            self.p80,
            self.p90,
            self.mean,
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    pub date: NaiveDate,
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneRisk {
    pub id: String,
    pub title: String,
    pub date: DateRisk,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadlineRisk {
    /// `project` or `milestone`.
    pub kind: &'static str,
    pub id: String,
    pub deadline: NaiveDate,
    pub finish: DateRisk,
    /// The share of iterations in which it finishes on or before its deadline.
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRisk {
    /// The financial year, as reports label it (`2022/23`).
    pub year: String,
    pub amount: Money,
    /// The portfolio's cashable savings in that year.
    pub savings: MoneyRisk,
    /// The share of iterations in which the savings reach the target.
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectRisk {
    pub id: String,
    pub title: String,
    /// Present when its duration is sampled.
    pub duration: Option<DurationRisk>,
    /// The share of iterations in which it is critical (total float of zero or less).
    pub criticality: f64,
    /// Spearman's rank correlation of its sampled duration with the portfolio's finish;
    /// `None` when either does not vary.
    pub cruciality: Option<f64>,
}

/// A sampled duration, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DurationRisk {
    pub low_days: u32,
    pub likely_days: u32,
    pub high_days: u32,
    /// Mean and standard deviation of the whole working days used.
    pub mean_days: f64,
    pub sd_days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoBar {
    /// `duration` (a project's range), `risk` or `issue` (an event of the RAID log).
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// Spearman's rank correlation with the finish: of the sampled duration, or of the event's
    /// size (0 when it does not occur, 1 plus the working days it adds when it does).
    pub cruciality: f64,
    /// For a duration, the share of iterations in which the project is critical; for an
    /// event, the share in which it occurred.
    pub criticality: f64,
}

/// Runs the simulation. `calendars` must be `calendar::build_all(&portfolio.calendars)` and
/// `network` `graph::build(portfolio)`'s (a bug in the caller otherwise, and `schedule` panics).
/// `progress` is told how many iterations each finished chunk ran, from any thread.
pub fn simulate(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
    options: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> RiskSummary {
    let iterations = options.iterations.max(1);
    let plan = Uncertainty::of(portfolio, options.distribution);
    let watched = Watched::of(portfolio, options.level);
    let planned = run_once(portfolio, network, calendars, &watched);
    let (events, prepared) =
        events::Events::prepare(portfolio, options.distribution, options.register);
    let draws = Draws {
        plan: &plan,
        events: &events,
        watched: &watched,
    };

    let n_chunks = iterations.div_ceil(CHUNK);
    let chunks: Vec<Samples> = (0..n_chunks)
        .into_par_iter()
        .map_init(
            || prepared.clone(),
            |scratch, k| {
                let n = CHUNK.min(iterations - k * CHUNK);
                let samples = run_chunk(scratch, network, calendars, &draws, (options.seed, k), n);
                progress(u64::from(n));
                samples
            },
        )
        .collect();
    let mut all = Samples::new(0);
    for chunk in chunks {
        all.append(chunk);
    }
    summarise(portfolio, options, iterations, &draws, &planned, &all)
}

/// What each iteration draws: the plan's ranges, its risk events, and what is recorded.
struct Draws<'a> {
    plan: &'a Uncertainty,
    events: &'a events::Events,
    watched: &'a Watched,
}

/// The generator of chunk `k`: Xoshiro256++ seeded (through SplitMix64, as `seed_from_u64`
/// does) from a mix of the user's seed and the chunk index, so that chunks are independent of
/// each other and of the order they run in.
fn chunk_rng(seed: u64, chunk: u32) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(splitmix64(seed) ^ u64::from(chunk)))
}

/// The generator of chunk `k`'s risk events: a stream of its own (the seed mixed once more),
/// so events never shift the draws of the ranges, and runs that differ only in the register
/// share every random number (events.rs).
fn event_rng(seed: u64, chunk: u32) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(splitmix64(splitmix64(seed)) ^ u64::from(chunk)))
}

/// SplitMix64's output function (Steele, Lea and Flood 2014): a bijection that spreads nearby
/// inputs far apart.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A three-point estimate ready to sample.
#[derive(Debug, Clone, Copy)]
enum Sampler {
    Pert(Pert<f64>),
    Triangular(Triangular<f64>),
}

impl Sampler {
    /// `None` when the range is a single value (nothing to sample) or not a range at all.
    fn new(distribution: Distribution, low: f64, likely: f64, high: f64) -> Option<Sampler> {
        if !(low < high && low <= likely && likely <= high) {
            return None;
        }
        match distribution {
            Distribution::Pert => Pert::new(low, high)
                .with_mode(likely)
                .ok()
                .map(Sampler::Pert),
            Distribution::Triangular => Triangular::new(low, high, likely)
                .ok()
                .map(Sampler::Triangular),
        }
    }

    fn sample(&self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        match self {
            Sampler::Pert(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
        }
    }
}

/// Everything the simulation samples from the plan's ranges, in a fixed order: durations,
/// then savings lines, then capital costs (drawn after the others, so a plan without cost
/// ranges draws exactly what it drew before they existed).
#[derive(Debug)]
struct Uncertainty {
    /// Each project whose duration varies, and its range of working days.
    durations: Vec<(usize, Range)>,
    savings: Vec<(MoneyLine, Range)>,
    costs: Vec<(MoneyLine, Range)>,
}

/// A range of whole working days or pence to draw from (pence are exact in an f64 up to 2^53,
/// £90 trillion, far above `MAX_AMOUNT`).
#[derive(Debug)]
struct Range {
    low: f64,
    high: f64,
    /// `None` when the range is a single value: nothing to draw.
    sampler: Option<Sampler>,
}

impl Range {
    fn new(distribution: Distribution, low: f64, likely: f64, high: f64) -> Range {
        Range {
            low,
            high,
            sampler: Sampler::new(distribution, low, likely, high),
        }
    }

    /// A draw rounded to a whole day or penny (to the nearest, so the mean stays the
    /// distribution's), inside the range; the single value when there is nothing to draw
    /// (and then no number is taken from `rng`).
    fn draw(&self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        match &self.sampler {
            Some(s) => s.sample(rng).round().clamp(self.low, self.high),
            None => self.low,
        }
    }
}

/// Where a drawn amount goes in the plan being simulated: one of a project's capital cost or
/// saving lines, by index.
#[derive(Debug, Clone, Copy)]
enum MoneyLine {
    Capital { project: usize, line: usize },
    Saving { project: usize, line: usize },
}

impl MoneyLine {
    /// The line's amount in `plan` (a saving's per year); `None` when it is not there.
    fn amount_mut(self, plan: &mut Portfolio) -> Option<&mut Money> {
        match self {
            MoneyLine::Capital { project, line } => {
                match plan.projects.get_mut(project)?.costs.get_mut(line)? {
                    Cost::Capital { amount, .. } => Some(amount),
                    _ => None,
                }
            }
            MoneyLine::Saving { project, line } => Some(
                &mut plan
                    .projects
                    .get_mut(project)?
                    .savings
                    .get_mut(line)?
                    .per_year,
            ),
        }
    }
}

impl Uncertainty {
    fn of(portfolio: &Portfolio, distribution: Distribution) -> Uncertainty {
        let mut durations = Vec::new();
        let mut savings = Vec::new();
        let mut costs = Vec::new();
        for (p, project) in portfolio.projects.iter().enumerate() {
            for (line, cost) in project.costs.iter().enumerate() {
                let Cost::Capital {
                    amount,
                    range: Some((low, high)),
                    ..
                } = cost
                else {
                    continue;
                };
                // Spent money is a fact: a finished project's costs are not sampled.
                if project.progress().actual_finish.is_some() {
                    continue;
                }
                let range = Range::new(distribution, low.0 as f64, amount.0 as f64, high.0 as f64);
                if range.sampler.is_some() {
                    costs.push((MoneyLine::Capital { project: p, line }, range));
                }
            }
            let estimate = project.duration;
            // Finished work has its actual dates; sampling its duration would change nothing.
            if project.progress().actual_finish.is_none() {
                if let (Some(low), Some(high)) = (estimate.low_days, estimate.high_days) {
                    let range = Range::new(
                        distribution,
                        f64::from(low),
                        f64::from(estimate.likely_days),
                        f64::from(high),
                    );
                    if range.sampler.is_some() {
                        durations.push((p, range));
                    }
                }
            }
            for (line, saving) in project.savings.iter().enumerate() {
                let Some((low, high)) = saving.range else {
                    continue;
                };
                let range = Range::new(
                    distribution,
                    low.0 as f64,
                    saving.per_year.0 as f64,
                    high.0 as f64,
                );
                if range.sampler.is_some() {
                    savings.push((MoneyLine::Saving { project: p, line }, range));
                }
            }
        }
        Uncertainty {
            durations,
            savings,
            costs,
        }
    }
}

/// What is recorded of each iteration besides the finish and NPV.
#[derive(Debug)]
struct Watched {
    /// Items with a deadline: (item, deadline), projects first.
    deadlines: Vec<(ItemId, NaiveDate)>,
    /// Each schedule levelled to the teams (`Options::level`).
    level: bool,
}

impl Watched {
    fn of(portfolio: &Portfolio, level: bool) -> Watched {
        let projects = portfolio.projects.iter().enumerate().filter_map(|(p, x)| {
            x.deadline
                .map(|d| (ItemId::Project(crate::model::ProjectId(index(p))), d.date))
        });
        let milestones = portfolio
            .milestones
            .iter()
            .enumerate()
            .filter_map(|(m, x)| {
                x.deadline.map(|d| {
                    (
                        ItemId::Milestone(crate::model::MilestoneId(index(m))),
                        d.date,
                    )
                })
            });
        Watched {
            deadlines: projects.chain(milestones).collect(),
            level,
        }
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or_else(|_| panic!("model ids fit in u32 (validate refuses more)"))
}

/// Dates as days since the common era, so samples are plain integers.
fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

fn date(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day)
        .unwrap_or_else(|| panic!("risk: sampled day {day} came from a real date"))
}

/// The samples of some iterations, flat and in iteration order.
#[derive(Debug, Default)]
struct Samples {
    n: usize,
    finish: Vec<i32>,
    /// `n × milestones`.
    milestones: Vec<i32>,
    /// `n × deadlines`: the watched items' finishes.
    deadlines: Vec<i32>,
    /// `n × targets`: the portfolio's savings in each target's year, in pence.
    targets: Vec<i64>,
    npv: Vec<i64>,
    /// `n × uncertain durations`: the working days used.
    durations: Vec<u32>,
    /// Per project: iterations in which it was critical.
    critical: Vec<u32>,
    /// The portfolio's costs, in pence.
    cost: Vec<i64>,
    /// `n × events`: each event's size ([`events::Outcome::measure`]).
    events: Vec<u32>,
}

impl Samples {
    fn new(n_projects: usize) -> Samples {
        Samples {
            critical: vec![0; n_projects],
            ..Samples::default()
        }
    }

    fn append(&mut self, mut other: Samples) {
        self.n += other.n;
        self.finish.append(&mut other.finish);
        self.milestones.append(&mut other.milestones);
        self.deadlines.append(&mut other.deadlines);
        self.targets.append(&mut other.targets);
        self.npv.append(&mut other.npv);
        self.durations.append(&mut other.durations);
        self.cost.append(&mut other.cost);
        self.events.append(&mut other.events);
        if self.critical.len() < other.critical.len() {
            self.critical.resize(other.critical.len(), 0);
        }
        for (total, c) in self.critical.iter_mut().zip(&other.critical) {
            *total += c;
        }
    }
}

/// One schedule and profile of `portfolio` as it stands, recorded.
struct Outcome {
    finish: i32,
    milestones: Vec<i32>,
    deadlines: Vec<i32>,
    targets: Vec<i64>,
    npv: i64,
    cost: i64,
    critical: Vec<bool>,
}

fn run_once(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
    watched: &Watched,
) -> Outcome {
    let schedule = if watched.level {
        schedule::compute_levelled(portfolio, network, calendars).0
    } else {
        schedule::compute(portfolio, network, calendars).0
    };
    // Only the portfolio's money is needed: profiling every project, programme and theme
    // was most of an iteration's time.
    let (years, money) = finance::profile_portfolio(portfolio, &schedule, calendars);
    let finish_of = |item: ItemId| schedule.timing(item).map_or(schedule.finish, |t| t.finish);
    // A year over at the status date is judged on its forecast, as `finance` judges it: the
    // projects that recorded their savings count what they recorded, whatever was sampled.
    let open = portfolio.status_date.map(|date| {
        finance::Month::of(date).financial_year(portfolio.financial_year_start.clamp(1, 12))
    });
    let targets = portfolio
        .targets
        .iter()
        .map(|target| {
            let planned = years
                .iter()
                .position(|y| *y == target.year)
                .and_then(|i| money.yearly.get(i))
                .map_or(0, |a| a.savings.0);
            if open.is_some_and(|open| target.year < open) {
                planned.saturating_add(finance::recorded_savings_delta(
                    portfolio,
                    &schedule,
                    calendars,
                    target.year,
                ))
            } else {
                planned
            }
        })
        .collect();
    Outcome {
        finish: day(schedule.finish),
        milestones: schedule.milestones.iter().map(|t| day(t.finish)).collect(),
        deadlines: watched
            .deadlines
            .iter()
            .map(|&(item, _)| day(finish_of(item)))
            .collect(),
        targets,
        npv: money.appraisal.npv.0,
        cost: money.total.capital.0.saturating_add(money.total.revenue.0),
        critical: schedule.projects.iter().map(|t| t.critical).collect(),
    }
}

/// Runs `n` iterations on `scratch` (a copy of the plan whose uncertain values are overwritten
/// every iteration) with chunk `(seed, k)`'s generator.
fn run_chunk(
    scratch: &mut Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
    draws: &Draws<'_>,
    (seed, k): (u64, u32),
    n: u32,
) -> Samples {
    let Draws {
        plan,
        events,
        watched,
    } = *draws;
    let mut rng = chunk_rng(seed, k);
    let mut event_rng = event_rng(seed, k);
    let mut samples = Samples::new(scratch.projects.len());
    let mut outcomes = Vec::with_capacity(events.list.len());
    for _ in 0..n {
        events.reset(scratch);
        for (p, range) in &plan.durations {
            let days = range.draw(&mut rng) as u32;
            if let Some(project) = scratch.projects.get_mut(*p) {
                project.duration.likely_days = days;
            }
            samples.durations.push(days);
        }
        for (line, range) in plan.savings.iter().chain(&plan.costs) {
            let pence = range.draw(&mut rng) as i64;
            if let Some(amount) = line.amount_mut(scratch) {
                *amount = Money(pence);
            }
        }
        outcomes.clear();
        events.draw(scratch, &mut event_rng, &mut outcomes);
        samples.events.extend(outcomes.iter().map(|o| o.measure()));
        let outcome = run_once(scratch, network, calendars, watched);
        samples.n += 1;
        samples.finish.push(outcome.finish);
        samples.milestones.extend(outcome.milestones);
        samples.deadlines.extend(outcome.deadlines);
        samples.targets.extend(outcome.targets);
        samples.npv.push(outcome.npv);
        samples.cost.push(outcome.cost);
        for (count, critical) in samples.critical.iter_mut().zip(outcome.critical) {
            *count += u32::from(critical);
        }
    }
    samples
}

/// Item `j`'s value in every iteration, from samples kept an iteration at a time with `width`
/// items each (dates of milestones and deadlines, savings of targets alike).
fn column<T: Copy>(values: &[T], width: usize, j: usize) -> Vec<T> {
    values
        .iter()
        .skip(j)
        .step_by(width.max(1))
        .copied()
        .collect()
}

/// Each of `items` with its index and its column of `values` (an iteration a row, an item a
/// column, as [`column`] reads them): the row's width is the number of items.
fn with_columns<'v, I, T>(
    items: I,
    values: &'v [T],
) -> impl Iterator<Item = (usize, I::Item, Vec<T>)> + 'v
where
    I: ExactSizeIterator + 'v,
    T: Copy,
{
    let width = items.len();
    items
        .enumerate()
        .map(move |(j, item)| (j, item, column(values, width, j)))
}

/// Turns the samples into the summary; single-threaded, in iteration order.
fn summarise(
    portfolio: &Portfolio,
    options: &Options,
    iterations: u32,
    draws: &Draws<'_>,
    planned: &Outcome,
    all: &Samples,
) -> RiskSummary {
    let Draws {
        plan,
        events,
        watched,
    } = *draws;
    let share = Share(all.n.max(1));
    let by = |limit: i32| share.of(all.finish.iter().filter(|&&d| d <= limit).count());
    let mut sorted_finish = all.finish.clone();
    sorted_finish.sort_unstable();
    let finish_curve = stats::cumulative(&sorted_finish)
        .into_iter()
        .map(|(d, count)| CurvePoint {
            date: date(d),
            probability: share.of(count),
        })
        .collect();
    let finish_ranks = stats::ranks(&all.finish);
    let projects = project_risks(portfolio, plan, all, &finish_ranks, share);
    let (events_risks, event_bars) = event_risks(portfolio, events, all, &finish_ranks, share);
    RiskSummary {
        schema: "tranche-risk",
        version: RISK_JSON_VERSION,
        title: portfolio.title.clone(),
        iterations,
        seed: options.seed,
        distribution: options.distribution,
        uncertain_durations: plan.durations.len(),
        uncertain_savings: plan.savings.len(),
        uncertain_costs: plan.costs.len(),
        finish: date_risk(planned.finish, all.finish.clone()),
        finish_by_planned: by(planned.finish),
        end: portfolio.end,
        finish_by_end: by(day(portfolio.end)),
        finish_curve,
        milestones: milestone_risks(portfolio, planned, all),
        deadlines: deadline_risks(portfolio, watched, planned, all, share),
        targets: target_risks(portfolio, planned, all, share),
        npv: money_risk(planned.npv, all.npv.clone()),
        cost: money_risk(planned.cost, all.cost.clone()),
        tornado: tornado(&projects, event_bars),
        events: events_risks,
        projects,
    }
}

/// A count of iterations as a share of all of them.
#[derive(Debug, Clone, Copy)]
struct Share(usize);

impl Share {
    fn of(self, count: usize) -> f64 {
        count as f64 / self.0 as f64
    }
}

/// The spread of a date over the iterations (day numbers, in any order); the planned date
/// stands in for a percentile when there were none.
fn date_risk(planned: i32, mut values: Vec<i32>) -> DateRisk {
    values.sort_unstable();
    let p = |k| date(stats::percentile(&values, k).unwrap_or(planned));
    DateRisk {
        planned: date(planned),
        p10: p(10),
        p50: p(50),
        p80: p(80),
        p90: p(90),
    }
}

/// The spread of an amount over the iterations (pence, in any order), with its mean.
fn money_risk(planned: i64, mut values: Vec<i64>) -> MoneyRisk {
    let mean = stats::mean_rounded(&values).unwrap_or(planned);
    values.sort_unstable();
    let p = |k| Money(stats::percentile(&values, k).unwrap_or(planned));
    MoneyRisk {
        planned: Money(planned),
        p10: p(10),
        p50: p(50),
        p80: p(80),
        p90: p(90),
        mean: Money(mean),
    }
}

/// Each milestone's date over the iterations.
fn milestone_risks(portfolio: &Portfolio, planned: &Outcome, all: &Samples) -> Vec<MilestoneRisk> {
    with_columns(portfolio.milestones.iter(), &all.milestones)
        .map(|(m, milestone, dates)| MilestoneRisk {
            id: milestone.id.to_string(),
            title: milestone.title.to_string(),
            date: date_risk(
                planned.milestones.get(m).copied().unwrap_or(planned.finish),
                dates,
            ),
        })
        .collect()
}

/// Each deadline: the work's finish over the iterations, and the share that met it.
fn deadline_risks(
    portfolio: &Portfolio,
    watched: &Watched,
    planned: &Outcome,
    all: &Samples,
    share: Share,
) -> Vec<DeadlineRisk> {
    with_columns(watched.deadlines.iter(), &all.deadlines)
        .map(|(j, &(item, deadline), values)| {
            let met = values.iter().filter(|&&d| d <= day(deadline)).count();
            // Only projects and milestones have deadlines.
            let id = portfolio.id_and_title(item).map(|(id, _)| id.to_string());
            DeadlineRisk {
                kind: item.noun(),
                id: id.unwrap_or_default(),
                deadline,
                finish: date_risk(
                    planned.deadlines.get(j).copied().unwrap_or(planned.finish),
                    values,
                ),
                probability: share.of(met),
            }
        })
        .collect()
}

/// Each savings target: its year's savings over the iterations, and the share that met it.
fn target_risks(
    portfolio: &Portfolio,
    planned: &Outcome,
    all: &Samples,
    share: Share,
) -> Vec<TargetRisk> {
    with_columns(portfolio.targets.iter(), &all.targets)
        .map(|(j, target, values)| {
            let met = values.iter().filter(|&&v| v >= target.amount.0).count();
            TargetRisk {
                year: year_label(target.year, portfolio.financial_year_start),
                amount: target.amount,
                savings: money_risk(planned.targets.get(j).copied().unwrap_or(0), values),
                probability: share.of(met),
            }
        })
        .collect()
}

/// Each project: how often it was critical and, for a duration that varies, its spread and
/// how its rank follows the finish's (cruciality).
fn project_risks(
    portfolio: &Portfolio,
    plan: &Uncertainty,
    all: &Samples,
    finish_ranks: &[f64],
    share: Share,
) -> Vec<ProjectRisk> {
    let n_uncertain = plan.durations.len();
    let mut projects: Vec<ProjectRisk> = portfolio
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| ProjectRisk {
            id: project.id.to_string(),
            title: project.title.to_string(),
            duration: None,
            criticality: share.of(all.critical.get(p).copied().unwrap_or(0) as usize),
            cruciality: None,
        })
        .collect();
    for (j, (p, range)) in plan.durations.iter().enumerate() {
        let values: Vec<u32> = all
            .durations
            .iter()
            .skip(j)
            .step_by(n_uncertain.max(1))
            .copied()
            .collect();
        let as_f64: Vec<f64> = values.iter().map(|&d| f64::from(d)).collect();
        let (mean_days, sd_days) = stats::mean_sd(&as_f64);
        let cruciality = stats::pearson(&stats::ranks(&values), finish_ranks);
        if let Some(risk) = projects.get_mut(*p) {
            let likely_days = portfolio
                .projects
                .get(*p)
                .map_or(0, |x| x.duration.likely_days);
            risk.duration = Some(DurationRisk {
                // Whole days: the range came from u32s.
                low_days: range.low as u32,
                likely_days,
                high_days: range.high as u32,
                mean_days,
                sd_days,
            });
            risk.cruciality = cruciality;
        }
    }
    projects
}

/// Each drawn RAID event: how often it occurred, and its tornado bar when its size follows
/// the finish at all.
fn event_risks(
    portfolio: &Portfolio,
    events: &events::Events,
    all: &Samples,
    finish_ranks: &[f64],
    share: Share,
) -> (Vec<EventRisk>, Vec<TornadoBar>) {
    let mut event_bars = Vec::new();
    let event_risks = with_columns(events.list.iter(), &all.events)
        .map(|(_, event, sizes)| {
            let occurred = share.of(sizes.iter().filter(|&&s| s > 0).count());
            let entry = portfolio.raid.get(event.entry);
            let id = entry.map(|e| e.id.clone()).unwrap_or_default();
            let title = entry.map(|e| e.title.clone()).unwrap_or_default();
            let kind = event_kind(event.kind);
            if let Some(cruciality) = stats::pearson(&stats::ranks(&sizes), finish_ranks) {
                event_bars.push(TornadoBar {
                    kind,
                    id: id.clone(),
                    title: title.clone(),
                    cruciality,
                    criticality: occurred,
                });
            }
            EventRisk {
                kind,
                id,
                title,
                probability: event.chance as f64 / 10_000.0,
                occurred,
                mitigation_cost: Money(event.mitigation_cost),
            }
        })
        .collect();
    (event_risks, event_bars)
}

/// The drivers of the finish, largest cruciality first: every project whose duration varies
/// and every event.
fn tornado(projects: &[ProjectRisk], event_bars: Vec<TornadoBar>) -> Vec<TornadoBar> {
    let mut tornado: Vec<TornadoBar> = projects
        .iter()
        .filter_map(|p| {
            Some(TornadoBar {
                kind: "duration",
                id: p.id.clone(),
                title: p.title.clone(),
                cruciality: p.cruciality?,
                criticality: p.criticality,
            })
        })
        .chain(event_bars)
        .collect();
    tornado.sort_by(|a, b| {
        b.cruciality
            .abs()
            .total_cmp(&a.cruciality.abs())
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.kind.cmp(b.kind))
    });
    tornado
}

fn event_kind(kind: RaidKind) -> &'static str {
    match kind {
        RaidKind::Risk => "risk",
        RaidKind::Issue => "issue",
        // Only risks and issues are drawn (`RaidEntry::simulated`).
        RaidKind::Assumption | RaidKind::Decision => "event",
    }
}

#[cfg(test)]
mod tests {
    use rand::Rng as _;

    use super::*;

    #[test]
    fn each_chunk_has_its_own_stream_and_each_seed_its_own_chunks() {
        let first = |seed, chunk| chunk_rng(seed, chunk).next_u64();
        assert_eq!(first(1, 0), first(1, 0));
        assert_ne!(first(1, 0), first(1, 1));
        assert_ne!(first(1, 0), first(2, 0));
        // Seed 0 and chunk 0 are ordinary inputs, not an all-zero generator state.
        assert_ne!(first(0, 0), 0);
    }

    #[test]
    fn a_range_of_one_value_or_out_of_order_is_not_sampled() {
        assert!(Sampler::new(Distribution::Pert, 5.0, 5.0, 5.0).is_none());
        assert!(Sampler::new(Distribution::Pert, 5.0, 9.0, 8.0).is_none());
        assert!(Sampler::new(Distribution::Triangular, 9.0, 9.0, 3.0).is_none());
        // The likely value may sit at either end of the range.
        let mut rng = chunk_rng(1, 0);
        for distribution in [Distribution::Pert, Distribution::Triangular] {
            let sampler = Sampler::new(distribution, 5.0, 5.0, 9.0);
            let sampler = sampler.unwrap_or_else(|| panic!("{distribution:?} at the low end"));
            for _ in 0..1_000 {
                let x = sampler.sample(&mut rng);
                assert!((5.0..=9.0).contains(&x), "{x}");
            }
        }
    }
}
