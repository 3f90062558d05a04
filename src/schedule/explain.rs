//! `explain`: why an item is scheduled when it is.
//!
//! Input: a portfolio, its network and its schedule. Output: an [`Explanation`]: the chain of
//! driving links from the item back to what anchors it (the plan's start, a constraint, the
//! status date or actual dates), and what limits its float. It reads the drivers that
//! `compute_traced` records (running it again: the same plan gives the same schedule), so it
//! can never disagree with the schedule.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Driver, LateDriver, Schedule, Trace};
use crate::graph::{Link, LinkOrigin, Network, name_of};
use crate::model::{ItemId, LinkKind, MilestoneTiming, Portfolio};
use crate::money::Percent;

/// Why one item is scheduled when it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub id: String,
    /// For a programme: the piece of its work that finishes last, which the chain explains.
    pub through: Option<String>,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    /// The driving links, from the item back towards the origin.
    pub steps: Vec<Step>,
    pub origin: Origin,
    pub total_float_days: i64,
    pub free_float_days: i64,
    pub late_finish: NaiveDate,
    pub float_limit: FloatLimit,
}

/// One driving link: `successor` waits for `predecessor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub successor: String,
    pub successor_start: NaiveDate,
    pub successor_finish: NaiveDate,
    pub predecessor: String,
    pub predecessor_start: NaiveDate,
    pub predecessor_finish: NaiveDate,
    /// `FS`, `SS`, `FF` or `SF`.
    pub kind: LinkKind,
    pub lag_days: i32,
    /// The programme the dependency names, when the predecessor is part of it.
    pub via: Option<String>,
    /// `at start` or `at finish` when the successor is a milestone tied to its project.
    pub tie: Option<&'static str>,
}

/// What the chain starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// The portfolio's start (moved to its first working day).
    PlanStart {
        id: String,
        date: NaiveDate,
    },
    StatusDate {
        id: String,
        date: NaiveDate,
    },
    /// Work in progress: it started on `started`; what remains resumes at the status date.
    Resumes {
        id: String,
        started: NaiveDate,
        date: NaiveDate,
    },
    /// Started on `started` and 100% complete with no `actual-finish` (W046): nothing remains,
    /// so it is taken as finished before the status date `date`.
    Complete {
        id: String,
        started: NaiveDate,
        date: NaiveDate,
    },
    NotBefore {
        id: String,
        date: NaiveDate,
    },
    /// Actual dates: finished work, an achieved milestone, or the actual start of work in progress.
    Actual {
        id: String,
        start: NaiveDate,
        finish: NaiveDate,
    },
    /// A milestone fixed `on` a date.
    Fixed {
        id: String,
        date: NaiveDate,
    },
    /// Levelling: it waits for a team that had no room until `date`. On `busy_on` (the last
    /// working day of the team's before `date`) the team had `size` people and the work then
    /// running (`busy`, each with the people it needs) and this work (`needs`) needed more.
    Team {
        id: String,
        team: String,
        date: NaiveDate,
        busy_on: NaiveDate,
        size: crate::model::Fte,
        needs: crate::model::Fte,
        busy: Vec<(String, crate::model::Fte)>,
    },
}

/// What stops the item finishing later than its late finish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "limit", rename_all = "kebab-case")]
pub enum FloatLimit {
    /// The portfolio's forecast finish.
    PlanFinish {
        date: NaiveDate,
    },
    Deadline {
        date: NaiveDate,
    },
    /// A successor's late dates.
    Successor {
        id: String,
        kind: LinkKind,
        lag_days: i32,
    },
    /// Finished work has no float.
    Finished,
    /// A milestone at the start or finish of its project moves with it.
    Project {
        id: String,
    },
}

/// Explains `item`'s dates. `None` for an id outside the portfolio or an empty programme.
pub fn explain(
    portfolio: &Portfolio,
    network: &Network,
    schedule: &Schedule,
    item: ItemId,
) -> Option<Explanation> {
    let calendars = crate::calendar::build_all(&portfolio.calendars);
    let (_, trace, _) = super::compute_traced(portfolio, network, &calendars);
    explain_traced(portfolio, network, schedule, &trace, item)
}

/// [`explain`] with the trace of the same schedule at hand.
pub fn explain_traced(
    portfolio: &Portfolio,
    network: &Network,
    schedule: &Schedule,
    trace: &Trace,
    item: ItemId,
) -> Option<Explanation> {
    let explainer = Explainer {
        portfolio,
        network,
        schedule,
        trace,
    };
    let timing = schedule.timing(item)?;
    let (subject, through) = explainer.subject(item)?;
    let (steps, anchor) = explainer.driving_chain(subject)?;
    let origin = explainer.origin(anchor)?;
    let float_limit = explainer.float_limit(subject)?;
    let subject_timing = schedule.timing(subject)?;
    Some(Explanation {
        id: name_of(portfolio, item).to_string(),
        through,
        start: timing.start,
        finish: timing.finish,
        steps,
        origin,
        total_float_days: timing.total_float_days,
        free_float_days: timing.free_float_days,
        late_finish: subject_timing.late_finish,
        float_limit,
    })
}

/// A schedule and the trace of how it was computed, read back into explanations.
struct Explainer<'a> {
    portfolio: &'a Portfolio,
    network: &'a Network,
    schedule: &'a Schedule,
    trace: &'a Trace,
}

impl Explainer<'_> {
    fn name(&self, item: ItemId) -> String {
        name_of(self.portfolio, item).to_string()
    }

    fn dates(&self, item: ItemId) -> Option<(NaiveDate, NaiveDate)> {
        self.schedule.timing(item).map(|t| (t.start, t.finish))
    }

    /// The item whose dates are explained, and the name of the programme it stands for: a
    /// programme is explained through its work that finishes last (critical work first on a
    /// tie, then the lowest id).
    fn subject(&self, item: ItemId) -> Option<(ItemId, Option<String>)> {
        let ItemId::Programme(g) = item else {
            return Some((item, None));
        };
        let work = self.network.programme_work.get(g.0 as usize)?;
        let last = work.iter().copied().max_by_key(|w| {
            let t = self.schedule.timing(*w);
            (
                t.map(|t| t.finish),
                t.is_some_and(|t| t.critical),
                std::cmp::Reverse(*w),
            )
        })?;
        Some((last, Some(self.name(last))))
    }

    /// The links that drove `subject`'s start, followed back from it, and the node where the
    /// chain ends (driven by something other than a link).
    fn driving_chain(&self, subject: ItemId) -> Option<(Vec<Step>, usize)> {
        let mut steps = Vec::new();
        let mut at = self.network.node(subject)?;
        loop {
            if steps.len() > self.network.n_nodes() {
                panic!("explain: driving links form a cycle, which graph::build rules out");
            }
            let driver = self.trace.early_drivers.get(at).copied()?;
            let Driver::Link(l) = driver else {
                return Some((steps, at));
            };
            let link = self.network.links.get(l)?;
            steps.push(self.step(link)?);
            at = self.network.node(link.predecessor)?;
        }
    }

    /// One driving link, with both ends' dates and, for a link that is not a written
    /// dependency on an item, the programme it came through or the tie it is.
    fn step(&self, link: &Link) -> Option<Step> {
        let (ss, sf) = self.dates(link.successor)?;
        let (ps, pf) = self.dates(link.predecessor)?;
        let (via, tie) = match link.origin {
            LinkOrigin::Dependency { via, .. } => {
                (via.map(|g| self.name(ItemId::Programme(g))), None)
            }
            LinkOrigin::AtStart => (None, Some("at start")),
            LinkOrigin::AtFinish => (None, Some("at finish")),
        };
        Some(Step {
            successor: self.name(link.successor),
            successor_start: ss,
            successor_finish: sf,
            predecessor: self.name(link.predecessor),
            predecessor_start: ps,
            predecessor_finish: pf,
            kind: link.kind,
            lag_days: link.lag_days,
            via,
            tie,
        })
    }

    /// What put the item at the end of the driving chain (node `at`) where it is.
    fn origin(&self, at: usize) -> Option<Origin> {
        let portfolio = self.portfolio;
        let anchor = self.network.item(at);
        let id = self.name(anchor);
        let (anchor_start, anchor_finish) = self.dates(anchor)?;
        Some(match self.trace.early_drivers.get(at).copied()? {
            Driver::PlanStart => Origin::PlanStart {
                id,
                date: portfolio.start,
            },
            Driver::StatusDate => self.status_date_origin(anchor, id)?,
            Driver::NotBefore => {
                let date = match anchor {
                    ItemId::Project(p) => portfolio.projects.get(p.0 as usize)?.not_before()?.date,
                    _ => anchor_start,
                };
                Origin::NotBefore { id, date }
            }
            Driver::Actual => Origin::Actual {
                id,
                start: anchor_start,
                finish: anchor_finish,
            },
            Driver::Fixed => {
                let date = match anchor {
                    ItemId::Milestone(m) => match portfolio.milestones.get(m.0 as usize)?.timing {
                        MilestoneTiming::On(d) => d,
                        _ => anchor_finish,
                    },
                    _ => anchor_finish,
                };
                Origin::Fixed { id, date }
            }
            Driver::Link(_) => unreachable!("driving_chain follows every link"),
            Driver::Resource(t) => self.team_origin(anchor, id, t, anchor_start)?,
        })
    }

    /// What a team was doing the working day before levelling let `anchor` start.
    fn team_origin(&self, anchor: ItemId, id: String, t: u32, start: NaiveDate) -> Option<Origin> {
        let portfolio = self.portfolio;
        let team = portfolio.teams.get(t as usize)?;
        let ItemId::Project(p) = anchor else {
            return None;
        };
        let needs = portfolio
            .projects
            .get(p.0 as usize)?
            .needs()
            .iter()
            .find(|n| n.team.0 == t)?
            .fte;
        // The projects that take time, with what each needs of the team (milestones and
        // projects without a need of it hold none of it).
        let work = || {
            portfolio
                .projects
                .iter()
                .zip(&self.schedule.projects)
                .filter(|(_, timing)| timing.duration_days > 0)
                .filter_map(|(other, timing)| {
                    let need = other.needs().iter().find(|n| n.team.0 == t)?;
                    Some((other, timing, need.fte))
                })
        };
        // Room appeared when the last work holding the team before `start` finished.
        let busy_on = work()
            .filter(|(_, timing, _)| timing.finish < start)
            .map(|(_, timing, _)| timing.finish)
            .max()?;
        let busy = work()
            .filter(|(other, timing, _)| {
                timing.start <= busy_on && busy_on <= timing.finish && other.id != *id
            })
            .map(|(other, _, fte)| (other.id.to_string(), fte))
            .collect();
        Some(Origin::Team {
            id,
            team: team.id.to_string(),
            date: start,
            busy_on,
            size: team.size_on(busy_on),
            needs,
            busy,
        })
    }

    /// Held to the status date: remaining work of a project started and not finished resumes
    /// there; anything else may not start before it.
    fn status_date_origin(&self, anchor: ItemId, id: String) -> Option<Origin> {
        let portfolio = self.portfolio;
        let date = portfolio.status_date.unwrap_or(portfolio.start);
        let (started, done) = match anchor {
            ItemId::Project(p) => {
                let progress = portfolio.projects.get(p.0 as usize)?.progress();
                let started = progress
                    .actual_start
                    .filter(|_| progress.actual_finish.is_none());
                (started, progress.complete == Some(Percent(10_000)))
            }
            _ => (None, false),
        };
        Some(match (started, done) {
            (Some(started), true) => Origin::Complete {
                id,
                started: started.date,
                date,
            },
            (Some(started), false) => Origin::Resumes {
                id,
                started: started.date,
                date,
            },
            (None, _) => Origin::StatusDate { id, date },
        })
    }

    /// What limits how late `subject` may finish.
    fn float_limit(&self, subject: ItemId) -> Option<FloatLimit> {
        let node = self.network.node(subject)?;
        Some(match self.trace.late_drivers.get(node).copied()? {
            LateDriver::PlanFinish => FloatLimit::PlanFinish {
                date: self.schedule.finish,
            },
            LateDriver::Deadline => FloatLimit::Deadline {
                date: super::deadline_of(self.portfolio, subject)?,
            },
            LateDriver::Link(l) => {
                let link = self.network.links.get(l)?;
                FloatLimit::Successor {
                    id: self.name(link.successor),
                    kind: link.kind,
                    lag_days: link.lag_days,
                }
            }
            LateDriver::Finished => FloatLimit::Finished,
            LateDriver::Project => {
                let project = match subject {
                    ItemId::Milestone(m) => self.portfolio.milestones.get(m.0 as usize)?.project?,
                    _ => return None,
                };
                FloatLimit::Project {
                    id: self.name(ItemId::Project(project)),
                }
            }
        })
    }
}
