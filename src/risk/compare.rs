//! What each mitigation buys: the plan as written (every mitigation in place) against the
//! plan without one mitigation, once per mitigation, on common random numbers.
//!
//! Every run uses the same seed, and the register's draws come from their own stream in a fixed
//! order (events.rs), so iteration `i` of every run sees the same durations, savings, costs and
//! uniform numbers; only whether the mitigated risk occurs (its own probability against the
//! mitigated one) and whether the mitigation is paid for differ. The change a comparison shows
//! is then the mitigation's doing, not sampling noise, and a mitigation that changes nothing
//! shows exactly zero change.

use serde::Serialize;

use super::{Options, Register, RiskSummary, simulate};
use crate::calendar::WorkCalendar;
use crate::graph::Network;
use crate::model::{Portfolio, RaidKind, RaidStatus};
use crate::money::Money;

/// The version of the JSON shape of [`Comparison`] (docs/risk.md).
pub const COMPARISON_JSON_VERSION: u32 = 1;

/// The plan as written, and what each mitigation changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Always `tranche-risk-mitigations`.
    pub schema: &'static str,
    pub version: u32,
    /// The simulation of the plan as written: every mitigation in place.
    pub summary: RiskSummary,
    /// One per open risk with a mitigation, in the plan's order.
    pub mitigations: Vec<MitigationEffect>,
}

/// What one mitigation buys: the figures with it in place less the figures without it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MitigationEffect {
    /// The risk's id and title, and the mitigation's.
    pub risk: String,
    pub title: String,
    pub mitigation: String,
    /// What it costs, in every iteration.
    pub cost: Money,
    /// The risk's probability without and with the mitigation (0 to 1).
    pub probability_without: f64,
    pub probability_with: f64,
    /// The change in the portfolio's P80 finish, in calendar days (negative: earlier).
    pub p80_finish_days: i64,
    /// The change in the P80 of the portfolio's cost (its own cost included).
    pub p80_cost: Money,
    /// The change in the P80 of the cashable NPV.
    pub p80_npv: Money,
    /// For each savings target, in the plan's order: the change in the chance of meeting it.
    pub targets: Vec<TargetChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetChange {
    pub year: String,
    pub amount: Money,
    /// The chance of meeting the target without and with the mitigation (0 to 1).
    pub without: f64,
    pub with: f64,
}

/// Runs the plan as written and once without each mitigation (so `1 + m` simulations of
/// `options.iterations` each); `options.register` is ignored. `progress` is told of every
/// iteration of every run.
pub fn compare_mitigations(
    portfolio: &Portfolio,
    network: &Network,
    calendars: &[WorkCalendar],
    options: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Comparison {
    let run = |register| {
        let options = Options {
            register,
            ..*options
        };
        simulate(portfolio, network, calendars, &options, progress)
    };
    let summary = run(Register::Mitigated);
    let mitigations = mitigated_risks(portfolio)
        .into_iter()
        .filter_map(|index| {
            let entry = portfolio.raid.get(index)?;
            let mitigation = entry.mitigation.as_ref()?;
            let without = run(Register::WithoutMitigation(index));
            let fraction =
                |p: Option<crate::money::Percent>| p.map_or(0.0, |p| p.0 as f64 / 10_000.0);
            let targets = summary
                .targets
                .iter()
                .zip(&without.targets)
                .map(|(with, without)| TargetChange {
                    year: with.year.clone(),
                    amount: with.amount,
                    without: without.probability,
                    with: with.probability,
                })
                .collect();
            Some(MitigationEffect {
                risk: entry.id.clone(),
                title: entry.title.clone(),
                mitigation: mitigation.title.clone(),
                cost: mitigation.cost,
                probability_without: fraction(entry.probability_before()),
                probability_with: fraction(entry.probability_after()),
                p80_finish_days: (summary.finish.p80 - without.finish.p80).num_days(),
                p80_cost: Money(summary.cost.p80.0 - without.cost.p80.0),
                p80_npv: Money(summary.npv.p80.0 - without.npv.p80.0),
                targets,
            })
        })
        .collect();
    Comparison {
        schema: "tranche-risk-mitigations",
        version: COMPARISON_JSON_VERSION,
        summary,
        mitigations,
    }
}

/// The indices in `Portfolio::raid` of the open risks drawn with a mitigation: the runs
/// [`compare_mitigations`] makes besides the plan as written.
pub fn mitigated_risks(portfolio: &Portfolio) -> Vec<usize> {
    portfolio
        .raid
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.kind == RaidKind::Risk
                && e.status == RaidStatus::Open
                && e.mitigation.is_some()
                && e.simulated()
        })
        .map(|(i, _)| i)
        .collect()
}
