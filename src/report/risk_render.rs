//! Renderers of a [`RiskSummary`]: an aligned text table for people, Markdown for papers to a
//! Board, and JSON (schema in docs/risk.md). Each is a pure function returning the whole
//! output as a `String`; the cli writes it.
//!
//! Invariant: renderers format figures already in the summary and compute none (beyond turning
//! a share into a percentage), so the three formats never disagree on a number.

use crate::report::text::{Cell, Column, Table, thousands};

use crate::diagnostic::count::count;
use crate::money::Money;
use crate::report::risk_view::distribution_name;
use crate::risk::{Comparison, DateRisk, MoneyRisk, RiskSummary};

/// The output format of `tranche risk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    Table,
    /// JSON, schema in docs/risk.md.
    Json,
    /// Markdown tables, for papers to a Board.
    #[value(name = "md")]
    Markdown,
}

/// Renders the summary in `format`.
pub fn render(summary: &RiskSummary, format: Format) -> String {
    match format {
        Format::Table => text(summary, Style::Plain),
        Format::Markdown => text(summary, Style::Markdown),
        Format::Json => json(summary),
    }
}

/// `tranche risk --compare-mitigations`: the summary of the plan as written, then what each
/// mitigation buys; in JSON, the whole [`Comparison`].
pub fn render_comparison(comparison: &Comparison, format: Format) -> String {
    let style = match format {
        Format::Table => Style::Plain,
        Format::Markdown => Style::Markdown,
        Format::Json => {
            let mut out = serde_json::to_string_pretty(comparison)
                .unwrap_or_else(|e| panic!("a Comparison always serialises: {e}"));
            out.push('\n');
            return out;
        }
    };
    let mut page = Page {
        out: text(&comparison.summary, style),
        style,
    };
    page.out.push('\n');
    page.heading("What each mitigation buys");
    if comparison.mitigations.is_empty() {
        page.out.push_str("no open risk has a mitigation\n");
        return page.out;
    }
    page.out.push_str(
        "each mitigation in place against the same plan without it, on the same random numbers\n\n",
    );
    let mut table = columns(&[
        "risk",
        "mitigation cost",
        "probability",
        "P80 finish",
        "P80 cost",
        "P80 NPV",
    ]);
    for m in &comparison.mitigations {
        table.push(texts(vec![
            page.code(&m.risk),
            m.cost.to_string(),
            format!(
                "{} → {}",
                percent(m.probability_without),
                percent(m.probability_with)
            ),
            signed_days(m.p80_finish_days),
            signed_money(m.p80_cost),
            signed_money(m.p80_npv),
        ]));
    }
    page.table(table);
    if comparison.summary.targets.is_empty() {
        return page.out;
    }
    page.out.push('\n');
    let mut table = columns(&["risk", "target", "met without", "met with", "change"]);
    for m in &comparison.mitigations {
        for t in &m.targets {
            table.push(texts(vec![
                page.code(&m.risk),
                format!("{} in {}", t.amount, t.year),
                percent(t.without),
                percent(t.with),
                signed_points(t.with - t.without),
            ]));
        }
    }
    page.table(table);
    page.out
}

/// A change in days with its sign: `+12 days`, `-1 day`, `0 days`.
fn signed_days(days: i64) -> String {
    let unit = if days.abs() == 1 { "day" } else { "days" };
    if days > 0 {
        format!("+{days} {unit}")
    } else {
        format!("{days} {unit}")
    }
}

/// A change of money with its sign: `+£40,000.00`, `-£1,200.00`, `£0.00`.
fn signed_money(money: Money) -> String {
    if money.0 > 0 {
        format!("+{money}")
    } else {
        money.to_string()
    }
}

/// A change of chance in percentage points, one decimal: `+17.3 pts`.
fn signed_points(change: f64) -> String {
    format!("{:+.1} pts", change * 100.0)
}

/// The summary as pretty JSON with a trailing newline.
pub fn json(summary: &RiskSummary) -> String {
    let mut out = serde_json::to_string_pretty(summary)
        .unwrap_or_else(|e| panic!("a RiskSummary always serialises: {e}"));
    out.push('\n');
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Markdown,
}

fn text(s: &RiskSummary, style: Style) -> String {
    let mut page = Page {
        out: String::new(),
        style,
    };
    page.title(s);
    page.dates(s);
    page.deadlines(s);
    page.targets(s);
    page.money(s);
    page.events(s);
    page.drivers(s);
    page.out
}

/// The risk text being written, in plain text or Markdown.
struct Page {
    out: String,
    style: Style,
}

impl Page {
    fn heading(&mut self, title: &str) {
        match self.style {
            Style::Plain => {
                self.out.push_str(title);
                self.out.push('\n');
            }
            Style::Markdown => {
                self.out.push_str("## ");
                self.out.push_str(title);
                self.out.push_str("\n\n");
            }
        }
    }

    /// Ids are code in Markdown; plain text has no markup.
    fn code(&self, id: &str) -> String {
        match self.style {
            Style::Plain => id.to_owned(),
            Style::Markdown => format!("`{id}`"),
        }
    }

    fn table(&mut self, table: Table) {
        match self.style {
            Style::Plain => self.out.push_str(&table.plain()),
            Style::Markdown => self.out.push_str(&table.markdown_aligned()),
        }
    }

    /// A section that is one table: its heading, the table and the blank line that ends it.
    fn section(&mut self, heading: &str, table: Table) {
        self.heading(heading);
        self.table(table);
        self.out.push('\n');
    }

    /// The title, then what was sampled and how.
    fn title(&mut self, s: &RiskSummary) {
        let distribution = distribution_name(s.distribution);
        match self.style {
            Style::Plain => self.out.push_str(&format!("Risk: {}\n", s.title)),
            Style::Markdown => self.out.push_str(&format!("# Risk: {}\n\n", s.title)),
        }
        // Costs and events are named only when the plan has them, so a plan without either
        // reads as it did before they existed.
        let mut drawn = String::new();
        if s.uncertain_costs > 0 {
            drawn.push_str(&format!(
                ", {} sampled",
                count(s.uncertain_costs, "cost", "costs")
            ));
        }
        if !s.events.is_empty() {
            drawn.push_str(&format!(
                ", {}",
                count(s.events.len(), "risk event", "risk events")
            ));
        }
        self.out.push_str(&format!(
            "{} iterations, seed {}, {distribution} distribution; {} sampled, {} sampled{drawn}\n\n",
            thousands(u64::from(s.iterations)),
            s.seed,
            count(s.uncertain_durations, "duration", "durations"),
            count(s.uncertain_savings, "saving", "savings"),
        ));
    }

    /// The finish and each milestone, and the chances of finishing by the planned finish and
    /// by the end of the plan.
    fn dates(&mut self, s: &RiskSummary) {
        self.heading("Dates");
        let mut table = columns(&["", "planned", "P10", "P50", "P80", "P90"]);
        table.push(date_row("portfolio finish".to_owned(), &s.finish));
        for m in &s.milestones {
            table.push(date_row(format!("milestone {}", self.code(&m.id)), &m.date));
        }
        self.table(table);
        // A list in Markdown, so the two lines stay two lines.
        let bullet = match self.style {
            Style::Plain => "",
            Style::Markdown => {
                self.out.push('\n');
                "- "
            }
        };
        self.out.push_str(&format!(
            "{bullet}chance of finishing by the planned finish, {}: {}\n",
            s.finish.planned,
            percent(s.finish_by_planned)
        ));
        self.out.push_str(&format!(
            "{bullet}chance of finishing by the end of the plan, {}: {}\n",
            s.end,
            percent(s.finish_by_end)
        ));
        self.out.push('\n');
    }

    fn deadlines(&mut self, s: &RiskSummary) {
        if s.deadlines.is_empty() {
            return;
        }
        let mut table = columns(&["", "deadline", "planned", "P50", "P80", "P90", "on time"]);
        for d in &s.deadlines {
            table.push(texts(vec![
                format!("{} {}", d.kind, self.code(&d.id)),
                d.deadline.to_string(),
                d.finish.planned.to_string(),
                d.finish.p50.to_string(),
                d.finish.p80.to_string(),
                d.finish.p90.to_string(),
                percent(d.probability),
            ]));
        }
        self.section("Deadlines", table);
    }

    fn targets(&mut self, s: &RiskSummary) {
        if s.targets.is_empty() {
            return;
        }
        let mut table = columns(&["year", "target", "planned", "P10", "P50", "P90", "met"]);
        for t in &s.targets {
            table.push(texts(vec![
                t.year.clone(),
                t.amount.to_string(),
                t.savings.planned.to_string(),
                t.savings.p10.to_string(),
                t.savings.p50.to_string(),
                t.savings.p90.to_string(),
                percent(t.probability),
            ]));
        }
        self.section("Savings targets", table);
    }

    /// The NPV's spread, and the cost's when anything about cost was drawn.
    fn money(&mut self, s: &RiskSummary) {
        self.section("Net present value (cashable)", spread_table("NPV", &s.npv));
        if s.uncertain_costs > 0 || !s.events.is_empty() {
            self.section(
                "Cost (capital and revenue, before optimism bias)",
                spread_table("cost", &s.cost),
            );
        }
    }

    fn events(&mut self, s: &RiskSummary) {
        if s.events.is_empty() {
            return;
        }
        let mut table = columns(&["event", "probability", "occurred", "mitigation cost"]);
        for e in &s.events {
            table.push(texts(vec![
                format!("{} {}", e.kind, self.code(&e.id)),
                percent(e.probability),
                percent(e.occurred),
                e.mitigation_cost.to_string(),
            ]));
        }
        self.section("Risk events", table);
    }

    /// The tornado as a table, then the fixed-duration work that was critical.
    fn drivers(&mut self, s: &RiskSummary) {
        // The `d` after each duration is working days, as the plan counts them.
        self.heading("Risk drivers (durations in working days)");
        if s.tornado.is_empty() {
            self.out.push_str(
                "no project has a duration range wider than a day, so none drives the risk\n",
            );
        } else {
            let events = s.tornado.iter().any(|bar| bar.kind != "duration");
            let mut table = columns(&[
                if events { "driver" } else { "project" },
                "cruciality",
                "criticality",
                "low",
                "likely",
                "high",
                "mean",
            ]);
            for bar in &s.tornado {
                // A risk may share its id with a project: only a duration bar reads a
                // project's.
                let duration = s
                    .projects
                    .iter()
                    .find(|p| bar.kind == "duration" && p.id == bar.id)
                    .and_then(|p| p.duration);
                let days = |d: Option<u32>| d.map_or_else(String::new, |d| format!("{d}d"));
                let label = match bar.kind {
                    "duration" => self.code(&bar.id),
                    kind => format!("{kind} {}", self.code(&bar.id)),
                };
                table.push(texts(vec![
                    label,
                    format!("{:+.2}", bar.cruciality),
                    percent(bar.criticality),
                    days(duration.map(|d| d.low_days)),
                    days(duration.map(|d| d.likely_days)),
                    days(duration.map(|d| d.high_days)),
                    duration.map_or_else(String::new, |d| format!("{:.1}d", d.mean_days)),
                ]));
            }
            self.table(table);
        }
        // Work without a range can still be critical; the Board should see it too.
        let fixed: Vec<_> = s
            .projects
            .iter()
            .filter(|p| p.duration.is_none() && p.criticality > 0.0)
            .collect();
        if !fixed.is_empty() {
            self.out.push('\n');
            let mut table = columns(&["fixed-duration project", "criticality"]);
            for p in fixed {
                table.push(texts(vec![self.code(&p.id), percent(p.criticality)]));
            }
            self.table(table);
        }
    }
}

/// A table under `headers`: the first column names the row, the rest are figures, aligned right.
fn columns(headers: &[&'static str]) -> Table {
    let columns = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                Column::text(h)
            } else {
                Column::number(h)
            }
        })
        .collect();
    Table::new("", columns)
}

fn texts(cells: Vec<String>) -> Vec<Cell> {
    cells.into_iter().map(Cell::Text).collect()
}

fn date_row(label: String, d: &DateRisk) -> Vec<Cell> {
    let dates = d.in_order().map(|date| date.to_string());
    texts(std::iter::once(label).chain(dates).collect())
}

/// The spread of an amount of money, one row under `label`.
fn spread_table(label: &str, m: &MoneyRisk) -> Table {
    let mut table = columns(&["", "planned", "P10", "P50", "P80", "P90", "mean"]);
    let values = m.in_order().map(|money| money.to_string());
    table.push(texts(
        std::iter::once(label.to_owned()).chain(values).collect(),
    ));
    table
}

/// A share as a percentage with one decimal: `81.2%`.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}
