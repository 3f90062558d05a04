//! The analysis of a validated portfolio: graph, calendars, schedule and money, run in order.
//! Every command that needs more than the model (check, schedule, explain, finance, report)
//! goes through [`analyse`], so they all see the same numbers and the same diagnostics.
//!
//! Input: a [`Portfolio`]. Output: an [`Analysis`] (absent when the dependency graph has a
//! cycle, since nothing can be scheduled then) and every diagnostic the stages found.

mod budget;
pub use budget::level_to_budgets;

use crate::calendar::{self, WorkCalendar};
use crate::capacity::{self, Load};
use crate::diagnostic::Diagnostic;
use crate::finance::{self, Detail, Finance};
use crate::graph::{self, Network};
use crate::model::Portfolio;
use crate::schedule::{self, Schedule, Trace};

#[derive(Debug)]
pub struct Analysis {
    pub network: Network,
    /// Indexed by `CalendarId`.
    pub calendars: Vec<WorkCalendar>,
    pub schedule: Schedule,
    /// What set each date (drivers, finished work, milestones at the start of a day): the
    /// lints and the exports read it, and recomputing it was a second critical-path run.
    pub trace: Trace,
    /// Each team's demand against its capacity (empty when the plan has no teams).
    pub load: Load,
    pub finance: Finance,
}

/// What `--level` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Level {
    /// No levelling: the schedule of the logic alone.
    #[default]
    #[value(skip)]
    Off,
    /// Delay work until every team has room (`schedule::compute_levelled`).
    Teams,
    /// The same, and delay work until each year's capital is within its budget
    /// ([`level_to_budgets`]).
    Budget,
}

/// Builds the graph, schedules and profiles the money. `detail` says how much of each
/// project's monthly money to keep (all of it only when a report shows it).
pub fn analyse(portfolio: &Portfolio, detail: Detail) -> (Option<Analysis>, Vec<Diagnostic>) {
    analyse_with(portfolio, detail, false)
}

/// [`analyse`], levelling the schedule to the teams' capacity when `level` is set
/// (`schedule::compute_levelled`): capacity and money then follow the levelled dates.
pub fn analyse_with(
    portfolio: &Portfolio,
    detail: Detail,
    level: bool,
) -> (Option<Analysis>, Vec<Diagnostic>) {
    let network = match graph::build(portfolio) {
        Ok(network) => network,
        Err(diagnostics) => return (None, diagnostics),
    };
    let calendars = calendar::build_all(&portfolio.calendars);
    let (schedule, trace, mut diagnostics) = if level {
        schedule::compute_levelled(portfolio, &network, &calendars)
    } else {
        schedule::compute_traced(portfolio, &network, &calendars)
    };
    let (load, mut found) = capacity::load(portfolio, &schedule, &calendars);
    diagnostics.append(&mut found);
    let mut finance = finance::profile_with(portfolio, &schedule, &calendars, detail);
    diagnostics.append(&mut finance.diagnostics);
    (
        Some(Analysis {
            network,
            calendars,
            schedule,
            trace,
            load,
            finance,
        }),
        diagnostics,
    )
}
