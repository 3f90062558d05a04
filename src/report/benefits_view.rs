//! The benefits register (issue 17) in the committee report and in `tranche finance
//! --benefits`: one table of every saving and benefit line with its owner, measure, what it
//! planned and realised to date, its forecast and its status, built here once from a
//! [`Register`] so the report (Markdown, HTML, JSON) and the terminal table say the same. The
//! figures are the register's; nothing is computed here but the text.
//!
//! In a report only when the plan uses the register (a line names an owner or a measure, or
//! records a realised amount): a report of a plan without any is unchanged.

use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::finance::{Finance, LineKind, Register, RegisterLine, Status};
use crate::model::{Accountable, ActualKind, Portfolio};
use crate::money::Percent;
use crate::report::text::{Cell, Column, Table};
use crate::report::view::{self, Figure, Report, figure};
use crate::schedule::{Rag, Schedule};

/// One line of the register as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitRow {
    pub project: String,
    pub project_title: String,
    pub kind: LineKind,
    /// The register's name for it: `saving` (`saving 2` of several) or the benefit's name.
    pub line: String,
    #[serde(flatten)]
    pub register: Accountable,
    pub planned_to_date: Figure,
    pub realised_to_date: Figure,
    /// Realised to date as a share of planned to date, `87.5%`; absent when nothing was due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realised_share: Option<String>,
    pub plan_total: Figure,
    pub forecast_total: Figure,
    pub status: Status,
}

/// The register as the report carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitsSection {
    /// The thresholds, as the plan states them (`rag benefits`): `95%`, `80%`.
    pub amber: String,
    pub red: String,
    pub lines: Vec<BenefitRow>,
}

/// The share `realised / planned`, to a tenth of a percent rounded towards zero (a realised
/// loss is negative); `None` when nothing was planned to date.
fn share(line: &RegisterLine) -> Option<String> {
    let planned = i128::from(line.planned_to_date.0);
    if planned <= 0 {
        return None;
    }
    let tenths = i128::from(line.realised_to_date.0) * 1_000 / planned;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    Some(format!("{sign}{}.{}%", tenths / 10, tenths % 10))
}

/// The section of `register`, whatever it holds.
pub fn section(register: &Register) -> BenefitsSection {
    BenefitsSection {
        amber: Percent::to_string(&register.amber),
        red: Percent::to_string(&register.red),
        lines: register
            .lines
            .iter()
            .map(|line| BenefitRow {
                project: line.project.clone(),
                project_title: line.project_title.clone(),
                kind: line.kind,
                line: line.name.clone(),
                register: line.register.clone(),
                planned_to_date: figure(line.planned_to_date),
                realised_to_date: figure(line.realised_to_date),
                realised_share: share(line),
                plan_total: figure(line.total.plan),
                forecast_total: figure(line.total.forecast),
                status: line.status,
            })
            .collect(),
    }
}

/// Whether `portfolio` uses the register, read from the plan without working the register
/// out: a saving or benefit names an owner or a measure, or a project records a realised
/// amount.
pub fn used_by(portfolio: &Portfolio) -> bool {
    portfolio.projects.iter().any(|p| {
        p.savings.iter().any(|s| s.register.is_given())
            || p.benefits().iter().any(|b| b.register.is_given())
            || p.actuals()
                .iter()
                .any(|a| matches!(a.kind, ActualKind::Savings | ActualKind::Benefit(_)))
    })
}

/// A status in a table as the schedule's RAG is shown: its word, and in HTML its colour and
/// the same shape (● green, ▲ amber, ■ red), so it never rests on colour alone. A line not
/// yet due or not recorded has neither.
fn status_cell(status: Status) -> Cell {
    let rag = match status {
        Status::Green => Rag::Green,
        Status::Amber => Rag::Amber,
        Status::Red => Rag::Red,
        Status::NotDue | Status::NotRecorded => {
            return Cell::Classed {
                class: "rag-none",
                text: status.text().to_owned(),
            };
        }
    };
    Cell::Marked {
        class: format!("rag {}", view::rag_class(Some(rag))),
        mark: view::rag_mark(Some(rag)),
        text: status.text(),
    }
}

impl BenefitsSection {
    /// The register as one table, a row per line.
    pub(crate) fn table(&self) -> Table {
        let mut table = Table::new(
            "Benefits register",
            vec![
                Column::text("Project"),
                Column::text("Saving or benefit"),
                Column::text("Owner"),
                Column::text("Measure"),
                Column::number("Planned to date"),
                Column::number("Realised to date"),
                Column::number("Realised"),
                Column::number("Appraisal plan"),
                Column::number("Appraisal forecast"),
                Column::text("Status"),
            ],
        );
        let user = |text: &Option<String>| text.clone().map_or(Cell::Missing, Cell::User);
        for row in &self.lines {
            table.push(vec![
                Cell::named(&row.project_title, &row.project),
                Cell::User(row.line.clone()),
                user(&row.register.owner),
                user(&row.register.measure),
                row.planned_to_date.cell(),
                row.realised_to_date.cell(),
                row.realised_share.clone().map_or(Cell::Missing, Cell::Text),
                row.plan_total.cell(),
                row.forecast_total.cell(),
                status_cell(row.status),
            ]);
        }
        table
    }

    /// How the status is judged, in a sentence under the table.
    pub(crate) fn rule(&self) -> String {
        format!(
            "Status: realised to date against planned to date, over the financial years over at the status date; green at {} or more, amber at {} or more, red below (`rag benefits`); a year with nothing recorded counts as nothing realised.",
            self.amber, self.red
        )
    }
}

impl Report {
    /// Adds the benefits register of `portfolio` as scheduled, when the plan uses it
    /// ([`used_by`]); a plan that does not neither shows nor works it out.
    pub fn with_benefits(
        mut self,
        portfolio: &Portfolio,
        schedule: &Schedule,
        calendars: &[WorkCalendar],
        finance: &Finance,
    ) -> Report {
        self.benefits = used_by(portfolio).then(|| {
            section(&crate::finance::register(
                portfolio, schedule, calendars, finance,
            ))
        });
        self
    }

    /// The register's table, when the report has one.
    pub(crate) fn benefits_table(&self) -> Option<Table> {
        let section = self.benefits.as_ref()?;
        Some(section.table().in_money(self.money))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::Outturn;
    use crate::money::Money;

    fn line(planned: i64, realised: i64) -> RegisterLine {
        RegisterLine {
            project: "p".into(),
            project_title: "P".into(),
            kind: LineKind::Saving,
            name: "saving".into(),
            label: None,
            register: Accountable::default(),
            per_year: Money(0),
            years: Vec::new(),
            planned_to_date: Money(planned),
            realised_to_date: Money(realised),
            total: Outturn::default(),
            status: Status::Green,
        }
    }

    #[test]
    fn the_share_keeps_its_sign_and_a_tenth() {
        assert_eq!(share(&line(80_000, 60_000)).as_deref(), Some("75.0%"));
        assert_eq!(share(&line(3, 1)).as_deref(), Some("33.3%"));
        assert_eq!(share(&line(1_000, -5)).as_deref(), Some("-0.5%"));
        assert_eq!(share(&line(0, 5)), None);
    }
}
