//! The committee report's risk section (`tranche report --risk`): the view of a Monte Carlo
//! [`RiskSummary`] that the Markdown, HTML and JSON renderers lay out.
//!
//! Input: the [`Report`] being built (for titles) and the summary `risk::simulate` returned.
//! Output: a [`RiskSection`], set as `Report::risk`. Invariant: as for the rest of the view,
//! every figure a reader sees is formatted here, once (a share as [`Chance`], money as
//! [`Figure`], a cruciality as its signed text), so the three formats agree; the same summary
//! gives the same section.

use chrono::NaiveDate;
use serde::Serialize;

use super::view::{Figure, Report, RowKind, date_text, figure};
use crate::diagnostic::count::count;
use crate::report::text::thousands;
use crate::report::text::{Cell, Column, Table};
use crate::risk::{DateRisk, Distribution, MoneyRisk, RiskSummary};

/// Bars in the tornado chart and rows in the drivers table: a committee reads the few largest;
/// the JSON of `tranche risk` has every project.
pub const TOP_DRIVERS: usize = 10;

/// The risk section, in the order the renderers show it.
#[derive(Debug, Clone, Serialize)]
pub struct RiskSection {
    pub iterations: u32,
    pub seed: u64,
    /// `pert` or `triangular`.
    pub distribution: Distribution,
    /// "500 iterations, seed 1, Beta-PERT distribution; 8 durations and 10 savings sampled".
    pub method_text: String,
    pub uncertain_durations: usize,
    pub uncertain_savings: usize,
    /// The portfolio's finish: planned (every estimate at its likely value) and percentiles.
    pub finish: DateSpread,
    pub plan_end: NaiveDate,
    /// The chance of finishing on or before the planned finish, and by the plan end.
    pub finish_by_planned: Chance,
    pub finish_by_end: Chance,
    /// The S-curve: each sampled finish date and the share finishing on or before it.
    pub curve: Vec<CurveStep>,
    /// Milestones whose date moves in some iteration (or differs from the plan), plan order.
    pub milestones: Vec<MilestoneSpread>,
    /// Milestones left out of `milestones` because no iteration moves them.
    pub fixed_milestones: usize,
    pub deadlines: Vec<DeadlineChance>,
    pub targets: Vec<TargetChance>,
    /// The cashable net present value.
    pub npv: MoneySpread,
    /// The largest drivers of the finish, by size of cruciality (then id): the tornado's bars.
    pub drivers: Vec<Driver>,
    /// Projects with a cruciality left out of `drivers` (beyond [`TOP_DRIVERS`]).
    pub drivers_left_out: usize,
    /// Whether the tornado ranks risk events among its drivers (for the note's wording).
    #[serde(skip)]
    pub drivers_include_events: bool,
    /// Projects without a duration range that are critical in some iteration.
    pub fixed_critical: Vec<FixedCritical>,
    /// The P50 and P80 with and without the RAID log's events, when the plan has some
    /// (`Report::with_events_effect`); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<crate::report::raid_view::EventsEffect>,
}

/// A share of iterations, exact as sampled and as shown (`81.2%`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chance {
    pub share: f64,
    pub text: String,
}

/// A date's percentiles are shown as the risk analysis gives them: plain dates, no text.
pub type DateSpread = DateRisk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoneySpread {
    pub planned: Figure,
    pub p10: Figure,
    pub p50: Figure,
    pub p80: Figure,
    pub p90: Figure,
    pub mean: Figure,
}

impl MoneySpread {
    /// Planned, P10, P50, P80, P90 and mean, in the order of [`MoneyRisk::in_order`].
    pub fn figures(&self) -> [&Figure; 6] {
        [
            &self.planned,
            &self.p10,
            &self.p50,
            &self.p80,
            &self.p90,
            &self.mean,
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurveStep {
    pub date: NaiveDate,
    pub probability: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneSpread {
    pub id: String,
    pub title: String,
    pub date: DateSpread,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineChance {
    pub kind: RowKind,
    pub id: String,
    pub title: String,
    pub deadline: NaiveDate,
    pub finish: DateSpread,
    /// The chance of finishing on or before the deadline.
    pub chance: Chance,
}

/// A year's savings: planned and the low, middle and high percentiles (P10 is the amount nine
/// iterations in ten reach, the figure a target is judged against).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavingsSpread {
    pub planned: Figure,
    pub p10: Figure,
    pub p50: Figure,
    pub p90: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetChance {
    /// `2022/23`.
    pub year: String,
    pub target: Figure,
    /// The year's cashable savings.
    pub savings: SavingsSpread,
    /// The chance the savings reach the target.
    pub chance: Chance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    pub id: String,
    pub title: String,
    /// Spearman's rank correlation of its duration with the portfolio finish, -1 to 1.
    pub cruciality: f64,
    /// `+0.57`.
    pub cruciality_text: String,
    /// The share of iterations in which it is critical.
    pub criticality: Chance,
    /// Its three-point estimate in working days, and the mean sampled (`189.0d`).
    pub low_days: Option<u32>,
    pub likely_days: Option<u32>,
    pub high_days: Option<u32>,
    pub mean_days_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FixedCritical {
    pub id: String,
    pub title: String,
    pub criticality: Chance,
}

impl Report {
    /// The report with its risk section, from the summary of `risk::simulate` on the same plan.
    pub fn with_risk(mut self, summary: &RiskSummary) -> Report {
        self.risk = Some(section(&self, summary));
        self
    }
}

/// The section's tables that read the same in every format of the report.
impl RiskSection {
    /// "2 other milestones are not shown: no iteration moves them.", said under the spreads
    /// table; `None` when every milestone moves. Worded here once for every format.
    pub(crate) fn fixed_milestones_note(&self) -> Option<String> {
        (self.fixed_milestones > 0).then(|| {
            let milestones = count(
                self.fixed_milestones,
                "other milestone is",
                "other milestones are",
            );
            format!("{milestones} not shown: no iteration moves them.")
        })
    }

    /// "3 projects with smaller effects not shown (`tranche risk` lists them all).", said under
    /// the drivers table; `None` when none is left out. Names are in backticks, as in
    /// diagnostics, for each format to mark up.
    pub(crate) fn drivers_left_out_note(&self) -> Option<String> {
        (self.drivers_left_out > 0).then(|| {
            // Drivers are projects' ranges and, with a RAID log, its risk events too.
            let drivers = if self.drivers_include_events {
                count(self.drivers_left_out, "driver", "drivers")
            } else {
                count(self.drivers_left_out, "project", "projects")
            };
            format!("{drivers} with smaller effects not shown (`tranche risk` lists them all).")
        })
    }

    /// The finish's percentiles, and each milestone's that moves.
    pub(crate) fn spreads_table(&self) -> Table {
        let mut table = Table::new(
            "Finish date percentiles",
            vec![
                Column::text(""),
                Column::date("Planned"),
                Column::date("P10"),
                Column::date("P50"),
                Column::date("P80"),
                Column::date("P90"),
            ],
        );
        table.push(spread_row(
            Cell::Text("Portfolio finish".into()),
            &self.finish,
        ));
        for m in &self.milestones {
            table.push(spread_row(Cell::named(&m.title, &m.id), &m.date));
        }
        table
    }

    pub(crate) fn deadlines_table(&self) -> Table {
        let mut table = Table::new(
            "Chance of meeting each deadline",
            vec![
                Column::text("Work"),
                Column::date("Deadline"),
                Column::date("Planned"),
                Column::date("P50"),
                Column::date("P80"),
                Column::date("P90"),
                Column::number("Chance on time"),
            ],
        );
        for d in &self.deadlines {
            table.push(vec![
                Cell::named(&d.title, &d.id),
                Cell::Text(date_text(d.deadline)),
                Cell::Text(date_text(d.finish.planned)),
                Cell::Text(date_text(d.finish.p50)),
                Cell::Text(date_text(d.finish.p80)),
                Cell::Text(date_text(d.finish.p90)),
                Cell::Text(d.chance.text.clone()),
            ]);
        }
        table
    }

    pub(crate) fn targets_table(&self, money: crate::report::text::MoneyScale) -> Table {
        let mut table = Table::new(
            "Chance of meeting each savings target",
            vec![
                Column::text("Financial year"),
                Column::number("Target"),
                Column::number("Planned"),
                Column::number("P10"),
                Column::number("P50"),
                Column::number("P90"),
                Column::number("Chance met"),
            ],
        );
        table.money = money;
        for t in &self.targets {
            table.push(vec![
                Cell::Text(t.year.clone()),
                t.target.cell(),
                t.savings.planned.cell(),
                t.savings.p10.cell(),
                t.savings.p50.cell(),
                t.savings.p90.cell(),
                Cell::Text(t.chance.text.clone()),
            ]);
        }
        table
    }

    /// The largest drivers of the finish, with their estimates in working days.
    pub(crate) fn drivers_table(&self) -> Table {
        let mut table = Table::new(
            "Risk drivers by cruciality",
            vec![
                Column::text("Project"),
                Column::number("Cruciality"),
                Column::number("Criticality"),
                Column::number("Low"),
                Column::number("Likely"),
                Column::number("High"),
                Column::number("Mean"),
            ],
        );
        let days = |d: Option<u32>| d.map_or(Cell::Missing, |d| Cell::Text(format!("{d}d")));
        for d in &self.drivers {
            table.push(vec![
                Cell::named(&d.title, &d.id),
                Cell::Text(d.cruciality_text.clone()),
                Cell::Text(d.criticality.text.clone()),
                days(d.low_days),
                days(d.likely_days),
                days(d.high_days),
                d.mean_days_text.clone().map_or(Cell::Missing, Cell::Text),
            ]);
        }
        table
    }

    pub(crate) fn fixed_critical_table(&self) -> Table {
        let mut table = Table::new(
            "Fixed-duration projects that are sometimes critical",
            vec![
                Column::text("Fixed-duration project"),
                Column::number("Criticality"),
            ],
        );
        for p in &self.fixed_critical {
            table.push(vec![
                Cell::named(&p.title, &p.id),
                Cell::Text(p.criticality.text.clone()),
            ]);
        }
        table
    }
}

fn spread_row(label: Cell, d: &DateSpread) -> Vec<Cell> {
    let mut row = vec![label];
    row.extend(d.in_order().map(|date| Cell::Text(date_text(date))));
    row
}

/// A distribution as the risk text and the report's method line name it.
pub(crate) fn distribution_name(distribution: Distribution) -> &'static str {
    match distribution {
        Distribution::Pert => "Beta-PERT",
        Distribution::Triangular => "triangular",
    }
}

/// Builds the section. Titles come from the report's own rows, so they read as everywhere else.
pub fn section(report: &Report, summary: &RiskSummary) -> RiskSection {
    let (moving, fixed): (Vec<_>, Vec<_>) = summary.milestones.iter().partition(|m| {
        let d = m.date;
        d.p10 != d.p90 || d.planned != d.p10
    });
    let (drivers, drivers_left_out) = top_drivers(report, summary);
    RiskSection {
        iterations: summary.iterations,
        seed: summary.seed,
        distribution: summary.distribution,
        method_text: method_text(summary),
        uncertain_durations: summary.uncertain_durations,
        uncertain_savings: summary.uncertain_savings,
        finish: summary.finish,
        plan_end: summary.end,
        finish_by_planned: chance(summary.finish_by_planned),
        finish_by_end: chance(summary.finish_by_end),
        curve: summary
            .finish_curve
            .iter()
            .map(|p| CurveStep {
                date: p.date,
                probability: p.probability,
            })
            .collect(),
        fixed_milestones: fixed.len(),
        milestones: moving
            .into_iter()
            .map(|m| MilestoneSpread {
                id: m.id.clone(),
                title: m.title.clone(),
                date: m.date,
            })
            .collect(),
        deadlines: deadline_chances(report, summary),
        targets: target_chances(summary),
        npv: money_spread(&summary.npv),
        drivers,
        drivers_left_out,
        drivers_include_events: summary.tornado.iter().any(|bar| bar.kind != "duration"),
        fixed_critical: summary
            .projects
            .iter()
            .filter(|p| p.duration.is_none() && p.criticality > 0.0)
            .map(|p| FixedCritical {
                id: p.id.clone(),
                title: title(report, RowKind::Project, &p.id),
                criticality: chance(p.criticality),
            })
            .collect(),
        events: None,
    }
}

/// The title of the report's row of `kind` and `id`; the id where it has none.
fn title(report: &Report, kind: RowKind, id: &str) -> String {
    report
        .gantt
        .rows
        .iter()
        .find(|r| r.kind == kind && r.id == id)
        .map_or_else(|| id.to_owned(), |r| r.title.to_string())
}

/// What was sampled and how: "500 iterations, seed 1, Beta-PERT distribution; 8 durations and
/// 10 savings sampled".
fn method_text(summary: &RiskSummary) -> String {
    let distribution = distribution_name(summary.distribution);
    let mut method_text = format!(
        "{} {}, seed {}, {distribution} distribution; {} and {} sampled",
        thousands(u64::from(summary.iterations)),
        if summary.iterations == 1 {
            "iteration"
        } else {
            "iterations"
        },
        summary.seed,
        count(summary.uncertain_durations, "duration", "durations"),
        count(summary.uncertain_savings, "saving", "savings"),
    );
    // Cost ranges and the RAID log's events are named only when the plan has them, so a plan
    // without either reads as it did before they existed.
    if summary.uncertain_costs > 0 {
        method_text.push_str(&format!(
            ", {} sampled",
            count(summary.uncertain_costs, "capital cost", "capital costs")
        ));
    }
    if !summary.events.is_empty() {
        method_text.push_str(&format!(
            "; {} from the RAID log",
            count(summary.events.len(), "risk event", "risk events")
        ));
    }
    method_text
}

/// The tornado's first [`TOP_DRIVERS`] bars, and how many more it has.
fn top_drivers(report: &Report, summary: &RiskSummary) -> (Vec<Driver>, usize) {
    let mut drivers: Vec<Driver> = summary
        .tornado
        .iter()
        .map(|bar| {
            // A risk event of the RAID log ranks beside the ranges; it has no duration, and its
            // title says what it is (a risk may share its id with a project).
            let event = bar.kind != "duration";
            let duration = summary
                .projects
                .iter()
                .find(|p| !event && p.id == bar.id)
                .and_then(|p| p.duration);
            Driver {
                id: bar.id.clone(),
                title: if event {
                    format!("{} {}: {}", bar.kind, bar.id, bar.title)
                } else {
                    title(report, RowKind::Project, &bar.id)
                },
                cruciality: bar.cruciality,
                cruciality_text: format!("{:+.2}", bar.cruciality),
                criticality: chance(bar.criticality),
                low_days: duration.map(|d| d.low_days),
                likely_days: duration.map(|d| d.likely_days),
                high_days: duration.map(|d| d.high_days),
                mean_days_text: duration.map(|d| format!("{:.1}d", d.mean_days)),
            }
        })
        .collect();
    let left_out = drivers.len().saturating_sub(TOP_DRIVERS);
    drivers.truncate(TOP_DRIVERS);
    (drivers, left_out)
}

/// Each deadline's chance of being met, under its work's title.
fn deadline_chances(report: &Report, summary: &RiskSummary) -> Vec<DeadlineChance> {
    summary
        .deadlines
        .iter()
        .map(|d| {
            let kind = if d.kind == "milestone" {
                RowKind::Milestone
            } else {
                RowKind::Project
            };
            DeadlineChance {
                kind,
                id: d.id.clone(),
                title: title(report, kind, &d.id),
                deadline: d.deadline,
                finish: d.finish,
                chance: chance(d.probability),
            }
        })
        .collect()
}

/// Each savings target's chance of being met, with the spread of its year's savings.
fn target_chances(summary: &RiskSummary) -> Vec<TargetChance> {
    summary
        .targets
        .iter()
        .map(|t| TargetChance {
            year: t.year.clone(),
            target: figure(t.amount),
            savings: SavingsSpread {
                planned: figure(t.savings.planned),
                p10: figure(t.savings.p10),
                p50: figure(t.savings.p50),
                p90: figure(t.savings.p90),
            },
            chance: chance(t.probability),
        })
        .collect()
}

/// A share as a percentage with one decimal, as `tranche risk` shows it: `81.2%`.
pub(crate) fn chance(share: f64) -> Chance {
    Chance {
        share,
        text: format!("{:.1}%", share * 100.0),
    }
}

fn money_spread(m: &MoneyRisk) -> MoneySpread {
    let [planned, p10, p50, p80, p90, mean] = m.in_order().map(figure);
    MoneySpread {
        planned,
        p10,
        p50,
        p80,
        p90,
        mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chances_read_as_tranche_risk_shows_them() {
        assert_eq!(chance(0.812).text, "81.2%");
        assert_eq!(chance(1.0).text, "100.0%");
        assert_eq!(chance(0.0).text, "0.0%");
    }
}
