//! The RAID log as a report shows it (issue 22): the register, scored and sorted, and its
//! probability-impact heat map; and, in the risk section, the P50 and P80 with and without the
//! register's events. Built once here and printed through `report::text::Table` by
//! `tranche raid` (table, CSV, Markdown; JSON is this view) and by the committee report's
//! Markdown and HTML, so every format shows the same scores.
//!
//! Scores follow the 5 x 5 probability-impact matrix programme boards use: a probability level
//! from the chance after mitigation (up to 10%, 30%, 50%, 70%, above), an impact level from the
//! largest impact (a delay of up to 5, 20, 60, 120 working days or more; money of up to £25k,
//! £100k, £250k, £1m or more), and the score their product, 1 to 25. Assumptions and decisions
//! have neither and are listed after the scored entries.

use chrono::NaiveDate;
use serde::Serialize;

use super::text::{Cell, Column, MoneyScale, Table};
use super::view::{Figure, Report, date_text, figure};
use crate::model::{Effect, Portfolio, RaidEntry, RaidKind, RaidStatus};
use crate::money::Percent;
use crate::risk::RiskSummary;

/// The register, highest score first.
#[derive(Debug, Clone, Serialize)]
pub struct RaidSection {
    pub rows: Vec<RaidRow>,
    /// The heat map's counts: `heat[p][i]` is the entries at probability level `5 - p` and
    /// impact level `i + 1` (the top row is the most likely).
    pub heat: [[usize; 5]; 5],
}

#[derive(Debug, Clone, Serialize)]
pub struct RaidRow {
    /// `risk`, `issue`, `assumption` or `decision`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    /// `open`, `closed` or `occurred`; `decided` for a decision.
    pub status: &'static str,
    /// The chance before and after mitigation (`20%`, `5%`); certain for an issue.
    pub probability_before: Option<String>,
    pub probability_after: Option<String>,
    /// What it does to each project, and what its mitigation costs: figures, so every format
    /// shows the same amounts at its own scale (`register_table` words them).
    pub impacts: Vec<ImpactView>,
    pub mitigation_cost: Option<Figure>,
    pub probability_level: Option<u8>,
    pub impact_level: Option<u8>,
    /// Probability level times impact level, 1 to 25.
    pub score: Option<u8>,
    /// The next date the log asks for: a review, a due date, an assumption's `until`, or the
    /// day a decision was made; with what it is.
    pub next: Option<NaiveDate>,
    pub next_label: &'static str,
}

/// One impact as the register shows it: a delay in working days, or an amount (a year, for a
/// saving; negative: lost).
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    pub project: String,
    /// `delay`, `capital` or `saving`.
    pub kind: &'static str,
    pub low_days: Option<u32>,
    pub high_days: Option<u32>,
    pub low: Option<Figure>,
    pub high: Option<Figure>,
}

/// P50 and P80 of the finish and the cost, with and without the register's events.
#[derive(Debug, Clone, Serialize)]
pub struct EventsEffect {
    pub with_p50: NaiveDate,
    pub with_p80: NaiveDate,
    pub without_p50: NaiveDate,
    pub without_p80: NaiveDate,
    pub cost_with_p50: Figure,
    pub cost_with_p80: Figure,
    pub cost_without_p50: Figure,
    pub cost_without_p80: Figure,
}

/// The register of `portfolio`; `None` when it has no RAID log.
pub fn build(portfolio: &Portfolio) -> Option<RaidSection> {
    if portfolio.raid.is_empty() {
        return None;
    }
    let mut rows: Vec<(usize, RaidRow)> = portfolio
        .raid
        .iter()
        .enumerate()
        .map(|(i, e)| (i, row(portfolio, e)))
        .collect();
    rows.sort_by(|(a_index, a), (b_index, b)| {
        b.score
            .cmp(&a.score)
            .then_with(|| kind_order(a.kind).cmp(&kind_order(b.kind)))
            .then_with(|| a_index.cmp(b_index))
    });
    let mut heat = [[0usize; 5]; 5];
    for (_, row) in &rows {
        if let (Some(p), Some(i), "open" | "occurred") =
            (row.probability_level, row.impact_level, row.status)
        {
            let (p, i) = (usize::from(p), usize::from(i));
            if let Some(cell) = heat.get_mut(5 - p).and_then(|r| r.get_mut(i - 1)) {
                *cell += 1;
            }
        }
    }
    Some(RaidSection {
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        heat,
    })
}

fn kind_order(kind: &str) -> u8 {
    match kind {
        "risk" => 0,
        "issue" => 1,
        "assumption" => 2,
        _ => 3,
    }
}

fn row(portfolio: &Portfolio, entry: &RaidEntry) -> RaidRow {
    let percent = |p: Percent| format!("{}%", p.0 as f64 / 100.0);
    let probability_level = entry.probability_after().map(probability_level);
    let impact_level = impact_level(entry);
    let score = probability_level
        .zip(impact_level)
        .map(|(p, i)| p.saturating_mul(i));
    let (next, next_label) = match entry.kind {
        RaidKind::Risk => (entry.review, "review"),
        RaidKind::Issue => (entry.due, "due"),
        RaidKind::Assumption => (entry.until, "until"),
        RaidKind::Decision => (entry.decided_on, "decided"),
    };
    RaidRow {
        kind: entry.kind.name(),
        id: entry.id.clone(),
        title: entry.title.clone(),
        owner: entry.owner.clone(),
        // A decision is made, not open or closed.
        status: match entry.kind {
            RaidKind::Decision => "decided",
            _ => entry.status.name(),
        },
        probability_before: entry.probability_before().map(percent),
        probability_after: entry.probability_after().map(percent),
        impacts: impacts(portfolio, entry),
        mitigation_cost: entry
            .mitigation
            .as_ref()
            .filter(|m| entry.status == RaidStatus::Open && m.cost.0 != 0)
            .map(|m| figure(m.cost)),
        probability_level,
        impact_level,
        score,
        next,
        next_label,
    }
}

/// Up to 10%, 30%, 50%, 70% and above: levels 1 to 5.
fn probability_level(p: Percent) -> u8 {
    level(p.0, &[1_000, 3_000, 5_000, 7_000])
}

/// 1 for a value up to the first bound, 2 up to the second, and so on; 5 above the last.
fn level<T: PartialOrd>(value: T, bounds: &[T; 4]) -> u8 {
    let below = bounds.iter().take_while(|bound| value > **bound).count();
    u8::try_from(below).map_or(5, |n| n + 1)
}

/// The level of the entry's largest impact (`None` without impacts).
fn impact_level(entry: &RaidEntry) -> Option<u8> {
    entry
        .impacts
        .iter()
        .map(|impact| match impact.effect {
            Effect::Delay { high_days, .. } => level(high_days, &[5, 20, 60, 120]),
            Effect::Capital { low, high } | Effect::Saving { low, high } => {
                let pence = low.0.unsigned_abs().max(high.0.unsigned_abs());
                level(pence, &[2_500_000, 10_000_000, 25_000_000, 100_000_000])
            }
        })
        .max()
}

/// The entry's impacts as figures.
fn impacts(portfolio: &Portfolio, entry: &RaidEntry) -> Vec<ImpactView> {
    entry
        .impacts
        .iter()
        .map(|impact| {
            let project = portfolio
                .projects
                .get(impact.project.0 as usize)
                .map_or_else(String::new, |p| p.id.to_string());
            let (kind, days, amounts) = match impact.effect {
                Effect::Delay {
                    low_days,
                    high_days,
                } => ("delay", Some((low_days, high_days)), None),
                Effect::Capital { low, high } => ("capital", None, Some((low, high))),
                Effect::Saving { low, high } => ("saving", None, Some((low, high))),
            };
            ImpactView {
                project,
                kind,
                low_days: days.map(|d| d.0),
                high_days: days.map(|d| d.1),
                low: amounts.map(|a| figure(a.0)),
                high: amounts.map(|a| figure(a.1)),
            }
        })
        .collect()
}

/// `case-system delay 40 to 80 days; case-system capital £100k to £300k; family-portal saving
/// -£50k a year; mitigation costs £40k`, with money at `money`'s scale.
fn impact_text(row: &RaidRow, money: MoneyScale) -> String {
    let range = |low: String, high: String| {
        if low == high {
            low
        } else {
            format!("{low} to {high}")
        }
    };
    let amount = |f: &Option<Figure>| f.as_ref().map_or_else(String::new, |f| money.show(f.pence));
    let mut parts: Vec<String> = row
        .impacts
        .iter()
        .map(|i| match (i.low_days, i.high_days) {
            (Some(low), Some(high)) => {
                let unit = if high == 1 { "day" } else { "days" };
                format!(
                    "{} delay {} {unit}",
                    i.project,
                    range(low.to_string(), high.to_string())
                )
            }
            _ => {
                let amounts = range(amount(&i.low), amount(&i.high));
                let year = if i.kind == "saving" { " a year" } else { "" };
                format!("{} {} {amounts}{year}", i.project, i.kind)
            }
        })
        .collect();
    if let Some(cost) = &row.mitigation_cost {
        parts.push(format!("mitigation costs {}", money.show(cost.pence)));
    }
    parts.join("; ")
}

impl RaidSection {
    /// The register: one row an entry, highest score first; money at `money`'s scale.
    pub(crate) fn register_table(&self, money: MoneyScale) -> Table {
        let mut table = Table::new(
            "RAID register",
            vec![
                Column::text("id"),
                Column::text("kind"),
                Column::text("title"),
                Column::text("owner"),
                Column::text("status"),
                Column::number("probability"),
                Column::number("mitigated"),
                Column::text("impact"),
                Column::number("score"),
                Column::date("next date"),
            ],
        );
        for row in &self.rows {
            let text_or_missing = |t: &Option<String>| t.clone().map_or(Cell::Missing, Cell::Text);
            table.push(vec![
                Cell::Code(row.id.clone()),
                Cell::Text(row.kind.to_owned()),
                Cell::User(row.title.clone()),
                row.owner.clone().map_or(Cell::Missing, Cell::User),
                Cell::Text(row.status.to_owned()),
                text_or_missing(&row.probability_before),
                text_or_missing(&row.probability_after),
                if row.impacts.is_empty() && row.mitigation_cost.is_none() {
                    Cell::Missing
                } else {
                    Cell::Text(impact_text(row, money))
                },
                row.score
                    .map_or(Cell::Missing, |s| Cell::Text(s.to_string())),
                row.next.map_or(Cell::Missing, |d| {
                    Cell::Text(format!("{} {}", row.next_label, date_text(d)))
                }),
            ]);
        }
        table
    }

    /// The heat map of open risks and issues: probability level down the side (most likely at
    /// the top), impact level across, the number of entries in each cell.
    pub(crate) fn heat_map_table(&self) -> Table {
        const LEVELS: [&str; 5] = ["very high", "high", "medium", "low", "very low"];
        let mut table = Table::new(
            "Probability and impact of open risks and issues",
            vec![
                Column::text("probability \\ impact"),
                Column::number("1 very low"),
                Column::number("2 low"),
                Column::number("3 medium"),
                Column::number("4 high"),
                Column::number("5 very high"),
            ],
        );
        for (p, counts) in self.heat.iter().enumerate() {
            let mut cells = vec![Cell::Text(format!(
                "{} {}",
                5 - p,
                LEVELS.get(p).copied().unwrap_or_default()
            ))];
            cells.extend(counts.iter().enumerate().map(|(i, &n)| Cell::Classed {
                // Its score, probability level times impact level, puts the cell in a band.
                class: heat_class((5 - p) * (i + 1)),
                text: if n == 0 {
                    "—".to_string()
                } else {
                    n.to_string()
                },
            }));
            table.push(cells);
        }
        table
    }
}

/// The HTML class of a heat-map cell by its score (1 to 25): 15 and over high, 5 to 12 medium,
/// under 5 low, the bands of docs/risk.md.
fn heat_class(score: usize) -> &'static str {
    match score {
        15.. => "num heat-high",
        5..=14 => "num heat-medium",
        _ => "num heat-low",
    }
}

impl EventsEffect {
    /// The P50 and P80 of the finish and of the cost, with and without the register's events.
    pub(crate) fn table(&self, money: MoneyScale) -> Table {
        let mut table = Table::new(
            "With and without risk events",
            vec![
                Column::text(""),
                Column::date("P50 finish"),
                Column::date("P80 finish"),
                Column::number("P50 cost"),
                Column::number("P80 cost"),
            ],
        )
        .in_money(money);
        for (label, p50, p80, c50, c80) in [
            (
                "with the RAID log's events",
                self.with_p50,
                self.with_p80,
                &self.cost_with_p50,
                &self.cost_with_p80,
            ),
            (
                "ranges alone",
                self.without_p50,
                self.without_p80,
                &self.cost_without_p50,
                &self.cost_without_p80,
            ),
        ] {
            table.push(vec![
                Cell::Text(label.to_owned()),
                Cell::Text(date_text(p50)),
                Cell::Text(date_text(p80)),
                c50.cell(),
                c80.cell(),
            ]);
        }
        table
    }
}

impl Report {
    /// The risk section's comparison with and without the register's events, from the same
    /// simulation run without them (`risk::Register::Off`). Nothing when the report has no
    /// risk section.
    pub fn with_events_effect(mut self, with: &RiskSummary, without: &RiskSummary) -> Report {
        if let Some(risk) = self.risk.as_mut() {
            risk.events = Some(EventsEffect {
                with_p50: with.finish.p50,
                with_p80: with.finish.p80,
                without_p50: without.finish.p50,
                without_p80: without.finish.p80,
                cost_with_p50: figure(with.cost.p50),
                cost_with_p80: figure(with.cost.p80),
                cost_without_p50: figure(without.cost.p50),
                cost_without_p80: figure(without.cost.p80),
            });
        }
        self
    }
}

/// The output format of `tranche raid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The register and its heat map as tables for people.
    Table,
    /// The register as CSV, one row an entry, for a spreadsheet.
    Csv,
    /// The register and heat map as JSON (docs/risk.md).
    Json,
    /// Markdown tables, for papers to a Board.
    #[value(name = "md")]
    Markdown,
}

/// `tranche raid`: the register (and, but in CSV, its heat map) in `format`. A plan without a
/// log gives an empty register.
pub fn render(section: Option<&RaidSection>, format: Format) -> String {
    let empty = RaidSection {
        rows: Vec::new(),
        heat: [[0; 5]; 5],
    };
    let section = section.unwrap_or(&empty);
    match format {
        Format::Table => format!(
            "{}\n{}",
            section.register_table(MoneyScale::Thousands).plain(),
            section.heat_map_table().plain()
        ),
        // CSV is for a spreadsheet: amounts to the penny.
        Format::Csv => section.register_table(MoneyScale::Pounds).csv(),
        Format::Markdown => format!(
            "{}\n{}",
            section
                .register_table(MoneyScale::Thousands)
                .markdown_aligned(),
            section.heat_map_table().markdown_aligned()
        ),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(section)
                .unwrap_or_else(|e| panic!("a RaidSection always serialises: {e}"));
            out.push('\n');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matrix's bounds are inclusive: a value on a bound takes that bound's level.
    /// The heat map's bands: every score a 5 x 5 matrix can give falls in the band docs/risk.md
    /// names (under 5 low, 5 to 12 medium, 15 and over high).
    #[test]
    fn heat_cells_fall_in_their_score_bands() {
        for p in 1..=5 {
            for i in 1..=5 {
                let score = p * i;
                let want = if score >= 15 {
                    "num heat-high"
                } else if score >= 5 {
                    "num heat-medium"
                } else {
                    "num heat-low"
                };
                assert_eq!(super::heat_class(score), want, "score {score}");
            }
        }
    }

    #[test]
    fn levels_take_each_bound_inclusively() {
        let probability = |bp| probability_level(Percent(bp));
        assert_eq!(
            [0, 1_000, 1_001, 3_000, 5_000, 7_000, 7_001, 10_000].map(probability),
            [1, 1, 2, 2, 3, 4, 5, 5]
        );
        let delay = |days: u32| level(days, &[5, 20, 60, 120]);
        assert_eq!(
            [1, 5, 6, 20, 60, 120, 121].map(delay),
            [1, 1, 2, 2, 3, 4, 5]
        );
        let money = |pence: u64| level(pence, &[2_500_000, 10_000_000, 25_000_000, 100_000_000]);
        assert_eq!(
            [2_500_000, 2_500_001, 100_000_000, u64::MAX].map(money),
            [1, 2, 4, 5]
        );
    }

    /// A plan without a RAID log lists an empty register in every format, without failing.
    #[test]
    fn no_log_is_an_empty_register() {
        assert!(render(None, Format::Csv).starts_with("id,kind,title"));
        assert!(render(None, Format::Json).contains("\"rows\": []"));
        assert!(render(None, Format::Table).contains("probability \\ impact"));
    }
}
