//! The committee report's table of plan, actual, forecast and variance (issue 17): costs and
//! cashable savings by financial year, as `tranche finance` gives them (`Profile::outturn`),
//! so the report and every `finance` format agree to the penny. Only in a report whose plan
//! records actuals: a report without any is unchanged.
//!
//! Kept apart from `view.rs` (the report's other tables) so that its hooks there, in
//! `markdown.rs` and in `html.rs` are a line each.

use serde::Serialize;

use crate::finance::{self, Finance, Outturn};
use crate::report::text::{Cell, Column, Table};
use crate::report::view::{Figure, Report, figure};

/// One figure's plan, actual (absent when none was recorded), forecast and variance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutturnFigures {
    pub plan: Figure,
    pub actual: Option<Figure>,
    pub forecast: Figure,
    pub variance: Figure,
}

impl OutturnFigures {
    fn of(o: Outturn) -> OutturnFigures {
        OutturnFigures {
            plan: figure(o.plan),
            actual: o.actual.map(figure),
            forecast: figure(o.forecast),
            variance: figure(o.variance),
        }
    }

    fn cells(&self) -> [Cell; 4] {
        [
            self.plan.cell(),
            self.actual.as_ref().map_or(Cell::Missing, Figure::cell),
            self.forecast.cell(),
            self.variance.cell(),
        ]
    }
}

/// One financial year's (or the total's) costs and savings as planned, recorded and forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutturnYear {
    /// `2022/23`, or `total`.
    pub label: String,
    /// Wholly after the plan's end (marked `*`, as in the table of money by year).
    pub after_plan_end: bool,
    pub costs: OutturnFigures,
    pub savings: OutturnFigures,
}

/// The portfolio's outturn, a row per financial year and the total; `None` when no project
/// records an actual.
pub(crate) fn outturn(finance: &Finance) -> Option<Vec<OutturnYear>> {
    if finance.portfolio.actuals.is_empty() {
        return None;
    }
    let row = |label: String, after_plan_end: bool, o: finance::YearOutturn| OutturnYear {
        label,
        after_plan_end,
        costs: OutturnFigures::of(o.costs),
        savings: OutturnFigures::of(o.savings),
    };
    let mut rows: Vec<OutturnYear> = finance
        .years
        .iter()
        .enumerate()
        .map(|(i, year)| {
            row(
                finance::year_label(*year, finance.financial_year_start),
                finance.year_after_plan_end(*year),
                finance.portfolio.outturn(i),
            )
        })
        .collect();
    rows.push(row(
        "total".to_owned(),
        false,
        finance.portfolio.outturn_total(),
    ));
    Some(rows)
}

impl Report {
    /// Under the table by financial year when the plan records actuals: that table is the
    /// plan's, beside targets and budgets judged on the forecast, and a reader would take its
    /// figures for what was judged.
    pub(crate) fn planned_note(&self) -> Option<&'static str> {
        self.outturn.as_ref().map(|_| {
            "These are the plan's figures. Savings targets and budgets are judged on the \
             forecast, which takes the actuals recorded for the years that are over: see Plan, \
             actual and forecast."
        })
    }

    /// Plan, actual, forecast and variance by financial year, when the plan records actuals.
    pub(crate) fn outturn_table(&self) -> Option<Table> {
        let rows = self.outturn.as_ref()?;
        let mut columns = vec![Column::text("Financial year")];
        columns.extend(
            [
                "Costs plan",
                "Costs actual",
                "Costs forecast",
                "Costs variance",
                "Savings plan",
                "Savings actual",
                "Savings forecast",
                "Savings variance",
            ]
            .map(Column::number),
        );
        let mut table = Table::new("Plan, actual and forecast by financial year", columns);
        table.money = self.money;
        for row in rows {
            let label = if row.after_plan_end {
                format!("{}*", row.label)
            } else {
                row.label.clone()
            };
            let mut cells = vec![Cell::Text(label)];
            cells.extend(row.costs.cells());
            cells.extend(row.savings.cells());
            table.push(cells);
        }
        Some(table)
    }
}
