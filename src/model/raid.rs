//! The RAID log in the model: risks, assumptions, issues and decisions, with their impacts
//! resolved to projects and converted (working days, pence, basis points). Built by
//! `validate` (its `raid` pass); read by `risk` (risk events), `report` and `cli::raid`.

use chrono::NaiveDate;
use serde::Serialize;

use super::ProjectId;
use crate::diagnostic::Span;
use crate::money::{Money, Percent};

/// One entry of the RAID log, in the plan's order.
#[derive(Debug, Clone, Serialize)]
pub struct RaidEntry {
    pub kind: RaidKind,
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub status: RaidStatus,
    /// A risk's probability as written; `None` for the other kinds.
    pub probability: Option<Percent>,
    /// What a risk or issue does to projects when it happens; empty for the other kinds.
    pub impacts: Vec<Impact>,
    pub mitigation: Option<Mitigation>,
    /// A risk's next review.
    pub review: Option<NaiveDate>,
    /// When an issue was raised.
    pub raised: Option<NaiveDate>,
    /// When an issue is to be resolved.
    pub due: Option<NaiveDate>,
    /// The date an assumption holds to.
    pub until: Option<NaiveDate>,
    /// The day a decision was made, and by whom.
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RaidKind {
    Risk,
    Issue,
    Assumption,
    Decision,
}

impl RaidKind {
    /// `a risk`, `an issue`: the noun with its article, for messages.
    pub fn a(self) -> &'static str {
        match self {
            RaidKind::Risk => "a risk",
            RaidKind::Issue => "an issue",
            RaidKind::Assumption => "an assumption",
            RaidKind::Decision => "a decision",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RaidKind::Risk => "risk",
            RaidKind::Issue => "issue",
            RaidKind::Assumption => "assumption",
            RaidKind::Decision => "decision",
        }
    }
}

/// `status open | closed | occurred` (`occurred` only on a risk). Open when not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RaidStatus {
    Open,
    Closed,
    Occurred,
}

impl RaidStatus {
    pub fn name(self) -> &'static str {
        match self {
            RaidStatus::Open => "open",
            RaidStatus::Closed => "closed",
            RaidStatus::Occurred => "occurred",
        }
    }
}

/// `affects PROJECT ...`: one impact on one project, low and high case (equal when one value
/// was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Impact {
    pub project: ProjectId,
    pub effect: Effect,
    /// Whether the project has finished (W094): the simulation leaves the impact out.
    pub finished: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Effect {
    /// Working days added to the project's duration.
    Delay { low_days: u32, high_days: u32 },
    /// Capital added to the project.
    Capital { low: Money, high: Money },
    /// A change to the project's yearly saving (negative: saving lost).
    Saving { low: Money, high: Money },
}

/// A risk's response: the probability once it is in place, and what it costs, always.
#[derive(Debug, Clone, Serialize)]
pub struct Mitigation {
    pub title: String,
    pub probability: Percent,
    /// Capital, counted in every iteration whether or not the risk occurs.
    pub cost: Money,
    #[serde(skip)]
    pub span: Span,
}

impl RaidEntry {
    /// Whether the simulation draws this entry: an open or occurred risk, or an open issue,
    /// with an impact on unfinished work.
    pub fn simulated(&self) -> bool {
        let live = match self.kind {
            RaidKind::Risk => self.status != RaidStatus::Closed,
            RaidKind::Issue => self.status == RaidStatus::Open,
            RaidKind::Assumption | RaidKind::Decision => false,
        };
        live && self.impacts.iter().any(|i| !i.finished)
    }

    /// The chance it happens before mitigation: a risk's own, certain for an issue or a risk
    /// that has occurred.
    pub fn probability_before(&self) -> Option<Percent> {
        match (self.kind, self.status) {
            (RaidKind::Risk, RaidStatus::Occurred) | (RaidKind::Issue, _) => Some(Percent::HUNDRED),
            (RaidKind::Risk, _) => self.probability,
            _ => None,
        }
    }

    /// The chance it happens with its mitigation in place (as before when it has none, or
    /// when it has already occurred).
    pub fn probability_after(&self) -> Option<Percent> {
        match (&self.mitigation, self.status) {
            (Some(m), RaidStatus::Open) if self.kind == RaidKind::Risk => Some(m.probability),
            _ => self.probability_before(),
        }
    }
}
