//! Risk events: the RAID log's open risks and issues, drawn in every iteration.
//!
//! Each simulated entry (`RaidEntry::simulated`) becomes an [`Event`]: a chance of occurring
//! (the mitigated probability when the risk has a mitigation in place, certain for an issue or
//! a risk that has occurred) and its impacts on projects. In every iteration each event draws,
//! in the plan's order, one uniform number for whether it occurs and one sample for each
//! impact given as a range, whether or not it occurs, from the chunk's *event* generator, which
//! is not the one durations, savings and costs are drawn from. So:
//!
//! - a plan's ranges are sampled exactly as they would be without its register, and a risk of
//!   probability 0 changes no figure;
//! - the same iteration of two runs that differ only in a mitigation (or in whether events are
//!   drawn at all) sees the same random numbers: common random numbers, so a comparison shows
//!   the mitigation's effect and not sampling noise, and a mitigation that changes nothing
//!   reports exactly zero change.
//!
//! Impacts are applied to a copy of the plan prepared once ([`Events::prepare`]): a delay adds
//! working days to the project's duration; a capital impact and a lost saving each have a line
//! of their own added to the project, at zero, set to the sampled amount when the event
//! occurs; a mitigation's cost is a capital line on the first project the risk affects, paid
//! in every iteration.

use rand::Rng as _;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{Distribution, MoneyLine, Range, Register};
use crate::model::{Cost, Effect, Impact, Portfolio, RaidEntry, RaidKind, Saving};
use crate::money::Money;

/// The events of a plan in the order of its RAID log, and the projects whose durations they
/// change (reset to the plan's own before each iteration's draws).
#[derive(Debug, Default)]
pub(super) struct Events {
    pub(super) list: Vec<Event>,
    resets: Vec<(usize, u32)>,
}

#[derive(Debug)]
pub(super) struct Event {
    /// Index into `Portfolio::raid`.
    pub(super) entry: usize,
    pub(super) kind: RaidKind,
    /// The chance of occurring in this run, in basis points (0 to 10,000).
    pub(super) chance: i64,
    /// The mitigation's cost when it is in place this run, in pence (else 0).
    pub(super) mitigation_cost: i64,
    impacts: Vec<Draw>,
}

/// One impact, ready to draw and apply.
#[derive(Debug)]
enum Draw {
    /// Working days added to a project.
    Delay { project: usize, range: Range },
    /// Capital spent or saving lost: `line` is the zero line added for it in the prepared plan.
    Money { line: MoneyLine, range: Range },
}

/// What one event did in one iteration: whether it occurred, and the working days it added
/// (for the tornado, which ranks events by `1 + days` when they occur, 0 when not).
#[derive(Debug, Clone, Copy)]
pub(super) struct Outcome {
    pub(super) occurred: bool,
    pub(super) days: u32,
}

impl Outcome {
    /// The event's size in this iteration, as the tornado ranks it.
    pub(super) fn measure(self) -> u32 {
        if self.occurred {
            self.days.saturating_add(1)
        } else {
            0
        }
    }
}

impl Events {
    /// The events of `portfolio` under `register`, and a copy of the plan with a zero line for
    /// each capital and saving impact and a line for each mitigation's cost.
    pub(super) fn prepare(
        portfolio: &Portfolio,
        distribution: Distribution,
        register: Register,
    ) -> (Events, Portfolio) {
        let mut events = Events::default();
        if register == Register::Off {
            return (events, portfolio.clone());
        }
        let mut preparation = Preparation::new(portfolio, distribution);
        for (index, entry) in portfolio.raid.iter().enumerate() {
            if !entry.simulated() {
                continue;
            }
            let mitigated = register != Register::WithoutMitigation(index);
            events
                .list
                .extend(preparation.event(index, entry, mitigated));
        }
        events.resets = resets(&events.list, portfolio);
        (events, preparation.plan())
    }

    /// Puts back the planned durations the last iteration's delays changed; called before the
    /// iteration's durations are sampled (which overwrite the sampled ones again).
    pub(super) fn reset(&self, scratch: &mut Portfolio) {
        for &(p, days) in &self.resets {
            if let Some(project) = scratch.projects.get_mut(p) {
                project.duration.likely_days = days;
            }
        }
    }

    /// Draws every event (in order, every draw made whether or not it occurs) and applies those
    /// that occur to `scratch`, after its ranges have been sampled. `out` gets one outcome per
    /// event.
    pub(super) fn draw(
        &self,
        scratch: &mut Portfolio,
        rng: &mut Xoshiro256PlusPlus,
        out: &mut Vec<Outcome>,
    ) {
        for event in &self.list {
            // A uniform number in [0, 1) from the top 53 bits: it is below the chance exactly
            // when the event occurs, so a chance of 0 never occurs and 10,000 always does.
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let occurred = u * 10_000.0 < event.chance as f64;
            let mut days = 0u32;
            for draw in &event.impacts {
                match draw {
                    Draw::Delay { project, range } => {
                        let added = range.draw(rng) as u32;
                        if occurred {
                            days = days.saturating_add(added);
                            if let Some(p) = scratch.projects.get_mut(*project) {
                                p.duration.likely_days =
                                    p.duration.likely_days.saturating_add(added);
                            }
                        }
                    }
                    Draw::Money { line, range } => {
                        let pence = range.draw(rng) as i64;
                        if let Some(amount) = line.amount_mut(scratch) {
                            *amount = Money(if occurred { pence } else { 0 });
                        }
                    }
                }
            }
            out.push(Outcome { occurred, days });
        }
    }
}

/// The plan being prepared for the events: the lines added to each project so far, appended
/// once at the end so each project's list is rebuilt only once.
#[derive(Debug)]
struct Preparation<'p> {
    portfolio: &'p Portfolio,
    distribution: Distribution,
    extra_costs: Vec<Vec<Cost>>,
    extra_savings: Vec<Vec<Saving>>,
}

impl<'p> Preparation<'p> {
    fn new(portfolio: &'p Portfolio, distribution: Distribution) -> Preparation<'p> {
        Preparation {
            portfolio,
            distribution,
            extra_costs: vec![Vec::new(); portfolio.projects.len()],
            extra_savings: vec![Vec::new(); portfolio.projects.len()],
        }
    }

    /// The event of RAID entry `index`, with its mitigation in place when `mitigated`; `None`
    /// when it has no probability.
    fn event(&mut self, index: usize, entry: &RaidEntry, mitigated: bool) -> Option<Event> {
        let probability = if mitigated {
            entry.probability_after()
        } else {
            entry.probability_before()
        }?;
        let impacts = entry
            .impacts
            .iter()
            .filter(|i| !i.finished)
            .filter_map(|impact| self.impact(impact))
            .collect();
        let mitigation_cost = match &entry.mitigation {
            Some(m) if mitigated && m.cost.0 != 0 => m.cost.0,
            _ => 0,
        };
        if mitigation_cost != 0 {
            // Paid always, with the work the risk threatens: a capital line on its first
            // unfinished project.
            if let Some(first) = entry.impacts.iter().find(|i| !i.finished) {
                self.extra_costs[first.project.0 as usize].push(Cost::Capital {
                    amount: Money(mitigation_cost),
                    range: None,
                    timing: crate::model::CapitalTiming::Spread,
                    span: entry.span,
                });
            }
        }
        Some(Event {
            entry: index,
            kind: entry.kind,
            chance: probability.0.clamp(0, 10_000),
            mitigation_cost,
            impacts,
        })
    }

    /// What to draw for one impact; a capital impact or a lost saving gets its zero line.
    fn impact(&mut self, impact: &Impact) -> Option<Draw> {
        let distribution = self.distribution;
        let p = impact.project.0 as usize;
        let project = self.portfolio.projects.get(p)?;
        let draw = match impact.effect {
            Effect::Delay {
                low_days,
                high_days,
            } => Draw::Delay {
                project: p,
                range: two_point(distribution, f64::from(low_days), f64::from(high_days)),
            },
            Effect::Capital { low, high } => {
                let extra = &mut self.extra_costs[p];
                let line = project.costs.len() + extra.len();
                extra.push(Cost::Capital {
                    amount: Money(0),
                    range: None,
                    timing: crate::model::CapitalTiming::Spread,
                    span: impact.span,
                });
                Draw::Money {
                    line: MoneyLine::Capital { project: p, line },
                    range: two_point(distribution, low.0 as f64, high.0 as f64),
                }
            }
            Effect::Saving { low, high } => {
                // The lost saving follows the timing of the project's first saving
                // (validation refuses a saving impact on a project without one).
                let first = project.savings.first()?;
                let extra = &mut self.extra_savings[p];
                let line = project.savings.len() + extra.len();
                extra.push(Saving {
                    per_year: Money(0),
                    recurrence: first.recurrence,
                    range: None,
                    register: Default::default(),
                    span: impact.span,
                });
                Draw::Money {
                    line: MoneyLine::Saving { project: p, line },
                    range: two_point(distribution, low.0 as f64, high.0 as f64),
                }
            }
        };
        Some(draw)
    }

    /// The copy of the plan with every added line.
    fn plan(mut self) -> Portfolio {
        let mut prepared = self.portfolio.clone();
        for (p, project) in prepared.projects.iter_mut().enumerate() {
            let costs = std::mem::take(&mut self.extra_costs[p]);
            if !costs.is_empty() {
                project.costs = project.costs.iter().cloned().chain(costs).collect();
            }
            let savings = std::mem::take(&mut self.extra_savings[p]);
            if !savings.is_empty() {
                project.savings = project.savings.iter().cloned().chain(savings).collect();
            }
        }
        prepared
    }
}

/// The projects the events delay, with their planned durations, each once.
fn resets(list: &[Event], portfolio: &Portfolio) -> Vec<(usize, u32)> {
    let mut resets: Vec<(usize, u32)> = list
        .iter()
        .flat_map(|e| &e.impacts)
        .filter_map(|d| match d {
            Draw::Delay { project, .. } => portfolio
                .projects
                .get(*project)
                .map(|x| (*project, x.duration.likely_days)),
            _ => None,
        })
        .collect();
    resets.sort_unstable();
    resets.dedup();
    resets
}

/// A two-point range (`2 months to 4 months`) as a three-point one, its likely value half way:
/// the register gives no likelier value, and the middle keeps the mean where a reader expects.
fn two_point(distribution: Distribution, low: f64, high: f64) -> Range {
    Range::new(distribution, low, (low + high) / 2.0, high)
}
