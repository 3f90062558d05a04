//! Critical path scheduling on working-day calendars.
//!
//! Input: a validated `Portfolio` and its graph. Output: a [`Schedule`] giving every project,
//! milestone and programme its dates and float, and the portfolio's finish and critical path.
//! Being written for issue 3; the output types below are the contract later stages
//! (finance, report) build on.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::ItemId;

/// RAG status from slippage against baseline (thresholds in the portfolio's `rag` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

/// The computed dates of one project, milestone or programme. Dates are inclusive: `finish` is
/// the last day of work (for a milestone, the day at whose end it happens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    /// The forecast dates: actuals where known, early dates otherwise.
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub early_start: NaiveDate,
    pub early_finish: NaiveDate,
    pub late_start: NaiveDate,
    pub late_finish: NaiveDate,
    /// Working days on the item's calendar (0 for milestones).
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
